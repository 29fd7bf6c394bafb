"""`briefwatch.fetch.client` against a real HTTP server on 127.0.0.1 (and nothing else).

Every test connects only to 127.0.0.0/8; refusals are shown by the server never seeing a request.
"""

from __future__ import annotations

import gzip
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from briefwatch.fetch.client import FetchFailure
from tests.support.fetching import HTML, MakeFetcher, failed, fetchers, ok
from tests.support.server import LocalServer

LAST_MODIFIED = "Mon, 09 Nov 2020 10:00:00 GMT"


@pytest.fixture
def make_fetcher() -> Iterator[MakeFetcher]:
    with fetchers() as make:
        yield make


# -- a plain page, honestly asked for ---------------------------------------------------------


def test_page_arrives_with_its_type_charset_and_validators(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    body = "<html><body><p>Шуша</p></body></html>".encode("windows-1251")
    server.route(
        "/news/1",
        body,
        content_type="text/html; charset=windows-1251",
        etag='"v1"',
        last_modified=LAST_MODIFIED,
    )
    fetched = ok(make_fetcher().get(server.url("/news/1")))
    assert (fetched.status, fetched.not_modified) == (200, False)
    assert (fetched.content_type, fetched.charset) == ("text/html", "windows-1251")
    assert (fetched.etag, fetched.last_modified) == ('"v1"', LAST_MODIFIED)
    assert fetched.url == server.url("/news/1")
    assert fetched.page().tree.findtext(".//p") == "Шуша"


def test_requests_name_briefwatch_and_what_it_reads(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.route("/feed", "<rss/>", content_type="application/rss+xml")
    ok(make_fetcher(user_agent="briefwatch-test/1 (+https://example.org)").get(server.url("/feed")))
    (request,) = server.hits("/feed")
    assert request.headers["user-agent"] == "briefwatch-test/1 (+https://example.org)"
    assert "application/rss+xml" in request.headers["accept"]
    assert "if-none-match" not in request.headers


# -- conditional GET --------------------------------------------------------------------------


def test_unchanged_page_by_etag_is_a_304_that_keeps_the_validator(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.route("/feed", HTML, etag='"v1"')
    fetched = ok(make_fetcher().get(server.url("/feed"), etag='"v1"'))
    assert (fetched.status, fetched.not_modified, fetched.body) == (304, True, b"")
    assert fetched.etag == '"v1"'
    assert server.hits("/feed")[0].headers["if-none-match"] == '"v1"'


def test_unchanged_page_by_last_modified_is_a_304(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.route("/feed", HTML, last_modified=LAST_MODIFIED)
    fetched = ok(make_fetcher().get(server.url("/feed"), last_modified=LAST_MODIFIED))
    assert fetched.not_modified and fetched.body == b""
    assert fetched.last_modified == LAST_MODIFIED
    assert server.hits("/feed")[0].headers["if-modified-since"] == LAST_MODIFIED


def test_changed_page_comes_back_whole_with_its_new_etag(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.route("/feed", HTML, etag='"v2"')
    fetched = ok(make_fetcher().get(server.url("/feed"), etag='"v1"'))
    assert (fetched.status, fetched.body, fetched.etag) == (200, HTML.encode(), '"v2"')


def test_validators_travel_through_a_redirect(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.redirect("/rss", "/feed", status=301)
    server.route("/feed", HTML, etag='"v1"')
    fetched = ok(make_fetcher().get(server.url("/rss"), etag='"v1"'))
    assert fetched.not_modified and fetched.url == server.url("/feed")


# -- retries ----------------------------------------------------------------------------------


def test_server_errors_are_retried_until_the_page_comes(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.route("/a", HTML, fail_first=[500, 502])
    fetched = ok(make_fetcher(retries=2).get(server.url("/a")))
    assert fetched.body == HTML.encode()
    assert len(server.hits("/a")) == 3


def test_persistent_server_error_gives_up_and_says_so(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.route("/a", HTML, fail_first=[500, 500, 500])
    failure = failed(make_fetcher(retries=2).get(server.url("/a")))
    assert failure == FetchFailure(
        server.url("/a"), "http-status", "HTTP 500 from 127.0.0.1 after 3 attempts", 500, True
    )
    assert len(server.hits("/a")) == 3


def test_missing_page_is_not_retried(server: LocalServer, make_fetcher: MakeFetcher) -> None:
    failure = failed(make_fetcher(retries=2).get(server.url("/gone")))
    assert (failure.reason, failure.status, failure.retryable) == ("http-status", 404, False)
    assert failure.detail == "HTTP 404 from 127.0.0.1"
    assert len(server.hits("/gone")) == 1


def test_backoff_grows_between_retries(server: LocalServer, make_fetcher: MakeFetcher) -> None:
    server.route("/a", HTML, fail_first=[503, 503])
    started = time.monotonic()
    ok(make_fetcher(retries=2, backoff=0.1).get(server.url("/a")))
    assert time.monotonic() - started >= 0.1 + 0.2


def test_retry_after_is_waited_for(server: LocalServer, make_fetcher: MakeFetcher) -> None:
    server.route("/a", HTML, fail_first=[503], fail_headers={"Retry-After": "1"})
    started = time.monotonic()
    ok(make_fetcher(retries=1).get(server.url("/a")))
    assert time.monotonic() - started >= 0.95


def test_retry_after_longer_than_a_pass_waits_is_left_for_a_later_pass(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.route("/a", HTML, fail_first=[429], fail_headers={"Retry-After": "120"})
    started = time.monotonic()
    failure = failed(make_fetcher(retries=3).get(server.url("/a")))
    assert time.monotonic() - started < 2
    assert (failure.status, failure.retryable) == (429, True)
    assert "asked to wait 120 s" in failure.detail
    assert len(server.hits("/a")) == 1


# -- timeouts and broken connections ----------------------------------------------------------


def test_silent_server_times_out_after_each_attempt(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.route("/slow", HTML, delay=1.0)
    started = time.monotonic()
    failure = failed(make_fetcher(read_timeout=0.2, retries=1).get(server.url("/slow")))
    assert time.monotonic() - started < 0.9
    assert (failure.reason, failure.retryable) == ("timeout", True)
    assert failure.detail == "127.0.0.1 sent nothing for 0.2 s after 2 attempts"
    assert len(server.hits("/slow")) == 2


def test_body_that_stalls_midway_times_out(server: LocalServer, make_fetcher: MakeFetcher) -> None:
    server.route("/stall", HTML, chunk_delay=1.0, repeat=2)
    failure = failed(make_fetcher(read_timeout=0.2).get(server.url("/stall")))
    assert (failure.reason, failure.retryable) == ("timeout", True)


def test_refused_connection_is_a_retryable_failure(make_fetcher: MakeFetcher) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago, on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    failure = failed(make_fetcher(retries=1).get(f"http://127.0.0.1:{port}/"))
    assert (failure.reason, failure.retryable) == ("connection", True)
    assert failure.detail == "could not connect to 127.0.0.1 after 2 attempts: Connection refused"


def test_body_cut_short_is_a_broken_response(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.route("/short", HTML, content_length=10_000)  # promises more than it sends, hangs up
    failure = failed(make_fetcher().get(server.url("/short")))
    assert (failure.reason, failure.retryable) == ("broken-response", True)
    assert failure.detail.startswith("127.0.0.1 broke off the response")


def test_body_that_is_not_the_gzip_it_claims_is_a_broken_response(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.route("/a", HTML, headers={"Content-Encoding": "gzip"})
    failure = failed(make_fetcher().get(server.url("/a")))
    assert failure.reason == "broken-response"
    assert "does not decompress" in failure.detail


# -- size cap ---------------------------------------------------------------------------------


def test_body_at_the_cap_is_read_one_byte_over_is_not(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.route("/fits", b"x" * 1000)
    server.route("/over", b"x" * 1001)
    fetcher = make_fetcher(max_bytes=1000)
    assert len(ok(fetcher.get(server.url("/fits"))).body) == 1000
    failure = failed(fetcher.get(server.url("/over")))
    assert failure == FetchFailure(
        server.url("/over"),
        "too-large",
        "127.0.0.1 announced 1,001 bytes, more than the [fetch] max_bytes limit of 1,000 bytes",
    )


@pytest.mark.parametrize(
    "stream",
    [
        pytest.param({}, id="honest-content-length"),
        pytest.param({"chunked": True}, id="no-content-length"),
        pytest.param({"content_length": 1_000}, id="content-length-too-small"),
    ],
)
def test_fifty_megabytes_are_cut_off_early(
    server: LocalServer, make_fetcher: MakeFetcher, stream: dict[str, Any]
) -> None:
    # 64 KiB sent 800 times: 50 MB on the wire unless the fetcher stops reading.
    server.route("/huge", b"x" * 65_536, repeat=800, **stream)
    started = time.monotonic()
    result = make_fetcher(max_bytes=100_000).get(server.url("/huge"))
    assert time.monotonic() - started < 2
    if "content_length" in stream:
        # http.client reads only what Content-Length declares: 1 KB arrives, the rest never does.
        assert len(ok(result).body) == 1_000
    else:
        assert failed(result).reason == "too-large"
        assert "more than the [fetch] max_bytes limit of 100,000 bytes" in failed(result).detail


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_gzip_bomb_is_capped_on_its_decompressed_size(
    server: LocalServer, make_fetcher: MakeFetcher, chunked: bool
) -> None:
    bomb = b"\0" * 20_000_000  # ~20 KB on the wire, 20 MB once inflated
    server.route("/bomb", bomb, gzip=True, chunked=chunked)
    assert len(gzip.compress(bomb)) < 100_000
    failure = failed(make_fetcher(max_bytes=1_000_000).get(server.url("/bomb")))
    assert (failure.reason, failure.retryable) == ("too-large", False)


def test_gzip_page_under_the_cap_is_decompressed(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.route("/a", HTML, gzip=True)
    assert ok(make_fetcher().get(server.url("/a"))).body == HTML.encode()


# -- content types ----------------------------------------------------------------------------


@pytest.mark.parametrize("media_type", ["application/pdf", "image/jpeg", "text/plain"])
def test_content_that_is_not_a_page_is_skipped(
    server: LocalServer, make_fetcher: MakeFetcher, media_type: str
) -> None:
    server.route("/file", b"%PDF-1.7", content_type=media_type)
    failure = failed(make_fetcher().get(server.url("/file")))
    assert (failure.reason, failure.status, failure.retryable) == ("bad-content-type", 200, False)
    assert failure.detail == f"127.0.0.1 sent {media_type}, not a page briefwatch reads"


@pytest.mark.parametrize(
    "media_type", ["application/atom+xml", "application/xhtml+xml", "text/xml", "application/xml"]
)
def test_feeds_and_sitemaps_are_pages(
    server: LocalServer, make_fetcher: MakeFetcher, media_type: str
) -> None:
    server.route("/x", "<feed/>", content_type=media_type)
    assert ok(make_fetcher().get(server.url("/x"))).content_type == media_type


def test_a_caller_can_ask_for_other_types(server: LocalServer, make_fetcher: MakeFetcher) -> None:
    server.route("/robots.txt", "User-agent: *", content_type="text/plain")
    fetched = ok(make_fetcher().get(server.url("/robots.txt"), types={"text/plain"}))
    assert fetched.body == b"User-agent: *"


# -- redirects --------------------------------------------------------------------------------


def test_redirects_are_followed_to_the_final_url(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.redirect("/old", "/older", status=301)
    server.redirect("/older", server.url("/new"), status=307)
    server.route("/new", HTML)
    fetched = ok(make_fetcher().get(server.url("/old")))
    assert (fetched.url, fetched.body) == (server.url("/new"), HTML.encode())


def test_redirect_chain_longer_than_the_cap_stops(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    for n in range(3):
        server.redirect(f"/r{n}", f"/r{n + 1}")
    server.route("/r3", HTML)
    failure = failed(make_fetcher(max_redirects=2).get(server.url("/r0")))
    assert failure.reason == "too-many-redirects"
    assert failure.detail == f"more than 2 redirects, last to {server.url('/r3')}"
    assert server.hits("/r3") == []


def test_redirect_loop_is_named(server: LocalServer, make_fetcher: MakeFetcher) -> None:
    server.redirect("/a", "/b")
    server.redirect("/b", "/a")
    failure = failed(make_fetcher(max_redirects=4).get(server.url("/a")))
    assert failure.reason == "too-many-redirects"
    assert "(a redirect loop)" in failure.detail


def test_redirect_to_a_loopback_address_not_allowed_is_refused_before_connecting(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    with LocalServer("127.0.0.2") as inside:  # the guarded target; it must never see a request
        inside.route("/admin", "secret")
        server.redirect("/go", inside.url("/admin"))
        failure = failed(make_fetcher().get(server.url("/go")))
        assert inside.requests == []
    assert failure == FetchFailure(
        server.url("/go"),
        "blocked-address",
        f"redirected to {inside.url('/admin')}: 127.0.0.2 is a loopback address; "
        "list it in [fetch] allow_private to fetch it",
    )


def test_redirect_to_another_scheme_is_refused(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.redirect("/go", "file:///etc/passwd")
    failure = failed(make_fetcher().get(server.url("/go")))
    assert failure.reason == "bad-scheme"
    assert failure.detail.startswith("redirected to file:///etc/passwd: only http:// and https://")


# -- scheme and address guard at the front door -----------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://127.0.0.1/feed.xml", "bad-scheme"),
        ("file:///etc/passwd", "bad-scheme"),
        ("gopher://127.0.0.1/", "bad-scheme"),
        ("127.0.0.1/feed", "bad-scheme"),
        ("http:///feed", "bad-url"),
        ("http://[::1/feed", "bad-url"),
    ],
)
def test_urls_briefwatch_does_not_fetch(make_fetcher: MakeFetcher, url: str, reason: str) -> None:
    failure = failed(make_fetcher().get(url))
    assert (failure.reason, failure.retryable, failure.url) == (reason, False, url)


def test_loopback_is_refused_unless_allowed(server: LocalServer, make_fetcher: MakeFetcher) -> None:
    server.route("/a", HTML)
    failure = failed(make_fetcher(allow_private=[]).get(server.url("/a")))
    assert failure.reason == "blocked-address"
    assert failure.detail == (
        "127.0.0.1 is a loopback address; list it in [fetch] allow_private to fetch it"
    )
    assert server.requests == []


@pytest.mark.parametrize("allowed", [["127.0.0.1"], ["127.0.0.0/8"], ["127.0.0.1/32", "nas.lan"]])
def test_loopback_listed_by_address_or_network_is_fetched(
    server: LocalServer, make_fetcher: MakeFetcher, allowed: list[str]
) -> None:
    server.route("/a", HTML)
    assert ok(make_fetcher(allow_private=allowed).get(server.url("/a"))).status == 200


def _localhost_is_only_127() -> bool:
    # /etc/hosts, not DNS; on machines where localhost is also ::1 this test would leave 127/8.
    try:
        infos = socket.getaddrinfo("localhost", 80, type=socket.SOCK_STREAM)
    except OSError:
        return False
    return all(str(info[4][0]).startswith("127.") for info in infos)


@pytest.mark.skipif(not _localhost_is_only_127(), reason="localhost is not only 127.0.0.0/8 here")
def test_loopback_listed_by_host_name_is_fetched(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.route("/a", HTML)
    url = f"http://localhost:{server.port}/a"
    assert ok(make_fetcher(allow_private=["localhost"]).get(url)).url == url
    # The name is allowed, not the address: the same server by its address is refused.
    refused = failed(make_fetcher(allow_private=["localhost"]).get(server.url("/a")))
    assert refused.reason == "blocked-address"
    assert len(server.hits("/a")) == 1
