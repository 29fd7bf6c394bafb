"""What a backfill may read: its date range, which sources have an archive, which sitemaps
of an index may hold stories of the range.

Pure functions over values (no network, no database), used by `briefwatch.backfill.run`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from briefwatch.clock import utcnow
from parsers.types import ListingEntry


@dataclass(frozen=True)
class Refusal:
    """Why a backfill cannot be done at all. ``reason`` is a stable code (``feed-has-no-archive``,
    ``single-article``, ``bad-range``); ``detail`` is the sentence a user reads."""

    reason: str
    detail: str

    def __str__(self) -> str:
        return f"{self.reason}: {self.detail}"


@dataclass(frozen=True)
class Range:
    """A backfill's dates: from ``since`` (inclusive) to ``until`` (exclusive), in UTC."""

    since: datetime
    until: datetime
    label: str  # as asked, e.g. "2020-10-01..2020-10-31" or "2020-10-01.." (up to its start)

    def covers(self, when: datetime) -> bool:
        return self.since <= when < self.until


def parse_range(since: str, until: str | None, now: datetime | None = None) -> Range | Refusal:
    """The range asked for: dates (``YYYY-MM-DD``, whole days, ``until`` included) or ISO 8601
    times (UTC unless they say so). No ``until``: up to ``now``."""
    now = now or utcnow()
    start = _moment(since, "since")
    if isinstance(start, Refusal):
        return start
    end = _moment(until, "until", end=True) if until else now
    if isinstance(end, Refusal):
        return end
    if start >= now:
        return Refusal("bad-range", f"since {since} is in the future: there is no archive yet")
    if start >= end:
        return Refusal("bad-range", f"since {since} is not before until {until}")
    return Range(start, end, f"{since.strip()}..{until.strip() if until else ''}")


def kind_refusal(kind: str, name: str, url: str) -> Refusal | None:
    """Why a source of ``kind`` cannot be backfilled, or ``None`` when it can (an index page or
    a sitemap; ``auto`` is decided by reading it)."""
    if kind == "feed":
        return Refusal(
            "feed-has-no-archive",
            f"{name} is a feed ({url}): a feed lists only its newest entries and cannot go "
            "back in time. Backfill the site's sitemap or a section page instead: add a source "
            'of kind "sitemap" or "index" for it.',
        )
    if kind == "article":
        return Refusal(
            "single-article",
            f"{name} is one article ({url}): it has no archive to go back through.",
        )
    return None


def sitemap_in_range(child: ListingEntry, wanted: Range) -> bool:
    """Whether a child sitemap of an index may list stories of the range: by the period its name
    carries, else by its ``lastmod`` (the newest change in it: before ``since``, nothing in it
    is in the range), else yes (undated: only reading it tells)."""
    start, end = period_of(child.url)
    if start is not None and end is not None:
        return start < wanted.until and end > wanted.since
    if child.published is not None:
        return child.published >= wanted.since
    return True


# A year, then optionally a month, then optionally a day, in a sitemap's name or path:
# sitemap-2020-11.xml, sitemap_2020_11_09.xml, /2020/11/, sitemap-20201109.xml, ?yyyy=2020.
_PERIOD = re.compile(
    r"(?<!\d)((?:19|20)\d\d)(?:([-_/.]?)(0[1-9]|1[0-2])(?:\2(0[1-9]|[12]\d|3[01]))?)?(?!\d)"
)


def period_of(url: str) -> tuple[datetime | None, datetime | None]:
    """The period a sitemap URL is named for, as (start, exclusive end) in UTC; ``(None, None)``
    when its name carries no date. The most specific date in the name wins."""
    parts = urlsplit(url)
    matches = list(_PERIOD.finditer(f"{parts.path}?{parts.query}"))
    if not matches:
        return None, None
    match = max(matches, key=lambda m: sum(1 for g in (m.group(3), m.group(4)) if g))
    year, _separator, month, day = match.groups()
    try:
        start = date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None, None
    if day:
        end = start + timedelta(days=1)
    elif month:
        end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    else:
        end = date(start.year + 1, 1, 1)
    return _midnight(start), _midnight(end)


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _moment(text: str, name: str, *, end: bool = False) -> datetime | Refusal:
    """A date (midnight UTC; with ``end``, the next midnight, so the day is included) or an
    ISO 8601 time (UTC unless it says so)."""
    value = text.strip()
    try:
        if len(value) == 10:
            start = _midnight(date.fromisoformat(value))
            return start + timedelta(days=1) if end else start
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return Refusal("bad-range", f"{name}: {text!r} is not a date (YYYY-MM-DD) or an ISO time")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
