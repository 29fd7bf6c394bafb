"""A channel URL that Apprise refuses stops the run, naming the channel and why, without the
token (issue 16: `run` exited 0 and that channel never received anything)."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefwatch.alerts.channels import url_problem
from tests.support.receiver import Receiver

BRIEFWATCH = str(Path(sys.executable).with_name("briefwatch"))
TOKEN = "Zq7TOKENxx81"  # in every refused URL below: it must never be printed


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with Receiver() as receiver:
        yield receiver


def briefwatch(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([BRIEFWATCH, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def write_config(tmp_path: Path, *channels: tuple[str, str]) -> Path:
    config = tmp_path / "briefwatch.toml"
    config.write_text(
        f'[storage]\nurl = "sqlite:///{tmp_path / "bw.db"}"\n'
        + "".join(f'[[channels]]\nname = "{n}"\nurl = "{u}"\n' for n, u in channels),
        encoding="utf-8",
    )
    return config


@pytest.mark.parametrize(
    ("url", "why"),
    [
        (f"slack://{TOKEN}/x", "slack:// service refuses it: An invalid Slack Token"),
        (f"discord://{TOKEN}", "discord:// service refuses it: An invalid Discord Webhook Token"),
        (f"mailto://me:{TOKEN}@", "mailto:// service refuses it"),
        (f"nosuchservice://{TOKEN}", "Apprise has no service for nosuchservice://"),
        (f"{TOKEN}", "not an Apprise URL"),
        # several URLs in one: the refused one is named by its place, not by the first's service
        (f"json://127.0.0.1:9/{TOKEN}, nosuchservice://{TOKEN}",
         "URL 2 of 2: Apprise has no service for nosuchservice://"),
        (f"json://127.0.0.1:9/a json://u:{TOKEN}@127.0.0.1:9/b, slack://{TOKEN}/x",
         "URL 3 of 3: Apprise's slack:// service refuses it: An invalid Slack Token"),
    ],
)  # fmt: skip
def test_apprise_says_why_it_refuses_a_url_and_never_quotes_it(url: str, why: str) -> None:
    problem = url_problem(url)
    assert problem is not None and why in problem, problem
    assert TOKEN not in problem


def test_urls_apprise_takes_are_no_problem(hook: Receiver) -> None:
    assert url_problem(hook.apprise_url) is None
    assert url_problem("console://") is None  # our own plugin (briefwatch.alerts.channels)


def test_run_stops_before_the_pass_naming_the_channel(tmp_path: Path, hook: Receiver) -> None:
    config = write_config(tmp_path, ("desk", hook.apprise_url), ("ops", f"slack://{TOKEN}/x"))
    done = briefwatch("run", "--config", str(config), cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: channels[1] (ops).url: Apprise's slack:// service")
    assert "Traceback" not in done.stderr and TOKEN not in done.stdout + done.stderr
    assert not (tmp_path / "bw.db").exists()  # stopped before the store was even made
    assert hook.messages == []


def test_channels_test_names_the_refused_channel_and_tests_the_others(
    tmp_path: Path, hook: Receiver
) -> None:
    config = write_config(tmp_path, ("ops", f"discord://{TOKEN}"), ("desk", hook.apprise_url))
    done = briefwatch("channels", "test", "--config", str(config), cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "ops: error: channels[0] (ops).url: Apprise's discord:// service refuses it" in (
        done.stdout
    )
    assert "desk: ok" in done.stdout
    assert hook.titles() == ["briefwatch: test message for channel desk"]
    report = briefwatch("channels", "test", "--json", "--config", str(config), cwd=tmp_path)
    assert report.returncode == 2
    assert [c["ok"] for c in json.loads(report.stdout)["channels"]] == [False, True]
    assert TOKEN not in done.stdout + done.stderr + report.stdout + report.stderr


def test_a_send_that_gets_no_answer_is_unknown_and_its_url_is_logged_nowhere() -> None:
    """To tell "no answer" from "not reached", Apprise's DEBUG lines are read while a message
    goes out (they quote the channel's URL): none may reach any handler, nor the error."""
    from pydantic import SecretStr

    from briefwatch.alerts.channels import FAILED, UNKNOWN, deliver
    from briefwatch.alerts.messages import check_message
    from briefwatch.config import ChannelSettings

    seen: list[str] = []

    class Everything(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    handler = Everything(level=logging.DEBUG)
    logging.getLogger().addHandler(handler)
    try:
        with Receiver() as hook:
            url = hook.apprise_url.replace("json://", "json://desk:S3CRETTOKEN@") + "?rto=1"
            channel = ChannelSettings(name="desk", url=SecretStr(url))
            hook.stall()
            state, error = deliver(channel, check_message("desk"))
            hook.release()
            assert len(hook.messages) == 1  # it arrived: the send must not count as failed
        refused = ChannelSettings(
            name="desk", url=SecretStr("json://desk:S3CRETTOKEN@127.0.0.1:9/")
        )
        assert deliver(refused, check_message("desk"))[0] == FAILED  # not reached: retried
    finally:
        logging.getLogger().removeHandler(handler)
    assert state == UNKNOWN and error is not None and "gave no answer in 1 s" in error
    assert not [line for line in seen if "S3CRETTOKEN" in line]
    assert logging.getLogger("apprise").level == logging.NOTSET  # left as it was


def test_apprise_debug_logging_turned_on_still_quotes_no_channel_url() -> None:
    """A desk that turns logging up to DEBUG to see why a channel fails (Apprise's own logger
    included) must still find no channel token in any log line: Apprise's debug lines quote
    the URLs they post to."""
    from pydantic import SecretStr

    from briefwatch.alerts.channels import FAILED, SENT, deliver
    from briefwatch.alerts.messages import check_message
    from briefwatch.config import ChannelSettings

    seen: list[str] = []

    class Everything(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    handler = Everything(level=logging.DEBUG)
    root, apprise_logger = logging.getLogger(), logging.getLogger("apprise")
    levels = root.level, apprise_logger.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    apprise_logger.setLevel(logging.DEBUG)
    try:
        with Receiver() as hook:
            # the token where webhooks keep it: the password, the path, the query
            for url in (
                hook.apprise_url.replace("json://", "json://desk:S3CRETTOKEN@"),
                hook.apprise_url + "/S3CRETTOKEN",
                hook.apprise_url + "?key=S3CRETTOKEN",
            ):
                channel = ChannelSettings(name="desk", url=SecretStr(url))
                assert deliver(channel, check_message("desk"))[0] == SENT
            assert len(hook.messages) == 3
        refused = ChannelSettings(
            name="desk", url=SecretStr("json://desk:S3CRETTOKEN@127.0.0.1:9/")
        )
        assert deliver(refused, check_message("desk"))[0] == FAILED
    finally:
        root.removeHandler(handler)
        root.setLevel(levels[0])
        apprise_logger.setLevel(levels[1])
    assert seen, "nothing was logged at all: the test would prove nothing"
    assert not [line for line in seen if "S3CRETTOKEN" in line]
