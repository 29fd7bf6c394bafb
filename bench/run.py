"""`make bench`: how fast a pass is, how close to the floor, and how cost grows. One table.

    python -m bench.run                    # the default run: a few minutes on 2 cores
    python -m bench.run --huge             # adds the 100k-stored-articles growth point
    python -m bench.run --pass-articles 10000   # the full pipeline on 10k pages (slow)
    python -m bench.run --profile /tmp/prof     # a cProfile file of every pass, to find causes

Steps, all on 127.0.0.1 and in a temporary directory (SQLite stores, PREFECT_HOME):

1. generate the corpus (seeded) and serve it from a child process (`bench.serve`);
2. start a Prefect server (`flows.server.local_prefect_server`), timed on its own;
3. cold pass over the first ``--pass-articles`` pages, directly (with per-stage clocks) and
   through the `monitor` flow, each in a fresh process on a fresh store (and the same two over
   twice the pages first, for how memory grows with the pages of a pass);
4. idle pass: the same 100 sources again, nothing new (all 304), directly and through Prefect;
5. follow-up pass: edition 2 (revisions) plus 100 new pages, directly;
6. growth: the cold store grown to 1k and 10k articles (`bench.grow`), then the same batch of
   new pages and an idle pass at each size;
7. floors on a sample of pages of every build (`bench.floors`);
8. the gazetteer: open time, memory, lookup cost (`bench.gazetteer`).

The table is printed and the figures written to ``bench/results/<time>-<commit>.json`` (and
``latest.json``).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import report
from bench.config import write_config
from bench.corpus import Corpus, generate
from bench.floors import measure_floors
from bench.gazetteer import measure as measure_gazetteer
from bench.grow import db_bytes, replicate
from bench.machine import describe, load_average
from bench.passes import run_pass
from bench.serve import ServerHandle, corpus_server
from bench.stages import StageClock

RESULTS = Path(__file__).parent / "results"
FOLLOW_UP_NEW = 100  # new pages published with edition 2 (at most a tenth of the cold pass)
GROWTH_LISTING = 50  # a feed shows its newest 50 items, as most do


@dataclass
class Options:
    corpus_articles: int = 10_000
    pass_articles: int = 1_000
    seed: int = 7
    sources: int = 100
    batch: int = 300
    growth: list[int] = field(default_factory=lambda: [1_000, 10_000])
    floor_pages: int = 250
    prefect: bool = True
    profile: Path | None = None  # a directory for cProfile files of every pass
    out: Path = RESULTS


def parse_args(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description="Benchmark a briefwatch pass (make bench).")
    o = Options()
    parser.add_argument(
        "--articles",
        type=int,
        default=o.corpus_articles,
        help="pages in the corpus (floors sample it)",
    )
    parser.add_argument(
        "--pass-articles",
        type=int,
        default=o.pass_articles,
        help="new pages in the cold full-pipeline passes",
    )
    parser.add_argument("--seed", type=int, default=o.seed)
    parser.add_argument("--sources", type=int, default=o.sources)
    parser.add_argument(
        "--batch", type=int, default=o.batch, help="new pages per growth measurement"
    )
    parser.add_argument(
        "--growth",
        default=",".join(map(str, o.growth)),
        help="stored-article sizes to measure, comma-separated ('' for none)",
    )
    parser.add_argument("--huge", action="store_true", help="add the 100k growth point")
    parser.add_argument(
        "--floor-pages",
        type=int,
        default=o.floor_pages,
        help="sampled pages per build for the floors",
    )
    parser.add_argument("--no-prefect", action="store_true", help="skip the Prefect passes")
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="write a cProfile file of every pass into DIR (passes run ~1.5x slower)",
    )
    parser.add_argument("--out", type=Path, default=o.out, help="directory for the JSON")
    args = parser.parse_args(argv)  # fmt: skip
    growth = [int(x) for x in args.growth.split(",") if x.strip()]
    if args.huge and 100_000 not in growth:
        growth.append(100_000)
    needed = args.pass_articles + max(args.batch, min(FOLLOW_UP_NEW, args.pass_articles // 10))
    if args.articles < needed:
        parser.error(f"--articles must be at least --pass-articles + {needed - args.pass_articles}")
    return Options(
        corpus_articles=args.articles, pass_articles=args.pass_articles, seed=args.seed,
        sources=args.sources, batch=args.batch, growth=growth, floor_pages=args.floor_pages,
        prefect=not args.no_prefect, profile=args.profile, out=args.out,
    )  # fmt: skip


# -- pieces ------------------------------------------------------------------------------------


class Bench:
    """One benchmark run: the corpus, its server, a scratch directory, and the passes run."""

    def __init__(self, options: Options, corpus: Corpus, server: ServerHandle, tmp: Path) -> None:
        self.o, self.corpus, self.server, self.tmp = options, corpus, server, tmp

    def config(self, name: str, revisit_hours: float = 6.0) -> Path:
        """A config whose store is ``<tmp>/<name>/bw.db``."""
        folder = self.tmp / name
        folder.mkdir(exist_ok=True)
        return write_config(
            folder / "bench.toml", folder / "bw.db", self.server.base_url, self.corpus.sources,
            self.server.hook_url, revisit_hours=revisit_hours,
        )  # fmt: skip

    def measured(
        self,
        config: Path,
        mode: str,
        label: str,
        *,
        stages: bool = False,
        env: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """One pass; adds what the server saw (requests, 304s) to its result."""
        self.server.reset()
        # cProfile slows a pass ~1.5x: with --profile the figures are for finding causes only.
        profile = self.o.profile / f"{label}.prof" if self.o.profile else None
        log = config.parent / f"{label}.log"
        result = run_pass(config, mode, log, stages=stages, profile=profile, env=env)
        result.update(self.server.stats())
        _say(
            f"{label}: {result['wall']:.1f} s ({result['wall_process']:.1f} s with the process "
            f"start), {result['requests']} requests"
        )
        return result


@contextmanager
def prefect_api(tmp: Path, enabled: bool) -> Iterator[tuple[dict[str, str], float | None]]:
    """A Prefect server on 127.0.0.1 for the flow passes: (client env, seconds it took to start)."""
    if not enabled:
        yield {}, None
        return
    from flows.server import local_prefect_server

    server_home, client_home = tmp / "prefect-server", tmp / "prefect-client"
    server_home.mkdir()
    client_home.mkdir()
    quiet = {"DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    server_env = {**quiet, "PREFECT_HOME": str(server_home), "PREFECT_UI_ENABLED": "false"}
    started = time.perf_counter()
    with local_prefect_server(env=server_env, log=server_home / "server.log") as api:
        seconds = time.perf_counter() - started
        _say(f"Prefect server up in {seconds:.1f} s")
        yield {**quiet, "PREFECT_HOME": str(client_home), "PREFECT_API_URL": api}, seconds


def _stored_articles(db: Path) -> int:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT count(*) FROM article").fetchone()[0]


def _copy_store(source: Path, target: Path) -> Path:
    target.parent.mkdir(exist_ok=True)
    for suffix in ("", "-wal"):
        if source.with_name(source.name + suffix).exists():
            shutil.copy(
                source.with_name(source.name + suffix), target.with_name(target.name + suffix)
            )
    return target


def _instrument_cost_ns() -> float:
    """What one stage-clock wrapper adds to a call, so the per-stage pass can be trusted."""
    clock = StageClock()
    wrapped = clock.timed("x", lambda: None)
    bare = lambda: None  # noqa: E731
    runs = 50_000
    t0 = time.perf_counter_ns()
    for _ in range(runs):
        bare()
    t1 = time.perf_counter_ns()
    for _ in range(runs):
        wrapped()
    t2 = time.perf_counter_ns()
    return max(0.0, ((t2 - t1) - (t1 - t0)) / runs)


# -- the run -----------------------------------------------------------------------------------


def measure(o: Options) -> dict[str, Any]:
    """Run every measurement; return the raw results (see `report.summarise` for the figures)."""
    began = time.perf_counter()
    o.out.mkdir(parents=True, exist_ok=True)
    if o.profile:
        o.profile.mkdir(parents=True, exist_ok=True)
    raw: dict[str, Any] = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": describe(),
        "load_before": load_average(),
        "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(o).items()},
        "instrument_ns_per_call": _instrument_cost_ns(),
    }
    corpus = generate(o.corpus_articles, o.seed, o.sources)
    _say(f"corpus generated in {time.perf_counter() - began:.1f} s")
    raw["corpus"] = {
        "pages": len(corpus.items), "stories": corpus.stories, "sources": len(corpus.sources),
        "by_build": corpus.by_build(), **corpus.counts,
    }  # fmt: skip
    n = o.pass_articles
    with tempfile.TemporaryDirectory(prefix="briefwatch-bench-") as scratch:
        tmp = Path(scratch)
        with corpus_server(o.corpus_articles, o.seed, o.sources) as server:
            bench = Bench(o, corpus, server, tmp)
            with prefect_api(tmp, o.prefect) as (prefect_env, start_seconds):
                raw["prefect_server_start_seconds"] = start_seconds
                # The same cold pass over twice the pages (half when the corpus is too small):
                # how peak memory grows with the pages a pass reads (`report.rss_growth`), which
                # one pass's RSS over time cannot tell from one-time costs (lazy imports, tables
                # loaded on first use). Not half: those one-time costs land between a half-size
                # pass and this one, and were read as growth (a 10k-page pass through Prefect was
                # projected at 591 MB from 500 -> 1,000 pages, measured at 457 MB).
                other = 2 * n if 2 * n + FOLLOW_UP_NEW <= o.corpus_articles else n // 2
                server.publish(other, 1)
                raw["cold_direct_other"] = bench.measured(
                    bench.config("direct-other"), "direct", "cold-direct-other"
                )
                raw["cold_direct_other"]["pages"] = other
                if o.prefect:
                    raw["cold_prefect_other"] = bench.measured(
                        bench.config("prefect-other"), "prefect", "cold-prefect-other",
                        env=prefect_env,
                    )  # fmt: skip
                    raw["cold_prefect_other"]["pages"] = other
                server.publish(n, 1)
                direct = bench.config("direct")
                raw["cold_direct"] = bench.measured(direct, "direct", "cold-direct", stages=True)
                raw["cold_direct"]["db_bytes"] = db_bytes(direct.parent / "bw.db")
                raw["cold_direct"]["stored_articles"] = _stored_articles(direct.parent / "bw.db")
                if o.prefect:
                    flow = bench.config("prefect")
                    raw["cold_prefect"] = bench.measured(
                        flow, "prefect", "cold-prefect", env=prefect_env
                    )
                    raw["idle_prefect"] = bench.measured(
                        flow, "prefect", "idle-prefect", env=prefect_env
                    )
                raw["idle_direct"] = bench.measured(direct, "direct", "idle-direct")
            base = _copy_store(direct.parent / "bw.db", tmp / "base" / "bw.db")

            follow_up_new = max(1, min(FOLLOW_UP_NEW, n // 10))
            server.publish(n + follow_up_new, 2)
            raw["follow_up"] = bench.measured(direct, "direct", "follow-up")
            raw["follow_up"]["new_pages"] = follow_up_new

            raw["growth"] = []
            for size in o.growth:
                raw["growth"].append(_grow_and_measure(bench, base, size))
        started = time.perf_counter()
        raw["floors"] = measure_floors(corpus, o.floor_pages, o.seed)
        _say(f"floors: {time.perf_counter() - started:.1f} s")
        raw["gazetteer"] = measure_gazetteer()
    raw["load_after"] = load_average()
    raw["duration_seconds"] = time.perf_counter() - began
    return raw


def _grow_and_measure(bench: Bench, base: Path, size: int) -> dict[str, Any]:
    """Grow a copy of the cold store to ~``size`` articles; time a batch and an idle pass."""
    o = bench.o
    factor = max(1, round(size / o.pass_articles))
    config = bench.config(f"growth-{size}", revisit_hours=0.0)
    db = _copy_store(base, config.parent / "bw.db")
    started = time.perf_counter()
    rows = replicate(db, factor) if factor > 1 else {}
    grown = time.perf_counter() - started
    stored = _stored_articles(db)
    _say(f"growth: store at {stored:,} articles ({grown:.1f} s to grow)")
    bench.server.publish(
        o.pass_articles + o.batch, 1, listing_size=GROWTH_LISTING, render_from=o.pass_articles
    )
    batch = bench.measured(config, "direct", f"batch-{size}", stages=True)
    idle = bench.measured(config, "direct", f"idle-{size}")
    return {
        "target": size,
        "factor": factor,
        "stored_articles": stored,
        "grow_seconds": grown,
        "rows": rows,
        "batch": batch,
        "idle": idle,
        "db_bytes": db_bytes(db),
        "articles_after": _stored_articles(db),
    }


def _say(text: str) -> None:
    print(f"  · {text}", file=sys.stderr, flush=True)


def write(results: dict[str, Any], out: Path) -> Path:
    """Write ``results`` as ``<out>/<time>-<commit>.json`` and ``<out>/latest.json``."""
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    commit = results["machine"]["commit"][:7]
    path = out / f"{stamp}-{commit}.json"
    text = json.dumps(results, indent=2, sort_keys=False, default=str)
    path.write_text(text + "\n", encoding="utf-8")
    (out / "latest.json").write_text(text + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> None:
    options = parse_args(argv)
    _say(
        f"corpus {options.corpus_articles:,} pages, cold passes {options.pass_articles:,}, "
        f"growth {', '.join(f'{g:,}' for g in options.growth)}; a few minutes"
    )
    raw = measure(options)
    results = report.summarise(raw)
    print(report.table(results))
    path = write(results, options.out)
    print(f"\nwritten: {path}")


if __name__ == "__main__":
    main()
