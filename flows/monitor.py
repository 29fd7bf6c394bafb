"""The `monitor` flow: one pass over the sources, as a few lines of wiring.

Tasks sit at the I/O and batch boundaries and each wraps one call into the core:

    fetch_sources     (network)             briefwatch.pipeline.harvest_source, per source
    fetch_source      (network; retried)    briefwatch.pipeline.harvest_source
    process_articles  (CPU + store)          briefwatch.pipeline.process_harvests, per group
    fold_facts        (store)                briefwatch.pipeline.fold_facts
    send_alerts       (network)              briefwatch.alerts.send.send_pending

Sources are fetched in groups of `FETCH_GROUP`, up to `FETCH_AHEAD` groups ahead of the one
being stored, concurrently on the task runner's threads (so a pass holds the pages of a few
groups, not of every source); each group's harvests are processed as one task run as soon as it
arrives, in the sources' order. A source whose listing failed with an error worth retrying gets
a task run of its own, `fetch_source` (after `pass_retry_delay`, `pass_retries` attempts in
all), and is processed after the others.

Why groups: on Prefect 3.9 every task run costs the pass ~5 ms and the Prefect server ~25-30 ms
of CPU (its state events), on the same cores: with one task run per source and per harvest the
server spent ~8 s of CPU on a 1,000-page pass.

The pass publishes one markdown artifact under a stable key and emits one Prefect event per
change.
"""

from __future__ import annotations

import ctypes
import time
from collections.abc import Iterator
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
from briefwatch.clock import utcnow
from briefwatch.config import Settings, SourceSettings, load_config
from briefwatch.fetch.client import Fetcher
from briefwatch.models import Change
from briefwatch.report import fact_outlets, facts_table, pass_markdown
from briefwatch.store import Store
from flows.secrets import resolve_channels

ARTIFACT_KEY = "briefwatch-pass"
FACTS_KEY = "briefwatch-facts"
FETCH_GROUP = pipeline.FETCH_GROUP  # sources per fetch_sources (and process_articles) task run
# Groups fetched ahead of the one being stored (`fetch_ahead`). One: storing is the slower half
# when fetches are quick (a group is ~1,000 pages on 10k-page passes), and every group ahead is
# a group's pages held (3 ahead: ~115 MB more at the peak of a 10k-page pass than 1 ahead).
FETCH_AHEAD = pipeline.FETCH_AHEAD


class SourceUnavailable(Exception):
    """A source's listing failed with an error worth retrying (5xx, timeout, connection)."""


@task(name="fetch_sources", cache_policy=NONE, task_run_name="fetch_sources: {label}")
def fetch_sources(
    store: Store, sources: list[SourceSettings], settings: Settings, label: str
) -> list[pipeline.Harvest]:
    """Each source's harvest in turn, failures included (the flow retries what deserves it)."""
    with Fetcher(settings.fetch) as fetcher:
        return [pipeline.harvest_source(store, fetcher, s, settings) for s in sources]


@task(name="fetch_source", cache_policy=NONE, task_run_name="fetch_source: {source.name}")
def fetch_source(
    store: Store, source: SourceSettings, settings: Settings, delay: float = 0.0
) -> pipeline.Harvest:
    """One source again, ``delay`` seconds after its group failed to fetch it."""
    time.sleep(delay)
    with Fetcher(settings.fetch) as fetcher:
        harvest = pipeline.harvest_source(store, fetcher, source, settings)
    if harvest.failure and harvest.retryable:
        raise SourceUnavailable(pipeline.describe_failure(harvest))
    return harvest


@task(name="process_articles", cache_policy=NONE, task_run_name="process_articles: {label}")
def process_articles(
    store: Store,
    harvests: list[tuple[SourceSettings, pipeline.Harvest]],
    settings: Settings,
    label: str,
) -> list[pipeline.BatchResult]:
    """Each harvest processed as one batch, in the order given (all handed to the page
    workers first)."""
    return pipeline.process_harvests(store, harvests, settings)


@task(name="fold_facts", cache_policy=NONE)
def fold_facts(store: Store, settings: Settings) -> list[Change]:
    return pipeline.fold_facts(store, settings)


@task(name="send_alerts", cache_policy=NONE)
def send_alerts(store: Store, settings: Settings) -> alerts.DeliveryReport:
    """Send what is due in the outbox (each, digest, cooldown, coalesced: briefwatch.alerts.send).

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


def label(sources: list[SourceSettings]) -> str:
    """A task run's name for a group: its sources, shortened."""
    names = ", ".join(s.name for s in sources)
    return names if len(names) <= 60 else f"{names[:50]}… ({len(sources)} sources)"


def fetch_ahead(
    store: Store, sources: list[SourceSettings], settings: Settings
) -> Iterator[tuple[list[SourceSettings], PrefectFuture]]:
    """Each group of `FETCH_GROUP` sources with its `fetch_sources` run, submitted at most
    `FETCH_AHEAD` groups ahead of the group the caller is storing: the pages held in memory
    are those of a few groups, not of the whole pass."""
    return pipeline.submitted_ahead(
        pipeline.source_groups(sources),
        lambda group: fetch_sources.submit(quote(store), group, quote(settings), label(group)),
        FETCH_AHEAD,
    )


def harvested(
    sources: list[SourceSettings],
    future: PrefectFuture,
    summary: pipeline.PassSummary,
    logger: Any,
    retried: bool = False,
) -> list[tuple[SourceSettings, pipeline.Harvest]]:
    """The harvests of a finished fetch task run, its failures recorded in ``summary`` (those
    worth retrying only if they are not ``retried``)."""
    future.wait()
    if not future.state.is_completed():
        reason = future.state.message or "failed"
        for source in sources:
            summary.failed_sources.append(f"{source.name}: {reason}")
            logger.warning("source %s failed: %s", source.name, reason)
        return []
    result = future.result()
    harvests = result if isinstance(result, list) else [result]
    for harvest in harvests:
        if harvest.failure and not (harvest.retryable and retried):
            summary.failed_sources.append(pipeline.describe_failure(harvest))
            logger.warning("source %s failed: %s", harvest.source, harvest.failure.detail)
    return list(zip(sources, harvests, strict=True))


def process(
    store: Store,
    harvests: list[tuple[SourceSettings, pipeline.Harvest]],
    settings: Settings,
    summary: pipeline.PassSummary,
    logger: Any,
) -> None:
    """Process the harvests with something in them as one task run; record every source."""
    # Emptiness is read before processing, which lets go of a harvest's pages as it goes.
    empty = [h.empty for _, h in harvests]  # nothing fetched: no task run for nothing
    full = [sh for sh, e in zip(harvests, empty, strict=True) if not e]
    names = label([source for source, _ in full])
    batches = iter(
        process_articles(quote(store), quote(full), quote(settings), names) if full else []
    )
    for (source, _), nothing in zip(harvests, empty, strict=True):
        batch = pipeline.BatchResult(source=source.name) if nothing else next(batches)
        summary.batches.append(batch)
        if nothing:
            continue
        logger.info(
            "source %s: %d new stories, %d copies, %d revisions, %d claims, %d skipped",
            source.name, len(batch.new_stories), len(batch.copies), len(batch.revisions),
            batch.claims, len(batch.skipped),
        )  # fmt: skip


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
    chosen = [s for s in settings.sources if not sources or s.name in sources]
    summary = pipeline.PassSummary(started_at=utcnow(), sources=len(chosen))
    retry = fetch_source.with_options(
        retries=max(settings.fetch.pass_retries - 1, 0),
        retry_delay_seconds=settings.fetch.pass_retry_delay,
    )
    again = settings.fetch.pass_retries > 0  # a source its group could not reach: once more
    retries = []
    for group, future in fetch_ahead(store, chosen, settings):
        harvests = harvested(group, future, summary, logger, retried=again)
        retrying = [s for s, h in harvests if again and h.failure and h.retryable]
        # quote(): Prefect would otherwise walk these objects (all settings, every fetched page)
        # looking for futures, for every task run.
        delay = settings.fetch.pass_retry_delay
        retries += [([s], retry.submit(quote(store), s, quote(settings), delay)) for s in retrying]
        reached = [(s, h) for s, h in harvests if s not in retrying]
        process(store, reached, settings, summary, logger)
        release_pages()
    for group, future in retries:  # submitted meanwhile, each after its retry delay
        process(store, harvested(group, future, summary, logger), settings, summary, logger)
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
