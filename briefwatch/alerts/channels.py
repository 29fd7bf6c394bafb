"""The edge where messages leave: one channel, one message, through Apprise.

A channel is an Apprise URL or an Apprise config file (YAML or text) narrowed by tags. Apprise
never raises on a failed delivery, so its warnings are collected to say why a send failed; the
channel's URL is a secret and never appears in what is returned.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import unquote

import apprise
from apprise.decorators import notify as apprise_notifier
from apprise.manager_plugins import NotificationManager
from apprise.utils.parse import parse_urls

from briefwatch.alerts.messages import Message, check_message
from briefwatch.config import ChannelSettings
from briefwatch.errors import ConfigError


@apprise_notifier(on="console", name="briefwatch console")
def _console(body: str, title: str, notify_type: str, *args: object, **kwargs: object) -> bool:
    """`console://` prints alerts in the terminal briefwatch runs in."""
    bar = "─" * 72
    print(f"\n{bar}\n🔔 {title}\n{bar}\n{body}\n", file=sys.stdout, flush=True)
    return True


def unresolved(channel: ChannelSettings) -> str | None:
    """Why ``channel`` cannot be used from here, or None: a ``block:`` URL is read by the
    Prefect flow (flows/secrets.py), never by the core."""
    if channel.block is None:
        return None
    return (
        f"channel {channel.name!r} reads its URL from the Prefect Secret block "
        f"{channel.block!r}, which only a Prefect run resolves"
    )


@dataclass(frozen=True)
class Service:
    """One service a channel fans out to (one URL of several, or one entry of its Apprise
    config file), sent to on its own so that each keeps its own outcome."""

    key: str  # a one-way digest of its Apprise identity: stored, never the URL
    label: str  # "json #2": its scheme and place in the channel, no part of the URL
    notifier: apprise.Apprise  # Apprise with this one service in it


def services(channel: ChannelSettings) -> list[Service] | str:
    """The services ``channel`` sends to, each on its own, or why it cannot send at all."""
    notifier = apprise.Apprise()
    tag: object = apprise.common.MATCH_ALL_TAG
    if channel.config is not None:
        config = apprise.AppriseConfig()
        config.add(str(channel.config))
        notifier.add(config)
        tag = channel.tags or apprise.common.MATCH_ALL_TAG
        found = list(notifier.find(tag))
        if not found:
            wanted = f" tagged {', '.join(channel.tags)}" if channel.tags else ""
            return f"channel {channel.name!r}: its Apprise config file has no usable entry{wanted}"
    else:
        problem = unresolved(channel)
        if problem:
            return problem
        assert channel.url is not None  # the config allows a url or a config file, never neither
        if not notifier.add(channel.url.get_secret_value()):
            return f"channel {channel.name!r} has an invalid Apprise URL"
        found = list(notifier)
    out: dict[str, Service] = {}
    for position, plugin in enumerate(found, start=1):
        key = _service_key(plugin)
        if key in out:  # the same service listed twice is one service: it gets each alert once
            continue
        one = apprise.Apprise()
        one.add(plugin)
        scheme = plugin.url(privacy=True).partition("://")[0][:20] or type(plugin).__name__
        out[key] = Service(key, f"{scheme} #{position}", one)
    return list(out.values())


def _service_key(plugin: object) -> str:
    """Which service this is, as a digest: Apprise's identity of a service (its scheme, host,
    credentials and path, not its options) so that reordering a channel's URLs, or adding one,
    keeps each service's record; hashed because it holds the service's token."""
    identity = getattr(plugin, "url_identifier", None)
    if identity is None:  # a custom plugin (our console://): its whole URL
        identity = plugin.url(privacy=False)  # type: ignore[attr-defined]
    return hashlib.sha256(repr(identity).encode()).hexdigest()[:32]


# What Apprise's warnings quote of a URL they reject: a value in parentheses or quotes, a URL,
# or whatever follows a colon. Cut out, and then any piece of the URL left, so that a token
# never reaches our output.
_QUOTED = re.compile(r"""\([^)]*\)|'[^']*'|"[^"]*"|\S+://\S*|:\s.*$""")
_PIECES = re.compile(r"[^/:@?&=#,;+\s]{2,}")


def url_problem(url: str) -> str | None:
    """Why Apprise will not use ``url`` (None: it will): Apprise's own parsing says (its plugin's
    `add` refuses it), in the words of the warnings the plugin logs, with every part of the URL
    cut out of them: the URL may carry a token. Several URLs (comma or space between them, as
    Apprise splits them) are checked one by one, and the one refused is named by its place:
    checked as one, Apprise's refusal of the second named the first one's service."""
    urls = parse_urls(url) or [url]
    if len(urls) == 1:
        return _one_url_problem(urls[0])
    for place, one in enumerate(urls, start=1):
        problem = _one_url_problem(one)
        if problem:
            return f"URL {place} of {len(urls)}: {problem}"
    return None


def _one_url_problem(url: str) -> str | None:
    logger = logging.getLogger(apprise.logger.name)
    propagate, logger.propagate = logger.propagate, False  # not to the terminal nor Prefect's log
    try:
        with apprise.LogCapture(level=logging.WARNING, fmt="%(levelname)s %(message)s") as log:
            accepted = apprise.Apprise().add(url)
    finally:
        logger.propagate = propagate
    if accepted:
        return None
    scheme = url.partition("://")[0].lower() if "://" in url else ""
    if not re.fullmatch(r"[a-z][a-z0-9+.-]*", scheme):
        return "not an Apprise URL (such as slack://..., mailto://... or json://...)"
    if scheme not in NotificationManager():
        return f"Apprise has no service for {scheme}://"
    said = _warnings(log.getvalue(), url)
    return f"Apprise's {scheme}:// service refuses it" + (f": {said}" if said else "")


def _warnings(log: str, url: str) -> str:
    """The WARNING lines of ``log``, without anything they quote or any piece of ``url``."""
    pieces = sorted(
        {p for part in _PIECES.findall(url) for p in (part, unquote(part))}, key=len, reverse=True
    )
    said = []
    for line in log.splitlines():
        if not line.startswith("WARNING "):
            continue
        text = _QUOTED.sub("", line.removeprefix("WARNING "))
        for piece in pieces:
            text = text.replace(piece, "…")
        text = " ".join(text.split()).rstrip(" .")
        if text and text not in said:
            said.append(text)
    return "; ".join(said)


def check_urls(channels: Sequence[ChannelSettings]) -> None:
    """Raise `ConfigError` naming the first channel whose URL Apprise will not use (a
    ``block:`` URL is checked once the flow has read it): a channel that could never receive
    anything stops the run before it starts, instead of failing quietly at every send."""
    for index, channel in enumerate(channels):
        if channel.url is None or channel.block is not None:
            continue
        problem = url_problem(channel.url.get_secret_value())
        if problem:
            raise ConfigError(f"channels[{index}] ({channel.name}).url: {problem}")


# What one send ends in. "unknown": the channel was handed the message and did not answer in
# time (it read the request, then hung, or answered at a drip): it may have shown the message,
# so it is not sent again on its own (`briefwatch alerts --resend-unknown`, once checked).
SENT, FAILED, UNKNOWN = "sent", "failed", "unknown"
# No send waits longer than this for its channel, whatever the channel does (Apprise's own limit
# per service is 60 s; each wait on a socket is also cut to it, 4 s by default).
DELIVERY_TIMEOUT = 20.0


def deliver(
    channel: ChannelSettings, message: Message, timeout: float | None = None
) -> tuple[str, str | None]:
    """Send one message to every service of one channel, one after the other (`briefwatch
    channels test`): (`SENT`, None) when all took it, else the worst outcome and why, naming
    each service that did not (`UNKNOWN` over `FAILED`: it may have arrived)."""
    found = services(channel)
    if isinstance(found, str):
        return FAILED, found
    outcomes = [(s, *deliver_to(s, message, timeout)) for s in found]
    bad = [(s, state, why) for s, state, why in outcomes if state != SENT]
    if not bad:
        return SENT, None
    state = UNKNOWN if any(b[1] == UNKNOWN for b in bad) else FAILED
    if len(found) == 1:
        return state, bad[0][2]
    return state, "; ".join(f"{s.label}: {why}" for s, _, why in bad)


def deliver_to(
    service: Service, message: Message, timeout: float | None = None
) -> tuple[str, str | None]:
    """Send one message to one service: (`SENT`, None), (`FAILED`, why: nothing arrived, it is
    tried again) or (`UNKNOWN`, why: handed over, no answer). ``timeout``: no wait on the
    service (connecting, or for its answer) is longer than that many seconds, and the whole
    send no longer than `DELIVERY_TIMEOUT` (or ``timeout``, if less)."""
    notifier = service.notifier
    limit = DELIVERY_TIMEOUT if timeout is None else max(min(timeout, DELIVERY_TIMEOUT), 0.1)
    _cap_timeouts(notifier, limit)
    complaints: list[str] = []
    started = time.monotonic()
    try:
        with _unanswered() as unanswered:
            result = notifier.notify(
                body=message.body,
                title=message.title,
                notify_type=message.notify_type,
                body_format=apprise.NotifyFormat.MARKDOWN,
                tag=apprise.common.MATCH_ALL_TAG,  # the channel's tags chose the service
                timeout=limit,
                log_callback=lambda entry, _plugin: complaints.append(entry.message),
                log_level=30,  # warnings and errors only
            )
    except Exception as exc:  # a plugin's bug is this service's failure, not the pass's end
        return FAILED, f"{type(exc).__name__}: {exc}"
    if bool(result):
        return SENT, None
    if result.status == apprise.AppriseResultStatus.TIMEOUT or unanswered:
        waited = time.monotonic() - started
        return UNKNOWN, (
            f"the channel took the message and gave no answer in {waited:.0f} s: it may have "
            "arrived, so it is not sent again (check the channel, then alerts --resend-unknown)"
        )
    return FAILED, "; ".join(complaints[-3:]) or "the channel did not accept the message"


class _ReadTimeouts(logging.Filter):
    """Counts what Apprise's services log of a read timeout (requests' `ReadTimeout`, logged at
    DEBUG as "Socket Exception: ... Read timed out."): the request went out and no answer came.
    Records below WARNING are dropped here, whatever level a desk sets: Apprise's debug and
    info lines quote the URLs they post to ("JSON POST URL: http://host/hook/TOKEN"), and a
    channel's URL is a secret."""

    def __init__(self) -> None:
        super().__init__()
        self.seen = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if "read timed out" in record.getMessage().lower():
            self.seen += 1
        return record.levelno >= logging.WARNING


class _Quiet(logging.Filter):
    """Drops a library's records below WARNING, always: Apprise logs each URL it loads at DEBUG
    ("Loaded JSON URL: json://host/hook/TOKEN"), urllib3 each request line ("POST /hook/TOKEN
    HTTP/1.1"), and a channel's URL is a secret - also for a desk that turns logging up to
    DEBUG to see why a channel fails."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING


_QUIET = _Quiet()
for _name in (apprise.logger.name, "urllib3.connectionpool"):
    logging.getLogger(_name).addFilter(_QUIET)


class _Unanswered:
    def __init__(self, counter: _ReadTimeouts) -> None:
        self.counter = counter

    def __bool__(self) -> bool:
        return self.counter.seen > 0


@contextlib.contextmanager
def _unanswered() -> Iterator[_Unanswered]:
    """While the block sends: whether any service of it timed out reading its answer."""
    logger = logging.getLogger(apprise.logger.name)
    level = logger.level
    counter = _ReadTimeouts()  # (it drops what `_QUIET` drops, once it has counted it)
    logger.removeFilter(_QUIET)
    logger.addFilter(counter)
    logger.setLevel(logging.DEBUG)
    try:
        yield _Unanswered(counter)
    finally:
        logger.setLevel(level)
        logger.removeFilter(counter)
        logger.addFilter(_QUIET)


def _cap_timeouts(notifier: apprise.Apprise, timeout: float) -> None:
    """Each of the notifier's services waits at most ``timeout`` s for a connection and for each
    read of its answer (Apprise's `socket_connect_timeout` / `socket_read_timeout`, 4 s by
    default for most services, per request: a channel that accepts and never answers costs a
    send no more)."""
    for service in notifier:
        for name in ("socket_connect_timeout", "socket_read_timeout"):
            current = getattr(service, name, None)
            if isinstance(current, int | float):
                setattr(service, name, min(float(current), timeout))


def check(channel: ChannelSettings) -> str | None:
    """Send `briefwatch channels test`'s message to ``channel``: None if it went, else why not."""
    state, error = deliver(channel, check_message(channel.name))
    return None if state == SENT else error
