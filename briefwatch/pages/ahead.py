"""A harvest's pages handed to the page workers ahead of the store, taken back in page order.

A pass hands each group's harvests to the worker processes (`pool`) before it stores the first
of them (`prepare_ahead`), so the workers read the next sources' pages while this process
stores one's; `prepared` then gives every article of a harvest, prepared (`read`), in order.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from briefwatch.pages import pool
from briefwatch.pages.read import Job, prepare
from briefwatch.sources.poll import Harvest
from briefwatch.sources.skips import RETRY, RETRY_REJECTIONS, TIMED_OUT
from briefwatch.stories.prepared import Prepared
from parsers.types import Rejection


@dataclass(frozen=True)
class Reading:
    """How a source's pages are read: its parser, and what the claims are read with (the
    store's dialect dates a report: `stories.prepared.report_day`)."""

    parser: str  # the source's parser setting ("auto" or a name)
    places: Mapping[str, str]  # place names the extractor knows (`names.places_map`)
    dialect: str  # the store's ("sqlite", "postgresql")
    sides: Mapping[str, str] = field(default_factory=dict)  # config sides (`names.sides_map`)
    countries: tuple[str, ...] = ()  # the countries watched (`Settings.countries`)


def prepare_ahead(harvest: Harvest, reading: Reading) -> None:
    """Hand the harvest's pages to the worker processes now; `prepared` takes the results.

    A pass calls it for the next sources before storing this one's, so the workers are
    not idle meanwhile. ``reading`` is what `prepared` would be given.
    """
    if harvest.reading is None:
        harvest.reading = _start(harvest, reading)


def prepared(
    harvest: Harvest, reading: Reading, until: float | None = None
) -> Iterator[tuple[str, Prepared]]:
    """Every article of the harvest, prepared (`briefwatch.pages.read`), with the URL it came
    from: fetched pages in order (a page cut short is queued for the next pass), then
    full-text feed entries. Reading consumes the pages.

    ``until`` (a `time.time()`): once it has passed, the articles not prepared yet come back
    as `TIMED_OUT` rejections without being read (queued for the next pass), so that a pass
    whose pages are slow to read still ends on time.

    A batch large enough is prepared on the worker processes (`briefwatch.pages.pool`), which
    also read its claims as ``reading`` says, ahead of the store.
    """
    ready = harvest.reading or _start(harvest, reading)
    harvest.reading = None
    # Handed over and let go of one by one: a page parsed here holds its text and lxml tree
    # (~10x its body), which a pass of thousands of pages cannot keep until the end.
    pages, harvest.pages = deque(harvest.pages), []
    while pages:
        fetched = pages.popleft()
        if until is not None and time.time() >= until:
            close = getattr(ready, "close", None)
            if close is not None:
                close()  # the workers need not prepare the rest
            yield from _left(fetched.url, *(f.url for f in pages))
            yield from _left(*(article.url for article in harvest.articles))
            harvest.parsed_early.clear()
            return
        done = harvest.parsed_early.pop(fetched.url, None)
        item = Prepared(done) if done is not None else next(ready)
        parsed = item.parsed
        if isinstance(parsed, Rejection) and parsed.reason in RETRY_REJECTIONS:
            item = Prepared(Rejection(RETRY, f"{parsed.reason}: {parsed.detail}", parsed.url))
        yield fetched.url, item
    for article in harvest.articles:
        yield article.url, Prepared(article)


LEFT = "the pass's time ran out before this article was read; it is read next pass"


def _left(*urls: str) -> Iterator[tuple[str, Prepared]]:
    """Articles a pass had no time left to read, as `TIMED_OUT` rejections."""
    for url in urls:
        yield url, Prepared(Rejection(TIMED_OUT, LEFT, url))


def _start(harvest: Harvest, reading: Reading) -> Iterator[Prepared]:
    """The pages not parsed yet, handed to the workers (or prepared here when iterated)."""
    jobs = [
        Job(
            f.url,
            f.body,
            f.content_type,
            f.charset,
            reading.parser,
            reading.places,
            reading.dialect,
            reading.sides,
            reading.countries,
        )
        for f in harvest.pages
        if f.url not in harvest.parsed_early  # parsed already, to follow its related links
    ]
    workers = pool.pool_for(len(jobs))
    return workers.results(jobs) if workers else (prepare(j, read_claims=False) for j in jobs)
