"""Paged, filtered reads of the store, chosen by the database (a store of 10k facts and 100k
claims answers a page without loading the rest).

Filters by place and country read `Fact`'s generated columns (the database's own reading of the
``state.place`` the fold writes: the gazetteer's canonical name and country code), indexed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Text, case, cast, false, func, or_
from sqlalchemy.orm import defer
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from briefwatch import health
from briefwatch.clock import as_utc, utcnow
from briefwatch.config import SourceSettings
from briefwatch.facts.records import ControlState, FactState, state_from_row, state_of
from briefwatch.facts.state import evidence_claim_ids, slug
from briefwatch.models import Article, Change, Claim, Delivery, Fact, Source, Story
from briefwatch.report import distinct_outlets, fact_outlets
from briefwatch.sources.skips import queue_counts
from briefwatch.store import Store, chunks
from briefwatch.web.documents import (
    change_document,
    claim_document,
    fact_document,
    position_documents,
    source_documents,
    story_document,
)

MAX_LIMIT = 1000


@dataclass(frozen=True)
class Filters:
    """What a list is narrowed to; every field empty: everything."""

    kind: str | None = None  # control | casualty
    place: str | None = None  # a place's canonical name (any case) or its fact's slug
    country: str | None = None  # ISO 3166-1 alpha-2, of a control fact's place
    since: datetime | None = None  # updated (facts), created (changes), published (claims)
    unplaced: bool = False  # only control facts the map cannot draw (no coordinates)


@dataclass(frozen=True)
class Page:
    """One page of a list: its documents, how many match in all, and where the next page starts
    (None on the last)."""

    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int
    next_offset: int | None = field(init=False)

    def __post_init__(self) -> None:
        after = self.offset + len(self.items)
        object.__setattr__(self, "next_offset", after if after < self.total else None)


def _facts() -> Any:
    # the generated place columns are for finding facts; a fact's document reads its state (on
    # SQLite, loading them would compute them from the JSON of every row read)
    place = (Fact.place_name, Fact.place_country, Fact.place_mapped)
    return select(Fact).options(*(defer(col(column)) for column in place))


def _fact_conditions(filters: Filters) -> list[ColumnElement[bool]]:
    # the place's columns are generated from the state and indexed (migration 0007): a filter
    # reads an index, not every fact's JSON
    where: list[ColumnElement[bool]] = []
    if filters.kind:
        where.append(col(Fact.kind) == filters.kind)
    if filters.place:
        # lower() on both sides: the database's own idea of case, the same for name and query
        where.append(
            or_(
                col(Fact.place_name) == func.lower(filters.place),
                col(Fact.key) == f"control:{slug(filters.place)}",
            )
        )
    if filters.country:
        where.append(col(Fact.place_country) == filters.country.upper())
    if filters.since:
        where.append(col(Fact.updated_at) >= filters.since)
    if filters.unplaced:
        where += [col(Fact.kind) == "control", col(Fact.place_mapped) == false()]
    return where


def _fact_keys(filters: Filters) -> Any:
    """The keys of the facts about ``filters``' place or in its country (a subquery)."""
    where = _fact_conditions(Filters(place=filters.place, country=filters.country))
    return select(Fact.key).where(*where)


def _count(session: Session, query: Any) -> int:
    # the query's FROM and WHERE, counted: no row's columns (a fact's JSON) are read
    counted = query.with_only_columns(func.count(), maintain_column_froms=True).order_by(None)
    return session.scalar(counted) or 0


def fact_page(store: Store, filters: Filters, limit: int, offset: int) -> Page:
    """Current facts, control and casualty, each with its outlets (`status --json`'s shape)."""
    with store.session() as session:
        query = _facts().where(*_fact_conditions(filters))
        total = _count(session, query)
        rows = list(session.exec(query.order_by(Fact.kind, Fact.key).offset(offset).limit(limit)))
    outlets = fact_outlets(store, rows)
    items = [fact_document(fact, outlets.get(fact.key, [])) for fact in rows]
    return Page(items, total, limit, offset)


def latest_facts(store: Store, kind: str, limit: int) -> Page:
    """The ``limit`` facts of ``kind`` updated last, latest first."""
    with store.session() as session:
        query = _facts().where(Fact.kind == kind)
        total = _count(session, query)
        order = (col(Fact.updated_at).desc(), col(Fact.id).desc())
        # the latest ids first, then their rows: never every fact of the kind sorted whole (a
        # state's JSON each) for a page of them (/timeline: 3x faster over 5,000 tolls)
        ids = query.with_only_columns(col(Fact.id)).order_by(*order).limit(limit)
        rows = list(session.exec(_facts().where(col(Fact.id).in_(ids)).order_by(*order)))
    outlets = fact_outlets(store, rows)
    return Page([fact_document(f, outlets.get(f.key, [])) for f in rows], total, limit, 0)


def one_fact(store: Store, key: str) -> dict[str, Any] | None:
    """One fact with its history of changes, oldest first; None when no fact has ``key``."""
    with store.session() as session:
        fact = session.exec(_facts().where(Fact.key == key)).first()
        if fact is None:
            return None
        changes = list(
            session.exec(select(Change).where(Change.fact_key == key).order_by(Change.version))
        )
        deliveries = _deliveries(session, [c.key for c in changes])
    # one read of where its evidence was read: the fact's outlets and each side's claim's
    state = state_of(fact)
    evidence = evidence_claim_ids(state)
    read_in = store.outlets_for_claims(evidence)
    document = fact_document(fact, distinct_outlets(evidence, read_in), state)
    document["changes"] = [change_document(c, deliveries.get(c.key, [])) for c in changes]
    if fact.kind == "control":  # each side's claim as the map's popup shows it
        document["positions"] = position_documents(state, read_in)
    return document


def claim_page(
    store: Store, fact_key: str | None, filters: Filters, limit: int, offset: int
) -> Page:
    """Claims (of one fact, or all), in the order they were read."""
    with store.session() as session:
        query = select(Claim, Article).join(Article, col(Article.id) == col(Claim.article_id))
        if fact_key is not None:
            query = query.where(Claim.fact_key == fact_key)
        if filters.kind:
            query = query.where(Claim.kind == filters.kind)
        if filters.since:
            query = query.where(col(Claim.published) >= filters.since)
        if filters.place or filters.country:
            query = query.where(col(Claim.fact_key).in_(_fact_keys(filters)))
        total = _count(session, query)
        rows = session.exec(query.order_by(Claim.id).offset(offset).limit(limit))
        items = [claim_document(claim, article) for claim, article in rows]
    return Page(items, total, limit, offset)


def _deliveries(session: Session, change_keys: list[str]) -> dict[str, list[Delivery]]:
    out: dict[str, list[Delivery]] = {}
    for chunk in chunks(change_keys):
        query = select(Delivery).where(col(Delivery.change_key).in_(chunk)).order_by(Delivery.id)
        for delivery in session.exec(query):
            out.setdefault(delivery.change_key, []).append(delivery)
    return out


def change_page(store: Store, filters: Filters, limit: int, offset: int) -> Page:
    """The latest changes first, each with its alerts' delivery state per channel."""
    with store.session() as session:
        query = select(Change)
        if filters.kind:
            query = query.where(Change.kind == filters.kind)
        if filters.since:
            query = query.where(col(Change.created_at) >= filters.since)
        if filters.place or filters.country:
            query = query.where(col(Change.fact_key).in_(_fact_keys(filters)))
        total = _count(session, query)
        order = (col(Change.created_at).desc(), col(Change.id).desc())
        # the page's ids first (from the index on fact key and time), then their rows: never
        # every matching change's whole row sorted for a page of them
        ids = query.with_only_columns(col(Change.id)).order_by(*order).offset(offset).limit(limit)
        changes = list(session.exec(select(Change).where(col(Change.id).in_(ids)).order_by(*order)))
        deliveries = _deliveries(session, [c.key for c in changes])
    items = [change_document(c, deliveries.get(c.key, [])) for c in changes]
    return Page(items, total, limit, offset)


def story_page(store: Store, filters: Filters, limit: int, offset: int) -> Page:
    """Stories, newest first, each with every outlet that carries it (of a kind, a place or a
    country: those carrying a claim of it)."""
    with store.session() as session:
        query = select(Story)
        if filters.since:
            query = query.where(col(Story.first_seen_at) >= filters.since)
        if filters.kind or filters.place or filters.country:
            # the stories that carry a claim of that kind, on that place, in that country
            claims = select(Claim.story_id)
            if filters.kind:
                claims = claims.where(Claim.kind == filters.kind)
            if filters.place or filters.country:
                claims = claims.where(col(Claim.fact_key).in_(_fact_keys(filters)))
            query = query.where(col(Story.id).in_(claims))
        total = _count(session, query)
        order = (col(Story.first_seen_at).desc(), col(Story.id).desc())
        stories = list(session.exec(query.order_by(*order).offset(offset).limit(limit)))
        ids = [s.id for s in stories]
        articles: dict[int, list[Article]] = {}
        for chunk in chunks(ids):
            found = session.exec(
                select(Article).where(col(Article.story_id).in_(chunk)).order_by(Article.id)
            )
            for article in found:
                articles.setdefault(article.story_id, []).append(article)
    items = [story_document(s, articles.get(s.id or 0, [])) for s in stories]
    return Page(items, total, limit, offset)


def source_rows(store: Store) -> dict[str, Source]:
    return {row.name: row for row in store.sources()}


def source_list(store: Store, configured: Sequence[SourceSettings]) -> list[dict[str, Any]]:
    """Each configured source as `briefwatch sources --json` lists it: last success, last error
    and why, its health (ok, or its open conditions, since when) and its pages waiting."""
    names = [source.name for source in configured]
    documents = source_documents(configured, source_rows(store))
    states, queues = health.states(store, names), queue_counts(store, names)
    for document in documents:
        document["health"] = states[document["name"]].to_json()
        document["pages"] = queues[document["name"]].to_json()
    return documents


def pages(page_of: Callable[[int, int], Page]) -> Iterator[Page]:
    """Every page of a list, `MAX_LIMIT` items at a time: ``page_of(limit, offset)``."""
    offset: int | None = 0
    while offset is not None:
        page = page_of(MAX_LIMIT, offset)
        yield page
        offset = page.next_offset


def every(page_of: Callable[[int, int], Page]) -> Iterator[dict[str, Any]]:
    """Every item of a paged list (`pages`)."""
    for page in pages(page_of):
        yield from page.items


def control_facts(store: Store, filters: Filters) -> Iterator[tuple[dict[str, Any], FactState]]:
    """Every control fact matching ``filters``: its document, with each side's claim as
    `one_fact` gives it (``positions``: outlet and URL named), and its state, typed."""
    control = Filters(
        kind="control", place=filters.place, country=filters.country, since=filters.since
    )
    for page in pages(lambda limit, offset: fact_page(store, control, limit, offset)):
        states = [state_from_row(f["key"], f["state"]) for f in page.items]
        claim_ids = [
            p.claim_id
            for state in states
            if isinstance(state, ControlState)
            for p in state.positions.values()
            if p.claim_id
        ]
        read_in = store.outlets_for_claims(claim_ids)
        for document, state in zip(page.items, states, strict=True):
            document["positions"] = position_documents(state, read_in)
            yield document, state


MapRow = tuple[str, str, str, datetime | None]  # key, label, state as JSON text, updated_at


def map_rows(store: Store, filters: Filters) -> list[MapRow]:
    """The control facts matching ``filters`` as a map's markers need them, by key: four columns,
    the state as the database's JSON text (the caller parses it, faster than the driver's
    ``json.loads``), no ORM object, no outlets, no claims."""
    control = Filters(
        kind="control", place=filters.place, country=filters.country, since=filters.since
    )
    query = (
        select(Fact.key, Fact.label, cast(col(Fact.state), Text), Fact.updated_at)
        .where(*_fact_conditions(control))
        .order_by(col(Fact.key))
    )
    with store.session() as session:
        return [tuple(row) for row in session.exec(query)]


@dataclass(frozen=True)
class Point:
    """One claimant's figure for a casualty series at the time it was published."""

    claimant: str
    published: datetime
    count: int


def series_points(store: Store, fact_keys: Sequence[str]) -> dict[str, list[Point]]:
    """Casualty series' figures over time, per fact key: each claim's low count, by claimant (a
    claim with no claimant is "unattributed"), in time order; claims without a time left out."""
    out: dict[str, list[Point]] = {key: [] for key in fact_keys}
    with store.session() as session:
        for chunk in chunks(list(fact_keys)):
            query = (
                select(Claim.fact_key, Claim.claimed_by, Claim.published, Claim.data)
                .where(col(Claim.fact_key).in_(chunk), col(Claim.published).is_not(None))
                .order_by(col(Claim.published), col(Claim.id))
            )
            for key, claimant, published, data in session.exec(query):
                if isinstance(data.get("count_low"), int):
                    point = Point(claimant or "unattributed", as_utc(published), data["count_low"])
                    out[key].append(point)
    return out


def histories(store: Store, fact_keys: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """Each fact's changes, oldest first (without their alerts), per fact key."""
    out: dict[str, list[dict[str, Any]]] = {key: [] for key in fact_keys}
    with store.session() as session:
        for chunk in chunks(list(fact_keys)):
            query = select(Change).where(col(Change.fact_key).in_(chunk))
            for change in session.exec(query.order_by(col(Change.version))):
                out[change.fact_key].append(change_document(change))
    return out


@dataclass(frozen=True)
class Activity:
    """How much a source brings: new articles a day lately, and its newest article's time."""

    per_day: float
    last_new_at: datetime | None


def source_activity(store: Store, days: int = 7) -> dict[str, Activity]:
    """Per source (the first finder of each article): new articles a day over the last
    ``days`` days, and when its last new article came (how long it has been silent)."""
    since = utcnow() - timedelta(days=days)
    recent = func.sum(case((col(Article.first_seen_at) >= since, 1), else_=0))
    with store.session() as session:
        query = select(Article.source, recent, func.max(Article.first_seen_at)).group_by(
            Article.source
        )
        return {
            source: Activity((count or 0) / days, as_utc(last))
            for source, count, last in session.exec(query)
        }
