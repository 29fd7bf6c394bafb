"""Monitoring the monitor: a source that is failing, silent, or read wrong is news for the ops.

After a pass has stored what its sources gave, `assess` looks at what it saw of each source (a
`Reading`) and keeps three conditions per source:

    failing   its listing could not be read in `health.failures` passes in a row (passes, not
              requests: a pass's own retries of the listing are one failure)
    silent    no new article for longer than its `silent_after` (or `health.silent_after`);
              without either, for longer than `health.silent_factor` times the longest of its
              recent gaps between new articles (learned once it has `LEARN_AFTER` gaps)
    drift     its last `health.drift_pages` article pages all came back rejected or empty
              (`DRIFT_REASONS`) although it has been read fine before: the site changed under
              its parser (a page only JavaScript fills is empty to us); or they all failed in
              our own parser (``parser-error``: an install that lost a library), read before
              or not
    blocked   its last `health.blocked_pages` article pages were refused (401, 403, 429, or a
              host that asked us to wait): a bot wall

A condition that starts opens an episode (`HealthEpisode`, unique key
``health:<source>:<condition>#<n>``); one that ends closes it, and so does taking the source
out of the config (`REMOVED`: "no longer watched"). Each of the two is one `Change`
of kind ``health`` put in the outbox of the channels whose ``kinds`` ask for ``health``, in the
same transaction as the episode row, so it goes out exactly once, with the channels' cooldown
and digest rules like any change: a pass that dies and runs again, or two workers assessing at
once, find the episode already open (or already closed) and add nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any, Protocol

from sqlalchemy import func
from sqlmodel import Session, col, delete, select, update

from briefwatch.alerts import outbox
from briefwatch.clock import as_utc, utcnow
from briefwatch.config import Settings, SourceSettings
from briefwatch.models import Change, HealthEpisode, SourceHealth
from briefwatch.store import Store

CONDITIONS = ("failing", "silent", "drift", "blocked")
# What people read for each condition as it starts, and as it ends.
STARTED = {
    "failing": "failing",
    "silent": "silent",
    "drift": "pages misread (parser drift)",
    "blocked": "pages refused (bot wall)",
}
# Page rejections that say the parser no longer reads the site (not that the page is no news).
DRIFT_REASONS = frozenset(
    {"no-body", "no-title", "empty-page", "parser-error", "unparseable-html", "not-an-article"}
)
# Learning a source's usual silence: each pass that brings it new articles is one arrival
# (passes closer than ARRIVAL_WINDOW are one), kept in its counters; the newest LEARN_FROM gaps
# are read once there are LEARN_AFTER, and a learned silence is never shorter than SILENT_FLOOR
# (a burst of news is no usual pace).
ARRIVAL_WINDOW = timedelta(minutes=1)
LEARN_FROM = 20
LEARN_AFTER = 8
SILENT_FLOOR = timedelta(hours=1)
NOT_READ = frozenset({"not-due"})  # a source skipped this pass was not looked at
# A page the site would not give us: a status that says "not you" or "not now", as the fetcher
# words it in a skip ("http-status: HTTP 403 from host", "host-backoff: ...").
REFUSED = re.compile(r"\bHTTP (?:401|403|429)\b|\bhost-backoff\b")


class PassBatch(Protocol):
    """What a pass stored from one source (`briefwatch.pipeline.BatchResult`)."""

    source: str
    new_stories: list[str]
    copies: list[str]
    revisions: list[str]
    duplicates: int

    @property
    def skipped(self) -> Sequence[Any]: ...  # items with .url, .reason, .detail


@dataclass(frozen=True)
class Reading:
    """What one pass saw of one source."""

    source: str
    attempted: bool  # its listing was asked for in this pass (not skipped as not due)
    failure: str | None = None  # "reason: detail" when its listing could not be read
    pages_read: int = 0  # article pages its parser read (stored, duplicates, filtered out)
    new_articles: int = 0  # articles first stored from it in this pass (new stories, copies)
    bad_pages: tuple[str, ...] = ()  # "reason: detail (url)" of pages rejected as `DRIFT_REASONS`
    refused: tuple[str, ...] = ()  # "reason: detail (url)" of pages the site refused (`REFUSED`)


@dataclass
class HealthReport:
    """What `assess` found: conditions that started or ended in this pass, and all still open."""

    started: list[str] = field(default_factory=list)  # "source: condition: why"
    cleared: list[str] = field(default_factory=list)
    open: list[str] = field(default_factory=list)  # "source: condition since ...: why"

    def to_json(self) -> dict[str, list[str]]:
        return {"started": self.started, "cleared": self.cleared, "open": self.open}


def readings(
    sources: Sequence[SourceSettings], failed: Iterable[str], batches: Iterable[PassBatch]
) -> list[Reading]:
    """A `Reading` per source of a pass, from its failures ("name: reason: detail", as the pass
    summary lists them) and what it stored of each source."""
    failures: dict[str, str] = {}
    for line in failed:
        name, _, why = line.partition(": ")  # source names cannot hold ": "
        failures.setdefault(name, why)
    stored = {b.source: b for b in batches}
    out = []
    for source in sources:
        batch = stored.get(source.name)
        skipped = list(batch.skipped) if batch else []
        looked = source.name in failures or (
            batch is not None and not any(s.reason in NOT_READ for s in skipped)
        )
        read = new = 0
        if batch is not None:
            new = len(batch.new_stories) + len(batch.copies)
            read = len(batch.new_stories) + len(batch.copies) + len(batch.revisions)
            read += batch.duplicates + sum(s.reason == "filtered-out" for s in skipped)
        bad = tuple(
            f"{s.reason}: {s.detail} ({s.url})" for s in skipped if s.reason in DRIFT_REASONS
        )
        refused = tuple(
            f"{s.reason}: {s.detail} ({s.url})"
            for s in skipped
            if REFUSED.search(f"{s.reason}: {s.detail}")
        )
        why = failures.get(source.name)
        out.append(Reading(source.name, looked, why, read, new, bad, refused))
    return out


def assess(
    store: Store, settings: Settings, seen: Sequence[Reading], now: datetime | None = None
) -> HealthReport:
    """Move each source's counters by what this pass saw, start and end episodes, and queue
    their alerts; one transaction. See the module docstring."""
    now = now or utcnow()
    report = HealthReport()
    by_name = {s.name: s for s in settings.sources}
    with store.session() as session:
        rows = _rows(session, store, [r.source for r in seen], now)
        for reading in seen:
            _count(rows[reading.source], reading, now)
            session.add(rows[reading.source])
        episodes = _open_episodes(session, list(rows))
        changes: list[Change] = []
        for name, row in rows.items():
            came = _arrived(row)
            silence = _silent_after(settings, by_name.get(name), came)
            verdicts = _verdicts(settings, row, silence, came[0] if came else None, now)
            for condition, why in verdicts.items():
                episode = episodes.get((name, condition))
                if why and episode is None:
                    change = _start(session, store, name, condition, why, now)
                    if change is not None:
                        changes.append(change)
                        report.started.append(f"{name}: {condition}: {why}")
                elif not why and episode is not None:
                    change = _clear(session, episode, _cleared_why(condition, silence), now)
                    if change is not None:
                        changes.append(change)
                        report.cleared.append(f"{name}: {condition}: {change.new_state['detail']}")
        for episode in _removed_episodes(session, list(by_name)):
            change = _clear(session, episode, REMOVED, now, removed=True)
            if change is not None:
                changes.append(change)
                report.cleared.append(
                    f"{episode.source}: {episode.condition}: {change.new_state['detail']}"
                )
        session.exec(delete(SourceHealth).where(col(SourceHealth.source).not_in(list(by_name))))
        session.flush()
        outbox.queue(session, store, changes, settings.channels)
        report.open = [_open_line(e) for e in _open_episodes(session, list(by_name)).values()]
    return report


# A source taken out of the config is no longer watched: its open episodes end, each with one
# alert saying so (the ops who were told it started are told it is over, and why, instead of
# an alarm left open for ever that no view shows), and its counters go (put back, it starts
# afresh). Judged against the whole config, not the sources a pass was asked to read.
REMOVED = "the source was taken out of the config; it is no longer watched"


def _removed_episodes(session: Session, watched: Sequence[str]) -> list[HealthEpisode]:
    query = select(HealthEpisode).where(
        col(HealthEpisode.cleared_at).is_(None),
        col(HealthEpisode.source).not_in(sorted(set(watched))),
    )
    return list(session.exec(query.order_by(HealthEpisode.source, HealthEpisode.condition)))


# -- the counters ---------------------------------------------------------------------------


def _rows(
    session: Session, store: Store, names: Sequence[str], now: datetime
) -> dict[str, SourceHealth]:
    """The sources' counter rows, those not there yet created (two queries and an insert)."""

    def load() -> dict[str, SourceHealth]:
        query = select(SourceHealth).where(col(SourceHealth.source).in_(sorted(set(names))))
        return {row.source: row for row in session.exec(query)}

    rows = load()
    missing = [
        {"source": n, "watched_since": now, "updated_at": now} for n in names if n not in rows
    ]
    if missing:
        store.insert_ignore(session, SourceHealth, missing)  # or another worker did just now
        rows = load()
    return rows


def _count(row: SourceHealth, reading: Reading, now: datetime) -> None:
    """Move a source's counters by one pass's reading."""
    if reading.new_articles:
        # One arrival per pass (a pass run again within a minute is the same arrival).
        kept = [a for a in _arrived(row) if now - a >= ARRIVAL_WINDOW]
        row.arrivals = [t.isoformat() for t in [now, *kept][: LEARN_FROM + 1]]
    if reading.attempted:
        if reading.failure is None:
            row.failed_passes = 0
        else:
            row.failed_passes += 1
            row.last_failure = reading.failure
    if reading.pages_read:
        # A page read fine ends a run of bad ones (the order within a pass is not kept).
        row.pages_read += reading.pages_read
        row.bad_pages = 0
    elif reading.bad_pages:
        row.bad_pages += len(reading.bad_pages)
        row.last_bad = reading.bad_pages[-1]
    if reading.pages_read or reading.bad_pages:  # the site gave us pages: no wall
        row.blocked_pages = 0
    elif reading.refused:
        row.blocked_pages += len(reading.refused)
        row.last_blocked = reading.refused[-1]
    row.updated_at = now


def _arrived(row: SourceHealth) -> list[datetime]:
    """When passes last brought the source new articles, newest first."""
    return [datetime.fromisoformat(a) for a in row.arrivals]


@dataclass(frozen=True)
class Silence:
    """How long a source may go without a new article, and where that figure comes from."""

    limit: timedelta
    learned_from: timedelta | None = None  # the longest recent gap, when learned

    def words(self, factor: float) -> str:
        if self.learned_from is None:
            return _span(self.limit)
        return (
            f"{_span(self.limit)} ({factor:g} x its longest recent gap, {_span(self.learned_from)})"
        )


def _silent_after(
    settings: Settings, source: SourceSettings | None, arrivals: Sequence[datetime]
) -> Silence | None:
    """The source's own setting, else `health.silent_after`, else learned from its arrivals
    (newest first), else None: silence not watched."""
    if source is not None and source.silent_after is not None:
        return Silence(source.silent_after)
    if settings.health.silent_after is not None:
        return Silence(settings.health.silent_after)
    factor = settings.health.silent_factor
    gaps = _gaps(arrivals)
    if not factor or len(gaps) < LEARN_AFTER:
        return None
    longest = max(gaps[:LEARN_FROM])
    return Silence(max(longest * factor, SILENT_FLOOR), longest)


def _gaps(arrivals: Sequence[datetime]) -> list[timedelta]:
    """The gaps between arrivals (newest first)."""
    return [newer - older for newer, older in pairwise(arrivals)]


def _verdicts(
    settings: Settings,
    row: SourceHealth,
    silence: Silence | None,
    last_new: datetime | None,
    now: datetime,
) -> dict[str, str | None]:
    """Each condition: why it holds now, or None."""
    out: dict[str, str | None] = dict.fromkeys(CONDITIONS)
    if row.failed_passes >= settings.health.failures:
        out["failing"] = (
            f"its listing could not be read in {row.failed_passes} passes in a row; "
            f"the last error: {row.last_failure}"
        )
    if silence is not None:
        since = last_new or as_utc(row.watched_since) or now
        if now - since > silence.limit:
            what = f"since {_when(since)}" if last_new else f"since watching began ({_when(since)})"
            longer = silence.words(settings.health.silent_factor)
            out["silent"] = f"no new article {what}, longer than {longer}"
    ours = (row.last_bad or "").startswith("parser-error")  # our failure: no history needed
    if (row.pages_read or ours) and row.bad_pages >= settings.health.drift_pages:
        out["drift"] = (
            f"its last {row.bad_pages} article pages came back rejected or empty, after "
            f"{row.pages_read} read fine; the last: {row.last_bad}"
        )
    if row.blocked_pages >= settings.health.blocked_pages:
        out["blocked"] = (
            f"the site refused its last {row.blocked_pages} article pages; "
            f"the last: {row.last_blocked}"
        )
    return out


def _cleared_why(condition: str, silence: Silence | None) -> str:
    if condition == "failing":
        return "its listing was read again"
    if condition == "silent":
        return "a new article arrived" if silence is not None else "silence is no longer watched"
    if condition == "blocked":
        return "the site gives its pages again"
    return "its pages are read again"


# -- episodes ---------------------------------------------------------------------------------


def _open_episodes(
    session: Session, sources: Sequence[str]
) -> dict[tuple[str, str], HealthEpisode]:
    query = select(HealthEpisode).where(
        col(HealthEpisode.cleared_at).is_(None),
        col(HealthEpisode.source).in_(sorted(set(sources))),
    )
    found = session.exec(query.order_by(HealthEpisode.source, HealthEpisode.condition)).all()
    return {(e.source, e.condition): e for e in found}


def fact_key(source: str, condition: str) -> str:
    """The key all of one source's episodes of one condition share (their alerts' fact key)."""
    return f"health:{source}:{condition}"


def _start(
    session: Session, store: Store, source: str, condition: str, why: str, now: datetime
) -> Change | None:
    """Open the next episode; None if another worker opened it first."""
    last = session.exec(
        select(func.max(HealthEpisode.episode)).where(
            HealthEpisode.source == source, HealthEpisode.condition == condition
        )
    ).one()
    number = (last or 0) + 1
    key = f"{fact_key(source, condition)}#{number}"
    row = {"key": key, "source": source, "condition": condition, "episode": number,
           "detail": why, "started_at": now}  # fmt: skip
    if store.insert_one(session, HealthEpisode, row) is None:
        return None
    state = {"source": source, "condition": condition, "episode": number, "open": True,
             "since": now.isoformat(), "detail": why}  # fmt: skip
    return _change(session, key, "started", number * 2 - 1, state, None, now)


def _clear(
    session: Session, episode: HealthEpisode, why: str, now: datetime, removed: bool = False
) -> Change | None:
    """Close an open episode (``removed``: its source left the config); None if another worker
    closed it first."""
    won = session.exec(
        update(HealthEpisode)
        .where(col(HealthEpisode.id) == episode.id, col(HealthEpisode.cleared_at).is_(None))
        .values(cleared_at=now, cleared_detail=why)
        .returning(HealthEpisode.id)
    ).all()
    if not won:
        return None
    since = as_utc(episode.started_at) or now
    old = {"source": episode.source, "condition": episode.condition, "episode": episode.episode,
           "open": True, "since": since.isoformat(), "detail": episode.detail}  # fmt: skip
    lasted = f"{STARTED[episode.condition]} since {_when(since)}, for {_span(now - since)}"
    state = {**old, "open": False, "cleared": now.isoformat(), "detail": f"{why} (was {lasted})"}
    step = "removed" if removed else "cleared"
    return _change(session, episode.key, step, episode.episode * 2, state, old, now)


def _change(
    session: Session,
    episode_key: str,
    step: str,
    version: int,
    state: dict[str, Any],
    old: dict[str, Any] | None,
    now: datetime,
) -> Change:
    source, condition = state["source"], state["condition"]
    title = {
        "started": f"Source {source}: {STARTED[condition]}",
        "cleared": f"Source {source}: recovered (was {STARTED[condition]})",
        "removed": f"Source {source}: no longer watched (was {STARTED[condition]})",
    }[step]
    change = Change(
        # One end per episode, however it ended: the key is the same, so it is queued once.
        key=f"{episode_key}/{'started' if step == 'started' else 'cleared'}",
        fact_key=fact_key(source, condition),
        kind="health",
        version=version,
        title=title,
        old_state=old,
        new_state=state,
        claim_ids=[],
        created_at=now,
    )
    session.add(change)
    return change


# -- what `briefwatch sources` and the pass summary show ---------------------------------------


@dataclass(frozen=True)
class Condition:
    condition: str
    since: datetime
    detail: str


@dataclass(frozen=True)
class SourceState:
    """A source's health as people read it: ``ok`` or its open conditions, and since when."""

    state: str  # ok | unwell | unknown (no pass has looked at it yet)
    since: datetime | None
    conditions: tuple[Condition, ...] = ()
    failed_passes: int = 0
    bad_pages: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "since": self.since.isoformat() if self.since else None,
            "conditions": [
                {"condition": c.condition, "since": c.since.isoformat(), "detail": c.detail}
                for c in self.conditions
            ],
            "failed_passes": self.failed_passes,
            "bad_pages": self.bad_pages,
        }

    def line(self) -> str:
        if self.state == "unknown":
            return "not looked at yet"
        if not self.conditions:
            return f"ok since {_when(self.since)}" if self.since else "ok"
        return "; ".join(f"{STARTED[c.condition]} since {_when(c.since)}" for c in self.conditions)


def states(store: Store, names: Sequence[str]) -> dict[str, SourceState]:
    """Each named source's health: its open conditions, or ok since the last one ended (or
    since it was first looked at)."""
    with store.session() as session:
        rows = {
            r.source: r
            for r in session.exec(
                select(SourceHealth).where(col(SourceHealth.source).in_(sorted(set(names))))
            )
        }
        episodes = session.exec(
            select(HealthEpisode).where(col(HealthEpisode.source).in_(sorted(set(names))))
        ).all()
    out = {}
    for name in names:
        row = rows.get(name)
        mine = [e for e in episodes if e.source == name]
        live = tuple(
            Condition(e.condition, as_utc(e.started_at) or utcnow(), e.detail)
            for e in mine
            if e.cleared_at is None
        )
        if row is None and not mine:
            out[name] = SourceState("unknown", None)
            continue
        ended = [when for e in mine if (when := as_utc(e.cleared_at))]
        since = min(c.since for c in live) if live else max(ended, default=None)
        since = since or (as_utc(row.watched_since) if row else None)
        out[name] = SourceState(
            "unwell" if live else "ok",
            since,
            live,
            row.failed_passes if row else 0,
            row.bad_pages if row else 0,
        )
    return out


def _open_line(episode: HealthEpisode) -> str:
    since = as_utc(episode.started_at)
    return f"{episode.source}: {STARTED[episode.condition]} since {_when(since)}: {episode.detail}"


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else "an unknown time"


def _span(delta: timedelta) -> str:
    seconds = max(delta.total_seconds(), 0)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f}".rstrip("0").rstrip(".") + unit
    return f"{seconds:.0f}s"


def open_conditions(store: Store, sources: Sequence[str]) -> list[str]:
    """The open conditions of these sources, as the pass summary lists them."""
    with store.session() as session:
        return [_open_line(e) for e in _open_episodes(session, sources).values()]
