"""A URL with an IPv6 literal keeps its brackets when made canonical, so the article behind it
can be fetched: `http://[::1]:8080/x` was stored and fetched as `http://::1:8080/x`. Fetched for
real from a local server on the IPv6 loopback when the machine has one.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from sqlmodel import select

from briefwatch import pipeline
from briefwatch.config import parse_config
from briefwatch.fetch.client import Fetcher
from briefwatch.models import Article
from briefwatch.store import Store
from briefwatch.stories.dedupe import canonical_url
from tests.support.server import LocalServer


def _has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("http://[::1]:8080/x?utm_source=feed", "http://[::1]:8080/x"),
        ("http://[::1]:80/x", "http://[::1]/x"),
        ("https://[2001:DB8::7]/news/a?b=2&a=1#top", "https://[2001:db8::7]/news/a?a=1&b=2"),
        ("http://127.0.0.1:8080/x", "http://127.0.0.1:8080/x"),
    ],
)
def test_an_ipv6_literal_keeps_its_brackets(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical
    assert canonical_url(canonical) == canonical  # canonical once is canonical for good


@pytest.mark.skipif(not _has_ipv6_loopback(), reason="no IPv6 loopback on this machine")
def test_an_article_on_an_ipv6_address_is_fetched_and_stored(tmp_path: Path) -> None:
    with LocalServer("::1") as server:
        article = (
            "<html><head><title>Valley</title></head><body><article><h1>Valley</h1>"
            "<p>The valley road was closed to traffic for a second day after the storm.</p>"
            "<p>Azerbaijani forces captured Hadrut, the army said on Sunday evening.</p>"
            "<p>Shops in the district centre stayed shut and schools sent children home.</p>"
            "</article></body></html>"
        )
        server.route("/valley?utm_source=feed", article)
        server.route("/valley", article)
        feed = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>f</title><item><title>t'
            f"</title><link>{server.url('/valley?utm_source=feed')}</link></item></channel></rss>"
        )
        server.route("/feed", feed, content_type="application/rss+xml")
        settings = parse_config(
            {
                "storage": {"url": f"sqlite:///{tmp_path / 'bw.db'}"},
                "fetch": {"allow_private": ["::1"], "retries": 0},
                "sources": [{"name": "v6", "url": server.url("/feed")}],
            }
        )
        store = Store(settings.storage.url)
        with Fetcher(settings.fetch) as fetcher:
            summary = pipeline.run_pass(settings, store, fetcher)
        assert summary.failed_sources == [] and summary.counts()["skipped"] == 0
        assert summary.counts()["new_stories"] == 1 and summary.counts()["claims"] == 1
        with store.session() as session:
            (stored,) = session.exec(select(Article)).all()
        store.close()
        assert stored.url == server.url("/valley")  # http://[::1]:PORT/valley
        assert [r.path for r in server.requests if r.path.startswith("/valley")] == ["/valley"]
