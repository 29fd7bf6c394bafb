"""A source whose feed declares entities of its own (billion laughs, quadratic blowup): refused
unread, said, beside a good source whose alert still arrives (issue 16's hostile pass)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from briefwatch.config import parse_config
from parsers.types import Page
from tests.support.receiver import Receiver
from tests.support.server import LocalServer
from tests.test_hostile_items import page, run

LAUGHS = '<!ENTITY l0 "lol">' + "".join(
    f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as hook:
        yield hook


def test_a_feed_of_entities_is_refused_and_the_good_source_beside_it_alerts(
    db_url: str, server: LocalServer, receiver: Receiver
) -> None:
    item = f"<item><title>&l9;</title><link>{server.url('/never')}</link></item>"
    server.route(
        "/laughs",
        f'<?xml version="1.0"?><!DOCTYPE rss [{LAUGHS}]><rss version="2.0"><channel>'
        f"<title>&l9;</title>{item}</channel></rss>",
        content_type="application/rss+xml",
    )
    server.route(
        "/good-1", page("First", "Azerbaijani forces took Fuzuli on Sunday, the ministry said.")
    )
    good = f"<item><title>t</title><link>{server.url('/good-1')}</link></item>"
    server.route(
        "/feed",
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{good}</channel></rss>',
        content_type="application/rss+xml",
    )
    settings = parse_config(
        {
            "storage": {"url": db_url},
            "fetch": {"allow_private": ["127.0.0.1"], "retries": 0},
            "sources": [
                {"name": "laughs", "url": server.url("/laughs")},
                {"name": "good", "url": server.url("/feed")},
            ],
            "channels": [{"name": "hook", "url": receiver.apprise_url}],
        }
    )
    summary = run(settings)
    [failed] = summary.failed_sources  # said once, in the words `run` and `sources` print
    assert failed.startswith(
        "laughs: feed-too-complex: the feed declares its own XML entities (<!ENTITY ...>)"
    )
    assert not any(r.path == "/never" for r in server.requests)  # nothing in it was followed
    assert "Fuzuli: captured by Azerbaijani forces" in receiver.titles()


def test_a_page_padded_with_a_4_mb_attribute_is_read_without_it(
    db_url: str, server: LocalServer, receiver: Receiver
) -> None:
    """One 4 MB attribute cost a page ~7 s (htmldate's and trafilatura's regexes over the
    serialised tree); the value is dropped from the tree, and the page is read as usual."""
    padded = page("First", "Azerbaijani forces took Fuzuli on Sunday, the ministry said.")
    padded = padded.replace(b"<h1>", b'<h1 data-pad="' + b"A" * 4_000_000 + b'">', 1)
    tree = Page(server.url("/padded"), padded, "text/html").tree
    assert tree.xpath("//h1/@data-pad") == [] and tree.xpath("string(//h1)") == "First"

    server.route("/padded", padded)
    item = f"<item><title>t</title><link>{server.url('/padded')}</link></item>"
    server.route(
        "/feed",
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{item}</channel></rss>',
        content_type="application/rss+xml",
    )
    settings = parse_config(
        {
            "storage": {"url": db_url},
            "fetch": {"allow_private": ["127.0.0.1"], "retries": 0},
            "sources": [{"name": "padded", "url": server.url("/feed")}],
            "channels": [{"name": "hook", "url": receiver.apprise_url}],
        }
    )
    summary = run(settings)
    assert summary.failed_sources == [] and summary.counts()["new_stories"] == 1
    assert "Fuzuli: captured by Azerbaijani forces" in receiver.titles()
