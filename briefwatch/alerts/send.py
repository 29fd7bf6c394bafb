"""Changes -> messages -> Apprise, through an outbox: each alert once, never twice.

Every (change, channel) pair is one `Delivery` row, unique in the database, queued in the same
transaction as the change itself (`queue`, called by the fold). `send_pending` then, per channel:
plans what is due (`briefwatch.alerts.timing`: backoff, digest, cooldown, coalescing), and for
each message claims its rows, renders (`briefwatch.alerts.messages`), sends
(`briefwatch.alerts.channels`) and
records the outcome:

    1. claim    one transaction: the message's rows go pending/failed -> "sending" with its
                message id, attempts + 1 and the time; committed before anything is sent
    2. send     Apprise hands the message to the channel
    3. record   one transaction: the rows go "sending" -> "sent", "failed" (with the error: the
                channel refused it or could not be reached), or "unknown" (the channel took the
                message and never answered: `briefwatch.alerts.channels.DELIVERY_TIMEOUT`)

If the process dies:

- before 1 commits: nothing was sent and the rows are still waiting; the next pass sends them,
  once.
- between 1 and 3 (before, during or after step 2, which briefwatch cannot tell apart): the rows
  stay "sending" and are NOT sent again automatically. The channel got the message once or not
  at all: at most once, because briefwatch prefers a missed alert it shows you to a duplicate
  page. `briefwatch alerts` shows such rows as "unknown" once they are 10 minutes old, and
  `briefwatch alerts --resend-unknown` sends them again when you have checked they never came.
- after 3 commits: done; nothing is sent again.

A channel that takes a message and never answers is the same unknown, seen while the process
lives: the rows go "unknown" at once, and are not sent again until `--resend-unknown`.

All rows of one message share these steps, so a digest or a coalesced message is either
recorded as a whole or left "sending" as a whole. A failed send stays "failed" with its error
and is retried with backoff on later passes, `MAX_DELIVERY_TRIES` times, then on `--retry`; a row is
never deleted.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from uuid import uuid4

from briefwatch.alerts import outbox
from briefwatch.alerts import timing as schedule
from briefwatch.alerts.channels import (
    FAILED,
    SENT,
    UNKNOWN,
    deliver_to,
    services,
    unresolved,
)
from briefwatch.alerts.messages import render
from briefwatch.alerts.timing import MAX_DELIVERY_TRIES
from briefwatch.clock import as_utc, utcnow
from briefwatch.config import ChannelSettings
from briefwatch.models import Change, Delivery, DeliveryService
from briefwatch.store import Store

queue = outbox.queue  # the fold puts changes in the outbox inside its own transaction


@dataclass
class DeliveryReport:
    """What one round of sending did, one line per delivery (change, channel)."""

    sent: list[str] = field(default_factory=list)  # "channel: change title"
    failed: list[str] = field(default_factory=list)  # "channel: change title: error"
    # Handed to the channel, no answer: not sent again on its own. "channel: title: why"
    unknown: list[str] = field(default_factory=list)
    waiting: int = 0  # held for a digest, a cooldown or a failed send's backoff
    messages: int = 0  # messages handed to channels (a digest carries many deliveries)
    # Messages left pending for the next pass: the pass's time ran out before they went, or
    # their channel failed a send already in this round. "channel: why (n messages)"
    held: list[str] = field(default_factory=list)


def send_pending(
    store: Store,
    channels: Sequence[ChannelSettings],
    *,
    force: bool = False,
    flush_digests: bool = False,
    now: datetime | None = None,
    links: str | None = None,
    until: float | None = None,
) -> DeliveryReport:
    """Send what is due in every channel's outbox; record each outcome as it happens.

    ``until`` (a `time.time()`, a pass's end): no message is started after it, and none may
    wait on its channel past it (Apprise's timeouts are cut to the time left), so a channel
    that hangs cannot hold a pass. A channel that took a message without answering (its rows
    go "unknown", not resent), or failed a send slowly (`SLOW_FAILURE`: it could not be
    reached in time) is sent nothing more in this round: it would cost its timeout once per
    message. What was not started stays pending, untouched, and goes out in a later round
    exactly once; a message the channel took and did not answer before the time ran out is
    "unknown", one that never reached it a failed send, retried with backoff like any other.

    ``force`` (`briefwatch alerts --retry`) retries failed rows without waiting for their
    backoff, given-up ones too; digests and cooldowns keep their time. ``flush_digests`` sends
    what digest channels hold now, whatever their interval (the daily `digest` flow).
    ``links`` (`web.base_url`): each fact's message links to its page in the web view.
    """
    now = now or utcnow()
    report = DeliveryReport()
    for channel in channels:
        with store.session() as session:
            rows = outbox.waiting(session, channel.name, include_given_up=force)
            if not rows:
                continue
            heard = outbox.last_heard(session, channel.name, {r.fact_key for r in rows})
        problem = unresolved(channel)
        if problem:  # the rows wait, untouched, for a run that can resolve the channel
            report.failed.append(f"{channel.name}: {len(rows)} alerts wait: {problem}")
            continue
        # Set up afresh for each message: one Apprise service object sending message after
        # message throttles itself (mailto:// waits ~5 s between two sends).
        found = services(channel)
        keys = set() if isinstance(found, str) else {t.key for t in found}
        plan = schedule.plan(rows, channel, heard, now, force=force, flush_digest=flush_digests)
        report.waiting += len(plan.holds)
        # Services that did not answer in time, or failed slowly, this round: each would cost
        # its timeout once per message, so they get nothing more until the next pass (their
        # deliveries go "failed" for them alone, and are retried there only).
        resting: set[str] = set()
        for index, send in enumerate(plan.sends):
            left = None if until is None else until - time.time()
            if left is not None and left <= MIN_SEND_TIME:
                why = "the pass's time ran out before they were sent; sent next pass"
                report.held.append(f"{channel.name}: {why} ({len(plan.sends) - index} messages)")
                break
            resting |= _send(store, channel, send, now, report, links, until, resting)
            rest = len(plan.sends) - index - 1
            if rest and keys and keys <= resting:
                why = "the channel did not answer in time; these are sent next pass"
                report.held.append(f"{channel.name}: {why} ({rest} messages)")
                break
    return report


# A message is not started with less time than this left: it would fail on the timeout
# anyway, costing a try and a backoff, where waiting costs nothing.
MIN_SEND_TIME = 0.5
# A failed send that took this long was a channel not answering (Apprise waits 4 s by default
# for an answer), not one refusing (an HTTP 500 or a bad token comes back in milliseconds).
SLOW_FAILURE = 3.0


def _send(
    store: Store,
    channel: ChannelSettings,
    send: schedule.Send,
    now: datetime,
    report: DeliveryReport,
    links: str | None,
    until: float | None,
    resting: set[str],
) -> set[str]:
    """One message sent to each service of its channel that does not have it yet, each outcome
    recorded as it comes; return the services that should rest for the rest of the round
    (no answer, or a slow failure). A message whose rows another worker took first is theirs."""
    message_id = uuid4().hex
    with store.session() as session:  # the claim commits only once the message is worded
        won = set(outbox.claim(session, send.ids, message_id, now))
        groups = [kept for g in send.groups if (kept := [i for i in g if i in won])]
        if not groups:
            return set()  # another worker took them all first
        news = outbox.news(session, groups, links)
    targets = services(channel)
    if isinstance(targets, str):  # the channel has no usable service: nothing can go
        with store.session() as session:
            outbox.record(session, message_id, FAILED, targets)
        report.failed += [f"{channel.name}: {t}: {targets}" for n in news for t in n.headlines]
        return set()
    tired: set[str] = set()
    many = len(targets) > 1
    for service in targets:
        name = f"{channel.name} ({service.label})" if many else channel.name
        left = None if until is None else until - time.time()
        if service.key in resting or (left is not None and left <= MIN_SEND_TIME):
            continue  # not tried: its rows stay "failed" for it (settle), retried next pass
        with store.session() as session:  # committed before the send: a kill leaves "sending"
            needs = set(outbox.claim_service(
                session, store, sorted(won), service.key, service.label, message_id, now
            ))  # fmt: skip
        if not needs:
            continue  # this service has them all already (a retry of another one's failure)
        if needs == won:
            words = news
        else:  # a retry where this service has some of the message already: only the rest
            with store.session() as session:
                words = outbox.news(
                    session, [kept for g in groups if (kept := [i for i in g if i in needs])], links
                )
        message = render(
            words,
            channel=channel.name,
            title_template=channel.title_template,
            body_template=channel.body_template,
        )
        started = time.monotonic()
        state, error = deliver_to(service, message, None if left is None else left)
        with store.session() as session:
            outbox.record_service(session, message_id, service.key, state, error)
        report.messages += 1
        if state == UNKNOWN or (state != SENT and time.monotonic() - started >= SLOW_FAILURE):
            tired.add(service.key)
        for item in words:
            for title in item.headlines:
                if state == SENT:
                    report.sent.append(f"{name}: {title}")
                elif state == UNKNOWN:
                    report.unknown.append(f"{name}: {title}: {error}")
                else:
                    report.failed.append(f"{name}: {title}: {error}")
    with store.session() as session:
        why_not = "not tried: the service did not answer earlier in this pass, or time ran out"
        outbox.settle(session, message_id, [t.key for t in targets], why_not)
    return tired


def resend_unknown(
    store: Store, channels: Sequence[ChannelSettings], links: str | None = None
) -> DeliveryReport:
    """Release rows whose send had an unknown outcome, then send them (and what else is due)."""
    with store.session() as session:
        outbox.release_unknown(session, utcnow())
    return send_pending(store, channels, force=True, links=links)


# -- what `briefwatch alerts` shows ----------------------------------------------------------


@dataclass(frozen=True)
class ServiceEntry:
    """One service of a delivery's channel as people read it: "json #2 sent"."""

    label: str
    status: str  # sent | failed | unknown | sending
    attempts: int
    last_error: str | None
    sent_at: datetime | None


@dataclass(frozen=True)
class Entry:
    """One delivery as people read it: its stored state and what it is waiting for."""

    delivery: Delivery
    change: Change
    importance: str
    status: str  # sent | due | waiting | retrying | given up | sending | unknown | no channel
    detail: str = ""  # why it waits, until when, the last error
    until: datetime | None = None
    services: tuple[ServiceEntry, ...] = ()  # each service it was sent to, and how that went

    @property
    def per_service(self) -> str:
        """ "json #1 sent, json #2 failed": what each service has, for a table cell."""
        return ", ".join(f"{s.label} {s.status}" for s in self.services)


def entries(store: Store, channels: Sequence[ChannelSettings], *, limit: int = 200) -> list[Entry]:
    """The newest deliveries with a status computed the way `send_pending` would decide."""
    now = utcnow()
    holds: dict[int, schedule.Hold] = {}
    by_name = {c.name: c for c in channels}
    with store.session() as session:
        rows = outbox.listing(session, limit)
        for channel in channels:
            waiting = outbox.waiting(session, channel.name)
            heard = outbox.last_heard(session, channel.name, {r.fact_key for r in waiting})
            holds.update({h.id: h for h in schedule.plan(waiting, channel, heard, now).holds})
        per_service = outbox.services_of(session, [d.id for d, _ in rows if d.id is not None])
    out = []
    for delivery, change in rows:
        found = _entry(delivery, change, holds.get(delivery.id), delivery.channel in by_name, now)
        kept = tuple(_service_entry(r, now) for r in per_service.get(delivery.id or 0, []))
        out.append(replace(found, services=kept))
    return out


def _service_entry(row: DeliveryService, now: datetime) -> ServiceEntry:
    status = row.state
    started = as_utc(row.last_attempt_at)
    if status == "sending" and started and now - started > outbox.SENDING_STALE:
        status = "unknown"  # the process stopped while sending to it: not resent on its own
    return ServiceEntry(row.label, status, row.attempts, row.last_error, as_utc(row.sent_at))


def _entry(
    delivery: Delivery, change: Change, hold: schedule.Hold | None, known: bool, now: datetime
) -> Entry:
    level = outbox.change_importance(change)
    error = f"; last error: {delivery.last_error}" if delivery.last_error else ""

    def entry(status: str, detail: str = "", until: datetime | None = None) -> Entry:
        return Entry(delivery, change, level, status, detail, until)

    if delivery.state == "sent":
        return entry("sent")
    if delivery.state == "unknown":
        return entry("unknown", f"{delivery.last_error or 'no answer from the channel'}")
    if delivery.state == "sending":
        started = as_utc(delivery.last_attempt_at)
        if started and now - started > outbox.SENDING_STALE:
            return entry(
                "unknown",
                "the process stopped while sending: not resent (alerts --resend-unknown)",
            )
        return entry("sending")
    if not known:
        return entry("no channel", "its channel is no longer in the config")
    if delivery.state == "failed" and delivery.attempts >= MAX_DELIVERY_TRIES:
        return entry("given up", f"after {delivery.attempts} attempts (alerts --retry){error}")
    if hold is None:
        return entry("due", f"retry now{error}" if delivery.state == "failed" else "")
    when = f"{hold.until:%Y-%m-%d %H:%M} UTC"
    if hold.reason == "backoff":
        return entry("retrying", f"attempt {delivery.attempts + 1} after {when}{error}", hold.until)
    return entry("waiting", f"{hold.reason} until {when}", hold.until)
