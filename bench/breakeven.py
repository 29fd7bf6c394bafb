"""When the page workers pay: one source's batch of n pages stored in this process only, with a
worker pool that starts for it, and with one already running.

    python -m bench.breakeven [--sizes 2,4,8,16,32,64] [--repeat 3]

Each measurement stores a batch of corpus pages (no HTTP: the fetch is the pass's business) into
a fresh SQLite store through `pipeline.process_harvest`, and reports its wall time and this
process's CPU per page, best of ``--repeat``. `briefwatch.pages.pool.START_AT` comes from here.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.corpus import article_url as corpus_url
from bench.corpus import generate, render_page
from briefwatch import pipeline
from briefwatch.config import parse_config
from briefwatch.fetch.client import Fetched
from briefwatch.pages import pool as workers
from briefwatch.sources.poll import Harvest
from briefwatch.store import Store

BASE = "http://127.0.0.1:8000"


def _batch(pages: list[tuple[str, bytes]], folder: Path, name: str) -> tuple[float, float]:
    settings = parse_config(
        {"storage": {"url": f"sqlite:///{folder / name}.db"},
         "sources": [{"name": "s", "url": f"{BASE}/feed"}]}
    )  # fmt: skip
    store = Store(settings.storage.url)
    fetched = [Fetched(u, 200, b, "text/html", "utf-8", None, None) for u, b in pages]
    harvest = Harvest(source="s", pages=fetched)
    wall, cpu = time.perf_counter(), time.process_time()
    pipeline.process_harvest(store, harvest, settings.sources[0], settings)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    store.close()
    return wall, cpu


def measure(sizes: list[int], repeat: int) -> list[dict[str, Any]]:
    corpus = generate(2_000, 7, 100)
    on_topic = [i for i in corpus.items if i.on_topic]
    rows = []
    with tempfile.TemporaryDirectory(prefix="briefwatch-breakeven-") as scratch:
        folder = Path(scratch)
        _batch([(corpus_url(i, BASE), render_page(i, BASE)) for i in on_topic[:8]], folder, "w")
        for size in sizes:
            pages = [(corpus_url(i, BASE), render_page(i, BASE)) for i in on_topic[:size]]
            row: dict[str, Any] = {"pages": size}
            for mode in ("in-process", "cold pool", "warm pool"):
                best = (float("inf"), float("inf"))
                for n in range(repeat):
                    workers.shutdown()
                    os.environ["BRIEFWATCH_WORKERS"] = "0" if mode == "in-process" else "1"
                    if mode == "warm pool":
                        pool = workers.pool_for(workers.START_AT)
                        assert pool is not None
                        pool_ready(pool)
                    saved = workers.START_AT
                    workers.START_AT = 2  # start for any batch: that is what is measured
                    try:
                        got = _batch(pages, folder, f"{size}-{mode}-{n}".replace(" ", "-"))
                    finally:
                        workers.START_AT = saved
                    best = min(best, got)
                row[mode] = {"wall_ms": best[0] * 1000 / size, "cpu_ms": best[1] * 1000 / size}
            rows.append(row)
    workers.shutdown()
    return rows


def pool_ready(pool: workers.PagePool) -> None:
    """Wait until the pool's workers have started (their imports done)."""
    assert pool.wait_ready(), "the page workers did not start"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2,4,8,16,32,64")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = measure([int(s) for s in args.sizes.split(",")], args.repeat)
    print(f"{'pages':>6}" + "".join(f"{m:>24}" for m in ("in-process", "cold pool", "warm pool")))
    print(f"{'':>6}" + "  wall ms/page  CPU ms/page" * 3)
    for row in rows:
        cells = "".join(
            f"{row[m]['wall_ms']:>12.2f}{row[m]['cpu_ms']:>12.2f}"
            for m in ("in-process", "cold pool", "warm pool")
        )
        print(f"{row['pages']:>6}{cells}")


if __name__ == "__main__":
    main()
