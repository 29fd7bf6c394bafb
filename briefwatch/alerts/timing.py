"""When each waiting delivery goes out, and with which others. Pure: rows and times in, a plan out.

A channel's waiting rows (pending, or failed and not given up) are grouped by fact, and a fact's
rows always travel together: one message per fact, whatever happened while it waited.

- ``mode = "each"``: a fact is due when its earliest row is (a new row at once, a failed one
  after its backoff) and its ``cooldown`` has passed since the channel last heard of that fact
  (changes inside the cooldown wait and go together when it ends). When more than
  ``coalesce_above`` facts are due at once, they go as one message.
- ``mode = "digest"``: everything waiting goes as one message once the oldest row has waited
  ``digest_every`` (a failed digest: once its backoff has passed). The interval is the cooldown.

Nothing here writes: the outbox claims what a plan says to send, and `briefwatch alerts` shows
why the rest waits. Rows are never dropped by planning, only held.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from briefwatch.config import ChannelSettings

# Three retry ledgers give up after a count, each of what it is retried by: a delivery by its
# tries (here), a page a pass could not fetch by passes (`sources.skips.MAX_PASSES`, 50), a
# backfill's URL by runs (`backfill.run.MAX_RUNS_PER_URL`, 5). The counts differ because the
# occasions do: a delivery is tried again after a backoff that doubles from 30 s to an hour, so
# its eighth try comes about an hour after its first; past that a channel is down, not
# flaky, and `briefwatch alerts --retry` sends at once what it gave up on (nothing is dropped).
MAX_DELIVERY_TRIES = 8
BASE_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=1)


@dataclass(frozen=True)
class Row:
    """A waiting delivery, as planning sees it."""

    id: int
    fact_key: str
    state: str  # pending | failed
    attempts: int
    created_at: datetime
    last_attempt_at: datetime | None = None


@dataclass(frozen=True)
class Send:
    """One message to send now: its rows' ids, one tuple per fact."""

    groups: tuple[tuple[int, ...], ...]
    form: str  # each | coalesced | digest

    @property
    def ids(self) -> list[int]:
        return [i for group in self.groups for i in group]


@dataclass(frozen=True)
class Hold:
    """A row that waits, why, and until when."""

    id: int
    reason: str  # digest | cooldown | backoff
    until: datetime


@dataclass
class Plan:
    sends: list[Send] = field(default_factory=list)
    holds: list[Hold] = field(default_factory=list)


def retry_at(row: Row) -> datetime:
    """When a failed row may be tried again: 30 s, 1 min, 2 min, ... at most an hour apart."""
    if row.last_attempt_at is None:
        return row.created_at
    wait = min(BASE_BACKOFF * 2 ** max(row.attempts - 1, 0), MAX_BACKOFF)
    return row.last_attempt_at + wait


def plan(
    rows: Iterable[Row],
    channel: ChannelSettings,
    last_sent: Mapping[str, datetime],
    now: datetime,
    *,
    force: bool = False,
    flush_digest: bool = False,
) -> Plan:
    """What to send to ``channel`` now, and what waits.

    ``last_sent`` is when the channel last got (or was being sent) each fact; ``force`` skips
    the backoff of failed rows (`briefwatch alerts --retry`), never a digest wait or a cooldown;
    ``flush_digest`` sends a digest channel's waiting alerts now (the scheduled `digest` flow).
    """
    groups: dict[str, list[Row]] = {}
    for row in sorted(rows, key=lambda r: r.id):
        groups.setdefault(row.fact_key, []).append(row)
    if channel.mode == "digest":
        every = timedelta(0) if flush_digest else channel.digest_every
        return _digest(groups, every, now, force)
    result, due = Plan(), []
    for fact, group in groups.items():
        ready, reason = min(_ready(row, timedelta(0), now, force) for row in group)
        heard = last_sent.get(fact)
        if channel.cooldown and heard and heard + channel.cooldown > ready:
            ready, reason = heard + channel.cooldown, "cooldown"
        if ready <= now:
            due.append(tuple(row.id for row in group))
        else:
            result.holds += [Hold(row.id, reason, ready) for row in group]
    if channel.coalesce_above and len(due) > channel.coalesce_above:
        result.sends.append(Send(tuple(due), "coalesced"))
    else:
        result.sends += [Send((group,), "each") for group in due]
    return result


def _digest(groups: Mapping[str, list[Row]], every: timedelta, now: datetime, force: bool) -> Plan:
    rows = [row for group in groups.values() for row in group]
    if not rows:
        return Plan()
    ready, reason = min(_ready(row, every, now, force) for row in rows)
    if ready <= now:
        return Plan(sends=[Send(tuple(tuple(r.id for r in g) for g in groups.values()), "digest")])
    return Plan(holds=[Hold(row.id, reason, ready) for row in rows])


def _ready(row: Row, wait: timedelta, now: datetime, force: bool) -> tuple[datetime, str]:
    """When a row alone would be due, and what it waits for: a new row waits ``wait`` (the
    digest interval; none otherwise), a failed one its backoff."""
    if row.state == "failed":
        return (min(row.created_at, now) if force else retry_at(row)), "backoff"
    if not wait:
        return min(row.created_at, now), "new"  # a worker's clock a little behind holds nothing
    return row.created_at + wait, "digest"
