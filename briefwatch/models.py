"""The tables. Every stage's idempotency lives here, as unique keys, not in memory.

source      one configured place to poll, with its last success and last error
validator   ETag / Last-Modified remembered per fetched URL (conditional GET)
story       one text however many outlets carry it (unique fingerprint)
story_band  the locality-sensitive keys of every body a story carries, for finding copies
paragraph   every paragraph seen (unique hash), so repeated background is not read again
article     one page at one canonical URL (unique url), a member of a story
revision    each distinct body seen at an article's URL (unique article, body hash)
claim       one statement from one sentence (unique key), waiting to be folded until `folded`
fact        the state folded from all claims on one subject (unique key)
fact_writes one row: how many times facts were written, counted by the database (a reader's
            cache key: what it built is current while the count stands)
change      a fact's state moved (unique key = fact key + version)
delivery    one change for one channel: the alert outbox (unique change key, channel)
delivery_service  one delivery to one service of its channel (unique delivery, service)
place_alias every name of a place, pointing at its one canonical name
skip        a page or URL that was passed over, with the reason (unique url, reason)
pass_log    one row per pass with its summary
backfill    one backfill of a source over a date range (unique source + range), where it stopped
backfill_item  each listing page and article of a backfill and its progress (unique backfill, url)
source_health  a source's health counters, moved once per pass
health_episode one stretch of a source failing, silent or misread (unique source, condition, number)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Computed,
    DateTime,
    Index,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ColumnElement
from sqlmodel import Field, SQLModel


def _when(*, index: bool = False, nullable: bool = True) -> Any:
    return Field(default=None, sa_type=DateTime(timezone=True), index=index, nullable=nullable)


def _json(default: Any) -> Any:
    factory = (lambda: {}) if isinstance(default, dict) else (lambda: [])
    return Field(default_factory=factory, sa_column=Column(JSON, nullable=False))


# The longest URL kept, in UTF-8 bytes: PostgreSQL's btree indexes take at most 2,704 bytes a row
# (`article.url`, `validator.url`, `skip (url, reason)`), and a longer URL failed the whole batch
# of articles it came in. The sitemap protocol allows 2,048 characters; no outlet needs more.
MAX_URL_BYTES = 2000


def url_fits(url: str) -> bool:
    """Whether ``url`` is short enough to be a key (`MAX_URL_BYTES`)."""
    return len(url) * 4 <= MAX_URL_BYTES or len(url.encode("utf-8", "replace")) <= MAX_URL_BYTES


PLACE_NAME_CHARS = 200  # the longest place name kept as an alias (`place_alias.name`)


class Source(SQLModel, table=True):
    __tablename__ = "source"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=200)
    url: str
    kind: str = "auto"
    detected_kind: str | None = None
    last_attempt_at: datetime | None = _when()
    last_success_at: datetime | None = _when()
    last_error: str | None = None  # reason code of the last failure, cleared on success
    last_error_detail: str | None = None
    last_error_at: datetime | None = _when()
    consecutive_failures: int = 0
    articles_seen: int = 0


class Validator(SQLModel, table=True):
    __tablename__ = "validator"

    url: str = Field(primary_key=True)
    etag: str | None = None
    last_modified: str | None = None
    checked_at: datetime | None = _when()


class Story(SQLModel, table=True):
    __tablename__ = "story"

    id: int | None = Field(default=None, primary_key=True)
    fingerprint: str = Field(unique=True, max_length=64)
    title: str
    first_seen_at: datetime | None = _when()
    published: datetime | None = _when()


class StoryBand(SQLModel, table=True):
    __tablename__ = "story_band"

    # (band, story) is the key: looking a body's 32 bands up is an index range scan.
    band: int = Field(
        sa_type=BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    story_id: int = Field(
        foreign_key="story.id", primary_key=True, sa_column_kwargs={"autoincrement": False}
    )


class Paragraph(SQLModel, table=True):
    __tablename__ = "paragraph"

    hash: str = Field(primary_key=True, max_length=64)
    story_id: int = Field(foreign_key="story.id", index=True)
    first_seen_at: datetime | None = _when()


class Article(SQLModel, table=True):
    __tablename__ = "article"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(unique=True)  # canonical
    story_id: int = Field(foreign_key="story.id", index=True)
    source: str  # name of the source that found it first
    outlet: str
    title: str
    parser: str
    published: datetime | None = _when()
    modified: datetime | None = _when()
    authors: list[str] = _json([])
    paragraphs: list[str] = _json([])  # latest body
    body_hash: str = Field(max_length=64, index=True)
    # MinHash of the body (neardup.py): every body a story carries is compared, so a copy cut
    # from a revised version still finds its story.
    signature: bytes | None = Field(default=None, sa_type=LargeBinary)
    shingles: int = 0
    first_seen_at: datetime | None = _when()
    updated_at: datetime | None = _when()


class Revision(SQLModel, table=True):
    __tablename__ = "revision"
    __table_args__ = (UniqueConstraint("article_id", "body_hash", name="uq_revision_body"),)

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True)
    body_hash: str = Field(max_length=64)
    new_paragraphs: int = 0
    seen_at: datetime | None = _when()


class Claim(SQLModel, table=True):
    __tablename__ = "claim"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=64)
    kind: str  # casualty | control
    fact_key: str = Field(index=True, max_length=300)
    story_id: int = Field(foreign_key="story.id", index=True)
    article_id: int = Field(foreign_key="article.id", index=True)
    sentence: str
    claimed_by: str | None = None
    position: int = 0
    published: datetime | None = _when()
    data: dict[str, Any] = _json({})  # the extractor's fields for this kind
    folded: bool = Field(default=False, index=True)
    created_at: datetime | None = _when()


class PlaceOfState(ColumnElement[Any]):
    """What a control fact's ``state["place"]`` says, as each database computes it from the
    JSON (`Fact`'s generated columns): ``name`` (lower case), ``country``, or ``mapped`` (whether
    it has coordinates a map can draw). The SQL is what each database reads back for the column
    (Alembic's check compares the two); migration 0007 holds the same text."""

    inherit_cache = True

    def __init__(self, what: str) -> None:
        self.what = what


PLACE_SQL = {
    "sqlite": {
        "name": "lower(json_extract(state, '$.place.name'))",
        "country": "json_extract(state, '$.place.country')",
        "mapped": "coalesce(json_type(state, '$.place.lat') IN ('integer', 'real') "
        "AND json_type(state, '$.place.lon') IN ('integer', 'real'), 0)",
    },
    "postgresql": {
        "name": "lower((state #>> '{place,name}'::text[]))",
        "country": "(state #>> '{place,country}'::text[])",
        "mapped": "COALESCE(((json_typeof((state #> '{place,lat}'::text[])) = 'number'::text) "
        "AND (json_typeof((state #> '{place,lon}'::text[])) = 'number'::text)), false)",
    },
}


@compiles(PlaceOfState, "sqlite")
@compiles(PlaceOfState, "postgresql")
def _place_sql(element: PlaceOfState, compiler: SQLCompiler, **kw: Any) -> str:
    return PLACE_SQL[compiler.dialect.name][element.what]


def _of_place(what: str, type_: Any) -> Any:
    # Generated by the database from `state`, so that every writer (the fold, a bulk insert, an
    # older briefwatch) keeps it right and a store of any age has it filled; never written.
    return Field(default=None, sa_column=Column(type_, Computed(PlaceOfState(what))))


class Fact(SQLModel, table=True):
    __tablename__ = "fact"
    # What the web view's lists filter and order by, without reading the JSON of every fact.
    __table_args__ = (
        Index("ix_fact_kind_key", "kind", "key"),
        Index("ix_fact_place_name", "place_name"),
        Index("ix_fact_place_country", "place_country", "kind", "key"),
        Index("ix_fact_kind_place_mapped", "kind", "place_mapped"),
        # /timeline's latest facts of a kind, and the newest first, from the index alone
        Index("ix_fact_kind_updated_at_id", "kind", "updated_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=300)
    kind: str
    label: str
    state: dict[str, Any] = _json({})
    version: int = 0
    updated_at: datetime | None = _when()
    place_name: str | None = _of_place("name", String())  # lower case, "kupiansk"
    place_country: str | None = _of_place("country", String())  # ISO 3166-1 alpha-2
    place_mapped: bool | None = _of_place("mapped", Boolean())


class FactWrites(SQLModel, table=True):
    """How many statements have written facts, kept by triggers on ``fact`` (migration 0008)
    in the writer's own transaction: it moves whenever a committed fact moves, whoever wrote
    it, and a reader that remembers it knows whether what it built from facts is still current
    (the web view's map feed, `briefwatch.web.cache`). One row, id 1."""

    __tablename__ = "fact_writes"

    id: int | None = Field(default=None, primary_key=True)
    count: int = Field(default=0, sa_type=BigInteger())


class Change(SQLModel, table=True):
    __tablename__ = "change"
    # The latest changes of some facts (a place, a country's), from the index alone: sorting
    # thousands of whole rows (their states) to show a page of them cost more than the rest.
    __table_args__ = (Index("ix_change_fact_key_created_at", "fact_key", "created_at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=320)  # "<fact key>#<version>"
    fact_key: str = Field(index=True, max_length=300)
    kind: str
    version: int
    title: str
    old_state: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    new_state: dict[str, Any] = _json({})
    claim_ids: list[int] = _json([])  # the evidence: claims that moved the fact
    created_at: datetime | None = _when(index=True)


class Delivery(SQLModel, table=True):
    __tablename__ = "delivery"
    __table_args__ = (UniqueConstraint("change_key", "channel", name="uq_delivery"),)

    id: int | None = Field(default=None, primary_key=True)
    change_key: str = Field(foreign_key="change.key", max_length=320)
    channel: str
    state: str = Field(default="pending", index=True)  # pending | sending | sent | failed
    attempts: int = 0
    last_error: str | None = None
    created_at: datetime | None = _when()
    last_attempt_at: datetime | None = _when()
    sent_at: datetime | None = _when()
    # The message that carried it: the rows of one digest or coalesced message share it.
    message_id: str | None = Field(default=None, max_length=32, index=True)


class DeliveryService(SQLModel, table=True):
    """One delivery to one service of its channel: a channel whose Apprise URL or config file
    fans out to several services is sent to each on its own, and each keeps its own outcome,
    so a retry goes to the services that did not get the alert and never again to those that
    did (briefwatch.alerts.send). The unique key is what makes "once per service" hold when two
    workers or a killed pass meet the same row."""

    __tablename__ = "delivery_service"
    __table_args__ = (UniqueConstraint("delivery_id", "service", name="uq_delivery_service"),)

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="delivery.id", index=True)
    # A one-way digest of the service's Apprise identity (briefwatch.alerts.channels): stable
    # when the channel's URLs are reordered, and never the URL, which may carry a token.
    service: str = Field(max_length=40)
    label: str = Field(max_length=80)  # what people read: "json #2"; no part of the URL
    state: str = "sending"  # sending | sent | failed | unknown
    attempts: int = 0
    last_error: str | None = None
    last_attempt_at: datetime | None = _when()
    sent_at: datetime | None = _when()
    message_id: str | None = Field(default=None, max_length=32)  # the send that last took it


class PlaceAlias(SQLModel, table=True):
    __tablename__ = "place_alias"

    name: str = Field(primary_key=True, max_length=PLACE_NAME_CHARS)  # casefolded: one row a name
    spelling: str  # the name as written, which is how the extractor finds it in text
    canonical: str


class Skip(SQLModel, table=True):
    __tablename__ = "skip"
    __table_args__ = (UniqueConstraint("url", "reason", name="uq_skip"),)

    id: int | None = Field(default=None, primary_key=True)
    url: str
    source: str
    reason: str
    detail: str
    count: int = 1
    last_seen_at: datetime | None = _when()


class Lease(SQLModel, table=True):
    """Who may run a pass over this store now (`briefwatch.lease`): one row per name, so the
    primary key lets one owner in; a lease not renewed by its owner (a killed pass) expires."""

    __tablename__ = "lease"

    name: str = Field(primary_key=True)
    owner: str
    taken_at: datetime | None = _when()
    expires_at: datetime | None = _when(nullable=False)


class PassLog(SQLModel, table=True):
    __tablename__ = "pass_log"

    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime | None = _when()
    finished_at: datetime | None = _when()
    summary: dict[str, Any] = _json({})


class Backfill(SQLModel, table=True):
    """One backfill: a source's archive over a date range (`briefwatch.backfill.run`).

    The key is the source and the range as asked for, so running the same backfill again finds
    this row and continues it; its items say how far it got.
    """

    __tablename__ = "backfill"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=300)  # "<source> <since>..<until>"
    source: str = Field(max_length=200)
    since: datetime = Field(sa_type=DateTime(timezone=True))
    until: datetime = Field(sa_type=DateTime(timezone=True))  # exclusive
    kind: str | None = None  # sitemap | index, once the source's listing was read
    state: str = "running"  # running | finished | refused
    refusal: str | None = None  # the reason code when refused (feed-has-no-archive ...)
    detail: str | None = None  # why it was refused, or where it stopped last
    pages_read: int = 0
    articles_stored: int = 0
    started_at: datetime | None = _when()
    updated_at: datetime | None = _when()
    finished_at: datetime | None = _when()


class BackfillItem(SQLModel, table=True):
    """One listing document or article URL of a backfill, and how far it got.

    Unique per backfill and URL: a page is queued once, so it is fetched once. Listing
    documents (the source's page, child sitemaps, the next pages of an index) are read once;
    an index page stays ``read`` until its articles are in, then the next page is queued or
    not (``done``). Articles go ``pending`` -> ``done`` or ``skipped``; a retryable failure is
    ``failed`` until the next run puts it back to ``pending``.
    """

    __tablename__ = "backfill_item"
    __table_args__ = (UniqueConstraint("backfill_id", "url", name="uq_backfill_item"),)

    id: int | None = Field(default=None, primary_key=True)
    backfill_id: int = Field(foreign_key="backfill.id", index=True)
    url: str
    role: str  # listing | article
    kind: str | None = None  # listings: sitemap | index (None: the source's own, still unknown)
    parent_id: int | None = None  # the listing item it was found on
    page: int = 1  # listings: 1 for the source's own page, +1 per next page or child sitemap
    published: datetime | None = _when()  # from the listing, then from the article page
    next_url: str | None = None  # an index page's next page, queued once its articles are in
    state: str = "pending"  # pending | read | done | skipped | failed
    attempts: int = 0
    detail: str | None = None
    updated_at: datetime | None = _when()


class SourceHealth(SQLModel, table=True):
    """A source's health counters, moved once per pass (`briefwatch.health`).

    Counted per pass, not per request: the source row's ``consecutive_failures`` also counts a
    pass's own retries of the listing.
    """

    __tablename__ = "source_health"

    source: str = Field(primary_key=True, max_length=200)
    watched_since: datetime | None = _when()  # the first pass that looked at it
    failed_passes: int = 0  # passes in a row in which its listing could not be read
    last_failure: str | None = None  # "reason: detail" of the latest of them
    pages_read: int = 0  # article pages its parser has read, ever
    bad_pages: int = 0  # article pages in a row since the last one read that came back rejected
    last_bad: str | None = None  # "reason: detail (url)" of the latest of them
    blocked_pages: int = 0  # article pages in a row the site refused (403, 429: a bot wall)
    last_blocked: str | None = None  # "reason: detail (url)" of the latest of them
    # When passes last brought it new articles (ISO times, newest first): its usual gaps, and
    # how long it has been silent, without reading the article table.
    arrivals: list[str] = _json([])
    updated_at: datetime | None = _when()


class HealthEpisode(SQLModel, table=True):
    """One stretch of time a source was unwell in one way: failing, silent, drift or blocked.

    The key, ``health:<source>:<condition>#<episode>``, is unique: however many passes (or
    workers) see the condition start, it starts once; its start and its end are each one
    `Change` (kind ``health``) with the outbox rows that carry them, written with it.
    """

    __tablename__ = "health_episode"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=300)
    source: str = Field(index=True, max_length=200)
    condition: str  # failing | silent | drift | blocked
    episode: int  # 1, 2, ... per source and condition
    detail: str  # why it started, as people read it
    started_at: datetime | None = _when()
    cleared_at: datetime | None = _when(index=True)  # None while it lasts
    cleared_detail: str | None = None
