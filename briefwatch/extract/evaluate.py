"""Precision and recall of the extractor on the gold set.

    python -m briefwatch.extract.evaluate [--gold eval/gold/claims.jsonl] [--json]

Each gold item is extracted on its own. A predicted claim matches a gold claim of the same item
when the key fields agree:

- casualty: outcome, count_low, count_high, qualifier, scope, victims (case-insensitive)
- control: place, status, and the actor's side (`side_of`); when neither actor names a side,
  the actor text itself (lowercase, without a leading "the"), so "the enemy" must match
  "the enemy" and a missing actor must match a missing actor.

claimed_by is not a key field; its agreement on matched pairs is reported beside the table.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from briefwatch.extract.pipeline import extract
from briefwatch.extract.sides import side_of

DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "eval" / "gold" / "claims.jsonl"
KINDS = ("casualty", "control")


def _actor_key(actor: str | None) -> str | None:
    side = side_of(actor)
    if side:
        return side
    if not actor:
        return None
    text = actor.lower().strip()
    return text[4:] if text.startswith("the ") else text


def key_of(kind: str, claim: dict) -> tuple:
    """The fields a predicted and a gold claim must share to match."""
    if kind == "casualty":
        return (
            claim["outcome"], claim["count_low"], claim["count_high"], claim["qualifier"],
            claim["scope"], (claim["victims"] or "").lower(),
        )  # fmt: skip
    return (claim["place"], claim["status"], _actor_key(claim.get("actor")))


@dataclass
class Tally:
    """Counts for one kind of claim."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    claimed_by_agree: int = 0
    misses: list[dict] = field(default_factory=list)
    false_positives: list[dict] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _same_speaker(a: str | None, b: str | None) -> bool:
    return (a or "").lower() == (b or "").lower()


def score(items: Iterable[dict]) -> dict[str, Tally]:
    """Tallies per kind, plus "overall", over gold items."""
    tallies = {kind: Tally() for kind in KINDS}
    for item in items:
        doc = extract(item["text"])
        predicted = {
            "casualty": [asdict(c) for c in doc.casualties],
            "control": [asdict(c) for c in doc.control],
        }
        for kind, gold_field in (("casualty", "casualties"), ("control", "control")):
            tally = tallies[kind]
            gold = list(item[gold_field])
            tally.gold += len(gold)
            tally.predicted += len(predicted[kind])
            unmatched = list(gold)
            for claim in predicted[kind]:
                key = key_of(kind, claim)
                hit = next((g for g in unmatched if key_of(kind, g) == key), None)
                if hit is None:
                    tally.false_positives.append({"id": item["id"], "claim": _short(kind, claim)})
                    continue
                unmatched.remove(hit)
                tally.matched += 1
                tally.claimed_by_agree += _same_speaker(claim["claimed_by"], hit.get("claimed_by"))
            tally.misses += [{"id": item["id"], "claim": _short(kind, g)} for g in unmatched]
    overall = Tally()
    for t in tallies.values():
        overall.gold += t.gold
        overall.predicted += t.predicted
        overall.matched += t.matched
        overall.claimed_by_agree += t.claimed_by_agree
    return {**tallies, "overall": overall}


def _short(kind: str, claim: dict) -> dict:
    fields = (
        ("outcome", "count_low", "count_high", "qualifier", "victims", "scope", "claimed_by")
        if kind == "casualty"
        else ("place", "status", "actor", "claimed_by", "count")
    )
    return {f: claim.get(f) for f in fields}


def load(path: Path) -> list[dict]:
    """Gold items from a JSONL file (blank lines skipped)."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def report(tallies: dict[str, Tally], n_items: int) -> str:
    """The table and the lists of misses and false positives, as text."""
    lines = [
        f"gold items: {n_items}",
        f"{'kind':<10} {'gold':>5} {'pred':>5} {'match':>6} {'precision':>9} {'recall':>7} "
        f"{'F1':>6} {'claimed_by':>10}",
    ]
    for name, t in tallies.items():
        speaker = f"{t.claimed_by_agree}/{t.matched}"
        lines.append(
            f"{name:<10} {t.gold:>5} {t.predicted:>5} {t.matched:>6} {t.precision:>9.3f} "
            f"{t.recall:>7.3f} {t.f1:>6.3f} {speaker:>10}"
        )
    for kind in KINDS:
        t = tallies[kind]
        for label, rows in (("missed", t.misses), ("false positive", t.false_positives)):
            for row in rows:
                lines.append(f"  {kind} {label} [{row['id']}] {json.dumps(row['claim'])}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line: print the evaluation table (or one JSON document with --json)."""
    parser = argparse.ArgumentParser(prog="python -m briefwatch.extract.evaluate")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold JSONL file")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    items = load(args.gold)
    tallies = score(items)
    if args.json:
        doc = {
            name: {
                "gold": t.gold, "predicted": t.predicted, "matched": t.matched,
                "precision": round(t.precision, 4), "recall": round(t.recall, 4),
                "f1": round(t.f1, 4), "claimed_by_agree": t.claimed_by_agree,
                "misses": t.misses, "false_positives": t.false_positives,
            }
            for name, t in tallies.items()
        }  # fmt: skip
        json.dump({"gold": str(args.gold), "items": len(items), **doc}, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(report(tallies, len(items)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
