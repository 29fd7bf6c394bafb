"""The floors: what reading a page costs at the least, next to what our parse stage costs.

For a sample of corpus pages (the same number from each outlet build), one at a time:

- lxml floor: ``lxml.html.document_fromstring(body)`` and nothing else;
- trafilatura floor (generic pages only): ``trafilatura.bare_extraction`` on the raw page with
  the options `parsers.generic` uses, i.e. the generic extractor alone, parsing included;
- ours: ``parsers.registry.parse_article`` on a fresh `Page` (its one lxml parse, metadata, the
  site parser or trafilatura, boilerplate cleaning): the per-page work of the parse stage.

Pages are rendered in this process (no HTTP: the fetch is measured in the pass) and each
function runs once per page, after one warm-up page per build, so caches stay realistic.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from typing import Any

import lxml.html

from bench.corpus import PARSER_PATH, Corpus, article_url, render_page
from parsers.registry import parse_article
from parsers.types import Page, Rejection

BASE = "http://127.0.0.1:8000"


def _timed(function: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter_ns()
    result = function()
    return (time.perf_counter_ns() - started) / 1e6, result


def _trafilatura(body: bytes, url: str) -> Any:
    import trafilatura

    return trafilatura.bare_extraction(
        body.decode("utf-8"),
        url=url,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        with_metadata=False,
    )


def measure_floors(corpus: Corpus, per_build: int = 250, seed: int = 7) -> dict[str, Any]:
    """Floors and our parse cost per build, on ``per_build`` sampled pages of each build."""
    rng = random.Random(seed)
    by_build: dict[str, list] = {}
    for item in corpus.items:
        by_build.setdefault(item.outlet.build, []).append(item)
    out: dict[str, Any] = {"per_build": {}}
    for build, items in sorted(by_build.items()):
        sample = rng.sample(items, min(per_build, len(items)))
        generic = PARSER_PATH[build] == "generic"
        rows = []
        for n, item in enumerate([sample[0], *sample]):  # the first one warms up, uncounted
            url = article_url(item, BASE)
            body = render_page(item, BASE)
            lxml_ms, _ = _timed(lambda: lxml.html.document_fromstring(body))  # noqa: B023
            ours_ms, parsed = _timed(
                lambda: parse_article(Page(url, body, "text/html", "utf-8"))  # noqa: B023
            )
            traf_ms = _timed(lambda: _trafilatura(body, url))[0] if generic else None  # noqa: B023
            if n and not isinstance(parsed, Rejection):
                rows.append((len(body), lxml_ms, ours_ms, traf_ms))
        out["per_build"][build] = {
            "pages": len(rows),
            "path": "generic (trafilatura)" if generic else "site parser",
            "kb": statistics.mean(r[0] for r in rows) / 1024,
            "lxml_ms": statistics.mean(r[1] for r in rows),
            "parse_ms": statistics.mean(r[2] for r in rows),
            "trafilatura_ms": statistics.mean(r[3] for r in rows) if generic else None,
        }
    site = [b for b in out["per_build"].values() if b["trafilatura_ms"] is None]
    gen = [b for b in out["per_build"].values() if b["trafilatura_ms"] is not None]
    out["site_parse_ms"] = _weighted(site, "parse_ms")
    out["site_lxml_ms"] = _weighted(site, "lxml_ms")
    out["generic_parse_ms"] = _weighted(gen, "parse_ms")
    out["generic_trafilatura_ms"] = _weighted(gen, "trafilatura_ms")
    out["all_lxml_ms"] = _weighted(list(out["per_build"].values()), "lxml_ms")
    out["floor_ratio"] = out["site_parse_ms"] / out["site_lxml_ms"]
    out["generic_ratio"] = out["generic_parse_ms"] / out["generic_trafilatura_ms"]
    return out


def _weighted(builds: list[dict[str, Any]], key: str) -> float:
    pages = sum(b["pages"] for b in builds)
    return sum(b[key] * b["pages"] for b in builds) / max(pages, 1)
