"""Fetchers for tests: loopback allowed, no waiting between retries, quick timeouts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from briefwatch.config import FetchSettings
from briefwatch.fetch.client import Fetched, Fetcher, FetchFailure

MakeFetcher = Callable[..., Fetcher]
HTML = "<html><head><title>Shusha</title></head><body><p>Battles continue.</p></body></html>"
TEST_DEFAULTS: dict[str, Any] = {
    "allow_private": ["127.0.0.1"],
    "retries": 0,
    "backoff": 0,
    "connect_timeout": 2,
    "read_timeout": 2,
    "host_delay": 0,  # names like news.test are not "own" hosts: keep them unpaced here
}


@contextmanager
def fetchers(**defaults: Any) -> Iterator[MakeFetcher]:
    """A factory of fetchers (``make(**overrides)``) closed when the context ends."""
    made: list[Fetcher] = []

    def make(**overrides: Any) -> Fetcher:
        fetcher = Fetcher(FetchSettings(**(TEST_DEFAULTS | defaults | overrides)))
        made.append(fetcher)
        return fetcher

    yield make
    for fetcher in made:
        fetcher.close()


def ok(result: Fetched | FetchFailure) -> Fetched:
    assert isinstance(result, Fetched), f"expected a page, got {result}"
    return result


def failed(result: Fetched | FetchFailure) -> FetchFailure:
    assert isinstance(result, FetchFailure), f"expected a failure, got {result}"
    return result
