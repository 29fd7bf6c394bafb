"""Per-stage CPU and wall time of a pass, by wrapping the core's own functions in place.

Nothing in the core changes: `StageClock.install` replaces module attributes (the names the
pipeline calls at run time) with wrappers that time each call. Time is *exclusive*: while a wrapped
function calls another wrapped one, the clock runs for the inner stage only, so the stages add
up to the pass. CPU is the calling thread's (`time.thread_time_ns`), so it excludes waiting on
the network or the disk; wall includes it. The wrappers cost ~1 µs a call, a few per article.

Stage names and what they cover:

    fetch            harvest_source: the HTTP client, validators, known-URL lookups, source rows
    listing parse    page_kind + parse_listing on feeds and section pages
    parse            parse_article: lxml tree, metadata, the site parser or trafilatura
    dedupe           canonical_url, hashes, signatures, decide, and the story lookups of a batch
    extract          claim_rows / extract: the extractor and turning its claims into rows
    store            store_articles and process_harvest outside the above: inserts, commits
    fold             fold_facts: claims -> facts -> changes -> outbox
    alert rendering  alerts.gather_evidence + alerts.render
    alert delivery   alerts.deliver (Apprise) and the outbox bookkeeping of send_pending
"""

from __future__ import annotations

import importlib
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from functools import wraps
from typing import Any

STAGES = (
    "fetch",
    "listing parse",
    "parse",
    "dedupe",
    "extract",
    "store",
    "fold",
    "alert rendering",
    "alert delivery",
)

# (module, attribute, stage). The function found there is replaced *wherever* it is referenced
# (any loaded module of briefwatch, parsers or flows that imported it), so the clock survives
# the core moving a function to another module. Names missing from this version of the core are
# listed in `StageClock.missing`; their time falls to the stage of their caller.
TARGETS: tuple[tuple[str, str, str], ...] = (
    ("briefwatch.pipeline", "harvest_source", "fetch"),
    ("briefwatch.sources.poll", "harvest_source", "fetch"),
    ("parsers.registry", "page_kind", "listing parse"),
    ("parsers.registry", "parse_listing", "listing parse"),
    ("parsers.registry", "parse_article", "parse"),
    ("briefwatch.stories.dedupe", "canonical_url", "dedupe"),
    ("briefwatch.stories.dedupe", "body_hash", "dedupe"),
    ("briefwatch.stories.dedupe", "decide", "dedupe"),
    ("briefwatch.stories.dedupe", "paragraph_hashes", "dedupe"),
    ("briefwatch.stories.neardup", "signature", "dedupe"),
    ("briefwatch.stories.lookup", "StoryLookup.read_fingerprints", "dedupe"),
    ("briefwatch.stories.lookup", "StoryLookup.read_candidates", "dedupe"),
    ("briefwatch.stories.lookup", "StoryLookup.read_paragraphs", "dedupe"),
    ("briefwatch.stories.lookup", "StoryLookup.near", "dedupe"),
    ("briefwatch.pipeline", "process_harvest", "store"),
    ("briefwatch.pipeline", "store_read", "store"),
    ("briefwatch.stories.batch", "store_articles", "store"),
    ("briefwatch.stories.batch", "claim_rows", "extract"),
    ("briefwatch.extract.pipeline", "extract", "extract"),
    ("briefwatch.pipeline", "fold_facts", "fold"),
    ("briefwatch.alerts.send", "send_pending", "alert delivery"),
    ("briefwatch.alerts.send", "gather_evidence", "alert rendering"),
    ("briefwatch.alerts.send", "render", "alert rendering"),
    ("briefwatch.alerts.messages", "render", "alert rendering"),
    ("briefwatch.alerts.send", "deliver", "alert delivery"),
    ("briefwatch.alerts.channels", "deliver", "alert delivery"),
    ("briefwatch.store", "Store.record_pass", "store"),
)
OUR_PACKAGES = ("briefwatch", "parsers", "flows")


def _lookup(module_name: str, attribute: str) -> tuple[Any, str, Any] | None:
    """(owner, name, object) for ``module:attribute`` (``Class.attr`` allowed), or None."""
    try:
        owner: Any = importlib.import_module(module_name)
    except ImportError:
        return None
    *path, name = attribute.split(".")
    for part in path:
        owner = getattr(owner, part, None)
        if owner is None:
            return None
    found = getattr(owner, name, None)
    return (owner, name, found) if callable(found) else None


class StageClock:
    """Accumulates exclusive CPU and wall nanoseconds per stage, per thread stack."""

    def __init__(self) -> None:
        self.cpu_ns: dict[str, int] = defaultdict(int)
        self.wall_ns: dict[str, int] = defaultdict(int)
        self.calls: dict[str, int] = defaultdict(int)
        self._local = threading.local()
        self._undo: list[tuple[Any, str, Any]] = []
        self.missing: list[str] = []  # targets the core no longer has (renamed or moved)
        self.covered: set[str] = set()  # stages with at least one function wrapped

    def _stack(self) -> list[list[Any]]:
        if not hasattr(self._local, "stack"):
            self._local.stack = []
        return self._local.stack

    def _charge(self, frame: list[Any], cpu: int, wall: int) -> None:
        self.cpu_ns[frame[0]] += cpu - frame[1]
        self.wall_ns[frame[0]] += wall - frame[2]

    def timed(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            stack = self._stack()
            cpu, wall = time.thread_time_ns(), time.perf_counter_ns()
            if stack:  # pause the caller's stage
                self._charge(stack[-1], cpu, wall)
            stack.append([stage, cpu, wall])
            self.calls[stage] += 1
            try:
                return function(*args, **kwargs)
            finally:
                cpu, wall = time.thread_time_ns(), time.perf_counter_ns()
                self._charge(stack.pop(), cpu, wall)
                if stack:  # resume the caller's stage
                    stack[-1][1], stack[-1][2] = cpu, wall

        wrapper.__bench_stage__ = stage  # type: ignore[attr-defined]
        return wrapper

    def install(self) -> None:
        """Wrap every target, in its own module and in every module that imported it."""
        done: set[int] = set()
        for module_name, attribute, stage in TARGETS:
            found = _lookup(module_name, attribute)
            if found is None:
                self.missing.append(f"{module_name}.{attribute}")
                continue
            owner, name, original = found
            self.covered.add(stage)
            if id(original) in done or hasattr(original, "__bench_stage__"):
                continue  # the same function under another name, already wrapped
            done.add(id(original))
            wrapper = self.timed(stage, original)
            if isinstance(owner, type):  # a method: the class is the one place to patch
                self._patch(owner, name, wrapper)
                continue
            for module in list(sys.modules.values()):
                if module is None or not module.__name__.startswith(OUR_PACKAGES):
                    continue
                for key, value in list(vars(module).items()):
                    if value is original:
                        self._patch(module, key, wrapper)

    @property
    def uncovered(self) -> list[str]:
        """Stages this version of the core gave the clock nothing to wrap for."""
        return [stage for stage in STAGES if stage not in self.covered]

    def _patch(self, owner: Any, name: str, wrapper: Any) -> None:
        self._undo.append((owner, name, getattr(owner, name)))
        setattr(owner, name, wrapper)

    def uninstall(self) -> None:
        while self._undo:
            owner, name, original = self._undo.pop()
            setattr(owner, name, original)

    def per_article_ms(self, articles: int) -> dict[str, dict[str, float]]:
        """{stage: {"cpu_ms": .., "wall_ms": ..}} per article, in `STAGES` order."""
        n = max(articles, 1)
        return {
            stage: {
                "cpu_ms": self.cpu_ns.get(stage, 0) / 1e6 / n,
                "wall_ms": self.wall_ns.get(stage, 0) / 1e6 / n,
            }
            for stage in STAGES
        }
