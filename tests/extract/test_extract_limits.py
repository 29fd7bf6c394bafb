"""Hostile text through `briefwatch extract`: it ends in seconds, reads the normal part, and says
what it left unread (issue 16). The old reader took hours on the 100,000 "said" and ~20 s on
5 MB; the bound here is loose on purpose (the figures are in bench/README.md)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from briefwatch.demo.pages import DemoArticle, render_article
from briefwatch.extract import extract
from briefwatch.extract.limits import MAX_SENTENCE, MAX_TEXT
from briefwatch.models import Claim
from briefwatch.store import Store
from tests.support.receiver import Receiver
from tests.support.server import LocalServer
from tests.test_cli import SEED_TEXT, briefwatch
from tests.test_pipeline import feed, run, settings_for

CLAIM = "Regional officials said 12 civilians were killed in shelling of Kramatorsk on Tuesday."
BOUND = 60  # seconds: far above what the capped reader needs, far below what the old one took

# The place index is built (once, ~15 s) before any command is timed.
pytestmark = pytest.mark.usefixtures("places")


def _extract(tmp_path: Path, text: str) -> dict:
    path = tmp_path / "hostile.txt"
    path.write_text(text, "utf-8")
    started = time.monotonic()
    done = briefwatch("extract", str(path), "--json", cwd=tmp_path)
    assert time.monotonic() - started < BOUND
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _the_claim_is_read(document: dict) -> None:
    killed = [(c["count_low"], c["victims"], c["claimed_by"]) for c in document["casualties"]]
    assert killed == [(12, "civilians", "regional officials")]


def test_a_claim_before_100k_said_is_read_and_the_rest_is_cut(tmp_path: Path) -> None:
    document = _extract(tmp_path, CLAIM + "\n\n" + " ".join(["said"] * 100_000))
    _the_claim_is_read(document)
    text, sentence = document["cuts"]
    assert text["what"] == "text" and text["length"] == len(CLAIM) + 2 + 100_000 * 5 - 1
    assert text["kept"] <= MAX_TEXT and "longer than" in text["reason"]
    assert sentence["what"] == "sentence" and sentence["position"] == 1
    assert sentence["kept"] <= MAX_SENTENCE


def test_five_megabytes_are_read_up_to_the_cap(tmp_path: Path) -> None:
    filler = "Officers said the convoy crossed the bridge near the river before noon. "
    document = _extract(tmp_path, CLAIM + "\n\n" + filler * 70_000)
    _the_claim_is_read(document)
    assert [(c["what"], c["length"] > 5_000_000) for c in document["cuts"]] == [("text", True)]


def test_a_sentence_of_30000_words_is_cut_at_a_clause_and_its_claim_kept(tmp_path: Path) -> None:
    """The claim inside the over-long sentence's first clause is still read, and the sentence
    it quotes (what an alert would carry) is cut to the cap."""
    run_on = "12 civilians were killed in shelling of Kramatorsk, regional officials said, " + (
        " ".join(["and the shelling went on"] * 6_000)
    )
    document = _extract(tmp_path, run_on)
    (cut,) = document["cuts"]
    assert cut["what"] == "sentence" and cut["length"] == len(run_on)
    assert cut["kept"] <= MAX_SENTENCE
    (claim,) = document["casualties"]
    assert (claim["count_low"], claim["claimed_by"]) == (12, "regional officials")
    assert len(claim["sentence"]) == cut["kept"]


def test_words_without_punctuation_after_a_claim(tmp_path: Path) -> None:
    document = _extract(tmp_path, CLAIM + " " + " ".join(["word"] * 50_000))
    _the_claim_is_read(document)
    assert [c["what"] for c in document["cuts"]] == ["text", "sentence"]


def test_a_normal_briefing_is_read_whole() -> None:
    assert extract(SEED_TEXT.read_text()).cuts == []


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with Receiver() as receiver:
        yield receiver


def test_a_page_with_an_endless_sentence_is_read_in_part_and_the_pass_says_so(
    db_url: str, server: LocalServer, hook: Receiver
) -> None:
    """The page's claim is stored and alerted, the run-on paragraph is cut, and the pass
    summary counts and names the page read in part."""
    run_on = "Shelling of the town went on, " + " ".join(["and the shelling went on"] * 6_000)
    article = DemoArticle(
        slug="endless", outlet_build="wire", title="Endless",
        paragraphs=[CLAIM, run_on], published=datetime(2020, 11, 9, 12, tzinfo=UTC),
    )  # fmt: skip
    server.route("/endless", render_article(article, server.url("/")))
    server.route("/feed", feed(server, "/endless"), content_type="application/rss+xml")
    summary = run(settings_for(db_url, server, hook))
    assert summary.counts()["read_in_part"] == 1
    (line,) = summary.to_json()["read_in_part"]
    url, why = line.split(": ", 1)
    assert url.startswith(server.url("/")) and "endless" in url
    assert why.startswith("sentence longer than 2000 characters")
    with Store(db_url).session() as session:
        assert [c.sentence for c in session.exec(select(Claim))] == [CLAIM]
    assert len(hook.messages) == summary.counts()["changes"] >= 1
