"""The plain values parsers take and return.

`parsers/` imports nothing from `briefwatch/`: these dataclasses are the whole contract between a
page on the wire and the domain. A parser either returns its result or a `Rejection` that says
why it could not, never a bare ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Literal

import lxml.html
from lxml import etree

ListingKind = Literal["feed", "index", "sitemap"]
PageKind = Literal["feed", "index", "sitemap", "article"]


@dataclass(frozen=True)
class Page:
    """One fetched response body at its final URL.

    ``tree`` parses the body with lxml once and caches it, so metadata, the site parser and link
    discovery all read the same tree.
    """

    url: str
    body: bytes
    content_type: str = ""
    charset: str | None = None  # from the HTTP Content-Type header, when it named one

    @cached_property
    def tree(self) -> lxml.html.HtmlElement:
        """The body as an lxml HTML tree (raises `lxml.etree.ParserError` on an empty document)."""
        parser = lxml.html.HTMLParser(encoding=self.charset) if self.charset else None
        return lxml.html.document_fromstring(self.body, parser=parser, base_url=self.url)

    def parse_error(self) -> Rejection | None:
        """A `Rejection` when the body cannot be read as HTML at all, else ``None``."""
        if not self.body.strip():
            return Rejection("empty-page", "the page has no content", self.url)
        try:
            self.tree  # noqa: B018 - parse once here so the reason is recorded, not raised later
        except (etree.ParserError, ValueError, LookupError) as exc:
            return Rejection("unparseable-html", f"lxml could not parse the page: {exc}", self.url)
        return None


@dataclass(frozen=True)
class Rejection:
    """Why a page could not be turned into what was asked for.

    ``reason`` is a short stable code (``empty-page``, ``not-an-article``, ``no-body`` ...) that
    logs and the store group by; ``detail`` is the sentence a user reads.
    """

    reason: str
    detail: str
    url: str

    def __str__(self) -> str:
        return f"{self.reason}: {self.detail} ({self.url})"


@dataclass(frozen=True)
class ParsedArticle:
    """One article page, parsed: what every later stage reads."""

    url: str  # the page's canonical URL when it declares one, else the fetched URL
    title: str
    paragraphs: tuple[str, ...]  # body text only, in order; subheadings included as their own items
    parser: str  # name of the parser that produced it
    outlet: str = ""  # site name (og:site_name, publisher) or the host
    published: datetime | None = None  # timezone-aware
    modified: datetime | None = None
    authors: tuple[str, ...] = ()
    subtitle: str = ""
    tags: tuple[str, ...] = ()
    related: tuple[str, ...] = ()  # absolute URLs of related articles the page links to
    language: str | None = None


@dataclass(frozen=True)
class ListingEntry:
    """One link a listing offers: an article to consider fetching."""

    url: str
    title: str = ""
    published: datetime | None = None
    summary: str = ""


@dataclass(frozen=True)
class Listing:
    """The article links found on a feed, index page or sitemap."""

    url: str
    kind: ListingKind
    entries: tuple[ListingEntry, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class SiteParser:
    """One article parser as the registry knows it (see `parsers.registry`).

    It lives here rather than in the registry so that a site module can declare its own
    ``PARSER = SiteParser(...)`` without importing the registry that imports it.
    """

    name: str
    parse: Callable[[Page], ParsedArticle | Rejection]
    domains: tuple[str, ...] = ()  # hosts it owns, subdomains included
    detect: Callable[[Page], bool] | None = None  # recognises its page structure on any host
    description: str = ""  # one line, shown in docs and the CLI
    # An article URL of this site, so a page can be known as an article by its address alone.
    article_url: re.Pattern[str] | None = None
