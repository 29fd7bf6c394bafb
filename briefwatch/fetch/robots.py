"""robots.txt: the rules (RFC 9309), and a per-site cache shared by every fetcher in the process.

The rules follow RFC 9309 rather than the stdlib's `urllib.robotparser`, which matches plain
prefixes in file order: news sites write ``Disallow: /*?utm_`` and ``Allow: /news/$`` and mean
them the way Google reads them. So:

* the group is chosen by product token: every group naming one of our tokens (the first word of
  ``[fetch] user_agent``, and ``briefwatch``), merged; else the ``*`` groups; else no rules;
* the longest matching pattern wins, ``Allow`` on a tie; ``*`` matches any run of characters and
  a final ``$`` anchors the end; paths are compared percent-encoded; a pattern is matched by
  finding its literal pieces left to right (linear in the path), never by a backtracking regex:
  a crafted ``/*a*a*a*a*a*a*b`` against a long path would otherwise stall the pass for minutes;
* ``/robots.txt`` itself is always allowed; ``Crawl-delay`` is read (it is not in the RFC, but
  sites that write it mean it) and lengthens the host's pacing delay.

What a fetch of robots.txt means (RFC 9309 section 2.3): a 2xx is parsed; a 4xx (other than 429)
means no rules; a 429, a 5xx or an unreachable host mean "disallow everything for now", which the
fetcher turns into a retryable failure, unless an earlier copy is cached.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

#: How long a robots.txt is trusted before it is fetched again (RFC 9309 says at most 24 h).
TTL = 3600.0
#: How long a failure to read robots.txt is remembered, so a pass does not ask for every URL.
FAILURE_TTL = 120.0
#: The longest Crawl-delay honoured, in seconds: longer ones would stall a pass for hours.
MAX_CRAWL_DELAY = 60.0

_LINE = re.compile(r"^\s*([A-Za-z-]+)\s*:\s*(.*?)\s*$")
# Everything printable in ASCII is left as is; only spaces and non-ASCII get percent-encoded.
_SAFE = "".join(chr(c) for c in range(33, 127))


@dataclass(frozen=True)
class _Rule:
    allow: bool
    pattern: str  # normalised
    pieces: tuple[str, ...]  # the literal text between the pattern's ``*``
    anchored: bool  # the pattern ended in ``$``

    def matches(self, path: str) -> bool:
        """Whether the pattern matches ``path`` from its start (RFC 9309 section 2.2.2).

        The first piece must start the path; each later piece is found at its leftmost place
        after the one before, which is always the right choice when the only wildcard is ``*``;
        an anchored last piece must end the path without overlapping the piece before it."""
        first, *rest = self.pieces
        if not path.startswith(first):
            return False
        at = len(first)
        if not rest:
            return not self.anchored or at == len(path)
        *middle, last = rest
        for piece in middle:
            found = path.find(piece, at)
            if found < 0:
                return False
            at = found + len(piece)
        if self.anchored:
            return path.endswith(last) and len(path) - len(last) >= at
        return path.find(last, at) >= 0


@dataclass
class _Group:
    agents: list[str] = field(default_factory=list)
    rules: list[_Rule] = field(default_factory=list)
    crawl_delay: float | None = None


@dataclass(frozen=True)
class RobotsRules:
    """A parsed robots.txt. `ALLOW_ALL` and `DISALLOW_ALL` stand for the RFC's special cases."""

    groups: tuple[_Group, ...] = ()
    disallow_all: bool = False

    @classmethod
    def parse(cls, text: str) -> RobotsRules:
        """Parse robots.txt text; lines that are not ``field: value`` are ignored, as the RFC
        asks, so a soft-404 HTML page served as robots.txt means "no rules"."""
        groups: list[_Group] = []
        current: _Group | None = None
        in_agents = False  # consecutive user-agent lines share one group
        for raw in text.splitlines():
            match = _LINE.match(raw.split("#", 1)[0])
            if not match:
                continue
            key, value = match.group(1).lower(), match.group(2)
            if key == "user-agent":
                if current is None or not in_agents:
                    current = _Group()
                    groups.append(current)
                current.agents.append(value.lower())
                in_agents = True
                continue
            if key in ("allow", "disallow") and current is not None:
                in_agents = False
                if value:  # an empty Disallow allows everything: no rule
                    current.rules.append(_rule(key == "allow", value))
            elif key == "crawl-delay" and current is not None:
                in_agents = False
                with contextlib.suppress(ValueError):  # "Crawl-delay: soon" is no delay
                    current.crawl_delay = max(0.0, float(value))
        return cls(tuple(groups))

    def allows(self, url: str, tokens: Iterable[str]) -> bool:
        """Whether an agent known by ``tokens`` may fetch ``url`` (path and query are read)."""
        if self.disallow_all:
            return False
        parts = urlsplit(url)
        path = _normalise((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))
        if path == "/robots.txt":
            return True
        best: _Rule | None = None
        for rule in self._rules(tokens):
            if rule.matches(path) and (
                best is None
                or len(rule.pattern) > len(best.pattern)
                or (len(rule.pattern) == len(best.pattern) and rule.allow)
            ):
                best = rule
        return best is None or best.allow

    def crawl_delay(self, tokens: Iterable[str]) -> float | None:
        """The Crawl-delay of our group, capped at `MAX_CRAWL_DELAY`, if it sets one."""
        delays = [g.crawl_delay for g in self._groups(tokens) if g.crawl_delay is not None]
        return min(max(delays), MAX_CRAWL_DELAY) if delays else None

    def _groups(self, tokens: Iterable[str]) -> list[_Group]:
        wanted = {t.lower() for t in tokens}
        mine = [g for g in self.groups if wanted.intersection(g.agents)]
        return mine or [g for g in self.groups if "*" in g.agents]

    def _rules(self, tokens: Iterable[str]) -> list[_Rule]:
        return [rule for group in self._groups(tokens) for rule in group.rules]


ALLOW_ALL = RobotsRules()
DISALLOW_ALL = RobotsRules(disallow_all=True)


def product_tokens(user_agent: str) -> tuple[str, ...]:
    """The names robots.txt groups may use for us: the user agent's product token, and
    ``briefwatch`` (which `briefwatch.config` requires the user agent to carry)."""
    first = user_agent.split("/", 1)[0].split()[0] if user_agent.strip() else ""
    return tuple(dict.fromkeys(t.lower() for t in (first, "briefwatch") if t))


def _rule(allow: bool, value: str) -> _Rule:
    pattern = _normalise(value)
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    return _Rule(allow, pattern, tuple(body.split("*")), anchored)


def _normalise(path: str) -> str:
    """Percent-encode what is not printable ASCII; upper-case existing escapes."""
    encoded = quote(path, safe=_SAFE)
    return re.sub(r"%[0-9a-f]{2}", lambda m: m.group(0).upper(), encoded)


# -- the cache ---------------------------------------------------------------------------------


class Unreadable(Exception):
    """robots.txt could not be read for a reason that lies with the site (a 5xx or 429, a host
    that is down): remembered for `FAILURE_TTL`. ``failure`` is the fetcher's own exception."""

    def __init__(self, failure: Any) -> None:
        super().__init__(str(failure))
        self.failure = failure


@dataclass
class _Entry:
    rules: RobotsRules | None  # None: the last attempt failed (see ``failure``)
    failure: Unreadable | None
    fetched: float
    good: RobotsRules | None = None  # the last copy that was read, for when a refetch fails
    good_at: float = 0.0


class RobotsCache:
    """robots.txt per site (scheme, host and port), fetched once per `TTL` across all threads.

    ``load`` is the fetcher's: it returns the rules, or raises `Unreadable` when the site is at
    fault, which is remembered for `FAILURE_TTL` and re-raised to every caller in that time (a
    good copy read in the last day is used instead, if there is one). Any other exception (our
    own guard refusing the host) passes through and is not remembered: it depends on the caller.
    """

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def rules(self, site: str, load: Callable[[], RobotsRules]) -> RobotsRules:
        with self._lock:
            site_lock = self._locks.setdefault(site, threading.Lock())
        with site_lock:  # one fetch per site at a time; the others wait for its answer
            entry = self._entries.get(site)
            now = time.monotonic()
            if entry is not None:
                age = now - entry.fetched
                if entry.rules is not None and age < TTL:
                    return entry.rules
                if entry.rules is None and age < FAILURE_TTL:
                    return self._fallback(entry)
            good, good_at = (entry.good, entry.good_at) if entry else (None, 0.0)
            try:
                rules = load()
            except Unreadable as exc:
                self._entries[site] = _Entry(None, exc, now, good, good_at)
                return self._fallback(self._entries[site])
            self._entries[site] = _Entry(rules, None, now, rules, now)
            return rules

    def forget(self) -> None:
        with self._lock:
            self._entries.clear()

    @staticmethod
    def _fallback(entry: _Entry) -> RobotsRules:
        if entry.good is not None and time.monotonic() - entry.good_at < 24 * 3600:
            return entry.good  # RFC 9309: a cached copy may stand in while the site is down
        assert entry.failure is not None
        raise entry.failure


#: The process-wide cache every `briefwatch.fetch.client.Fetcher` reads.
CACHE = RobotsCache()
