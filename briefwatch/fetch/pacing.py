"""Per-host pacing, shared by every `Fetcher` in the process.

The Prefect flow fetches sources concurrently, each task with its own fetcher, and two sources
often live on one site (a feed and a section page). Politeness is owed to the site, not to a
fetcher, so the state lives here, in one registry keyed by host and port, guarded by a lock per
host:

* a minimum delay between the starts of two requests to a host (``[fetch] host_delay``, or the
  site's robots.txt ``Crawl-delay`` when that is longer);
* a cap on requests in flight to a host at once (``[fetch] host_concurrency``);
* a back-off a host asked for: after a 429 or 503 with ``Retry-After``, no request goes to that
  host until the time has passed. A wait longer than the caller will sleep raises
  `HostBackingOff`, so the URL is left for a later pass instead of stalling this one.

The state is in memory: ``briefwatch serve`` keeps it across passes; ``briefwatch run`` starts
fresh, minutes after the last pass.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


class HostBackingOff(Exception):
    """The host asked us to stay away for longer than the caller will wait."""

    def __init__(self, host: str, wait: float) -> None:
        super().__init__(f"{host} asked to be left alone for {wait:.0f} s more")
        self.host, self.wait = host, wait


@dataclass
class _Gate:
    cond: threading.Condition = field(default_factory=threading.Condition)
    active: int = 0  # requests in flight
    next_start: float = 0.0  # monotonic time before which no request may start
    blocked_until: float = 0.0  # monotonic time the host asked us to wait for


_GATES: dict[str, _Gate] = {}
_REGISTRY_LOCK = threading.Lock()


def _gate(host: str) -> _Gate:
    with _REGISTRY_LOCK:
        return _GATES.setdefault(host, _Gate())


@contextmanager
def slot(host: str, *, delay: float, concurrency: int | None, max_wait: float) -> Iterator[float]:
    """Hold one of ``host``'s request slots for the block; yield how long we waited for it.

    Waits until fewer than ``concurrency`` requests are in flight (``None``: no cap), ``delay``
    seconds have passed since the last request started, and any back-off has ended. Raises
    `HostBackingOff` at once when the back-off has more than ``max_wait`` seconds to run.
    """
    gate = _gate(host)
    asked = time.monotonic()
    with gate.cond:
        while True:
            now = time.monotonic()
            blocked = gate.blocked_until - now
            if blocked > max_wait:
                raise HostBackingOff(host, blocked)
            wait = max(blocked, gate.next_start - now)
            if wait <= 0 and (concurrency is None or gate.active < concurrency):
                break
            # Woken early by a finishing request (a free slot) or a new back-off.
            gate.cond.wait(wait if wait > 0 else None)
        gate.active += 1
        gate.next_start = now + delay
    try:
        yield now - asked
    finally:
        with gate.cond:
            gate.active -= 1
            gate.cond.notify_all()


def back_off(host: str, seconds: float) -> None:
    """Send nothing to ``host`` for ``seconds`` (it said so with Retry-After, or a bare 429)."""
    gate = _gate(host)
    with gate.cond:
        gate.blocked_until = max(gate.blocked_until, time.monotonic() + seconds)
        gate.cond.notify_all()


def backing_off(host: str) -> float:
    """Seconds of back-off ``host`` still has to run (0 when none)."""
    gate = _gate(host)
    with gate.cond:
        return max(0.0, gate.blocked_until - time.monotonic())


def forget() -> None:
    """Drop all pacing state (tests; a fresh process starts this way)."""
    with _REGISTRY_LOCK:
        _GATES.clear()
