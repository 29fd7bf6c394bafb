"""`briefwatch run` end to end, as a user runs it: the command, a real Prefect server, real HTTP
on 127.0.0.1 serving fixture pages, a real SQLite store and Apprise delivering to a local receiver.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from briefwatch import pipeline
from briefwatch.config import load_config
from briefwatch.fetch.client import Fetcher
from briefwatch.store import Store
from tests.conftest import FIXTURES
from tests.support.prefect_server import prefect_env
from tests.support.receiver import Receiver
from tests.support.server import LocalServer

BRIEFWATCH = str(Path(sys.executable).with_name("briefwatch"))
SEED_PAGE = FIXTURES / "pages" / "moscowtimes" / "seed-briefing.html"
WIRE_PAGE = FIXTURES / "pages" / "wire" / "afp-helicopter.html"
SEED_PATH = "/2020/11/09/azerbaijan-shoots-down-russian-military-helicopter-over-armenia-a71987"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as hook:
        yield hook


def rss(server: LocalServer, *paths: str) -> str:
    items = "".join(
        f"<item><title>item {i}</title><link>{server.url(p)}</link>"
        f"<pubDate>Mon, 09 Nov 2020 20:12:00 +0300</pubDate><guid>{server.url(p)}</guid></item>"
        for i, p in enumerate(paths)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>test feed</title><link>{server.url('/')}</link>{items}</channel></rss>"
    )


class Briefwatch:
    """Runs the `briefwatch` command with one config against the session's Prefect server."""

    def __init__(self, workdir: Path, api: str) -> None:
        self.workdir = workdir
        self.config = workdir / "briefwatch.toml"
        self.env = prefect_env(workdir / "prefect", api)

    def write_config(
        self,
        sources: list[dict],
        channel_url: str,
        extra: str = "",
        pass_retries: int = 0,
        fetch: str = "",
    ) -> None:
        blocks = [
            f'[storage]\nurl = "sqlite:///{self.workdir / "bw.db"}"\n',
            '[fetch]\nallow_private = ["127.0.0.1"]\nretries = 0\n'
            f"pass_retries = {pass_retries}\npass_retry_delay = 0.2\n"
            f"connect_timeout = 2\nread_timeout = 5\n{fetch}",
        ]
        for source in sources:
            lines = "\n".join(f"{k} = {json.dumps(v)}" for k, v in source.items())
            blocks.append(f"[[sources]]\n{lines}\n")
        blocks.append(f'[[channels]]\nname = "hook"\nurl = "{channel_url}"\n')
        self.config.write_text("\n".join(blocks) + extra, encoding="utf-8")

    def __call__(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [BRIEFWATCH, *args]
        if args and args[0] in ("run", "status", "alerts", "sources"):
            command += ["--config", str(self.config)]
        done = subprocess.run(
            command, env=self.env, capture_output=True, text=True, timeout=240, cwd=self.workdir
        )
        if check and done.returncode != 0:
            raise AssertionError(f"{args} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
        return done

    def json(self, *args: str) -> dict:
        return json.loads(self(*args, "--json").stdout)


@pytest.fixture
def bw(tmp_path: Path, prefect_api: str) -> Briefwatch:
    return Briefwatch(tmp_path, prefect_api)


def test_first_pass_alerts_and_an_unchanged_second_pass_sends_nothing(
    bw: Briefwatch, server: LocalServer, receiver: Receiver, prefect_api: str
) -> None:
    server.route(SEED_PATH, SEED_PAGE.read_bytes(), etag='"seed-1"')
    server.route("/rss/news", rss(server, SEED_PATH), content_type="application/rss+xml")
    bw.write_config([{"name": "mt", "url": server.url("/rss/news")}], receiver.apprise_url)
    started = datetime.now(UTC).isoformat()

    first = bw("run")
    assert "pass done" in first.stdout
    titles = receiver.titles()
    assert "Shusha: captured by Azerbaijani forces — conceded by Armenia" in titles
    assert any(t.startswith("Crew members killed: 2") for t in titles), titles
    assert any(t.startswith("Crew members injured: 1") for t in titles), titles
    shusha = next(m for m in receiver.messages if m["title"].startswith("Shusha"))
    # The evidence: who said it, the quoted sentence, and the link to the article.
    assert "Ilham Aliyev" in shusha["message"]
    assert "completely out of our control" in shusha["message"]
    assert server.url(SEED_PATH) in shusha["message"]

    sent = len(receiver.messages)
    bw("run")
    assert len(receiver.messages) == sent  # nothing new, nothing sent
    assert len(server.hits(SEED_PATH)) == 2  # the known article was re-checked ...
    assert server.hits(SEED_PATH)[-1].headers.get("if-none-match") == '"seed-1"'  # ... as a 304

    alerts = bw.json("alerts")["alerts"]
    assert len(alerts) == sent and {a["state"] for a in alerts} == {"sent"}
    facts = {f["key"]: f for f in bw.json("status")["facts"]}
    assert facts["control:shusha"]["state"]["holder"] == "Azerbaijan"
    assert facts["control:shusha"]["version"] == 1

    # Each pass published its summary to the Prefect server under one key: its history.
    versions = requests.post(
        f"{prefect_api}/artifacts/filter",
        json={"artifacts": {"key": {"any_": ["briefwatch-pass"]}}, "sort": "CREATED_DESC"},
        timeout=10,
    ).json()
    mine = [v["data"] for v in reversed(versions) if v["created"] >= started]
    assert len(mine) == 2
    assert "### Changes" in mine[0] and "Shusha: captured by Azerbaijani forces" in mine[0]
    assert "| changes | 0 |" in mine[1]

    # Runs are named for what they did, and every change is a Prefect event for automations.
    runs = requests.post(f"{prefect_api}/flow_runs/filter", json={}, timeout=10).json()
    names = {r["name"] for r in runs if r["created"] >= started}
    assert "monitor: 1 sources, 1 new stories, 8 changes" in names
    assert "monitor: 1 sources, 0 new stories, 0 changes" in names
    events = requests.post(
        f"{prefect_api}/events/filter",
        json={"filter": {"event": {"prefix": ["briefwatch.change."]},
                         "occurred": {"since": started}}, "limit": 50},
        timeout=10,
    ).json()["events"]  # fmt: skip
    resources = {e["resource"]["prefect.resource.id"] for e in events}
    assert "briefwatch.fact.control:shusha" in resources
    assert {e["event"] for e in events} == {
        "briefwatch.change.control",
        "briefwatch.change.casualty",
    }


def test_a_syndicated_copy_from_another_outlet_sends_nothing(
    bw: Briefwatch, server: LocalServer, receiver: Receiver
) -> None:
    server.route(SEED_PATH, SEED_PAGE.read_bytes())
    server.route("/rss/news", rss(server, SEED_PATH), content_type="application/rss+xml")
    bw.write_config([{"name": "mt", "url": server.url("/rss/news")}], receiver.apprise_url)
    bw("run")
    sent = len(receiver.messages)
    assert sent > 0

    server.route("/wire/helicopter", WIRE_PAGE.read_bytes())
    bw.write_config(
        [
            {"name": "mt", "url": server.url("/rss/news")},
            {"name": "wire", "url": server.url("/wire/helicopter"), "kind": "article"},
        ],
        receiver.apprise_url,
    )
    done = bw("run")
    assert "0 new stories, 1 copies" in done.stdout
    assert len(receiver.messages) == sent, receiver.titles()[sent:]
    # status shows how widely the fact is reported, and where.
    shusha = next(f for f in bw.json("status")["facts"] if f["key"] == "control:shusha")
    assert {o["url"] for o in shusha["outlets"]} == {
        server.url(SEED_PATH),
        server.url("/wire/helicopter"),
    }


def test_a_failing_source_does_not_stop_the_others(
    bw: Briefwatch, server: LocalServer, receiver: Receiver
) -> None:
    server.route(SEED_PATH, SEED_PAGE.read_bytes())
    server.route("/rss/news", rss(server, SEED_PATH), content_type="application/rss+xml")
    server.route("/broken/feed", "boom", status=500)
    server.route("/garbage", (FIXTURES / "pages" / "broken" / "garbage.bin").read_bytes())
    server.route("/empty", b"", content_type="text/html")
    bw.write_config(
        [
            {"name": "down", "url": server.url("/broken/feed")},
            {"name": "refused", "url": "http://127.0.0.1:9/feed"},
            {"name": "garbage", "url": server.url("/garbage"), "kind": "article"},
            {"name": "empty", "url": server.url("/empty"), "kind": "article"},
            {"name": "mt", "url": server.url("/rss/news")},
        ],
        receiver.apprise_url,
    )
    done = bw("run")
    assert done.returncode == 0
    assert "source failed: down" in done.stdout and "source failed: refused" in done.stdout
    assert any(t.startswith("Shusha") for t in receiver.titles())

    sources = {s["name"]: s for s in bw.json("sources")["sources"]}
    assert sources["down"]["last_error"] == "http-status"
    assert "500" in sources["down"]["last_error_detail"]
    assert sources["refused"]["last_error"] == "connection"
    assert sources["mt"]["last_error"] is None and sources["mt"]["last_success_at"]


def test_a_source_down_for_a_moment_is_retried_within_the_pass_and_read(
    bw: Briefwatch, server: LocalServer, receiver: Receiver
) -> None:
    server.route(SEED_PATH, SEED_PAGE.read_bytes())
    server.route("/rss/news", rss(server, SEED_PATH), content_type="application/rss+xml",
                 fail_first=[503])  # fmt: skip
    server.route("/broken/feed", "boom", status=500)
    sources = [{"name": f"quiet-{n}", "url": server.url(f"/quiet/{n}")} for n in range(12)]
    for n in range(12):  # more sources than one fetch group: the flaky one is in the second
        server.route(f"/quiet/{n}", rss(server), content_type="application/rss+xml")
    sources += [
        {"name": "mt", "url": server.url("/rss/news")},
        {"name": "down", "url": server.url("/broken/feed")},
    ]
    bw.write_config(sources, receiver.apprise_url, pass_retries=2)
    done = bw("run")
    assert len(server.hits("/rss/news")) == 2  # a 503, then the feed
    assert any(t.startswith("Shusha") for t in receiver.titles())
    assert "source failed: mt" not in done.stdout
    # A source that stays down is tried pass_retries + 1 times and reported once.
    assert len(server.hits("/broken/feed")) == 3
    assert done.stdout.count("source failed: down") == 1


def test_a_run_beside_a_drip_and_a_stall_ends_at_its_pass_deadline_with_the_alerts(
    bw: Briefwatch, server: LocalServer, receiver: Receiver
) -> None:
    server.route(SEED_PATH, SEED_PAGE.read_bytes())
    server.route("/rss/news", rss(server, SEED_PATH), content_type="application/rss+xml")
    server.route("/drip", b"x", repeat=10_000, chunk_delay=1.0)  # one byte a second
    server.route("/stall", rss(server), content_type="application/rss+xml", delay=3600)
    bw.write_config(
        [
            {"name": "drip", "url": server.url("/drip")},
            {"name": "stall", "url": server.url("/stall")},
            {"name": "mt", "url": server.url("/rss/news")},
        ],
        receiver.apprise_url,
        pass_retries=1,
        fetch="pass_deadline = 8\n",  # the stall times out reading (5 s), the drip at 8 s
    )
    done = bw("run")
    assert "source failed: drip: timeout" in done.stdout
    assert "source failed: stall: timeout" in done.stdout
    assert any(t.startswith("Shusha") for t in receiver.titles())
    # The flow's pass (from its start to the pass log) ends within its deadline + 10 s, and
    # neither the request nor Prefect tried the two again.
    with closing(sqlite3.connect(bw.workdir / "bw.db")) as db:
        started, finished = db.execute("SELECT started_at, finished_at FROM pass_log").fetchone()
    took = datetime.fromisoformat(finished) - datetime.fromisoformat(started)
    assert took.total_seconds() < 8 + 10, took
    assert len(server.hits("/drip")) == len(server.hits("/stall")) == 1


def test_a_second_run_while_one_is_going_says_so_in_one_line_and_exits_0_quickly(
    bw: Briefwatch, server: LocalServer, receiver: Receiver
) -> None:
    server.route(SEED_PATH, SEED_PAGE.read_bytes())
    server.route("/rss/news", rss(server, SEED_PATH), content_type="application/rss+xml")
    server.route("/drip", b"x", repeat=10_000, chunk_delay=1.0)  # keeps the first pass going
    bw.write_config(
        [
            {"name": "drip", "url": server.url("/drip")},
            {"name": "mt", "url": server.url("/rss/news")},
        ],
        receiver.apprise_url,
        fetch="pass_deadline = 60\n",
    )
    first = subprocess.Popen(
        [BRIEFWATCH, "run", "--config", str(bw.config)],
        env=bw.env, cwd=bw.workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        for _ in range(600):  # until the first pass holds the lease (Prefect starts first)
            if server.hits("/drip"):
                break
            time.sleep(0.1)
        started = time.monotonic()
        second = bw("run")
        took = time.monotonic() - started
        assert first.poll() is None  # the first pass is still going
    finally:
        out, err = first.communicate(timeout=120)
    assert second.returncode == 0
    lines = second.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("a pass is already running over this store")
    # It did not wait for the first pass (60 s of drip): on a quiet machine it takes ~3 s, the
    # command's start; at a load of 9 on 2 cores up to ~40 s were seen.
    assert took < 60, took
    assert first.returncode == 0, err
    assert "pass done" in out and any(t.startswith("Shusha") for t in receiver.titles())
    assert len(server.hits("/rss/news")) == 1  # read by the first pass only


def test_a_bad_config_exits_2_and_names_the_field(bw: Briefwatch) -> None:
    bw.config.write_text(
        '[[sources]]\nname = "x"\nurl = "ftp://example.com/feed"\n', encoding="utf-8"
    )
    done = bw("run", check=False)
    assert done.returncode == 2
    assert "sources[0] (x).url" in done.stderr and "http" in done.stderr

    bw.config.write_text('[[channels]]\nname = "ops"\nurl = "env:BW_TEST_UNSET_URL"\n')
    done = bw("run", check=False)
    assert done.returncode == 2
    assert "channels[0] (ops).url" in done.stderr and "BW_TEST_UNSET_URL" in done.stderr


def test_a_channel_that_is_down_keeps_its_alerts_for_the_next_pass(
    bw: Briefwatch, server: LocalServer, receiver: Receiver
) -> None:
    server.route(SEED_PATH, SEED_PAGE.read_bytes())
    server.route("/rss/news", rss(server, SEED_PATH), content_type="application/rss+xml")
    secret = "sekret-4711"  # a token in the channel URL must never be printed or stored
    channel = f"{receiver.apprise_url}?+X-Token={secret}"
    bw.write_config([{"name": "mt", "url": server.url("/rss/news")}], channel)
    receiver.fail_next(100)
    done = bw("run")
    assert "alert failed" in done.stdout
    pending = bw.json("alerts")["alerts"]
    assert pending and {a["state"] for a in pending} == {"failed"}
    assert all(a["last_error"] for a in pending)
    assert secret not in done.stdout + done.stderr + json.dumps(pending)

    receiver.fail_next(0)
    bw("alerts", "--retry")
    assert len(receiver.messages) == len(pending)
    assert {a["state"] for a in bw.json("alerts")["alerts"]} == {"sent"}
    bw("alerts", "--retry")
    assert len(receiver.messages) == len(pending)  # never twice


def test_the_direct_pass_and_the_flow_store_and_send_the_same(
    tmp_path: Path, prefect_api: str, server: LocalServer
) -> None:
    """`pipeline.run_pass` (threads) and the `monitor` flow (`briefwatch run`: Prefect task
    runs) are one driver: on the same pages they store the same facts, send the same alerts and
    report the same failed sources, a source down for a moment retried within the pass."""
    server.route(SEED_PATH, SEED_PAGE.read_bytes())
    server.route("/wire/helicopter", WIRE_PAGE.read_bytes())
    server.route("/broken/feed", "boom", status=500)
    runs = {}
    for mode in ("flow", "direct"):
        # Each run its own feeds, so each meets the 503 of the flaky one the first time.
        server.route(f"/{mode}/mt", rss(server, SEED_PATH), content_type="application/rss+xml",
                     fail_first=[503])  # fmt: skip
        server.route(f"/{mode}/wire", rss(server, "/wire/helicopter"),
                     content_type="application/rss+xml")  # fmt: skip
        sources = [{"name": f"quiet-{n}", "url": server.url(f"/quiet/{n}")} for n in range(11)]
        for n in range(11):  # more sources than one fetch group
            server.route(f"/quiet/{n}", rss(server), content_type="application/rss+xml")
        sources += [
            {"name": "mt", "url": server.url(f"/{mode}/mt")},
            {"name": "wire", "url": server.url(f"/{mode}/wire")},
            {"name": "down", "url": server.url("/broken/feed")},
        ]
        workdir = tmp_path / mode
        workdir.mkdir()
        with Receiver() as receiver:
            bw = Briefwatch(workdir, prefect_api)
            bw.write_config(sources, receiver.apprise_url, pass_retries=2)
            if mode == "flow":
                failed = [line.split(": ")[1] for line in bw("run").stdout.splitlines()
                          if "source failed:" in line]  # fmt: skip
            else:
                settings = load_config(bw.config)
                store = Store(settings.storage.url)
                with Fetcher(settings.fetch) as fetcher:
                    summary = pipeline.run_pass(settings, store, fetcher)
                store.close()
                failed = [line.split(": ")[0] for line in summary.failed_sources]
            facts = {f["key"]: (f["headline"], f["state"]) for f in bw.json("status")["facts"]}
            runs[mode] = (facts, sorted(receiver.titles()), failed, bw.json("status")["counts"])
        assert len(server.hits(f"/{mode}/mt")) == 2  # the 503, then the feed: retried, read
    assert runs["flow"] == runs["direct"]
    facts, titles, failed, _ = runs["direct"]
    assert failed == ["down"]  # tried pass_retries + 1 times, reported once
    assert any(t.startswith("Shusha") for t in titles) and len(facts) >= 4
