"""One pass of the pipeline, stage by stage, as plain functions.

    harvest_source   source -> listing -> candidate URLs -> fetched article pages     (network;
                     in briefwatch.sources.poll, a group's sources at once in sources.group;
                     what it passed over in sources.skips)
    process_harvest  pages -> parsed articles -> dedupe -> claims, stored in batches  (CPU + store;
                     `store_read`, a backfill's way in too; the storing in stories.batch)
    fold_facts       unfolded claims -> facts -> changes -> outbox                    (store;
                     a backfill's old changes recorded, not queued: ``alert_days``)
    send_alerts      outbox -> Apprise -> channels                                     (network)

`drive_pass` strings them together for a whole pass, and is the one loop of a pass: `run_pass`
gives it threads to run the stages on, the `monitor` flow (`flows/monitor.py`) Prefect task
runs. Every stage is idempotent: what it stores is guarded by unique keys, so a pass run
twice, or run again after dying half way, stores nothing twice and sends nothing twice.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Protocol, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from briefwatch import health, lease
from briefwatch.alerts import send as alerts
from briefwatch.clock import as_utc, utcnow
from briefwatch.config import Settings, SourceSettings
from briefwatch.facts import queries as foldquery
from briefwatch.facts import state as facts
from briefwatch.facts.records import ClaimRow, ControlState
from briefwatch.fetch.client import Fetcher
from briefwatch.models import Change, Claim, Fact
from briefwatch.names import config_places, places_map, sides_map
from briefwatch.pages import ahead
from briefwatch.places import Place, gazetteer
from briefwatch.sources.filters import keyword_skip
from briefwatch.sources.group import harvest_group
from briefwatch.sources.poll import Harvest, harvest_source
from briefwatch.sources.skips import TIMED_OUT, Skipped, long_url_skip, record_skip
from briefwatch.store import Store
from briefwatch.stories.batch import BATCH, Incoming, Unstored, store_articles
from briefwatch.stories.prepared import Prepared
from parsers.types import Rejection

# Sources fetched together (by a thread in `run_pass`, by one task run in the `monitor` flow),
# then stored in order, at most FETCH_AHEAD groups fetched ahead of the one being stored: a
# pass holds the pages of that many groups and the one being stored. One ahead: storing is the
# slower half when fetches are quick (a group is ~1,000 pages on 10k-page passes), and every
# group ahead is a group's pages held (3 ahead: ~115 MB more at the peak of a 10k-page pass).
FETCH_GROUP = 10
FETCH_AHEAD = 1
# The whole pass keeps to its deadline (`fetch.pass_deadline`), not only its fetching: storing
# takes no new article STORE_GRACE s past it (what is not read by then is timed-out, queued
# for the next pass), the fold starts and the alerts go out until WRAP_UP s past it (the fold
# waits for the next pass when there is no time left; messages not sent by then stay pending,
# sent next pass). The grace lets a pass whose last fetch ran to the deadline still store and
# send what its other sources gave; the rest of the 10 s a pass may overrun by is slack for the
# batch being stored then (`BATCH_TEXT`), the pass log and the Prefect artifact.
STORE_GRACE = 3.0
WRAP_UP = 8.0
# A batch is stored once it holds this much text, however few articles: the claims of a text
# not read ahead by the page workers are read as it is stored (~1.5-3 s per 200,000
# characters, the extractor's cap, on this machine under load), so a batch of 20 long articles
# would hold the pass ~30 s past its time. A news page is ~5,000 characters: a batch of those
# is still `BATCH` articles.
BATCH_TEXT = 100_000

log = logging.getLogger(__name__)

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
    store: Store,
    harvest: Harvest,
    source: SourceSettings,
    settings: Settings,
    until: float | None = None,
) -> BatchResult:
    """Parse, dedupe, extract and store every page a harvest fetched; record what was skipped.

    The pages are read (`briefwatch.pages.ahead.prepared`: a large harvest on the worker
    processes) and stored by `store_read`. ``until`` (a `time.time()`): what is not read by
    then is recorded as timed-out, queued for the next pass.
    """
    reading = _reading(store, source, settings)
    # Pages, then full-text feed entries; a large batch is parsed (and its claims read) on the
    # worker processes meanwhile, with the places known now (`briefwatch.pages.ahead`).
    read = ahead.prepared(harvest, reading, until=until)
    return store_read(
        store, source, settings, read, reading.places,
        skipped=harvest.skipped, attempts=harvest.attempts,
    )  # fmt: skip


def _reading(
    store: Store,
    source: SourceSettings,
    settings: Settings,
    places: Mapping[str, str] | None = None,
) -> ahead.Reading:
    """How ``source``'s pages are read, with the place names known now (or ``places``)."""
    places = places_map(settings, store) if places is None else places
    countries = tuple(settings.countries)
    return ahead.Reading(source.parser, places, store.dialect, sides_map(settings), countries)


def store_read(
    store: Store,
    source: SourceSettings,
    settings: Settings,
    read: Iterable[tuple[str, Prepared]],
    places: Mapping[str, str] | None = None,
    *,
    skipped: Sequence[Skipped] = (),
    attempts: Mapping[str, int] | None = None,
) -> BatchResult:
    """Store what was read of one source's pages, each with the URL it was fetched from: the
    one way in to the store for a pass's pages (`process_harvest`) and a backfill's.

    A page is kept out by its parser's rejection, the source's include / exclude words, or a
    URL too long; the rest are deduped and stored with their claims in batches of
    `stories.batch.BATCH` articles (or `BATCH_TEXT` characters), one transaction each
    (`briefwatch.stories.batch`). What was kept out, and what the store refused, is recorded
    in the skip ledger with ``skipped`` (what the fetching passed over already); ``attempts``:
    the passes each page from the retry queue was tried in (`Harvest.attempts`).
    ``places``: the place names the pages were read with (default: those known now).
    """
    result = BatchResult(source=source.name, skipped=list(skipped))
    places = places_map(settings, store) if places is None else places
    sides, countries = sides_map(settings), settings.countries

    def places_for(session: Session) -> dict[str, str]:
        return store.place_aliases(session) | config_places(settings)

    batch: list[Incoming] = []
    held = 0  # characters of text in the batch

    def flush() -> None:
        nonlocal places
        stored = store_articles(store, source.name, batch, places, sides, places_for, countries)
        places = stored.places
        result.claims += stored.claims
        result.cut += stored.cut
        for item, verdict in zip(batch, stored.verdicts, strict=True):
            if isinstance(verdict, Unstored):  # the store refused this one article alone
                result.skipped.append(Skipped(item.url, verdict.reason, verdict.detail))
            elif verdict == "duplicate":
                result.duplicates += 1
            else:
                VERDICT_LISTS[verdict](result).append(item.parsed.title)
        batch.clear()

    for url, prepared in read:
        parsed = prepared.parsed
        if isinstance(parsed, Rejection):
            result.skipped.append(Skipped(url, parsed.reason, parsed.detail))
            continue
        filtered = keyword_skip(source, url, parsed)  # the source's include / exclude words
        if filtered is not None:
            result.skipped.append(filtered)
            continue
        incoming = Incoming(url, parsed, prepared)
        # Checked again here: a redirect or the page's rel=canonical may name a longer URL.
        too_long = long_url_skip(incoming.canonical)
        if too_long is not None:
            result.skipped.append(too_long)
            continue
        batch.append(incoming)
        held += sum(map(len, parsed.paragraphs))
        if len(batch) >= BATCH or held >= BATCH_TEXT:
            flush()
            held = 0
    if batch:
        flush()
    if result.skipped:
        with store.session() as session:
            for skip in result.skipped:
                record_skip(session, store, source.name, skip, attempts or {})
    return result


def process_harvests(
    store: Store,
    harvests: Sequence[tuple[SourceSettings, Harvest]],
    settings: Settings,
    until: float | None = None,
) -> list[BatchResult]:
    """`process_harvest` for each harvest in order (what is not read by ``until`` left for the
    next pass), every harvest's pages handed to the page workers first: they parse the next
    sources' pages while this process stores one's."""
    places = places_map(settings, store)
    for source, harvest in harvests:
        ahead.prepare_ahead(harvest, _reading(store, source, settings, places))
    return [
        process_harvest(store, harvest, source, settings, until) for source, harvest in harvests
    ]


VERDICT_LISTS: dict[str, Callable[[BatchResult], list[str]]] = {
    "new-story": lambda r: r.new_stories,
    "copy": lambda r: r.copies,
    "revision": lambda r: r.revisions,
}


# -- fold ------------------------------------------------------------------------------------

# Another worker folding the same facts at the same moment makes a fold's transaction fail on a
# unique key; folded again at once it reads what that worker stored. Not a retry ledger: nothing
# waits for a later pass (a fold that still fails is the pass's error).
FOLD_TRIES = 3
# A backfill's change is alerted when its newest new evidence is at most this old (days).
DEFAULT_ALERT_DAYS = 2.0


@dataclass
class Folded:
    """The changes a fold recorded: queued for the channels (`alerted`), or recorded quietly
    (`quiet`: a backfill's old news, see `fold_facts`)."""

    alerted: list[Change] = field(default_factory=list)
    quiet: list[Change] = field(default_factory=list)

    @property
    def changes(self) -> list[Change]:
        """Every change recorded, the alerted ones first (each in the order the fold met it)."""
        return [*self.alerted, *self.quiet]


@dataclass(frozen=True)
class Waiting:
    """A claim not yet folded: which fact it is about and when its outlet published it."""

    fact_key: str
    published: datetime | None


def fold_facts(store: Store, settings: Settings, *, alert_days: float | None = None) -> Folded:
    """Fold every claim not yet folded into its fact; record a change for each fact that moved.

    One transaction: facts, changes, outbox rows and the claims' `folded` mark land together,
    so a pass that dies here is simply folded again next time (and a backfill that dies half
    way loses no alert). One change per fact per fold.

    Every change is queued for the channels, unless ``alert_days`` is given (a backfill): then
    a change is queued only when its newest new evidence was published within ``alert_days``
    of now, and the others are recorded quietly. Last year's capture of a town pages no one; a
    story of yesterday that the monitor missed still does. "New evidence" is the change's
    evidence claims that were waiting to be folded (those that moved it), each dated by when
    its outlet published it (a revision: when it was revised); when none of them is among the
    change's evidence, every waiting claim of the fact; when one has no date, the change is
    alerted: better an alert than a change nobody hears of.
    """
    sides = sides_map(settings)
    for attempt in range(FOLD_TRIES):
        try:
            return _fold_once(store, settings, sides, alert_days)
        except IntegrityError:
            if attempt == FOLD_TRIES - 1:
                raise
    return Folded()


def is_recent(change: Change, waiting: Mapping[int, Waiting], cutoff: datetime) -> bool:
    """Whether ``change``'s newest new evidence was published at ``cutoff`` or later."""
    moved: Sequence[int] = [i for i in change.claim_ids if i in waiting] or [
        i for i, claim in waiting.items() if claim.fact_key == change.fact_key
    ]
    stamps = [waiting[i].published for i in moved]
    if not stamps or any(stamp is None for stamp in stamps):
        return True
    return max(stamp for stamp in stamps if stamp is not None) >= cutoff


def _waiting(session: Session) -> dict[int, Waiting]:
    """The claims not yet folded, by id, with their fact and publication time."""
    query = select(Claim.id, Claim.fact_key, Claim.published).where(col(Claim.folded).is_(False))
    return {i: Waiting(key, as_utc(when)) for i, key, when in session.exec(query)}


def _fold_once(
    store: Store,
    settings: Settings,
    sides: Mapping[str, str],
    alert_days: float | None,
) -> Folded:
    changes: list[Change] = []
    gazetteer()  # a control fact names its place: opened (or built) before the transaction
    with store.session() as session:
        moved = store.unfolded_claims(session)  # fact key -> ids of the claims folded now
        if not moved:
            return Folded()
        waiting = _waiting(session) if alert_days is not None else {}
        # Not every claim of these facts: the ones a fold reads (foldquery), so a running toll
        # with ten thousand claims folds as fast as one with ten.
        grouped = foldquery.needed_claims(session, moved)
        existing = {f.key: f for f in store.facts_for(session, list(grouped))}
        # Which outlet printed each claim: independent reports are counted per outlet.
        outlets = foldquery.outlets_of(session, (c for g in grouped.values() for c in g))
        now = utcnow()
        unfolded: set[str] = set()  # facts whose claims could not be folded: tried next pass
        for key, group in grouped.items():
            confirming = foldquery.confirming(session, key, group, sides)
            try:
                state = facts.fold_state(key, group, sides, outlets, confirming)
                if isinstance(state, ControlState):
                    _add_place(state, group)
                fact = existing.get(key)
                if fact is None:
                    first = group[0]
                    label = facts.fact_label(key, first.kind, first.data)
                    fact = Fact(key=key, kind=first.kind, label=label, state={}, version=0)
                old = fact.state or None
                moved_now = facts.is_change(key, old, state)
                title = facts.headline(key, fact.label, state) if moved_now else ""
                evidence = facts.evidence_claim_ids(state, moved.get(key, [])) if moved_now else []
                stored = state.to_json()
            except Exception as exc:  # pure code on one fact's claims: that fact, not the pass
                log.warning("fact %s not folded (its claims wait): %s: %s",
                            key, type(exc).__name__, str(exc)[:300])  # fmt: skip
                unfolded.add(key)
                continue
            if moved_now:
                fact.version += 1
                change = Change(
                    key=f"{key}#{fact.version}",
                    fact_key=key,
                    kind=fact.kind,
                    version=fact.version,
                    title=title,
                    old_state=old,
                    new_state=stored,
                    claim_ids=evidence,
                    created_at=now,
                )
                session.add(change)
                changes.append(change)
            fact.state, fact.updated_at = stored, now
            session.add(fact)
        session.flush()
        folded = Folded()
        cutoff = now - timedelta(days=alert_days or 0)
        for change in changes:
            recent = alert_days is None or is_recent(change, waiting, cutoff)
            (folded.alerted if recent else folded.quiet).append(change)
        alerts.queue(session, store, folded.alerted, settings.channels)
        store.mark_folded(
            session, [i for key, ids in moved.items() if key not in unfolded for i in ids]
        )
    return folded


def _add_place(state: ControlState, claims: Sequence[ClaimRow]) -> None:
    """The place a control fact is about, by the id its claims name, in its state (a claim
    read before the gazetteer names none: the place is added once a later claim does)."""
    geonameid = facts.place_id_of(claims)
    place = gazetteer().by_id(geonameid) if geonameid is not None else None
    if isinstance(place, Place):
        state.place = facts.place_state(place)


# -- what a pass did ------------------------------------------------------------


@dataclass
class PassSummary:
    """What one pass did, for the CLI, the Prefect artifact and the pass log."""

    started_at: datetime
    sources: int = 0
    failed_sources: list[str] = field(default_factory=list)  # "name: reason: detail"
    # Sources the pass's time left unread or half read: "name: timed-out: detail"
    timed_out: list[str] = field(default_factory=list)
    batches: list[BatchResult] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # change titles
    alerts: alerts.DeliveryReport = field(default_factory=alerts.DeliveryReport)
    health: health.HealthReport = field(default_factory=health.HealthReport)

    def counts(self) -> dict[str, int]:
        return {
            "sources": self.sources,
            "failed_sources": len(self.failed_sources),
            "timed_out_sources": len(self.timed_out),
            "new_stories": sum(len(b.new_stories) for b in self.batches),
            "copies": sum(len(b.copies) for b in self.batches),
            "revisions": sum(len(b.revisions) for b in self.batches),
            "claims": sum(b.claims for b in self.batches),
            "skipped": sum(len(b.skipped) for b in self.batches),
            "read_in_part": sum(len(b.cut) for b in self.batches),
            "changes": len(self.changes),
            "alerts_sent": len(self.alerts.sent),
            "alerts_failed": len(self.alerts.failed),
            "alerts_unknown": len(self.alerts.unknown),
        }

    def to_json(self) -> dict:
        return {
            "started_at": self.started_at.isoformat(),
            "counts": self.counts(),
            "failed_sources": self.failed_sources,
            "timed_out": self.timed_out,
            "new_stories": [t for b in self.batches for t in b.new_stories],
            "skipped": [asdict(s) for b in self.batches for s in b.skipped],
            "read_in_part": [c for b in self.batches for c in b.cut],
            "changes": self.changes,
            "alerts_sent": self.alerts.sent,
            "alerts_failed": self.alerts.failed,
            "alerts_unknown": self.alerts.unknown,
            "alerts_held": self.alerts.held,
            "health": self.health.to_json(),
        }


def describe_failure(harvest: Harvest) -> str:
    assert harvest.failure is not None
    return f"{harvest.source}: {harvest.failure.reason}: {harvest.failure.detail}"


def pass_ends(settings: Settings) -> float:
    """When a pass starting now must be done fetching (a `time.time()`: task runs on other
    threads or processes compare it with their own clock)."""
    return time.time() + settings.fetch.pass_deadline


def worth_retrying(harvest: Harvest, settings: Settings, until: float) -> bool:
    """Whether a source is fetched again in this pass: its listing failed with an error a moment
    may cure (a 503, a refused connection), not a timeout (the request had its whole deadline:
    trying again would double what the source costs the pass) unless its group gave up on it
    early (`harvest_group`), and the retry can start before the pass's time is up."""
    failure = harvest.failure
    if failure is None or not harvest.retryable:
        return False
    if failure.reason == "timeout" and not harvest.abandoned:
        return False
    return time.time() + settings.fetch.pass_retry_delay < until


def _timed_out(harvest: Harvest) -> str | None:
    """The pass log's line for a source its time did not cover, or ``None`` when it did."""
    if harvest.timed_out is not None:
        return f"{harvest.source}: {harvest.timed_out}"
    left = sum(1 for s in harvest.skipped if s.reason == TIMED_OUT)
    if left:
        return f"{harvest.source}: {TIMED_OUT}: {left} articles left for the next pass"
    return None


# -- a whole pass: one driver, run directly or as Prefect task runs ---------------------------


class Pending(Protocol[R]):
    """A stage started elsewhere (a thread's future, a Prefect task run's future)."""

    def result(self) -> R: ...


class PassRunning(Exception):
    """Another pass holds the store's pass lease (`briefwatch.lease`): this one does nothing.
    The message says who holds it and until when."""


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

    # A group's harvests, and a source again (`retry_source`), each with when the pass's
    # fetching must be over (`pass_ends`).
    fetch: Callable[[list[SourceSettings], float], Pending[list[Harvest]]]
    refetch: Callable[[SourceSettings, float], Pending[Harvest]]
    # A group's harvests stored, what is not read by the time given left for the next pass.
    process: Callable[[list[tuple[SourceSettings, Harvest]], float], list[BatchResult]]
    fold: Callable[[], Folded]
    send: Callable[[float], alerts.DeliveryReport]  # what is due, until the time given
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
    the others. Then the sources' health (`briefwatch.health`), the fold, the alerts, and the
    pass log.

    The fetching is over `fetch.pass_deadline` seconds after the start (`pass_ends`): what is
    left then is recorded as timed-out and read next pass, and the pass goes on to store, fold
    and alert what it read, within `STORE_GRACE` and `WRAP_UP` seconds more: pages not read by
    then are timed-out too, claims not folded are folded next pass, alerts not sent stay in
    the outbox for the next pass.

    One pass at a time per store and set of sources: the pass holds its lease
    (`briefwatch.lease.pass_lease`) throughout, and raises `PassRunning` without doing anything
    when another pass holds it.
    """
    with lease.holding(store, lease.pass_lease(only)) as held:
        if isinstance(held, lease.Held):
            raise PassRunning(str(held))
        return _drive(settings, store, stages, only)


def _drive(settings: Settings, store: Store, stages: Stages, only: Sequence[str]) -> PassSummary:
    summary = PassSummary(started_at=utcnow())
    until = pass_ends(settings)
    chosen = [s for s in settings.sources if not only or s.name in only]
    summary.sources = len(chosen)
    again = settings.fetch.pass_retries > 0

    def retried(harvest: Harvest) -> bool:
        return again and worth_retrying(harvest, settings, until)

    retries: list[tuple[list[SourceSettings], Pending[Harvest]]] = []
    fetch = partial(_call_with, stages.fetch, until)

    def process(harvests: list[tuple[SourceSettings, Harvest]]) -> list[BatchResult]:
        return stages.process(harvests, until + STORE_GRACE)

    for group, pending in submitted_ahead(source_groups(chosen), fetch):
        harvests = _harvested(group, pending, summary, stages, retried)
        retrying = [s for s, h in harvests if retried(h)]
        retries += [([source], stages.refetch(source, until)) for source in retrying]
        _store([(s, h) for s, h in harvests if s not in retrying], summary, process, stages)
        stages.released()
    for group, pending in retries:  # started meanwhile, each after its retry delay
        _store(_harvested(group, pending, summary, stages, _never), summary, process, stages)
    # Before the fold, so that a source's health alerts go out with this pass's other alerts.
    seen = health.readings(chosen, summary.failed_sources, summary.batches)
    summary.health = health.assess(store, settings, seen)
    ends = until + WRAP_UP
    if time.time() < ends:
        summary.changes = [c.title for c in stages.fold().changes]
    else:  # the claims stay unfolded: the next pass folds them, and sends their alerts
        summary.timed_out.append(f"fold: {TIMED_OUT}: {FOLD_LEFT}")
    summary.alerts = stages.send(ends)
    store.record_pass(summary.started_at, summary.to_json())
    return summary


FOLD_LEFT = "the pass's time ran out before its claims were folded; the next pass folds them"


def _call_with(
    submit: Callable[[list[SourceSettings], float], Pending[list[Harvest]]],
    until: float,
    group: list[SourceSettings],
) -> Pending[list[Harvest]]:
    return submit(group, until)


def _never(_: Harvest) -> bool:
    return False


def _harvested(
    sources: list[SourceSettings],
    pending: Pending[list[Harvest]] | Pending[Harvest],
    summary: PassSummary,
    stages: Stages,
    retried: Callable[[Harvest], bool],
) -> list[tuple[SourceSettings, Harvest]]:
    """The harvests of a finished fetch, its failures recorded in ``summary`` (except those
    ``retried`` says are fetched again), and what its time did not cover."""
    failures: list[str] = []
    try:
        result = pending.result()
    except SourceUnavailable as still:
        failures, result = [str(still)], []
    except Exception as exc:  # the fetch itself died: every source in it failed, the pass goes on
        failures, result = [f"{s.name}: {type(exc).__name__}: {exc}" for s in sources], []
    harvests = result if isinstance(result, list) else [result]
    failures += [describe_failure(h) for h in harvests if h.failure and not retried(h)]
    for line in failures:
        summary.failed_sources.append(line)
        stages.failed(line)
    summary.timed_out += [line for h in harvests if (line := _timed_out(h)) is not None]
    return list(zip(sources, harvests, strict=True)) if harvests else []


def _store(
    harvests: list[tuple[SourceSettings, Harvest]],
    summary: PassSummary,
    process: Callable[[list[tuple[SourceSettings, Harvest]]], list[BatchResult]],
    stages: Stages,
) -> None:
    """The harvests with something in them stored in one go (``process``); every source
    recorded, and what the pass's time did not cover."""
    # Emptiness is read before storing, which lets go of a harvest's pages as it goes.
    empty = [h.empty for _, h in harvests]  # nothing fetched: nothing to hand over
    full = [sh for sh, nothing in zip(harvests, empty, strict=True) if not nothing]
    batches = iter(process(full) if full else [])
    for (source, _), nothing in zip(harvests, empty, strict=True):
        batch = BatchResult(source=source.name) if nothing else next(batches)
        summary.batches.append(batch)
        if not nothing:
            stages.stored(batch)
            left = sum(1 for s in batch.skipped if s.detail == ahead.LEFT)
            if left:  # fetched in time, not read in time: queued like pages not fetched
                summary.timed_out.append(
                    f"{source.name}: {TIMED_OUT}: {left} articles fetched but not read in the "
                    "pass's time, left for the next pass"
                )


def retry_source(
    store: Store, fetcher: Fetcher, source: SourceSettings, settings: Settings, until: float
) -> Harvest:
    """A source its group could not reach, again: `fetch.pass_retries` tries at most, each
    `fetch.pass_retry_delay` seconds after the last, while the pass has time (``until``) and
    the failure is `worth_retrying`; `SourceUnavailable` if it still fails."""
    harvest: Harvest | None = None
    for _ in range(settings.fetch.pass_retries):
        time.sleep(settings.fetch.pass_retry_delay)
        harvest = harvest_source(store, fetcher, source, settings, until)
        if not worth_retrying(harvest, settings, until):
            break
    assert harvest is not None, "retried only when fetch.pass_retries > 0"
    if harvest.failure and harvest.retryable:
        raise SourceUnavailable(describe_failure(harvest))
    return harvest


def run_pass(
    settings: Settings, store: Store, fetcher: Fetcher, only: Sequence[str] = ()
) -> PassSummary:
    """One full pass (`drive_pass`), called directly (no Prefect): the next group fetched on a
    thread (its sources on threads of their own: `harvest_group`) while this one is stored, a
    source worth retrying fetched again on a thread of its own (with a fetcher of its own:
    ``fetcher`` serves the fetch threads)."""

    def fetch(group: Sequence[SourceSettings], until: float) -> list[Harvest]:
        return harvest_group(store, fetcher, group, settings, until)

    def refetch(source: SourceSettings, until: float) -> Harvest:
        with Fetcher(settings.fetch) as own:
            return retry_source(store, own, source, settings, until)

    with (
        ThreadPoolExecutor(1, thread_name_prefix="briefwatch-fetch") as fetching,
        ThreadPoolExecutor(4, thread_name_prefix="briefwatch-refetch") as refetching,
    ):
        stages = Stages(
            fetch=partial(fetching.submit, fetch),
            refetch=partial(refetching.submit, refetch),
            process=lambda harvests, until: process_harvests(store, harvests, settings, until),
            fold=lambda: fold_facts(store, settings),
            send=lambda until: alerts.send_pending(
                store, settings.channels, links=settings.web.base_url, until=until
            ),
        )
        return drive_pass(settings, store, stages, only)
