"""The database: engine and sessions, migrations, and the queries the pipeline needs.

SQLite (a file, WAL mode) by default; PostgreSQL by URL with the same code. The schema is created
and upgraded by Alembic on open, so an old store is brought up to date before a pass touches it.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
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
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import NullPool
from sqlmodel import Session, SQLModel, col, create_engine, select

from briefwatch.clock import utcnow
from briefwatch.errors import StoreError
from briefwatch.models import (
    MAX_URL_BYTES,
    PLACE_NAME_CHARS,
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
    url_fits,
)
from parsers.text import strip_controls

MIGRATIONS = Path(__file__).parent / "migrations"


# How long a SQLite connection waits for another's write lock before "database is locked"
# .
BUSY_TIMEOUT_MS = 10_000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets `status` read while a pass writes; busy_timeout waits instead of failing at once.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # Safe with WAL (no corruption on a crash); a power cut may lose the last commits, which
    # the next pass redoes: every stage is idempotent.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _reader_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA query_only=ON")  # a reader that tried to write is a bug: fail loudly
    cursor.close()


def make_engine(url: str, *, readonly: bool = False) -> Engine:
    """An engine for ``url``; SQLite files get WAL mode and a busy timeout. ``readonly`` (a
    SQLite file only): connections that never write the file nor create anything beside it."""
    path = sqlite_file(url)
    try:
        if readonly and path is not None:
            engine = create_engine(url, creator=lambda: _connect_readonly(path), poolclass=NullPool)
        else:
            engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"))
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise StoreError(f"storage.url: cannot use {url!r}: {exc}") from None
    if engine.dialect.name == "sqlite":
        pragmas = _reader_pragmas if readonly and path is not None else _sqlite_pragmas
        event.listen(engine, "connect", pragmas)
    return engine


def sqlite_file(url: str | URL) -> Path | None:
    """The file of a SQLite store (None for PostgreSQL or an in-memory database)."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database)


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """A connection that reads ``path`` and writes nothing, neither the file nor its folder.

    `mode=ro` alone still needs the WAL index (`-shm`) beside the file and creates it, with an
    empty `-wal`, when they are missing: a folder the reader may not write (a read-only user,
    the web view) then cannot be read at all, and one it may write is left changed. So: while
    a `-wal` exists, a connection has the store open (or died with it open), and we share its
    index and read a consistent snapshot beside its writes. With no `-wal`, no connection has
    the store open and all of it is in the file: it is read as immutable, which needs nothing
    beside it. A writer starting meanwhile writes to its new `-wal`, not to the file, until a
    checkpoint: not within the moment a command's read takes. Each session connects afresh
    (NullPool), so a long-lived reader makes this choice again each time.
    """
    wal = path.with_name(path.name + "-wal")
    flags = "mode=ro" if wal.exists() else "mode=ro&immutable=1"
    return sqlite3.connect(f"{path.as_uri()}?{flags}", uri=True, check_same_thread=False)


# SQLite's primary result codes that say the file itself is the trouble, not the statement.
_FILE_FAULTS = {
    sqlite3.SQLITE_NOTADB,
    sqlite3.SQLITE_CORRUPT,
    sqlite3.SQLITE_READONLY,
    sqlite3.SQLITE_PERM,
    sqlite3.SQLITE_CANTOPEN,
    sqlite3.SQLITE_IOERR,
    sqlite3.SQLITE_FULL,
}


def store_fault(url: str | URL, exc: BaseException) -> StoreError | None:
    """Our one line (what, where, what to do) for a library error that says the store itself
    cannot be used: a SQLite file that is not a database, is damaged, cannot be written or whose
    folder is missing, or a database server that cannot be reached. None for any other error
    (a unique key, a lock): those are the caller's to handle."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    reason = " ".join(str(orig).split()) or type(orig).__name__  # psycopg's run over lines
    path = sqlite_file(url)
    if path is None:
        # A server that cannot be reached has no SQLSTATE, or one of class 08 (connection);
        # others (a serialization failure is an OperationalError too) are the caller's.
        sqlstate = getattr(orig, "sqlstate", None) or ""
        if not isinstance(exc, OperationalError) or sqlstate[:2] not in ("", "08"):
            return None
        where = make_url(url).render_as_string(hide_password=True)
        return StoreError(f"cannot open the store at {where}: {reason}")
    code = getattr(orig, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if not isinstance(orig, OSError) and primary not in _FILE_FAULTS:
        return None
    if not path.parent.is_dir():
        return StoreError(
            f"the store's folder {path.parent} does not exist (storage.url): create it, or "
            "point storage.url at a file in a folder that does"
        )
    if primary == sqlite3.SQLITE_NOTADB:
        return StoreError(
            f"the store {path} is not a SQLite database: point storage.url at a briefwatch "
            "store, or move the file away and a new store is made there"
        )
    if primary == sqlite3.SQLITE_CORRUPT:
        return StoreError(
            f"the store {path} is damaged ({reason}): restore it from a backup, or move it "
            f"away and a new store is made there (`sqlite3 {path} .recover` may save the rest)"
        )
    if primary in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM) or isinstance(
        orig, PermissionError
    ):
        return StoreError(
            f"the store {path} cannot be written ({reason}): a pass, and a store's creation or "
            f"upgrade, need write access to the file and to its folder {path.parent}"
        )
    return StoreError(
        f"cannot use the store {path} ({reason}): check that this user may read and write it "
        f"and its folder {path.parent}, and that the disk is not full"
    )


def store_busy(url: str | URL, exc: BaseException) -> StoreError | None:
    """Our one line for SQLite's "database is locked" once the busy timeout has run out (None
    for any other error): another connection held the store's write lock all that while."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    path = sqlite_file(url)
    code = getattr(orig, "sqlite_errorcode", None)
    if path is None or not isinstance(code, int):
        return None
    if code & 0xFF not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return None
    return StoreError(
        f"the store {path} stayed locked by another writer for more than "
        f"{BUSY_TIMEOUT_MS // 1000} s: this work was rolled back, and a later pass does it "
        "again; if it lasts, look for a process keeping the store open for writing (another "
        "briefwatch, a sqlite3 shell)"
    )


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
    try:
        handle = open(f"{database}.migrate-lock", "a")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise store_fault(engine.url, exc) or StoreError(str(exc)) from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# The newest migration's revision (tests/test_store.py holds it to Alembic's head). A store
# already there is opened without loading Alembic at all: its import (mako, pygments) costs
# ~0.45 s of CPU, on every pass and every command.
SCHEMA_HEAD = "0009"


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
    except DBAPIError as exc:
        raise store_fault(engine.url, exc) or StoreError(
            f"cannot migrate the store at {engine.url!r}: {exc.orig}"
        ) from None


def _at_head(engine: Engine) -> bool:
    """Whether the store's schema is at `SCHEMA_HEAD` (no table yet: no). A store that cannot
    be opened at all is a `StoreError` saying why."""
    try:
        with engine.connect() as connection:
            query = text("SELECT version_num FROM alembic_version")
            return connection.execute(query).scalars().all() == [SCHEMA_HEAD]
    except DBAPIError as exc:
        fault = store_fault(engine.url, exc)
        if fault is not None:
            raise fault from None
        return False  # no alembic_version yet: a new store, for `migrate` to create


@cache
def _defaults(model: type[SQLModel]) -> dict[str, Callable[[], Any]]:
    """Each column's Python default as a factory (Core inserts skip the models' defaults)."""
    out: dict[str, Callable[[], Any]] = {}
    columns = model.__table__.columns  # type: ignore[attr-defined]
    for name, field in model.model_fields.items():
        if name == "id":
            continue  # the database assigns it
        if name in columns and columns[name].computed is not None:
            continue  # the database generates it ("cannot INSERT into generated column")
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


def skip_key(url: str) -> str:
    """``url`` as the skip table keys it: without control characters (PostgreSQL stores no NUL)
    and, when too long to be a key, cut to fit and ended with its hash, so that two long URLs
    stay two rows and the same one is counted on one row."""
    url = strip_controls(url)
    if url_fits(url):
        return url
    digest = hashlib.sha256(url.encode("utf-8", "replace")).hexdigest()[:16]
    head = url.encode("utf-8", "replace")[: MAX_URL_BYTES - 40].decode("utf-8", "ignore")
    return f"{head}…#sha256:{digest}"


class Store:
    """One database: sessions and the queries the pipeline and the CLI need."""

    def __init__(self, url: str, *, create: bool = True, readonly: bool = False) -> None:
        """Open the store at ``url``, creating or upgrading its schema (``create``). A reader
        (``readonly``) of a SQLite store whose schema is current opens it read-only: no write
        access needed, no lock taken, nothing created beside it; a store that must first be
        created or upgraded is opened as by a writer."""
        self.url = url
        if readonly and (path := sqlite_file(url)) is not None and path.is_file():
            engine = make_engine(url, readonly=True)
            if _at_head(engine):
                self.engine = engine
                return
            engine.dispose()
        self.engine = make_engine(url)
        if create:
            migrate(self.engine)

    def schema_current(self) -> bool:
        """Whether the schema is at `SCHEMA_HEAD`: what a reader that must not migrate needs."""
        return _at_head(self.engine)

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
            except BaseException as exc:
                session.rollback()
                # A file found damaged (or gone read-only) in the middle of a query is said in
                # one line, and so is a SQLite lock that outlasted the busy timeout; a unique key
                # or PostgreSQL's deadlock stays the library's error, for the caller.
                fault = (
                    store_fault(self.engine.url, exc) or store_busy(self.engine.url, exc)
                    if isinstance(exc, DBAPIError)
                    else None
                )
                if fault is not None:
                    raise fault from None
                raise

    def verify(self) -> None:
        """Check, before a pass, that the store can take one: a SQLite file whole (SQLite's
        `quick_check`: ~0.2 s on 350 MB) and writable, so that a damaged or read-only store stops
        the run at once with its one line instead of failing inside the pass."""
        path = sqlite_file(self.engine.url)
        if path is None:
            return
        with self.session() as session:
            problems = session.execute(text("PRAGMA quick_check(1)")).scalars().all()
        if problems != ["ok"]:
            found = " ".join(" ".join(map(str, problems)).split())  # one line, as every error
            raise StoreError(
                f"the store {path} is damaged ({found}): restore it from a backup, or move it "
                "away and a new store is made there"
            )
        for place in (path, path.parent):
            if not os.access(place, os.W_OK):
                raise StoreError(
                    f"the store {path} cannot be written ({place} is read-only for this user): "
                    f"a pass needs write access to the file and to its folder {path.parent}"
                )

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
        """Remember (etag, last modified) for many URLs: one lookup per 500, then the writes.
        A URL too long to be a key is not remembered: it is fetched whole next time."""
        found = {url: pair for url, pair in found.items() if url_fits(url)}
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
        self, session: Session, url: str, source: str, reason: str, detail: str, earlier: int = 0
    ) -> None:
        """Record that ``url`` was passed over for ``reason``, once more (`skip_key`: any URL,
        however hostile, can be recorded); ``earlier``: the times it was before, when its row has
        left the table meanwhile (the retry queue's row of a page that was fetched, then queued
        again as it was read)."""
        url, detail = skip_key(url), strip_controls(detail)
        row = session.exec(select(Skip).where(Skip.url == url, Skip.reason == reason)).first()
        if row is None:
            row = Skip(url=url, source=source, reason=reason, detail=detail, count=earlier)
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
        """Remember aliases; the first canonical name recorded for a name wins. A name longer
        than the key holds (`PLACE_NAME_CHARS`) is no place's name, and is not kept: it would
        fail the batch of articles it came in on PostgreSQL."""
        names = {**{c: c for c in aliases.values()}, **aliases}
        rows = {
            name.casefold(): {"name": name.casefold(), "spelling": name, "canonical": canonical}
            for name, canonical in names.items()
            if len(name.casefold()) <= PLACE_NAME_CHARS and len(canonical) <= PLACE_NAME_CHARS
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
        # the three columns only: a whole row carries its body and signature
        query = (
            select(Article.story_id, Article.outlet, Article.url)
            .where(col(Article.story_id).in_(ids))
            .order_by(Article.id)
        )
        for story_id, outlet, url in session.exec(query):
            out[story_id].append((outlet, url))
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
