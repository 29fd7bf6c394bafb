"""Time as briefwatch stores it: aware datetimes in UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands datetimes back naive; everything briefwatch stores is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def iso(value: datetime | None) -> str | None:
    """A stored time as JSON documents carry it: ISO 8601 with its UTC offset (``None`` stays
    ``None``: "never" in `--json` and in the web API alike)."""
    value = as_utc(value)
    return value.isoformat() if value else None
