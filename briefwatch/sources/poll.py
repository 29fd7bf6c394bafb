"""Polling one source: its listing, the URLs worth fetching, and the article pages behind them.

`harvest_source` is the network half of a pass for one source (`briefwatch.pipeline` strings the
stages together). In order:

1. the schedule: a source with ``every`` that was polled successfully less than that long ago
   (less 10 %, so a pass that starts a little early does not skip it) is skipped as ``not-due``;
2. the listing, by conditional GET: a feed, an index page, a sitemap (a sitemap index's newest
   `MAX_CHILD_SITEMAPS` child sitemaps are read as listings too, never fetched as articles), or
   the source is itself one article; ``kind = "auto"`` decides from the response;
3. the plan: URLs that failed in an earlier pass first, then new entries newest first, then known
   ones worth a conditional re-check; full-text feed entries become articles without a fetch;
4. the fetches, at most ``max_articles_per_source`` per pass, then (``follow_related``) the
   related articles the fetched pages link to on the same site, within their own budget.

Nothing is lost on the way:

* a fetch that fails with a retryable error (timeout, 5xx, a host that asked us to wait,
  robots.txt unreadable, a truncated page) is recorded as ``retry-next-pass`` and is fetched
  first in the next pass, even when the listing is unchanged (304) or has moved on; after
  `MAX_PASSES` passes it is recorded as ``gave-up``;
* entries over the per-pass cap stay in the listing: its validators are not saved, so the next
  pass reads it whole again and takes the next ones;
* related articles over their budget are recorded as ``retry-next-pass`` too, and so is a page
  a parser failed on (``parser-error``: our error, not the page's; `RETRY_REJECTIONS`);
* one ledger rule for the queue, whatever queued a URL (``retry-next-pass`` or ``timed-out``,
  in fetching or in reading): the passes it was tried in add up, and after `MAX_PASSES` it
  is ``gave-up``, with the last error, shown by `briefwatch sources` (`queue_counts`);
* a source has ``fetch.source_deadline`` seconds for its listing and articles, and no more than
  the pass has left (``fetch.pass_deadline``): what its time did not cover is recorded as
  ``timed-out``, which queues it like ``retry-next-pass`` (fetched first next pass, never taken
  as read); a source the pass had no time left for is not read, and says so (`Harvest.timed_out`).

A page that was rejected for good (filtered out, not an article, robots.txt says no, given up)
is not fetched again unless its listing entry is dated after the rejection; nor is a full-text
feed entry read again.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlmodel import Session, col, delete, select

from briefwatch.clock import as_utc, utcnow
from briefwatch.config import Settings, SourceSettings
from briefwatch.fetch.client import PAGE_TYPES, Cutoff, Fetched, Fetcher, FetchFailure
from briefwatch.models import Article, Skip, Source
from briefwatch.sources import skips
from briefwatch.sources.skips import (
    GAVE_UP,
    RETRY,
    TIMED_OUT,
    Kind,
    Skipped,
    long_url_skip,
    of_kind,
    passed_over,
    recorded_urls,
)
from briefwatch.store import Store, chunks
from briefwatch.stories.dedupe import canonical_url
from briefwatch.stories.prepared import Prepared
from parsers.index import registrable_domain
from parsers.registry import page_kind, parse_article, parse_listing
from parsers.types import ListingEntry, Page, ParsedArticle, Rejection

MAX_CHILD_SITEMAPS = 5  # child sitemaps of an index read per pass, newest first
DUE_EARLY = 0.9  # a source is due once this share of its `every` has passed
# Listings may be gzip-compressed sitemaps (sitemap.xml.gz), served as one of these.
LISTING_TYPES = PAGE_TYPES | {"application/x-gzip", "application/gzip", "application/octet-stream"}


@dataclass
class Harvest:
    """What polling one source found: article pages and full-text entries, or why not."""

    source: str
    pages: list[Fetched] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    listing_kind: str | None = None
    listing_unchanged: bool = False
    entries: int = 0
    failure: Skipped | None = None  # the source itself failed (listing unreachable/unreadable)
    retryable: bool = False
    # Full-text feed entries: already articles, no page fetched (see parsers.feed).
    articles: list[ParsedArticle] = field(default_factory=list)
    not_due: bool = False
    # Pages parsed while polling (to follow their related links), not parsed again.
    parsed_early: dict[str, ParsedArticle | Rejection] = field(default_factory=dict, repr=False)
    # The pages handed to the page workers (`briefwatch.pages.ahead.prepare_ahead`).
    reading: Iterator[Prepared] | None = field(default=None, repr=False)
    # Passes each page fetched from the retry queue has been tried in, by the URL it came from:
    # the fetch takes it off the queue, and a page queued again as it is read (cut short, a
    # parser error) keeps its count, so that it is given up after `MAX_PASSES` passes.
    attempts: dict[str, int] = field(default_factory=dict, repr=False)
    queued: dict[str, int] = field(default_factory=dict, repr=False)  # by the URL asked for
    # Why the source was not read at all in this pass: the pass had no time left for it.
    timed_out: str | None = None
    # Its listing was given up on (its `Cutoff` ended) while the rest of its group was done.
    abandoned: bool = False

    def parse(self, fetched: Fetched, parser: str) -> ParsedArticle | Rejection:
        """``fetched`` parsed once per harvest, however often it is asked for.

        On a `Page` of its own, let go of once parsed: the one `Fetched.page` keeps would hold
        the page's text and lxml tree (~10x its body) on the fetched page until the harvest is
        processed, for every page of the harvest.
        """
        if fetched.url not in self.parsed_early:
            page = Page(fetched.url, fetched.body, fetched.content_type, fetched.charset)
            self.parsed_early[fetched.url] = parse_article(page, parser)
        return self.parsed_early[fetched.url]

    @property
    def empty(self) -> bool:
        """Nothing to read and nothing to record (an unchanged or not-due source)."""
        return not (self.pages or self.articles or self.skipped)


def _fitting(entries: Iterable[ListingEntry], harvest: Harvest) -> list[ListingEntry]:
    """The entries whose URL can be stored; the others recorded in ``harvest`` as skipped."""
    kept = []
    for entry in entries:
        too_long = long_url_skip(canonical_url(entry.url))
        if too_long is None:
            kept.append(entry)
        else:
            harvest.skipped.append(too_long)
    return kept


def harvest_source(
    store: Store,
    fetcher: Fetcher,
    source: SourceSettings,
    settings: Settings,
    until: float | None = None,
    cutoff: Cutoff | None = None,
) -> Harvest:
    """Fetch a source's listing and the article pages it offers that are new or may have changed;
    see the module docstring for the order and for what happens to what could not be fetched.

    ``until`` (a `time.time()`) is when the pass's fetching must be over: the source's own time
    (``fetch.source_deadline``) ends then at the latest. ``cutoff`` may end the reading of the
    listing from another thread (then `Harvest.abandoned`); it is closed once the listing is read.
    """
    harvest = Harvest(source=source.name)
    waiting = _not_due(store, source)
    if waiting is not None:
        harvest.not_due = True
        harvest.skipped.append(waiting)
        return harvest
    ends = time.time() + settings.fetch.source_deadline
    if until is not None:
        if time.time() >= until:
            harvest.timed_out = (
                f"{TIMED_OUT}: the pass's time (fetch.pass_deadline, "
                f"{settings.fetch.pass_deadline:g} s) ran out before this source was read; "
                "it is read next pass"
            )
            return harvest
        ends = min(ends, until)
    poll = _Poll(store, fetcher, source, settings, harvest, _Ledger(), ends, cutoff)
    documents = _read_listings(poll)
    if cutoff is not None:
        cutoff.close()
        harvest.abandoned = documents is None and cutoff.ended
    if documents is None:
        _write(poll, harvest.failure, 0)
        return harvest
    pending = _pending(poll)
    entries = _fitting(documents.entries, harvest)
    new, again, harvest.articles = _plan(poll, entries, pending)
    # The cap is on new articles; known ones re-checked for revisions (mostly 304s) get as many.
    cap = settings.fetch.max_articles_per_source
    urls = [*new[:cap], *again[:cap]]
    _fetch_pages(poll, urls, again)
    if len(new) > cap:
        # Not lost: the listing's validators are not saved below, so the next pass reads it
        # whole again and these are still new.
        harvest.skipped.append(
            Skipped(
                source.url,
                "over-pass-cap",
                f"{len(new) - cap} more new articles left for the next pass "
                "(fetch.max_articles_per_source)",
            )
        )
    else:
        poll.ledger.remember(documents.fetched)
    if source.follow_related:
        _follow_related(poll)
    found = len(harvest.pages) + len(harvest.articles)
    _write(poll, None, found)
    return harvest


@dataclass
class _Ledger:
    """What a harvest must tell the store: validators to keep and URLs that leave the retry
    queue. Written in one transaction at the end of the harvest (`_write`), not three per URL.

    A pass that dies before that loses nothing: its pages were not stored either, the retry
    queue still holds what it held (tried again next pass), and no validator makes the next
    pass's request conditional on a page it never stored.
    """

    validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    settled: list[str] = field(default_factory=list)

    def remember(self, results: Iterable[Fetched | FetchFailure]) -> None:
        for result in results:
            if isinstance(result, Fetched) and (result.etag or result.last_modified):
                self.validators[result.url] = (result.etag, result.last_modified)


@dataclass(frozen=True)
class _Poll:
    """One source polled in one pass: what every step of `harvest_source` works with."""

    store: Store
    fetcher: Fetcher
    source: SourceSettings
    settings: Settings
    harvest: Harvest  # what the polling found, filled in as it goes
    ledger: _Ledger  # what it must tell the store at the end (`_write`)
    until: float  # when the source's time is up (its own deadline, or the pass's when sooner)
    cutoff: Cutoff | None = None  # may end the reading of its listing from another thread


def _write(poll: _Poll, failure: Skipped | None, found: int) -> None:
    """The harvest's bookkeeping in one transaction: validators, retry queue, the source row."""
    store, source, ledger = poll.store, poll.source, poll.ledger
    with store.session() as session:
        store.save_validators(session, ledger.validators)
        for chunk in chunks(ledger.settled):
            session.exec(
                delete(Skip).where(
                    Skip.source == source.name,
                    col(Skip.url).in_(chunk),
                    of_kind(Kind.WAITING),
                )
            )
        _record_source(session, store, source, failure, poll.harvest.listing_kind, found)


# -- the listing -------------------------------------------------------------------------------


@dataclass
class _Documents:
    entries: list[ListingEntry]
    fetched: list[Fetched]  # the listing documents read, whose validators may be saved


def _read_listings(poll: _Poll) -> _Documents | None:
    """The entries of the source's listing (and child sitemaps); ``None`` when it failed."""
    source, harvest = poll.source, poll.harvest
    response = _get(poll, source.url)
    if isinstance(response, FetchFailure):
        harvest.failure = Skipped(source.url, response.reason, response.detail)
        harvest.retryable = response.retryable
        return None
    if response.not_modified:
        harvest.listing_unchanged = True
        return _Documents([], [])
    page = response.page()
    kind = source.kind if source.kind != "auto" else page_kind(page)
    harvest.listing_kind = kind
    if kind == "article":
        harvest.pages.append(response)  # a single-article source: the page is the article
        return _Documents([], [response])
    listing = parse_listing(page, kind)
    if isinstance(listing, Rejection):
        harvest.failure = Skipped(source.url, listing.reason, listing.detail)
        return None
    if listing.cut:  # read in part: said, never silent
        harvest.skipped.append(Skipped(source.url, "listing-cut", listing.cut))
    documents = _Documents(list(listing.entries), [response])
    for child in _newest(_fitting(listing.sitemaps, harvest))[:MAX_CHILD_SITEMAPS]:
        got = _get(poll, child.url)
        if isinstance(got, FetchFailure):
            harvest.skipped.append(_failure_skip(child.url, got))
            continue
        if got.not_modified:
            continue  # read whole in an earlier pass that left nothing behind
        sub = parse_listing(got.page(), "sitemap")
        if isinstance(sub, Rejection):
            harvest.skipped.append(Skipped(child.url, sub.reason, sub.detail))
            continue
        documents.entries += sub.entries  # a nested index is against the protocol: not followed
        documents.fetched.append(got)
    harvest.entries = len(documents.entries)
    return documents


def _plan(
    poll: _Poll, entries: Sequence[ListingEntry], pending: dict[str, bool]
) -> tuple[list[str], list[str], list[ParsedArticle]]:
    """What to read: new URLs in order (the retry queue first, then newest first), known URLs
    to re-check for revisions, and the full-text entries to take as they are. ``pending`` maps
    queued URLs to whether they are still to be tried (``False``: given up in this pass)."""
    store, source = poll.store, poll.source
    by_url: dict[str, ListingEntry] = {}
    for entry in entries:
        by_url.setdefault(canonical_url(entry.url), entry)
    with store.session() as session:
        known = store.known_urls(session, by_url)
        settled = {u: p.when for u, p in passed_over(session, source.name, by_url).items()}
    window = timedelta(hours=poll.settings.fetch.revisit_hours)
    use_feed_text = source.parser == "auto"  # a forced parser means: read the page
    fresh: list[tuple[str, ListingEntry]] = []
    again: list[str] = []
    articles: list[ParsedArticle] = []
    for url, entry in by_url.items():
        if url in pending:
            continue
        if entry.article is not None and use_feed_text:
            # The ledger's rule for pages holds for full-text entries too: one passed over for
            # good (filtered out, refused by the store, given up) is not read again every pass
            # unless the feed dates it after that verdict.
            if url in known:
                if _dated_after(entry, known[url]):
                    articles.append(entry.article)
            elif url not in settled or (entry.published and entry.published > settled[url]):
                articles.append(entry.article)
            continue
        if url in known:
            if _revisit(entry, known[url], window):
                again.append(url)
        elif url not in settled or (entry.published and entry.published > settled[url]):
            fresh.append((url, entry))
    # Newest first, so a cap leaves the oldest for later; undated entries keep listing order.
    fresh.sort(key=lambda item: _timestamp(item[1].published), reverse=True)
    retry = [url for url, live in pending.items() if live]
    return [*retry, *(url for url, _ in fresh)], again, articles


# -- fetching ----------------------------------------------------------------------------------


def _fetch_pages(poll: _Poll, urls: Sequence[str], stored: Collection[str] = ()) -> None:
    """Fetch ``urls`` in order while the source has time; ``stored``: those of them in the
    store, asked for conditionally."""
    # Only a stored article is asked for conditionally. Any other URL is asked for whole, even
    # with validators remembered for it: a 304 would not bring back a body that arrived cut
    # short last time (the retry queue), or one fetched by a pass that died before storing it.
    harvest, ledger, until = poll.harvest, poll.ledger, poll.until
    conditional = [url for url in urls if url in stored]
    with poll.store.session() as session:
        known = poll.store.validators(session, conditional)
    for index, url in enumerate(urls):
        if time.time() >= until:  # the source's time is up: the rest waits, queued
            detail = "this source's time in the pass ran out before it was fetched"
            harvest.skipped += [Skipped(u, TIMED_OUT, detail) for u in urls[index:]]
            return
        validator = known.get(url)
        result = poll.fetcher.get(
            url,
            etag=validator.etag if validator else None,
            last_modified=validator.last_modified if validator else None,
            types=PAGE_TYPES,
            until=until,
        )
        ledger.remember([result])
        if isinstance(result, FetchFailure):
            cut = result.retryable and time.time() >= until  # cut off by the source's time
            harvest.skipped.append(Skipped(url, TIMED_OUT, result.detail) if cut else
                                   _failure_skip(url, result))  # fmt: skip
            if result.retryable:
                continue
        elif not result.not_modified:
            harvest.pages.append(result)
            if url in harvest.queued:
                harvest.attempts[result.url] = harvest.queued[url]
        ledger.settled.append(url)  # fetched, or failed for good: it leaves the retry queue


def _follow_related(poll: _Poll) -> None:
    """Fetch the related articles this pass's pages link to: same site, once, within budget."""
    store, source, harvest = poll.store, poll.source, poll.harvest
    links: dict[str, None] = {}
    for fetched in list(harvest.pages):
        parsed = harvest.parse(fetched, source.parser)
        if isinstance(parsed, ParsedArticle):
            site = _site(fetched.url)
            links.update((canonical_url(u), None) for u in parsed.related if _site(u) == site)
    for url in list(links):
        too_long = long_url_skip(url)
        if too_long is not None:
            del links[url]
            harvest.skipped.append(too_long)
    seen_now = {canonical_url(f.url) for f in harvest.pages} | {s.url for s in harvest.skipped}
    with store.session() as session:
        known = store.known_urls(session, links)
        queued = recorded_urls(session, source.name, links)
    new = [u for u in links if u not in known and u not in queued and u not in seen_now]
    budget = poll.settings.fetch.max_related_per_source
    _fetch_pages(poll, new[:budget])
    for url in new[budget:]:
        detail = "a related article over this pass's budget (fetch.max_related_per_source)"
        harvest.skipped.append(Skipped(url, RETRY, detail))


def _get(poll: _Poll, url: str) -> Fetched | FetchFailure:
    """A listing by conditional GET, with the validators remembered for ``url`` (saved again
    only once the pass has taken all the listing offers: `_Ledger`)."""
    with poll.store.session() as session:
        known = poll.store.validator(session, url)
    etag, modified = (known.etag, known.last_modified) if known else (None, None)
    return poll.fetcher.get(
        url, etag=etag, last_modified=modified, types=LISTING_TYPES, until=poll.until,
        cutoff=poll.cutoff,
    )  # fmt: skip


def _failure_skip(url: str, failure: FetchFailure) -> Skipped:
    if failure.retryable:
        return Skipped(url, RETRY, f"{failure.reason}: {failure.detail}")
    return Skipped(url, failure.reason, failure.detail)


# -- the retry queue and earlier verdicts (rows of the skip table) ------------------------------


def _pending(poll: _Poll) -> dict[str, bool]:
    """URLs of this source waiting for another try, oldest first, each with ``True``; ones tried
    in `MAX_PASSES` passes are recorded as given up instead, with ``False``."""
    store, source, harvest = poll.store, poll.source, poll.harvest
    with store.session() as session:
        rows = session.exec(
            select(Skip)
            .where(Skip.source == source.name, of_kind(Kind.WAITING))
            .order_by(col(Skip.id))
        ).all()
        stored = store.known_urls(session, [row.url for row in rows])
        urls: dict[str, bool] = {}
        for row in rows:
            if row.url in stored:  # read since, through another source or a redirect
                session.delete(row)
            elif row.count >= skips.MAX_PASSES:
                detail = f"still failing after {row.count} passes; the last error: {row.detail}"
                harvest.skipped.append(Skipped(row.url, GAVE_UP, detail))
                session.delete(row)
                urls[row.url] = False
            else:
                urls[row.url] = True
                harvest.queued[row.url] = row.count
    return urls


# -- the source's own record ---------------------------------------------------------------------


def _not_due(store: Store, source: SourceSettings) -> Skipped | None:
    """Why the source is not polled in this pass, or ``None`` when it is due.

    Due when it has no ``every``, has never been read, failed last time (a failure is retried at
    once), or its last success is at least `DUE_EARLY` x ``every`` ago.
    """
    if source.every is None:
        return None
    with store.session() as session:
        row = session.exec(select(Source).where(Source.name == source.name)).first()
    last = as_utc(row.last_success_at) if row else None
    if row is None or last is None or row.consecutive_failures:
        return None
    since = (utcnow() - last).total_seconds()
    if since >= source.every * DUE_EARLY:
        return None
    due = last + timedelta(seconds=source.every * DUE_EARLY)
    detail = (
        f"polled {_span(since)} ago and due every {_span(source.every)}; "
        f"next due at {due:%Y-%m-%d %H:%M:%S} UTC"
    )
    return Skipped(source.url, "not-due", detail)


def _record_source(
    session: Session,
    store: Store,
    source: SourceSettings,
    failure: Skipped | None,
    kind: str | None,
    found: int,
) -> None:
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


# -- small helpers -----------------------------------------------------------------------------


def _revisit(entry: ListingEntry, article: Article, window: timedelta) -> bool:
    """Whether a known article should be fetched again to catch a revision.

    When the listing dates the entry later than what we stored, or the article is recent
    enough that updates are likely; a conditional GET makes an unchanged page cost one 304.
    """
    if _dated_after(entry, article):
        return True
    first_seen = as_utc(article.first_seen_at)
    return bool(first_seen and utcnow() - first_seen < window)


def _dated_after(entry: ListingEntry, article: Article) -> bool:
    stored = as_utc(article.modified or article.published or article.first_seen_at)
    return bool(entry.published and stored and entry.published > stored)


def _newest(entries: Sequence[ListingEntry]) -> list[ListingEntry]:
    """Newest first by their date; undated ones after, in document order."""
    return sorted(entries, key=lambda e: _timestamp(e.published), reverse=True)


def _timestamp(when: datetime | None) -> float:
    return when.timestamp() if when else float("-inf")


def _site(url: str) -> str:
    return registrable_domain(urlsplit(url).hostname or "")


def _span(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g}{unit}"
    return f"{seconds / 60:.0f} min" if seconds >= 60 else f"{seconds:.0f} s"
