"""The `backfill` flow: a source's archive over a date range, as a few lines of wiring.

Tasks sit at the I/O and batch boundaries and each wraps one call into the core
(`briefwatch.backfill.run`); what to do next is decided from the database between them:

    open_backfill   (store)              backfill.run.open_backfill
    read_listing    (network + store)    backfill.run.read_listing      one listing page
    fetch_articles  (network + store)    backfill.run.fetch_articles    a batch of articles,
                                                                    each folded once stored
    fold_facts      (store)              pipeline.fold_facts            what a dead run left
    send_alerts     (network)            alerts.send.send_pending

Not retried by Prefect: what failed is kept in the database and tried by the next run, which
also continues where this one stopped (the page cap, a crash). The run publishes one markdown
artifact under a stable key, is renamed for what it did, and emits a Prefect event for each
change it alerted (old changes are recorded quietly: see `briefwatch.pipeline.fold_facts`).
"""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE
from prefect.utilities.annotations import quote

from briefwatch import pipeline
from briefwatch.backfill import run as core
from briefwatch.config import Settings, SourceSettings, load_config
from briefwatch.fetch.client import Fetcher
from briefwatch.store import Store
from flows.monitor import emit_change, rename_run, send_alerts
from flows.secrets import resolve_channels

ARTIFACT_KEY = "briefwatch-backfill"


@task(name="open_backfill", cache_policy=NONE, task_run_name="open_backfill: {source.name}")
def open_backfill(
    store: Store, source: SourceSettings, since: str, until: str | None
) -> core.Job | core.Refusal:
    return core.open_backfill(store, source, since, until)


@task(name="read_listing", cache_policy=NONE, task_run_name="read_listing: {source.name}")
def read_listing(
    store: Store, job: core.Job, source: SourceSettings, settings: Settings, item: int
) -> core.ListingRead:
    with Fetcher(settings.fetch) as fetcher:
        return core.read_listing(store, fetcher, job, source, item)


@task(name="fetch_articles", cache_policy=NONE, task_run_name="fetch_articles: {source.name}")
def fetch_articles(
    store: Store,
    job: core.Job,
    source: SourceSettings,
    settings: Settings,
    items: list[int],
    alert_days: float,
) -> core.ArticlesRead:
    with Fetcher(settings.fetch) as fetcher:
        return core.fetch_articles(store, fetcher, job, source, settings, items, alert_days)


@task(name="fold_facts", cache_policy=NONE)
def fold_facts(store: Store, settings: Settings, alert_days: float) -> pipeline.Folded:
    return pipeline.fold_facts(store, settings, alert_days=alert_days)


@flow(name="backfill", flow_run_name="backfill: {source} from {since}")
def backfill(
    config: str,
    source: str,
    since: str,
    until: str | None = None,
    max_pages: int = core.DEFAULT_MAX_PAGES,
    alert_days: float = core.DEFAULT_ALERT_DAYS,
) -> dict:
    """Read ``source``'s archive from ``since`` to ``until`` (dates, ``until`` included; none:
    up to now), at most ``max_pages`` listing pages in this run, continuing an earlier run of
    the same range; changes whose evidence is older than ``alert_days`` are not alerted."""
    logger = get_run_logger()
    settings = resolve_channels(load_config(config))
    settings.source(source)  # an unknown source stops the run before the store is opened
    store = Store(settings.storage.url)

    # quote(): Prefect would otherwise walk these objects looking for futures, for every task.
    def fetch(job: core.Job, chosen: SourceSettings, items: list[int]) -> core.ArticlesRead:
        return fetch_articles(quote(store), job, chosen, quote(settings), items, alert_days)

    def listed(read: core.ListingRead) -> None:
        logger.info("listing %s: %s", read.url, read.failure or f"{read.queued} queued")

    stages = core.Stages(
        open=lambda chosen, start, end: open_backfill(quote(store), chosen, start, end),
        read_listing=lambda job, chosen, item: read_listing(
            quote(store), job, chosen, quote(settings), item
        ),
        fetch_articles=fetch,
        fold=lambda: fold_facts(quote(store), quote(settings), alert_days),
        send=lambda: send_alerts(quote(store), quote(settings)),
        listed=listed,
    )
    report = core.drive_backfill(
        settings, store, stages, source, since, until, max_pages=max_pages, alert_days=alert_days
    )
    if report.refusal is not None:
        logger.warning("backfill refused: %s", report.refusal)
    for change in report.articles.folded.alerted:
        emit_change(change)
    create_markdown_artifact(
        key=ARTIFACT_KEY, markdown=report.markdown(), description="What this backfill read"
    )
    rename_run(report.headline())
    logger.info("%s", report.headline())
    store.close()
    return report.to_json()
