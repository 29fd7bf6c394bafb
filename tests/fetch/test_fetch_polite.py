"""Fetching a site operator would accept: robots.txt, per-host pacing, a concurrency cap.

Real requests to a real server on 127.0.0.1; pacing is measured from the server's side, by the
arrival times of the requests it logged.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest

from briefwatch.config import FetchSettings, parse_config
from briefwatch.errors import ConfigError
from briefwatch.fetch import robots
from briefwatch.fetch.client import Fetcher
from briefwatch.fetch.robots import RobotsRules, Unreadable, product_tokens
from tests.support.fetching import HTML, MakeFetcher, failed, fetchers, ok
from tests.support.server import LocalServer

AGENTS = ("briefwatch",)


@pytest.fixture
def make_fetcher() -> Iterator[MakeFetcher]:
    """Fetchers for 127.0.0.1 that pace it like any other host (``pace_private``)."""
    with fetchers(pace_private=True) as make:
        yield make


def robots_txt(server: LocalServer, text: str, **kwargs: Any) -> None:
    server.route("/robots.txt", text, content_type="text/plain", **kwargs)


def gaps(server: LocalServer, path_prefix: str = "/") -> list[float]:
    times = sorted(r.at for r in server.requests if r.path.startswith(path_prefix))
    return [b - a for a, b in pairwise(times)]


# -- robots.txt -------------------------------------------------------------------------------


def test_robots_txt_is_honoured_and_read_once_per_site(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    robots_txt(server, "User-agent: *\nDisallow: /private/\n")
    server.route("/private/a", HTML)
    server.route("/news/a", HTML)
    refused = failed(make_fetcher().get(server.url("/private/a")))
    assert (refused.reason, refused.retryable) == ("robots-disallowed", False)
    assert refused.detail == (
        f"{server.url('')}/robots.txt does not allow briefwatch to fetch /private/a"
    )
    assert server.hits("/private/a") == []
    ok(make_fetcher().get(server.url("/news/a")))  # another fetcher: same process-wide cache
    assert len(server.hits("/robots.txt")) == 1


def test_a_group_for_briefwatch_wins_over_the_catch_all(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    robots_txt(server, "User-agent: *\nAllow: /\n\nUser-agent: BriefWatch\nDisallow: /\n")
    server.route("/news/a", HTML)
    fetcher = make_fetcher(user_agent="newsdesk-briefwatch/2 (+https://example.org/contact)")
    assert failed(fetcher.get(server.url("/news/a"))).reason == "robots-disallowed"
    assert server.hits("/robots.txt")[0].headers["user-agent"].startswith("newsdesk-briefwatch/2")


@pytest.mark.parametrize("status", [404, 410, 403])
def test_no_robots_txt_means_no_rules(
    server: LocalServer, make_fetcher: MakeFetcher, status: int
) -> None:
    server.route("/robots.txt", "gone", status=status)
    server.route("/a", HTML)
    ok(make_fetcher().get(server.url("/a")))


@pytest.mark.parametrize("status", [500, 503, 429])
def test_an_unreadable_robots_txt_means_nothing_is_fetched_for_now(
    server: LocalServer, make_fetcher: MakeFetcher, status: int
) -> None:
    server.route("/robots.txt", "down", status=status)
    server.route("/a", HTML)
    server.route("/b", HTML)
    fetcher = make_fetcher()
    failure = failed(fetcher.get(server.url("/a")))
    assert (failure.reason, failure.status, failure.retryable) == (
        "robots-unavailable",
        status,
        True,
    )
    assert "for robots.txt, so nothing is fetched from it" in failure.detail
    # Remembered for a while: the next URL neither asks for robots.txt again nor is fetched.
    assert failed(fetcher.get(server.url("/b"))).reason == "robots-unavailable"
    assert len(server.hits("/robots.txt")) == 1
    assert server.hits("/a") == server.hits("/b") == []


def test_a_site_that_cannot_be_reached_fails_with_the_network_reason(
    make_fetcher: MakeFetcher,
) -> None:
    failure = failed(make_fetcher(connect_timeout=1).get("http://127.0.0.1:9/feed"))
    assert (failure.reason, failure.retryable) == ("connection", True)


def test_a_cached_copy_stands_in_while_robots_txt_is_down() -> None:
    cache = robots.RobotsCache()
    good = RobotsRules.parse("User-agent: *\nDisallow: /x\n")
    assert cache.rules("https://a.example", lambda: good) is good

    def down() -> RobotsRules:
        raise Unreadable(RuntimeError("503"))

    cache._entries["https://a.example"].fetched -= robots.TTL + 1  # an hour later
    assert cache.rules("https://a.example", down) is good
    with pytest.raises(Unreadable):
        cache.rules("https://b.example", down)


@pytest.mark.parametrize(
    ("robots_text", "url", "allowed"),
    [
        ("User-agent: *\nDisallow: /", "https://a.example/news/1", False),
        ("User-agent: *\nDisallow: /\nAllow: /news/", "https://a.example/news/1", True),
        ("User-agent: *\nDisallow: /news/\nAllow: /news", "https://a.example/news/1", False),
        ("User-agent: *\nAllow: /p\nDisallow: /p", "https://a.example/p", True),  # tie: allow
        ("User-agent: *\nDisallow: /*?utm_", "https://a.example/a?utm_source=x", False),
        ("User-agent: *\nDisallow: /*?utm_", "https://a.example/a?id=1", True),
        ("User-agent: *\nDisallow: /*.pdf$", "https://a.example/f.pdf", False),
        ("User-agent: *\nDisallow: /*.pdf$", "https://a.example/f.pdf?x=1", True),
        ("User-agent: *\nDisallow: /шуша", "https://a.example/%D1%88%D1%83%D1%88%D0%B0", False),
        ("User-agent: *\nDisallow:", "https://a.example/anything", True),
        ("User-agent: *\nDisallow: /", "https://a.example/robots.txt", True),
        ("User-agent: other\nDisallow: /", "https://a.example/a", True),
        ("Disallow: /\nUser-agent: *\nAllow: /", "https://a.example/a", True),  # before a group
        (
            "User-agent: googlebot\nUser-agent: briefwatch\nDisallow: /a\n",
            "https://a.example/a",
            False,
        ),
        ("<html><body>Not found</body></html>", "https://a.example/a", True),
    ],
)
def test_robots_rules_follow_rfc_9309(robots_text: str, url: str, allowed: bool) -> None:
    assert RobotsRules.parse(robots_text).allows(url, AGENTS) is allowed


def test_wildcards_match_as_the_rfc_reads_them_on_every_small_case() -> None:
    """Our matcher against the plain reading of RFC 9309 (``*`` = any run, final ``$`` = end),
    written as a regex here, over every small pattern and path of a two-letter alphabet."""

    def words(alphabet: str, longest: int) -> list[str]:
        return [
            "".join(w) for n in range(longest + 1) for w in itertools.product(alphabet, repeat=n)
        ]

    paths = ["/" + w for w in words("ab", 5)]
    for body in words("ab*", 4):
        for tail in ("", "$"):
            pattern = "/" + body + tail
            rules = RobotsRules.parse(f"User-agent: *\nDisallow: {pattern}\n")
            regex = re.compile(".*".join(map(re.escape, ("/" + body).split("*"))) + tail)
            for path in paths:
                expected = regex.match(path) is None
                assert rules.allows("https://a.example" + path, AGENTS) is expected, (pattern, path)


def test_a_crafted_pattern_does_not_stall_the_decision(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    """A pattern of many wildcards against a long path made the old regex backtrack for
    minutes (the pass stalled and the good source beside it was never read)."""
    robots_txt(server, "User-agent: *\nDisallow: /" + "*a" * 30 + "*b\n")
    long_path = "/" + "a" * 3000
    server.route(long_path, HTML)
    # A regression hangs here rather than failing: the regex engine holds the GIL, so no
    # thread or timeout around the call could interrupt it.
    ok(make_fetcher().get(server.url(long_path)))  # no "b" in the path: the page is fetched


def test_product_tokens_name_the_agent_and_briefwatch() -> None:
    assert product_tokens("briefwatch/0.1 (news monitor)") == ("briefwatch",)
    assert product_tokens("NewsDesk-briefwatch/2 (+x)") == ("newsdesk-briefwatch", "briefwatch")


def test_the_user_agent_must_name_the_project() -> None:
    with pytest.raises(ConfigError, match=r"fetch\.user_agent: must name briefwatch"):
        parse_config({"fetch": {"user_agent": "Mozilla/5.0 (Windows NT 10.0)"}})


# -- pacing -----------------------------------------------------------------------------------


def test_requests_to_one_host_are_spaced_across_fetchers_and_threads(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    """Three sources on one site, fetched at once by three threads with their own fetchers (as
    the Prefect flow does): every request, robots.txt included, waits its turn."""
    for n in range(9):
        server.route(f"/news/{n}", HTML)

    def source(first: int) -> None:
        fetcher = make_fetcher(host_delay=0.15)
        for n in range(first, first + 3):
            ok(fetcher.get(server.url(f"/news/{n}")))

    threads = [threading.Thread(target=source, args=(n,)) for n in (0, 3, 6)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    spacing = gaps(server)
    assert len(spacing) == 9  # robots.txt once, then nine pages
    assert min(spacing) >= 0.135, spacing  # arrival jitter on the server side is ~4 ms
    assert time.monotonic() - started < 9 * 0.15 + 0.5


def test_a_crawl_delay_longer_than_ours_is_honoured(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    robots_txt(server, "User-agent: *\nCrawl-delay: 0.3\n")
    server.route("/a", HTML)
    fetcher = make_fetcher(host_delay=0.05)
    for _ in range(3):
        ok(fetcher.get(server.url("/a")))
    assert min(gaps(server, "/a")) >= 0.27


@pytest.mark.parametrize("cap", [1, 2])
def test_no_more_than_the_cap_are_in_flight_to_one_host(
    server: LocalServer, make_fetcher: MakeFetcher, cap: int
) -> None:
    server.route("/slow", HTML, delay=0.2)
    fetcher = make_fetcher(host_concurrency=cap)
    ok(fetcher.get(server.url("/slow")))  # robots.txt read before the rush
    threads = [
        threading.Thread(target=lambda: ok(fetcher.get(server.url("/slow")))) for _ in range(5)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert server.max_in_flight == cap


def test_retries_wait_at_least_the_host_delay(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.route("/a", HTML, fail_first=[503])
    ok(make_fetcher(host_delay=0.3, retries=1).get(server.url("/a")))
    assert gaps(server, "/a")[0] >= 0.27


def test_hosts_listed_as_your_own_are_not_paced(server: LocalServer) -> None:
    server.route("/a", HTML)
    with Fetcher(FetchSettings(allow_private=["127.0.0.1"], host_delay=5)) as fetcher:
        started = time.monotonic()
        for _ in range(4):
            ok(fetcher.get(server.url("/a")))
    assert time.monotonic() - started < 1
