"""Polling a group of sources at once: a thread each, and no long wait for a straggler.

A pass fetches its sources in groups (`briefwatch.pipeline.FETCH_GROUP`); `harvest_group` polls
one group's sources (`poll.harvest_source`) side by side, so that one slow source costs the
group its own time, not the sum of all, and gives up on the few still reading their listing
once the rest are done (`STRAGGLERS`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from briefwatch.config import Settings, SourceSettings
from briefwatch.fetch.client import Cutoff, Fetcher
from briefwatch.sources.poll import Harvest, harvest_source
from briefwatch.sources.skips import Skipped
from briefwatch.store import Store

# A group is not held up by a few sources whose listings are still not read when the rest are
# done: at most this share of the group (at least one) gets as long again as the group took so
# far (at least STRAGGLER_GRACE s), then is given up on and read again after the others
# (`pipeline.worth_retrying`), with the time the pass has left.
STRAGGLERS = 0.2
STRAGGLER_GRACE = 5.0


def harvest_group(
    store: Store,
    fetcher: Fetcher,
    sources: Sequence[SourceSettings],
    settings: Settings,
    until: float | None = None,
) -> list[Harvest]:
    """Each source's harvest (`harvest_source`), in ``sources``' order, all fetched at once.

    A thread per source, so one slow source costs the group its own time, not the sum of all
    (read one after the other, a slow drip and a stall beside it made one group take minutes).
    Politeness is not the threads' business: per-host pacing and the host cap
    (`briefwatch.fetch.pacing`) hold however many threads ask one host. A harvest that dies of
    a bug fails its source alone. ``until``: when the pass's fetching must be over.

    Nor does the group wait long for a straggler: a source still reading its listing when the
    others are done is given up on after a grace (`STRAGGLERS`), marked `Harvest.abandoned`.
    """
    if len(sources) <= 1:
        return [_harvest_or_failure(store, fetcher, s, settings, until) for s in sources]
    cutoffs = [Cutoff() for _ in sources]
    with ThreadPoolExecutor(len(sources), thread_name_prefix="briefwatch-source") as pool:
        futures = [
            pool.submit(_harvest_or_failure, store, fetcher, source, settings, until, cutoff)
            for source, cutoff in zip(sources, cutoffs, strict=True)
        ]
        _give_up_on_stragglers(futures, cutoffs)
        return [future.result() for future in futures]


def _give_up_on_stragglers(futures: Sequence[Future[Harvest]], cutoffs: Sequence[Cutoff]) -> None:
    """Wait for the group; end the listings of the few still reading theirs once the rest are
    done and the grace has passed."""
    started = time.monotonic()
    most = max(1, int(len(futures) * STRAGGLERS))
    grace_ends: float | None = None
    while True:
        running = [i for i, future in enumerate(futures) if not future.done()]
        if not running:
            return
        listing = [i for i in running if not cutoffs[i].closed]
        if len(listing) == len(running) <= most < len(futures):
            now = time.monotonic()
            if grace_ends is None:
                grace_ends = now + max(STRAGGLER_GRACE, now - started)
            if now >= grace_ends:
                for i in listing:
                    cutoffs[i].end()
                return
        else:
            grace_ends = None
        wait([futures[i] for i in running], timeout=0.2, return_when=FIRST_COMPLETED)


def _harvest_or_failure(
    store: Store,
    fetcher: Fetcher,
    source: SourceSettings,
    settings: Settings,
    until: float | None = None,
    cutoff: Cutoff | None = None,
) -> Harvest:
    try:
        return harvest_source(store, fetcher, source, settings, until, cutoff)
    except Exception as exc:  # a bug in one source's harvest: the group's others go on
        failure = Skipped(source.url, "error", f"{type(exc).__name__}: {exc}")
        return Harvest(source=source.name, failure=failure)
