"""False claims on ordinary news: what the extractor reads in articles that report no war.

    python -m briefwatch.extract.newseval [--articles eval/news/articles.jsonl] [--json] [--quiet]

A monitor pass sees far more ordinary news than war reporting: markets that "fell", teams that
"took the title", teachers who "surrounded the Statehouse", floods, plagues and anniversaries of
old sieges. Each claim read there would become a fact and an alert. The labelled articles in
`eval/news/articles.jsonl` (our own writing; see `eval/news/README.md`) hold no control claim at
all, and no casualty claim except the real violence of crime (a shooting's dead and wounded),
which a desk may well want to see.

Each article is extracted as the pass extracts it: its paragraphs (the title is not part of a
parsed article's body), with its ``published`` day, no configured places or sides. A found claim
is true when the article expects it: casualties on outcome + count_low (as the gold sets match
them, without the range's top, which qualifiers make fragile), control on place + status. An
expected claim read in several sentences of one article (the lede and the quote) is one true
claim, read twice: it folds into one fact. Every other found claim is false.

Printed per kind: articles, claims expected, claims found, expected claims found, false claims,
and false claims per 1,000 articles; then every false claim (id, topic, claim, sentence) unless
``--quiet``. A file with a malformed article is refused (exit 2), naming the article and fault.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from briefwatch.extract.claims import OUTCOMES, STATUSES
from briefwatch.extract.lexicon import words
from briefwatch.extract.pipeline import extract

__all__ = [
    "DEFAULT_ARTICLES",
    "KINDS",
    "TOPICS",
    "FalseClaim",
    "KindTally",
    "evaluate",
    "load",
    "main",
    "problems",
    "report",
]

DEFAULT_ARTICLES = Path(__file__).resolve().parents[2] / "eval" / "news" / "articles.jsonl"
KINDS = ("casualty", "control")
TOPICS = words(
    """markets tech sport politics protest culture disaster rescue health accident crime history
    animals"""
)
FIELDS = frozenset({"id", "title", "topic", "paragraphs", "published", "expect", "traps", "note"})
# Long enough to read like an article (several paragraphs, a lede and quotes), short enough to
# read like the briefs and wire stories a pass gets.
MIN_WORDS, MAX_WORDS = 150, 400


def load(path: Path) -> list[dict]:
    """Articles from a JSONL file (blank lines skipped)."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _expected_problems(expect: Any) -> list[str]:
    if not isinstance(expect, dict) or set(expect) != set(KINDS):
        return ["expect must be {'control': [...], 'casualty': [...]}"]
    faults = []
    for claim in expect["casualty"]:
        if not isinstance(claim, dict) or claim.get("outcome") not in OUTCOMES:
            faults.append(f"expected casualty {claim!r}: outcome must be one of {OUTCOMES}")
        elif not isinstance(claim.get("count_low"), int) or claim["count_low"] < 0:
            faults.append(f"expected casualty {claim!r}: count_low must be a whole number")
    for claim in expect["control"]:
        if not isinstance(claim, dict) or claim.get("status") not in STATUSES:
            faults.append(f"expected control {claim!r}: status must be one of {STATUSES}")
        elif not isinstance(claim.get("place"), str) or not claim["place"]:
            faults.append(f"expected control {claim!r}: place must be a name")
    return faults


def problems(article: Any) -> list[str]:
    """What is wrong with one article ([] when it is well formed)."""
    if not isinstance(article, dict):
        return ["not a JSON object"]
    if set(article) != FIELDS:
        missing, extra = sorted(FIELDS - set(article)), sorted(set(article) - FIELDS)
        return [f"fields: missing {missing}, unknown {extra}"]
    faults = []
    for name in ("id", "title", "note"):
        if not isinstance(article[name], str) or not article[name].strip():
            faults.append(f"{name} must be a non-empty string")
    if article["topic"] not in TOPICS:
        faults.append(f"topic {article['topic']!r} is not one of {sorted(TOPICS)}")
    paragraphs = article["paragraphs"]
    if not isinstance(paragraphs, list) or not all(
        isinstance(p, str) and p.strip() for p in paragraphs
    ):
        faults.append("paragraphs must be a list of non-empty strings")
    elif len(paragraphs) < 3:
        faults.append(f"{len(paragraphs)} paragraphs: an article has several (at least 3)")
    else:
        n_words = sum(len(p.split()) for p in paragraphs)
        if not MIN_WORDS <= n_words <= MAX_WORDS:
            faults.append(f"{n_words} words: an article has {MIN_WORDS} to {MAX_WORDS}")
    try:
        date.fromisoformat(article["published"])
    except (TypeError, ValueError):
        faults.append(f"published {article['published']!r} is not a YYYY-MM-DD date")
    traps = article["traps"]
    if not isinstance(traps, list) or not traps or not all(isinstance(t, str) for t in traps):
        faults.append("traps must be a non-empty list of strings")
    return faults + _expected_problems(article["expect"])


def file_problems(articles: Sequence[Any]) -> list[str]:
    """Every fault in a set of articles, each naming its article (position and id)."""
    faults = []
    seen: set[str] = set()
    for n, article in enumerate(articles, 1):
        name = f"article {n}" + (f" [{article.get('id')}]" if isinstance(article, dict) else "")
        faults += [f"{name}: {fault}" for fault in problems(article)]
        if isinstance(article, dict) and article.get("id") in seen:
            faults.append(f"{name}: duplicate id")
        if isinstance(article, dict) and isinstance(article.get("id"), str):
            seen.add(article["id"])
    return faults


def _key(kind: str, claim: Mapping[str, Any]) -> tuple:
    if kind == "casualty":
        return claim["outcome"], claim["count_low"]
    return claim["place"], claim["status"]


def _describe(kind: str, claim: Mapping[str, Any]) -> str:
    if kind == "casualty":
        low, top = claim["count_low"], claim["count_high"]
        span = f"{low}+" if top is None else f"{low}" if top == low else f"{low}-{top}"
        return f"{claim['outcome']} {span} {claim['victims'] or claim['group']}"
    return f"{claim['place']}: {claim['status']}" + (
        f" by {claim['actor']}" if claim.get("actor") else ""
    )


@dataclass(frozen=True)
class FalseClaim:
    """A claim read from an article that does not hold it."""

    id: str
    topic: str
    kind: str
    claim: str  # "Oil: captured", "killed 2000000+ people"
    sentence: str


@dataclass
class KindTally:
    """The counts for one kind of claim over a set of articles."""

    articles: int = 0
    expected: int = 0
    found: int = 0
    expected_found: int = 0  # expected claims read at least once
    false: list[FalseClaim] = field(default_factory=list)

    @property
    def per_1000(self) -> float:
        """False claims per 1,000 articles: the figure the issue sets targets on."""
        return 1000 * len(self.false) / self.articles if self.articles else 0.0


def found_claims(article: Mapping[str, Any]) -> dict[str, list[dict]]:
    """What the extractor reads in one article, as a pass would: paragraphs and report day."""
    doc = extract(list(article["paragraphs"]), published=date.fromisoformat(article["published"]))
    return {
        "casualty": [asdict(c) for c in doc.casualties],
        "control": [asdict(c) for c in doc.control],
    }


def evaluate(articles: Iterable[Mapping[str, Any]]) -> dict[str, KindTally]:
    """Tallies per kind over well-formed articles (see `file_problems`)."""
    tallies = {kind: KindTally() for kind in KINDS}
    for article in articles:
        found = found_claims(article)
        for kind in KINDS:
            tally = tallies[kind]
            expected = {_key(kind, c) for c in article["expect"][kind]}
            tally.articles += 1
            tally.expected += len(expected)
            tally.found += len(found[kind])
            read = {_key(kind, c) for c in found[kind]}
            tally.expected_found += len(expected & read)
            tally.false += [
                FalseClaim(article["id"], article["topic"], kind, _describe(kind, c), c["sentence"])
                for c in found[kind]
                if _key(kind, c) not in expected
            ]
    return tallies


def report(tallies: Mapping[str, KindTally], *, details: bool = True) -> str:
    """The table, then every false claim unless ``details`` is off."""
    lines = [
        "ordinary news (no control claims; casualties only from crime's violence)",
        f"  {'kind':<10} {'articles':>8} {'expected':>8} {'found':>6} {'exp.found':>9} "
        f"{'false':>6} {'per 1,000':>9}",
    ]
    for kind, t in tallies.items():
        lines.append(
            f"  {kind:<10} {t.articles:>8} {t.expected:>8} {t.found:>6} {t.expected_found:>9} "
            f"{len(t.false):>6} {t.per_1000:>9.1f}"
        )
    if details:
        for kind, t in tallies.items():
            lines += [
                f"  {kind} false [{f.id} {f.topic}] {f.claim} :: {f.sentence}" for f in t.false
            ]
    return "\n".join(lines)


def _as_json(tallies: Mapping[str, KindTally]) -> dict:
    return {
        kind: {
            "articles": t.articles, "expected": t.expected, "found": t.found,
            "expected_found": t.expected_found, "false": len(t.false),
            "false_per_1000": round(t.per_1000, 2),
            "false_claims": [asdict(f) for f in t.false],
        }
        for kind, t in tallies.items()
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Command line: print the table (or one JSON document with --json); 2 on a malformed file."""
    parser = argparse.ArgumentParser(prog="python -m briefwatch.extract.newseval")
    parser.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES, help="JSONL file")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--quiet", action="store_true", help="the table only, no false claims")
    args = parser.parse_args(argv)
    try:
        articles = load(args.articles)
    except (OSError, json.JSONDecodeError) as exc:
        print(f"error: cannot read {args.articles}: {exc}", file=sys.stderr)
        return 2
    faults = file_problems(articles)
    if faults:
        print(f"error: {args.articles} is malformed:", *faults, sep="\n  ", file=sys.stderr)
        return 2
    tallies = evaluate(articles)
    if args.json:
        json.dump({"file": str(args.articles), **_as_json(tallies)}, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(report(tallies, details=not args.quiet))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
