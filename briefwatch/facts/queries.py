"""The claims a fold needs, chosen by the database, so that folding costs the same however long
a fact's history grows.

`facts.fold` over every claim of a subject gives its state, but most of a long history cannot
change it. What the fold reads:

- control: a claim's party and voice follow from its speaker (claimant, actor, claimant's side);
  a side's position is its highest-ranked claim, ranked by day, then status, then `_order`; the
  day its hold began is the first holding day after its latest other statement. For both, the
  latest claim of each speaker, status and day is enough, with each speaker's first claim
  (sides are listed in the order they first spoke). Independent reports confirming the holder
  depend on who holds and who the parties are, which the fold finds first: it asks
  `confirming` for them, and the store answers with the first qualifying claim of each story,
  then of each outlet, which is what `facts._confirmations` picks.
- casualty: each claimant keeps its latest figure (an incident) or its highest (a running
  toll): the latest and the highest of each claimant, as written, is enough.
- every fact: its first claim, which names a new fact and orders the facts of a pass.

Window functions pick these in one query per few hundred facts; the fold then runs unchanged on
them. `tests/facts/test_fold_incremental.py` folds long random histories both ways and compares.

Days are compared as Python sees them: on SQLite the stored text (written without an offset,
read back as UTC), on PostgreSQL the session's time zone (which psycopg hands Python).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, String, and_, cast, func, literal, or_, union
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from briefwatch.facts import state as facts
from briefwatch.models import Article, Claim
from briefwatch.store import chunks

CHUNK = 400  # fact keys per query: under every database's bind-parameter limit
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # what `facts._order` puts in for "no time"

Speaker = tuple[str | None, str | None, str | None]  # claimed_by, actor, claimant_side


def _field(name: str) -> ColumnElement[Any]:
    return col(Claim.data)[name].as_string()


def _when() -> ColumnElement[Any]:
    """`facts._order`'s time: published, or the epoch for a claim without one."""
    return func.coalesce(col(Claim.published), literal(_EPOCH, DateTime(timezone=True)))


def _day(dialect: str) -> ColumnElement[Any]:
    """The day of a claim's time, as `facts._day` computes it from the loaded value."""
    if dialect == "postgresql":
        return cast(col(Claim.published), Date)  # in the session's time zone, like psycopg
    return func.substr(col(Claim.published), 1, 10)  # "YYYY-MM-DD HH:MM:SS.ffffff"


def _speaker() -> tuple[ColumnElement[Any], ...]:
    return (col(Claim.claimed_by), _field("actor"), _field("claimant_side"))


def _needed_ids(dialect: str, keys: Sequence[str]) -> Any:
    """A query for the ids of the claims a fold of ``keys`` reads (see the module docstring)."""
    key, ident, when = col(Claim.fact_key), col(Claim.id), _when()
    latest_first = (when.desc(), ident.desc())
    control = [k for k in keys if k.startswith("control:")]
    casualty = [k for k in keys if not k.startswith("control:")]
    parts = [select(func.min(ident)).where(key.in_(keys)).group_by(key)]
    if control:
        groups = (key, *_speaker(), _field("status"), _day(dialect), Claim.published.is_(None))
        latest = func.row_number().over(partition_by=groups, order_by=latest_first)
        ranked = select(ident.label("id"), latest.label("n")).where(key.in_(control)).subquery()
        parts.append(select(ranked.c.id).where(ranked.c.n == 1))
        # Each speaker's first claim: the fold lists sides in the order they first spoke.
        first = select(func.min(ident)).where(key.in_(control)).group_by(key, *_speaker())
        parts.append(first)
    if casualty:
        # Per claimant as written: the fold merges claimants case-insensitively, so the one it
        # keeps is among these.
        low = col(Claim.data)["count_low"].as_float()
        high = func.coalesce(col(Claim.data)["count_high"].as_float(), low)
        claimant = (key, col(Claim.claimed_by))
        latest = func.row_number().over(partition_by=claimant, order_by=latest_first)
        highest = func.row_number().over(
            partition_by=claimant, order_by=(low.desc(), high.desc(), *latest_first)
        )
        ranked = (
            select(ident.label("id"), latest.label("n"), highest.label("h"))
            .where(key.in_(casualty))
            .subquery()
        )
        parts.append(select(ranked.c.id).where(or_(ranked.c.n == 1, ranked.c.h == 1)))
    return union(*parts)


def needed_claims(session: Session, keys: Iterable[str]) -> dict[str, list[Claim]]:
    """For each fact key, the claims its fold reads, by id; facts in the order of their first
    claim (the order a fold over all claims meets them)."""
    dialect = session.get_bind().dialect.name
    grouped: dict[str, list[Claim]] = {}
    for chunk in chunks(sorted(set(keys)), CHUNK):
        ids = _needed_ids(dialect, chunk).subquery()
        query = select(Claim).where(col(Claim.id).in_(select(ids.c[0]))).order_by(col(Claim.id))
        for claim in session.exec(query):
            grouped.setdefault(claim.fact_key, []).append(claim)
    return dict(sorted(grouped.items(), key=lambda item: item[1][0].id or 0))


def outlets_of(session: Session, claims: Iterable[Claim]) -> dict[int, str]:
    """Article id -> outlet, for the articles of ``claims``."""
    ids = sorted({c.article_id for c in claims})
    out: dict[int, str] = {}
    for chunk in chunks(ids, CHUNK):
        query = select(Article.id, Article.outlet).where(col(Article.id).in_(chunk))
        out.update((article_id, outlet) for article_id, outlet in session.exec(query))
    return out


def confirming(
    session: Session, fact_key: str, claims: Sequence[Claim], extra: Mapping[str, str]
) -> facts.Confirming:
    """`facts.Confirming` for one control fact: its candidate confirmations, from the store.

    ``claims`` are the fact's needed claims (`needed_claims`): they name every speaker.
    """
    dialect = session.get_bind().dialect.name

    def find(
        holder: str, parties: set[str], since: date
    ) -> tuple[Sequence[Claim], Mapping[int, str]]:
        # Read here, when a control fold asks, not before: the fact may be a casualty figure.
        speakers: set[Speaker] = {
            (c.claimed_by, c.actor, c.claimant_side) for c in facts.control_records(claims)
        }
        wanted = [s for s in speakers if _independent(s, holder, parties, extra)]
        if not wanted:
            return [], {}
        ids = _confirmation_ids(dialect, fact_key, wanted, since)
        query = select(Claim).where(col(Claim.id).in_(ids)).order_by(col(Claim.id))
        found = list(session.exec(query))
        return found, outlets_of(session, found)

    return find


def _independent(
    speaker: Speaker, holder: str, parties: set[str], extra: Mapping[str, str]
) -> bool:
    """Whether a speaker's holding claims count as independent reports for ``holder``
    (the tests of `facts._confirmations` that depend on the speaker alone)."""
    claimed_by, actor, claimant_side = speaker
    return (
        facts.party(actor, claimed_by, claimant_side, extra) == holder
        and facts.voice(claimant_side, claimed_by, extra) not in parties
    )


def _confirmation_ids(dialect: str, fact_key: str, speakers: Sequence[Speaker], since: date) -> Any:
    """The claims `facts._confirmations` would pick: holding claims by independent speakers
    from ``since`` on; of those the first of each story, then the first of each outlet."""
    who = _speaker()
    by_speaker = or_(
        *(and_(*(c.is_not_distinct_from(v) for c, v in zip(who, s, strict=True))) for s in speakers)
    )
    day = _day(dialect) >= (since if dialect == "postgresql" else since.isoformat())
    if _EPOCH.date() >= since:  # a claim without a time counts as of the epoch
        day = or_(day, col(Claim.published).is_(None))
    when, ident = _when(), col(Claim.id)
    # As in `_confirmations`: an article's outlet names the source, else its story does.
    source = func.coalesce(
        func.nullif(Article.outlet, ""), literal("story ", String) + cast(Claim.story_id, String)
    )
    first_of_story = func.row_number().over(
        partition_by=col(Claim.story_id), order_by=(when, ident)
    )
    qualifying = (
        select(
            ident.label("id"), when.label("at"), source.label("source"), first_of_story.label("n")
        )
        .select_from(Claim)
        .outerjoin(Article, col(Article.id) == col(Claim.article_id))
        .where(
            col(Claim.fact_key) == fact_key,
            _field("status").in_(facts.HOLDING),
            by_speaker,
            day,
        )
        .subquery()
    )
    first_of_source = func.row_number().over(
        partition_by=qualifying.c.source, order_by=(qualifying.c.at, qualifying.c.id)
    )
    stories = (
        select(qualifying.c.id, first_of_source.label("m")).where(qualifying.c.n == 1).subquery()
    )
    return select(stories.c.id).where(stories.c.m == 1)
