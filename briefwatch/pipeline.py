"""One pass of the pipeline, stage by stage, as plain functions.

    harvest_source   source -> listing -> candidate URLs -> fetched article pages     (network)
    process_harvest  pages -> parsed articles -> dedupe -> claims, stored per article (CPU + store)
    fold_facts       unfolded claims -> facts -> changes -> outbox                    (store)
    send_alerts      outbox -> Apprise -> channels                                     (network)

The Prefect flow in `flows/` strings these together; `run_pass` calls them directly. Every
stage is idempotent: what it stores is guarded by unique keys, so a pass run twice, or run again
after dying half way, stores nothing twice and sends nothing twice.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select, update

from briefwatch import alerts, facts, stories
from briefwatch.clock import as_utc, utcnow
from briefwatch.config import Settings, SourceSettings
from briefwatch.dedupe import body_hash, canonical_url, decide, normalise
from briefwatch.extract import extract
from briefwatch.fetch import Fetched, Fetcher, FetchFailure
from briefwatch.models import Article, Change, Claim, Fact, Revision, Story
from briefwatch.store import Store
from parsers.registry import page_kind, parse_article, parse_listing
from parsers.types import ListingEntry, ParsedArticle, Rejection


@dataclass(frozen=True)
class Skipped:
    """A URL passed over in this pass, and why (recorded in the store's `skip` table)."""

    url: str
    reason: str
    detail: str


@dataclass
class Harvest:
    """What polling one source found: article pages to process, or why it could not."""

    source: str
    pages: list[Fetched] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    listing_kind: str | None = None
    listing_unchanged: bool = False
    entries: int = 0
    failure: Skipped | None = None  # the source itself failed (listing unreachable/unreadable)
    retryable: bool = False


@dataclass
class BatchResult:
    """What processing one source's pages stored."""

    source: str
    new_stories: list[str] = field(default_factory=list)  # titles
    copies: list[str] = field(default_factory=list)
    revisions: list[str] = field(default_factory=list)
    duplicates: int = 0
    claims: int = 0
    skipped: list[Skipped] = field(default_factory=list)


# -- harvest ---------------------------------------------------------------------------------


def sides_map(settings: Settings) -> dict[str, str]:
    """Config `[[sides]]` as alias word (lowercase) -> side name, for `side_of`."""
    out: dict[str, str] = {}
    for entry in settings.sides:
        for word in (entry.name, *entry.aliases):
            out[word.casefold()] = entry.name
    return out


def places_map(settings: Settings, store: Store) -> dict[str, str]:
    """Every known place name -> its canonical name: the store's, overridden by the config's."""
    out = store.place_aliases()
    for entry in settings.places:
        for name in (entry.name, *entry.aliases):
            out[name] = entry.name
    return out


def _fetch(store: Store, fetcher: Fetcher, url: str) -> Fetched | FetchFailure:
    """A conditional GET with the validators remembered for ``url``; remember the new ones."""
    with store.session() as session:
        known = store.validator(session, url)
        etag, modified = (known.etag, known.last_modified) if known else (None, None)
    result = fetcher.get(url, etag=etag, last_modified=modified)
    if isinstance(result, Fetched) and (result.etag or result.last_modified):
        with store.session() as session:
            store.save_validator(session, url, result.etag, result.last_modified)
    return result


def _record_source(
    store: Store, source: SourceSettings, failure: Skipped | None, kind: str | None, found: int
) -> None:
    with store.session() as session:
        row = store.source_row(session, source.name, source.url, source.kind)
        now = utcnow()
        row.last_attempt_at = now
        row.detected_kind = kind or row.detected_kind
        row.articles_seen += found
        if failure is None:
            row.last_success_at, row.last_error, row.last_error_detail = now, None, None
            row.consecutive_failures = 0
        else:
            row.last_error, row.last_error_detail = failure.reason, failure.detail
            row.last_error_at = now
            row.consecutive_failures += 1
        session.add(row)


def _revisit(entry: ListingEntry, article: Article, window: timedelta) -> bool:
    """Whether a known article should be fetched again to catch a revision.

    When the listing dates the entry later than what we stored, or the article is recent
    enough that updates are likely; a conditional GET makes an unchanged page cost one 304.
    """
    stored = as_utc(article.modified or article.published or article.first_seen_at)
    if entry.published and stored and entry.published > stored:
        return True
    first_seen = as_utc(article.first_seen_at)
    return bool(first_seen and utcnow() - first_seen < window)


def harvest_source(
    store: Store, fetcher: Fetcher, source: SourceSettings, settings: Settings
) -> Harvest:
    """Fetch a source's listing and the article pages it offers that are new or may have changed."""
    harvest = Harvest(source=source.name)
    listing_response = _fetch(store, fetcher, source.url)
    if isinstance(listing_response, FetchFailure):
        harvest.failure = Skipped(source.url, listing_response.reason, listing_response.detail)
        harvest.retryable = listing_response.retryable
        _record_source(store, source, harvest.failure, None, 0)
        return harvest
    if listing_response.not_modified:
        harvest.listing_unchanged = True
        _record_source(store, source, None, None, 0)
        return harvest

    page = listing_response.page()
    kind = source.kind if source.kind != "auto" else page_kind(page)
    harvest.listing_kind = kind
    if kind == "article":
        harvest.pages.append(listing_response)  # a single-article source: the page is the article
        _record_source(store, source, None, kind, 1)
        return harvest
    listing = parse_listing(page, kind)
    if isinstance(listing, Rejection):
        harvest.failure = Skipped(source.url, listing.reason, listing.detail)
        _record_source(store, source, harvest.failure, kind, 0)
        return harvest

    entries = {canonical_url(e.url): e for e in listing.entries}
    harvest.entries = len(entries)
    with store.session() as session:
        known = store.known_urls(session, entries)
    window = timedelta(hours=settings.fetch.revisit_hours)
    wanted = [
        url for url, e in entries.items() if url not in known or _revisit(e, known[url], window)
    ]
    for url in wanted[: settings.fetch.max_articles_per_source]:
        result = _fetch(store, fetcher, url)
        if isinstance(result, FetchFailure):
            harvest.skipped.append(Skipped(url, result.reason, result.detail))
        elif not result.not_modified:
            harvest.pages.append(result)
    if len(wanted) > settings.fetch.max_articles_per_source:
        # Not lost: they are still unseen, so the next pass offers them again.
        harvest.skipped.append(
            Skipped(
                source.url,
                "over-pass-cap",
                f"{len(wanted) - settings.fetch.max_articles_per_source} "
                "more new articles left for the next pass (fetch.max_articles_per_source)",
            )
        )
    _record_source(store, source, None, kind, len(harvest.pages))
    return harvest


# -- process ---------------------------------------------------------------------------------


def _matches(words: Sequence[str], parsed: ParsedArticle) -> bool:
    if not words:
        return True
    text = " ".join((parsed.title, *parsed.paragraphs))
    return any(re.search(rf"\b{re.escape(w)}\b", text, re.IGNORECASE) for w in words)


def _claim_rows(
    parsed: ParsedArticle,
    paragraphs_to_read: Sequence[str],
    story: Story,
    article: Article,
    places: Mapping[str, str],
    sides: Mapping[str, str],
) -> tuple[list[dict], dict[str, str]]:
    """Claims from the article's new text, as rows ready for the claim table."""
    # Extract over the whole body so "it said" and "the town" resolve, then keep only the claims
    # whose sentence is in the new text: a revision's old paragraphs are never read twice.
    extraction = extract(list(parsed.paragraphs), places=places)
    new_text = [normalise(p) for p in paragraphs_to_read]
    rows = []
    for kind, items in (("casualty", extraction.casualties), ("control", extraction.control)):
        for item in items:
            if not any(normalise(item.sentence) in p for p in new_text):
                continue
            data = asdict(item)
            sentence, position = data.pop("sentence"), data.pop("position")
            identity = json.dumps([story.id, kind, normalise(sentence), data], sort_keys=True)
            rows.append(
                {
                    "key": hashlib.sha256(identity.encode()).hexdigest(),
                    "kind": kind,
                    "fact_key": facts.fact_key(kind, data, _day(article), sides),
                    "story_id": story.id,
                    "article_id": article.id,
                    "sentence": sentence,
                    "claimed_by": data.get("claimed_by"),
                    "position": position,
                    # When the outlet last vouched for the sentence: a revised article's text is
                    # as recent as its revision, so an older copy elsewhere does not outrank it.
                    "published": article.modified or article.published or article.first_seen_at,
                    "data": data,
                    "folded": False,
                    "created_at": utcnow(),
                }
            )
    return rows, dict(extraction.aliases)


def _day(article: Article) -> str:
    when = as_utc(article.published or article.first_seen_at) or utcnow()
    return when.date().isoformat()


def store_article(
    store: Store,
    source: str,
    fetched_url: str,
    parsed: ParsedArticle,
    places: Mapping[str, str],
    sides: Mapping[str, str],
) -> tuple[str, int]:
    """Dedupe one parsed article and store it with its claims, in one transaction.

    Returns the verdict (new-story, copy, revision, duplicate) and how many claims were added.
    """
    url = canonical_url(fetched_url, parsed.url)
    now = utcnow()
    with store.session() as session:
        existing = session.exec(select(Article).where(Article.url == url)).first()
        digest = body_hash(parsed.paragraphs)
        copied, sig = None, None
        if existing is None:  # a known URL is a revision or a duplicate, whatever it resembles
            copied, sig = stories.find_story(session, digest, parsed.paragraphs)
        decision = decide(
            parsed.paragraphs,
            existing.body_hash if existing else None,
            copied.id if copied else None,
            stories.seen_paragraphs(session, parsed.paragraphs),
        )
        if decision.verdict == "duplicate":
            return decision.verdict, 0
        if decision.verdict == "revision":
            article = existing
            story = session.get(Story, article.story_id)
            article.paragraphs, article.body_hash = list(parsed.paragraphs), digest
            article.title, article.modified, article.updated_at = parsed.title, parsed.modified, now
            session.add(article)
        else:
            story = copied or stories.new_story(store, session, digest, parsed, sig)
            store.insert_ignore(
                session,
                Article,
                [
                    {
                        "url": url,
                        "story_id": story.id,
                        "source": source,
                        "outlet": parsed.outlet or _host(url),
                        "title": parsed.title,
                        "parser": parsed.parser,
                        "published": parsed.published,
                        "modified": parsed.modified,
                        "authors": list(parsed.authors),
                        "paragraphs": list(parsed.paragraphs),
                        "body_hash": digest,
                        "first_seen_at": now,
                        "updated_at": now,
                    }
                ],
            )
            article = session.exec(select(Article).where(Article.url == url)).one()
        store.insert_ignore(
            session,
            Revision,
            [
                {
                    "article_id": article.id,
                    "body_hash": digest,
                    "seen_at": now,
                    "new_paragraphs": len(decision.paragraphs_to_read),
                }
            ],
        )
        stories.record_paragraphs(store, session, story.id, decision.paragraphs_to_read)
        if not decision.paragraphs_to_read:
            return decision.verdict, 0
        rows, aliases = _claim_rows(
            parsed, decision.paragraphs_to_read, story, article, places, sides
        )
        if aliases:
            store.save_place_aliases(session, aliases)
        added = store.insert_ignore(session, Claim, rows)
        return decision.verdict, added


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def process_harvest(
    store: Store, harvest: Harvest, source: SourceSettings, settings: Settings
) -> BatchResult:
    """Parse, dedupe, extract and store every page a harvest fetched; record what was skipped."""
    result = BatchResult(source=harvest.source, skipped=list(harvest.skipped))
    places, sides = places_map(settings, store), sides_map(settings)
    for fetched in harvest.pages:
        parsed = parse_article(fetched.page(), source.parser)
        if isinstance(parsed, Rejection):
            result.skipped.append(Skipped(fetched.url, parsed.reason, parsed.detail))
            continue
        if not _matches(source.include, parsed):
            words = ", ".join(source.include)
            result.skipped.append(
                Skipped(fetched.url, "filtered-out", f"mentions none of: {words}")
            )
            continue
        verdict, added = store_article(store, source.name, fetched.url, parsed, places, sides)
        places = places_map(settings, store) if added else places  # aliases learnt from this one
        result.claims += added
        if verdict == "new-story":
            result.new_stories.append(parsed.title)
        elif verdict == "copy":
            result.copies.append(parsed.title)
        elif verdict == "revision":
            result.revisions.append(parsed.title)
        else:
            result.duplicates += 1
    if result.skipped:
        with store.session() as session:
            for skip in result.skipped:
                store.record_skip(session, skip.url, source.name, skip.reason, skip.detail)
    return result


# -- fold ------------------------------------------------------------------------------------


def fold_facts(store: Store, settings: Settings) -> list[Change]:
    """Fold every claim not yet folded into its fact; record a change for each fact that moved.

    One transaction: facts, changes, outbox rows and the claims' `folded` mark land together,
    so a pass that dies here is simply folded again next time. One change per fact per pass.
    """
    sides = sides_map(settings)
    for attempt in range(3):
        try:
            return _fold_once(store, settings, sides)
        except IntegrityError:
            if attempt == 2:  # another worker folded the same facts at the same moment
                raise
    return []


def _fold_once(store: Store, settings: Settings, sides: Mapping[str, str]) -> list[Change]:
    changes: list[Change] = []
    with store.session() as session:
        keys = store.unfolded_fact_keys(session)
        if not keys:
            return []
        claims = store.claims_for(session, keys)
        grouped: dict[str, list[Claim]] = {}
        for claim in claims:
            grouped.setdefault(claim.fact_key, []).append(claim)
        existing = {f.key: f for f in session.exec(select(Fact).where(col(Fact.key).in_(keys)))}
        now = utcnow()
        for key, group in grouped.items():
            state = facts.fold(key, group, sides)
            fact = existing.get(key)
            if fact is None:
                first = group[0]
                label = facts.fact_label(key, first.kind, first.data)
                fact = Fact(key=key, kind=first.kind, label=label, state={}, version=0)
            old = fact.state or None
            if facts.is_change(key, old, state):
                fact.version += 1
                change = Change(
                    key=f"{key}#{fact.version}",
                    fact_key=key,
                    kind=fact.kind,
                    version=fact.version,
                    title=facts.headline(key, fact.label, state),
                    old_state=old,
                    new_state=state,
                    claim_ids=facts.evidence_claim_ids(state),
                    created_at=now,
                )
                session.add(change)
                changes.append(change)
            fact.state, fact.updated_at = state, now
            session.add(fact)
        session.flush()
        alerts.queue(session, store, changes, settings.channels)
        ids = [c.id for c in claims if not c.folded]
        session.exec(update(Claim).where(col(Claim.id).in_(ids)).values(folded=True))
    return changes


# -- a whole pass without Prefect ------------------------------------------------------------


@dataclass
class PassSummary:
    """What one pass did, for the CLI, the Prefect artifact and the pass log."""

    started_at: datetime
    sources: int = 0
    failed_sources: list[str] = field(default_factory=list)  # "name: reason: detail"
    batches: list[BatchResult] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # change titles
    alerts: alerts.DeliveryReport = field(default_factory=alerts.DeliveryReport)

    def counts(self) -> dict[str, int]:
        return {
            "sources": self.sources,
            "failed_sources": len(self.failed_sources),
            "new_stories": sum(len(b.new_stories) for b in self.batches),
            "copies": sum(len(b.copies) for b in self.batches),
            "revisions": sum(len(b.revisions) for b in self.batches),
            "claims": sum(b.claims for b in self.batches),
            "skipped": sum(len(b.skipped) for b in self.batches),
            "changes": len(self.changes),
            "alerts_sent": len(self.alerts.sent),
            "alerts_failed": len(self.alerts.failed),
        }

    def to_json(self) -> dict:
        return {
            "started_at": self.started_at.isoformat(),
            "counts": self.counts(),
            "failed_sources": self.failed_sources,
            "new_stories": [t for b in self.batches for t in b.new_stories],
            "skipped": [asdict(s) for b in self.batches for s in b.skipped],
            "changes": self.changes,
            "alerts_sent": self.alerts.sent,
            "alerts_failed": self.alerts.failed,
        }


def describe_failure(harvest: Harvest) -> str:
    assert harvest.failure is not None
    return f"{harvest.source}: {harvest.failure.reason}: {harvest.failure.detail}"


def run_pass(
    settings: Settings, store: Store, fetcher: Fetcher, only: Sequence[str] = ()
) -> PassSummary:
    """One full pass over the configured sources, called directly (no Prefect)."""
    summary = PassSummary(started_at=utcnow())
    for source in settings.sources:
        if only and source.name not in only:
            continue
        summary.sources += 1
        harvest = harvest_source(store, fetcher, source, settings)
        if harvest.failure:
            summary.failed_sources.append(describe_failure(harvest))
        summary.batches.append(process_harvest(store, harvest, source, settings))
    summary.changes = [c.title for c in fold_facts(store, settings)]
    summary.alerts = alerts.send_pending(store, settings.channels)
    store.record_pass(summary.started_at, summary.to_json())
    return summary
