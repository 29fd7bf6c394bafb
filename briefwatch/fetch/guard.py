"""The address guard: which resolved addresses briefwatch may connect to.

A news monitor fetches URLs that come from the outside world (feeds, index pages, redirects), so a
hostile or broken source could point it at the machine it runs on, the office network, or a cloud
metadata service that hands out credentials. Before any request is sent, `briefwatch.fetch.client`
resolves the host and asks `check_address` about every address it resolved to:

* public addresses are fine;
* everything else (loopback, private, link-local, CGNAT, multicast, reserved, unspecified, cloud
  metadata, and the IPv6 forms that carry one of those IPv4 addresses inside) is refused, unless
  ``[fetch] allow_private`` lists the host name as written in the URL, or an address or network
  (CIDR) the address falls in.

Every resolved address must pass, not just the first: the connection may be made to any of them.
This module is pure apart from `resolve` and `approved_addresses`; the guard itself is tested on
addresses alone, without connecting anywhere.

`approved_addresses` is what the transport (`briefwatch.fetch.transport`) calls when it opens a
connection: one lookup serves both the check and the connect, so a DNS answer that changes between
the two (DNS rebinding) cannot steer a connection to an address that was never checked.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network

from briefwatch.config import IPNetwork, allow_entries, normal_host

IPAddress = IPv4Address | IPv6Address

# Cloud instance metadata endpoints: AWS/GCP/Azure/Oracle (IPv4), AWS Nitro (IPv6), Alibaba.
# They are inside link-local, ULA or CGNAT space anyway; naming them makes the refusal readable.
METADATA_ADDRESSES: frozenset[IPAddress] = frozenset(
    ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")
)
_CGNAT = ip_network("100.64.0.0/10")  # RFC 6598 shared address space; not "private" to ipaddress
_NAT64 = ip_network("64:ff9b::/96")  # RFC 6052: a NAT64 gateway forwards to the embedded IPv4


class AddressRefused(Exception):
    """The guard refused every way to reach a host; the message is the sentence a user reads.

    Not an `OSError` on purpose: urllib3 retries those, and a refusal must never be retried.
    """


@dataclass(frozen=True)
class AllowList:
    """``[fetch] allow_private``, parsed: host names, and networks (an address is a /32 or /128)."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> AllowList:
        """Parse the config entries; raise `ValueError` naming an entry that looks like a network
        but is not one (``10.0.0.0/33``), so a typo cannot silently allow nothing."""
        hosts, networks = allow_entries(entries)
        return cls(hosts, networks)

    def permits(self, host: str, address: IPAddress) -> bool:
        """True when the host name is listed, or the address (or the IPv4 address it carries)
        falls in a listed network."""
        if normal_host(host) in self.hosts:
            return True
        candidates = [address, *filter(None, [embedded_ipv4(address)])]
        return any(
            a in net for a in candidates for net in self.networks if a.version == net.version
        )

    def lists_host(self, host: str) -> bool:
        """True when ``host`` as written in a URL is listed: by name, or as an address inside a
        listed network. (Used to leave the user's own hosts unpaced; no lookup is made.)"""
        try:
            return self.permits(host, ip_address(normal_host(host)))
        except ValueError:
            return normal_host(host) in self.hosts


def approved_addresses(host: str, port: int, allow: AllowList) -> list[str]:
    """Resolve ``host`` once and return its addresses if every one may be reached.

    Raises `AddressRefused` with the reason when one may not, and `socket.gaierror` (or
    `UnicodeError`) when the name does not resolve. Connect only to the addresses returned.
    """
    addresses = resolve(host, port)
    refusal = check_address(host, addresses, allow)
    if refusal:
        raise AddressRefused(refusal)
    return addresses


def check_address(
    host: str, addresses: Sequence[str], allow_private: Sequence[str] | AllowList
) -> str | None:
    """Why connecting to ``host`` at ``addresses`` is refused, or ``None`` when it may go ahead.

    ``addresses`` are what the host resolved to (as `socket.getaddrinfo` prints them); all of them
    must pass. The answer is the sentence a user reads, naming the address, its kind and the fix.
    """
    allow = allow_private if isinstance(allow_private, AllowList) else _parsed(tuple(allow_private))
    if not addresses:
        return f"{host} resolved to no address"
    for text in addresses:
        try:
            address = ip_address(text)
        except ValueError:
            return f"{host} resolved to {text!r}, which is not an IP address"
        kind = non_public_kind(address)
        if kind is None or allow.permits(host, address):
            continue
        where = f"{host} is" if normal_host(host) == str(address) else f"{host} resolves to {text},"
        article = "an" if kind[0] in "aeiou" else "a"
        return f"{where} {article} {kind} address; list it in [fetch] allow_private to fetch it"
    return None


def non_public_kind(address: IPAddress) -> str | None:
    """What kind of non-public address this is ("loopback", "cloud metadata" ...), or ``None``
    when it is an ordinary public address."""
    inner = embedded_ipv4(address)
    if inner is not None:
        # ::ffff:127.0.0.1, 64:ff9b::a00:1 and 2002:a00:1:: reach the IPv4 address they carry.
        kind = non_public_kind(inner)
        return f"{kind} (IPv4 {inner} inside IPv6)" if kind else None
    checks: tuple[tuple[bool, str], ...] = (
        (address in METADATA_ADDRESSES, "cloud metadata"),
        (address.is_unspecified, "unspecified"),
        (address.is_loopback, "loopback"),
        (address.is_link_local, "link-local"),
        (address.is_multicast, "multicast"),
        (isinstance(address, IPv4Address) and address in _CGNAT, "carrier-grade NAT"),
        (isinstance(address, IPv6Address) and address.is_site_local, "site-local"),
        (address.is_private, "private"),
        (address.is_reserved, "reserved"),
        (not address.is_global, "non-public"),
    )
    return next((kind for matched, kind in checks if matched), None)


def embedded_ipv4(address: IPAddress) -> IPv4Address | None:
    """The IPv4 address an IPv6 address forwards to (mapped, NAT64, 6to4, Teredo), if any."""
    if not isinstance(address, IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]  # (server, client): the client is where packets end up
    return None


def resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to for a TCP connection, in resolver order, deduplicated.

    Raises `socket.gaierror` (or `UnicodeError` for a host name IDNA cannot encode); the caller
    turns that into a failure the user reads. There is no timeout here beyond the resolver's own.
    """
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@lru_cache(maxsize=64)
def _parsed(entries: tuple[str, ...]) -> AllowList:
    return AllowList.parse(entries)
