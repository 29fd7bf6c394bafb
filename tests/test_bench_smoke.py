"""`make bench` on a tiny corpus: the table prints and the result file has the comparable keys.

The real run takes minutes; this one keeps only what every run does (the corpus served on
127.0.0.1, a cold pass with stage clocks, an idle pass, a follow-up pass, the floors), without
Prefect and growth, so it stays around 15 s.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.run import main

KEYS = (
    "articles_per_second",
    "floor_ratio",
    "generic_ratio",
    "prefect_overhead_ratio",
    "idle_pass_seconds",
    "peak_rss_mb",
    "stages_cpu_ms_per_article",
    "machine",
)


def test_a_tiny_bench_writes_the_figures_people_compare(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(
        ["--articles", "260", "--pass-articles", "120", "--sources", "12", "--batch", "20",
         "--growth", "", "--floor-pages", "3", "--no-prefect", "--out", str(tmp_path)]
    )  # fmt: skip
    table = capsys.readouterr().out
    assert "end to end: cold pass, 120 new pages" in table
    assert "targets" in table

    results = json.loads((tmp_path / "latest.json").read_text())
    assert all(key in results for key in KEYS)
    assert results["articles_per_second"] > 0
    assert results["peak_rss_mb"] > 0
    assert results["floor_ratio"] > 1  # our parse stage does more than lxml's parse alone
    assert results["prefect_overhead_ratio"] is None  # not measured without Prefect
    # The idle pass asks each source's listing once and gets 304s: nothing else is fetched.
    assert results["idle_pass_listing_requests"] == 12
    assert results["raw"]["idle_direct"]["not_modified"] >= 12
    assert results["stages_cpu_ms_per_article"]["parse"] > 0
    assert results["machine"]["cores"] >= 1
    # the gazetteer's figures, measured over the session's index
    assert "gazetteer:" in table and "gazetteer opens < 150 ms" in table
    assert results["gazetteer_open_ms"] > 0 and results["gazetteer_rss_mb"] > 0
    assert results["raw"]["gazetteer"]["labels"] > 100


def test_the_web_bench_times_every_view_over_a_generated_store(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bench import web

    assert web.main(["--facts", "200", "--claims-per-fact", "3", "--rounds", "2", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["claims"] == 600
    assert [r["path"] for r in document["results"]] == [path for _, path in web.paths(200)]
    assert all(r["p95_ms"] > 0 and r["bytes"] > 0 for r in document["results"])
