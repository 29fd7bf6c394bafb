"""The one HTTP client of briefwatch.

`Fetcher.get` fetches one URL and returns either a `Fetched` page or a `FetchFailure` that says,
in a stable code and a sentence, why not. It never raises for network or HTTP trouble: every
library error is translated at the boundary (`briefwatch.fetch.failures`).

Layers, from the wire up:

* transport (`briefwatch.fetch.transport`): one requests session whose connections resolve each host
  once, ask the address guard (`briefwatch.fetch.guard`) about every address and connect to the
  approved one (no DNS-rebinding window; the name stays in Host, SNI and certificate checks);
  polite urllib3 retries; an overall deadline per request that cuts off a slow drip;
* politeness, per hop: robots.txt (`briefwatch.fetch.robots`, cached per site for the process) and
  per-host pacing (`briefwatch.fetch.pacing`: minimum delay, concurrency cap, Retry-After back-off),
  both shared by every fetcher of the process;
* policy (`Fetcher.get`): follow redirects by hand so each hop is checked again, conditional
  GET, a content-type allow-list, and a size cap counted on the decoded body while it streams.
"""

from __future__ import annotations

import codecs
import logging
import threading
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions as u3
from urllib3.util.retry import Retry

from briefwatch.config import FetchSettings
from briefwatch.fetch import pacing, robots, transport
from briefwatch.fetch.failures import (
    Stop,
    abandoned_stop,
    deadline_stop,
    host_of,
    naming_hop,
    out_of_time_stop,
    translating,
)
from briefwatch.fetch.guard import AddressRefused, AllowList
from parsers.types import Page

log = logging.getLogger(__name__)

#: Media types briefwatch can read: HTML pages, feeds and sitemaps. ``text/plain`` is left out on
#: purpose (parsers read markup); a caller that wants it (robots.txt) passes its own ``types``.
#: A response with no Content-Type at all is let through: parsers sniff and reject it themselves.
PAGE_TYPES: frozenset[str] = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/x-rss+xml",  # seen in the wild for feeds
        "application/x-atom+xml",
    }
)
ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1"
)
RETRY_STATUSES = transport.RETRY_STATUSES
RETRYABLE_STATUSES = RETRY_STATUSES | {408, 425, 429}  # worth another try in a later pass
MAX_RETRY_WAIT = 30.0  # seconds: longest Retry-After, backoff or back-off we sleep through
BARE_429_BACKOFF = 60.0  # seconds a host that says 429 without Retry-After is left alone
ROBOTS_TYPES = frozenset({"text/plain", "text/html"})  # robots.txt, or a soft-404 page for it
_CHUNK = 64 * 1024
# When the request being made in this thread must be over (`time.time()`), set by `Fetcher.get`:
# a context variable, so that the robots.txt fetch a request makes on the way keeps to it too.
_UNTIL: ContextVar[float | None] = ContextVar("briefwatch_fetch_until", default=None)


class Cutoff:
    """A way for another thread to end a caller's requests at once: the request in flight is
    cut off (its sockets shut, as at its deadline) and no other is sent, until the caller
    `close`s it (it is past the part that may be cut). `briefwatch.sources.group.harvest_group`
    gives one to each source, for its listing."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._limits: list[transport.Deadline] = []
        self.ended = False
        self.closed = False

    def end(self) -> None:
        with self._lock:
            if self.closed:
                return
            self.ended = True
            limits, self._limits = self._limits, []
        for limit in limits:
            limit.expire()

    def close(self) -> None:
        with self._lock:
            self.closed = True

    @contextmanager
    def holding(self, limit: transport.Deadline) -> Iterator[None]:
        with self._lock:
            ended = self.ended and not self.closed
            if not ended:
                self._limits.append(limit)
        if ended:
            limit.expire()
        try:
            yield
        finally:
            with self._lock:
                if limit in self._limits:
                    self._limits.remove(limit)


_CUTOFF: ContextVar[Cutoff | None] = ContextVar("briefwatch_fetch_cutoff", default=None)


@dataclass(frozen=True)
class Fetched:
    """A response briefwatch can read: a page (2xx) or "unchanged since last time" (304)."""

    url: str  # final URL after redirects
    status: int  # 2xx, or 304 when the conditional GET says unchanged
    body: bytes  # b"" on 304
    content_type: str  # media type only, lower case, e.g. "text/html"; "" when the server sent none
    charset: str | None  # from the Content-Type header, when it named one Python knows
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def page(self) -> Page:
        """The body as a parser input (an empty page on 304: check `not_modified` first).

        The same `Page` every time, so its decoded text and lxml tree are made once however
        many readers (kind detection, listing, article parser) look at it.
        """
        return self._page

    @cached_property
    def _page(self) -> Page:
        return Page(self.url, self.body, self.content_type, self.charset)


@dataclass(frozen=True)
class FetchFailure:
    """Why a URL could not be fetched.

    ``reason`` is a stable code to group by: ``bad-scheme``, ``bad-url``, ``blocked-address``,
    ``dns``, ``connection``, ``timeout``, ``tls``, ``broken-response``, ``http-status``,
    ``too-large``, ``too-many-redirects``, ``bad-content-type``, ``robots-disallowed``,
    ``robots-unavailable``, ``host-backoff``. ``detail`` is the sentence a user reads in
    ``briefwatch sources``. ``retryable`` says whether a later pass should try again.
    """

    url: str  # the URL that was asked for (a redirect hop that failed is named in detail)
    reason: str
    detail: str
    status: int | None = None
    retryable: bool = False

    def __str__(self) -> str:
        return f"{self.reason}: {self.detail}"


class Fetcher:
    """One HTTP client for a whole pass: a pooled session, the address guard, the policy.

    Use it as a context manager (or call `close`) so pooled connections are released. One
    fetcher may serve several threads: urllib3's pool and requests' cookie jar are thread-safe,
    and the robots.txt cache and pacing registry it consults are shared by the whole process.
    """

    def __init__(self, settings: FetchSettings, *, max_retry_wait: float = MAX_RETRY_WAIT) -> None:
        self.settings = settings
        self._allow = AllowList.parse(settings.allow_private)  # validated with the config
        self._timeout = (settings.connect_timeout, settings.read_timeout)
        self._session = transport.make_session(settings, self._allow, max_wait=max_retry_wait)
        self._max_retry_wait = max_retry_wait
        self._agents = robots.product_tokens(settings.user_agent)

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = ACCEPT,
        types: Collection[str] = PAGE_TYPES,
        until: float | None = None,
        cutoff: Cutoff | None = None,
    ) -> Fetched | FetchFailure:
        """Fetch ``url``; pass the validators remembered from the last fetch to get a cheap 304.

        ``until`` (a `time.time()`) is when the caller's time runs out (its source's or the
        pass's): the request is held to it as to its own deadline, whichever comes first, and
        is not sent at all once it has passed. ``cutoff`` lets another thread end it sooner.
        """
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        token, cut = _UNTIL.set(until), _CUTOFF.set(cutoff)
        try:
            return self._follow(url, headers, types, obey_robots=True)
        except Stop as stop:
            log.debug("fetch %s failed: %s", url, stop.detail)
            return FetchFailure(url, stop.reason, stop.detail, stop.status, stop.retryable)
        finally:
            _UNTIL.reset(token)
            _CUTOFF.reset(cut)

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- policy ------------------------------------------------------------------------------

    def _follow(
        self, url: str, headers: dict[str, str], types: Collection[str], *, obey_robots: bool
    ) -> Fetched:
        """Send, and follow redirects by hand: each hop goes through the scheme check, robots.txt,
        pacing and the guard again. Validators travel with every hop, because they belong to the
        final resource and the caller remembers them under the URL it asked for."""
        hop, seen = url, [url]
        for _ in range(self.settings.max_redirects + 1):
            with naming_hop(hop, url):
                prepared = self._prepare(hop, headers)
                crawl_delay = self._robots_allow(prepared.url or hop) if obey_robots else None
                with self._hop(prepared.url or hop, crawl_delay), self._send(prepared) as response:
                    target = self._session.get_redirect_target(response)
                    if target is None:
                        return self._finish(response, headers, types)
                    hop = urljoin(response.url, target)
            seen.append(hop)
        loop = " (a redirect loop)" if len(set(seen)) < len(seen) else ""
        raise Stop(
            "too-many-redirects",
            f"more than {self.settings.max_redirects} redirects{loop}, last to {hop}",
        )

    def _finish(
        self, response: requests.Response, sent: dict[str, str], types: Collection[str]
    ) -> Fetched:
        """Turn a final (non-redirect) response into a `Fetched`, or stop with the reason."""
        status = response.status_code
        etag = response.headers.get("ETag")
        last_modified = response.headers.get("Last-Modified")
        if status == 304 and ("If-None-Match" in sent or "If-Modified-Since" in sent):
            # An unchanged resource: keep the validators we sent when the 304 omits them.
            etag = etag or sent.get("If-None-Match")
            last_modified = last_modified or sent.get("If-Modified-Since")
            return Fetched(response.url, 304, b"", "", None, etag, last_modified)
        if not 200 <= status < 300:
            raise self._status_stop(response)
        media_type, charset = parse_content_type(response.headers.get("Content-Type"))
        if media_type and media_type not in types:
            raise Stop(
                "bad-content-type",
                f"{host_of(response.url)} sent {media_type}, not a page briefwatch reads",
                status,
            )
        body = self._read_capped(response)
        return Fetched(response.url, status, body, media_type, charset, etag, last_modified)

    def _status_stop(self, response: requests.Response) -> Stop:
        status = response.status_code
        detail = f"HTTP {status} from {host_of(response.url)}"
        attempts = _attempts(response)
        if attempts > 1:
            detail += f" after {attempts} attempts"
        if status in (301, 302, 303, 307, 308):
            detail += " without a Location to follow"
        wait = _retry_after(response)
        if wait is not None and wait > self._max_retry_wait:
            detail += f"; it asked to wait {wait:.0f} s, longer than one pass waits"
        if status == 429 or (status == 503 and wait is not None):
            # The host said "not now": every fetcher of the process leaves it alone that long.
            pacing.back_off(_authority(response.url), wait or BARE_429_BACKOFF)
        return Stop("http-status", detail, status, status in RETRYABLE_STATUSES)

    def _read_capped(self, response: requests.Response) -> bytes:
        """Read the decoded body, stopping as soon as it passes ``max_bytes``.

        requests decodes gzip/deflate/br while streaming and urllib3 bounds each decoded chunk, so
        counting what `iter_content` yields caps the decompressed size: a small gzip bomb stops
        here after ``max_bytes`` + one chunk, however far it would inflate.
        """
        host, limit = host_of(response.url), self.settings.max_bytes
        cap = f"the [fetch] max_bytes limit of {limit:,} bytes"
        declared = response.headers.get("Content-Length", "")
        encoded = response.headers.get("Content-Encoding", "identity").lower() != "identity"
        if declared.isdigit() and int(declared) > limit and not encoded:
            # An honest Content-Length over the cap: no need to read any of it.
            raise Stop("too-large", f"{host} announced {int(declared):,} bytes, more than {cap}")
        body = bytearray()
        with translating(response.url, self.settings):
            for chunk in response.iter_content(_CHUNK):
                body += chunk
                if len(body) > limit:
                    raise Stop("too-large", f"{host} sent more than {cap}")
        return bytes(body)

    # -- politeness --------------------------------------------------------------------------

    def _robots_allow(self, url: str) -> float | None:
        """Stop unless the site's robots.txt lets us fetch ``url``; return its Crawl-delay."""
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        try:
            rules = robots.CACHE.rules(site, lambda: self._load_robots(site))
        except robots.Unreadable as exc:
            failure = exc.failure  # a fresh Stop each time: a cached one is shared by threads
            raise Stop(failure.reason, failure.detail, failure.status, failure.retryable) from None
        if not rules.allows(url, self._agents):
            path = parts.path or "/"
            detail = f"{site}/robots.txt does not allow {self._agents[0]} to fetch {path}"
            raise Stop("robots-disallowed", detail)
        return rules.crawl_delay(self._agents)

    def _load_robots(self, site: str) -> robots.RobotsRules:
        """Fetch and parse a site's robots.txt, reading the status as RFC 9309 asks."""
        try:
            fetched = self._follow(
                f"{site}/robots.txt", {"Accept": "text/plain"}, ROBOTS_TYPES, obey_robots=False
            )
        except Stop as stop:
            if stop.reason == "http-status" and stop.status not in RETRYABLE_STATUSES:
                return robots.ALLOW_ALL  # 404 and friends: the site has no rules
            if stop.reason in ("bad-content-type", "too-large", "too-many-redirects"):
                return robots.ALLOW_ALL  # no robots.txt we can read: RFC 9309 reads it as none
            if stop.reason == "http-status":  # 429, 5xx: "disallow all" until it answers
                detail = (
                    f"{host_of(site)} answered HTTP {stop.status} for robots.txt, so nothing "
                    "is fetched from it until its rules can be read"
                )
                stop = Stop("robots-unavailable", detail, stop.status, retryable=True)
            if stop.retryable:  # the site is down or refusing: remember it for a while
                raise robots.Unreadable(stop) from None
            raise  # refused by our own guard or settings: the page would fail the same way
        return robots.RobotsRules.parse(fetched.body.decode("utf-8", "replace"))

    @contextmanager
    def _hop(self, url: str, crawl_delay: float | None) -> Iterator[None]:
        """Hold a pacing slot for the host and a deadline for the request, for one hop.

        Hosts listed in ``allow_private`` are the user's own and are not paced unless
        ``pace_private`` says so; a Retry-After back-off is honoured for every host.
        """
        host = host_of(url)
        own = self._allow.lists_host(host) and not self.settings.pace_private
        delay = 0.0 if own else max(self.settings.host_delay, crawl_delay or 0.0)
        until, cutoff = _UNTIL.get(), _CUTOFF.get()
        max_wait = self._max_retry_wait
        if until is not None:  # no longer waited for a host than the caller has left
            max_wait = min(max_wait, max(until - time.time(), 0.0))
        try:
            with pacing.slot(
                _authority(url),
                delay=delay,
                concurrency=None if own else self.settings.host_concurrency,
                max_wait=max_wait,
            ):
                # Measured once the slot is ours: waiting for it took some of the caller's time.
                seconds, cut_short = self.settings.deadline, False
                if until is not None:  # the caller's time, if it ends first, is the deadline
                    left = until - time.time()
                    if left <= 0:
                        raise out_of_time_stop(host)
                    if left < seconds:
                        seconds, cut_short = left, True

                def expired() -> Stop:
                    if cutoff is not None and cutoff.ended:
                        return abandoned_stop(host)
                    return out_of_time_stop(host) if cut_short else deadline_stop(host, seconds)

                if cutoff is not None and cutoff.ended:
                    raise abandoned_stop(host)
                with (
                    transport.deadline(seconds, delay) as limit,
                    cutoff.holding(limit) if cutoff is not None else nullcontext(),
                ):
                    try:
                        yield
                    except transport.DeadlineExceeded:
                        raise expired() from None
                    except Stop:
                        if limit.expired:  # the drip was cut off: whatever broke, that is why
                            raise expired() from None
                        raise
                    if limit.expired:  # a body without a length "ended" when we cut it off
                        raise expired()
        except pacing.HostBackingOff as exc:
            detail = (
                f"{host} asked briefwatch to wait {exc.wait:.0f} s more (429/503 Retry-After); "
                "the URL is tried again in a later pass"
            )
            raise Stop("host-backoff", detail, retryable=True) from None

    # -- one hop -----------------------------------------------------------------------------

    @contextmanager
    def _send(self, prepared: requests.PreparedRequest) -> Iterator[requests.Response]:
        """Send one GET without following redirects; the response streams and is closed when
        the block ends. The transport resolves, guards and pins the address as it connects."""
        url = prepared.url or ""
        with translating(url, self.settings):
            try:
                response = self._session.send(
                    prepared, stream=True, allow_redirects=False, timeout=self._timeout
                )
            except AddressRefused as exc:
                raise Stop("blocked-address", str(exc)) from None
            except u3.LocationParseError as exc:
                raise Stop("bad-url", f"cannot look up the host of {url}: {exc}") from None
        try:
            yield response
        finally:
            response.close()

    def _prepare(self, url: str, headers: dict[str, str]) -> requests.PreparedRequest:
        try:
            scheme = urlsplit(url).scheme.lower()
        except ValueError as exc:
            raise Stop("bad-url", f"{url!r} is not a valid URL: {exc}") from None
        if scheme not in ("http", "https"):
            what = f"{scheme}://" if scheme else "no scheme"
            raise Stop("bad-scheme", f"only http:// and https:// URLs are fetched, not {what}")
        try:
            prepared = self._session.prepare_request(requests.Request("GET", url, headers=headers))
            if not urlsplit(prepared.url or "").hostname:
                raise ValueError("no host name")
        except (requests.RequestException, ValueError) as exc:
            raise Stop("bad-url", f"{url!r} is not a valid URL: {exc}") from None
        return prepared


# -- small helpers -----------------------------------------------------------------------------


def parse_content_type(value: str | None) -> tuple[str, str | None]:
    """``"text/html; charset=UTF-8"`` -> ``("text/html", "utf-8")``.

    The charset is kept only when Python knows it, so a later decode cannot fail on a made-up
    name; the encoding cascade (BOM, meta, detection) is the parser's job, and so is refusing
    what browsers refuse (UTF-7: `parsers.encoding.REFUSED`), where it is recorded as refused.
    """
    if not value:
        return "", None
    media_type, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'").lower() or None
    if charset:
        try:
            codecs.lookup(charset)
        except LookupError:
            charset = None
    return media_type.strip().lower(), charset


def _authority(url: str) -> str:
    """The pacing key of a URL: host and port (one server, whatever the path or scheme)."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{(parts.hostname or '').lower()}:{port}"


def _attempts(response: requests.Response) -> int:
    """How many requests urllib3 made for this response (retries included)."""
    retries = getattr(response.raw, "retries", None)
    return len(retries.history) + 1 if retries is not None else 1


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return Retry(retry_after_max=10**9).parse_retry_after(value)
    except u3.InvalidHeader:
        return None
