"""Precision, recall and F1 of the extractor on a gold set, and per-field accuracy.

    python -m briefwatch.extract.evaluate [--gold eval/gold/claims.jsonl] [--json] [--quiet]

Each gold item is extracted on its own (with its ``published`` date when it has one). Three
tables (see `scoring` for how claims are matched):

1. core: casualties matched on outcome + count range, control on place + status;
2. per field, on the core-matched pairs: qualifier, victims, scope, actor (by side), claimed_by;
3. strict: every key field must agree (the regression floors in tests are on this one).

Then every miss, false positive and wrong field, with its item id, unless ``--quiet``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from briefwatch.extract.scoring import FIELDS, KINDS, Tally, score, score_both

__all__ = ["DEFAULT_GOLD", "load", "main", "report", "score"]

DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "eval" / "gold" / "claims.jsonl"


def load(path: Path) -> list[dict]:
    """Gold items from a JSONL file (blank lines skipped)."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _table(title: str, tallies: dict[str, Tally]) -> list[str]:
    lines = [
        title,
        f"  {'kind':<10} {'gold':>5} {'pred':>5} {'match':>6} {'precision':>9} {'recall':>7} "
        f"{'F1':>6}",
    ]
    for name, t in tallies.items():
        lines.append(
            f"  {name:<10} {t.gold:>5} {t.predicted:>5} {t.matched:>6} {t.precision:>9.3f} "
            f"{t.recall:>7.3f} {t.f1:>6.3f}"
        )
    return lines


def _fields(tallies: dict[str, Tally]) -> list[str]:
    lines = ["per field, on core-matched pairs (agree/matched):"]
    for kind in KINDS:
        cells = []
        for name in FIELDS[kind]:
            f = tallies[kind].fields.get(name)
            if f:
                cells.append(f"{name} {f.agree}/{f.total} {f.accuracy:.3f}")
        lines.append(f"  {kind:<10} " + "   ".join(cells))
    return lines


def _details(core: dict[str, Tally]) -> list[str]:
    lines = []
    for kind in KINDS:
        t = core[kind]
        for label, rows in (("missed", t.misses), ("false positive", t.false_positives)):
            lines += [f"  {kind} {label} [{r['id']}] {json.dumps(r['claim'])}" for r in rows]
        for name in FIELDS[kind]:
            wrong = t.fields[name].wrong if name in t.fields else []
            for w in wrong:
                lines.append(
                    f"  {kind} {name} [{w['id']}] gold {json.dumps(w['gold'])} "
                    f"predicted {json.dumps(w['predicted'])}"
                )
    return lines


def report(both: dict[str, dict[str, Tally]], n_items: int, *, details: bool = True) -> str:
    """The tables, and the misses, false positives and wrong fields, as text."""
    lines = [f"gold items: {n_items}"]
    lines += _table("core (casualty: outcome + count range; control: place + status)", both["core"])
    lines += _fields(both["core"])
    lines += _table("strict (every key field)", both["strict"])
    if details:
        lines += _details(both["core"])
    return "\n".join(lines)


def _as_json(tallies: dict[str, Tally]) -> dict:
    return {
        name: {
            "gold": t.gold, "predicted": t.predicted, "matched": t.matched,
            "precision": round(t.precision, 4), "recall": round(t.recall, 4),
            "f1": round(t.f1, 4),
            "fields": {n: {"agree": f.agree, "matched": f.total, "accuracy": round(f.accuracy, 4)}
                       for n, f in t.fields.items()},
            "misses": t.misses, "false_positives": t.false_positives,
        }
        for name, t in tallies.items()
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Command line: print the evaluation tables (or one JSON document with --json)."""
    parser = argparse.ArgumentParser(prog="python -m briefwatch.extract.evaluate")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold JSONL file")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--quiet", action="store_true", help="tables only, no per-item lines")
    args = parser.parse_args(argv)
    items = load(args.gold)
    both = score_both(items)
    if args.json:
        # The top level keeps the strict figures (as before); "core" holds the table.
        doc = {"gold": str(args.gold), "items": len(items), **_as_json(both["strict"]),
               "core": _as_json(both["core"])}  # fmt: skip
        json.dump(doc, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(report(both, len(items), details=not args.quiet))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
