"""`briefwatch serve` with no Prefect server configured: it starts one, runs passes on schedule,
and takes it down again when stopped."""

from __future__ import annotations

import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.support.prefect_server import prefect_env

BRIEFWATCH = str(Path(sys.executable).with_name("briefwatch"))


def passes(db: Path) -> int:
    try:
        return sqlite3.connect(db).execute("select count(*) from pass_log").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # not created yet


def test_serve_runs_scheduled_passes_and_stops_its_own_server(tmp_path: Path) -> None:
    db = tmp_path / "bw.db"
    config = tmp_path / "briefwatch.toml"
    config.write_text(f'[storage]\nurl = "sqlite:///{db}"\n', encoding="utf-8")
    log = (tmp_path / "serve.log").open("w+")
    process = subprocess.Popen(
        [BRIEFWATCH, "serve", "--config", str(config), "--every", "10"],
        env={**prefect_env(tmp_path / "prefect"), "PREFECT_LOGGING_LEVEL": "INFO"},
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
    )
    try:
        deadline = time.monotonic() + 120
        while passes(db) < 2 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(1)
        assert passes(db) >= 2, Path(log.name).read_text()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    output = Path(log.name).read_text()
    # Ctrl-C takes the runner's graceful path (a bare KeyboardInterrupt now and then left serve
    # running passes for good)
    assert "initiating graceful shutdown" in output, output[-2000:]
    api = re.search(r"Prefect API and UI at (http://127\.0\.0\.1:\d+)", output)
    assert api, output
    try:
        requests.get(f"{api.group(1)}/api/health", timeout=2)
        raise AssertionError("the Prefect server serve started is still running")
    except requests.ConnectionError:
        pass
