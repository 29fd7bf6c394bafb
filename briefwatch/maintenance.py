"""Housekeeping for a store that runs for months: old bodies, old logs, and a vacuum.

Nothing here touches what idempotency rests on: articles keep their canonical URL and body hash,
stories their signatures and bands, paragraphs their hashes, claims, facts, changes and
deliveries stay. Only bulky text that no later stage reads again is cleared.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import text
from sqlmodel import col, delete, update

from briefwatch.clock import utcnow
from briefwatch.models import Article, PassLog, Skip
from briefwatch.store import Store


@dataclass(frozen=True)
class Pruned:
    article_bodies: int  # articles last updated before the cutoff (bodies cleared, rows kept)
    pass_logs: int
    skips: int


def prune(store: Store, keep: timedelta) -> Pruned:
    """Clear article bodies, pass logs and skip records older than ``keep``.

    An article's body is only needed while it may still be revised (and for people reading it
    through `status`); its claims keep their sentences, so evidence is never lost.
    """
    cutoff = utcnow() - keep
    with store.session() as session:
        bodies = session.exec(
            update(Article).where(col(Article.updated_at) < cutoff).values(paragraphs=[])
        ).rowcount
        logs = session.exec(delete(PassLog).where(col(PassLog.finished_at) < cutoff)).rowcount
        skips = session.exec(delete(Skip).where(col(Skip.last_seen_at) < cutoff)).rowcount
    return Pruned(max(bodies or 0, 0), max(logs or 0, 0), max(skips or 0, 0))


def vacuum(store: Store) -> None:
    """Give freed space back and refresh the planner's statistics."""
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if store.dialect == "sqlite":
            connection.execute(text("VACUUM"))
            connection.execute(text("PRAGMA optimize"))
        else:
            connection.execute(text("VACUUM ANALYZE"))
