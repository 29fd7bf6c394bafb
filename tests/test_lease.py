"""One pass at a time over a store: the pass lease, on SQLite and on the machine's PostgreSQL,
against real passes and a process killed while it held the lease."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from briefwatch import lease, pipeline
from briefwatch.config import parse_config
from briefwatch.fetch.client import Fetcher
from briefwatch.store import Store
from tests.support.server import LocalServer

ROOT = Path(__file__).resolve().parents[1]


def test_one_owner_holds_the_lease_until_it_lets_go_or_it_expires(db_url: str) -> None:
    store = Store(db_url)
    try:
        first = lease.take(store, "pass", "first")
        assert not isinstance(first, lease.Held)
        refused = lease.take(store, "pass", "second")
        assert isinstance(refused, lease.Held) and refused.owner == "first"
        assert "a pass is already running over this store (held by first" in str(refused)
        assert lease.holder(store, "pass") == refused
        lease.release(store, "pass", "second")  # not its lease: nothing happens
        assert isinstance(lease.take(store, "pass", "second"), lease.Held)
        lease.release(store, "pass", "first")
        assert lease.holder(store, "pass") is None
        assert not isinstance(lease.take(store, "pass", "second", seconds=0.3), lease.Held)
        time.sleep(0.4)  # not renewed: free, and the next taker gets it
        assert lease.holder(store, "pass") is None
        assert not isinstance(lease.take(store, "pass", "third"), lease.Held)
        assert not lease.renew(store, "pass", "second")  # taken over: its owner is told
        assert lease.renew(store, "pass", "third")
    finally:
        store.close()


def test_of_many_takers_at_once_exactly_one_gets_the_lease(db_url: str) -> None:
    Store(db_url).close()  # migrated once, before the race
    stores = [Store(db_url) for _ in range(6)]
    results: list[object] = []
    start = threading.Barrier(len(stores))

    def taker(n: int) -> None:
        start.wait()
        results.append(lease.take(stores[n], "pass", f"owner-{n}"))

    threads = [threading.Thread(target=taker, args=(n,)) for n in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for store in stores:
        store.close()
    assert sum(not isinstance(r, lease.Held) for r in results) == 1


def test_a_pass_while_another_holds_the_lease_does_nothing(
    tmp_path: Path, server: LocalServer
) -> None:
    server.route("/feed", "<rss version='2.0'><channel></channel></rss>",
                 content_type="application/rss+xml")  # fmt: skip
    settings = parse_config(
        {
            "storage": {"url": f"sqlite:///{tmp_path / 'bw.db'}"},
            "fetch": {"allow_private": ["127.0.0.1"]},
            "sources": [{"name": "feed", "url": server.url("/feed")}],
        }
    )
    store = Store(settings.storage.url)
    other = lease.take(store, lease.PASS, "host:1:other")
    assert not isinstance(other, lease.Held)
    with Fetcher(settings.fetch) as fetcher, pytest.raises(pipeline.PassRunning, match="host:1"):
        pipeline.run_pass(settings, store, fetcher)
    assert server.hits("/feed") == []
    lease.release(store, lease.PASS, "host:1:other")
    with Fetcher(settings.fetch) as fetcher:
        summary = pipeline.run_pass(settings, store, fetcher)
    assert summary.failed_sources == [] and len(server.hits("/feed")) == 1
    assert lease.holder(store, lease.PASS) is None  # let go of when the pass ended
    store.close()


def test_passes_over_different_sources_have_leases_of_their_own() -> None:
    assert lease.pass_lease() == lease.PASS
    assert lease.pass_lease(["b", "a"]) == lease.pass_lease(["a", "b"]) != lease.PASS
    assert lease.pass_lease(["a"]) != lease.pass_lease(["a", "b"])


KILLED = """
import os, signal, sys
from briefwatch import lease
from briefwatch.store import Store
store = Store(sys.argv[1])
owner = lease.owner_name() if sys.argv[3] == "own" else "elsewhere:1:killed-pass"
lease.take(store, lease.PASS, owner, seconds=float(sys.argv[2]))
os.kill(os.getpid(), signal.SIGKILL)
"""


def kill_a_pass_holding_the_lease(db_url: str, seconds: float, owner: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", KILLED, db_url, str(seconds), owner],
        cwd=ROOT, capture_output=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == -9, done.stderr


def test_a_lease_left_by_a_killed_pass_on_this_machine_is_taken_at_once(db_url: str) -> None:
    kill_a_pass_holding_the_lease(db_url, 300, "own")
    store = Store(db_url)
    try:
        assert lease.holder(store, lease.PASS) is None  # its process is gone
        assert not isinstance(lease.take(store, lease.PASS, "next-pass"), lease.Held)
    finally:
        store.close()


def test_a_lease_left_by_a_killed_pass_elsewhere_expires(db_url: str) -> None:
    kill_a_pass_holding_the_lease(db_url, 5, "elsewhere")
    store = Store(db_url)
    try:
        held = lease.holder(store, lease.PASS)
        assert held is not None and held.owner == "elsewhere:1:killed-pass"
        assert isinstance(lease.take(store, lease.PASS, "next-pass"), lease.Held)
        time.sleep(5.2)
        assert lease.holder(store, lease.PASS) is None
        assert not isinstance(lease.take(store, lease.PASS, "next-pass"), lease.Held)
    finally:
        store.close()


def test_a_renewal_that_fails_once_is_tried_again_at_the_next_tick(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A renewal that meets a store error (here the lease table briefly gone, as a lock held past
    SQLite's busy timeout would) does not end the renewing: the lease is pushed on again after."""
    url = f"sqlite:///{tmp_path / 'bw.db'}"
    store = Store(url)
    monkeypatch.setattr(lease, "RENEW", 0.2)
    raw = sqlite3.connect(tmp_path / "bw.db", isolation_level=None)
    with lease.holding(store, "pass") as held:
        assert not isinstance(held, lease.Held)
        raw.execute("ALTER TABLE lease RENAME TO lease_away")
        time.sleep(0.7)  # some renewals fail: "no such table: lease"
        raw.execute("ALTER TABLE lease_away RENAME TO lease")
        before = raw.execute("SELECT expires_at FROM lease").fetchone()[0]
        time.sleep(0.7)
        after = raw.execute("SELECT expires_at FROM lease").fetchone()[0]
        assert after > before, "the renewing thread stopped after its failed renewals"
    raw.close()
    store.close()
