"""Backfill: a source's archive over a date range, read once, politely, resumably.

A monitor pass reads what a source offers now; a backfill goes back in time through what the
site keeps. The stages, as plain functions (``flows/backfill.py`` strings them together as
Prefect tasks; `run_backfill` does the same without Prefect; `drive_backfill` is the one loop
of both):

    open_backfill   source + range -> the backfill, found again on a rerun | Refusal
    next_step       from the database alone: read a listing page, fetch a batch, or stop
    read_listing    one listing document -> article URLs in the range, child sitemaps, next page
    fetch_articles  a batch of article URLs -> fetched, parsed, stored (pipeline.store_read)
    fold_facts      claims -> facts -> changes, old ones recorded quietly (pipeline.fold_facts)

What can go back in time (`briefwatch.backfill.range` decides what is in the range):

* a **sitemap**: a ``<urlset>``'s entries dated (``news:publication_date``, else ``lastmod``)
  in the range, or undated; of a sitemap index, the child sitemaps that may hold such entries
  (named for a period that overlaps the range, else ``lastmod`` not before ``since``, else
  undated), nested indexes too. A plain sitemap's ``lastmod`` stands in for the publication
  time, so a story modified after ``until`` is not read.
* an **index** (section) page: its stories, dated by their card's ``<time>`` or their URL (else
  by their page once fetched), then the next page (``rel="next"``, ``?page=N``, ``/page/N/``;
  `parsers.pagination`), until a page's last dated story is older than ``since`` or a page
  links to no next one.
* a **feed** cannot: it lists only its newest entries. It is refused with a `Refusal` that says
  so (and so is a single-article source), and nothing is fetched through it.

A run reads at most ``max_pages`` listing documents; articles are fetched through the one
`Fetcher`, so robots.txt and per-host pacing apply as in a pass.

Resumable, with the progress in the database (tables ``backfill`` and ``backfill_item``): a
backfill is keyed by its source and range as asked; each listing document and article URL is an
item, unique per backfill, with its state. A listing page is fetched once: its entries become
items the moment it is read. An article is marked done as soon as it is stored, and one already
in the store (from a pass or an earlier run) is marked done without a fetch. So a backfill that
dies, or stops at its page cap, continues where it stopped when run again: only the page that
was in flight when it died is fetched again. A retryable failure (timeout, 5xx) is tried again
on the next run, `MAX_RUNS_PER_URL` runs at most.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select, update

from briefwatch import pipeline
from briefwatch.alerts import send as alerts
from briefwatch.backfill.range import Range, Refusal, kind_refusal, parse_range, sitemap_in_range
from briefwatch.backfill.report import ArticlesRead, ListingRead, Report, Step, merge_batches
from briefwatch.clock import as_utc, utcnow
from briefwatch.config import Settings, SourceSettings
from briefwatch.fetch.client import Fetcher, FetchFailure
from briefwatch.models import Backfill, BackfillItem
from briefwatch.pipeline import DEFAULT_ALERT_DAYS, Folded
from briefwatch.sources.poll import LISTING_TYPES
from briefwatch.sources.skips import RETRY_REJECTIONS, passed_over
from briefwatch.store import Store
from briefwatch.stories.dedupe import canonical_url
from briefwatch.stories.prepared import Prepared
from parsers.pagination import entry_dates, next_page
from parsers.registry import page_kind, parse_article, parse_listing
from parsers.types import Listing, ListingEntry, Page, Rejection

__all__ = [
    "DEFAULT_ALERT_DAYS",
    "ArticlesRead",
    "Job",
    "ListingRead",
    "Range",
    "Refusal",
    "Report",
    "Stages",
    "Step",
    "drive_backfill",
    "fetch_articles",
    "next_step",
    "open_backfill",
    "progress",
    "read_listing",
    "run_backfill",
]

# Runs a URL failing with a retryable error is tried in before it is given up. Counted in runs,
# not tries or passes (`alerts.timing.MAX_DELIVERY_TRIES` says why the three ledgers differ): a
# backfill is run a few times, by hand or daily, and an archive page still failing after five
# runs fails for the archive's reasons, not a moment's.
MAX_RUNS_PER_URL = 5
DEFAULT_MAX_PAGES = 50  # listing documents read per run
BATCH_SIZE = 20  # article URLs fetched and stored per batch (one task in the flow)


@dataclass(frozen=True)
class Job:
    """One backfill as the stages need it: its row's id and what it reads."""

    id: int
    key: str
    source: str
    range: Range


# -- the job -------------------------------------------------------------------------------------


def open_backfill(
    store: Store,
    source: SourceSettings,
    since: str,
    until: str | None = None,
    now: datetime | None = None,
) -> Job | Refusal:
    """The backfill of ``source`` over the range: created, or found again to continue it.

    Refused without a request when the source is configured as a feed or as one article, or
    the range is wrong; refused as before when an earlier run found the source to be a feed.
    What failed in the last run is queued again.
    """
    refusal = kind_refusal(source.kind, source.name, source.url)
    if refusal is not None:
        return refusal
    now = now or utcnow()
    wanted = parse_range(since, until, now)
    if isinstance(wanted, Refusal):
        return wanted
    key = f"{source.name} {wanted.label}"
    with store.session() as session:
        job = {"key": key, "source": source.name, "since": wanted.since, "until": wanted.until}
        store.insert_ignore(session, Backfill, [{**job, "started_at": now, "updated_at": now}])
        row = session.exec(select(Backfill).where(Backfill.key == key)).one()
        assert row.id is not None
        # The source's own page is the first listing (a URL changed in the config: a new one).
        kind = source.kind if source.kind in ("sitemap", "index") else None
        first = _item(row.id, source.url, "listing", kind=kind)
        added = store.insert_ignore(session, BackfillItem, [first])
        if row.state == "refused" and not added:  # refused for this very page before
            return Refusal(row.refusal or "refused", row.detail or "")
        session.exec(
            update(BackfillItem)
            .where(col(BackfillItem.backfill_id) == row.id, col(BackfillItem.state) == "failed")
            .values(state="pending")
        )
        row.state, row.refusal, row.updated_at = "running", None, now
        session.add(row)
        # The stored range: an open range ends where its first run began, in every run.
        since_at, until_at = as_utc(row.since), as_utc(row.until)
        assert since_at is not None and until_at is not None
        return Job(row.id, key, source.name, Range(since_at, until_at, wanted.label))


def next_step(
    store: Store,
    job: Job,
    *,
    pages_read: int,
    max_pages: int = DEFAULT_MAX_PAGES,
    batch_size: int = BATCH_SIZE,
) -> Step:
    """What the backfill does next, decided from the database: the articles already queued
    first (so an index page's dates are known before its next page is asked for), then the
    next listing document while this run has read fewer than ``max_pages``; else stop, with
    where it stopped recorded on the backfill."""
    with store.session() as session:
        row = session.get(Backfill, job.id)
        assert row is not None
        if row.state == "refused":  # the source's page showed it has no archive
            return Step("stop", reason="refused", detail=row.detail or "")
        pending = session.exec(
            _items(job, "article", "pending").order_by(col(BackfillItem.id)).limit(batch_size)
        ).all()
        if pending:
            return Step("articles", tuple(item.id for item in pending if item.id is not None))
        _settle_index_pages(store, session, job)
        listing = session.exec(
            _items(job, "listing", "pending").order_by(col(BackfillItem.id))
        ).first()
        if listing is not None and listing.id is not None and pages_read < max_pages:
            return Step("listing", (listing.id,))
        stop = _stop(session, job, listing, max_pages)
        row.detail, row.updated_at = stop.detail, utcnow()
        if stop.reason == "finished":
            row.state, row.finished_at = "finished", row.finished_at or row.updated_at
        session.add(row)
        return stop


def _stop(session: Session, job: Job, listing: BackfillItem | None, max_pages: int) -> Step:
    """Why the run stops here, and where."""
    if listing is not None:
        return Step(
            "stop",
            reason="page-cap",
            detail=f"stopped at the page cap ({max_pages} listing pages in a run); run it "
            f"again to continue from {listing.url}",
        )
    failed = _count(session, job, "failed")
    if failed:
        detail = f"{failed} pages failed with errors worth retrying: run it again for them"
        return Step("stop", reason="incomplete", detail=detail)
    root = session.exec(
        select(BackfillItem)
        .where(col(BackfillItem.backfill_id) == job.id, col(BackfillItem.parent_id).is_(None))
        .order_by(col(BackfillItem.id).desc())
    ).first()
    if root is not None and root.state == "skipped":
        detail = f"the source's listing could not be read: {root.detail}"
        return Step("stop", reason="unreadable", detail=detail)
    last = session.exec(
        _items(job, "listing", "done").order_by(col(BackfillItem.id).desc())
    ).first()
    pages = session.exec(
        select(func.count())
        .select_from(BackfillItem)
        .where(col(BackfillItem.backfill_id) == job.id, col(BackfillItem.role) == "listing")
    ).one()
    detail = f"finished: {pages} listing pages" + (
        f"; the last, {last.url}: {last.detail}" if last is not None and last.detail else ""
    )
    return Step("stop", reason="finished", detail=detail)


def _settle_index_pages(store: Store, session: Session, job: Job) -> None:
    """Index pages whose articles are all in decide whether their next page is worth reading:
    not when the page's last dated story is older than ``since`` (index pages list newest
    first, so every later page is older still), nor when the page links to no next one."""
    for listing in session.exec(_items(job, "listing", "read").order_by(col(BackfillItem.id))):
        children = session.exec(
            select(BackfillItem)
            .where(col(BackfillItem.parent_id) == listing.id)
            .order_by(col(BackfillItem.id))
        ).all()
        if any(child.state == "pending" for child in children):
            continue
        dated = [when for child in children if (when := as_utc(child.published))]
        if not listing.next_url:
            listing.detail = f"page {listing.page} links to no next page"
        elif dated and dated[-1] < job.range.since:
            listing.detail = (
                f"page {listing.page} reaches {dated[-1]:%Y-%m-%d}, before since: "
                "older pages are not read"
            )
        else:
            following = _item(
                job.id, listing.next_url, "listing", kind="index",
                parent_id=listing.id, page=listing.page + 1,
            )  # fmt: skip
            store.insert_ignore(session, BackfillItem, [following])
            listing.detail = f"page {listing.page}, next: {listing.next_url}"
        listing.state, listing.updated_at = "done", utcnow()
        session.add(listing)


# -- listings ------------------------------------------------------------------------------------


def read_listing(
    store: Store, fetcher: Fetcher, job: Job, source: SourceSettings, item_id: int
) -> ListingRead:
    """Fetch one listing document of the backfill and queue what it offers in the range.

    The source's own page decides what the backfill is: a feed or an article refuses it, for
    good (the refusal is stored). Never a conditional GET, and no validators are kept: the
    monitor's conditional GET of the same URL must not be answered 304 because of us.
    """
    with store.session() as session:
        item = session.get(BackfillItem, item_id)
        assert item is not None
    read = ListingRead(url=item.url, kind=item.kind, page=item.page)
    got = fetcher.get(item.url, types=LISTING_TYPES)
    if isinstance(got, FetchFailure):
        read.failure = f"{got.reason}: {got.detail}"
        _failed(store, item_id, read.failure, retryable=got.retryable)
        return read
    page = got.page()
    kind = item.kind or page_kind(page)
    read.kind = kind
    refusal = kind_refusal(kind, source.name, got.url)
    listing = parse_listing(page, kind) if refusal is None else None
    if refusal is not None or isinstance(listing, Rejection):
        read.failure = str(refusal or listing)
        _failed(store, item_id, read.failure, retryable=False)
        if refusal is not None and item.parent_id is None:
            read.refusal = refusal
            _refuse(store, job, refusal)
        return read
    assert listing is not None
    with store.session() as session:
        item = session.get(BackfillItem, item_id)
        row = session.get(Backfill, job.id)
        assert item is not None and row is not None
        if kind == "sitemap":
            _queue_sitemap(store, session, job, item, listing, read)
            item.state = "done"
            item.detail = f"{read.entries} entries, {read.queued} new in the range"
        else:
            _queue_index(store, session, job, item, listing, page, read)
            item.state = "read"  # done once its articles are in (see _settle_index_pages)
        item.kind, item.updated_at = kind, utcnow()
        row.pages_read += 1
        row.kind = row.kind or kind
        session.add_all([item, row])
    return read


def _queue_sitemap(
    store: Store,
    session: Session,
    job: Job,
    item: BackfillItem,
    listing: Listing,
    read: ListingRead,
) -> None:
    assert item.id is not None
    children = [child for child in listing.sitemaps if sitemap_in_range(child, job.range)]
    read.sitemaps_out_of_range = len(listing.sitemaps) - len(children)
    rows = [
        _item(job.id, child.url, "listing", kind="sitemap", parent_id=item.id,
              page=item.page + 1, published=child.published)
        for child in children
    ]  # fmt: skip
    read.sitemaps = store.insert_ignore(session, BackfillItem, rows)
    read.entries = len(listing.entries)
    wanted = [e for e in listing.entries if e.published is None or job.range.covers(e.published)]
    read.out_of_range = read.entries - len(wanted)
    read.queued = _queue_articles(store, session, job, item, wanted, {})


def _queue_index(
    store: Store,
    session: Session,
    job: Job,
    item: BackfillItem,
    listing: Listing,
    page: Page,
    read: ListingRead,
) -> None:
    read.entries = len(listing.entries)
    dates = entry_dates(page, [entry.url for entry in listing.entries])
    # Every story of the page is kept, those outside the range as skipped: their dates decide
    # whether the next page is worth reading.
    read.queued = _queue_articles(store, session, job, item, listing.entries, dates)
    read.out_of_range = sum(1 for when in dates.values() if not job.range.covers(when))
    read.next_url = item.next_url = next_page(page, item.page)


def _queue_articles(
    store: Store,
    session: Session,
    job: Job,
    item: BackfillItem,
    entries: Iterable[ListingEntry],
    dates: Mapping[str, datetime],
) -> int:
    """Queue ``entries`` as article items in listing order, those dated outside the range as
    ``skipped``; return how many are new to the backfill and to be fetched."""
    assert item.id is not None
    rows = []
    for entry in entries:
        when = entry.published or dates.get(entry.url)
        inside = when is None or job.range.covers(when)
        detail = None if inside or when is None else f"outside the range (listed {when:%Y-%m-%d})"
        rows.append(
            _item(job.id, canonical_url(entry.url), "article", parent_id=item.id, page=item.page,
                  published=when, state="pending" if inside else "skipped", detail=detail)
        )  # fmt: skip
    store.insert_ignore(session, BackfillItem, rows)
    # Counted from the table: a story listed again on a later page is queued once, not twice.
    return session.exec(
        select(func.count())
        .select_from(BackfillItem)
        .where(col(BackfillItem.parent_id) == item.id, col(BackfillItem.state) == "pending")
    ).one()


# -- articles ------------------------------------------------------------------------------------


def fetch_articles(
    store: Store,
    fetcher: Fetcher,
    job: Job,
    source: SourceSettings,
    settings: Settings,
    item_ids: Sequence[int],
    alert_days: float = DEFAULT_ALERT_DAYS,
) -> ArticlesRead:
    """Fetch, parse and store a batch of the backfill's article URLs, each marked as soon as it
    is stored, so a run that dies here fetches again only the page it was on.

    Stored through `pipeline.store_read`, as a pass's pages are (the source's include/exclude
    words, dedupe, claims), and folded at once by `pipeline.fold_facts` (changes older than
    ``alert_days`` recorded, not alerted): claims left unfolded while the batch goes on would be
    folded by the next monitor pass, which alerts on every change. A URL already in the store,
    or passed over for good before by this source, is not fetched; a page dated outside the
    range by the page itself, or dated nowhere, is not stored.
    """
    out = ArticlesRead(batch=pipeline.BatchResult(source=source.name))
    fetching = _Fetching(store, fetcher, job, source, settings, alert_days)
    with store.session() as session:
        items = session.exec(
            select(BackfillItem)
            .where(col(BackfillItem.id).in_(item_ids))
            .order_by(col(BackfillItem.id))
        ).all()
        urls = [item.url for item in items]
        known = store.known_urls(session, urls)
        passed = passed_over(session, source.name, urls)
    for item in items:
        assert item.id is not None
        if item.url in known:
            out.already += 1
            _mark(store, item.id, "done", "already in the store: not fetched")
        elif item.url in passed:
            _mark(store, item.id, "skipped", f"passed over before ({passed[item.url].reason})")
        else:
            _fetch_one(fetching, item, out)
    stored = len(out.batch.new_stories) + len(out.batch.copies) + len(out.batch.revisions)
    with store.session() as session:
        row = session.get(Backfill, job.id)
        assert row is not None
        row.articles_stored += stored
        row.updated_at = utcnow()
        session.add(row)
    return out


@dataclass(frozen=True)
class _Fetching:
    """A batch of a backfill's articles being fetched (`fetch_articles`): what each fetch works
    with."""

    store: Store
    fetcher: Fetcher
    job: Job
    source: SourceSettings
    settings: Settings
    alert_days: float


def _fetch_one(fetching: _Fetching, item: BackfillItem, out: ArticlesRead) -> None:
    """One article of the batch fetched, parsed and stored (or why not), into ``out``."""
    store, source, settings = fetching.store, fetching.source, fetching.settings
    assert item.id is not None
    got = fetching.fetcher.get(item.url)
    failure: tuple[str, str, bool] | None = None  # reason, detail, retryable
    parsed = None
    if isinstance(got, FetchFailure):
        failure = (got.reason, got.detail, got.retryable)
    else:
        out.fetched += 1
        parsed = parse_article(got.page(), source.parser)
        if isinstance(parsed, Rejection):  # a page cut short is worth another try, like a 5xx
            failure = (parsed.reason, parsed.detail, parsed.reason in RETRY_REJECTIONS)
    if failure is not None:
        reason, detail, retryable = failure
        if retryable:
            out.failed.append(f"{item.url}: {reason}: {detail}")
        else:  # for good: the source's skip record says so (and the monitor will not try it)
            with store.session() as session:
                store.record_skip(session, item.url, source.name, reason, detail)
        _failed(store, item.id, f"{reason}: {detail}", retryable=retryable)
        return
    assert parsed is not None and not isinstance(parsed, Rejection)
    when = parsed.published or as_utc(item.published)
    if when is None:
        out.undated += 1
        detail = "undated: neither the listing nor the page says when it was published"
        _mark(store, item.id, "skipped", detail)
        return
    if not fetching.job.range.covers(when):
        out.out_of_range += 1
        _mark(store, item.id, "skipped", f"outside the range (published {when:%Y-%m-%d})", when)
        return
    # A page that states no time takes its listing's, so its claims are dated by it (and judged
    # old or recent by it, see pipeline.fold_facts), not by the day the backfill read them.
    article = parsed if parsed.published else replace(parsed, published=when)
    result = pipeline.store_read(store, source, settings, [(article.url, Prepared(article))])
    merge_batches(out.batch, result)
    if result.claims:
        out.add_fold(pipeline.fold_facts(store, settings, alert_days=fetching.alert_days))
    verdict = f"skipped: {result.skipped[0].reason}" if result.skipped else "stored"
    _mark(store, item.id, "skipped" if result.skipped else "done", verdict, when)


# -- progress and a whole run --------------------------------------------------------------------


def progress(store: Store, job: Job) -> dict[str, int]:
    """The whole backfill so far, all runs: its items by role and state, e.g.
    ``{"article done": 31, "article skipped": 3, "listing done": 4}``."""
    with store.session() as session:
        query = (
            select(BackfillItem.role, BackfillItem.state, func.count())
            .where(col(BackfillItem.backfill_id) == job.id)
            .group_by(col(BackfillItem.role), col(BackfillItem.state))
        )
        return dict(sorted((f"{role} {state}", n) for role, state, n in session.exec(query)))


def _nothing(*_: object) -> None:
    return None


@dataclass
class Stages:
    """How a backfill runs its stages: directly (`run_backfill`) or as Prefect task runs
    (`flows.backfill`). `drive_backfill` decides what runs when; these only run it."""

    open: Callable[[SourceSettings, str, str | None], Job | Refusal]  # `open_backfill`
    read_listing: Callable[[Job, SourceSettings, int], ListingRead]  # one listing document
    fetch_articles: Callable[[Job, SourceSettings, list[int]], ArticlesRead]  # one batch
    fold: Callable[[], Folded]  # what a dead run stored but never folded
    send: Callable[[], alerts.DeliveryReport]
    listed: Callable[[ListingRead], None] = _nothing  # a listing document was read


def drive_backfill(
    settings: Settings,
    store: Store,
    stages: Stages,
    source: str,
    since: str,
    until: str | None = None,
    *,
    max_pages: int = DEFAULT_MAX_PAGES,
    alert_days: float = DEFAULT_ALERT_DAYS,
    batch_size: int = BATCH_SIZE,
) -> Report:
    """One run of a backfill: what to do next is decided from the database after each step
    (`next_step`), until it says stop or a listing shows the source cannot go back in time;
    then the fold of what a dead run left, and the alerts (sent also when it was refused: an
    earlier run may have left some due)."""
    chosen = settings.source(source)
    report = Report(source=source, range=f"{since}..{until or ''}", alert_days=alert_days)
    job = stages.open(chosen, since, until)
    if isinstance(job, Refusal):
        report.refusal = job
    else:
        report.range = job.range.label
        step = next_step(store, job, pages_read=0, max_pages=max_pages, batch_size=batch_size)
        while step.action != "stop" and report.refusal is None:
            if step.action == "listing":
                read = stages.read_listing(job, chosen, step.items[0])
                report.listings.append(read)
                report.refusal = read.refusal  # the source's page showed it to be a feed
                stages.listed(read)
            else:
                report.articles.add(stages.fetch_articles(job, chosen, list(step.items)))
            step = next_step(
                store, job, pages_read=report.pages_read, max_pages=max_pages,
                batch_size=batch_size,
            )  # fmt: skip
        # Claims a dead run stored but never folded (folding at once is what keeps them quiet).
        report.articles.add_fold(stages.fold())
        report.progress = progress(store, job)
        report.stop = step if report.refusal is None else None
    report.alerts = stages.send()
    return report


def run_backfill(
    settings: Settings,
    store: Store,
    fetcher: Fetcher,
    source: str,
    since: str,
    until: str | None = None,
    *,
    max_pages: int = DEFAULT_MAX_PAGES,
    alert_days: float = DEFAULT_ALERT_DAYS,
    batch_size: int = BATCH_SIZE,
) -> Report:
    """One run of a backfill (`drive_backfill`), called directly (no Prefect)."""

    def fetch(job: Job, chosen: SourceSettings, items: list[int]) -> ArticlesRead:
        return fetch_articles(store, fetcher, job, chosen, settings, items, alert_days)

    stages = Stages(
        open=partial(open_backfill, store),
        read_listing=partial(read_listing, store, fetcher),
        fetch_articles=fetch,
        fold=lambda: pipeline.fold_facts(store, settings, alert_days=alert_days),
        send=lambda: alerts.send_pending(store, settings.channels, links=settings.web.base_url),
    )
    return drive_backfill(
        settings, store, stages, source, since, until,
        max_pages=max_pages, alert_days=alert_days, batch_size=batch_size,
    )  # fmt: skip


# -- helpers -------------------------------------------------------------------------------------


def _item(backfill_id: int, url: str, role: str, **fields: Any) -> dict[str, Any]:
    """A row of the backfill_item table."""
    return {"backfill_id": backfill_id, "url": url, "role": role, "updated_at": utcnow(), **fields}


def _items(job: Job, role: str, state: str) -> Any:
    return select(BackfillItem).where(
        col(BackfillItem.backfill_id) == job.id,
        col(BackfillItem.role) == role,
        col(BackfillItem.state) == state,
    )


def _count(session: Session, job: Job, state: str) -> int:
    return session.exec(
        select(func.count())
        .select_from(BackfillItem)
        .where(col(BackfillItem.backfill_id) == job.id, col(BackfillItem.state) == state)
    ).one()


def _refuse(store: Store, job: Job, refusal: Refusal) -> None:
    """Remember a refusal found by reading the source, so a rerun says it without a request."""
    with store.session() as session:
        row = session.get(Backfill, job.id)
        assert row is not None
        row.state, row.refusal, row.detail = "refused", refusal.reason, refusal.detail
        row.updated_at = row.finished_at = utcnow()
        session.add(row)


def _mark(
    store: Store, item_id: int, state: str, detail: str, published: datetime | None = None
) -> None:
    with store.session() as session:
        item = session.get(BackfillItem, item_id)
        assert item is not None
        item.state, item.detail, item.updated_at = state, detail, utcnow()
        if published is not None:
            item.published = published
        session.add(item)


def _failed(store: Store, item_id: int, detail: str, *, retryable: bool) -> None:
    """A fetch or read that failed: kept for the next run when worth retrying (`MAX_RUNS_PER_URL`
    runs in all), else skipped for good."""
    with store.session() as session:
        item = session.get(BackfillItem, item_id)
        assert item is not None
        item.attempts += 1
        if retryable and item.attempts < MAX_RUNS_PER_URL:
            item.state, item.detail = "failed", detail
        elif retryable:
            item.state, item.detail = "skipped", f"gave up after {item.attempts} runs: {detail}"
        else:
            item.state, item.detail = "skipped", detail
        item.updated_at = utcnow()
        session.add(item)
