"""The one HTTP client of briefwatch.

`Fetcher.get` fetches one URL and returns either a `Fetched` page or a `FetchFailure` that says,
in a stable code and a sentence, why not. It never raises for network or HTTP trouble: every
requests/urllib3/socket error is translated here, at the library boundary.

Layers, from the wire up:

* transport: one `requests.Session` with an `HTTPAdapter` whose urllib3 `Retry` retries
  500/502/503/504, connect and read timeouts with exponential backoff, and waits as asked by a
  ``Retry-After`` on 429/503 (up to ``max_retry_wait``; a longer wait is not retried in this pass);
* one hop (`Fetcher._send`): scheme check, resolve the host, ask the address guard
  (`briefwatch.netguard`) about every address, then send, with redirects off;
* policy (`Fetcher.get`): follow redirects by hand so each hop is checked again, conditional GET,
  content-type allow-list, and a size cap counted on the decoded body while it streams in.

DNS rebinding. The guard resolves the host name itself; urllib3 then resolves it a second time
when it opens the connection. A hostile DNS server with a short TTL can answer the first lookup
with a public address and the second with 127.0.0.1 or 169.254.169.254, and the request goes
through. (Hosts written as IP literals have no such window; nor does anything listed in
``allow_private``, which the user trusts.) Issue 4 closes the window by pinning: a custom
`HTTPAdapter` whose urllib3 connection classes connect to the address the guard approved (or
resolve and check inside ``_new_conn``, so one lookup serves both the check and the connect),
while the host name stays in the Host header, SNI and certificate verification.
"""

from __future__ import annotations

import codecs
import logging
import socket
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.client import HTTPException
from typing import Any, NoReturn
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions as u3
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from briefwatch.config import FetchSettings
from briefwatch.netguard import AllowList, check_address, resolve
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
RETRY_STATUSES = frozenset({500, 502, 503, 504})
RETRYABLE_STATUSES = RETRY_STATUSES | {408, 425, 429}  # worth another try in a later pass
MAX_RETRY_WAIT = 30.0  # seconds: longest Retry-After or backoff we sleep through within a pass
_CHUNK = 64 * 1024


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
        """The body as a parser input (an empty page on 304: check `not_modified` first)."""
        return Page(self.url, self.body, self.content_type, self.charset)


@dataclass(frozen=True)
class FetchFailure:
    """Why a URL could not be fetched.

    ``reason`` is a stable code to group by: ``bad-scheme``, ``bad-url``, ``blocked-address``,
    ``dns``, ``connection``, ``timeout``, ``tls``, ``broken-response``, ``http-status``,
    ``too-large``, ``too-many-redirects``, ``bad-content-type``. ``detail`` is the sentence a user
    reads in ``briefwatch sources``. ``retryable`` says whether a later pass should try again.
    """

    url: str  # the URL that was asked for (a redirect hop that failed is named in detail)
    reason: str
    detail: str
    status: int | None = None
    retryable: bool = False

    def __str__(self) -> str:
        return f"{self.reason}: {self.detail}"


class _Stop(Exception):
    """Internal: ends a fetch early; `Fetcher.get` turns it into a `FetchFailure`."""

    def __init__(
        self, reason: str, detail: str, status: int | None = None, retryable: bool = False
    ) -> None:
        super().__init__(detail)
        self.reason, self.detail, self.status, self.retryable = reason, detail, status, retryable


class Fetcher:
    """One HTTP client for a whole pass: a pooled session, the address guard, the policy.

    Use it as a context manager (or call `close`) so pooled connections are released. One
    fetcher may serve several threads: urllib3's pool and requests' cookie jar are thread-safe.
    """

    def __init__(self, settings: FetchSettings, *, max_retry_wait: float = MAX_RETRY_WAIT) -> None:
        self.settings = settings
        self._allow = AllowList.parse(settings.allow_private)  # validated with the config
        self._timeout = (settings.connect_timeout, settings.read_timeout)
        self._session = _session(settings, max_retry_wait)
        self._max_retry_wait = max_retry_wait

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = ACCEPT,
        types: Collection[str] = PAGE_TYPES,
    ) -> Fetched | FetchFailure:
        """Fetch ``url``; pass the validators remembered from the last fetch to get a cheap 304."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            return self._follow(url, headers, types)
        except _Stop as stop:
            log.debug("fetch %s failed: %s", url, stop.detail)
            return FetchFailure(url, stop.reason, stop.detail, stop.status, stop.retryable)

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- policy ------------------------------------------------------------------------------

    def _follow(self, url: str, headers: dict[str, str], types: Collection[str]) -> Fetched:
        """Send, and follow redirects by hand: each hop goes through the scheme check and the
        guard again. Validators travel with every hop, because they belong to the final resource
        and the caller remembers them under the URL it asked for."""
        hop, seen = url, [url]
        for _ in range(self.settings.max_redirects + 1):
            with _naming_hop(hop, url), self._send(hop, headers) as response:
                target = self._session.get_redirect_target(response)
                if target is None:
                    return self._finish(response, headers, types)
                hop = urljoin(response.url, target)
            seen.append(hop)
        loop = " (a redirect loop)" if len(set(seen)) < len(seen) else ""
        raise _Stop(
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
            raise _Stop(
                "bad-content-type",
                f"{_host(response.url)} sent {media_type}, not a page briefwatch reads",
                status,
            )
        body = self._read_capped(response)
        return Fetched(response.url, status, body, media_type, charset, etag, last_modified)

    def _status_stop(self, response: requests.Response) -> _Stop:
        status = response.status_code
        detail = f"HTTP {status} from {_host(response.url)}"
        attempts = _attempts(response)
        if attempts > 1:
            detail += f" after {attempts} attempts"
        if status in (301, 302, 303, 307, 308):
            detail += " without a Location to follow"
        wait = _retry_after(response)
        if wait is not None and wait > self._max_retry_wait:
            detail += f"; it asked to wait {wait:.0f} s, longer than one pass waits"
        return _Stop("http-status", detail, status, status in RETRYABLE_STATUSES)

    def _read_capped(self, response: requests.Response) -> bytes:
        """Read the decoded body, stopping as soon as it passes ``max_bytes``.

        requests decodes gzip/deflate/br while streaming and urllib3 bounds each decoded chunk, so
        counting what `iter_content` yields caps the decompressed size: a small gzip bomb stops
        here after ``max_bytes`` + one chunk, however far it would inflate.
        """
        host, limit = _host(response.url), self.settings.max_bytes
        cap = f"the [fetch] max_bytes limit of {limit:,} bytes"
        declared = response.headers.get("Content-Length", "")
        encoded = response.headers.get("Content-Encoding", "identity").lower() != "identity"
        if declared.isdigit() and int(declared) > limit and not encoded:
            # An honest Content-Length over the cap: no need to read any of it.
            raise _Stop("too-large", f"{host} announced {int(declared):,} bytes, more than {cap}")
        body = bytearray()
        with _translating(response.url, self.settings):
            for chunk in response.iter_content(_CHUNK):
                body += chunk
                if len(body) > limit:
                    raise _Stop("too-large", f"{host} sent more than {cap}")
        return bytes(body)

    # -- one hop -----------------------------------------------------------------------------

    @contextmanager
    def _send(self, url: str, headers: dict[str, str]) -> Iterator[requests.Response]:
        """Check, guard and send one GET without following redirects; the response streams and
        is closed when the block ends."""
        prepared = self._prepare(url, headers)
        self._guard(prepared.url or url)
        with _translating(url, self.settings):
            response = self._session.send(
                prepared, stream=True, allow_redirects=False, timeout=self._timeout
            )
        try:
            yield response
        finally:
            response.close()

    def _prepare(self, url: str, headers: dict[str, str]) -> requests.PreparedRequest:
        try:
            scheme = urlsplit(url).scheme.lower()
        except ValueError as exc:
            raise _Stop("bad-url", f"{url!r} is not a valid URL: {exc}") from None
        if scheme not in ("http", "https"):
            what = f"{scheme}://" if scheme else "no scheme"
            raise _Stop("bad-scheme", f"only http:// and https:// URLs are fetched, not {what}")
        try:
            prepared = self._session.prepare_request(requests.Request("GET", url, headers=headers))
            if not urlsplit(prepared.url or "").hostname:
                raise ValueError("no host name")
        except (requests.RequestException, ValueError) as exc:
            raise _Stop("bad-url", f"{url!r} is not a valid URL: {exc}") from None
        return prepared

    def _guard(self, url: str) -> None:
        """Resolve the hop's host and refuse it unless every address may be reached.

        This lookup is ours, not the one urllib3 makes to connect: see the module docstring on
        the DNS-rebinding window this leaves and how pinning closes it.
        """
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            addresses = resolve(host, port)
        except socket.gaierror as exc:
            raise _Stop("dns", f"{host} did not resolve: {exc.strerror}", retryable=True) from None
        except (UnicodeError, OSError) as exc:
            raise _Stop("bad-url", f"cannot look up host {host!r}: {exc}") from None
        refusal = check_address(host, addresses, self._allow)
        if refusal:
            raise _Stop("blocked-address", refusal)


# -- transport ---------------------------------------------------------------------------------


class _PoliteRetry(Retry):
    """urllib3's `Retry`, with backoff from the first retry and a ceiling on Retry-After.

    A server that asks for a longer wait than ``max_wait`` is not retried in this pass (retrying
    sooner than asked is rude, waiting longer stalls the pass); the response is returned as is
    and the failure is marked retryable for a later pass.
    """

    def __init__(self, *args: Any, max_wait: float = MAX_RETRY_WAIT, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_wait = max_wait

    def new(self, **kw: Any) -> _PoliteRetry:
        kw.setdefault("max_wait", self.max_wait)
        return super().new(**kw)

    def get_backoff_time(self) -> float:
        # urllib3 retries the first failure at once; an origin that just said 503 gets a pause.
        errors = 0
        for item in reversed(self.history):
            if item.redirect_location is not None:
                break
            errors += 1
        if errors == 0:
            return 0.0
        return min(self.backoff_max, self.backoff_factor * 2 ** (errors - 1))

    def increment(
        self, method: Any = None, url: Any = None, response: Any = None, **kw: Any
    ) -> Any:
        if response is not None:
            try:
                wait = self.get_retry_after(response)
            except u3.InvalidHeader:
                wait = None  # an unreadable Retry-After: fall back to our own backoff
            if wait is not None and wait > self.max_wait:
                reason = u3.ResponseError(f"Retry-After {wait:.0f} s is longer than we wait")
                raise u3.MaxRetryError(kw.get("_pool"), url, reason)
        return super().increment(method, url, response, **kw)


def _session(settings: FetchSettings, max_wait: float) -> requests.Session:
    session = requests.Session()
    # No proxies, .netrc or CA bundle from the environment: a proxy would resolve and connect on
    # its own, out of the guard's sight, and a fetcher must behave the same under every shell.
    session.trust_env = False
    session.headers["User-Agent"] = settings.user_agent
    retry = _PoliteRetry(
        total=settings.retries,
        other=0,  # TLS and other errors that a quick retry will not fix
        redirect=False,  # redirects are ours to follow, hop by hop
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "HEAD"}),
        backoff_factor=settings.backoff,
        backoff_max=max_wait,
        retry_after_max=int(max_wait) + 1,
        raise_on_status=False,  # give us the last response; we word the failure ourselves
        max_wait=max_wait,
    )
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


# -- translating library errors ----------------------------------------------------------------


@contextmanager
def _naming_hop(hop: str, asked: str) -> Iterator[None]:
    """Prefix failures at a redirect hop with where the redirect led, so the user sees why."""
    try:
        yield
    except _Stop as stop:
        if hop != asked:
            stop.detail = f"redirected to {hop}: {stop.detail}"
        raise


@contextmanager
def _translating(url: str, settings: FetchSettings) -> Iterator[None]:
    """Turn any requests/urllib3/socket error raised in the block into a `_Stop`."""
    try:
        yield
    except (requests.RequestException, u3.HTTPError, HTTPException, OSError) as exc:
        _explain(exc, _host(url), settings)


def _explain(exc: BaseException, host: str, settings: FetchSettings) -> NoReturn:
    """Raise the `_Stop` a user can act on for a library exception, from its whole cause chain
    (requests wraps urllib3, which wraps the socket error)."""
    chain = list(_causes(exc))

    def has(*types: type[BaseException]) -> bool:
        return any(isinstance(e, types) for e in chain)

    retried = has(u3.MaxRetryError) and settings.retries > 0
    after = f" after {settings.retries + 1} attempts" if retried else ""
    os_reason = next((e.strerror for e in chain if isinstance(e, OSError) and e.strerror), None)
    if has(u3.NameResolutionError, socket.gaierror):
        raise _Stop("dns", f"{host} did not resolve: {os_reason or exc}", retryable=True)
    if has(u3.NewConnectionError, ConnectionRefusedError):
        why = os_reason or "connection failed"
        raise _Stop("connection", f"could not connect to {host}{after}: {why}", retryable=True)
    if has(u3.ConnectTimeoutError, requests.ConnectTimeout):
        wait = settings.connect_timeout
        detail = f"could not connect to {host} within {wait:g} s{after}"
        raise _Stop("timeout", detail, retryable=True)
    if has(u3.ReadTimeoutError, requests.ReadTimeout, TimeoutError):
        wait = settings.read_timeout
        raise _Stop("timeout", f"{host} sent nothing for {wait:g} s{after}", retryable=True)
    if has(u3.SSLError, requests.exceptions.SSLError):
        raise _Stop("tls", f"TLS with {host} failed: {_last_words(chain)}", retryable=True)
    if has(u3.DecodeError, requests.exceptions.ContentDecodingError):
        detail = f"{host} sent a compressed body that does not decompress"
        raise _Stop("broken-response", detail, retryable=True)
    if has(u3.ProtocolError, requests.exceptions.ChunkedEncodingError, HTTPException):
        detail = f"{host} broke off the response{after}: {_last_words(chain)}"
        raise _Stop("broken-response", detail, retryable=True)
    detail = f"fetching from {host} failed: {_last_words(chain)}"
    raise _Stop("connection", detail, retryable=True)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything it wraps: args, urllib3 ``reason``, ``__cause__``, context."""
    todo, seen = [exc], set()
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        inner = [*current.args, getattr(current, "reason", None)]
        inner += [current.__cause__, current.__context__]
        todo += [e for e in inner if isinstance(e, BaseException)]


def _last_words(chain: list[BaseException]) -> str:
    """The innermost message in the chain: usually the one that says what actually went wrong."""
    for exc in reversed(chain):
        text = str(exc).strip()
        if text:
            return text
    return type(chain[-1]).__name__


# -- small helpers -----------------------------------------------------------------------------


def parse_content_type(value: str | None) -> tuple[str, str | None]:
    """``"text/html; charset=UTF-8"`` -> ``("text/html", "utf-8")``.

    The charset is kept only when Python knows it, so a later decode cannot fail on a made-up
    name; the encoding cascade (BOM, meta, detection) is the parser's job.
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


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or url
    except ValueError:
        return url
