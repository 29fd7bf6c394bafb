"""Storing parsed articles: dedupe each against the store, write its rows and its claims.

A batch of one source's articles (at most `BATCH`) is stored in one transaction. Each article
is decided in order, exactly as if it were stored alone (`dedupe.decide`): a new story, a copy
of a stored story (or of one earlier in the batch), a revision of a stored URL, or a duplicate.
What the store holds for the batch is read up front in a few queries (`stories.StoryLookup`)
rather than a dozen per article; stories and articles are written as they are decided (their
ids key what follows), the rest (revisions, bands, paragraphs, claims) once for the batch.

A batch that fails is rolled back whole. When the failure may be one article's (the database
refused a value, a key, a size; the extractor raised on one text), the batch is stored again
one article per transaction, so one hostile page never costs the other 19 their place: each
article that fails alone comes back `Unstored`, with the error, for the pass to record as
skipped. A failure that is the store's (connection lost, database locked) is raised: nothing of
the batch is stored and the next pass reads its pages again (`harvest`: only stored articles are
fetched conditionally). Two workers storing the same pages at once meet on the unique keys; a
batch the database aborts to break a deadlock between them is stored again from the start.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import NamedTuple
from urllib.parse import urlsplit

from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlmodel import Session, select

from briefwatch.clock import as_utc, utcnow
from briefwatch.errors import BriefwatchError
from briefwatch.extract import Cut, extract
from briefwatch.facts import state as facts
from briefwatch.facts.records import claim_data
from briefwatch.models import Article, Claim, Revision, Story
from briefwatch.places import gazetteer
from briefwatch.store import Store
from briefwatch.stories.dedupe import (
    Verdict,
    body_hash,
    canonical_url,
    decide,
    normalise,
    paragraph_hashes,
)
from briefwatch.stories.lookup import StoryLookup
from briefwatch.stories.neardup import Signature, signature
from briefwatch.stories.prepared import Prepared, report_day
from parsers.types import ParsedArticle

BATCH = 20  # articles per transaction: a few lookups for the batch instead of a dozen each
# PostgreSQL's codes for "aborted to break a deadlock" and "could not serialise": try again.
RETRY_SQLSTATES = frozenset({"40P01", "40001"})
ATTEMPTS = 3
# SQLSTATE classes that name a row's fault, not the store's: data exception (22: a NUL, a value
# out of range), integrity (23: a key the batch itself broke) and program limit (54: an index row
# over PostgreSQL's size limit).
ITEM_SQLSTATE_CLASSES = frozenset({"22", "23", "54"})
STORE_ERROR = "store-error"  # the skip reason of an article the store refused on its own

log = logging.getLogger(__name__)

PlacesFor = Callable[[Session], Mapping[str, str]]


@dataclass(frozen=True)
class Incoming:
    """One parsed article to store, with the URL it was fetched from."""

    url: str
    parsed: ParsedArticle
    prepared: Prepared | None = None  # what reading the page computed ahead (`prepared`)

    @cached_property
    def canonical(self) -> str:
        return canonical_url(self.url, self.parsed.url)

    @cached_property
    def digest(self) -> str:
        if self.prepared and self.prepared.digest:
            return self.prepared.digest
        return body_hash(self.parsed.paragraphs)

    @cached_property
    def hashes(self) -> tuple[str, ...]:
        return paragraph_hashes(self.parsed.paragraphs)

    @cached_property
    def signature(self) -> Signature:
        if self.prepared and self.prepared.signature is not None:
            return self.prepared.signature
        return signature(self.parsed.paragraphs)


class ClaimHome(NamedTuple):
    """Where an article's claims go, and how they are dated."""

    story_id: int
    article_id: int
    day: date | None  # the report day the article is dated by: it scopes casualty facts
    # When the outlet last vouched for the text: a revised article's text is as recent as its
    # revision, so an older copy elsewhere does not outrank it.
    vouched: datetime | None


@dataclass(frozen=True)
class Unstored:
    """An article that could not be stored even alone, and why (recorded as a skip)."""

    reason: str
    detail: str


@dataclass
class StoredBatch:
    """What storing a batch did: each article's verdict, in order, and the claims added."""

    verdicts: list[Verdict | Unstored] = field(default_factory=list)
    claims: int = 0
    places: Mapping[str, str] = field(default_factory=dict)  # as known after the batch
    cut: list[str] = field(default_factory=list)  # "URL: what was left unread" (`limits`)


def store_articles(
    store: Store,
    source: str,
    batch: Sequence[Incoming],
    places: Mapping[str, str],
    sides: Mapping[str, str],
    places_for: PlacesFor,
    countries: Sequence[str] = (),
) -> StoredBatch:
    """Dedupe ``batch`` and store it with its claims, in one transaction (see the module
    docstring). ``places_for`` reads the place names again, in the batch's session, once an
    article taught the store new aliases; the batch's result carries them on. ``countries``:
    the countries watched, which decide between places of one name.

    The gazetteer is opened first, outside the transaction: the extractor needs it, and built
    for the first time (~25 s) inside a transaction it would hold SQLite's write lock all that
    while, and every other writer would fail ("database is locked")."""
    gazetteer()  # raises GazetteerError, the pass's error, when it can be neither opened nor built
    try:
        return _store_together(store, source, batch, places, sides, places_for, countries)
    except Exception as exc:
        if not _item_fault(exc):
            raise
        if len(batch) == 1:
            return StoredBatch([_unstored(batch[0], exc)], places=places)
        log.warning("a batch of %d articles failed (%s); storing them one by one", len(batch),
                    describe_error(exc))  # fmt: skip
    result = StoredBatch(places=places)
    for item in batch:
        try:
            alone = _store_together(
                store, source, [item], result.places, sides, places_for, countries
            )
        except Exception as exc:
            if not _item_fault(exc):
                raise
            result.verdicts.append(_unstored(item, exc))
            continue
        result.verdicts += alone.verdicts
        result.claims += alone.claims
        result.places = alone.places
    return result


def _unstored(item: Incoming, exc: Exception) -> Unstored:
    log.warning("article %s not stored: %s", item.url[:200], describe_error(exc))
    return Unstored(STORE_ERROR, describe_error(exc))


def _store_together(
    store: Store,
    source: str,
    batch: Sequence[Incoming],
    places: Mapping[str, str],
    sides: Mapping[str, str],
    places_for: PlacesFor,
    countries: Sequence[str],
) -> StoredBatch:
    """``batch`` in one transaction, tried again when the database aborted it to break a
    deadlock or a serialisation conflict."""
    for attempt in range(ATTEMPTS):
        try:
            with store.session() as session:
                return _Batch(store, session, source, places, sides, places_for, countries).run(
                    batch
                )
        except DBAPIError as exc:
            code = getattr(exc.orig, "sqlstate", None)
            if code not in RETRY_SQLSTATES or attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _item_fault(exc: Exception) -> bool:
    """Whether ``exc`` may be one article's doing (see the module docstring), so that storing
    the articles one by one keeps the others; a database that is down or locked is not."""
    if isinstance(exc, BriefwatchError):
        return False  # the store (`StoreError`: locked, damaged) or the gazetteer, not the page
    if not isinstance(exc, DBAPIError):
        return True  # raised by our own code on one article's text (extraction, a value)
    if exc.connection_invalidated:
        return False
    code = getattr(exc.orig, "sqlstate", None) or ""
    # psycopg refuses a NUL before it reaches the server: a DataError without a SQLSTATE.
    return code[:2] in ITEM_SQLSTATE_CLASSES or isinstance(exc, DataError | IntegrityError)


def describe_error(exc: Exception) -> str:
    """One line: the driver's error and its first line, without the SQL and the parameters."""
    error = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0][:300] if lines else ''}".rstrip(": ")


class _Batch:
    """One batch's transaction: the lookups, and the rows kept back until the end."""

    def __init__(
        self,
        store: Store,
        session: Session,
        source: str,
        places: Mapping[str, str],
        sides: Mapping[str, str],
        places_for: PlacesFor,
        countries: Sequence[str] = (),
    ) -> None:
        self.store, self.session, self.source = store, session, source
        self.places, self.sides, self.places_for = places, sides, places_for
        self.countries = tuple(countries)
        self.revisions: list[dict] = []
        self.claims: list[dict] = []
        self.cut: list[str] = []
        self.inserted: dict[str, int] = {}  # URL -> article id, stored by this batch

    def run(self, batch: Sequence[Incoming]) -> StoredBatch:
        known = self.store.known_urls(self.session, (item.canonical for item in batch))
        fresh = [item for item in batch if item.canonical not in known]
        lookup = StoryLookup(self.session)
        lookup.read_fingerprints(item.digest for item in fresh)
        # Only a body that is no exact copy is signed and compared (as `find_story` would).
        compared = [item for item in fresh if lookup.exact(item.digest) is None]
        lookup.read_candidates(item.signature for item in compared)
        lookup.read_paragraphs(h for item in batch for h in item.hashes)
        result = StoredBatch()
        for item in batch:
            result.verdicts.append(self._store(item, known, lookup))
        self.store.insert_ignore(self.session, Revision, self.revisions)
        lookup.flush(self.store)
        result.claims = self.store.insert_ignore(self.session, Claim, self.claims)
        result.places = self.places
        result.cut = self.cut
        return result

    def _store(self, item: Incoming, known: dict[str, Article], lookup: StoryLookup) -> Verdict:
        parsed, url, now = item.parsed, item.canonical, utcnow()
        existing = known.get(url)
        if existing is None and url in self.inserted:  # the same URL twice in one batch
            existing = known[url] = self.session.get_one(Article, self.inserted[url])
        story_id, sig = None, None
        if existing is None:  # a known URL is a revision or a duplicate, whatever it resembles
            story_id = lookup.exact(item.digest)
            if story_id is None:
                sig = item.signature
                story_id = lookup.near(sig)
        decision = decide(
            parsed.paragraphs,
            existing.body_hash if existing else None,
            story_id,
            lookup.seen(item.hashes),
            digest=item.digest,
            hashes=item.hashes,
        )
        if decision.verdict == "duplicate":
            return decision.verdict
        if decision.verdict == "revision":
            assert existing is not None
            article, story_id, sig = existing, existing.story_id, item.signature
            article.paragraphs, article.body_hash = list(parsed.paragraphs), item.digest
            article.signature, article.shingles = sig.to_bytes(), sig.shingles
            article.title, article.modified, article.updated_at = parsed.title, parsed.modified, now
            self.session.add(article)
            when = as_utc(article.published or article.first_seen_at)
            assert article.id is not None
            home = ClaimHome(
                story_id,
                article.id,
                when.date() if when else None,
                article.modified or article.published or article.first_seen_at,
            )
        else:
            if story_id is None:
                story_id = self._new_story(item, now)
                lookup.add_story(item.digest, story_id)
            article_id = self.inserted[url] = self._new_article(item, story_id, sig, now)
            day = report_day(parsed.published, self.store.dialect)
            home = ClaimHome(story_id, article_id, day, parsed.modified or parsed.published or now)
        self.revisions.append(
            {
                "article_id": home.article_id,
                "body_hash": item.digest,
                "seen_at": now,
                "new_paragraphs": len(decision.paragraphs_to_read),
            }
        )
        if sig is not None:
            lookup.add_body(home.story_id, sig, replaced=decision.verdict == "revision")
        lookup.add_paragraphs(home.story_id, decision.hashes_to_read)
        if decision.paragraphs_to_read:
            self._read_claims(item, decision.paragraphs_to_read, home)
        return decision.verdict

    def _new_story(self, item: Incoming, now: datetime) -> int:
        parsed = item.parsed
        row = {"fingerprint": item.digest, "title": parsed.title, "first_seen_at": now,
               "published": parsed.published}  # fmt: skip
        story_id = self.store.insert_one(self.session, Story, row)
        if story_id is None:  # a rival worker stored it a moment ago
            query = select(Story.id).where(Story.fingerprint == item.digest)
            story_id = self.session.exec(query).one()
        return story_id

    def _new_article(
        self, item: Incoming, story_id: int, sig: Signature | None, now: datetime
    ) -> int:
        parsed, url = item.parsed, item.canonical
        row = {
            "url": url,
            "story_id": story_id,
            "source": self.source,
            "outlet": parsed.outlet or _host(url),
            "title": parsed.title,
            "parser": parsed.parser,
            "published": parsed.published,
            "modified": parsed.modified,
            "authors": list(parsed.authors),
            "paragraphs": list(parsed.paragraphs),
            "body_hash": item.digest,
            # None for an exact copy: its body is already indexed under the story.
            "signature": sig.to_bytes() if sig else None,
            "shingles": sig.shingles if sig else 0,
            "first_seen_at": now,
            "updated_at": now,
        }
        article_id = self.store.insert_one(self.session, Article, row)
        if article_id is None:  # a rival worker stored the URL a moment ago
            article_id = self.session.exec(select(Article.id).where(Article.url == url)).one()
        return article_id

    def _read_claims(self, item: Incoming, new_paragraphs: Sequence[str], home: ClaimHome) -> None:
        rows, aliases, cuts = claim_rows(
            item, new_paragraphs, home, self.places, self.sides, self.countries
        )
        self.claims += rows
        self.cut += [
            f"{item.canonical}: {c.reason} (read {c.kept} of {c.length} characters)" for c in cuts
        ]
        if aliases:  # the places known to the extractor changed: the next articles know them
            self.store.save_place_aliases(self.session, aliases)
            self.places = self.places_for(self.session)


def claim_rows(
    item: Incoming,
    new_paragraphs: Sequence[str],
    home: ClaimHome,
    places: Mapping[str, str],
    sides: Mapping[str, str],
    countries: Sequence[str] = (),
) -> tuple[list[dict], dict[str, str], list[Cut]]:
    """Claims from the article's new text, as rows ready for the claim table, the place
    aliases the extractor learnt, and what of the text was too long to read (`limits`)."""
    # Extract over the whole body so "it said" and "the town" resolve, then keep only the claims
    # whose sentence is in the new text: a revision's old paragraphs are never read twice. The
    # worker's reading is used when it assumed the same day, places, sides and countries.
    ahead = item.prepared
    extraction = ahead.extraction_for(home.day, places, sides, countries) if ahead else None
    if extraction is None:
        paragraphs = list(item.parsed.paragraphs)
        extraction = extract(
            paragraphs, places=places, published=home.day, sides=sides, countries=countries
        )
    new_text = [normalise(p) for p in new_paragraphs]
    incident = _incident(home.day)
    rows = []
    # A claim said again later in the text is stored once per sentence: each is evidence.
    control = [
        said
        for claim in [*extraction.control, *extraction.aggregates]
        for said in (claim, *claim.repeats)
    ]
    for kind, found in (("casualty", extraction.casualties), ("control", control)):
        for claim in found:
            if not any(normalise(claim.sentence) in p for p in new_text):
                continue
            data = claim_data(claim)
            identity = json.dumps(
                [home.story_id, kind, normalise(claim.sentence), data], sort_keys=True
            )
            rows.append(
                {
                    "key": hashlib.sha256(identity.encode()).hexdigest(),
                    "kind": kind,
                    "fact_key": facts.fact_key(kind, data, incident, sides),
                    "story_id": home.story_id,
                    "article_id": home.article_id,
                    "sentence": claim.sentence,
                    "claimed_by": claim.claimed_by,
                    "position": claim.position,
                    "published": home.vouched,
                    "data": data,
                    "folded": False,
                    "created_at": utcnow(),
                }
            )
    return rows, dict(extraction.aliases), list(extraction.cuts)


def _incident(day: date | None) -> str:
    """What scopes an incident's casualty fact: the report's publication day.

    Not the story: a follow-up story on the same event would alert again, and casualty claims
    carry no place yet to tell two same-day events apart. One place to change when they do.
    """
    return (day or utcnow().date()).isoformat()


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")
