"""The database: engine and sessions, migrations, and the queries the pipeline needs.

SQLite (a file, WAL mode) by default; PostgreSQL by URL with the same code. The schema is created
and upgraded by Alembic on open, so an old store is brought up to date before a pass touches it.
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic_core import PydanticUndefined
from sqlalchemy import event, func, text
from sqlalchemy import update as sa_update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlmodel import Session, SQLModel, col, create_engine, select

from briefwatch.clock import utcnow
from briefwatch.errors import StoreError
from briefwatch.models import (
    Article,
    Change,
    Claim,
    Delivery,
    Fact,
    PassLog,
    PlaceAlias,
    Skip,
    Source,
    Validator,
)

MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets `status` read while a pass writes; busy_timeout waits instead of failing at once.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    # Safe with WAL (no corruption on a crash); a power cut may lose the last commits, which
    # the next pass redoes: every stage is idempotent.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get WAL mode and a busy timeout."""
    try:
        engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"))
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise StoreError(f"storage.url: cannot use {url!r}: {exc}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


# Any fixed number: PostgreSQL advisory locks are keyed by integers shared by the whole server.
MIGRATION_LOCK = 0x62726966  # "brif"


@contextmanager
def _file_lock(engine: Engine) -> Iterator[None]:
    """Serialise migrations of one SQLite file across processes (pysqlite does not wrap DDL in
    a transaction, so two first passes could both try to create the tables)."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrate-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# The newest migration's revision (tests/test_store.py holds it to Alembic's head). A store
# already there is opened without loading Alembic at all: its import (mako, pygments) costs
# ~0.45 s of CPU, on every pass and every command.
SCHEMA_HEAD = "0005"


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision, one process at a time.

    Several workers starting on a fresh database all call this: on PostgreSQL an advisory lock
    held for the migration's transaction makes the others wait and then find nothing to do.
    """
    if _at_head(engine):
        return
    from alembic import command  # imported here: ~0.45 s that an up-to-date store does not need
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with _file_lock(engine), engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
                )
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except OperationalError as exc:
        raise StoreError(f"cannot open the store at {engine.url!r}: {exc.orig}") from None


def _at_head(engine: Engine) -> bool:
    """Whether the store's schema is at `SCHEMA_HEAD` (no table yet, or no database: no)."""
    try:
        with engine.connect() as connection:
            query = text("SELECT version_num FROM alembic_version")
            return connection.execute(query).scalars().all() == [SCHEMA_HEAD]
    except DBAPIError:
        return False  # a new store, or one `migrate` reports properly


@cache
def _defaults(model: type[SQLModel]) -> dict[str, Callable[[], Any]]:
    """Each column's Python default as a factory (Core inserts skip the models' defaults)."""
    out: dict[str, Callable[[], Any]] = {}
    for name, field in model.model_fields.items():
        if name == "id":
            continue  # the database assigns it
        if field.default_factory is not None:
            out[name] = field.default_factory  # type: ignore[assignment]
        elif field.default is not PydanticUndefined:
            out[name] = lambda value=field.default: value
    return out


T = TypeVar("T")
CHUNK = 500  # values per IN (...) list: under every database's bind-parameter limit


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """``items`` in slices of ``size``, for queries with one bind parameter per item."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


@cache
def _insert_ignore(dialect: str, model: type[SQLModel]) -> Any:
    insert = (postgresql if dialect == "postgresql" else sqlite).insert
    table = model.__table__  # type: ignore[attr-defined]
    # On the table, not the model: a Core insert skips the ORM's bulk-insert bookkeeping
    # (~3x faster per call), and the session still flushes what is pending before it.
    return insert(table).on_conflict_do_nothing().returning(*table.primary_key.columns)


class Store:
    """One database: sessions and the queries the pipeline and the CLI need."""

    def __init__(self, url: str, *, create: bool = True) -> None:
        self.url = url
        self.engine = make_engine(url)
        if create:
            migrate(self.engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on error."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        self.engine.dispose()

    # -- writes that must happen once ----------------------------------------------------------

    def insert_ignore(self, session: Session, model: type[SQLModel], rows: Sequence[dict]) -> int:
        """Insert ``rows``, skipping any that collide with a unique key; return how many landed."""
        return len(self._insert_ignore(session, model, rows))

    def insert_one(self, session: Session, model: type[SQLModel], row: dict) -> Any | None:
        """Insert one row unless it collides with a unique key: its primary key, else None."""
        landed = self._insert_ignore(session, model, [row])
        return landed[0][0] if landed else None

    def _insert_ignore(self, session: Session, model: type[SQLModel], rows: Sequence[dict]) -> list:
        if not rows:
            return []
        defaults = _defaults(model)
        complete = [
            {**{k: make() for k, make in defaults.items() if k not in row}, **row} for row in rows
        ]
        statement = _insert_ignore(self.dialect, model)
        # One statement, compiled once per model, executed for many rows (SQLAlchemy batches
        # them with RETURNING: the primary keys of the rows that landed; rowcount is -1 here on
        # psycopg).
        return list(session.execute(statement, complete).all())

    # -- sources and validators ----------------------------------------------------------------

    def validator(self, session: Session, url: str) -> Validator | None:
        return session.get(Validator, url)

    def validators(self, session: Session, urls: Sequence[str]) -> dict[str, Validator]:
        """The validators remembered for any of ``urls``, by URL (one query per 500)."""
        found: dict[str, Validator] = {}
        for chunk in chunks(urls):
            for row in session.exec(select(Validator).where(col(Validator.url).in_(chunk))):
                found[row.url] = row
        return found

    def save_validators(
        self, session: Session, found: Mapping[str, tuple[str | None, str | None]]
    ) -> None:
        """Remember (etag, last modified) for many URLs: one lookup per 500, then the writes."""
        known = self.validators(session, list(found))
        now = utcnow()
        for url, (etag, last_modified) in found.items():
            row = known.get(url) or Validator(url=url)
            row.etag, row.last_modified, row.checked_at = etag, last_modified, now
            session.add(row)

    def source_row(self, session: Session, name: str, url: str, kind: str) -> Source:
        row = session.exec(select(Source).where(Source.name == name)).first()
        if row is None:
            self.insert_ignore(session, Source, [{"name": name, "url": url, "kind": kind}])
            row = session.exec(select(Source).where(Source.name == name)).one()
        row.url, row.kind = url, kind
        return row

    def sources(self) -> list[Source]:
        with self.session() as session:
            return list(session.exec(select(Source).order_by(Source.name)))

    # -- articles ------------------------------------------------------------------------------

    def known_urls(self, session: Session, urls: Iterable[str]) -> dict[str, Article]:
        """The articles already stored under any of ``urls``, by URL."""
        urls = list(dict.fromkeys(urls))
        found: dict[str, Article] = {}
        for chunk in chunks(urls):
            for article in session.exec(select(Article).where(Article.url.in_(chunk))):
                found[article.url] = article
        return found

    def record_skip(
        self, session: Session, url: str, source: str, reason: str, detail: str
    ) -> None:
        row = session.exec(select(Skip).where(Skip.url == url, Skip.reason == reason)).first()
        if row is None:
            row = Skip(url=url, source=source, reason=reason, detail=detail, count=0)
        row.count += 1
        row.detail, row.last_seen_at = detail, utcnow()
        session.add(row)

    # -- places --------------------------------------------------------------------------------

    def place_aliases(self, session: Session | None = None) -> dict[str, str]:
        """Every known place name, as written, mapped to its canonical name (read in
        ``session`` when given: what it has stored and not yet committed counts)."""
        if session is None:
            with self.session() as own:
                return self.place_aliases(own)
        return {row.spelling: row.canonical for row in session.exec(select(PlaceAlias))}

    def save_place_aliases(self, session: Session, aliases: dict[str, str]) -> None:
        """Remember aliases; the first canonical name recorded for a name wins."""
        names = {**{c: c for c in aliases.values()}, **aliases}
        rows = {
            name.casefold(): {"name": name.casefold(), "spelling": name, "canonical": canonical}
            for name, canonical in names.items()
        }
        self.insert_ignore(session, PlaceAlias, list(rows.values()))

    # -- claims and facts ----------------------------------------------------------------------

    def unfolded_claims(self, session: Session) -> dict[str, list[int]]:
        """The ids of the claims not yet folded, by fact key (keys sorted, ids ascending)."""
        query = (
            select(Claim.fact_key, Claim.id)
            .where(Claim.folded == False)  # noqa: E712
            .order_by(Claim.fact_key, Claim.id)
        )
        out: dict[str, list[int]] = {}
        for key, claim_id in session.exec(query):
            out.setdefault(key, []).append(claim_id)
        return out

    def mark_folded(self, session: Session, ids: Sequence[int]) -> None:
        """Mark claims folded, as one plain UPDATE per chunk: no ORM bookkeeping over the
        session's objects (the fold never changes a claim it holds)."""
        table = Claim.__table__
        for chunk in chunks(ids):
            session.execute(sa_update(table).where(table.c.id.in_(chunk)).values(folded=True))

    def facts_for(self, session: Session, keys: Sequence[str]) -> list[Fact]:
        """The stored facts among ``keys``."""
        found: list[Fact] = []
        for chunk in chunks(keys):
            found += session.exec(select(Fact).where(col(Fact.key).in_(chunk)))
        return found

    def facts(self, kind: str | None = None) -> list[Fact]:
        with self.session() as session:
            query = select(Fact).order_by(Fact.kind, Fact.key)
            if kind:
                query = query.where(Fact.kind == kind)
            return list(session.exec(query))

    def outlets_for_claims(self, claim_ids: Iterable[int]) -> dict[int, list[tuple[str, str]]]:
        """For each claim, every copy of its story as (outlet, url), first seen first."""
        ids = sorted(set(claim_ids))
        if not ids:
            return {}
        with self.session() as session:
            query = select(Claim.id, Claim.story_id).where(Claim.id.in_(ids))
            stories = {claim_id: story_id for claim_id, story_id in session.exec(query)}
            copies = self.outlets_for_stories(session, stories.values())
        return {claim_id: copies[story_id] for claim_id, story_id in stories.items()}

    def outlets_for_stories(self, session: Session, story_ids: Iterable[int]) -> dict[int, list]:
        """For each story, its copies as (outlet, url) in the order they were first seen."""
        ids = sorted(set(story_ids))
        out: dict[int, list] = {story_id: [] for story_id in ids}
        if not ids:
            return out
        query = select(Article).where(Article.story_id.in_(ids)).order_by(Article.id)
        for article in session.exec(query):
            out[article.story_id].append((article.outlet, article.url))
        return out

    # -- alerts --------------------------------------------------------------------------------

    def deliveries(self, limit: int = 200) -> list[tuple[Delivery, Change]]:
        with self.session() as session:
            query = (
                select(Delivery, Change)
                .join(Change, Change.key == Delivery.change_key)
                .order_by(Delivery.id.desc())
                .limit(limit)
            )
            return [(d, c) for d, c in session.exec(query)]

    # -- passes --------------------------------------------------------------------------------

    def record_pass(self, started_at: datetime, summary: dict[str, Any]) -> None:
        with self.session() as session:
            session.add(PassLog(started_at=started_at, finished_at=utcnow(), summary=summary))

    def counts(self) -> dict[str, int]:
        """How many rows each main table holds (for `status` and the pass summary)."""
        with self.session() as session:
            return {
                model.__tablename__: session.exec(select(func.count()).select_from(model)).one()
                for model in (Source, Article, Claim, Fact, Change, Delivery, Skip)
            }
