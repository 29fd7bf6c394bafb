"""Monitoring the monitor: a source failing, silent or misread is one alert when it starts and
one when it ends, to the channels that ask for "health" and no other. Real passes
(`pipeline.run_pass`) over a local HTTP server, Apprise delivering to real local receivers, on
SQLite and PostgreSQL; a pass killed with SIGKILL while it sends, then run again.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from briefwatch import pipeline
from briefwatch.alerts import send as alerts
from briefwatch.clock import utcnow
from briefwatch.config import load_config
from briefwatch.demo.pages import DemoArticle, article_path, render_article, render_feed
from briefwatch.errors import ConfigError
from briefwatch.fetch.client import Fetcher
from briefwatch.models import SourceHealth
from briefwatch.report import pass_markdown
from briefwatch.store import Store
from tests.support import alerting
from tests.support.receiver import Receiver
from tests.support.server import LocalServer
from tests.test_cli import briefwatch

ROOT = Path(__file__).resolve().parents[1]
FAILING = "Source wire: failing"
RECOVERED = "Source wire: recovered (was failing)"


# Written for these tests: news with no casualty and no control claim in it.
TOPICS = [
    ("Ferry timetable changes", "The harbour ferry will leave ten minutes earlier from Monday, "
     "the operator said.", "Season tickets stay valid and the evening crossing is unchanged."),
    ("Library opens late", "The city library will stay open until nine on Thursdays, its "
     "director announced.", "Readers asked for the longer hours in a survey last spring."),
    ("Orchard harvest starts", "Apple growers in the valley began picking a week early after a "
     "warm summer.", "Prices at the market are expected to hold steady this autumn."),
    ("Tram line repainted", "Workers repainted the overhead masts of the river tram line over "
     "the weekend.", "The trams ran to the usual timetable throughout the work."),
    ("Chess club wins cup", "The school chess club won the regional cup on a tie-break, its "
     "coach said.", "The team will play the national final in the capital next month."),
    ("Bakery moves street", "A family bakery moved two streets north after forty years at the "
     "old corner.", "Its owners said the new oven bakes twice as many loaves a morning."),
    ("Swimming pool reopens", "The municipal pool reopened after its tiles were replaced, three "
     "weeks later than planned.", "Morning lanes are kept for club training until eight."),
    ("Bridge lights switched", "The footbridge now glows amber at night after new lamps were "
     "fitted on its railings.", "The lamps use a third of the power of the old ones."),
    ("Choir records an album", "The cathedral choir recorded its first album in the nave over "
     "two quiet evenings.", "Copies go on sale at the door after the Christmas concert."),
    ("Cycle lane extended", "The cycle lane along the canal now reaches the railway station, "
     "the council said.", "Parking on that side of the towpath is no longer allowed."),
    ("Museum buys a clock", "The town museum bought a carved wall clock made by a local "
     "craftsman two centuries ago.", "It will hang in the entrance hall from the spring."),
    ("Market gets a roof", "The Saturday market will trade under a glass roof from next year "
     "after a vote by stallholders.", "Building work starts in January and takes six weeks."),
]  # fmt: skip


def _article(n: int) -> DemoArticle:
    title, *paragraphs = TOPICS[n - 1]
    return DemoArticle(
        slug=f"news/{n}",
        outlet_build="wire",
        title=title,
        paragraphs=paragraphs,
        published=datetime(2026, 3, n, 8, tzinfo=UTC),
    )


def _publish(
    server: LocalServer, numbers: list[int], *, broken: bool = False, status: int = 200
) -> None:
    """A feed at /feed listing these articles, each served at its page (``broken``: pages with
    no text at all, as a redesigned site looks to an old parser; ``status``: the pages' answer)."""
    articles = [_article(n) for n in numbers]
    for article in articles:
        page = render_article(article, server.url("/"))
        if broken:
            page = b"<html><head><title>x</title></head><body><div id='app'></div></body></html>"
        server.route(article_path(article), page, status=status)
    feed = render_feed(articles, server.url("/"), "Wire")
    server.route("/feed", feed, content_type="application/rss+xml")


@pytest.fixture
def ops() -> Iterator[Receiver]:
    with Receiver() as hook:
        yield hook


@pytest.fixture
def desk() -> Iterator[Receiver]:
    with Receiver() as hook:
        yield hook


def _config(
    tmp_path: Path, db_url: str, server: LocalServer, ops: Receiver, desk: Receiver, extra: str = ""
) -> Path:
    text = (
        f'[storage]\nurl = "{db_url}"\n'
        # One pass retry without delay: a failing pass asks for the listing twice, and counts once.
        '[fetch]\nallow_private = ["127.0.0.1"]\nretries = 0\npass_retries = 1\n'
        "pass_retry_delay = 0\nhost_delay = 0\n"
        f"{extra}"
        f'[[sources]]\nname = "wire"\nurl = "{server.url("/feed")}"\n'
        f'[[channels]]\nname = "ops"\nurl = "{ops.apprise_url}?rto=60"\nkinds = ["health"]\n'
        f'[[channels]]\nname = "desk"\nurl = "{desk.apprise_url}"\n'
    )
    path = tmp_path / "briefwatch.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _pass(config: Path) -> pipeline.PassSummary:
    return alerting.run(load_config(config))


def _sources(config: Path, tmp_path: Path) -> dict:
    done = briefwatch("sources", "--config", str(config), "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return {s["name"]: s for s in json.loads(done.stdout)["sources"]}


def test_a_failing_source_is_one_alert_when_it_starts_and_one_when_it_reads_again(
    tmp_path: Path, db_url: str, server: LocalServer, ops: Receiver, desk: Receiver
) -> None:
    _publish(server, [1])
    config = _config(tmp_path, db_url, server, ops, desk)
    assert _pass(config).counts()["new_stories"] == 1  # it read fine once
    server.routes["/feed"].fail_first = [500] * 8  # four passes, two requests each

    for n in (1, 2):
        summary = _pass(config)
        assert summary.failed_sources and summary.health.open == [], n
    assert ops.titles() == []
    third = _pass(config)
    assert ops.titles() == [FAILING]
    assert third.health.started and third.health.open[0].startswith("wire: failing since ")
    alert = ops.messages[0]
    assert "3 passes in a row" in alert["message"] and "500" in alert["message"]
    assert alert["type"] == "warning"
    artifact = pass_markdown(third)  # what the Prefect artifact of the pass shows
    assert "### Health: conditions open" in artifact and "- wire: failing since " in artifact

    fourth = _pass(config)
    assert fourth.failed_sources and ops.titles() == [FAILING]  # still failing: nothing new
    assert fourth.health.started == [] and len(fourth.health.open) == 1

    fifth = _pass(config)  # the listing reads again
    assert not fifth.failed_sources
    assert ops.titles() == [FAILING, RECOVERED]
    assert ops.messages[1]["type"] == "info"
    assert fifth.health.cleared and fifth.health.open == []
    _pass(config)
    assert ops.titles() == [FAILING, RECOVERED]
    assert desk.titles() == []  # a channel that does not ask for health hears none of it


def test_a_pass_killed_while_sending_a_health_alert_sends_nothing_twice(
    tmp_path: Path, server: LocalServer, ops: Receiver, desk: Receiver
) -> None:
    db_url = f"sqlite:///{tmp_path / 'bw.db'}"
    _publish(server, [1])
    config = _config(tmp_path, db_url, server, ops, desk, "[health]\nfailures = 2\n")
    _pass(config)
    server.routes["/feed"].fail_first = [500] * 6
    _pass(config)
    # The second failing pass raises the alert; the channel takes it and does not answer, and
    # the pass is killed inside Apprise's send: it cannot have recorded the outcome.
    ops.stall()
    script = (
        "import sys; from briefwatch import pipeline; from briefwatch.config import load_config;"
        "from briefwatch.fetch.client import Fetcher; from briefwatch.store import Store;"
        "s = load_config(sys.argv[1]); st = Store(s.storage.url);"
        "pipeline.run_pass(s, st, Fetcher(s.fetch))"
    )
    worker = subprocess.Popen(
        [sys.executable, "-c", script, str(config)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not ops.messages and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.05)
    finally:
        worker.kill()
        worker.wait()
        ops.release()
    assert ops.titles() == [FAILING]

    again = _pass(config)  # run again, still failing: the episode is open, the send cut off
    assert again.failed_sources and again.health.started == []
    assert ops.titles() == [FAILING]
    _pass(config)  # reads again
    assert ops.titles() == [FAILING, RECOVERED]
    assert desk.titles() == []


def test_pages_that_suddenly_come_back_empty_are_parser_drift_until_one_reads(
    tmp_path: Path, server: LocalServer, ops: Receiver, desk: Receiver
) -> None:
    db_url = f"sqlite:///{tmp_path / 'bw.db'}"
    config = _config(tmp_path, db_url, server, ops, desk, "[health]\ndrift_pages = 3\n")
    _publish(server, [1, 2])
    assert _pass(config).counts()["new_stories"] == 2
    _publish(server, [3, 4], broken=True)  # the site changed: two empty pages, not yet three
    _pass(config)
    assert ops.titles() == []
    _publish(server, [5], broken=True)
    drifted = _pass(config)
    assert ops.titles() == ["Source wire: pages misread (parser drift)"]
    assert "last 3 article pages came back rejected or empty" in ops.messages[0]["message"]
    assert drifted.health.open[0].startswith("wire: pages misread (parser drift) since")
    state = _sources(config, tmp_path)["wire"]["health"]
    assert state["state"] == "unwell" and state["bad_pages"] == 3
    assert [c["condition"] for c in state["conditions"]] == ["drift"]

    _publish(server, [6])  # the parser reads the site again
    _pass(config)
    assert ops.titles()[1:] == ["Source wire: recovered (was pages misread (parser drift))"]
    assert _sources(config, tmp_path)["wire"]["health"]["state"] == "ok"
    assert desk.titles() == []


def test_pages_the_site_refuses_are_a_bot_wall_until_it_gives_them_again(
    tmp_path: Path, server: LocalServer, ops: Receiver, desk: Receiver
) -> None:
    db_url = f"sqlite:///{tmp_path / 'bw.db'}"
    config = _config(tmp_path, db_url, server, ops, desk, "[health]\nblocked_pages = 3\n")
    _publish(server, [1])
    _pass(config)
    _publish(server, [2, 3], status=403)  # the listing still reads; its pages do not
    walled = _pass(config)
    assert not walled.failed_sources and ops.titles() == []
    _publish(server, [4], status=403)
    _pass(config)
    assert ops.titles() == ["Source wire: pages refused (bot wall)"]
    assert "HTTP 403" in ops.messages[0]["message"]
    _publish(server, [5])
    _pass(config)
    assert ops.titles()[1:] == ["Source wire: recovered (was pages refused (bot wall))"]
    assert desk.titles() == []


def test_a_source_that_flaps_inside_the_channels_cooldown_is_one_message_when_it_ends(
    tmp_path: Path, server: LocalServer, ops: Receiver, desk: Receiver
) -> None:
    db_url = f"sqlite:///{tmp_path / 'bw.db'}"
    config = _config(tmp_path, db_url, server, ops, desk, "[health]\nfailures = 1\n")
    config.write_text(
        config.read_text().replace('kinds = ["health"]', 'kinds = ["health"]\ncooldown = "1h"')
    )
    _publish(server, [1])
    _pass(config)
    server.routes["/feed"].fail_first = [500, 500]
    _pass(config)
    assert ops.titles() == [FAILING]
    _pass(config)  # reads again: the news waits for the cooldown
    server.routes["/feed"].fail_first = [500, 500]
    _pass(config)  # and fails again: a second episode, waiting with it
    assert ops.titles() == [FAILING]
    settings = load_config(config)
    store = Store(settings.storage.url)
    try:
        waiting = [e for e in alerts.entries(store, settings.channels) if e.status == "waiting"]
        assert {e.change.key for e in waiting} == {
            "health:wire:failing#1/cleared",
            "health:wire:failing#2/started",
        }
        alerts.send_pending(store, settings.channels, now=utcnow() + timedelta(minutes=61))
    finally:
        store.close()
    assert ops.titles() == [FAILING, FAILING]  # one message: the last news names it
    assert "recovered (was failing)" in ops.messages[1]["message"]
    assert desk.titles() == []


def _arrived(db_url: str, newest_hours_ago: float, count: int = 1, every_hours: float = 2) -> None:
    """Move the source's arrivals (the passes that brought it new articles) back in time: the
    newest this many hours ago, ``count`` of them one every ``every_hours`` (the store's clock is
    moved, not the test's)."""
    store = Store(db_url)
    with store.session() as session:
        row = session.get(SourceHealth, "wire")
        assert row is not None and row.arrivals, "a pass has brought it articles"
        times = [
            utcnow() - timedelta(hours=newest_hours_ago + every_hours * k) for k in range(count)
        ]
        row.arrivals = [t.isoformat() for t in times]
        session.add(row)
    store.close()


def test_a_source_silent_for_longer_than_its_silent_after_is_an_alert_until_news_comes(
    tmp_path: Path, server: LocalServer, ops: Receiver, desk: Receiver
) -> None:
    db_url = f"sqlite:///{tmp_path / 'bw.db'}"
    config = _config(tmp_path, db_url, server, ops, desk, '[health]\nsilent_after = "1d"\n')
    own = config.read_text().replace("[[channels]]", 'silent_after = "3h"\n[[channels]]', 1)
    config.write_text(own)  # the source's own wins
    _publish(server, [1])
    _pass(config)
    _arrived(db_url, 2.5)
    _pass(config)  # 2.5 h without news: not silent yet
    assert ops.titles() == []
    _arrived(db_url, 3.5)
    silent = _pass(config)
    assert ops.titles() == ["Source wire: silent"]
    assert "longer than 3h" in ops.messages[0]["message"]
    assert silent.health.open and not silent.failed_sources
    _pass(config)
    assert ops.titles() == ["Source wire: silent"]
    _publish(server, [1, 2])
    _pass(config)
    assert ops.titles() == ["Source wire: silent", "Source wire: recovered (was silent)"]
    assert desk.titles() == []


def test_without_a_setting_silence_is_learned_from_the_sources_usual_gaps(
    tmp_path: Path, server: LocalServer, ops: Receiver, desk: Receiver
) -> None:
    db_url = f"sqlite:///{tmp_path / 'bw.db'}"
    config = _config(tmp_path, db_url, server, ops, desk)  # silent_factor 3, the default
    _publish(server, list(range(1, 11)))
    _pass(config)  # ten articles, one arrival: nothing learned from a first pass

    _arrived(db_url, 5, count=10)  # 5 h of quiet against a usual longest gap of 2 h: within 3 x 2 h
    _pass(config)
    assert ops.titles() == []
    _arrived(db_url, 7, count=10)  # 7 h: longer than 6 h
    _pass(config)
    assert ops.titles() == ["Source wire: silent"]
    assert "longer than 6h (3 x its longest recent gap, 2h)" in ops.messages[0]["message"]
    _publish(server, list(range(1, 12)))
    _pass(config)
    assert ops.titles() == ["Source wire: silent", "Source wire: recovered (was silent)"]

    config.write_text(
        config.read_text().replace("[[sources]]", "[health]\nsilent_factor = 0\n[[sources]]")
    )
    _arrived(db_url, 30, count=10)  # silence not watched at all: nothing, however long
    _pass(config)
    assert len(ops.titles()) == 2 and desk.titles() == []


def test_sources_shows_each_sources_health_and_since_when(
    tmp_path: Path, server: LocalServer, ops: Receiver, desk: Receiver
) -> None:
    db_url = f"sqlite:///{tmp_path / 'bw.db'}"
    config = _config(tmp_path, db_url, server, ops, desk, "[health]\nfailures = 1\n")
    assert _sources(config, tmp_path)["wire"]["health"]["state"] == "unknown"
    _publish(server, [1])
    _pass(config)
    fine = _sources(config, tmp_path)["wire"]["health"]
    assert fine["state"] == "ok" and fine["since"] and fine["conditions"] == []
    server.routes["/feed"].fail_first = [500, 500]
    _pass(config)
    failing = _sources(config, tmp_path)["wire"]["health"]
    assert failing["state"] == "unwell" and failing["failed_passes"] == 1
    [condition] = failing["conditions"]
    assert condition["condition"] == "failing" and "500" in condition["detail"]
    assert failing["since"] == condition["since"]
    table = briefwatch("sources", "--config", str(config), cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    assert "failing since" in table.stdout


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ("[health]\nfailures = 0\n", "health.failures"),
        ('[health]\nsilent_after = "0s"\n', "health.silent_after"),
        ("[health]\nsilent_factor = -1\n", "health.silent_factor"),
        ("[health]\nwhatever = 1\n", "health.whatever"),
    ],
)
def test_a_wrong_health_setting_is_named(
    tmp_path: Path, server: LocalServer, ops: Receiver, desk: Receiver, extra: str, field: str
) -> None:
    config = _config(tmp_path, "sqlite:///bw.db", server, ops, desk, extra)
    with pytest.raises(ConfigError, match=field.replace(".", r"\.")):
        load_config(config)


def test_a_channel_asks_for_health_by_kind_and_no_other_word(
    tmp_path: Path, server: LocalServer, ops: Receiver, desk: Receiver
) -> None:
    config = _config(tmp_path, "sqlite:///bw.db", server, ops, desk)
    settings = load_config(config)
    assert [c.kinds for c in settings.channels] == [["health"], ["control", "casualty"]]
    config.write_text(config.read_text().replace('["health"]', '["sickness"]'))
    with pytest.raises(ConfigError, match=r"channels\[0\] \(ops\)\.kinds"):
        load_config(config)


REMOVED = "Source wire: no longer watched (was failing)"


def test_a_source_taken_out_of_the_config_ends_its_open_episodes_with_one_alert(
    tmp_path: Path, db_url: str, server: LocalServer, ops: Receiver, desk: Receiver
) -> None:
    """The ops were told the source is failing; taken out of the config, it is no longer
    watched: one alert says so (not an alarm left open for ever that no view shows), once;
    put back, it is watched afresh."""
    _publish(server, [1])
    server.route("/other", render_feed([], server.url("/"), "Other"),
                 content_type="application/rss+xml")  # fmt: skip
    config = _config(tmp_path, db_url, server, ops, desk, "[health]\nfailures = 1\n")
    watched = config.read_text(encoding="utf-8")
    other = f'[[sources]]\nname = "other"\nurl = "{server.url("/other")}"\n'
    config.write_text(watched.replace("[[channels]]", other + "[[channels]]", 1), "utf-8")
    assert _pass(config).counts()["new_stories"] == 1
    server.routes["/feed"].fail_first = [500] * 100
    _pass(config)
    assert ops.titles() == [FAILING]

    # A pass over the other source alone leaves the failing one as it is: it is still watched.
    settings = load_config(config)
    store = Store(settings.storage.url)
    with Fetcher(settings.fetch) as fetcher:
        pipeline.run_pass(settings, store, fetcher, only=["other"])
    store.close()
    assert ops.titles() == [FAILING]

    without = watched.replace(f'[[sources]]\nname = "wire"\nurl = "{server.url("/feed")}"\n', other)
    config.write_text(without, encoding="utf-8")
    removed = _pass(config)
    assert ops.titles() == [FAILING, REMOVED]
    assert ops.messages[1]["type"] == "info"
    assert "taken out of the config" in ops.messages[1]["message"]
    assert (
        removed.health.cleared == [f"wire: failing: {removed.health.cleared[0].split(': ', 2)[2]}"]
        and "no longer watched" in removed.health.cleared[0]
    )
    assert removed.health.open == []
    _pass(config)
    assert ops.titles() == [FAILING, REMOVED]  # once
    assert "wire" not in _sources(config, tmp_path)

    config.write_text(watched.replace("[[channels]]", other + "[[channels]]", 1), "utf-8")
    _pass(config)  # back, and still failing: watched afresh, a new episode
    assert ops.titles() == [FAILING, REMOVED, FAILING]
    assert desk.titles() == []
