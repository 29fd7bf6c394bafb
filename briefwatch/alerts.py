"""Changes -> messages -> Apprise, through an outbox.

Every (change, channel) pair is one `Delivery` row, unique in the database, so an alert is queued
once however often a pass runs. Sending is:

    pending/failed ──mark "sending", commit──▶ Apprise notify ──▶ "sent" | "failed" (+ error)

A failed send stays in the outbox with its error and attempt count and is tried again on a later
pass (with backoff) until `MAX_ATTEMPTS`. If the process dies after marking a row "sending" and
before recording the outcome, the row stays "sending": we do not know whether the channel got it,
and we prefer never sending twice, so it is not resent automatically; `briefwatch alerts` shows it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import apprise
from apprise.decorators import notify as apprise_notifier
from sqlmodel import Session, col, select, update

from briefwatch.clock import as_utc, utcnow
from briefwatch.config import ChannelSettings
from briefwatch.facts import headline
from briefwatch.models import Article, Change, Claim, Delivery, Fact
from briefwatch.store import Store

MAX_ATTEMPTS = 8
BASE_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=1)


@apprise_notifier(on="console", name="briefwatch console")
def _console(body: str, title: str, notify_type: str, *args: object, **kwargs: object) -> bool:
    """`console://` prints alerts in the terminal briefwatch runs in."""
    bar = "─" * 72
    print(f"\n{bar}\n🔔 {title}\n{bar}\n{body}\n", file=sys.stdout, flush=True)
    return True


@dataclass(frozen=True)
class Evidence:
    """One claim behind a change, with where it was read."""

    claimed_by: str | None
    sentence: str
    outlet: str
    url: str
    status: str | None = None  # for control claims: what this side says
    side: str | None = None


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    notify_type: str = "info"


@dataclass
class DeliveryReport:
    sent: list[str] = field(default_factory=list)  # "channel: title"
    failed: list[str] = field(default_factory=list)  # "channel: title: error"
    waiting: int = 0  # failed earlier, not yet due again


def render(
    change: Change,
    label: str,
    evidence: Sequence[Evidence],
    copies: Sequence[tuple[str, str]],
) -> Message:
    """The message people read: what changed (old -> new), who claims what, quotes, links."""
    old = headline(change.fact_key, label, change.old_state) if change.old_state else None
    lines = [f"**{label}**", ""]
    lines.append(f"Was: {_after_colon(old)}" if old else "New fact.")
    lines.append(f"Now: {_after_colon(change.title)}")
    if change.new_state.get("status") == "disputed":
        lines.append("The sides' claims conflict: this is disputed, not settled.")
    lines += ["", "Who says what:"]
    for item in evidence:
        who = item.claimed_by or "unattributed"
        stance = f"**{item.side}** ({item.status}) — " if item.side and item.status else ""
        lines.append(f"- {stance}{who}:")
        lines.append(f"  > {item.sentence}")
        lines.append(f"  — [{item.outlet}]({item.url})")
    if copies:
        lines += ["", f"Carried by {len(copies)} outlet{'s' if len(copies) != 1 else ''}:"]
        lines += [f"- [{outlet}]({url})" for outlet, url in copies]
    kind = "warning" if change.kind == "control" else "failure"
    return Message(change.title, "\n".join(lines), kind)


def _after_colon(title: str | None) -> str:
    return (title or "").split(": ", 1)[-1]


def gather_evidence(session: Session, change: Change) -> tuple[list[Evidence], list]:
    """The claims a change rests on, where each was read, and every copy of their stories."""
    claims = {
        c.id: c for c in session.exec(select(Claim).where(col(Claim.id).in_(change.claim_ids)))
    }
    articles = {
        a.id: a
        for a in session.exec(
            select(Article).where(col(Article.id).in_([c.article_id for c in claims.values()]))
        )
    }
    positions = change.new_state.get("positions", {})
    sides = {e.get("claim_id"): (party, e.get("status")) for party, e in positions.items()}
    evidence = []
    for claim_id in change.claim_ids:
        claim = claims.get(claim_id)
        if claim is None:
            continue
        article = articles[claim.article_id]
        party, status = sides.get(claim_id, (None, None))
        evidence.append(
            Evidence(claim.claimed_by, claim.sentence, article.outlet, article.url, status, party)
        )
    story_ids = {c.story_id for c in claims.values()}
    copies = list(
        session.exec(
            select(Article.outlet, Article.url)
            .where(col(Article.story_id).in_(story_ids))
            .order_by(Article.id)
        )
    )
    return evidence, [tuple(row) for row in copies]


def queue(
    session: Session, store: Store, changes: Iterable[Change], channels: Sequence[ChannelSettings]
) -> int:
    """Put each change in the outbox of every channel that wants its kind; return rows added."""
    rows = [
        {
            "change_key": change.key,
            "channel": channel.name,
            "state": "pending",
            "created_at": utcnow(),
        }
        for change in changes
        for channel in channels
        if change.kind in channel.kinds
    ]
    return store.insert_ignore(session, Delivery, rows)


def _due(delivery: Delivery, now: datetime) -> bool:
    if delivery.state == "pending" or delivery.last_attempt_at is None:
        return True
    wait = min(BASE_BACKOFF * 2 ** max(delivery.attempts - 1, 0), MAX_BACKOFF)
    return as_utc(delivery.last_attempt_at) + wait <= now


def _claim(session: Session, delivery: Delivery) -> bool:
    """Mark a delivery "sending" if it is still waiting: one atomic UPDATE, so of several
    workers looking at the same row exactly one wins it (no lock held while sending)."""
    taken = session.exec(
        update(Delivery)
        .where(col(Delivery.id) == delivery.id, col(Delivery.state).in_(("pending", "failed")))
        .values(state="sending", attempts=Delivery.attempts + 1, last_attempt_at=utcnow())
        .returning(Delivery.id)
    ).all()
    return len(taken) == 1


def send_pending(
    store: Store, channels: Sequence[ChannelSettings], *, force: bool = False
) -> DeliveryReport:
    """Send every due delivery in the outbox; record each outcome as it happens."""
    report = DeliveryReport()
    by_name: Mapping[str, ChannelSettings] = {c.name: c for c in channels}
    now = utcnow()
    with store.session() as session:
        query = select(Delivery).where(col(Delivery.state).in_(("pending", "failed")))
        candidates = [
            d for d in session.exec(query.order_by(Delivery.id)) if d.attempts < MAX_ATTEMPTS
        ]
    for delivery in candidates:
        channel = by_name.get(delivery.channel)
        if channel is None:
            continue  # channel removed from the config: keep the row, it is visible in `alerts`
        if not force and not _due(delivery, now):
            report.waiting += 1
            continue
        with store.session() as session:
            if not _claim(session, delivery):
                continue  # another worker took it first
            change = session.exec(select(Change).where(Change.key == delivery.change_key)).one()
            fact = session.exec(select(Fact).where(Fact.key == change.fact_key)).one()
            evidence, copies = gather_evidence(session, change)
        message = render(change, fact.label, evidence, copies)
        ok, error = deliver(channel, message)
        with store.session() as session:
            row = session.get(Delivery, delivery.id)
            row.state = "sent" if ok else "failed"
            row.last_error = None if ok else error
            row.sent_at = utcnow() if ok else None
        if ok:
            report.sent.append(f"{channel.name}: {message.title}")
        else:
            report.failed.append(f"{channel.name}: {message.title}: {error}")
    return report


def deliver(channel: ChannelSettings, message: Message) -> tuple[bool, str | None]:
    """Send one message to one channel; Apprise never raises, so collect its complaints."""
    notifier = apprise.Apprise()
    if not notifier.add(channel.url.get_secret_value()):
        return False, f"channel {channel.name!r} has an invalid Apprise URL"
    complaints: list[str] = []
    result = notifier.notify(
        body=message.body,
        title=message.title,
        notify_type=message.notify_type,
        body_format=apprise.NotifyFormat.MARKDOWN,
        log_callback=lambda entry, _plugin: complaints.append(entry.message),
        log_level=30,  # warnings and errors only
    )
    if bool(result):
        return True, None
    return False, "; ".join(complaints[-3:]) or "the channel did not accept the message"
