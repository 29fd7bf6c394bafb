"""The `monitor` flow: one pass over the sources, as a few lines of wiring.

Tasks sit at the I/O and batch boundaries and each wraps one call into the core:

    fetch_sources     (network)             briefwatch.sources.group.harvest_group, a group at once
    fetch_source      (network; retried)    briefwatch.pipeline.harvest_source
    process_articles  (CPU + store)          briefwatch.pipeline.process_harvests, per group
    fold_facts        (store)                briefwatch.pipeline.fold_facts
    send_alerts       (network)              briefwatch.alerts.send.send_pending

The pass itself is `briefwatch.pipeline.drive_pass`, the one loop `briefwatch.pipeline.run_pass`
runs too: sources in groups of `pipeline.FETCH_GROUP`, fetched `pipeline.FETCH_AHEAD` groups
ahead of the one being stored, each group processed as one task run, in the sources' order; a
source whose listing failed with an error worth retrying gets a task run of its own,
`fetch_source` (after `pass_retry_delay`, `pass_retries` attempts in all), processed after the
others. The flow hands it these tasks' submitters (`pipeline.Stages`) and adds what Prefect is
for: the task runs on the task runner's threads, logs, events, artifacts, the run's name.

Why groups: on Prefect 3.9 every task run costs the pass ~5 ms and the Prefect server ~25-30 ms
of CPU (its state events), on the same cores: with one task run per source and per harvest the
server spent ~8 s of CPU on a 1,000-page pass.

The pass publishes one markdown artifact under a stable key and emits one Prefect event per
change.
"""

from __future__ import annotations

import ctypes
import time
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NONE
from prefect.client.orchestration import get_client
from prefect.events import emit_event
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote

from briefwatch import pipeline
from briefwatch.alerts import send as alerts
from briefwatch.config import Settings, SourceSettings, load_config
from briefwatch.fetch.client import Fetcher
from briefwatch.models import Change
from briefwatch.report import fact_outlets, facts_table, pass_markdown
from briefwatch.sources import group
from briefwatch.store import Store
from flows import plainlog
from flows.secrets import resolve_channels

plainlog.install()  # a store error in this flow's log is its one line, not a traceback

ARTIFACT_KEY = "briefwatch-pass"
FACTS_KEY = "briefwatch-facts"


@task(name="fetch_sources", cache_policy=NONE, task_run_name="fetch_sources: {label}")
def fetch_sources(
    store: Store, sources: list[SourceSettings], settings: Settings, label: str, until: float
) -> list[pipeline.Harvest]:
    """Each source's harvest, fetched at once, failures included (the flow retries what
    deserves it), done by ``until`` (`pipeline.pass_ends`)."""
    with Fetcher(settings.fetch) as fetcher:
        return group.harvest_group(store, fetcher, sources, settings, until)


@task(name="fetch_source", cache_policy=NONE, task_run_name="fetch_source: {source.name}")
def fetch_source(
    store: Store, source: SourceSettings, settings: Settings, delay: float, until: float
) -> pipeline.Harvest:
    """One source again, ``delay`` seconds after its group failed to fetch it, done by
    ``until``; a failure still worth retrying raises, so that Prefect retries it (a timeout
    does not: `pipeline.worth_retrying`)."""
    time.sleep(delay)
    with Fetcher(settings.fetch) as fetcher:
        harvest = pipeline.harvest_source(store, fetcher, source, settings, until)
    if pipeline.worth_retrying(harvest, settings, until):  # `with_options` below
        raise pipeline.SourceUnavailable(pipeline.describe_failure(harvest))
    return harvest


@task(name="process_articles", cache_policy=NONE, task_run_name="process_articles: {label}")
def process_articles(
    store: Store,
    harvests: list[tuple[SourceSettings, pipeline.Harvest]],
    settings: Settings,
    label: str,
    until: float,
) -> list[pipeline.BatchResult]:
    """Each harvest processed as one batch, in the order given (all handed to the page
    workers first); what is not read by ``until`` is left for the next pass."""
    return pipeline.process_harvests(store, harvests, settings, until)


@task(name="fold_facts", cache_policy=NONE)
def fold_facts(store: Store, settings: Settings) -> pipeline.Folded:
    return pipeline.fold_facts(store, settings)


@task(name="send_alerts", cache_policy=NONE)
def send_alerts(
    store: Store, settings: Settings, until: float | None = None
) -> alerts.DeliveryReport:
    """Send what is due in the outbox (each, digest, cooldown, coalesced: briefwatch.alerts.send),
    none started after ``until`` (a pass's end, if given) nor waiting on a channel past it.

    Not retried by Prefect: a failed delivery stays in the outbox and is retried from there,
    with backoff, on later passes.
    """
    report = alerts.send_pending(store, settings.channels, links=settings.web.base_url, until=until)
    logger = get_run_logger()
    for line in report.failed:
        logger.warning("alert failed (kept, retried next pass): %s", line)
    for line in report.unknown:
        logger.warning("alert not answered (not resent): %s", line)
    for line in report.held:
        logger.warning("alerts held for the next pass: %s", line)
    if report.waiting:
        logger.info("%d alerts wait for a digest, a cooldown or a retry", report.waiting)
    return report


def label(sources: list[SourceSettings]) -> str:
    """A task run's name for a group: its sources, shortened."""
    names = ", ".join(s.name for s in sources)
    return names if len(names) <= 60 else f"{names[:50]}… ({len(sources)} sources)"


def _malloc_trim() -> Any:
    try:
        return ctypes.CDLL(None).malloc_trim  # glibc
    except (AttributeError, OSError, TypeError):
        return None


MALLOC_TRIM = _malloc_trim()


def release_pages() -> None:
    """Give the memory of a stored group's pages back to the system (glibc only; else nothing).

    The pages were read on the task runner's threads, so glibc holds them in those threads'
    arenas; freed there, the memory stays resident for those threads alone (Python's own
    allocator and the storing thread never reuse it): ~140 MB at the end of a 10k-page pass.
    """
    if MALLOC_TRIM is not None:
        MALLOC_TRIM(0)


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
    retry = fetch_source.with_options(
        retries=max(settings.fetch.pass_retries - 1, 0),
        retry_delay_seconds=settings.fetch.pass_retry_delay,
    )

    # quote(): Prefect would otherwise walk these objects (all settings, every fetched page)
    # looking for futures, for every task run.
    def fetch(group: list[SourceSettings], until: float) -> PrefectFuture:
        return fetch_sources.submit(quote(store), group, quote(settings), label(group), until)

    def refetch(source: SourceSettings, until: float) -> PrefectFuture:
        delay = settings.fetch.pass_retry_delay
        return retry.submit(quote(store), source, quote(settings), delay, until)

    def process(
        harvests: list[tuple[SourceSettings, pipeline.Harvest]], until: float
    ) -> list[pipeline.BatchResult]:
        names = label([source for source, _ in harvests])
        return process_articles(quote(store), quote(harvests), quote(settings), names, until)

    def fold() -> pipeline.Folded:
        folded = fold_facts(quote(store), quote(settings))
        for change in folded.alerted:
            emit_change(change)
        return folded

    def stored(batch: pipeline.BatchResult) -> None:
        logger.info(
            "source %s: %d new stories, %d copies, %d revisions, %d claims, %d skipped",
            batch.source, len(batch.new_stories), len(batch.copies), len(batch.revisions),
            batch.claims, len(batch.skipped),
        )  # fmt: skip

    stages = pipeline.Stages(
        fetch=fetch,
        refetch=refetch,
        process=process,
        fold=fold,
        send=lambda until: send_alerts(quote(store), quote(settings), until),
        failed=lambda line: logger.warning("source failed: %s", line),
        stored=stored,
        released=release_pages,
    )
    try:
        summary = pipeline.drive_pass(settings, store, stages, sources or ())
    except pipeline.PassRunning as running:  # another pass over this store: nothing to do
        logger.info("%s; this run does nothing", running)
        rename_run("monitor: skipped, another pass is running")
        store.close()
        return {"running": str(running)}
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
