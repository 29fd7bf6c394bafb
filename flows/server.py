"""A Prefect server of our own on a free loopback port, for `briefwatch serve` without one.

Prefect's embedded (ephemeral) API runs flows but not schedules, so a process that serves a
scheduled deployment needs a real server; when none is configured we start `prefect server
start` as a child process and stop it with us.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def local_prefect_server(
    env: dict[str, str] | None = None, log: Path | None = None, timeout: float = 120.0
) -> Iterator[str]:
    """Run `prefect server start` on 127.0.0.1 until the context exits; yield its API URL."""
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    prefect = Path(sys.executable).with_name("prefect")
    out = log.open("wb") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env={**os.environ, **(env or {})},
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + timeout
        while not _healthy(api):
            if process.poll() is not None:
                raise RuntimeError(f"prefect server exited with {process.returncode}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"prefect server not healthy after {timeout:.0f} s")
            time.sleep(0.5)
        yield api
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        if log:
            out.close()  # type: ignore[union-attr]


def _healthy(api: str) -> bool:
    try:
        return requests.get(f"{api}/health", timeout=2).ok
    except requests.RequestException:
        return False
