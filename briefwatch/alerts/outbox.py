"""The alert outbox in the database: one `Delivery` row per (change, channel), unique.

    pending ──claim──▶ sending ──record──▶ sent
       ▲                             ├───▶ failed ──(backoff, or --retry)──▶ claim again
       │                             └───▶ unknown (handed over, no answer) ─┐
       └──────────────────(alerts --resend-unknown, by hand)─────────────────┘

`claim` is one conditional UPDATE over the rows of one message, so of several workers exactly
one wins each row, and no lock is held while sending; the rows of one message share its
`message_id` and are claimed and recorded together. Digest and cooldown waits are not states:
a waiting row is pending, and `briefwatch.alerts.timing` works out from the rows and the times of
earlier sends when it is due.

A channel may fan out to several services (several URLs, or an Apprise config file): each
delivery then has a `DeliveryService` row per service it was sent to, unique, with that
service's own outcome. The delivery's state is what its services add up to (`settle`): sent
when every service has it, failed while one failed (a retry goes to that one only), unknown
while one took it without answering (and none failed).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from urllib.parse import quote

from sqlalchemy import func
from sqlmodel import Session, col, select, update

from briefwatch.alerts.importance import health_importance, highest, importance, rank
from briefwatch.alerts.messages import Evidence, FactNews
from briefwatch.alerts.timing import MAX_DELIVERY_TRIES, Row
from briefwatch.clock import as_utc, utcnow
from briefwatch.config import ChannelSettings
from briefwatch.facts.records import AggregateState, ControlState, FactState, state_from_row
from briefwatch.facts.state import headline
from briefwatch.models import Article, Change, Claim, Delivery, DeliveryService, Fact
from briefwatch.store import Store

WAITING = ("pending", "failed")
# A row still "sending" after this long was being sent by a process that stopped: its
# outcome is unknown (see briefwatch.alerts.send), no send takes this long.
SENDING_STALE = timedelta(minutes=10)


def change_importance(change: Change) -> str:
    if change.fact_key.startswith("health:"):  # a source's health: no fact's state
        return health_importance(change.new_state)
    return importance(change.fact_key, old_state(change), new_state(change))


def old_state(change: Change) -> FactState | None:
    """The state a fact's change moved it from, typed (None: the fact is new)."""
    return state_from_row(change.fact_key, change.old_state) if change.old_state else None


def new_state(change: Change) -> FactState:
    """The state a fact's change moved it to, typed."""
    return state_from_row(change.fact_key, change.new_state)


def queue(
    session: Session, store: Store, changes: Iterable[Change], channels: Sequence[ChannelSettings]
) -> int:
    """Put each change in the outbox of every channel that wants its kind and importance, in
    the caller's transaction (the fold's, so facts and their alerts land together); return
    the rows added. A row that exists already is left alone: queued once, whatever happens."""
    rows = []
    now = utcnow()
    for change in changes:
        level = rank(change_importance(change))
        rows += [
            {"change_key": change.key, "channel": channel.name, "state": "pending",
             "created_at": now}
            for channel in channels
            if change.kind in channel.kinds
            # health alerts come in pairs (trouble, its end): a channel gets both or neither
            and (change.kind == "health" or level >= rank(channel.min_importance))
        ]  # fmt: skip
    return store.insert_ignore(session, Delivery, rows)


def waiting(session: Session, channel: str, *, include_given_up: bool = False) -> list[Row]:
    """The channel's rows not yet sent: pending, and failed ones not given up."""
    query = (
        select(Delivery, Change.fact_key)
        .join(Change, col(Change.key) == col(Delivery.change_key))
        .where(Delivery.channel == channel, col(Delivery.state).in_(WAITING))
        .order_by(Delivery.id)
    )
    rows = []
    for delivery, fact_key in session.exec(query):
        if delivery.attempts >= MAX_DELIVERY_TRIES and not include_given_up:
            continue
        rows.append(
            Row(
                id=delivery.id,
                fact_key=fact_key,
                state=delivery.state,
                attempts=delivery.attempts,
                created_at=as_utc(delivery.created_at) or utcnow(),
                last_attempt_at=as_utc(delivery.last_attempt_at),
            )
        )
    return rows


def last_heard(session: Session, channel: str, fact_keys: Iterable[str]) -> dict[str, datetime]:
    """When the channel was last sent news of each fact (a send whose outcome is unknown
    counts: the cooldown is about not paging people twice)."""
    query = (
        select(Change.fact_key, func.max(Delivery.last_attempt_at))
        .join(Change, col(Change.key) == col(Delivery.change_key))
        .where(
            Delivery.channel == channel,
            col(Delivery.state).in_(("sent", "sending", "unknown")),
            col(Change.fact_key).in_(sorted(set(fact_keys))),
        )
        .group_by(Change.fact_key)
    )
    return {key: as_utc(when) for key, when in session.exec(query) if when is not None}


def claim(session: Session, ids: Sequence[int], message_id: str, now: datetime) -> list[int]:
    """Mark the rows of one message "sending", those still waiting; return the ids won.

    One atomic UPDATE: a row another worker claimed first is no longer pending or failed, so
    it is not matched, and not sent twice.
    """
    taken = session.exec(
        update(Delivery)
        .where(col(Delivery.id).in_(ids), col(Delivery.state).in_(WAITING))
        .values(
            state="sending",
            attempts=Delivery.attempts + 1,
            last_attempt_at=now,
            message_id=message_id,
        )
        .returning(Delivery.id)
    ).all()
    return [row[0] for row in taken]


def record(session: Session, message_id: str, state: str, error: str | None) -> None:
    """The outcome of one message, for all its rows at once: sent, failed (tried again after
    its backoff) or unknown (the channel took it and never answered: not sent again unless
    `release_unknown` is asked to)."""
    assert state in ("sent", "failed", "unknown"), state
    ok = state == "sent"
    session.exec(
        update(Delivery)
        .where(col(Delivery.message_id) == message_id, Delivery.state == "sending")
        .values(state=state, last_error=None if ok else error, sent_at=utcnow() if ok else None)
    )


def claim_service(
    session: Session,
    store: Store,
    ids: Sequence[int],
    key: str,
    label: str,
    message_id: str,
    now: datetime,
) -> list[int]:
    """Of the deliveries ``ids`` (claimed by this message), those the service ``key`` still
    needs, marked "sending" to it; the rest it has (sent), may have (unknown, or cut off while
    "sending") and is not sent again. Committed by the caller before the send."""
    rows = [
        {"delivery_id": i, "service": key, "label": label, "state": "sending", "attempts": 1,
         "last_attempt_at": now, "message_id": message_id}
        for i in ids
    ]  # fmt: skip
    store.insert_ignore(session, DeliveryService, rows)  # a first try: its row is new
    session.exec(  # a try after a failure: the row exists and says "failed"
        update(DeliveryService)
        .where(
            col(DeliveryService.delivery_id).in_(ids),
            DeliveryService.service == key,
            DeliveryService.state == "failed",
        )
        .values(
            state="sending",
            attempts=DeliveryService.attempts + 1,
            last_attempt_at=now,
            message_id=message_id,
            label=label,
        )
    )
    claimed = session.exec(
        select(DeliveryService.delivery_id).where(
            col(DeliveryService.delivery_id).in_(ids),
            DeliveryService.service == key,
            DeliveryService.message_id == message_id,
            DeliveryService.state == "sending",
        )
    )
    return sorted(claimed)


def record_service(
    session: Session, message_id: str, key: str, state: str, error: str | None
) -> None:
    """One service's outcome for the rows this message claimed for it."""
    assert state in ("sent", "failed", "unknown"), state
    ok = state == "sent"
    session.exec(
        update(DeliveryService)
        .where(
            DeliveryService.message_id == message_id,
            DeliveryService.service == key,
            DeliveryService.state == "sending",
        )
        .values(state=state, last_error=None if ok else error, sent_at=utcnow() if ok else None)
    )


def settle(session: Session, message_id: str, keys: Sequence[str], why_not: str) -> None:
    """Each delivery of the message takes the state its services add up to, over the services
    its channel has now (``keys``): sent when all have it; failed while one failed or was not
    tried (``why_not``), so that a retry goes there; unknown while one took it unanswered."""
    deliveries = session.exec(
        select(Delivery).where(Delivery.message_id == message_id, Delivery.state == "sending")
    ).all()
    by_delivery = services_of(session, [d.id for d in deliveries if d.id is not None])
    for delivery in deliveries:
        done = {r.service: r for r in by_delivery.get(delivery.id or 0, [])}
        failed, unknown = [], []
        for key in keys:
            row = done.get(key)
            if row is None or row.state == "failed":
                label = row.label if row else "a service"
                failed.append(f"{label}: {row.last_error if row else why_not}")
            elif row.state in ("unknown", "sending"):
                unknown.append(f"{row.label}: {row.last_error or 'cut off while sending'}")
        if not failed and not unknown:
            delivery.state, delivery.last_error, delivery.sent_at = "sent", None, utcnow()
        elif failed:
            delivery.state, delivery.last_error = "failed", "; ".join(failed + unknown)
        else:
            delivery.state, delivery.last_error = "unknown", "; ".join(unknown)
        if len(keys) == 1 and delivery.last_error:  # one service: its error, as before
            delivery.last_error = delivery.last_error.partition(": ")[2] or delivery.last_error
        session.add(delivery)


def services_of(session: Session, ids: Sequence[int]) -> dict[int, list[DeliveryService]]:
    """Each delivery's per-service rows, in the order its services were first tried."""
    out: dict[int, list[DeliveryService]] = {}
    query = (
        select(DeliveryService)
        .where(col(DeliveryService.delivery_id).in_(ids))
        .order_by(DeliveryService.id)
    )
    for row in session.exec(query):
        out.setdefault(row.delivery_id, []).append(row)
    return out


def release_unknown(session: Session, now: datetime) -> int:
    """Let rows whose send had an unknown outcome be sent again (`alerts --resend-unknown`):
    the person asking has checked that the channel did not get them. Those are the rows a
    channel took without answering, and those still "sending" long after a process stopped."""
    stale = now - SENDING_STALE
    cut_off = (Delivery.state == "sending") & (col(Delivery.last_attempt_at) < stale)
    why = "outcome unknown; released for resending by hand"
    released = session.exec(
        update(Delivery)
        .where(cut_off | (Delivery.state == "unknown"))
        .values(state="failed", last_error=why)
        .returning(Delivery.id)
    ).all()
    ids = [row[0] for row in released]
    # Of those, the services that may not have it go again; those that have it (sent) do not.
    cut_off_service = col(DeliveryService.delivery_id).in_(ids) & (
        DeliveryService.state == "sending"
    )
    session.exec(
        update(DeliveryService)
        .where(cut_off_service | (DeliveryService.state == "unknown"))
        .values(state="failed", last_error=why)
    )
    return len(ids)


def news(
    session: Session, groups: Sequence[Sequence[int]], links: str | None = None
) -> list[FactNews]:
    """What one message says: per group of rows (one fact), its changes and their evidence;
    with ``links`` (`web.base_url`), the link to each fact's page in the web view."""
    out = []
    for ids in groups:
        query = (
            select(Change)
            .join(Delivery, col(Delivery.change_key) == col(Change.key))
            .where(col(Delivery.id).in_(ids))
            .order_by(Change.version)
        )
        changes = list(session.exec(query))
        first, last = changes[0], changes[-1]
        if last.kind == "health":  # a source's health, not a fact: no claims behind it
            out.append(health_news(changes))
            continue
        fact = session.exec(select(Fact).where(Fact.key == last.fact_key)).one()
        evidence, copies = gather_evidence(session, last)
        was, latest = old_state(first), new_state(last)
        disputed = isinstance(latest, ControlState | AggregateState) and latest.status == "disputed"
        out.append(
            FactNews(
                label=fact.label,
                kind=last.kind,
                importance=highest(change_importance(c) for c in changes),
                headlines=tuple(c.title for c in changes),
                was=headline(first.fact_key, fact.label, was) if was is not None else None,
                disputed=disputed,
                evidence=tuple(evidence),
                copies=tuple(copies),
                link=fact_link(links, fact.key) if links else None,
            )
        )
    return out


def fact_link(base_url: str, fact_key: str) -> str:
    """A fact's page in the web view (`briefwatch.web.pages`: ``/facts/<key>``)."""
    return f"{base_url.rstrip('/')}/facts/{quote(fact_key, safe=':')}"


def health_news(changes: Sequence[Change]) -> FactNews:
    """One source's health episode(s) for one message: each step with why (briefwatch.health)."""
    last = changes[-1]
    source, condition = last.new_state["source"], last.new_state["condition"]
    return FactNews(
        label=f"Health of source {source} ({condition})",
        kind="health",
        importance=highest(change_importance(c) for c in changes),
        headlines=tuple(c.title for c in changes),
        was=None,
        disputed=False,
        evidence=(),
        copies=(),
        notes=tuple(f"{c.title}: {c.new_state.get('detail', '')}" for c in changes),
    )


def gather_evidence(
    session: Session, change: Change
) -> tuple[list[Evidence], list[tuple[str, str]]]:
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
    state = new_state(change)
    positions = state.positions if isinstance(state, ControlState) else {}
    sides = {p.claim_id: (party, p.status) for party, p in positions.items()}
    evidence = []
    for claim_id in change.claim_ids:
        found = claims.get(claim_id)
        if found is None:
            continue
        article = articles[found.article_id]
        party, status = sides.get(claim_id, (None, None))
        evidence.append(
            Evidence(found.claimed_by, found.sentence, article.outlet, article.url, status, party)
        )
    copies = session.exec(
        select(Article.outlet, Article.url)
        .where(col(Article.story_id).in_({c.story_id for c in claims.values()}))
        .order_by(Article.id)
    )
    return evidence, [(outlet, url) for outlet, url in copies]


def listing(session: Session, limit: int) -> list[tuple[Delivery, Change]]:
    """The newest deliveries with their changes, for `briefwatch alerts`."""
    query = (
        select(Delivery, Change)
        .join(Change, col(Change.key) == col(Delivery.change_key))
        .order_by(col(Delivery.id).desc())
        .limit(limit)
    )
    return [(d, c) for d, c in session.exec(query)]
