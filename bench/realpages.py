"""Real pages, scored: briefwatch's article parsers next to trafilatura alone.

    python -m bench.realpages --dir /work/devdata/pages [--worst 10] [--json out.json]

The pages are not ours and stay out of the repository: ``--dir`` names a folder (searched
recursively) holding ``NAME.html`` or ``NAME.html.gz`` pages, each beside a ``NAME.json`` with
its gold::

    {"url": "https://...", "body": "gold text or null", "title": "gold or null",
     "published": "a time string or null"}

For every page, `parsers.registry.parse_article` (the parse stage: parser chosen by host or
structure, else `generic`) and `trafilatura.extract` (default options, and with
``favor_precision``) read the same bytes; trafilatura's metadata gives its title. Scores:

- body: the article-extraction benchmark's measure (scrapinghub/article-extraction-benchmark,
  ``evaluate.py``): shingles of 4 word tokens, true/false positives and negatives per page
  normalised to sum to 1, precision and recall averaged over pages, F1 from the two averages;
- rejected: pages briefwatch rejects, and among them those trafilatura reads (its body F1 on
  the page >= 0.5): the ones that count against us;
- title: exact after whitespace is collapsed, on pages whose gold has one;
- published ("date"): a time found, on pages whose gold has one; "day": the right day (UTC or
  the gold's own offset, whichever the page meant); "dated": a time found, on pages that carry
  one (their gold has one, or trafilatura's metadata, i.e. htmldate, finds one).

Times are each function's own CPU time per page (``time.process_time``), an indication only:
the per-page cost that counts is `make bench`'s generic ratio.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from parsers.meta import parse_datetime
from parsers.registry import parse_article
from parsers.types import Page, Rejection

_TOKEN = re.compile(r"\w+")
_SHINGLE = 4
READS_WELL = 0.5  # trafilatura's F1 on a page at which a rejection of ours is a loss


@dataclass(frozen=True)
class GoldPage:
    """One real page and what a careful reader says it holds."""

    name: str
    url: str
    body: bytes
    gold_body: str | None
    gold_title: str | None
    gold_published: str | None


@dataclass
class Scored:
    """One page as one reader read it."""

    body: str = ""
    title: str = ""
    published: datetime | None = None
    rejected: str = ""  # the rejection's reason, when the page was rejected
    parser: str = ""
    cpu_ms: float = 0.0
    tp_fp_fn: tuple[float, float, float] | None = None  # None: no gold body


@dataclass
class Summary:
    pages: int
    body_pages: int
    f1: float
    precision: float
    recall: float
    rejected: int
    title_pages: int
    title_exact: float
    date_pages: int
    date_found: float
    date_right_day: float
    carrying_pages: int  # pages with a gold time, or one trafilatura's metadata (htmldate) finds
    carried_found: float
    cpu_ms_per_page: float
    by_parser: dict[str, int] = field(default_factory=dict)


def load_pages(folder: Path) -> list[GoldPage]:
    """Every page with a gold file under ``folder``, sorted by path."""
    pages = []
    for gold_path in sorted(folder.rglob("*.json")):
        stem = gold_path.with_suffix("")
        html = next(
            (p for p in (stem.with_suffix(".html"), Path(f"{stem}.html.gz")) if p.exists()), None
        )
        if html is None:
            continue
        raw = html.read_bytes()
        if html.suffix == ".gz":
            raw = gzip.decompress(raw)
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        pages.append(
            GoldPage(
                name=str(stem.relative_to(folder)),
                url=gold["url"],
                body=raw,
                gold_body=gold.get("body") or None,
                gold_title=gold.get("title") or None,
                gold_published=gold.get("published") or None,
            )
        )
    return pages


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def shingle_match(true: str, pred: str, n: int = _SHINGLE) -> tuple[float, float, float]:
    """The benchmark's per-page (tp, fp, fn) over shingles of ``n`` tokens, summing to 1."""
    true_counts, pred_counts = Counter(_shingles(true, n)), Counter(_shingles(pred, n))
    tp = fp = fn = 0.0
    for key in true_counts.keys() | pred_counts.keys():
        t, p = true_counts.get(key, 0), pred_counts.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _shingles(text: str, n: int) -> Iterator[tuple[str, ...]]:
    words = tokens(text)
    for i in range(max(1, len(words) - n + 1)):
        shingle = tuple(words[i : i + n])
        if shingle:
            yield shingle


def precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def f1_of(counts: tuple[float, float, float]) -> float:
    p, r = precision(*counts), recall(*counts)
    return 2 * p * r / (p + r) if p + r else 0.0


def _cpu(function: Callable[[], Any]) -> tuple[float, Any]:
    started = time.process_time()
    result = function()
    return (time.process_time() - started) * 1000, result


def read_ours(page: GoldPage) -> Scored:
    ms, parsed = _cpu(lambda: parse_article(Page(page.url, page.body, "text/html")))
    if isinstance(parsed, Rejection):
        return Scored(rejected=parsed.reason, cpu_ms=ms)
    return Scored(
        body="\n".join(parsed.paragraphs),
        title=parsed.title,
        published=parsed.published,
        parser=f"{parsed.parser} after {parsed.fallback}" if parsed.fallback else parsed.parser,
        cpu_ms=ms,
    )


def read_trafilatura(page: GoldPage, **options: Any) -> Scored:
    import trafilatura

    ms, text = _cpu(lambda: trafilatura.extract(page.body, url=page.url, **options))
    return Scored(body=text or "", cpu_ms=ms, rejected="" if text else "nothing")


def read_trafilatura_metadata(page: GoldPage) -> Scored:
    import trafilatura

    meta = trafilatura.extract_metadata(page.body, default_url=page.url)
    title = (meta.title or "") if meta else ""
    published = parse_datetime(meta.date) if meta and meta.date else None
    return Scored(title=title, published=published)


def same_title(found: str, gold: str) -> bool:
    return " ".join(found.split()) == " ".join(gold.split())


def right_day(found: datetime | None, gold: str) -> bool:
    wanted = parse_datetime(gold)
    if found is None or wanted is None:
        return False
    if found.date() == wanted.date():
        return True
    return found.astimezone(wanted.tzinfo).date() == wanted.date()


def summarise(
    pages: list[GoldPage], scored: list[Scored], metadata: list[Scored], carried: list[bool]
) -> Summary:
    """Body scores from ``scored``, titles and dates from ``metadata`` (often the same list);
    ``carried``: whether each page carries a published time at all (see `score`)."""
    counts = [s.tp_fp_fn for s in scored if s.tp_fp_fn is not None]
    p = _mean([precision(*c) for c in counts if c[0] + c[1] > 0])
    r = _mean([recall(*c) for c in counts if c[0] + c[2] > 0])
    titled = [(g, m) for g, m in zip(pages, metadata, strict=True) if g.gold_title]
    dated = [(g, m) for g, m in zip(pages, metadata, strict=True) if g.gold_published]
    carrying = [m for m, has in zip(metadata, carried, strict=True) if has]
    return Summary(
        pages=len(pages),
        body_pages=len(counts),
        f1=2 * p * r / (p + r) if p + r else 0.0,
        precision=p,
        recall=r,
        rejected=sum(1 for s in scored if s.rejected),
        title_pages=len(titled),
        title_exact=_share(same_title(m.title, g.gold_title or "") for g, m in titled),
        date_pages=len(dated),
        date_found=_share(m.published is not None for _, m in dated),
        date_right_day=_share(right_day(m.published, g.gold_published or "") for g, m in dated),
        carrying_pages=len(carrying),
        carried_found=_share(m.published is not None for m in carrying),
        cpu_ms_per_page=_mean([s.cpu_ms for s in scored]),
        by_parser=dict(Counter(s.parser or f"rejected:{s.rejected}" for s in scored)),
    )


def _mean(values: list[float]) -> float:
    return statistics.mean(values) if values else 0.0


def _share(flags: Iterator[bool] | Any) -> float:
    values = list(flags)
    return sum(values) / len(values) if values else 0.0


def score(pages: list[GoldPage]) -> dict[str, Any]:
    """Every reader on every page, the per-page rows and the summaries."""
    readers: dict[str, list[Scored]] = {"briefwatch": [], "trafilatura": [], "precision": []}
    metadata: list[Scored] = []
    for page in pages:
        readers["briefwatch"].append(read_ours(page))
        readers["trafilatura"].append(read_trafilatura(page))
        readers["precision"].append(read_trafilatura(page, favor_precision=True))
        metadata.append(read_trafilatura_metadata(page))
    for results in readers.values():
        for page, result in zip(pages, results, strict=True):
            if page.gold_body is not None:
                result.tp_fp_fn = shingle_match(page.gold_body, result.body)
    # A page carries a published time when its gold has one or trafilatura's metadata (its
    # date finder is htmldate) finds one: the benchmark's pages have no gold time.
    carried = [
        bool(page.gold_published) or meta.published is not None
        for page, meta in zip(pages, metadata, strict=True)
    ]
    summaries = {
        "briefwatch": summarise(pages, readers["briefwatch"], readers["briefwatch"], carried),
        "trafilatura": summarise(pages, readers["trafilatura"], metadata, carried),
        "trafilatura favor_precision": summarise(pages, readers["precision"], metadata, carried),
    }
    ours, theirs = readers["briefwatch"], readers["trafilatura"]
    rows = []
    for page, mine, traf in zip(pages, ours, theirs, strict=True):
        rows.append(
            {
                "page": page.name,
                "parser": mine.parser,
                "rejected": mine.rejected,
                "f1": f1_of(mine.tp_fp_fn) if mine.tp_fp_fn else None,
                "trafilatura_f1": f1_of(traf.tp_fp_fn) if traf.tp_fp_fn else None,
                "title": mine.title,
                "gold_title": page.gold_title,
                "published": mine.published.isoformat() if mine.published else None,
                "gold_published": page.gold_published,
            }
        )
    lost = [
        row["page"]
        for row in rows
        if row["rejected"] and (row["trafilatura_f1"] or 0) >= READS_WELL
    ]
    folders: dict[str, list[int]] = {}
    for n, page in enumerate(pages):
        folders.setdefault(page.name.split("/")[0] if "/" in page.name else ".", []).append(n)
    by_folder = {
        folder: {
            name: asdict(
                summarise(
                    [pages[n] for n in picked],
                    [results[n] for n in picked],
                    [(results if name == "briefwatch" else metadata)[n] for n in picked],
                    [carried[n] for n in picked],
                )
            )
            for name, results in zip(summaries, readers.values(), strict=True)
        }
        for folder, picked in sorted(folders.items())
    }
    return {
        "summaries": {name: asdict(s) for name, s in summaries.items()},
        "by_folder": by_folder if len(by_folder) > 1 else {},
        "rejected_that_trafilatura_reads": lost,
        "pages": rows,
    }


def print_report(result: dict[str, Any], worst: int) -> None:
    print(f"{'reader':<28} {'F1':>6} {'P':>6} {'R':>6} {'rej':>4} {'title':>6} {'date':>6}"
          f" {'day':>6} {'dated':>6} {'cpu ms':>7}")  # fmt: skip
    for name, s in result["summaries"].items():
        print(
            f"{name:<28} {s['f1']:6.3f} {s['precision']:6.3f} {s['recall']:6.3f}"
            f" {s['rejected']:4d} {s['title_exact']:6.1%} {s['date_found']:6.1%}"
            f" {s['date_right_day']:6.1%} {s['carried_found']:6.1%} {s['cpu_ms_per_page']:7.1f}"
        )
    for folder, summaries in result["by_folder"].items():
        figures = ", ".join(
            f"{name} {s['f1']:.3f} (title {s['title_exact']:.1%}, date {s['date_found']:.1%})"
            for name, s in summaries.items()
        )
        print(f"  {folder} ({summaries['briefwatch']['pages']} pages): {figures}")
    ours = result["summaries"]["briefwatch"]
    print(
        f"pages {ours['pages']} (body gold {ours['body_pages']}, title gold {ours['title_pages']},"
        f" date gold {ours['date_pages']}, carrying a date {ours['carrying_pages']});"
        f" parsers {ours['by_parser']}"
    )
    lost = result["rejected_that_trafilatura_reads"]
    print(f"rejected by briefwatch, read by trafilatura: {len(lost)} {lost}")
    rows = [r for r in result["pages"] if r["f1"] is not None and r["trafilatura_f1"] is not None]
    rows.sort(key=lambda r: r["f1"] - r["trafilatura_f1"])
    if worst:
        print(f"\nworst {worst} against trafilatura (ours, theirs):")
        for row in rows[:worst]:
            why = f" rejected:{row['rejected']}" if row["rejected"] else ""
            print(
                f"  {row['f1']:.3f} {row['trafilatura_f1']:.3f} {row['page']} {row['parser']}{why}"
            )
        titles = [
            r
            for r in result["pages"]
            if r["gold_title"] and not same_title(r["title"], r["gold_title"])
        ]
        print(f"\ntitles not exact: {len(titles)} (first {worst})")
        for row in titles[:worst]:
            print(f"  {row['page']}: {row['title']!r} != {row['gold_title']!r}")
        undated = [r for r in result["pages"] if r["gold_published"] and not r["published"]]
        print(f"\nno published time: {len(undated)} (first {worst})")
        for row in undated[:worst]:
            print(f"  {row['page']}: gold {row['gold_published']}")


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--dir", type=Path, required=True, help="pages with gold (see above)")
    args.add_argument("--only", default="", help="only pages whose name contains this")
    args.add_argument("--worst", type=int, default=10, help="pages to list where we lose most")
    args.add_argument("--json", type=Path, help="write every figure and row here")
    options = args.parse_args(argv)
    pages = [p for p in load_pages(options.dir) if options.only in p.name]
    if not pages:
        raise SystemExit(f"no page with a gold .json beside it under {options.dir}")
    result = score(pages)
    print_report(result, options.worst)
    if options.json:
        options.json.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
