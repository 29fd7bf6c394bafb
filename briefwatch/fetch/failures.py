"""Why a fetch stopped: library errors translated, at the boundary, into a reason and a sentence.

`Stop` is the fetcher's internal exception; `briefwatch.fetch.client.Fetcher.get` turns it into the
`FetchFailure` callers see. Everything requests, urllib3, http.client and the socket layer can
raise is read here, from its whole cause chain, and worded so that a user of ``briefwatch
sources`` knows what happened and whether it is worth waiting for.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from http.client import HTTPException
from typing import NoReturn
from urllib.parse import urlsplit

import requests
import urllib3.exceptions as u3

from briefwatch.config import FetchSettings


class Stop(Exception):
    """Ends a fetch early with a stable reason code, the user's sentence, and whether a later
    pass should try again."""

    def __init__(
        self, reason: str, detail: str, status: int | None = None, retryable: bool = False
    ) -> None:
        super().__init__(detail)
        self.reason, self.detail, self.status, self.retryable = reason, detail, status, retryable


@contextmanager
def naming_hop(hop: str, asked: str) -> Iterator[None]:
    """Prefix failures at a redirect hop with where the redirect led, so the user sees why."""
    try:
        yield
    except Stop as stop:
        if hop != asked and not stop.detail.startswith("redirected to "):
            stop.detail = f"redirected to {hop}: {stop.detail}"
        raise


@contextmanager
def translating(url: str, settings: FetchSettings) -> Iterator[None]:
    """Turn any requests/urllib3/socket error raised in the block into a `Stop`."""
    try:
        yield
    except (requests.RequestException, u3.HTTPError, HTTPException, OSError) as exc:
        explain(exc, host_of(url), settings)


def explain(exc: BaseException, host: str, settings: FetchSettings) -> NoReturn:
    """Raise the `Stop` a user can act on for a library exception, from its whole cause chain
    (requests wraps urllib3, which wraps the socket error)."""
    chain = list(_causes(exc))

    def has(*types: type[BaseException]) -> bool:
        return any(isinstance(e, types) for e in chain)

    retried = has(u3.MaxRetryError) and settings.retries > 0
    after = f" after {settings.retries + 1} attempts" if retried else ""
    os_reason = next((e.strerror for e in chain if isinstance(e, OSError) and e.strerror), None)
    if has(u3.NameResolutionError, socket.gaierror):
        raise Stop("dns", f"{host} did not resolve: {os_reason or exc}", retryable=True)
    if has(u3.NewConnectionError, ConnectionRefusedError):
        why = os_reason or "connection failed"
        raise Stop("connection", f"could not connect to {host}{after}: {why}", retryable=True)
    if has(u3.ConnectTimeoutError, requests.ConnectTimeout):
        wait = settings.connect_timeout
        detail = f"could not connect to {host} within {wait:g} s{after}"
        raise Stop("timeout", detail, retryable=True)
    if has(u3.ReadTimeoutError, requests.ReadTimeout, TimeoutError):
        wait = settings.read_timeout
        raise Stop("timeout", f"{host} sent nothing for {wait:g} s{after}", retryable=True)
    if has(u3.SSLError, requests.exceptions.SSLError):
        raise Stop("tls", f"TLS with {host} failed: {_last_words(chain)}", retryable=True)
    if has(u3.DecodeError, requests.exceptions.ContentDecodingError):
        detail = f"{host} sent a compressed body that does not decompress"
        raise Stop("broken-response", detail, retryable=True)
    if has(u3.ProtocolError, requests.exceptions.ChunkedEncodingError, HTTPException):
        detail = f"{host} broke off the response{after}: {_last_words(chain)}"
        raise Stop("broken-response", detail, retryable=True)
    detail = f"fetching from {host} failed: {_last_words(chain)}"
    raise Stop("connection", detail, retryable=True)


def deadline_stop(host: str, seconds: float) -> Stop:
    """The failure of a request that ran out of its overall time (a slow drip, a stalled body)."""
    detail = (
        f"{host} took longer than {seconds:g} s to send the response "
        "(the [fetch] deadline); it is tried again in a later pass"
    )
    return Stop("timeout", detail, retryable=True)


def out_of_time_stop(host: str) -> Stop:
    """The failure of a request cut off because its source's time in the pass ran out."""
    detail = (
        f"this source's time in the pass ran out while {host} was answering "
        "(fetch.source_deadline, fetch.pass_deadline); it is tried again in a later pass"
    )
    return Stop("timeout", detail, retryable=True)


def abandoned_stop(host: str) -> Stop:
    """The failure of a listing request given up on because the rest of its group was done."""
    detail = (
        f"{host} was still answering when the other sources of its group were done; "
        "given up on, to be read again after the others if the pass has time left"
    )
    return Stop("timeout", detail, retryable=True)


def host_of(url: str) -> str:
    try:
        return urlsplit(url).hostname or url
    except ValueError:
        return url


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything it wraps: args, urllib3 ``reason``, ``__cause__``, context."""
    todo, seen = [exc], set()
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        inner = [*current.args, getattr(current, "reason", None)]
        inner += [current.__cause__, current.__context__]
        todo += [e for e in inner if isinstance(e, BaseException)]


def _last_words(chain: list[BaseException]) -> str:
    """The innermost message in the chain: usually the one that says what actually went wrong."""
    for exc in reversed(chain):
        text = str(exc).strip()
        if text:
            return text
    return type(chain[-1]).__name__
