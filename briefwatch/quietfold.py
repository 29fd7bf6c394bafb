"""The fold for backfilled claims: old changes are recorded, not alerted.

A backfill reads last month's or last year's stories. Their claims fold into facts like any
other (the facts' history and `briefwatch status` are the better for them), and every change is
recorded, but a change goes into the outbox only when its newest new evidence was published
within ``alert_days`` of now. Last year's capture of a town pages no one; a story of yesterday
that the monitor missed still does.

"New evidence" is the change's evidence claims that were waiting to be folded (those that moved
it), each dated by when its outlet published it (a revision: when it was revised); when none of
them is among the change's evidence, every waiting claim of the fact; when none is known (a
claim stored while the fold ran), the change is alerted: better an alert than a change nobody
hears of.

`briefwatch.pipeline.fold_facts` does the fold and, in the same transaction, queues only the
changes this module calls recent: a backfill that dies half way folds again and loses no alert.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import col, select

from briefwatch import pipeline
from briefwatch.clock import as_utc, utcnow
from briefwatch.config import Settings
from briefwatch.models import Change, Claim
from briefwatch.store import Store

DEFAULT_ALERT_DAYS = 2.0


@dataclass
class Folded:
    """The changes a fold recorded: queued for the channels, or recorded quietly (old)."""

    alerted: list[Change] = field(default_factory=list)
    quiet: list[Change] = field(default_factory=list)


@dataclass(frozen=True)
class Waiting:
    """A claim not yet folded: which fact it is about and when its outlet published it."""

    fact_key: str
    published: datetime | None


def fold_facts(
    store: Store,
    settings: Settings,
    *,
    alert_days: float = DEFAULT_ALERT_DAYS,
    now: datetime | None = None,
) -> Folded:
    """Fold every claim not yet folded into its fact; queue for the channels only the changes
    whose newest new evidence is at most ``alert_days`` old."""
    cutoff = (now or utcnow()) - timedelta(days=alert_days)
    with store.session() as session:
        query = select(Claim.id, Claim.fact_key, Claim.published).where(
            col(Claim.folded).is_(False)
        )
        waiting = {i: Waiting(key, as_utc(when)) for i, key, when in session.exec(query)}
    if not waiting:
        return Folded()

    def recent(change: Change) -> bool:
        return is_recent(change, waiting, cutoff)

    folded = Folded()
    for change in pipeline.fold_facts(store, settings, alert_if=recent):
        (folded.alerted if recent(change) else folded.quiet).append(change)
    return folded


def is_recent(change: Change, waiting: Mapping[int, Waiting], cutoff: datetime) -> bool:
    """Whether ``change``'s newest new evidence was published at ``cutoff`` or later."""
    moved: Sequence[int] = [i for i in change.claim_ids if i in waiting] or [
        i for i, claim in waiting.items() if claim.fact_key == change.fact_key
    ]
    stamps = [waiting[i].published for i in moved]
    if not stamps or any(stamp is None for stamp in stamps):
        return True
    return max(stamp for stamp in stamps if stamp is not None) >= cutoff
