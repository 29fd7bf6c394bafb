"""The measured quality of the extractor on the gold sets: regression floors, never loosened.

Measured when the extractor was first cut (see eval/gold/README.md):

    claims.jsonl  (212 items)  casualty P 0.987 R 0.987   control P 0.984 R 0.984
    holdout.jsonl  (32 items)  casualty P 0.909 R 0.769   control P 0.857 R 0.545

claims.jsonl was written before the extractor and then used to debug it, so its figures are
optimistic; holdout.jsonl was written before control.py existed and never tuned on.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from briefwatch.extract.evaluate import DEFAULT_GOLD, load, score

HOLDOUT = DEFAULT_GOLD.with_name("holdout.jsonl")
FLOORS = {
    DEFAULT_GOLD: {"casualty": (0.98, 0.98), "control": (0.98, 0.98), "overall": (0.98, 0.98)},
    HOLDOUT: {"casualty": (0.90, 0.76), "control": (0.85, 0.54), "overall": (0.88, 0.66)},
}


@pytest.mark.parametrize("gold", [DEFAULT_GOLD, HOLDOUT], ids=["claims", "holdout"])
def test_precision_and_recall_floors(gold: Path) -> None:
    tallies = score(load(gold))
    for kind, (precision, recall) in FLOORS[gold].items():
        assert tallies[kind].precision >= precision, (kind, tallies[kind].false_positives)
        assert tallies[kind].recall >= recall, (kind, tallies[kind].misses)


def test_gold_set_shape() -> None:
    items = load(DEFAULT_GOLD)
    assert len(items) >= 120
    assert len({i["id"] for i in items}) == len(items)
    negatives = [i for i in items if not i["casualties"] and not i["control"]]
    assert len(negatives) >= len(items) / 3
    for item in items:
        assert set(item) == {"id", "text", "casualties", "control", "note"}


def test_command_line_json() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "briefwatch.extract.evaluate", "--json"],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    doc = json.loads(out.stdout)
    assert {"casualty", "control", "overall"} <= set(doc)
    assert doc["overall"]["gold"] == doc["casualty"]["gold"] + doc["control"]["gold"]
