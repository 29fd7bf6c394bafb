"""The address guard, on resolved addresses alone: nothing here opens a connection or asks DNS."""

from __future__ import annotations

import pytest

from briefwatch.config import parse_config
from briefwatch.errors import ConfigError
from briefwatch.fetch.client import parse_content_type
from briefwatch.fetch.guard import AllowList, check_address

REFUSED = [
    ("10.0.0.5", "private"),
    ("10.255.255.255", "private"),
    ("172.16.0.1", "private"),
    ("172.31.255.254", "private"),
    ("192.168.1.20", "private"),
    ("127.0.0.1", "loopback"),
    ("127.8.9.10", "loopback"),
    ("169.254.169.254", "cloud metadata"),
    ("169.254.1.1", "link-local"),
    ("100.64.0.1", "carrier-grade NAT"),
    ("100.127.255.254", "carrier-grade NAT"),
    ("0.0.0.0", "unspecified"),
    ("224.0.0.1", "multicast"),
    ("240.0.0.1", "private"),  # reserved "future use"; ipaddress files it under private
    ("::1", "loopback"),
    ("::", "unspecified"),
    ("fe80::1", "link-local"),
    ("fe80::1%eth0", "link-local"),
    ("fc00::1", "private"),
    ("fd12:3456::1", "private"),
    ("fd00:ec2::254", "cloud metadata"),
    ("ff02::1", "multicast"),
    ("::ffff:10.0.0.1", "private (IPv4 10.0.0.1 inside IPv6)"),
    ("::ffff:127.0.0.1", "loopback (IPv4 127.0.0.1 inside IPv6)"),
    ("::ffff:169.254.169.254", "cloud metadata (IPv4 169.254.169.254 inside IPv6)"),
    ("64:ff9b::a00:1", "private (IPv4 10.0.0.1 inside IPv6)"),  # NAT64
    ("2002:7f00:1::", "loopback (IPv4 127.0.0.1 inside IPv6)"),  # 6to4
]


@pytest.mark.parametrize(("address", "kind"), REFUSED)
def test_non_public_addresses_are_refused_with_their_kind(address: str, kind: str) -> None:
    refusal = check_address("news.example", [address], [])
    article = "an" if kind[0] in "aeiou" else "a"  # "an unspecified address"
    assert refusal == (
        f"news.example resolves to {address}, {article} {kind} address; "
        "list it in [fetch] allow_private to fetch it"
    )


@pytest.mark.parametrize(
    "address",
    ["93.184.216.34", "8.8.8.8", "2606:2800:220:1:248:1893:25c8:1946", "::ffff:93.184.216.34"],
)
def test_public_addresses_pass(address: str) -> None:
    assert check_address("news.example", [address], []) is None


def test_an_ip_literal_host_is_named_once() -> None:
    assert check_address("10.0.0.5", ["10.0.0.5"], []) == (
        "10.0.0.5 is a private address; list it in [fetch] allow_private to fetch it"
    )


def test_one_bad_address_among_good_ones_refuses_the_host() -> None:
    # The connection may go to any address the name resolved to, so all of them must pass.
    refusal = check_address("news.example", ["93.184.216.34", "10.0.0.5"], [])
    assert refusal is not None and "10.0.0.5, a private address" in refusal


def test_a_host_that_resolves_to_nothing_is_refused() -> None:
    assert check_address("news.example", [], []) == "news.example resolved to no address"


def test_listed_host_name_allows_its_private_addresses() -> None:
    assert check_address("intranet.local", ["10.0.0.5"], ["Intranet.Local."]) is None
    assert check_address("other.local", ["10.0.0.5"], ["intranet.local"]) is not None


def test_listed_address_or_network_allows_addresses_inside_it() -> None:
    assert check_address("nas", ["192.168.1.20"], ["192.168.1.0/24"]) is None
    assert check_address("nas", ["192.168.2.20"], ["192.168.1.0/24"]) is not None
    assert check_address("127.0.0.1", ["127.0.0.1"], ["127.0.0.1"]) is None
    assert check_address("box", ["::ffff:127.0.0.1"], ["127.0.0.0/8"]) is None
    assert check_address("box", ["::1"], ["[::1]"]) is None


def test_allowing_one_loopback_address_does_not_allow_others() -> None:
    assert check_address("127.0.0.2", ["127.0.0.2"], ["127.0.0.1"]) is not None
    # localhost listing both addresses (as on most machines) needs both allowed:
    refusal = check_address("localhost", ["::1", "127.0.0.1"], ["127.0.0.1"])
    assert refusal is not None and "::1, a loopback address" in refusal


def test_a_mistyped_network_is_a_config_error_not_a_silent_no() -> None:
    with pytest.raises(ValueError, match=r"10\.0\.0\.0/33"):
        AllowList.parse(["10.0.0.0/33"])
    with pytest.raises(ConfigError, match=r"fetch\.allow_private: '10\.0\.0\.0/33'"):
        parse_config({"fetch": {"allow_private": ["10.0.0.0/33"]}})


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("text/html; charset=UTF-8", ("text/html", "utf-8")),
        ('Text/HTML;Charset="windows-1251"', ("text/html", "windows-1251")),
        ("application/rss+xml", ("application/rss+xml", None)),
        ("text/html; charset=no-such-charset", ("text/html", None)),
        (None, ("", None)),
    ],
)
def test_content_type_header(header: str | None, expected: tuple[str, str | None]) -> None:
    assert parse_content_type(header) == expected
