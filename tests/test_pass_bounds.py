"""A pass bounded in time, beside hostile sources: the sources of a group are read at once, a
pass ends at its deadline with what it read, and what was left is read next pass.

Real HTTP on 127.0.0.1 (a fault-injecting server), a real SQLite store, Apprise delivering to a
local receiver; no Prefect here (the flow drives the same `pipeline.drive_pass`).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from briefwatch import pipeline
from briefwatch.config import Settings, parse_config
from briefwatch.fetch.client import Fetcher
from briefwatch.models import Article, Delivery
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


# -- a pass bounded in time, beside hostile sources -----------------------------------------


PAGES = {  # three unrelated short articles, in our own words
    1: (
        "Ferry service to Tarnholm resumes",
        "The ferry to the island of Tarnholm sailed again on Monday after two days in port, "
        "the harbour office said. Crews had waited for the wind to drop before the first "
        "crossing of the week, and the morning boat left with every seat taken.",
    ),
    2: (
        "Library opens its new reading room",
        "The town library in Osmark opened a reading room on its top floor, with long tables, "
        "a wall of periodicals and a corner for children. Volunteers spent the winter moving "
        "shelves and sorting donated books by subject and by age.",
    ),
    3: (
        "Apple growers expect an early harvest",
        "Orchards along the Vell valley are ripening three weeks ahead of last year, growers "
        "told a regional meeting. A warm spring and little frost mean the first pickers are "
        "wanted by the middle of August, and packing sheds are hiring now.",
    ),
}


def article_page(n: int) -> bytes:
    title, text = PAGES[n]
    paragraphs = "".join(f"<p>{sentence.strip()}.</p>" for sentence in text.split(". "))
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"{paragraphs}</article></body></html>"
    ).encode()


def hostile(server: LocalServer, busy: LocalServer, drip_pages: bool) -> list[dict]:
    """Beside the good source: a slow drip (one byte a second), a stall (accepts, never
    answers), a redirect loop, a 429 (on a server of its own: the back-off it asks for holds
    for its whole host and port), a 500, and a source whose first article drips (so its other
    articles are left for the next pass)."""
    one_byte_a_second = {"repeat": 10_000, "chunk_delay": 1.0}
    server.route("/drip", b"x", **one_byte_a_second)
    server.route("/stall", rss(server), content_type="application/rss+xml", delay=3600)
    server.redirect("/loop", "/loop")
    busy.route("/busy", "slow down", status=429, content_type="text/plain")
    server.route("/down", "boom", status=500, content_type="text/plain")
    paths = [f"/slow-pages/{n}" for n in range(1, 4)]
    server.route("/slow-pages", rss(server, *paths), content_type="application/rss+xml")
    first = {"repeat": 10_000, "chunk_delay": 1.0} if drip_pages else {}
    server.route(paths[0], article_page(1)[:1] if drip_pages else article_page(1), **first)
    for n, path in enumerate(paths[1:], start=2):
        server.route(path, article_page(n))
    names = ("drip", "stall", "loop", "down", "slow-pages")
    return [
        *({"name": name, "url": server.url(f"/{name}")} for name in names),
        {"name": "busy", "url": busy.url("/busy")},
    ]


@pytest.fixture
def busy() -> Iterator[LocalServer]:
    with LocalServer() as srv:
        yield srv


def test_a_pass_beside_hostile_sources_ends_at_its_deadline_and_delivers_the_good_alerts(
    tmp_path: Path, server: LocalServer, busy: LocalServer, receiver: Receiver
) -> None:
    server.route(SEED_PATH, SEED)
    server.route("/feed", rss(server, SEED_PATH), content_type="application/rss+xml")
    sources = [*hostile(server, busy, True), {"name": "mt", "url": server.url("/feed")}]
    # The defaults a user gets (retries 2, pass_retries 1, a 60 s request deadline), but a
    # small pass deadline and a short pause before a source is tried again in the pass.
    settings = settings_for(
        tmp_path, receiver, sources, retries=2, pass_deadline=8, pass_retry_delay=0.5
    )

    summary, elapsed = run(settings)

    assert elapsed < 8 + 10, elapsed
    assert any(t.startswith("Shusha") for t in receiver.titles())
    failed = {line.split(": ")[0]: line for line in summary.failed_sources}
    assert set(failed) == {"drip", "stall", "loop", "busy", "down"}
    assert "time in the pass ran out" in failed["drip"]
    assert "time in the pass ran out" in failed["stall"]
    assert "too-many-redirects" in failed["loop"] and "redirect loop" in failed["loop"]
    assert "HTTP 429" in failed["busy"]
    assert "HTTP 500" in failed["down"]
    # A request that used its time is not tried again in the pass: one request each. The 500
    # had its 3 attempts; the pass's retry of it would start after the pass's time: none.
    assert len(server.hits("/drip")) == 1 and len(server.hits("/stall")) == 1
    assert len(server.hits("/down")) == 3
    assert summary.timed_out == ["slow-pages: timed-out: 3 articles left for the next pass"]
    skips = {s.url: s.reason for b in summary.batches for s in b.skipped}
    assert {skips[server.url(f"/slow-pages/{n}")] for n in (1, 2, 3)} == {"timed-out"}
    assert not server.hits("/slow-pages/2") and not server.hits("/slow-pages/3")

    store = Store(settings.storage.url)
    sources_now = {row.name: row for row in store.sources()}
    store.close()
    assert sources_now["drip"].last_error == "timeout"
    assert sources_now["mt"].last_error is None

    # Next pass: the drip has stopped; what timed out is read, the first time it is asked for.
    hostile(server, busy, drip_pages=False)
    second, _ = run(settings)
    assert len(server.hits("/slow-pages/2")) == len(server.hits("/slow-pages/3")) == 1
    read = {t for b in second.batches if b.source == "slow-pages" for t in b.new_stories}
    assert read == {title for title, _ in PAGES.values()}
    assert second.timed_out == []


def test_a_source_that_timed_out_is_not_fetched_again_in_the_pass_and_a_503_is(
    tmp_path: Path, server: LocalServer, receiver: Receiver
) -> None:
    server.route("/silent", rss(server), content_type="application/rss+xml", delay=30)
    server.route("/flaky", rss(server), content_type="application/rss+xml", fail_first=[503])
    sources = [
        {"name": "silent", "url": server.url("/silent")},
        {"name": "flaky", "url": server.url("/flaky")},
    ]
    settings = settings_for(
        tmp_path, receiver, sources, read_timeout=1, pass_retries=2, pass_retry_delay=0.1
    )

    summary, elapsed = run(settings)

    assert len(server.hits("/silent")) == 1  # it had its time; twice more would triple it
    assert len(server.hits("/flaky")) == 2  # a 503, then the feed
    assert [line.split(": ")[:2] for line in summary.failed_sources] == [["silent", "timeout"]]
    assert elapsed < 5, elapsed


def test_a_group_does_not_wait_for_a_listing_still_dripping_when_its_others_are_done(
    tmp_path: Path, server: LocalServer, receiver: Receiver
) -> None:
    """Three groups, a drip in each: held up by their drips, the first two would take the
    pass's whole time and the third would not be read at all."""
    server.route("/drip", b"x", repeat=10_000, chunk_delay=1.0)
    sources = []
    for n in range(30):
        if n % 10 == 5:
            sources.append({"name": f"drip-{n}", "url": server.url(f"/drip?{n}")})
        else:
            server.route(f"/quiet/{n}", rss(server), content_type="application/rss+xml")
            sources.append({"name": f"quiet-{n}", "url": server.url(f"/quiet/{n}")})
    server.routes.update({f"/drip?{n}": server.routes["/drip"] for n in (5, 15, 25)})
    settings = settings_for(tmp_path, receiver, sources, pass_deadline=16, pass_retry_delay=0.2)

    summary, elapsed = run(settings)

    assert summary.timed_out == []
    failed = sorted(line.split(": ")[0] for line in summary.failed_sources)
    assert failed == ["drip-15", "drip-25", "drip-5"]
    # Each drip given up on by its group, then read again after the others until the end.
    assert all(len(server.hits(f"/drip?{n}")) == 2 for n in (5, 15, 25))
    assert all("time in the pass ran out" in line for line in summary.failed_sources)
    assert elapsed < 16 + 10, elapsed


# -- the whole pass bounded: storing, the fold and the alerts keep to its deadline too -------


def slow_page(n: int) -> bytes:
    """A long article (~230 KB of text, our own words) that takes ~1.3 s of CPU to read: the
    extractor reads up to its text cap. Numbered, so that no two pages are one text."""
    paragraphs = "".join(
        f"<p>The ferry {n} to the island of Tarnholm sailed again on day {k} after the wind "
        f"dropped, and the harbour office of Osmark said the morning boat {n}-{k} left full.</p>"
        for k in range(1300)
    )
    title = f"Ferry report {n}"
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"{paragraphs}</article></body></html>"
    ).encode()


def stored_urls(settings: Settings) -> list[str]:
    store = Store(settings.storage.url)
    with store.session() as session:
        urls = [a.url for a in session.exec(select(Article))]
    store.close()
    return urls


def test_pages_slow_to_read_are_left_for_the_next_pass_which_still_ends_on_time(
    tmp_path: Path, server: LocalServer, receiver: Receiver
) -> None:
    """24 pages of ~1.3 s each to read (~30 s of CPU) fetched in a moment, with a 2 s pass
    deadline: the pass stores what it read in its time, the rest is timed-out and read by the
    next passes, each read once, and the good source's alert arrives in the first pass."""
    server.route(SEED_PATH, SEED)
    server.route("/feed", rss(server, SEED_PATH), content_type="application/rss+xml")
    paths = [f"/long/{n}" for n in range(24)]
    for n, path in enumerate(paths):
        server.route(path, slow_page(n), etag=f'"{n}"')  # a revisit costs a 304
    server.route("/long-feed", rss(server, *paths), content_type="application/rss+xml")
    sources = [
        {"name": "mt", "url": server.url("/feed")},
        {"name": "long", "url": server.url("/long-feed")},
    ]
    settings = settings_for(tmp_path, receiver, sources, pass_deadline=2)

    first, elapsed = run(settings)

    assert elapsed < 2 + 10, elapsed
    assert any(t.startswith("Shusha") for t in receiver.titles())
    [line] = [t for t in first.timed_out if t.startswith("long:")]
    assert "fetched but not read in the pass's time" in line
    left = {s.url for b in first.batches for s in b.skipped if s.reason == "timed-out"}
    assert left and len(left) < 24
    read = len(stored_urls(settings))

    for _ in range(12):
        if read == 25:
            break
        _, elapsed = run(settings)
        assert elapsed < 2 + 10, elapsed
        assert len(stored_urls(settings)) > read  # each pass reads some of what was left
        read = len(stored_urls(settings))

    urls = stored_urls(settings)
    assert sorted(urls) == sorted(server.url(p) for p in [SEED_PATH, *paths])
    assert all(len(server.hits(p)) <= 12 for p in paths)
    last, _ = run(settings)  # nothing left: nothing timed out, nothing read again
    assert last.timed_out == [] and last.counts()["new_stories"] == 0
    assert max(Counter(receiver.titles()).values()) == 1  # no alert twice


def test_a_channel_that_never_answers_does_not_hold_the_pass_and_its_alerts_wait(
    tmp_path: Path, server: LocalServer, receiver: Receiver
) -> None:
    """The seed briefing makes 8 alerts. Beside a channel that answers, one that takes each
    message and never answers (Apprise would wait 4 s on each: 32 s): the pass ends on time,
    the good channel has all 8; the one message the hanging channel took is "unknown" (it may
    have arrived: never sent again on its own), and its alerts not tried wait, pending, for the
    next pass, which sends them once each."""
    server.route(SEED_PATH, SEED)
    server.route("/feed", rss(server, SEED_PATH), content_type="application/rss+xml")
    with Receiver() as hanging:
        hanging.stall()
        settings = parse_config(
            {
                "storage": {"url": f"sqlite:///{tmp_path / 'bw.db'}"},
                "fetch": {"allow_private": ["127.0.0.1"], "retries": 0, "pass_deadline": 2},
                "sources": [{"name": "mt", "url": server.url("/feed")}],
                "channels": [
                    {"name": "hanging", "url": hanging.apprise_url},
                    {"name": "hook", "url": receiver.apprise_url},
                ],
            }
        )

        first, elapsed = run(settings)

        assert elapsed < 2 + 10, elapsed
        assert len(receiver.messages) == 8
        [held] = first.alerts.held
        assert held.startswith("hanging: the channel did not answer in time") and "(7 " in held
        assert first.alerts.failed == []
        [unanswered] = first.alerts.unknown
        assert unanswered.startswith("hanging: ") and "gave no answer" in unanswered
        states = delivery_states(settings, "hanging")
        assert states == Counter({"pending": 7, "unknown": 1})

        hanging.release()
        second, _ = run(settings)
        assert len(second.alerts.sent) == 7 and second.alerts.unknown == []
        assert delivery_states(settings, "hanging") == Counter({"sent": 7, "unknown": 1})
        third, _ = run(settings)  # and on later passes: the unknown one is not resent
        assert third.alerts.sent == [] and third.alerts.failed == []
        assert len(receiver.messages) == 8  # the good channel: nothing twice
    titles = Counter(hanging.titles())
    assert len(titles) == 8 and max(titles.values()) == 1  # each once (one arrived unanswered)


def delivery_states(settings: Settings, channel: str) -> Counter[str]:
    store = Store(settings.storage.url)
    with store.session() as session:
        states = Counter(d.state for d in session.exec(select(Delivery)) if d.channel == channel)
    store.close()
    return states
