"""The `digest` flow: at a fixed time of day, send every digest channel what it holds.

Channels with ``mode = "digest"`` gather their alerts in the outbox and get them as one message
every ``digest_every``; scheduling this flow (daily at 08:00 in deploy/prefect.yaml) makes that
message arrive at a time people choose, with whatever changed since the last one.
"""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE

from briefwatch.alerts import send as alerts
from briefwatch.config import ChannelSettings, load_config
from briefwatch.store import Store
from flows.secrets import resolve_channels

ARTIFACT_KEY = "briefwatch-digest"


@task(name="send_digests", cache_policy=NONE)
def send_digests(
    store: Store, channels: list[ChannelSettings], links: str | None = None
) -> alerts.DeliveryReport:
    return alerts.send_pending(store, channels, flush_digests=True, links=links)


@flow(name="digest", flow_run_name="digest: {config}")
def digest(config: str) -> dict:
    """Send each digest channel the alerts it has gathered, now."""
    settings = resolve_channels(load_config(config))
    channels = [c for c in settings.channels if c.mode == "digest"]
    store = Store(settings.storage.url)
    report = send_digests(store, channels, settings.web.base_url)
    result = {
        "channels": [c.name for c in channels],
        "messages": report.messages,
        "alerts_sent": len(report.sent),
        "alerts_failed": len(report.failed),
        "alerts_unknown": len(report.unknown),
    }
    lines = [
        "## briefwatch digest",
        "",
        f"Digest channels: {', '.join(result['channels']) or 'none'}",
        "",
    ]
    lines += [f"- sent: {item}" for item in report.sent]
    lines += [f"- failed (kept, retried): {item}" for item in report.failed]
    lines += [f"- not answered (not resent): {item}" for item in report.unknown]
    create_markdown_artifact(key=ARTIFACT_KEY, markdown="\n".join(lines) + "\n")
    get_run_logger().info("digest: %s", result)
    store.close()
    return result
