"""Hostile and broken servers, against a fault-injecting HTTP server on 127.0.0.0/8 only.

Slow drips and stalls, servers that say "not now", wrong and missing charsets, DNS answers that
change between lookups, TLS names. Guard refusals of non-loopback addresses are shown on the
resolved address alone: nothing here ever connects outside 127.0.0.0/8.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefwatch.fetch.guard import AddressRefused, AllowList, approved_addresses
from tests.support.fetching import HTML, MakeFetcher, failed, fetchers, ok
from tests.support.server import LocalServer, tls_for


@pytest.fixture
def make_fetcher() -> Iterator[MakeFetcher]:
    with fetchers() as make:
        yield make


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Names that resolve as the test says, one answer per lookup (the last one repeats);
    every other name resolves as usual. Lookups are counted in ``dns["<name>:lookups"]``."""
    answers: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def fake(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name not in answers:
            return real(host, port, *args, **kwargs)
        answers.setdefault(f"{name}:lookups", []).append("x")
        queue = answers[name]
        address = queue.pop(0) if len(queue) > 1 else queue[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return answers


# -- slow drips and stalls: the deadline ------------------------------------------------------


@pytest.mark.parametrize(
    "framing",
    [
        pytest.param({}, id="content-length"),
        pytest.param({"chunked": True}, id="chunked"),
        pytest.param({"close_delimited": True}, id="no-length"),
    ],
)
def test_a_slow_drip_is_cut_off_at_the_deadline(
    server: LocalServer, make_fetcher: MakeFetcher, framing: dict[str, Any]
) -> None:
    # Ten bytes every 20 ms: never silent long enough for the read timeout, done after 4 s.
    server.route("/drip", b"<p>drip</p>", repeat=200, chunk_delay=0.02, **framing)
    started = time.monotonic()
    failure = failed(make_fetcher(read_timeout=1, deadline=0.4).get(server.url("/drip")))
    elapsed = time.monotonic() - started
    assert 0.4 <= elapsed < 0.9
    assert (failure.reason, failure.retryable) == ("timeout", True)
    assert failure.detail == (
        "127.0.0.1 took longer than 0.4 s to send the response (the [fetch] deadline); "
        "it is tried again in a later pass"
    )


def test_headers_dripped_one_by_one_are_cut_off_too(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.route("/slow-head", HTML, header_delay=0.1, headers={f"X-N{i}": "1" for i in range(40)})
    started = time.monotonic()
    failure = failed(make_fetcher(read_timeout=1, deadline=0.4).get(server.url("/slow-head")))
    assert time.monotonic() - started < 0.9
    assert failure.reason == "timeout" and "0.4 s" in failure.detail


def test_the_deadline_covers_retries(server: LocalServer, make_fetcher: MakeFetcher) -> None:
    server.route("/a", HTML, fail_first=[503] * 6)
    started = time.monotonic()
    failure = failed(make_fetcher(retries=6, backoff=0.2, deadline=0.5).get(server.url("/a")))
    assert time.monotonic() - started < 1.0
    assert failure.retryable and failure.reason in ("timeout", "http-status")
    assert len(server.hits("/a")) <= 3


def test_a_fast_page_is_not_disturbed_by_the_deadline(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.route("/a", HTML, repeat=3, chunk_delay=0.01)
    fetcher = make_fetcher(deadline=0.5)
    for _ in range(3):  # and the timer of one request never reaches into the next
        assert ok(fetcher.get(server.url("/a"))).body == HTML.encode() * 3
    time.sleep(0.6)
    assert ok(fetcher.get(server.url("/a"))).body == HTML.encode() * 3


# -- servers that say "not now" ---------------------------------------------------------------


def test_a_429_with_retry_after_is_waited_for_and_the_page_comes(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.route("/a", HTML, fail_first=[429], fail_headers={"Retry-After": "1"})
    started = time.monotonic()
    fetched = ok(make_fetcher(retries=1).get(server.url("/a")))
    assert time.monotonic() - started >= 0.95 and fetched.body == HTML.encode()


@pytest.mark.parametrize(
    ("status", "headers"),
    [(429, {"Retry-After": "120"}), (429, {}), (503, {"Retry-After": "300"})],
    ids=["429-retry-after", "bare-429", "503-retry-after"],
)
def test_a_host_that_asked_for_a_pause_gets_no_more_requests_in_this_pass(
    server: LocalServer, make_fetcher: MakeFetcher, status: int, headers: dict[str, str]
) -> None:
    server.route("/a", HTML, fail_first=[status], fail_headers=headers)
    server.route("/b", HTML)
    fetcher = make_fetcher(retries=2)
    assert failed(fetcher.get(server.url("/a"))).status == status
    started = time.monotonic()
    # Another fetcher of the same process (another source's task) honours it as well.
    failure = failed(make_fetcher().get(server.url("/b")))
    assert time.monotonic() - started < 0.2
    assert (failure.reason, failure.retryable) == ("host-backoff", True)
    assert failure.detail.startswith("127.0.0.1 asked briefwatch to wait")
    assert server.hits("/b") == [] and len(server.hits("/a")) == 1


def test_a_short_pause_is_waited_for(server: LocalServer, make_fetcher: MakeFetcher) -> None:
    server.route("/a", HTML, fail_first=[503], fail_headers={"Retry-After": "1"})
    server.route("/b", HTML)
    assert failed(make_fetcher(retries=0).get(server.url("/a"))).status == 503
    started = time.monotonic()
    ok(make_fetcher().get(server.url("/b")))
    assert time.monotonic() - started >= 0.9


# -- charsets, through the wire ---------------------------------------------------------------

RU = "Шуша: бои за город продолжаются, сообщили в министерстве обороны в понедельник."


def _page(text: str, meta: str = "") -> str:
    head = f'<meta charset="{meta}">' if meta else ""
    return f"<html><head>{head}<title>Шуша</title></head><body><p>{text}</p></body></html>"


@pytest.mark.parametrize(
    ("body", "content_type", "source"),
    [
        pytest.param(
            _page(RU).encode("cp1251"), "text/html; charset=windows-1251", "http", id="right"
        ),
        pytest.param(
            _page(RU, "windows-1251").encode("cp1251"),
            "text/html; charset=utf-8",
            "declared",
            id="header-wrong-meta-right",
        ),
        pytest.param(
            _page(RU).encode("utf-8"), "text/html; charset=windows-1251", "utf-8", id="utf8-as-1251"
        ),
        pytest.param(_page(RU * 4).encode("cp1251"), "text/html", "detected", id="none-declared"),
        pytest.param(
            _page(RU * 4).encode("cp1251"), "text/html; charset=koi8-r", "detected", id="koi8-lie"
        ),
        pytest.param(_page(RU).encode("utf-16"), "text/html", "bom", id="utf16-bom"),
    ],
)
def test_the_text_arrives_right_whatever_the_charset_says(
    server: LocalServer, make_fetcher: MakeFetcher, body: bytes, content_type: str, source: str
) -> None:
    server.route("/ru", body, content_type=content_type)
    page = ok(make_fetcher().get(server.url("/ru"))).page()
    assert page.parse_error() is None
    assert page.decoding.source == source
    assert page.tree.findtext(".//p").startswith("Шуша: бои за город продолжаются")


# -- the address guard at connect time --------------------------------------------------------


def test_the_approved_address_is_the_one_connected_to(
    server: LocalServer, make_fetcher: MakeFetcher, dns: dict[str, list[str]]
) -> None:
    """DNS rebinding: the name answers 127.0.0.1 (allowed) once, then 127.0.0.2 (not allowed).
    One lookup serves the check and the connect, so the request goes where the guard looked."""
    with LocalServer("127.0.0.2") as inside:
        inside.route("/a", "secret")
        server.route("/a", HTML)
        server.route("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        dns["news.test"] = ["127.0.0.1", "127.0.0.2"]
        url = f"http://news.test:{server.port}/a"
        fetched = ok(make_fetcher().get(url))
        assert fetched.body == HTML.encode()
        assert len(dns["news.test:lookups"]) == 1  # robots.txt and the page share the connection
        assert server.hits("/a")[0].headers["host"] == f"news.test:{server.port}"
        # A new connection means a new lookup; its answer is checked before connecting.
        refused = failed(make_fetcher().get(url))
        assert refused.reason == "blocked-address"
        assert "news.test resolves to 127.0.0.2, a loopback address" in refused.detail
        assert inside.requests == []


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("169.254.169.254", "cloud metadata"),
        ("10.0.0.5", "private"),
        ("192.168.1.1", "private"),
        ("::ffff:127.0.0.1", "loopback (IPv4 127.0.0.1 inside IPv6)"),
    ],
)
def test_the_guard_refuses_a_name_by_what_it_resolved_to(
    dns: dict[str, list[str]], address: str, kind: str
) -> None:
    # The resolved address alone: approved_addresses never connects, it only answers.
    dns["metadata.test"] = [address]
    with pytest.raises(AddressRefused) as refused:
        approved_addresses("metadata.test", 80, AllowList())
    assert str(refused.value) == (
        f"metadata.test resolves to {address}, a {kind} address; "
        "list it in [fetch] allow_private to fetch it"
    )


def test_tls_is_verified_and_sent_by_name_while_the_socket_is_pinned(
    make_fetcher: MakeFetcher, dns: dict[str, list[str]], tmp_path: Path
) -> None:
    pytest.importorskip("cryptography")
    context, ca = tls_for(["news.test"], tmp_path)
    with LocalServer(tls=context) as secure:
        secure.route("/a", HTML)
        dns["news.test"] = ["127.0.0.1"]
        dns["other.test"] = ["127.0.0.1"]
        fetcher = make_fetcher(ca_bundle=str(ca))
        fetched = ok(fetcher.get(f"https://news.test:{secure.port}/a"))
        assert fetched.body == HTML.encode()
        assert "news.test" in secure.server_names  # SNI carried the name, not the address
        assert secure.hits("/a")[0].headers["host"] == f"news.test:{secure.port}"
        # Same address, another name: the certificate does not cover it, so nothing is sent.
        wrong = failed(fetcher.get(f"https://other.test:{secure.port}/a"))
        assert wrong.reason == "tls" and "other.test" in wrong.detail
        assert len(secure.hits("/a")) == 1
