"""Paged listings: an index page's next page, and the dates its story cards show.

A section page lists its newest stories and links to older ones: a ``rel="next"`` link (in the
head or on an anchor), else an anchor to the same listing with the page number one higher
(``?page=3``, ``?p=3``, ``/page/3/``). `next_page` finds that link; it never guesses a URL the
page does not link to.

`entry_dates` dates the stories an index page lists, for a backfill to tell which are in its
range before fetching them: the ``<time datetime>`` inside the story's card (the smallest
element around its link that holds no other story's link), else the date in the story's URL
(``/2020/11/09/slug``).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import datetime
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

from lxml import etree

from parsers.index import registrable_domain
from parsers.meta import base_url, date_from_url, parse_datetime
from parsers.types import Page

_PAGE_PARAMS = ("page", "p", "pg", "paged")
_PATH_PAGE = re.compile(r"/page/(\d+)/?$", re.IGNORECASE)
_CARD_DEPTH = 6  # ancestors climbed from a link looking for its card


def next_page(page: Page, number: int) -> str | None:
    """The URL of the listing page after ``page`` (page ``number`` of its listing), or ``None``
    when the page links to none (the last page, or pagination built by JavaScript)."""
    if page.parse_error() is not None:
        return None
    tree = page.tree
    base = base_url(tree, page.url)
    own = _without_fragment(page.url)
    site = registrable_domain(urlsplit(page.url).hostname or "")
    rel_next: list[str] = []
    numbered: list[str] = []
    for element in tree.xpath("//link[@href] | //a[@href]"):
        href = element.get("href", "").strip()
        if not href or href.startswith("#"):
            continue
        url = _without_fragment(urljoin(base, href))
        if url == own or not _same_site(url, site):
            continue
        if "next" in element.get("rel", "").lower().split():
            rel_next.append(url)
        elif _page_number(url, own) == number + 1:
            numbered.append(url)
    # The page's own word first: a rel="next" may use a scheme no pattern here knows.
    return next(iter(rel_next or numbered), None)


def entry_dates(page: Page, urls: Collection[str]) -> dict[str, datetime]:
    """When each of ``urls`` (absolute links of ``page``) was published, as far as the page or
    the URL says; URLs with no date anywhere are left out."""
    if page.parse_error() is not None:
        return {}
    tree = page.tree
    base = base_url(tree, page.url)
    wanted = set(urls)
    links: dict[etree._Element, str] = {}
    for anchor in tree.xpath("//a[@href]"):
        url = _without_fragment(urljoin(base, anchor.get("href", "").strip()))
        if url in wanted:
            links[anchor] = url
    dates: dict[str, datetime] = {}
    for anchor, url in links.items():
        if url in dates:
            continue
        when = _card_time(anchor, url, base, wanted)
        if when is not None:
            dates[url] = when
    for url in wanted:
        if url not in dates and (when := date_from_url(url)) is not None:
            dates[url] = when
    return dates


def _card_time(anchor: etree._Element, url: str, base: str, wanted: set[str]) -> datetime | None:
    """The ``<time datetime>`` of the card around ``anchor``: climb while the element holds
    links to this story only."""
    element = anchor
    for _ in range(_CARD_DEPTH):
        parent = element.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return None
        others = {
            _without_fragment(urljoin(base, a.get("href", "").strip()))
            for a in parent.iter("a")
            if a.get("href")
        }
        if (others & wanted) - {url}:
            return None  # left the card: this element lists other stories too
        element = parent
        for value in element.xpath(".//time/@datetime"):
            when = parse_datetime(value)
            if when is not None:
                return when
    return None


def _page_number(url: str, listing: str) -> int | None:
    """The page number ``url`` carries when it is ``listing`` (this page's URL) with another
    page number: ``?page=N`` and its cousins, or ``/page/N/`` on the same path."""
    parts, own = urlsplit(url), urlsplit(listing)
    if parts.netloc != own.netloc:
        return None
    query = dict(parse_qsl(parts.query))
    own_query = dict(parse_qsl(own.query))
    for name in _PAGE_PARAMS:
        value = query.get(name, "")
        if value.isdigit() and parts.path.rstrip("/") == own.path.rstrip("/"):
            rest = {k: v for k, v in query.items() if k != name}
            if rest == {k: v for k, v in own_query.items() if k != name}:
                return int(value)
    match = _PATH_PAGE.search(parts.path)
    if match and _listing_path(parts.path) == _listing_path(own.path):
        return int(match.group(1))
    return None


def _listing_path(path: str) -> str:
    """The path of a paged listing without its ``/page/N/`` part."""
    return _PATH_PAGE.sub("", path).rstrip("/")


def _same_site(url: str, site: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and registrable_domain(parts.hostname or "") == site


def _without_fragment(url: str) -> str:
    return urldefrag(url)[0]
