"""The `monitor` flow: one pass over the sources, as a few lines of wiring.

Tasks sit at the I/O and batch boundaries and each wraps one call into the core:

    fetch_source      (network; retried)    briefwatch.pipeline.harvest_source
    process_articles  (CPU + store)          briefwatch.pipeline.process_harvest
    fold_facts        (store)                briefwatch.pipeline.fold_facts
    send_alerts       (network)              briefwatch.alerts.send_pending

Fetches run concurrently on the task runner's threads; each source's pages are processed as one
batch as soon as they arrive. The pass publishes one markdown artifact under a stable key and
emits one Prefect event per change.
"""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NONE
from prefect.client.orchestration import get_client
from prefect.events import emit_event
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote

from briefwatch import alerts, pipeline
from briefwatch.clock import utcnow
from briefwatch.config import Settings, SourceSettings, load_config
from briefwatch.fetch import Fetcher
from briefwatch.models import Change
from briefwatch.report import fact_outlets, facts_table, pass_markdown
from briefwatch.store import Store
from flows.secrets import resolve_channels

ARTIFACT_KEY = "briefwatch-pass"
FACTS_KEY = "briefwatch-facts"


class SourceUnavailable(Exception):
    """A source's listing failed with an error worth retrying (5xx, timeout, connection)."""


@task(name="fetch_source", cache_policy=NONE, task_run_name="fetch_source: {source.name}")
def fetch_source(store: Store, source: SourceSettings, settings: Settings) -> pipeline.Harvest:
    with Fetcher(settings.fetch) as fetcher:
        harvest = pipeline.harvest_source(store, fetcher, source, settings)
    if harvest.failure and harvest.retryable:
        raise SourceUnavailable(pipeline.describe_failure(harvest))
    return harvest


@task(name="process_articles", cache_policy=NONE, task_run_name="process_articles: {source.name}")
def process_articles(
    store: Store, harvest: pipeline.Harvest, source: SourceSettings, settings: Settings
) -> pipeline.BatchResult:
    return pipeline.process_harvest(store, harvest, source, settings)


@task(name="fold_facts", cache_policy=NONE)
def fold_facts(store: Store, settings: Settings) -> list[Change]:
    return pipeline.fold_facts(store, settings)


@task(name="send_alerts", cache_policy=NONE)
def send_alerts(store: Store, settings: Settings) -> alerts.DeliveryReport:
    """Send what is due in the outbox (each, digest, cooldown, coalesced: briefwatch.alerts).

    Not retried by Prefect: a failed delivery stays in the outbox and is retried from there,
    with backoff, on later passes.
    """
    report = alerts.send_pending(store, settings.channels)
    logger = get_run_logger()
    for line in report.failed:
        logger.warning("alert failed (kept, retried next pass): %s", line)
    if report.waiting:
        logger.info("%d alerts wait for a digest, a cooldown or a retry", report.waiting)
    return report


def emit_change(change: Change) -> None:
    """A Prefect event per change, so automations can react (`briefwatch.change.control`)."""
    emit_event(
        event=f"briefwatch.change.{change.kind}",
        resource={"prefect.resource.id": f"briefwatch.fact.{change.fact_key}"},
        payload={"change": change.key, "title": change.title, "version": change.version},
    )


def rename_run(name: str) -> None:
    """Rename the current flow run for what it did (the UI lists runs by name)."""
    run_id = flow_run.get_id()
    if run_id:
        with get_client(sync_client=True) as client:
            client.update_flow_run(run_id, name=name)


@flow(name="monitor", flow_run_name="monitor: {config}")
def monitor(config: str, sources: list[str] | None = None) -> dict:
    """One pass over the configured sources (or only ``sources``): fetch, store, fold, alert."""
    logger = get_run_logger()
    # block: channel URLs are read from Prefect now, so a missing block stops the pass early.
    settings = resolve_channels(load_config(config))
    store = Store(settings.storage.url)
    chosen = [s for s in settings.sources if not sources or s.name in sources]
    summary = pipeline.PassSummary(started_at=utcnow(), sources=len(chosen))
    fetch = fetch_source.with_options(
        retries=settings.fetch.pass_retries, retry_delay_seconds=settings.fetch.pass_retry_delay
    )
    # quote(): Prefect would otherwise walk these objects (all settings, every fetched page)
    # looking for futures, for every task run.
    futures = [(source, fetch.submit(quote(store), source, quote(settings))) for source in chosen]
    for source, future in futures:
        future.wait()
        if not future.state.is_completed():
            reason = future.state.message or "failed"
            summary.failed_sources.append(f"{source.name}: {reason}")
            logger.warning("source %s failed: %s", source.name, reason)
            continue
        harvest = future.result()
        if harvest.failure:
            summary.failed_sources.append(pipeline.describe_failure(harvest))
            logger.warning("source %s failed: %s", source.name, harvest.failure.detail)
        if harvest.empty:  # unchanged or not due: no task run for nothing
            summary.batches.append(pipeline.BatchResult(source=source.name))
            continue
        batch = process_articles(quote(store), quote(harvest), source, quote(settings))
        summary.batches.append(batch)
        logger.info(
            "source %s: %d new stories, %d copies, %d revisions, %d claims, %d skipped",
            source.name, len(batch.new_stories), len(batch.copies), len(batch.revisions),
            batch.claims, len(batch.skipped),
        )  # fmt: skip
    changes = fold_facts(quote(store), quote(settings))
    for change in changes:
        emit_change(change)
    summary.changes = [c.title for c in changes]
    summary.alerts = send_alerts(quote(store), quote(settings))
    store.record_pass(summary.started_at, summary.to_json())
    counts = summary.counts()
    create_markdown_artifact(
        key=ARTIFACT_KEY, markdown=pass_markdown(summary), description="What this pass found"
    )
    facts = store.facts()
    create_table_artifact(  # keyed, so the Artifacts page keeps the facts' history pass by pass
        key=FACTS_KEY,
        table=facts_table(facts, fact_outlets(store, facts)),
        description="The facts after this pass",
    )
    rename_run(
        f"monitor: {counts['sources']} sources, {counts['new_stories']} new stories, "
        f"{counts['changes']} changes"
    )
    store.close()
    return summary.to_json()
