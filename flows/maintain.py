"""The `maintain` flow: housekeeping, daily. Prune old bodies and logs, vacuum, and try the
outbox again so alerts pending on a channel that was down go out even on a quiet day."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE

from briefwatch.config import load_config
from briefwatch.maintenance import Pruned, prune, vacuum
from briefwatch.store import Store
from flows.monitor import send_alerts

ARTIFACT_KEY = "briefwatch-maintain"


@task(name="prune_store", cache_policy=NONE)
def prune_store(store: Store, keep_days: int) -> Pruned:
    return prune(store, timedelta(days=keep_days))


@task(name="vacuum_store", cache_policy=NONE)
def vacuum_store(store: Store) -> None:
    vacuum(store)


@flow(name="maintain", flow_run_name="maintain: {config}")
def maintain(config: str, keep_days: int = 90) -> dict:
    """Prune what is older than ``keep_days``, vacuum the store, retry pending alerts."""
    settings = load_config(config)
    store = Store(settings.storage.url)
    pruned = prune_store(store, keep_days)
    vacuum_store(store)
    report = send_alerts(store, settings)
    result = {
        **asdict(pruned),
        "alerts_sent": len(report.sent),
        "alerts_failed": len(report.failed),
        "alerts_unknown": len(report.unknown),
    }
    lines = ["## briefwatch maintenance", "", "| what | count |", "| --- | ---: |"]
    lines += [f"| {key.replace('_', ' ')} | {value} |" for key, value in result.items()]
    create_markdown_artifact(key=ARTIFACT_KEY, markdown="\n".join(lines) + "\n")
    get_run_logger().info("maintenance: %s", result)
    store.close()
    return result
