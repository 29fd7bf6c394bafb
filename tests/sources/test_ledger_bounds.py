"""One ledger rule for what a pass could not read: a page queued for the next pass, whatever
queued it (an error worth retrying, the source's or the pass's time), is tried a bounded
number of passes, then given up with its last error, shown by `briefwatch sources`; a full-text
feed entry passed over for good is not read again every pass.

Real passes (`pipeline.run_pass`) over a local HTTP server, a real SQLite store.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from briefwatch import pipeline
from briefwatch.config import load_config
from briefwatch.models import Skip
from briefwatch.sources.skips import MAX_PASSES, Kind, kind_of
from briefwatch.store import Store
from tests.support import alerting
from tests.support.receiver import Receiver
from tests.support.server import LocalServer
from tests.test_cli import BRIEFWATCH, briefwatch

PAGE = (
    "<html><head><title>Tram line repainted</title></head><body><article>"
    "<h1>Tram line repainted</h1><p>Workers repainted the overhead masts of the river tram "
    "line over the weekend, the operator said.</p><p>The trams ran to the usual timetable "
    "throughout the work, and the new colour is a dark green.</p></article></body></html>"
)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as hook:
        yield hook


def feed(server: LocalServer, items: str) -> str:
    return (
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>wire</title>{items}</channel></rss>"
    )


def item(server: LocalServer, path: str, content: str = "") -> str:
    url = server.url(path)
    encoded = f"<content:encoded><![CDATA[{content}]]></content:encoded>" if content else ""
    return f"<item><title>t</title><link>{url}</link><guid>{url}</guid>{encoded}</item>"


def write_config(tmp_path: Path, server: LocalServer, hook: Receiver, **source: object) -> Path:
    extra = "".join(f"{k} = {json.dumps(v)}\n" for k, v in source.items())
    path = tmp_path / "briefwatch.toml"
    path.write_text(
        f'[storage]\nurl = "sqlite:///{tmp_path / "bw.db"}"\n'
        '[fetch]\nallow_private = ["127.0.0.1"]\nretries = 0\npass_retries = 0\n'
        "source_deadline = 1\nhost_delay = 0\n"
        f'[[sources]]\nname = "wire"\nurl = "{server.url("/feed")}"\n{extra}'
        f'[[channels]]\nname = "desk"\nurl = "{hook.apprise_url}"\n',
        encoding="utf-8",
    )
    return path


def run(config: Path) -> pipeline.PassSummary:
    return alerting.run(load_config(config))


def queue_rows(config: Path, url: str) -> list[tuple[str, int]]:
    store = Store(load_config(config).storage.url)
    with store.session() as session:
        rows = [(r.reason, r.count) for r in session.exec(select(Skip).where(Skip.url == url))]
    store.close()
    return sorted(rows)


def test_a_page_that_times_out_or_fails_every_pass_is_given_up_and_says_so(
    tmp_path: Path, server: LocalServer, receiver: Receiver
) -> None:
    """A page that drips past its source's time (timed-out), then answers 503 (an error worth
    retrying): one queue, one count of passes, given up after `MAX_PASSES` of them."""
    server.route("/a/1", b"x", repeat=10_000, chunk_delay=0.5)
    server.route("/feed", feed(server, item(server, "/a/1")), content_type="application/rss+xml")
    url = server.url("/a/1")
    config = write_config(tmp_path, server, receiver)

    for n in (1, 2):
        summary = run(config)
        assert [s.reason for b in summary.batches for s in b.skipped] == ["timed-out"]
        assert queue_rows(config, url) == [("timed-out", n)]

    server.route("/a/1", "busy", status=503, content_type="text/plain")
    for n in range(3, MAX_PASSES + 1):  # queued under the other reason: the count goes on
        run(config)
        assert queue_rows(config, url) == [("retry-next-pass", n)], n
    fetched = len(server.hits("/a/1"))
    assert fetched == MAX_PASSES

    given_up = run(config)
    [skip] = [s for b in given_up.batches for s in b.skipped]
    assert skip.reason == "gave-up" and f"after {MAX_PASSES} passes" in skip.detail
    assert "HTTP 503" in skip.detail
    assert len(server.hits("/a/1")) == fetched  # not asked for again
    assert [
        reason for reason, _ in queue_rows(config, url) if kind_of(reason) is Kind.WAITING
    ] == []

    run(config)  # and not in later passes either, while the feed lists it unchanged
    assert len(server.hits("/a/1")) == fetched

    done = briefwatch("sources", "--config", str(config), "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    [wire] = json.loads(done.stdout)["sources"]
    assert wire["pages"]["given_up"] == 1 and wire["pages"]["queued"] == 0
    assert wire["pages"]["last_given_up"]["url"] == url
    table = subprocess.run(
        [BRIEFWATCH, "sources", "--config", str(config)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={**os.environ, "COLUMNS": "400"},
    )  # fmt: skip
    assert "1 given up (last: " in table.stdout and "HTTP 503" in table.stdout


FULL_TEXT = (
    "<p>The harbour ferry will leave ten minutes earlier from Monday, the operator said on "
    "Friday, after a winter of complaints from commuters who missed their trains at the "
    "station on the far shore of the bay.</p>"
    "<p>Season tickets stay valid and the evening crossing is unchanged, the operator added, "
    "and the new timetable will be posted at both piers and on the boats themselves over the "
    "weekend, with copies at the library and in the town hall for those who ask.</p>"
)


def test_a_full_text_feed_entry_passed_over_for_good_is_not_read_every_pass(
    tmp_path: Path, server: LocalServer, receiver: Receiver
) -> None:
    body = feed(server, item(server, "/ferry", FULL_TEXT))
    server.route("/feed", body, content_type="application/rss+xml")
    config = write_config(tmp_path, server, receiver, include=["Karabakh"])
    url = server.url("/ferry")

    first = run(config)
    assert [s.reason for b in first.batches for s in b.skipped] == ["filtered-out"]
    for _ in range(2):
        again = run(config)
        assert [s.reason for b in again.batches for s in b.skipped] == []
    assert queue_rows(config, url) == [("filtered-out", 1)]  # read once, not every pass
    assert not server.hits("/ferry")  # its text came with the feed: the page is never asked for
