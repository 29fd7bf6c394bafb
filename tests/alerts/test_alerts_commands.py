"""Alerts through the `briefwatch` command, as people run it: a pass killed while it sends,
`briefwatch channels test`, and channel URLs kept in Prefect Secret blocks (against the test
session's real Prefect server)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from briefwatch.alerts import send as alerts
from briefwatch.config import load_config
from briefwatch.models import Delivery
from briefwatch.store import Store
from tests.support.alerting import serve_seed
from tests.support.prefect_server import prefect_env
from tests.support.receiver import Receiver
from tests.support.server import LocalServer

BRIEFWATCH = str(Path(sys.executable).with_name("briefwatch"))


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with Receiver() as receiver:
        yield receiver


@pytest.fixture
def seed(server: LocalServer) -> LocalServer:
    return serve_seed(server)


class Command:
    """`briefwatch` with one config in one working directory, against one Prefect API."""

    def __init__(self, workdir: Path, api: str | None) -> None:
        self.workdir = workdir
        self.config = workdir / "briefwatch.toml"
        self.db = f"sqlite:///{workdir / 'bw.db'}"
        self.env = prefect_env(workdir / "prefect", api)
        if api is None:  # a Prefect server nobody answers at
            self.env["PREFECT_API_URL"] = "http://127.0.0.1:9/api"

    def write(self, channels: str, server: LocalServer | None = None) -> None:
        source = f'[[sources]]\nname = "mt"\nurl = "{server.url("/feed")}"\n' if server else ""
        self.config.write_text(
            f'[storage]\nurl = "{self.db}"\n[fetch]\nallow_private = ["127.0.0.1"]\nretries = 0\n'
            f"{source}{channels}",
            encoding="utf-8",
        )

    def argv(self, *args: str) -> list[str]:
        return [BRIEFWATCH, *args, "--config", str(self.config)]

    def __call__(self, *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            self.argv(*args), env=self.env, capture_output=True, text=True, timeout=240
        )
        assert done.returncode == code, f"{args}: {done.returncode}\n{done.stdout}\n{done.stderr}"
        return done

    def alerts(self) -> list[dict]:
        return json.loads(self("alerts", "--json").stdout)["alerts"]


def test_a_pass_killed_while_sending_never_sends_that_alert_twice(
    tmp_path: Path, seed: LocalServer, hook: Receiver, prefect_api: str
) -> None:
    bw = Command(tmp_path, prefect_api)
    # The channel takes the first message and then does not answer: the pass is inside
    # Apprise's send when it is killed, and cannot have recorded the outcome.
    bw.write(f'[[channels]]\nname = "ops"\nurl = "{hook.apprise_url}?rto=60"\n', seed)
    hook.stall()
    worker = subprocess.Popen(
        bw.argv("run"), env=bw.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 180
        while not hook.messages and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.05)
    finally:
        worker.kill()
        worker.wait()
        hook.release()
    [cut_off] = hook.titles()
    assert status(bw, cut_off) == "sending"
    assert {status(bw, title) for title in titles(bw) if title != cut_off} == {"due"}

    bw("run")  # the next pass sends the rest, and not the one that was cut off
    received = Counter(hook.titles())
    assert len(received) == len(titles(bw)) == 8 and set(received.values()) == {1}
    assert status(bw, cut_off) == "sending"

    # Ten minutes on, it shows as unknown; whoever checked the channel may send it again.
    store = Store(bw.db)
    with store.session() as session:
        row = session.exec(select(Delivery).where(Delivery.state == "sending")).one()
        row.last_attempt_at -= timedelta(minutes=11)
        session.add(row)
    store.close()
    assert status(bw, cut_off) == "unknown"
    bw("alerts", "--resend-unknown")
    assert hook.titles().count(cut_off) == 2  # asked for, by a person: the only way to twice
    assert {(a["state"], a["status"]) for a in bw.alerts()} == {("sent", "sent")}


def test_a_channel_that_takes_an_alert_and_never_answers_gets_it_once(
    tmp_path: Path, seed: LocalServer, hook: Receiver, prefect_api: str
) -> None:
    """The channel reads the first message and never answers (its read timeout: 1 s). That
    alert may have arrived: `run` says it was not answered, `alerts` shows it "unknown", the
    next passes send the others and never it, and only `--resend-unknown` sends it again."""
    bw = Command(tmp_path, prefect_api)
    bw.write(f'[[channels]]\nname = "ops"\nurl = "{hook.apprise_url}?rto=1"\n', seed)
    hook.stall()
    first = bw("run")
    hook.release()
    [unanswered] = hook.titles()
    assert f"alert not answered (not resent): ops: {unanswered}: the channel took" in first.stdout
    assert "alert failed" not in first.stdout
    shown = {a["title"]: a for a in bw.alerts()}
    assert shown[unanswered]["state"] == shown[unanswered]["status"] == "unknown"
    assert "--resend-unknown" in shown[unanswered]["detail"]
    assert "unknown" in bw("alerts").stdout

    bw("run")
    bw("run")
    received = Counter(hook.titles())
    assert len(received) == 8 and set(received.values()) == {1}  # nothing twice
    assert status(bw, unanswered) == "unknown"

    bw("alerts", "--resend-unknown")
    assert hook.titles().count(unanswered) == 2  # asked for, by a person: the only way to twice
    assert {(a["state"], a["status"]) for a in bw.alerts()} == {("sent", "sent")}


def status(bw: Command, title: str) -> str:
    """The status `briefwatch alerts` shows for the alert titled ``title``."""
    store = Store(bw.db)
    try:
        found = alerts.entries(store, load_config(bw.config).channels)
    finally:
        store.close()
    return next(e.status for e in found if e.change.title == title)


def titles(bw: Command) -> set[str]:
    store = Store(bw.db)
    try:
        return {e.change.title for e in alerts.entries(store, load_config(bw.config).channels)}
    finally:
        store.close()


def test_channels_test_sends_to_each_channel_and_says_which_failed(
    tmp_path: Path, hook: Receiver
) -> None:
    bw = Command(tmp_path, None)
    apprise_config = tmp_path / "apprise.txt"
    apprise_config.write_text(f"desk={hook.apprise_url}\n", encoding="utf-8")
    bw.write(
        f'[[channels]]\nname = "desk"\nurl = "{hook.apprise_url}"\n'
        '[[channels]]\nname = "gone"\nurl = "json://127.0.0.1:9/nobody"\n'
        f'[[channels]]\nname = "night"\nconfig = "{apprise_config}"\ntags = ["night"]\n'
    )
    done = bw("channels", "test", code=1)
    assert "desk: ok" in done.stdout and "gone: error" in done.stdout
    assert "night: error: channel 'night': its Apprise config file has no usable entry tagged" in (
        done.stdout
    )
    assert hook.titles() == ["briefwatch: test message for channel desk"]
    report = json.loads(bw("channels", "test", "--json", code=1).stdout)["channels"]
    assert [(c["name"], c["ok"]) for c in report] == [
        ("desk", True),
        ("gone", False),
        ("night", False),
    ]
    assert report[1]["error"]

    bw.write(f'[[channels]]\nname = "desk"\nurl = "{hook.apprise_url}"\n')
    assert "desk: ok" in bw("channels", "test").stdout


def save_secret(api: str, home: Path, name: str, value: str) -> None:
    """A Prefect Secret block on the server, saved the way a person would."""
    code = (
        "import sys; from prefect.blocks.system import Secret; "
        "Secret(value=sys.argv[2]).save(sys.argv[1], overwrite=True)"
    )
    subprocess.run(
        [sys.executable, "-c", code, name, value],
        env=prefect_env(home, api),
        check=True,
        timeout=120,
        capture_output=True,
    )


def test_a_channel_url_kept_in_a_prefect_secret_block(
    tmp_path: Path, seed: LocalServer, hook: Receiver, prefect_api: str
) -> None:
    secret = f"{hook.apprise_url}?+X-Token=sekret-0815"
    save_secret(prefect_api, tmp_path / "prefect", "bw-test-desk-url", secret)
    bw = Command(tmp_path, prefect_api)
    bw.write('[[channels]]\nname = "desk"\nurl = "block:bw-test-desk-url"\n', seed)
    assert "desk: ok" in bw("channels", "test").stdout

    done = bw("run")
    assert len(hook.messages) == 1 + 8  # the test message, then every alert of the pass
    assert "sekret-0815" not in done.stdout + done.stderr + json.dumps(bw.alerts())


def test_a_block_channel_without_prefect_stops_the_pass_and_names_the_channel(
    tmp_path: Path, seed: LocalServer, hook: Receiver
) -> None:
    bw = Command(tmp_path, None)  # PREFECT_API_URL points where nothing answers
    bw.write('[[channels]]\nname = "desk"\nurl = "block:bw-test-desk-url"\n', seed)
    done = bw("run", code=2)
    assert "channels (desk).url: cannot read the Prefect Secret block 'bw-test-desk-url'" in (
        done.stderr
    )
    assert "127.0.0.1:9" in done.stderr
    assert hook.messages == [] and seed.hits("/feed") == []  # nothing fetched, nothing sent
