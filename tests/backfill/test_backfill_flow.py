"""The `backfill` flow on the session's Prefect server, and the `briefwatch backfill` command:
the archive of tests/backfill/test_backfill.py served on 127.0.0.1, a real SQLite store."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from prefect.settings import PREFECT_API_URL, temporary_settings

from briefwatch.backfill.run import run_backfill
from briefwatch.config import load_config
from briefwatch.fetch.client import Fetcher
from briefwatch.store import Store
from flows.backfill import ARTIFACT_KEY, backfill
from tests.backfill.test_backfill import Archive
from tests.support.prefect_server import prefect_env
from tests.support.receiver import Receiver
from tests.support.server import LocalServer

BRIEFWATCH = str(Path(sys.executable).with_name("briefwatch"))


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as hook:
        yield hook


def write_config(path: Path, source_url: str, channel_url: str) -> Path:
    path.write_text(
        f'[storage]\nurl = "sqlite:///{path.parent / "bw.db"}"\n'
        '[fetch]\nallow_private = ["127.0.0.1"]\nretries = 0\n'
        f'[[sources]]\nname = "dispatch"\nurl = "{source_url}"\n'
        f'[[channels]]\nname = "hook"\nurl = "{channel_url}"\n',
        encoding="utf-8",
    )
    return path


def test_the_flow_continues_where_it_stopped_names_its_runs_and_says_so_in_an_artifact(
    tmp_path: Path, server: LocalServer, receiver: Receiver, prefect_api: str
) -> None:
    site = Archive(server)
    config = write_config(
        tmp_path / "briefwatch.toml", server.url("/sitemap.xml"), receiver.apprise_url
    )

    with temporary_settings(updates={PREFECT_API_URL: prefect_api}):
        first = backfill(config=str(config), source="dispatch", since="2020-10-01",
                         until="2020-10-31", max_pages=1)  # fmt: skip
        second = backfill(config=str(config), source="dispatch", since="2020-10-01",
                          until="2020-10-31")  # fmt: skip

    assert first["stopped"]["reason"] == "page-cap" and first["counts"]["listing_pages"] == 1
    assert second["stopped"]["reason"] == "finished"
    assert second["counts"]["new_stories"] == 4 and second["counts"]["changes_quiet"] == 4
    assert second["counts"]["changes_alerted"] == 0 and receiver.messages == []
    assert site.hits("/sitemap.xml") == site.hits(site.sitemap("2020-10")) == 1

    runs = requests.post(
        f"{prefect_api}/flow_runs/filter",
        json={"flows": {"name": {"any_": ["backfill"]}}, "sort": "START_TIME_DESC"},
        timeout=10,
    ).json()
    names = [r["name"] for r in runs if r["name"].startswith("backfill: dispatch 2020-10-01..")]
    assert names[:2] == [
        "backfill: dispatch 2020-10-01..2020-10-31: 1 pages, 4 articles, 4 changes (0 alerted), "
        "finished",
        "backfill: dispatch 2020-10-01..2020-10-31: 1 pages, 0 articles, 0 changes (0 alerted), "
        "page-cap",
    ]
    artifacts = requests.post(
        f"{prefect_api}/artifacts/filter",
        json={"artifacts": {"key": {"any_": [ARTIFACT_KEY]}}, "sort": "CREATED_DESC"},
        timeout=10,
    ).json()
    latest = artifacts[0]["data"]
    assert "**Stopped: finished**" in latest
    assert "Hadrut: captured by Azerbaijani forces" in latest  # recorded quietly, and shown
    assert "Changes recorded quietly (evidence older than 2 days)" in latest
    earlier = artifacts[1]["data"]
    assert "**Stopped: page-cap**" in earlier and site.sitemap("2020-10") in earlier


def test_the_command_runs_a_backfill_and_refuses_a_feed_with_exit_2(
    tmp_path: Path, server: LocalServer, receiver: Receiver, prefect_api: str
) -> None:
    Archive(server)
    env = prefect_env(tmp_path / "prefect", prefect_api)

    def briefwatch(config: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [BRIEFWATCH, "backfill", "--config", str(config), "--source", "dispatch",
             "--since", "2020-11-01", "--until", "2020-11-30"],
            env=env, capture_output=True, text=True, timeout=240, cwd=tmp_path,
        )  # fmt: skip

    archive = write_config(
        tmp_path / "archive.toml", server.url(Archive.page(1)), receiver.apprise_url
    )
    done = briefwatch(archive)
    assert done.returncode == 0, done.stderr
    assert "3 new stories" in done.stdout and "1 changes quiet" in done.stdout
    assert "stopped (finished)" in done.stdout

    (tmp_path / "feed").mkdir()
    feed = write_config(tmp_path / "feed" / "feed.toml", server.url("/rss"), receiver.apprise_url)
    done = briefwatch(feed)
    assert done.returncode == 2
    assert "feed-has-no-archive" in done.stderr and "cannot go back in time" in done.stderr


def test_the_direct_backfill_and_the_flow_read_and_report_the_same(
    tmp_path: Path, server: LocalServer, receiver: Receiver, prefect_api: str
) -> None:
    """`run_backfill` (no Prefect) and the `backfill` flow are one driver (`drive_backfill`): on
    the same archive they read the same pages, store the same stories and report the same."""
    Archive(server)
    reports = {}
    for mode in ("flow", "direct"):
        (tmp_path / mode).mkdir()
        config = write_config(
            tmp_path / mode / "briefwatch.toml", server.url("/sitemap.xml"), receiver.apprise_url
        )
        if mode == "flow":
            with temporary_settings(updates={PREFECT_API_URL: prefect_api}):
                reports[mode] = backfill(config=str(config), source="dispatch",
                                         since="2020-10-01", until="2020-10-31")  # fmt: skip
            continue
        settings = load_config(config)
        store = Store(settings.storage.url)
        with Fetcher(settings.fetch) as fetcher:
            report = run_backfill(settings, store, fetcher, "dispatch", "2020-10-01", "2020-10-31")
        store.close()
        reports[mode] = report.to_json()
    assert reports["flow"] == reports["direct"]
    assert reports["direct"]["stopped"]["reason"] == "finished"
    assert reports["direct"]["counts"]["new_stories"] == 4
