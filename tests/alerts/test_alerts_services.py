"""A channel that fans out to several services (several Apprise URLs, or an Apprise config
file): each service gets each alert once, whatever the others do. Two real local receivers,
one of them refusing, hanging, or cut off by a kill mid-send."""

from __future__ import annotations

import json
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from briefwatch.models import Delivery, DeliveryService
from briefwatch.store import Store
from tests.alerts.test_alerts_commands import Command
from tests.support.alerting import later, run, serve_seed, settings
from tests.support.receiver import Receiver
from tests.support.server import LocalServer

# A token-like secret in the good service's URL: it must appear in no output and no row.
TOKEN = "Tk7secretQ9"


@pytest.fixture
def good() -> Iterator[Receiver]:
    with Receiver() as receiver:
        yield receiver


@pytest.fixture
def bad() -> Iterator[Receiver]:
    with Receiver() as receiver:
        yield receiver


@pytest.fixture
def seed(server: LocalServer) -> LocalServer:
    return serve_seed(server)


def _secret(receiver: Receiver) -> str:
    return receiver.apprise_url.replace("json://", f"json://desk:{TOKEN}@")


def _channel(how: str, tmp_path: Path, first: str, second: str) -> dict:
    if how == "urls":
        return {"name": "desk", "url": f"{first}, {second}"}
    config = tmp_path / "apprise.yml"
    config.write_text(f"urls:\n  - {first}:\n    - tag: desk\n  - {second}:\n    - tag: desk\n")
    return {"name": "desk", "config": str(config), "tags": ["desk"]}


@pytest.mark.parametrize("how", ["urls", "config"])
def test_a_refusing_service_is_retried_alone_and_the_other_never_gets_twice(
    how: str, db_url: str, tmp_path: Path, seed: LocalServer, good: Receiver, bad: Receiver
) -> None:
    config = settings(db_url, seed, _channel(how, tmp_path, _secret(good), bad.apprise_url))
    bad.fail_next(1000)  # HTTP 500 for everything, until it mends
    first = run(config)
    assert len(good.titles()) == 8 and bad.titles() == []
    assert len(first.alerts.failed) == 8 and len(first.alerts.sent) == 8
    assert all("desk (json #2)" in line for line in first.alerts.failed)

    shown = alerts_json(config)
    assert {a["status"] for a in shown} == {"retrying"}
    assert {tuple(s["status"] for s in a["services"]) for a in shown} == {("sent", "failed")}

    bad.fail_next(0)
    report = later(config, 600, force=True)
    assert len(report.sent) == 8 and not report.failed
    assert Counter(good.titles()) == Counter(bad.titles()) and set(
        Counter(good.titles()).values()
    ) == {1}
    assert later(config, 1200, force=True).messages == 0  # nothing left, nothing twice
    shown = alerts_json(config)
    assert {a["status"] for a in shown} == {"sent"}
    assert {tuple(s["status"] for s in a["services"]) for a in shown} == {("sent", "sent")}
    assert TOKEN not in json.dumps(shown) and TOKEN not in repr(first) + repr(report)
    assert TOKEN not in _stored_text(config.storage.url)


def test_a_service_that_never_answers_is_unknown_alone_and_the_other_gets_everything(
    tmp_path: Path, seed: LocalServer, good: Receiver, bad: Receiver
) -> None:
    """The second service reads the first message and never answers: that one alert is
    unknown for it alone (not resent); it is rested for the rest of the pass while the first
    service gets every alert; the next pass sends the second one what it was not sent."""
    url = f"{good.apprise_url}, {bad.apprise_url}?rto=1"
    config = settings(f"sqlite:///{tmp_path / 'bw.db'}", seed, {"name": "desk", "url": url})
    bad.stall()
    first = run(config)
    bad.release()
    [unanswered] = bad.titles()
    assert len(good.titles()) == 8
    [line] = first.alerts.unknown
    assert line.startswith(f"desk (json #2): {unanswered}: the channel took the message")
    shown = {a["title"]: a for a in alerts_json(config)}
    assert shown[unanswered]["status"] == "unknown"
    assert [s["status"] for s in shown[unanswered]["services"]] == ["sent", "unknown"]

    later(config, 600, force=True)
    later(config, 1200, force=True)
    assert Counter(good.titles()) == Counter(set(good.titles()))  # nothing twice to the good one
    received = Counter(bad.titles())
    assert len(received) == 8 and set(received.values()) == {1}  # the unknown one not resent
    assert alerts_json(config, unknown_only=True) == [unanswered]


def test_a_pass_killed_mid_send_keeps_each_service_record(
    tmp_path: Path, seed: LocalServer, good: Receiver, bad: Receiver, prefect_api: str
) -> None:
    """Killed while the second service holds the first alert without answering: the first
    service has it (sent), the second is shown "sending", then "unknown"; no later pass sends
    it to either; `--resend-unknown` sends it to the second service only."""
    bw = Command(tmp_path, prefect_api)
    bw.env["COLUMNS"] = "250"  # the table on one line per alert, as a wide terminal shows it
    url = f"{good.apprise_url}, {bad.apprise_url}?rto=60"
    bw.write(f'[[channels]]\nname = "desk"\nurl = "{url}"\n', seed)
    bad.stall()
    worker = subprocess.Popen(
        bw.argv("run"), env=bw.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 180
        while not bad.messages and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.05)
    finally:
        worker.kill()
        worker.wait()
        bad.release()
    [cut_off] = bad.titles()
    assert good.titles() == [cut_off]
    shown = {a["title"]: a for a in bw.alerts()}
    assert shown[cut_off]["status"] == "sending"
    assert [(s["service"], s["status"]) for s in shown[cut_off]["services"]] == [
        ("json #1", "sent"), ("json #2", "sending")
    ]  # fmt: skip
    assert "json #1 sent, json #2 sending" in bw("alerts").stdout

    bw("run")  # the rest go to both; the cut-off one to neither
    assert Counter(good.titles()) == Counter(bad.titles())
    assert len(Counter(good.titles())) == 8 and set(Counter(good.titles()).values()) == {1}

    store = Store(bw.db)  # ten minutes on: what was cut off shows as unknown
    with store.session() as session:
        for model in (Delivery, DeliveryService):
            for row in session.exec(select(model).where(model.state == "sending")):
                row.last_attempt_at -= timedelta(minutes=11)
                session.add(row)
    store.close()
    shown = {a["title"]: a for a in bw.alerts()}
    assert shown[cut_off]["status"] == "unknown"
    assert [s["status"] for s in shown[cut_off]["services"]] == ["sent", "unknown"]
    bw("alerts", "--resend-unknown")
    assert good.titles().count(cut_off) == 1  # it had it: never again
    assert bad.titles().count(cut_off) == 2  # asked for, by a person: the only way to twice
    assert {a["status"] for a in bw.alerts()} == {"sent"}


def alerts_json(config, *, unknown_only: bool = False) -> list:
    """`briefwatch alerts --json`'s rows for ``config`` (through the same code)."""
    from briefwatch.alerts import send as alerts

    store = Store(config.storage.url)
    try:
        found = alerts.entries(store, config.channels)
    finally:
        store.close()
    if unknown_only:
        return [e.change.title for e in found if e.status == "unknown"]
    return [
        {"title": e.change.title, "status": e.status, "detail": e.detail,
         "last_error": e.delivery.last_error,
         "services": [{"service": s.label, "status": s.status, "last_error": s.last_error}
                      for s in e.services]}
        for e in found
    ]  # fmt: skip


def _stored_text(db_url: str) -> str:
    store = Store(db_url)
    try:
        with store.session() as session:
            rows = list(session.exec(select(Delivery))) + list(
                session.exec(select(DeliveryService))
            )
    finally:
        store.close()
    return repr([r.model_dump() for r in rows])
