"""Alerts as the people on a channel see them: which changes reach them, how many messages, in
which words, and when. Real passes over the seed briefing served on 127.0.0.1, a real store, and
Apprise delivering to a local HTTP receiver; time moves by passing ``now`` to `send_pending`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from briefwatch.config import parse_config
from briefwatch.errors import ConfigError
from briefwatch.models import Delivery
from briefwatch.store import Store
from tests.support.alerting import (
    HIGH,
    LATER,
    LATEST,
    SEED,
    SEED_PATH,
    THIRD,
    later,
    run,
    serve_seed,
    settings,
    sqlite,
    statuses,
)
from tests.support.receiver import Receiver
from tests.support.server import LocalServer


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with Receiver() as receiver:
        yield receiver


@pytest.fixture
def seed(server: LocalServer) -> LocalServer:
    return serve_seed(server)


def test_importance_picks_the_channel_and_the_notification_type(
    tmp_path: Path, seed: LocalServer, hook: Receiver
) -> None:
    with Receiver() as pager:
        config = settings(
            sqlite(tmp_path),
            seed,
            {"name": "everything", "url": hook.apprise_url},
            {"name": "pager", "url": pager.apprise_url, "min_importance": "high"},
        )
        run(config)
        assert set(pager.titles()) == HIGH  # a new incident figure does not page anyone
        assert {m["type"] for m in pager.messages} == {"failure"}
    assert len(hook.messages) == 8
    types = {m["title"]: m["type"] for m in hook.messages}
    assert types["Crew members killed: 2, says the Defense Ministry in Moscow"] == "warning"
    assert types["Stepanakert: threatened by Azerbaijani forces"] == "warning"
    assert all(types[title] == "failure" for title in HIGH)
    # Below a channel's level nothing is queued for it: the outbox holds what it will send.
    with Store(config.storage.url).session() as session:
        rows = session.exec(select(Delivery.channel)).all()
    assert Counter(rows) == {"everything": 8, "pager": 4}


def test_a_digest_waits_for_its_interval_and_goes_as_one_message(
    tmp_path: Path, seed: LocalServer, hook: Receiver
) -> None:
    config = settings(
        sqlite(tmp_path),
        seed,
        {"name": "daily", "url": hook.apprise_url, "mode": "digest", "digest_every": "1h"},
    )
    first = run(config)
    assert hook.messages == [] and first.alerts.waiting == 8
    assert {status for status, _ in statuses(config)} == {"waiting"}
    assert all(detail.startswith("digest until") for _, detail in statuses(config))

    assert later(config, 59).messages == 0
    report = later(config, 61)
    assert report.messages == 1 and len(report.sent) == 8
    [digest] = hook.messages
    assert digest["title"] == "People killed: at least 1,000 (+7 more)"  # the first high one
    assert digest["type"] == "failure"
    assert digest["message"].startswith("**8 changes**")
    assert all(title in digest["message"] for title in first.changes)
    assert "completely out of our control" in digest["message"]  # the evidence is all there

    assert later(config, 180).messages == 0  # nothing twice
    with Store(config.storage.url).session() as session:
        rows = session.exec(select(Delivery)).all()
    assert {r.state for r in rows} == {"sent"} and len({r.message_id for r in rows}) == 1


def test_a_flapping_fact_waits_out_its_cooldown_and_comes_as_one_message(
    tmp_path: Path, seed: LocalServer, hook: Receiver
) -> None:
    config = settings(
        sqlite(tmp_path), seed, {"name": "ops", "url": hook.apprise_url, "cooldown": "30m"}
    )
    run(config)
    assert len(hook.messages) == 8
    seed.route(SEED_PATH, SEED.replace(THIRD, THIRD + LATER), etag='"2"')
    run(config)  # the crew toll moves to 3 minutes after the first alert about it: held
    seed.route(SEED_PATH, SEED.replace(THIRD, THIRD + LATER + LATEST), etag='"3"')
    run(config)  # ... and to 4: held with it
    assert len(hook.messages) == 8
    waiting = [detail for status, detail in statuses(config) if status == "waiting"]
    assert len(waiting) == 2 and all(d.startswith("cooldown until") for d in waiting)

    assert later(config, 25).messages == 0
    assert later(config, 31).messages == 1
    update = hook.messages[-1]
    assert update["title"] == "Crew members killed: 4, says the Defense Ministry in Moscow"
    body = update["message"]
    assert "Was: 2, says" in body and "Then: 3, says" in body and "Now: 4, says" in body
    assert later(config, 120).messages == 0


def test_a_burst_of_changes_coalesces_into_one_message(
    tmp_path: Path, seed: LocalServer, hook: Receiver
) -> None:
    config = settings(
        sqlite(tmp_path), seed, {"name": "ops", "url": hook.apprise_url, "coalesce_above": 3}
    )
    summary = run(config)
    assert len(hook.messages) == 1 and len(summary.alerts.sent) == 8
    [burst] = hook.messages
    assert burst["title"].endswith("(+7 more)")
    assert all(title in burst["message"] for title in summary.changes)


def test_templates_word_the_title_and_each_section(
    tmp_path: Path, seed: LocalServer, hook: Receiver
) -> None:
    config = settings(
        sqlite(tmp_path),
        seed,
        {
            "name": "ops",
            "url": hook.apprise_url,
            "kinds": ["control"],
            "min_importance": "high",
            "title_template": "[$importance] $title",
            "body_template": "$label is now $now.\n$evidence\nRead: $outlets",
        },
    )
    run(config)
    [message] = hook.messages
    assert message["title"] == "[high] Shusha: captured by Azerbaijani forces — conceded by Armenia"
    assert message["message"].startswith(
        "Control of Shusha is now captured by Azerbaijani forces — conceded by Armenia."
    )
    assert "> " in message["message"] and "Read: - [The Moscow Times](" in message["message"]


def test_a_channel_down_for_a_while_gets_every_alert_exactly_once(
    db_url: str, seed: LocalServer, hook: Receiver
) -> None:
    config = settings(db_url, seed, {"name": "ops", "url": hook.apprise_url})
    hook.fail_next(1000)
    first = run(config)
    assert len(first.alerts.failed) == 8 and hook.messages == []
    seed.route(SEED_PATH, SEED.replace(THIRD, THIRD + LATER), etag='"2"')
    second = run(config)  # still down: the new change is tried at once, with its fact's
    assert second.counts()["changes"] == 1 and hook.messages == []  # earlier failed alert
    assert second.alerts.messages == 1 and len(second.alerts.failed) == 2
    assert second.alerts.waiting == 7  # the other facts' alerts wait out their backoff

    hook.fail_next(0)
    assert later(config, 0.1).messages == 0  # back, but the backoff has not passed yet
    report = later(config, 5)
    assert len(report.sent) == 9 and report.failed == []
    # One message per fact: the crew toll's two changes came together, as 2 then 3.
    assert len(hook.messages) == 8
    titles = Counter(hook.titles())
    assert set(titles.values()) == {1}
    assert "Crew members killed: 3, says the Defense Ministry in Moscow" in titles
    assert later(config, 600, force=True).messages == 0  # never twice
    assert {status for status, _ in statuses(config)} == {"sent"}


def test_an_apprise_config_file_with_tags(
    tmp_path: Path, seed: LocalServer, hook: Receiver
) -> None:
    with Receiver() as other:
        apprise_config = tmp_path / "apprise.yml"
        apprise_config.write_text(
            "urls:\n"
            f"  - {hook.apprise_url}:\n      tag: desk\n"
            f"  - {other.apprise_url}:\n      tag: pager\n",
            encoding="utf-8",
        )
        config = settings(
            sqlite(tmp_path),
            seed,
            {"name": "desk", "config": str(apprise_config), "tags": ["desk"], "kinds": ["control"]},
        )
        run(config)
        assert other.messages == []
    assert len(hook.messages) == 3  # Shusha, Stepanakert and "48 more settlements"
    assert "Shusha: captured by Azerbaijani forces — conceded by Armenia" in hook.titles()


@pytest.mark.parametrize(
    ("channel", "message"),
    [
        ({"url": "json://x", "config": __file__}, "either url"),
        ({}, "either url"),
        ({"url": "json://x", "tags": ["a"]}, "tags select entries of an Apprise config file"),
        ({"config": "/nonexistent/apprise.yml"}, "no such Apprise config file"),
        ({"url": "block:"}, "needs a Prefect Secret block name"),
        ({"url": "json://x", "cooldown": "soon"}, "channels[0] (ops).cooldown"),
        ({"url": "json://x", "digest_every": "0s"}, "must be longer than 0s"),
        ({"url": "json://x", "mode": "hourly"}, "channels[0] (ops).mode"),
        ({"url": "json://x", "min_importance": "urgent"}, "channels[0] (ops).min_importance"),
        ({"url": "json://x", "title_template": "$when $title"}, "unknown field(s) when"),
        ({"url": "json://x", "body_template": "${now"}, "not a valid template"),
    ],
)
def test_a_wrong_channel_setting_is_named(channel: dict, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_config({"channels": [{"name": "ops", **channel}]})
    assert message in str(error.value)
    assert "channels[0] (ops)" in str(error.value)


def test_an_incident_figure_revised_down_is_low_and_only_informs(
    tmp_path: Path, seed: LocalServer, hook: Receiver
) -> None:
    with Receiver() as desk:
        config = settings(
            sqlite(tmp_path),
            seed,
            {"name": "log", "url": hook.apprise_url},
            {"name": "desk", "url": desk.apprise_url, "min_importance": "medium"},
        )
        run(config)
        sent_to_desk = len(desk.messages)
        fewer = b"<p>The Defense Ministry in Moscow later said one crew member had been killed.</p>"
        seed.route(SEED_PATH, SEED.replace(THIRD, THIRD + fewer), etag='"2"')
        assert run(config).counts()["changes"] == 1
        assert len(desk.messages) == sent_to_desk  # not worth the desk's attention
    revised = hook.messages[-1]
    assert revised["title"] == "Crew members killed: 1, says the Defense Ministry in Moscow"
    assert revised["type"] == "info"
    assert "Was: 2, says" in revised["message"] and "Now: 1, says" in revised["message"]
