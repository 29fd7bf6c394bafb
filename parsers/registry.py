"""The site parsers, and the entry points that pick one for a page.

Built-in parsers are registered exactly like add-ons: each is a module that declares
``PARSER = SiteParser(...)``, listed in `_BUILTINS` (add-on packages list theirs under the
``briefwatch.parsers`` entry-point group instead). Adding a site is one new module in
``parsers/`` plus one line in `_BUILTINS`.

`parse_article` picks a parser by the page's host, then by a parser recognising the page's
structure (``detect``), else uses ``generic``. A parser picked by structure alone was picked on
a guess: when it rejects the page, ``generic`` reads it instead, and the article says so
(`ParsedArticle.fallback`). `page_kind` and `parse_listing` do the same for feeds, index pages
and sitemaps.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import re
from importlib import import_module
from importlib.metadata import entry_points
from types import ModuleType
from typing import Literal
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from parsers.encoding import Undecodable
from parsers.feed import parse_feed
from parsers.index import STREAM_OVER, parse_index
from parsers.meta import article_object, json_ld_objects, meta_values
from parsers.sitemap import GZIP_MAGIC, parse_sitemap
from parsers.types import (
    TREE_OPTIONS,
    Listing,
    Page,
    PageKind,
    ParsedArticle,
    Rejection,
    SiteParser,
)

__all__ = [
    "PARSERS",
    "SiteParser",
    "choose_parser",
    "page_kind",
    "parse_article",
    "parse_listing",
    "register",
]

log = logging.getLogger(__name__)

# Site modules first: `detect` is tried in this order. `generic` is the fallback, never detected.
_BUILTINS = (
    "parsers.moscowtimes",
    "parsers.generic",
)
ENTRY_POINT_GROUP = "briefwatch.parsers"
FALLBACK = "generic"

PARSERS: dict[str, SiteParser] = {}


def register(parser: SiteParser) -> SiteParser:
    """Add ``parser`` to `PARSERS` under its name and return it.

    Registering the same parser again is harmless; a different parser under a taken name is an
    error, so that an add-on never silently replaces a built-in.
    """
    known = PARSERS.get(parser.name)
    if known is not None and known != parser:
        raise ValueError(f"a parser named {parser.name!r} is already registered")
    PARSERS[parser.name] = parser
    return parser


def choose_parser(page: Page, name: str = "auto") -> SiteParser:
    """The parser for ``page``: ``name`` when given, else by host, then by ``detect()``, else
    ``generic``. An unknown ``name`` raises `ValueError` (config validation catches it first)."""
    return _choose(page, name)[0]


# How a parser was picked: named in the config, owning the page's host, recognising the page's
# structure, or none of these (generic).
Choice = Literal["config", "domain", "structure", "fallback"]


def _choose(page: Page, name: str) -> tuple[SiteParser, Choice]:
    if name != "auto":
        if name not in PARSERS:
            known = ", ".join(["auto", *sorted(PARSERS)])
            raise ValueError(f"unknown parser {name!r}; known parsers: {known}")
        return PARSERS[name], "config"
    owner = _owner(page.url)
    if owner is not None:
        return owner, "domain"
    for parser in PARSERS.values():
        if parser.detect is not None and parser.detect(page):
            return parser, "structure"
    return PARSERS[FALLBACK], "fallback"


def parse_article(page: Page, parser: str = "auto") -> ParsedArticle | Rejection:
    """Parse ``page`` as one article with the chosen parser, or say why it could not be.

    A site parser chosen by the page's structure (not by its host or the config) that rejects
    the page hands it to ``generic``: other sites' markup can look like its site's, and a page
    that some parser can read must not be lost to a wrong guess. The article then names the
    rejection in `ParsedArticle.fallback`; if ``generic`` rejects it too, its rejection says
    that both tried.
    """
    costly = _too_complex(page.body)
    if costly is not None:
        return Rejection("too-complex", costly, page.url)
    rejected = page.parse_error()
    if rejected is not None:
        return rejected
    _note_refused(page)
    root = _root_element(page.body)
    if root in _FEED_ROOTS or root in _SITEMAP_ROOTS:
        # lxml reads any XML as HTML text: stop a feed becoming one long "paragraph".
        kind = "feed" if root in _FEED_ROOTS else "sitemap"
        return Rejection("not-an-article", f"the page is a {kind}, not an article", page.url)
    chosen, how = _choose(page, parser)
    result = _run(chosen, page)
    if how != "structure" or not isinstance(result, Rejection):
        return result
    guessed = f"{chosen.name} (chosen by the page's structure) rejected it: {result.reason}"
    log.info("%s on %s; reading it with %s", guessed, page.url, FALLBACK)
    second = _run(PARSERS[FALLBACK], page)
    if isinstance(second, Rejection):
        return dataclasses.replace(second, detail=f"{second.detail}; {guessed}")
    return dataclasses.replace(second, fallback=f"{chosen.name}: {result.reason}")


# What an article page may cost to read, told from its bytes before any tree is built: libxml2
# checks each attribute of an element against the others (300,000 on one element: minutes),
# trafilatura pays for every attribute, and its cost grows faster than a page's element count
# (400,000 tiny paragraphs in 3 MB: minutes). A page past any of these is refused, said, and
# not read again. A real article, even a long live page, has a few thousand elements and a few
# attributes on each.
MAX_ARTICLE_TAGS = 50_000
MAX_ATTRIBUTES = 400  # on one element
MAX_PAGE_ATTRIBUTES = 50_000  # in all (each costs trafilatura ~30 µs: 100,000 took 6 s)
_LONG_TAG = re.compile(rb"<[^<>]{2000,}")  # no "<" or ">" inside: linear


def _too_complex(body: bytes) -> str | None:
    """Why an article page is not read for its cost (None: it is)."""
    tags = body.count(b"<")
    if tags > MAX_ARTICLE_TAGS:
        return (
            f"the page has ~{tags:,} tags (at most {MAX_ARTICLE_TAGS:,} are read for an "
            "article): not read, it would stall the pass"
        )
    attributes = body.count(b"=")
    if attributes > MAX_PAGE_ATTRIBUTES:
        return (
            f"the page has ~{attributes:,} attributes (at most {MAX_PAGE_ATTRIBUTES:,} are read "
            "for an article): not read, it would stall the pass"
        )
    for tag in _LONG_TAG.finditer(body):
        attributes = tag.group(0).count(b"=")
        if attributes > MAX_ATTRIBUTES:
            return (
                f"one element has ~{attributes:,} attributes (at most {MAX_ATTRIBUTES:,}): not "
                "read, it would stall the pass"
            )
    return None


def _note_refused(page: Page) -> None:
    """Say so when the page named an encoding that is refused (UTF-7: `parsers.encoding`)."""
    refused = page.decoding.refused
    if refused:
        log.warning(
            "%s: refused the encoding named by %s, as browsers do; read as %s",
            page.url, ", ".join(refused), page.decoding.encoding,
        )  # fmt: skip


def _run(chosen: SiteParser, page: Page) -> ParsedArticle | Rejection:
    try:
        return chosen.parse(page)
    except Exception as exc:
        # One odd page must not stop a pass: the failure is recorded against the page instead.
        log.exception("parser %s failed on %s", chosen.name, page.url)
        detail = f"the {chosen.name} parser failed: {type(exc).__name__}: {exc}"
        return Rejection("parser-error", detail, page.url)


def page_kind(page: Page) -> PageKind:
    """What the response is: a feed, a sitemap, an article or (otherwise) an index page.

    Read from the response itself: the XML root element (or gzip, which only a compressed sitemap
    is among the things a source may be), then the content type, then for HTML
    the article signals (og:type, one JSON-LD article, the site's article-URL pattern, or a site
    parser recognising the page).
    """
    root = _root_element(page.body)
    if root in _FEED_ROOTS:
        return "feed"
    if root in _SITEMAP_ROOTS or page.body.startswith(GZIP_MAGIC):  # sitemap.xml.gz
        return "sitemap"
    content_type = page.content_type.lower()
    if not root and any(word in content_type for word in ("rss", "atom", "rdf")):
        return "feed"
    return "article" if _looks_like_article(page) else "index"


def parse_listing(page: Page, kind: str = "auto") -> Listing | Rejection:
    """The article links a feed, index page or sitemap offers (``kind="auto"``: `page_kind`)."""
    if kind == "auto":
        kind = page_kind(page)
    if kind in ("feed", "index"):  # read as text (a sitemap may be gzip, and is only URLs)
        with contextlib.suppress(Undecodable):
            _note_refused(page)
    if kind == "feed":
        return parse_feed(page)
    if kind == "sitemap":
        return parse_sitemap(page)
    if kind == "index":
        owner = _owner(page.url)
        return parse_index(page, owner.article_url if owner else None)
    if kind == "article":
        return Rejection(
            "not-a-listing", "the page is an article, not a feed, index page or sitemap", page.url
        )
    raise ValueError(f"unknown listing kind {kind!r}; expected auto, feed, index or sitemap")


_FEED_ROOTS = frozenset({"rss", "feed", "rdf"})  # RSS 0.9x/2.0, Atom, RSS 1.0 (rdf:RDF)
_SITEMAP_ROOTS = frozenset({"urlset", "sitemapindex"})
# What may precede the root element: whitespace, the XML declaration, comments, a doctype.
_PROLOG = re.compile(
    rb"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*", re.DOTALL | re.IGNORECASE
)
_TAG = re.compile(rb"<(?:[\w.-]+:)?([A-Za-z_][\w.-]*)")


_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def _root_element(body: bytes) -> str:
    """The local name of the body's first element, lower-cased; "" when none is found early."""
    head = body[:4096].removeprefix(b"\xef\xbb\xbf")
    for bom, codec in _WIDE_BOMS:  # a UTF-16 or UTF-32 feed: its markup is not bytes of ASCII
        if head.startswith(bom):
            text = body[len(bom) : len(bom) + 4 * 4096].decode(codec, "ignore")
            head = text.encode("ascii", "ignore")[:4096]
            break
    prolog = _PROLOG.match(head)
    match = _TAG.match(head, prolog.end() if prolog else 0)
    return match.group(1).decode("ascii").lower() if match else ""


def _looks_like_article(page: Page) -> bool:
    owner = _owner(page.url)
    if owner is not None and owner.article_url is not None and owner.article_url.match(page.url):
        return True
    huge = len(page.body) > STREAM_OVER and not page.has_tree
    if (page.text_error() if huge else page.parse_error()) is not None:
        return False
    # A huge page is told by its <meta> and JSON-LD wherever they are (read as it is parsed,
    # `_signals`), not by a site parser's look at its tree: building the tree costs ~7x its
    # size, and an index read for its links needs none (`parsers.index`). Not by its head
    # alone: a head that ends past the first 2 MB, or JSON-LD in the body (common), made an
    # article read as an index, its links followed and the article itself never stored.
    tree = _signals(page) if huge else page.tree
    if any(value.lower() == "article" for value in meta_values(tree).get("og:type", [])):
        return True
    objects = json_ld_objects(tree)
    # A section page may list its stories as several JSON-LD articles; one means this is it.
    articles = [obj for obj in objects if article_object([obj]) is not None]
    if len(articles) == 1:
        return True
    return not huge and any(p.detect is not None and p.detect(page) for p in PARSERS.values())


# What `_signals` keeps of a huge page: og:type <meta> tags and JSON-LD blocks, each no larger
# than these, and no more of them (a hostile page may hold a million, or one of 20 MB). Found
# by patterns that cannot backtrack past the tag they are in (no "<" or ">" inside): linear.
_OG_TYPE_TAG = re.compile(rb"<meta\b[^<>]*og:type[^<>]*>", re.IGNORECASE)
_LD_SCRIPT = re.compile(rb"<script\b[^<>]*ld\+json[^<>]*>", re.IGNORECASE)
_SCRIPT_END = re.compile(rb"</script", re.IGNORECASE)
_SIGNAL_BYTES = 1_000_000
_SIGNALS_KEPT = 200


def _signals(page: Page) -> etree._Element:
    """The page's og:type <meta> tags and JSON-LD scripts, wherever they are, as a small tree of
    their own, for `_looks_like_article` to read as it reads a page's tree. Found in the bytes
    (~0.1 s on 20 MB): the page is never parsed whole."""
    body = page.utf8
    found: list[bytes] = []
    for tag in _OG_TYPE_TAG.finditer(body):
        if len(found) >= _SIGNALS_KEPT:
            break
        found.append(tag.group(0)[:_SIGNAL_BYTES])
    at = 0
    for _ in range(_SIGNALS_KEPT):  # each looked at once: a block's end is looked for once
        opening = _LD_SCRIPT.search(body, at)
        if opening is None:
            break
        closing = _SCRIPT_END.search(body, opening.end(), opening.end() + _SIGNAL_BYTES)
        if closing is None:  # unclosed, or too large to be one article's: not read
            at = opening.end()
            continue
        found.append(body[opening.start() : closing.start()] + b"</script>")
        at = closing.end()
    html = b"<html><head>" + b"".join(found) + b"</head><body></body></html>"
    return lxml.html.document_fromstring(html, parser=_SIGNALS_PARSER)


_SIGNALS_PARSER = lxml.html.HTMLParser(encoding="utf-8", **TREE_OPTIONS)


def _owner(url: str) -> SiteParser | None:
    """The parser whose ``domains`` include the URL's host (subdomains included)."""
    host = (urlsplit(url).hostname or "").lower()
    for parser in PARSERS.values():
        if any(host == domain or host.endswith("." + domain) for domain in parser.domains):
            return parser
    return None


def _register_module(module: ModuleType) -> None:
    parser = getattr(module, "PARSER", None)
    if not isinstance(parser, SiteParser):
        raise TypeError(f"{module.__name__} declares no PARSER = SiteParser(...)")
    register(parser)


def _load() -> None:
    for name in _BUILTINS:
        _register_module(import_module(name))
    for point in entry_points(group=ENTRY_POINT_GROUP):
        loaded = point.load()
        if isinstance(loaded, ModuleType):
            _register_module(loaded)
        else:
            register(loaded)


_load()
