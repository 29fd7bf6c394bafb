"""Precision, recall and F1 of the extractor on the gold sets, and per-field accuracy.

    python -m briefwatch.extract.evaluate [--gold FILE [--mode core|review]] [--json] [--quiet]

Without ``--gold`` every set is scored: our gold set (`eval/gold/claims.jsonl`), our holdout
(`eval/gold/holdout.jsonl`) and, when the file is there, the real-text development set
(`../shared/real-dev/claims.jsonl` beside the checkout, or ``$BRIEFWATCH_REAL_DEV``); a missing
real-dev set is skipped with one line. Each item is extracted on its own (with its
``published`` date and ``sides`` when it has them). Per set (see `scoring` for the matching):

1. the headline table: core for our sets (casualty outcome + count range, control place +
   status), review for the real-text set (outcome + count_low; place with containment + status
   group), as the held-out real sets are scored;
2. per field, on the matched pairs: qualifier, victims, scope, actor (by side), claimed_by;
3. strict, for our sets: every key field must agree (the regression floors in tests).

Then every miss, false positive and wrong field, with its item id, unless ``--quiet``; and a
summary of F1 per set and kind at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from briefwatch.extract.scoring import KINDS, Tally, fields_for, score, score_both

__all__ = ["DEFAULT_GOLD", "HOLDOUT", "REAL_DEV", "load", "main", "report", "score", "sets"]

_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_GOLD = _ROOT / "eval" / "gold" / "claims.jsonl"
HOLDOUT = DEFAULT_GOLD.with_name("holdout.jsonl")
# Real passages labelled by hand, shared beside the checkout; never copied into the repo.
REAL_DEV = _ROOT.parent / "shared" / "real-dev" / "claims.jsonl"


@dataclass(frozen=True)
class GoldSet:
    """One labelled set and the matching its headline table uses."""

    name: str
    path: Path
    mode: str  # core | review


def sets() -> list[GoldSet]:
    """The sets `make eval` scores, in order (real-dev from ``$BRIEFWATCH_REAL_DEV`` if set)."""
    real = Path(os.environ.get("BRIEFWATCH_REAL_DEV") or REAL_DEV)
    return [
        GoldSet("gold", DEFAULT_GOLD, "core"),
        GoldSet("holdout", HOLDOUT, "core"),
        GoldSet("real-dev", real, "review"),
    ]


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


def _fields(tallies: dict[str, Tally], mode: str) -> list[str]:
    lines = ["per field, on matched pairs (agree/matched):"]
    for kind in KINDS:
        cells = []
        for name in fields_for(kind, mode):
            f = tallies[kind].fields.get(name)
            if f:
                cells.append(f"{name} {f.agree}/{f.total} {f.accuracy:.3f}")
        lines.append(f"  {kind:<10} " + "   ".join(cells))
    return lines


def _details(tallies: dict[str, Tally], mode: str) -> list[str]:
    lines = []
    for kind in KINDS:
        t = tallies[kind]
        for label, rows in (("missed", t.misses), ("false positive", t.false_positives)):
            lines += [f"  {kind} {label} [{r['id']}] {json.dumps(r['claim'])}" for r in rows]
        for name in fields_for(kind, mode):
            wrong = t.fields[name].wrong if name in t.fields else []
            for w in wrong:
                lines.append(
                    f"  {kind} {name} [{w['id']}] gold {json.dumps(w['gold'])} "
                    f"predicted {json.dumps(w['predicted'])}"
                )
    return lines


_TITLES = {
    "core": "core (casualty: outcome + count range; control: place + status)",
    "review": "review (casualty: outcome + count_low; control: place, containment + status group)",
}


def report(
    both: dict[str, dict[str, Tally]], n_items: int, *, details: bool = True, mode: str = "core"
) -> str:
    """One set's tables, and its misses, false positives and wrong fields, as text."""
    lines = [f"gold items: {n_items}"]
    lines += _table(_TITLES[mode], both[mode])
    lines += _fields(both[mode], mode)
    if mode == "core":
        lines += _table("strict (every key field)", both["strict"])
    if details:
        lines += _details(both[mode], mode)
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


def _set_json(path: Path, items: list[dict], both: dict[str, dict[str, Tally]]) -> dict:
    # The top level keeps the strict figures (as before); "core"/"review" hold the other modes.
    return {"gold": str(path), "items": len(items), **_as_json(both["strict"]),
            "core": _as_json(both["core"]), "review": _as_json(both["review"])}  # fmt: skip


def _summary(rows: list[tuple[str, str, dict[str, Tally]]]) -> list[str]:
    lines = ["summary (F1 per set, headline matching)", f"  {'set':<10} {'mode':<7} "
             + " ".join(f"{k:>9}" for k in (*KINDS, "overall"))]  # fmt: skip
    for name, mode, tallies in rows:
        cells = " ".join(f"{tallies[k].f1:>9.3f}" for k in (*KINDS, "overall"))
        lines.append(f"  {name:<10} {mode:<7} {cells}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Command line: print the evaluation tables (or one JSON document with --json)."""
    parser = argparse.ArgumentParser(prog="python -m briefwatch.extract.evaluate")
    parser.add_argument("--gold", type=Path, help="one gold JSONL file (default: every set)")
    parser.add_argument("--mode", choices=("core", "review"), default="core",
                        help="headline matching for --gold (review: as the real sets)")  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--quiet", action="store_true", help="tables only, no per-item lines")
    args = parser.parse_args(argv)
    chosen = [GoldSet(args.gold.name, args.gold, args.mode)] if args.gold else sets()
    docs: dict[str, dict] = {}
    text: list[str] = []
    summary = []
    for gold in chosen:
        if not gold.path.is_file():
            text.append(f"== {gold.name}: skipped, no file at {gold.path}")
            continue
        items = load(gold.path)
        both = score_both(items)
        docs[gold.name] = _set_json(gold.path, items, both)
        text += [f"== {gold.name} ({gold.path})",
                 report(both, len(items), details=not args.quiet, mode=gold.mode)]  # fmt: skip
        summary.append((gold.name, gold.mode, both[gold.mode]))
    if args.json:
        doc = docs[chosen[0].name] if args.gold else {"sets": docs}
        json.dump(doc, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print("\n".join(text + ([] if args.gold else _summary(summary))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
