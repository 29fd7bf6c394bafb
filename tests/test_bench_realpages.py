"""`bench.realpages` scores a folder of pages against their gold, as the benchmark scores them.

The real pages it is run on are not ours and stay out of the repository; here it reads two pages
written for this test, so what it reports can be checked by hand.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from bench.realpages import main, shingle_match

STORY = [
    "The ferry between the two island towns ran again on Tuesday after a week of storms kept "
    "it in the harbour.",
    "Its captain said the crossing took forty minutes longer than usual because of floating "
    "debris near the northern pier.",
    "Shopkeepers on the smaller island had run short of bread and fuel by the weekend, and the "
    "first boat carried both.",
]
PAGE = """<!DOCTYPE html><html lang="en"><head><title>Ferry runs again | Island Post</title>
<meta property="og:site_name" content="Island Post">
<meta property="article:published_time" content="2024-03-05T09:30:00+01:00">
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Ferry runs again</h1>{paragraphs}</article>
<footer>Island Post, Harbour Street</footer></body></html>"""


def write(folder: Path, name: str, html: str, gold: dict[str, object], packed: bool) -> None:
    data = html.encode("utf-8")
    if packed:
        (folder / f"{name}.html.gz").write_bytes(gzip.compress(data))
    else:
        (folder / f"{name}.html").write_bytes(data)
    (folder / f"{name}.json").write_text(json.dumps(gold), encoding="utf-8")


def test_shingles_count_what_is_missing_and_what_is_extra() -> None:
    gold = "one two three four five six"  # three shingles of four tokens
    assert shingle_match(gold, gold) == (1.0, 0.0, 0.0)
    tp, fp, fn = shingle_match(gold, "one two three four five")  # the last shingle missing
    assert (tp, fp, fn) == pytest.approx((2 / 3, 0.0, 1 / 3))
    assert shingle_match(gold, "") == (0.0, 0.0, 1.0)


def test_a_folder_of_pages_is_scored_for_body_title_date_and_rejections(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = "".join(f"<p>{text}</p>" for text in STORY)
    gold = {
        "url": "https://island-post.example/2024/03/05/ferry",
        "body": "\n\n".join(STORY),
        "title": "Ferry runs again",
        "published": "2024-03-05 09:30:00+01:00",
    }
    write(tmp_path, "ferry", PAGE.format(paragraphs=body), gold, packed=True)
    nested = tmp_path / "more"
    nested.mkdir()
    empty = {"url": "https://island-post.example/empty", "body": "Some text.", "title": None}
    write(nested, "empty", "   ", empty, packed=False)

    result = main(["--dir", str(tmp_path), "--json", str(tmp_path / "out.json")])

    ours = result["summaries"]["briefwatch"]
    assert ours["pages"] == 2 and ours["body_pages"] == 2
    assert ours["title_pages"] == 1 and ours["title_exact"] == 1.0
    assert ours["date_pages"] == 1 and ours["date_found"] == 1.0 and ours["date_right_day"] == 1.0
    assert ours["rejected"] == 1  # the empty page
    # Precision and recall are averaged over pages: the story read whole, the empty page not.
    assert ours["recall"] == pytest.approx(0.5)
    assert ours["precision"] == pytest.approx(1.0)
    rows = {row["page"]: row for row in result["pages"]}
    assert rows["ferry"]["f1"] == pytest.approx(1.0)
    assert rows["more/empty"]["rejected"] == "empty-page"
    folders = result["by_folder"]  # figures per top-level folder, as per source of the pages
    assert folders["more"]["briefwatch"]["rejected"] == 1 and folders["."]["briefwatch"]["f1"] == 1
    assert "trafilatura" in result["summaries"]
    assert json.loads((tmp_path / "out.json").read_text())["summaries"]["briefwatch"] == ours
    assert "briefwatch" in capsys.readouterr().out
