"""A pass bounded in time, beside hostile sources: the sources of a group are read at once, a
pass ends at its deadline with what it read, and what was left is read next pass.

Real HTTP on 127.0.0.1 (a fault-injecting server), a real SQLite store, Apprise delivering to a
local receiver; no Prefect here (the flow drives the same `pipeline.drive_pass`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefwatch import pipeline
from briefwatch.config import Settings, parse_config
from briefwatch.fetch.client import Fetcher
from briefwatch.store import Store
from tests.conftest import FIXTURES
from tests.support.receiver import Receiver
from tests.support.server import LocalServer

SEED = (FIXTURES / "pages" / "moscowtimes" / "seed-briefing.html").read_bytes()
SEED_PATH = "/2020/11/09/helicopter-a71987"

# Timed passes: the gazetteer's index (built once per session, ~20 s) is ready before the clock.
pytestmark = pytest.mark.usefixtures("places")


def rss(server: LocalServer, *paths: str) -> str:
    items = "".join(
        f"<item><title>t{i}</title><link>{server.url(p)}</link><guid>{server.url(p)}</guid></item>"
        for i, p in enumerate(paths)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{items}</channel></rss>'
    )


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as hook:
        yield hook


def settings_for(tmp_path: Path, hook: Receiver, sources: list[dict], **fetch: Any) -> Settings:
    return parse_config(
        {
            "storage": {"url": f"sqlite:///{tmp_path / 'bw.db'}"},
            "fetch": {"allow_private": ["127.0.0.1"], "retries": 0, **fetch},
            "sources": sources,
            "channels": [{"name": "hook", "url": hook.apprise_url}],
        }
    )


def run(settings: Settings) -> tuple[pipeline.PassSummary, float]:
    store = Store(settings.storage.url)
    started = time.monotonic()
    with Fetcher(settings.fetch) as fetcher:
        summary = pipeline.run_pass(settings, store, fetcher)
    elapsed = time.monotonic() - started
    store.close()
    return summary, elapsed


# -- the sources of a group at once ---------------------------------------------------------


def test_slow_sources_of_one_group_cost_the_pass_one_wait_not_the_sum(
    tmp_path: Path, server: LocalServer, receiver: Receiver
) -> None:
    server.route(SEED_PATH, SEED)
    server.route("/feed", rss(server, SEED_PATH), content_type="application/rss+xml")
    for n in range(6):  # each answers after 1.5 s: 9 s one after the other
        server.route(f"/slow/{n}", rss(server), content_type="application/rss+xml", delay=1.5)
    sources = [{"name": f"slow-{n}", "url": server.url(f"/slow/{n}")} for n in range(6)]
    settings = settings_for(
        tmp_path, receiver, [*sources, {"name": "mt", "url": server.url("/feed")}]
    )

    summary, elapsed = run(settings)

    assert summary.failed_sources == []
    assert elapsed < 5.0, elapsed
    assert any(t.startswith("Shusha") for t in receiver.titles())


def test_a_group_read_at_once_still_keeps_to_the_host_cap(
    tmp_path: Path, server: LocalServer, receiver: Receiver
) -> None:
    for n in range(8):
        server.route(f"/slow/{n}", rss(server), content_type="application/rss+xml", delay=0.3)
    sources = [{"name": f"slow-{n}", "url": server.url(f"/slow/{n}")} for n in range(8)]
    settings = settings_for(
        tmp_path, receiver, sources, pace_private=True, host_delay=0, host_concurrency=2
    )

    summary, _ = run(settings)

    assert summary.failed_sources == []
    assert len([r for r in server.requests if r.path.startswith("/slow/")]) == 8
    assert server.max_in_flight == 2
