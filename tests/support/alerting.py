"""A seeded world for alert tests: the seed briefing served on 127.0.0.1, settings with the
channels a test names, and real passes; time moves by passing ``now`` to `send_pending`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from briefwatch import pipeline
from briefwatch.alerts import send as alerts
from briefwatch.clock import utcnow
from briefwatch.config import Settings, parse_config
from briefwatch.fetch.client import Fetcher
from briefwatch.store import Store
from tests.conftest import FIXTURES
from tests.support.server import LocalServer

SEED = (FIXTURES / "pages" / "moscowtimes" / "seed-briefing.html").read_bytes()
SEED_PATH = "/2020/11/09/helicopter-a71987"
THIRD = b"<p>A third crew member was injured and evacuated, it said.</p>"
LATER = b"<p>The Defense Ministry in Moscow later said three crew members had been killed.</p>"
LATEST = b"<p>The Defense Ministry in Moscow later said four crew members had been killed.</p>"
HIGH = {  # the seed's changes that control or a running toll moved: importance high
    "Shusha: captured by Azerbaijani forces — conceded by Armenia",
    "People killed: at least 1,000",
    "Civilians killed: dozens",
    "People displaced: thousands",
}


def serve_seed(server: LocalServer) -> LocalServer:
    """``server`` with the seed briefing at SEED_PATH and a feed listing it at /feed."""
    server.route(SEED_PATH, SEED, etag='"1"')
    item = f"<item><title>t</title><link>{server.url(SEED_PATH)}</link></item>"
    server.route(
        "/feed",
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{item}</channel></rss>',
        content_type="application/rss+xml",
    )
    return server


def settings(db_url: str, server: LocalServer, *channels: dict) -> Settings:
    return parse_config(
        {
            "storage": {"url": db_url},
            "fetch": {"allow_private": ["127.0.0.1"], "retries": 0},
            "sources": [{"name": "mt", "url": server.url("/feed")}],
            "channels": list(channels),
            # as the starter config: the 2020 reports' name, not GeoNames' (Khankendi)
            "places": [{"name": "Stepanakert", "aliases": ["Khankendi"]}],
        }
    )


def run(config: Settings) -> pipeline.PassSummary:
    """One real pass: fetch, store, fold, queue and send what is due."""
    store = Store(config.storage.url)
    try:
        with Fetcher(config.fetch) as fetcher:
            return pipeline.run_pass(config, store, fetcher)
    finally:
        store.close()


def later(config: Settings, minutes: float, *, force: bool = False) -> alerts.DeliveryReport:
    """The sending half of a pass that runs ``minutes`` from now."""
    store = Store(config.storage.url)
    report = alerts.send_pending(
        store, config.channels, now=utcnow() + timedelta(minutes=minutes), force=force
    )
    store.close()
    return report


def statuses(config: Settings) -> list[tuple[str, str]]:
    """Each delivery's status and detail, as `briefwatch alerts` shows them."""
    store = Store(config.storage.url)
    try:
        return [(e.status, e.detail) for e in alerts.entries(store, config.channels)]
    finally:
        store.close()


def sqlite(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'bw.db'}"
