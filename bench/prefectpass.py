"""The Prefect overhead alone: cold and idle passes, direct and through the `monitor` flow.

A quicker loop than `make bench` for work on the flow: the same corpus, server and passes as
`bench.run` steps 1-4, repeated ``--repeat`` times (each repeat on fresh stores), nothing else.
CPU is the pass process's and its page workers' (as in `bench.run`); ``server`` is what the
Prefect server process spent meanwhile, on the same cores; RSS is the pass's peak, its page
workers' included.

    python -m bench.prefectpass                     # 1,000 pages, once
    python -m bench.prefectpass --repeat 3 --profile /tmp/prof
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from bench.corpus import generate
from bench.machine import load_average
from bench.report import _cpu, _rss
from bench.run import Bench, Options, _say, prefect_api
from bench.serve import corpus_server


def _server_cpu() -> float:
    """CPU seconds used so far by this process's `prefect server start` child."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if b"server" in cmdline and b"start" in cmdline and int(stat[1]) == os.getpid():
            total += (int(stat[11]) + int(stat[12])) / ticks
    return total


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pass-articles", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--profile", type=Path, metavar="DIR")
    parser.add_argument("--idle", type=int, default=1, help="idle passes after each cold one")
    parser.add_argument("--no-direct", action="store_true", help="only the Prefect passes")
    args = parser.parse_args(argv)
    o = Options(pass_articles=args.pass_articles, profile=args.profile)
    if o.profile:
        o.profile.mkdir(parents=True, exist_ok=True)
    corpus = generate(o.corpus_articles, o.seed, o.sources)
    rows: list[tuple[str, float, float, float, float, str]] = []
    with tempfile.TemporaryDirectory(prefix="briefwatch-prefectpass-") as scratch:
        tmp = Path(scratch)
        with corpus_server(o.corpus_articles, o.seed, o.sources) as server:
            bench = Bench(o, corpus, server, tmp)
            with prefect_api(tmp, True) as (env, _):
                server.publish(o.pass_articles, 1)
                for i in range(args.repeat):
                    _say(f"load {os.getloadavg()[0]:.2f}")
                    modes = ("prefect",) if args.no_direct else ("direct", "prefect")
                    for mode in modes:
                        config = bench.config(f"{mode}-{i}")
                        for n, kind in enumerate(("cold",) + ("idle",) * args.idle):
                            label = f"{kind}-{mode}-{i}" + (f".{n}" if n > 1 else "")
                            before = _server_cpu()
                            r = bench.measured(config, mode, label, env=env)
                            time.sleep(2)  # the server finishes what the pass sent it
                            c = r["counts"]
                            counts = f"{c['new_stories']}/{c['copies']}/{c['failed_sources']}"
                            spent = _server_cpu() - before
                            rows.append((label, r["wall"], _cpu(r), spent, _rss(r), counts))
                            own, workers = r["cpu"], _cpu(r) - r["cpu"]
                            _say(f"{label}: own CPU {own:.2f} s, page workers {workers:.2f} s")
    head = f"{'pass':<20}{'wall s':>8}{'CPU s':>8}{'server':>8}{'RSS MB':>8}  new/copies/failed"
    print(f"{head}   load {load_average()}")
    for label, wall, cpu, server_cpu, rss, counts in rows:
        print(f"{label:<20}{wall:>8.2f}{cpu:>8.2f}{server_cpu:>8.2f}{rss:>8.0f}  {counts}")
    _say(f"done at {time.strftime('%H:%M:%S')}")


if __name__ == "__main__":
    main()
