"""RSS 0.9x, 1.0 and 2.0 and Atom feeds, read with feedparser, as a `Listing` of articles."""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from parsers.text import element_text, normalize_space
from parsers.types import Listing, ListingEntry, Page, Rejection


def parse_feed(page: Page) -> Listing | Rejection:
    """The entries of a feed, with absolute URLs and timezone-aware times, or why there are none.

    A body feedparser cannot read as a feed (its ``bozo`` flag with no entries) is rejected; a
    well-formed feed with no items is an empty listing.
    """
    if not page.body.strip():
        return Rejection("empty-page", "the feed has no content", page.url)
    # Imported on first use, like trafilatura in parsers.generic: ~0.1 s that config validation,
    # which imports the registry, does not need.
    import feedparser

    # A stream, never bytes: feedparser tries to open() bytes as a file name first.
    parsed = feedparser.parse(
        io.BytesIO(page.body),
        response_headers={
            # Relative links resolve against the feed's own URL (and xml:base, which wins).
            "content-location": page.url,
            "content-type": page.content_type or "application/xml",
        },
    )
    if not parsed.entries and (parsed.bozo or not parsed.version):
        problem = parsed.get("bozo_exception") or "no RSS or Atom root element"
        return Rejection("not-a-feed", f"the body is not a readable feed: {problem}", page.url)
    entries = []
    for entry in parsed.entries:
        link = _link(entry)
        if not link:
            continue  # an item without a link offers nothing to fetch
        entries.append(
            ListingEntry(
                url=urljoin(page.url, link),
                title=normalize_space(entry.get("title", "")),
                published=_time(entry.get("published_parsed") or entry.get("updated_parsed")),
                summary=_plain(entry.get("summary", "")),
            )
        )
    return Listing(url=page.url, kind="feed", entries=tuple(entries))


def _link(entry: dict[str, Any]) -> str:
    """The entry's article link: ``link``, else an alternate link, else a permalink guid."""
    if entry.get("link"):
        return entry["link"].strip()
    for link in entry.get("links", []):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link["href"].strip()
    if entry.get("guidislink") and entry.get("id"):
        return entry["id"].strip()
    return ""


def _time(parsed: time.struct_time | None) -> datetime | None:
    # feedparser normalises every date it reads to UTC in a struct_time.
    return datetime(*parsed[:6], tzinfo=UTC) if parsed else None


def _plain(summary: str) -> str:
    """A summary as plain text: feeds often carry HTML excerpts."""
    if "<" not in summary:
        return normalize_space(summary)
    try:
        return element_text(lxml.html.fragment_fromstring(summary, create_parent="div"))
    except (etree.ParserError, ValueError):
        return normalize_space(summary)
