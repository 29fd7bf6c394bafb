"""The wire under `briefwatch.fetch.client`: one requests session whose connections are guarded,
pinned, retried politely and held to a deadline.

* Guarded and pinned. Every new connection resolves its host once, asks the address guard
  (`briefwatch.fetch.guard.approved_addresses`) about every address, and connects to those very
  addresses. No second lookup happens between the check and the connect, so DNS rebinding (a
  public answer for the check, 127.0.0.1 for the connect) has no window. The host name stays in
  the ``Host`` header, in TLS SNI and in certificate verification: only the socket is pinned.
* Retried politely: urllib3's `Retry` on 500/502/503/504, connect and read timeouts, with
  exponential backoff, never sooner than the host's pacing delay, and waiting as asked by a
  ``Retry-After`` up to a ceiling (a longer wait is left for a later pass).
* Held to a deadline. A read timeout bounds each wait for data, but a server that drips one byte
  every few seconds never trips it. `deadline` arms a timer for the whole request; when it fires,
  the sockets the request is using are shut down, which ends any blocked read at once.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import requests
import urllib3.exceptions as u3
from requests.adapters import HTTPAdapter
from urllib3 import PoolManager
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.util.connection import create_connection
from urllib3.util.retry import Retry

from briefwatch.config import FetchSettings
from briefwatch.fetch.guard import AllowList, approved_addresses

RETRY_STATUSES = frozenset({500, 502, 503, 504})


class DeadlineExceeded(Exception):
    """A request's overall time ran out before it could be (re)sent. Not an `OSError`, so
    urllib3 does not retry it."""


# -- deadline ----------------------------------------------------------------------------------


class Deadline:
    """The overall time one request may take, enforced by shutting its sockets down on expiry.

    Sockets are registered by the connections below as they wait for a response; the timer
    thread shuts each one down, which makes a read blocked on a slow drip return at once.
    ``spacing`` is the host's pacing delay, the shortest pause before a retry of this request.
    """

    def __init__(self, seconds: float, spacing: float = 0.0) -> None:
        self.seconds = seconds
        self.spacing = spacing
        self.ends = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.expired = False
        self.cancelled = False
        _WATCHDOG.watch(self)

    def remaining(self) -> float:
        return max(0.0, self.ends - time.monotonic())

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            if self.expired:
                _shut(sock)
            else:
                self._sockets.append(sock)

    def check(self) -> None:
        """Raise `DeadlineExceeded` when no time is left to send another request."""
        if self.expired or self.remaining() <= 0:
            raise DeadlineExceeded(f"the {self.seconds:g} s deadline has passed")

    def cancel(self) -> None:
        with self._lock:
            self.cancelled = True
            self._sockets.clear()

    def expire(self) -> None:
        with self._lock:
            if self.cancelled:
                return
            self.expired = True
            for sock in self._sockets:
                _shut(sock)
            self._sockets.clear()


class _Watchdog:
    """One daemon thread that expires every deadline of the process when its time comes.

    Not a timer thread per request: starting a thread costs more than a request to a quick
    server on a busy machine (the new thread must be scheduled before `start` returns; ~1 in
    40 samples of a pass's fetching was spent there).
    """

    def __init__(self) -> None:
        self._ready = threading.Condition()
        self._heap: list[tuple[float, int, Deadline]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None

    def watch(self, deadline: Deadline) -> None:
        with self._ready:
            heapq.heappush(self._heap, (deadline.ends, next(self._order), deadline))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="briefwatch-deadlines", daemon=True
                )
                self._thread.start()
            elif self._heap[0][2] is deadline:  # sooner than the one it sleeps towards
                self._ready.notify()

    def _run(self) -> None:
        with self._ready:
            while True:
                now = time.monotonic()
                while self._heap and (self._heap[0][0] <= now or self._heap[0][2].cancelled):
                    heapq.heappop(self._heap)[2].expire()  # a no-op once cancelled
                self._ready.wait(self._heap[0][0] - now if self._heap else None)


_WATCHDOG = _Watchdog()


_CURRENT: ContextVar[Deadline | None] = ContextVar("briefwatch_deadline", default=None)


@contextmanager
def deadline(seconds: float, spacing: float = 0.0) -> Iterator[Deadline]:
    """Hold every request made in the block (in this thread) to ``seconds`` overall, and space
    its retries at least ``spacing`` seconds apart."""
    limit = Deadline(seconds, spacing)
    token = _CURRENT.set(limit)
    try:
        yield limit
    finally:
        _CURRENT.reset(token)
        limit.cancel()


def _shut(sock: socket.socket) -> None:
    # shutdown, not close: the owning thread still holds the file descriptor and closes it.
    with contextlib.suppress(OSError):  # already closed, or never connected
        sock.shutdown(socket.SHUT_RDWR)


# -- guarded, pinned connections ---------------------------------------------------------------


class _Guarded:
    """Mixed into urllib3's connection classes: guard and pin on connect, watch the deadline."""

    def __init__(self, *args: Any, allow: AllowList, **kwargs: Any) -> None:
        self._allow = allow
        super().__init__(*args, **kwargs)

    def _new_conn(self) -> socket.socket:
        conn: Any = self  # an HTTPConnection: host, port, timeout, source_address ...
        try:
            addresses = approved_addresses(conn.host, conn.port, self._allow)
        except socket.gaierror as exc:
            raise u3.NameResolutionError(conn.host, conn, exc) from exc
        except UnicodeError as exc:
            raise u3.LocationParseError(f"{conn.host}: {exc}") from exc
        failure: Exception | None = None
        for address in addresses:  # in resolver order, like socket.create_connection
            try:
                sock = create_connection(
                    (address, conn.port),
                    conn.timeout,
                    source_address=conn.source_address,
                    socket_options=conn.socket_options,
                )
            except TimeoutError as exc:
                message = f"Connection to {conn.host} timed out. (connect timeout={conn.timeout})"
                failure = u3.ConnectTimeoutError(conn, message)
                failure.__cause__ = exc
            except OSError as exc:
                message = f"Failed to establish a new connection: {exc}"
                failure = u3.NewConnectionError(conn, message)
                failure.__cause__ = exc
            else:
                sys.audit("http.client.connect", conn, conn.host, conn.port)
                return sock
        assert failure is not None  # approved_addresses never returns an empty list
        raise failure

    def request(self, *args: Any, **kwargs: Any) -> None:
        limit = _CURRENT.get()
        if limit is not None:
            limit.check()
        super().request(*args, **kwargs)  # type: ignore[misc]

    def getresponse(self) -> Any:
        limit = _CURRENT.get()
        if limit is not None:
            limit.watch(getattr(self, "sock", None))
        return super().getresponse()  # type: ignore[misc]


class _GuardedHTTPConnection(_Guarded, HTTPConnection):
    pass


class _GuardedHTTPSConnection(_Guarded, HTTPSConnection):
    pass


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class _GuardedPoolManager(PoolManager):
    """A PoolManager whose pools make guarded connections with this fetcher's allow-list."""

    def __init__(self, *args: Any, allow: AllowList, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pool_classes_by_scheme = {"http": _GuardedHTTPPool, "https": _GuardedHTTPSPool}
        self._allow = allow

    def _new_pool(
        self, scheme: str, host: str, port: int, request_context: dict[str, Any] | None = None
    ) -> HTTPConnectionPool:
        # The allow-list rides in the pool's connection keywords; it is added after the pool key
        # is computed, so it never has to be a key field.
        context = dict(self.connection_pool_kw if request_context is None else request_context)
        context["allow"] = self._allow
        return super()._new_pool(scheme, host, port, context)


class _GuardedAdapter(HTTPAdapter):
    def __init__(self, allow: AllowList, **kwargs: Any) -> None:
        self._allow = allow
        super().__init__(**kwargs)

    def init_poolmanager(
        self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any
    ) -> None:
        self._pool_connections, self._pool_maxsize, self._pool_block = connections, maxsize, block
        self.poolmanager = _GuardedPoolManager(
            num_pools=connections, maxsize=maxsize, block=block, allow=self._allow, **pool_kwargs
        )


# -- retries -----------------------------------------------------------------------------------


class PoliteRetry(Retry):
    """urllib3's `Retry`, with backoff from the first retry, never shorter than the host's
    pacing delay (the current `Deadline`'s ``spacing``), and a ceiling on Retry-After.

    A server that asks for a longer wait than ``max_wait`` (or than the request's deadline has
    left) is not retried in this pass: retrying sooner than asked is rude, waiting longer stalls
    the pass. The response is returned as is and the failure is marked retryable for later.
    """

    def __init__(self, *args: Any, max_wait: float = 30.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_wait = max_wait

    def new(self, **kw: Any) -> PoliteRetry:
        kw.setdefault("max_wait", self.max_wait)
        return super().new(**kw)

    def get_backoff_time(self) -> float:
        # urllib3 retries the first failure at once; an origin that just said 503 gets a pause.
        errors = 0
        for item in reversed(self.history):
            if item.redirect_location is not None:
                break
            errors += 1
        if errors == 0:
            return 0.0
        backoff = min(self.backoff_max, self.backoff_factor * 2 ** (errors - 1))
        limit = _CURRENT.get()
        return max(backoff, limit.spacing if limit else 0.0)

    def increment(
        self, method: Any = None, url: Any = None, response: Any = None, **kw: Any
    ) -> Any:
        if response is not None:
            try:
                wait = self.get_retry_after(response)
            except u3.InvalidHeader:
                wait = None  # an unreadable Retry-After: fall back to our own backoff
            limit = _CURRENT.get()
            ceiling = min(self.max_wait, limit.remaining() if limit else self.max_wait)
            if wait is not None and wait > ceiling:
                reason = u3.ResponseError(f"Retry-After {wait:.0f} s is longer than we wait")
                raise u3.MaxRetryError(kw.get("_pool"), url, reason)
        return super().increment(method, url, response, **kw)


def make_session(settings: FetchSettings, allow: AllowList, *, max_wait: float) -> requests.Session:
    """The one session of a `Fetcher`: guarded connections, polite retries, no environment."""
    session = requests.Session()
    # No proxies, .netrc or CA bundle from the environment: a proxy would resolve and connect on
    # its own, out of the guard's sight, and a fetcher must behave the same under every shell.
    session.trust_env = False
    session.headers["User-Agent"] = settings.user_agent
    if settings.ca_bundle:
        session.verify = settings.ca_bundle
    retry = PoliteRetry(
        total=settings.retries,
        other=0,  # TLS and other errors that a quick retry will not fix
        redirect=False,  # redirects are ours to follow, hop by hop
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "HEAD"}),
        backoff_factor=settings.backoff,
        backoff_max=max_wait,
        retry_after_max=int(max_wait) + 1,
        raise_on_status=False,  # give us the last response; we word the failure ourselves
        max_wait=max_wait,
    )
    adapter = _GuardedAdapter(allow, max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
