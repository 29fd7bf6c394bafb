"""Run one measured pass in a child process (`bench.passrun`) and read its result."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.passrun import MARKER

PASS_TIMEOUT = 1800  # seconds: a pass that takes longer is broken, not slow


class PassFailed(RuntimeError):
    """A measured pass exited without a result; the message ends with its log's tail."""


def run_pass(
    config: Path,
    mode: str,
    log: Path,
    *,
    stages: bool = False,
    profile: Path | None = None,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Run one pass of ``config`` (``mode`` direct or prefect); return its measured result.

    ``wall_process`` is the child's whole life (interpreter start and imports included), next to
    ``wall``, the pass alone.
    """
    command = [sys.executable, "-m", "bench.passrun", "--config", str(config), "--mode", mode]
    if stages:
        command.append("--stages")
    if profile:
        command += ["--profile", str(profile)]
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run(
            command,
            env={**os.environ, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=out,
            text=True,
            timeout=PASS_TIMEOUT,
            check=False,
        )
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARKER)]
    if done.returncode != 0 or not lines:
        tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise PassFailed(f"{mode} pass exited {done.returncode} ({log}):\n{tail}")
    result = json.loads(lines[-1].removeprefix(MARKER))
    result["wall_process"] = time.perf_counter() - started
    return result
