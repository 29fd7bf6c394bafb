"""One pass of the pipeline, stage by stage, as plain functions.

    harvest_source   source -> listing -> candidate URLs -> fetched article pages     (network;
                     in briefwatch.sources.poll, with Harvest and Skipped, re-exported here)
    process_harvest  pages -> parsed articles -> dedupe -> claims, stored in batches  (CPU + store;
                     the storing in briefwatch.stories.batch)
    fold_facts       unfolded claims -> facts -> changes -> outbox                    (store)
    send_alerts      outbox -> Apprise -> channels                                     (network)

`drive_pass` strings them together for a whole pass, and is the one loop of a pass: `run_pass`
gives it threads to run the stages on, the `monitor` flow (`flows/monitor.py`) Prefect task
runs. Every stage is idempotent: what it stores is guarded by unique keys, so a pass run
twice, or run again after dying half way, stores nothing twice and sends nothing twice.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import partial
from typing import Protocol, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from briefwatch.alerts import send as alerts
from briefwatch.clock import utcnow
from briefwatch.config import Settings, SourceSettings
from briefwatch.facts import queries as foldquery
from briefwatch.facts import state as facts
from briefwatch.fetch.client import Fetcher
from briefwatch.models import Change, Fact
from briefwatch.names import config_places, places_map, sides_map
from briefwatch.pages import ahead
from briefwatch.places import Place, gazetteer
from briefwatch.sources.poll import Harvest, Skipped, harvest_source, keyword_skip
from briefwatch.store import Store
from briefwatch.stories.batch import BATCH, Incoming, store_articles
from parsers.types import Rejection

# Sources fetched together (by a thread in `run_pass`, by one task run in the `monitor` flow),
# then stored in order, at most FETCH_AHEAD groups fetched ahead of the one being stored: a
# pass holds the pages of that many groups and the one being stored. One ahead: storing is the
# slower half when fetches are quick (a group is ~1,000 pages on 10k-page passes), and every
# group ahead is a group's pages held (3 ahead: ~115 MB more at the peak of a 10k-page pass).
FETCH_GROUP = 10
FETCH_AHEAD = 1

G = TypeVar("G")
F = TypeVar("F")
R = TypeVar("R", covariant=True)


def source_groups(sources: Sequence[SourceSettings]) -> list[list[SourceSettings]]:
    """``sources`` in groups of `FETCH_GROUP`, in order."""
    return [list(sources[i : i + FETCH_GROUP]) for i in range(0, len(sources), FETCH_GROUP)]


def submitted_ahead(
    groups: Iterable[G], submit: Callable[[G], F], ahead: int = FETCH_AHEAD
) -> Iterator[tuple[G, F]]:
    """Each group with what ``submit`` returned for it (a future), in order; ``submit`` is
    called for at most ``ahead`` groups beyond the one the caller has taken, so the next groups
    are fetched while the caller stores one, and no more than that are held."""
    window: deque[tuple[G, F]] = deque()
    for group in groups:
        window.append((group, submit(group)))
        if len(window) > ahead:
            yield window.popleft()
    yield from window


@dataclass
class BatchResult:
    """What processing one source's pages stored."""

    source: str
    new_stories: list[str] = field(default_factory=list)  # titles
    copies: list[str] = field(default_factory=list)
    revisions: list[str] = field(default_factory=list)
    duplicates: int = 0
    claims: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    cut: list[str] = field(default_factory=list)  # articles read in part: "URL: why"


# -- process ---------------------------------------------------------------------------------


def process_harvest(
    store: Store, harvest: Harvest, source: SourceSettings, settings: Settings
) -> BatchResult:
    """Parse, dedupe, extract and store every page a harvest fetched; record what was skipped.

    Stored in batches of `articles.BATCH`, one transaction each (`briefwatch.stories.batch`).
    """
    result = BatchResult(source=harvest.source, skipped=list(harvest.skipped))
    places, sides = places_map(settings, store), sides_map(settings)
    countries = settings.countries

    def places_for(session: Session) -> dict[str, str]:
        return store.place_aliases(session) | config_places(settings)

    batch: list[Incoming] = []

    def flush() -> None:
        nonlocal places
        stored = store_articles(store, source.name, batch, places, sides, places_for, countries)
        places = stored.places
        result.claims += stored.claims
        result.cut += stored.cut
        for item, verdict in zip(batch, stored.verdicts, strict=True):
            if verdict == "duplicate":
                result.duplicates += 1
            else:
                VERDICT_LISTS[verdict](result).append(item.parsed.title)
        batch.clear()

    # Pages, then full-text feed entries; a large batch is parsed (and its claims read) on the
    # worker processes meanwhile, with the places known now (`briefwatch.pages.ahead`).
    reading = ahead.prepared(harvest, source.parser, places, store.dialect, sides, countries)
    for url, prepared in reading:
        parsed = prepared.parsed
        if isinstance(parsed, Rejection):
            result.skipped.append(Skipped(url, parsed.reason, parsed.detail))
            continue
        filtered = keyword_skip(source, url, parsed)  # the source's include / exclude words
        if filtered is not None:
            result.skipped.append(filtered)
            continue
        batch.append(Incoming(url, parsed, prepared))
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    if result.skipped:
        with store.session() as session:
            for skip in result.skipped:
                store.record_skip(session, skip.url, source.name, skip.reason, skip.detail)
    return result


def process_harvests(
    store: Store, harvests: Sequence[tuple[SourceSettings, Harvest]], settings: Settings
) -> list[BatchResult]:
    """`process_harvest` for each harvest in order, every harvest's pages handed to the page
    workers first: they parse the next sources' pages while this process stores one's."""
    places, sides = places_map(settings, store), sides_map(settings)
    for source, harvest in harvests:
        ahead.prepare_ahead(
            harvest, source.parser, places, store.dialect, sides, settings.countries
        )
    return [process_harvest(store, harvest, source, settings) for source, harvest in harvests]


VERDICT_LISTS: dict[str, Callable[[BatchResult], list[str]]] = {
    "new-story": lambda r: r.new_stories,
    "copy": lambda r: r.copies,
    "revision": lambda r: r.revisions,
}


# -- fold ------------------------------------------------------------------------------------


def fold_facts(
    store: Store, settings: Settings, *, alert_if: Callable[[Change], bool] | None = None
) -> list[Change]:
    """Fold every claim not yet folded into its fact; record a change for each fact that moved.

    One transaction: facts, changes, outbox rows and the claims' `folded` mark land together,
    so a pass that dies here is simply folded again next time. One change per fact per pass.
    ``alert_if`` picks the changes that go to the channels (default: all); the others are
    recorded quietly (a backfill's old news: `briefwatch.quietfold`).
    """
    sides = sides_map(settings)
    for attempt in range(3):
        try:
            return _fold_once(store, settings, sides, alert_if)
        except IntegrityError:
            if attempt == 2:  # another worker folded the same facts at the same moment
                raise
    return []


def _fold_once(
    store: Store,
    settings: Settings,
    sides: Mapping[str, str],
    alert_if: Callable[[Change], bool] | None,
) -> list[Change]:
    changes: list[Change] = []
    with store.session() as session:
        moved = store.unfolded_claims(session)  # fact key -> ids of the claims folded now
        if not moved:
            return []
        # Not every claim of these facts: the ones a fold reads (foldquery), so a running toll
        # with ten thousand claims folds as fast as one with ten.
        grouped = foldquery.needed_claims(session, moved)
        existing = {f.key: f for f in store.facts_for(session, list(grouped))}
        # Which outlet printed each claim: independent reports are counted per outlet.
        outlets = foldquery.outlets_of(session, (c for g in grouped.values() for c in g))
        now = utcnow()
        for key, group in grouped.items():
            confirming = foldquery.confirming(session, key, group, sides)
            state = facts.fold(key, group, sides, outlets, confirming)
            if key.startswith("control:") and "positions" in state:
                _add_place(state, group)
            fact = existing.get(key)
            if fact is None:
                first = group[0]
                label = facts.fact_label(key, first.kind, first.data)
                fact = Fact(key=key, kind=first.kind, label=label, state={}, version=0)
            old = fact.state or None
            if facts.is_change(key, old, state):
                fact.version += 1
                change = Change(
                    key=f"{key}#{fact.version}",
                    fact_key=key,
                    kind=fact.kind,
                    version=fact.version,
                    title=facts.headline(key, fact.label, state),
                    old_state=old,
                    new_state=state,
                    claim_ids=facts.evidence_claim_ids(state, moved.get(key, [])),
                    created_at=now,
                )
                session.add(change)
                changes.append(change)
            fact.state, fact.updated_at = state, now
            session.add(fact)
        session.flush()
        alerted = [c for c in changes if alert_if is None or alert_if(c)]
        alerts.queue(session, store, alerted, settings.channels)
        store.mark_folded(session, [i for ids in moved.values() for i in ids])
    return changes


def _add_place(state: facts.State, claims: Sequence[facts.ClaimLike]) -> None:
    """The place a control fact is about, by the id its claims name, in its state (a claim
    read before the gazetteer names none: the place is added once a later claim does)."""
    geonameid = facts.place_id_of(claims)
    place = gazetteer().by_id(geonameid) if geonameid is not None else None
    if isinstance(place, Place):
        state["place"] = facts.place_state(place)


# -- what a pass did ------------------------------------------------------------


@dataclass
class PassSummary:
    """What one pass did, for the CLI, the Prefect artifact and the pass log."""

    started_at: datetime
    sources: int = 0
    failed_sources: list[str] = field(default_factory=list)  # "name: reason: detail"
    batches: list[BatchResult] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # change titles
    alerts: alerts.DeliveryReport = field(default_factory=alerts.DeliveryReport)

    def counts(self) -> dict[str, int]:
        return {
            "sources": self.sources,
            "failed_sources": len(self.failed_sources),
            "new_stories": sum(len(b.new_stories) for b in self.batches),
            "copies": sum(len(b.copies) for b in self.batches),
            "revisions": sum(len(b.revisions) for b in self.batches),
            "claims": sum(b.claims for b in self.batches),
            "skipped": sum(len(b.skipped) for b in self.batches),
            "read_in_part": sum(len(b.cut) for b in self.batches),
            "changes": len(self.changes),
            "alerts_sent": len(self.alerts.sent),
            "alerts_failed": len(self.alerts.failed),
        }

    def to_json(self) -> dict:
        return {
            "started_at": self.started_at.isoformat(),
            "counts": self.counts(),
            "failed_sources": self.failed_sources,
            "new_stories": [t for b in self.batches for t in b.new_stories],
            "skipped": [asdict(s) for b in self.batches for s in b.skipped],
            "read_in_part": [c for b in self.batches for c in b.cut],
            "changes": self.changes,
            "alerts_sent": self.alerts.sent,
            "alerts_failed": self.alerts.failed,
        }


def describe_failure(harvest: Harvest) -> str:
    assert harvest.failure is not None
    return f"{harvest.source}: {harvest.failure.reason}: {harvest.failure.detail}"


# -- a whole pass: one driver, run directly or as Prefect task runs ---------------------------


class Pending(Protocol[R]):
    """A stage started elsewhere (a thread's future, a Prefect task run's future)."""

    def result(self) -> R: ...


class SourceUnavailable(Exception):
    """A source still failing with an error worth retrying once its retries in the pass are
    spent; the message is `describe_failure`'s. Raised (not returned) so that an orchestrator
    retries the task that raises it (flows/monitor)."""


def _nothing(*_: object) -> None:
    return None


@dataclass
class Stages:
    """How a pass runs its stages: directly (`run_pass`: a thread fetches ahead) or as Prefect
    task runs (`flows.monitor`). `drive_pass` decides what runs when; these only run it."""

    fetch: Callable[[list[SourceSettings]], Pending[list[Harvest]]]  # a group's harvests
    refetch: Callable[[SourceSettings], Pending[Harvest]]  # a source again (`retry_source`)
    process: Callable[[list[tuple[SourceSettings, Harvest]]], list[BatchResult]]
    fold: Callable[[], list[Change]]
    send: Callable[[], alerts.DeliveryReport]
    failed: Callable[[str], None] = _nothing  # a source failed ("name: reason: detail")
    stored: Callable[[BatchResult], None] = _nothing  # a source's pages were stored
    released: Callable[[], None] = _nothing  # a group is stored and its pages let go of


def drive_pass(
    settings: Settings, store: Store, stages: Stages, only: Sequence[str] = ()
) -> PassSummary:
    """One full pass over the configured sources (or only those named ``only``).

    Sources in groups of `FETCH_GROUP`, each group fetched (``stages.fetch``) at most
    `FETCH_AHEAD` groups ahead of the one being stored, so a pass holds a few groups' pages, not
    every source's; each group's harvests stored (``stages.process``) in the sources' order as
    soon as it arrives. A source whose listing failed with an error worth retrying is fetched
    again on its own (``stages.refetch``, `fetch.pass_retries` times at most) and stored after
    the others. Then the fold, the alerts, and the pass log.
    """
    summary = PassSummary(started_at=utcnow())
    chosen = [s for s in settings.sources if not only or s.name in only]
    summary.sources = len(chosen)
    again = settings.fetch.pass_retries > 0
    retries: list[tuple[list[SourceSettings], Pending[Harvest]]] = []
    for group, pending in submitted_ahead(source_groups(chosen), stages.fetch):
        harvests = _harvested(group, pending, summary, stages, will_retry=again)
        retrying = [s for s, h in harvests if again and h.failure and h.retryable]
        retries += [([source], stages.refetch(source)) for source in retrying]
        _store([(s, h) for s, h in harvests if s not in retrying], summary, stages)
        stages.released()
    for group, pending in retries:  # started meanwhile, each after its retry delay
        _store(_harvested(group, pending, summary, stages, will_retry=False), summary, stages)
    summary.changes = [c.title for c in stages.fold()]
    summary.alerts = stages.send()
    store.record_pass(summary.started_at, summary.to_json())
    return summary


def _harvested(
    sources: list[SourceSettings],
    pending: Pending[list[Harvest]] | Pending[Harvest],
    summary: PassSummary,
    stages: Stages,
    *,
    will_retry: bool,
) -> list[tuple[SourceSettings, Harvest]]:
    """The harvests of a finished fetch, its failures recorded in ``summary`` (those worth
    retrying only when they will not be retried)."""
    failures: list[str] = []
    try:
        result = pending.result()
    except SourceUnavailable as still:
        failures, result = [str(still)], []
    except Exception as exc:  # the fetch itself died: every source in it failed, the pass goes on
        failures, result = [f"{s.name}: {type(exc).__name__}: {exc}" for s in sources], []
    harvests = result if isinstance(result, list) else [result]
    failures += [
        describe_failure(h) for h in harvests if h.failure and not (will_retry and h.retryable)
    ]
    for line in failures:
        summary.failed_sources.append(line)
        stages.failed(line)
    return list(zip(sources, harvests, strict=True)) if harvests else []


def _store(
    harvests: list[tuple[SourceSettings, Harvest]], summary: PassSummary, stages: Stages
) -> None:
    """The harvests with something in them stored in one go; every source recorded."""
    # Emptiness is read before storing, which lets go of a harvest's pages as it goes.
    empty = [h.empty for _, h in harvests]  # nothing fetched: nothing to hand over
    full = [sh for sh, nothing in zip(harvests, empty, strict=True) if not nothing]
    batches = iter(stages.process(full) if full else [])
    for (source, _), nothing in zip(harvests, empty, strict=True):
        batch = BatchResult(source=source.name) if nothing else next(batches)
        summary.batches.append(batch)
        if not nothing:
            stages.stored(batch)


def retry_source(
    store: Store, fetcher: Fetcher, source: SourceSettings, settings: Settings
) -> Harvest:
    """A source its group could not reach, again: `fetch.pass_retries` tries at most, each
    `fetch.pass_retry_delay` seconds after the last; `SourceUnavailable` if all fail."""
    harvest: Harvest | None = None
    for _ in range(settings.fetch.pass_retries):
        time.sleep(settings.fetch.pass_retry_delay)
        harvest = harvest_source(store, fetcher, source, settings)
        if not (harvest.failure and harvest.retryable):
            return harvest
    assert harvest is not None, "retried only when fetch.pass_retries > 0"
    raise SourceUnavailable(describe_failure(harvest))


def run_pass(
    settings: Settings, store: Store, fetcher: Fetcher, only: Sequence[str] = ()
) -> PassSummary:
    """One full pass (`drive_pass`), called directly (no Prefect): the next group fetched on a
    thread while this one is stored, a source worth retrying fetched again on a thread of its
    own (with a fetcher of its own: ``fetcher`` serves the fetch thread)."""

    def fetch(group: Sequence[SourceSettings]) -> list[Harvest]:
        return [harvest_source(store, fetcher, source, settings) for source in group]

    def refetch(source: SourceSettings) -> Harvest:
        with Fetcher(settings.fetch) as own:
            return retry_source(store, own, source, settings)

    with (
        ThreadPoolExecutor(1, thread_name_prefix="briefwatch-fetch") as fetching,
        ThreadPoolExecutor(4, thread_name_prefix="briefwatch-refetch") as refetching,
    ):
        stages = Stages(
            fetch=partial(fetching.submit, fetch),
            refetch=partial(refetching.submit, refetch),
            process=lambda harvests: process_harvests(store, harvests, settings),
            fold=lambda: fold_facts(store, settings),
            send=lambda: alerts.send_pending(store, settings.channels),
        )
        return drive_pass(settings, store, stages, only)
