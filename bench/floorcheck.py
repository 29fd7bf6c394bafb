"""The floors alone, steadier: ``python -m bench.floorcheck [--builds moscowtimes] [--repeat 5]``.

Same corpus, sample and functions as `bench.floors` (250 pages per build, seed 7), but each page
is parsed ``--repeat`` times, lxml and ours interleaved, and the fastest time of each is kept:
on a shared machine that drops most of what other work adds, so two versions of the parsers can
be compared within minutes. Ratios only mean something next to the lxml floor of the same run.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

import lxml.html

from bench.corpus import PARSER_PATH, article_url, generate, render_page
from bench.floors import BASE, _trafilatura
from parsers.registry import parse_article
from parsers.types import Page, Rejection


def _fastest(function: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter_ns()
        result = function()
        best = min(best, (time.perf_counter_ns() - started) / 1e6)
    return best, result


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--builds", default="moscowtimes", help="comma-separated, or 'all'")
    args.add_argument("--repeat", type=int, default=5)
    args.add_argument("--pages", type=int, default=250)
    o = args.parse_args()
    builds = set(PARSER_PATH) if o.builds == "all" else set(o.builds.split(","))
    rng = random.Random(7)  # sampled exactly as `bench.floors.measure_floors` samples
    by_build: dict[str, list] = {}
    for item in generate().items:
        by_build.setdefault(item.outlet.build, []).append(item)
    print(f"load {os.getloadavg()}")
    for build, items in sorted(by_build.items()):
        sample = rng.sample(items, min(o.pages, len(items)))
        if build not in builds:
            continue
        generic = PARSER_PATH[build] == "generic"
        rows = []
        for item in sample:
            url, body = article_url(item, BASE), render_page(item, BASE)
            lxml_ms = _fastest(lambda: lxml.html.document_fromstring(body), o.repeat)[0]  # noqa: B023
            ours_ms, parsed = _fastest(
                lambda: parse_article(Page(url, body, "text/html", "utf-8")),  # noqa: B023
                o.repeat,
            )
            traf_ms = _fastest(lambda: _trafilatura(body, url), o.repeat)[0] if generic else 0.0  # noqa: B023
            if not isinstance(parsed, Rejection):
                rows.append((lxml_ms, ours_ms, traf_ms))
        lxml_ms, ours_ms, traf_ms = (statistics.mean(column) for column in zip(*rows, strict=True))
        line = f"{build:12} {len(rows)} pages  lxml {lxml_ms:.3f} ms  ours {ours_ms:.3f} ms"
        line += f"  ratio {ours_ms / lxml_ms:.2f}"
        if generic:
            line += f"  trafilatura {traf_ms:.3f} ms  generic ratio {ours_ms / traf_ms:.3f}"
        print(line, flush=True)
    print(f"load {os.getloadavg()}")


if __name__ == "__main__":
    main()
