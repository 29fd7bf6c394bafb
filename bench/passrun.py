"""One pass in a process of its own, measured: directly (`run_pass`) or through the Prefect flow.

A fresh process per pass keeps the figures apart: peak RSS is this pass's, imports are timed on
their own, and the direct and the Prefect pass start from the same state. The result is one
line on stdout, ``BENCH-RESULT {json}``.

    python -m bench.passrun --config bench.toml --mode direct [--stages] [--profile out.prof]
    python -m bench.passrun --config bench.toml --mode prefect   # PREFECT_API_URL must be set
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import resource
import threading
import time
from typing import Any

MARKER = "BENCH-RESULT "


class RssSampler:
    """Samples this process's resident memory every ``every`` seconds in a daemon thread.

    The slope of RSS over the later part of a pass says whether memory grows with the pages
    processed (results kept until the end) or stays flat, which a single peak cannot tell.
    """

    def __init__(self, every: float = 0.1) -> None:
        self.every = every
        self.samples: list[tuple[float, float]] = []  # (seconds since start, MB)
        self._stop = threading.Event()
        self._page = os.sysconf("SC_PAGE_SIZE")
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _rss_mb(self) -> float:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * self._page / 2**20

    def _run(self) -> None:
        start = time.perf_counter()
        while not self._stop.wait(self.every):
            self.samples.append((time.perf_counter() - start, self._rss_mb()))

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def slope_mb_per_s(self, skip: float = 0.3) -> float:
        """Least-squares slope of RSS over time, leaving out the first ``skip`` of the pass
        (imports and caches warming up)."""
        if not self.samples:
            return 0.0
        end = self.samples[-1][0]
        tail = [(t, m) for t, m in self.samples if t >= skip * end]
        if len(tail) < 3:
            return 0.0
        mean_t = sum(t for t, _ in tail) / len(tail)
        mean_m = sum(m for _, m in tail) / len(tail)
        var = sum((t - mean_t) ** 2 for t, _ in tail)
        return sum((t - mean_t) * (m - mean_m) for t, m in tail) / var if var else 0.0


def _direct(config: str, stages: bool) -> dict[str, Any]:
    from bench.stages import StageClock
    from briefwatch.config import load_config
    from briefwatch.fetch.client import Fetcher
    from briefwatch.pipeline import run_pass
    from briefwatch.store import Store

    clock = StageClock() if stages else None
    if clock:
        clock.install()
    started = time.perf_counter()
    settings = load_config(config)
    store = Store(settings.storage.url)
    with Fetcher(settings.fetch) as fetcher:
        summary = run_pass(settings, store, fetcher)
    store.close()
    out: dict[str, Any] = {"wall": time.perf_counter() - started, "counts": summary.counts()}
    if clock:
        clock.uninstall()
        out["stage_cpu_ns"] = dict(clock.cpu_ns)
        out["stage_wall_ns"] = dict(clock.wall_ns)
        out["stage_calls"] = dict(clock.calls)
        out["stage_missing"] = clock.missing
        out["stage_uncovered"] = clock.uncovered
    return out


def _prefect(config: str) -> dict[str, Any]:
    from flows.monitor import monitor

    started = time.perf_counter()
    result = monitor(config=config)
    return {"wall": time.perf_counter() - started, "counts": result["counts"]}


def _peak_rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _workers() -> dict[str, Any] | None:
    """What the page workers (`briefwatch.pages.pool`) of this pass cost, if it started them: their
    CPU and memory are the pass's too, though not this process's."""
    try:
        from briefwatch.pages import pool as workers
    except ImportError:  # a core without worker processes
        return None
    pool = workers.current()
    return pool.stats() if pool is not None else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--mode", choices=("direct", "prefect"), default="direct")
    parser.add_argument("--stages", action="store_true", help="time each stage (direct only)")
    parser.add_argument("--profile", help="write a cProfile of the pass to this file")
    args = parser.parse_args()

    began = time.perf_counter()
    if args.mode == "prefect":
        import flows.monitor  # noqa: F401  - timed here, not in the pass
    else:
        import briefwatch.pipeline  # noqa: F401
    imports = time.perf_counter() - began

    cpu_before = time.process_time()
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    with RssSampler() as sampler:
        prefect = args.mode == "prefect"
        out = _prefect(args.config) if prefect else _direct(args.config, args.stages)
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
    out["cpu"] = time.process_time() - cpu_before
    out["workers"] = _workers()
    out["imports"] = imports
    # VmHWM, the peak of this process's own memory: ``ru_maxrss`` starts from the size of the
    # process that forked it (the bench runner, corpus and all), which Linux carries over exec.
    out["peak_rss_mb"] = _peak_rss_mb()
    out["peak_rss_mb_rusage"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["rss_slope_mb_per_s"] = sampler.slope_mb_per_s()
    out["rss_end_mb"] = sampler.samples[-1][1] if sampler.samples else None
    print(MARKER + json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
