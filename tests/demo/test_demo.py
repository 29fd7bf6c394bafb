"""`briefwatch demo` (what `make demo` runs): the whole story, offline, through real passes."""

from __future__ import annotations

import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.support.prefect_server import prefect_env

BRIEFWATCH = str(Path(sys.executable).with_name("briefwatch"))


def test_the_demo_shows_the_dispute_settled_the_crew_alerts_and_no_repeats(
    tmp_path: Path, prefect_api: str
) -> None:
    done = subprocess.run(
        [BRIEFWATCH, "demo", "--workdir", str(tmp_path / "demo")],
        env={**prefect_env(tmp_path / "prefect", prefect_api), "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    days = out.split("Day ")
    assert len(days) == 5  # preamble + four days
    day2, day3, day4 = days[2], days[3], days[4]
    assert "Shusha: captured by Azerbaijani forces — disputed" in day2
    assert "Shusha: captured by Azerbaijani forces — conceded by Armenia" in day3
    assert "Crew members killed: 2, says the Defense Ministry in Moscow" in day3
    assert "Crew members injured: 1, says the Defense Ministry in Moscow" in day3
    assert "People killed: at least 1,000" in day3 and "Was: at least 900" in day3
    assert "1 copies" in day3  # the wire outlet's copy of the AFP story: no alert of its own
    assert "skipped filtered-out" in day3  # the Moscow theatre story mentions none of the words
    assert "Crew members killed: 3" in day4 and "1 revisions" in day4  # the revision's new line
    # Noise and history stay quiet: the fundraiser, the earthquake, the 1990s war, the deal.
    for quiet in ("25,000", "hundreds of thousands", "Kalbajar", "Shushi:"):
        assert quiet not in out, quiet
    again = out.split("The same day, passed again")[1]
    assert "0 changes, 0 alerts sent" in again
    assert "nothing stored twice, nothing sent twice" in again
    assert "Facts at the end" in again and "Control of Shusha" in again


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answering(base: str, process: subprocess.Popen[bytes], log: Path) -> dict:
    """The view's facts once ``base`` answers (the process still running)."""
    for _ in range(1800):  # the replay comes first: up to three minutes
        assert process.poll() is None, log.read_text(encoding="utf-8")[-3000:]
        try:
            return requests.get(f"{base}/api/facts", timeout=5).json()
        except requests.ConnectionError:
            time.sleep(0.1)
    raise AssertionError(f"nothing answered at {base}: " + log.read_text(encoding="utf-8")[-3000:])


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGINT)  # Ctrl-C, as a user stops it
    assert process.wait(timeout=30) is not None


def test_demo_web_keeps_the_view_up_on_the_demo_s_facts_and_prints_how_to_open_it_again(
    tmp_path: Path, prefect_api: str
) -> None:
    env = {**prefect_env(tmp_path / "prefect", prefect_api), "COLUMNS": "80"}
    port = _free_port()
    log = tmp_path / "demo.out"
    with log.open("wb") as stream:
        demo = subprocess.Popen(
            [BRIEFWATCH, "demo", "--workdir", str(tmp_path / "demo"), "--web", "--port", str(port)],
            env=env, cwd=tmp_path, stdout=stream, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            facts = _answering(f"http://127.0.0.1:{port}", demo, log)
            page = requests.get(f"http://127.0.0.1:{port}/facts/control:shusha", timeout=5)
        finally:
            _stop(demo)
    shusha = next(f for f in facts["facts"] if f["key"] == "control:shusha")
    assert shusha["state"]["holder"] == "Azerbaijan", shusha["headline"]
    assert page.status_code == 200 and "Shusha" in page.text
    out = log.read_text(encoding="utf-8")
    assert "Facts at the end" in out and f"briefwatch web: http://127.0.0.1:{port}/" in out

    # The command the demo printed opens the same store, as printed (one line, though narrow).
    printed = re.search(r"See them on a map: (briefwatch web .*)", out)
    assert printed, out[-2000:]
    command = shlex.split(printed.group(1))
    assert command[-2:] == ["--port", str(port)]
    log = tmp_path / "web.out"
    with log.open("wb") as stream:
        view = subprocess.Popen(
            [BRIEFWATCH, *command[1:]], env=env, cwd=tmp_path, stdout=stream,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            again = _answering(f"http://127.0.0.1:{port}", view, log)
        finally:
            _stop(view)
    assert again["facts"] == facts["facts"]
