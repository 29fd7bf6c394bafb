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
from typing import Literal, NamedTuple

import lxml.html
from lxml import etree

from parsers.encoding import Decoding, Undecodable, mojibake_in, sniff_encoding
from parsers.text import strip_controls

ListingKind = Literal["feed", "index", "sitemap"]
PageKind = Literal["feed", "index", "sitemap", "article"]


@dataclass(frozen=True)
class Page:
    """One fetched response body at its final URL.

    The body is decoded once (`text`: BOM, HTTP charset, declared charset, then detection; see
    `parsers.encoding`) and parsed with lxml once (`tree`), so metadata, the site parser and link
    discovery all read the same tree. `parse_error` says why a body cannot be read as a page at
    all: empty, binary, undecodable, mojibake, truncated, or nested too deeply to parse whole.
    """

    url: str
    body: bytes
    content_type: str = ""
    charset: str | None = None  # from the HTTP Content-Type header, when it named one

    @cached_property
    def decoding(self) -> Decoding:
        """How the body's bytes are read (raises `parsers.encoding.Undecodable`)."""
        return sniff_encoding(self.body, self.charset)

    @cached_property
    def text(self) -> str:
        """The body as text, decoded with `decoding` (raises `Undecodable`)."""
        return self.decoding.decode(self.body)

    @property
    def has_tree(self) -> bool:
        """Whether the tree is built already (a reader that could do without it may use it)."""
        return "_document" in self.__dict__

    @property
    def utf8(self) -> bytes:
        """The body as UTF-8 bytes, as the tree is built from (`_document`)."""
        decoding = self.decoding
        return self.body[decoding.bom :] if decoding.encoding == "utf-8" else self.text.encode()

    @cached_property
    def tree(self) -> lxml.html.HtmlElement:
        """The body as an lxml HTML tree (raises `lxml.etree.ParserError` on an empty document,
        `Undecodable` when the bytes cannot be decoded)."""
        return self._document.tree

    @cached_property
    def _document(self) -> _Document:
        # The text is handed to lxml re-encoded as UTF-8 with the encoding named, so Python's
        # codec (the one `parsers.encoding` checked) decides, not a <meta> lxml would obey.
        _ = self.text  # first: a body that cannot be decoded fails here, as it always has
        # A UTF-8 body that decoded is its own re-encoding: no copy of it is built.
        utf8 = self.utf8
        parser = lxml.html.HTMLParser(encoding="utf-8", **TREE_OPTIONS)
        tree = lxml.html.document_fromstring(utf8, parser=parser, base_url=self.url)
        fatal = tuple(e.message for e in parser.error_log if e.level_name == "FATAL")
        if _LONG_VALUE.search(utf8):  # rare: the scan is at C speed, the walk only then
            _drop_long_values(tree)
        return _Document(tree, fatal)

    def parse_error(self) -> Rejection | None:
        """A `Rejection` when the body cannot be read as an HTML page at all, else ``None``."""
        return self._parse_error  # every reader of the page asks; the checks scan the text once

    def text_error(self) -> Rejection | None:
        """`parse_error`'s checks that need no tree (empty, binary, undecodable, garbled), and
        for a page read without one (a huge index: `parsers.index`), a cut-off end."""
        return self._text_error

    @cached_property
    def _parse_error(self) -> Rejection | None:
        rejected = self._text_error
        if rejected is not None:
            return rejected
        text = self.text
        try:
            document = self._document
        except (etree.ParserError, ValueError, LookupError) as exc:
            return Rejection("unparseable-html", f"lxml could not parse the page: {exc}", self.url)
        if any("depth" in message.lower() for message in document.fatal):
            # libxml2 stops at 256 levels and drops the rest: a partial page is not read.
            detail = f"the HTML is nested too deeply to parse whole ({document.fatal[0]})"
            return Rejection("too-deeply-nested", detail, self.url)
        if _truncated(text) and not _ends_at_top_level(text, document.tree):
            detail = "the HTML stops before its end (no </body> or </html>): a cut-off response"
            return Rejection("truncated-page", detail, self.url)
        return None

    def truncated(self) -> bool:
        """Whether the text opens <html> or <body> and closes neither (read without a tree:
        a page that may leave both end tags out is not told apart from a cut-off one)."""
        return _truncated(self.text)

    @cached_property
    def _text_error(self) -> Rejection | None:
        if not self.body or self.body.isspace():  # as `not body.strip()`, without the copy
            return Rejection("empty-page", "the page has no content", self.url)
        kind = _binary_kind(self.body)
        if kind:
            return Rejection("binary-content", f"the body is {kind}, not a page", self.url)
        try:
            text = self.text
        except Undecodable as exc:
            return Rejection("undecodable", f"the body is not readable text: {exc}", self.url)
        if _control_characters(text[:_SAMPLE]):
            detail = "the body is binary data (control characters in the text), not a page"
            return Rejection("binary-content", detail, self.url)
        garbled = mojibake_in(text)
        if garbled:
            detail = f"the text is garbled by a wrong encoding at its source ({garbled!r})"
            return Rejection("mojibake", detail, self.url)
        return None


# The tree is built as trafilatura builds its own (``trafilatura.utils.HTML_PARSER``), since the
# generic parser hands it this tree: without comments (an inline comment left in the tree cut
# paragraphs short in its output) or processing instructions, which no reader of a page wants,
# and without an ID index nobody here looks up.
# An attribute value longer than this is dropped from the tree: one 4 MB attribute cost a
# page ~7 s in htmldate's and trafilatura's regexes over the serialised tree (probe, issue 16),
# and no reader wants such a value (a data: URI image, a hostile page's padding).
MAX_ATTRIBUTE_CHARS = 8192
_LONG_VALUE = re.compile(
    rb"""=\s*(?:"[^"]{%d}|'[^']{%d}|[^\s>"']{%d})""" % ((MAX_ATTRIBUTE_CHARS,) * 3)
)


def _drop_long_values(tree: lxml.html.HtmlElement) -> None:
    for element in tree.iter():
        attributes = element.attrib
        for name in [k for k, v in attributes.items() if len(v) > MAX_ATTRIBUTE_CHARS]:
            del attributes[name]


TREE_OPTIONS = {
    "remove_comments": True,
    "remove_pis": True,
    "collect_ids": False,
    "default_doctype": False,
}


class _Document(NamedTuple):
    tree: lxml.html.HtmlElement
    fatal: tuple[str, ...]  # libxml2's fatal errors: the tree may be incomplete


_SAMPLE = 4096
# Leading bytes of file formats that are sometimes served as text/html by mistake.
_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"RIFF", "a RIFF file (WebP, WAV, AVI)"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"OggS", "an Ogg file"),
    (b"ID3", "an MP3 file"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
    (b"\x7fELF", "an executable"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_OPENED = re.compile(r"<(?:html|body)[\s>]", re.IGNORECASE)
_CLOSED = re.compile(r"</(?:html|body)\s*>", re.IGNORECASE)


def _binary_kind(body: bytes) -> str | None:
    head = body[:16].lstrip()
    return next((kind for magic, kind in _SIGNATURES if head.startswith(magic)), None)


def _control_characters(text: str) -> bool:
    """True when more than 1 in 100 characters is a control character (or any is NUL)."""
    found = _CONTROL.findall(text)
    return "\x00" in found or len(found) > len(text) / 100


def _truncated(text: str) -> bool:
    """A document that opens <html> or <body> and closes neither was cut off on the way."""
    return bool(_OPENED.search(text)) and not _closes(text, max(0, len(text) - 65_536))


def _ends_at_top_level(text: str, tree: lxml.html.HtmlElement) -> bool:
    """True when a page that closes neither <body> nor <html> (both end tags may be left out)
    still ends as a whole page does: after a tag, with nothing open deeper than a block of the
    body. A response cut off on the way stops at any byte: inside a tag, mid-sentence, or deep
    in the nesting of the page's content."""
    if not text.rstrip().endswith(">"):
        return False
    depth, element = 0, tree
    while len(element):  # down the last children: the last element, in document order
        element, depth = element[-1], depth + 1
    return depth <= 2  # <html> > <body> > a block of the body


def _closes(text: str, start: int) -> bool:
    """True when ``</html>`` or ``</body>`` begins at or after ``start``: ``_CLOSED.search(text,
    start)``, but tried at each ``</`` from the end back, since the closing tags are the last
    ones on a whole page and a forward search would try every closing tag of the page first."""
    end = len(text)
    while (found := text.rfind("</", start, end)) >= 0:
        if _CLOSED.match(text, found):
            return True
        end = found + 1  # the next "</" to try ends before this one starts
    return False


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
    # When a site parser chosen by the page's structure rejected it and `parser` read it
    # instead: that parser and its reason ("moscowtimes: no-body"); "" otherwise.
    fallback: str = ""

    def __post_init__(self) -> None:
        # The page boundary: whatever parser built it (an add-on's too), an article's text
        # carries no control characters (`parsers.text.strip_controls`) into the store.
        _clean_text_fields(self, ("title", "outlet", "subtitle", "language", "fallback"))
        _clean_tuple_fields(self, ("paragraphs", "authors", "tags"))


@dataclass(frozen=True)
class ListingEntry:
    """One link a listing offers: an article to consider fetching."""

    url: str
    title: str = ""
    published: datetime | None = None
    summary: str = ""
    # A full-text feed entry, already read: the article is in the feed, no page need be fetched.
    article: ParsedArticle | None = None

    def __post_init__(self) -> None:
        _clean_text_fields(self, ("title", "summary"))  # as ParsedArticle's


def _clean_text_fields(value: object, names: tuple[str, ...]) -> None:
    for name in names:
        text = getattr(value, name)
        if text and strip_controls(text) is not text:
            object.__setattr__(value, name, strip_controls(text))  # frozen: set once, here


def _clean_tuple_fields(value: object, names: tuple[str, ...]) -> None:
    for name in names:
        items = getattr(value, name)
        cleaned = tuple(strip_controls(item) for item in items)
        if any(new is not old for new, old in zip(cleaned, items, strict=True)):
            object.__setattr__(value, name, cleaned)


@dataclass(frozen=True)
class Listing:
    """The article links found on a feed, index page or sitemap.

    ``sitemaps`` are further listings to read, not articles: the child sitemaps of a sitemap
    index.
    """

    url: str
    kind: ListingKind
    entries: tuple[ListingEntry, ...] = field(default_factory=tuple)
    sitemaps: tuple[ListingEntry, ...] = field(default_factory=tuple)
    cut: str = ""  # why only part of the listing was read ("": all of it)


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
