"""The Moscow Times article pages (themoscowtimes.com).

The body is the ``div.article__content`` blocks: ``--html`` blocks hold paragraphs and lists,
``--header`` blocks hold a subheading, ``--article`` blocks a related-article box. Everything else
among the blocks (ad banners, figures and their captions and credits) is furniture, and so is all
that sits outside them (sidebar, clusters, disclaimer, the next article loader). Times come from
the page metadata: the visible byline time is the *modified* time on updated articles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit

from lxml import etree

from parsers.meta import (
    article_object,
    base_url,
    canonical_url,
    json_ld_objects,
    read_meta,
)
from parsers.text import element_text
from parsers.types import Page, ParsedArticle, Rejection, SiteParser

NAME = "moscowtimes"

# `a{id}` alone identifies the article; the date is the publication day in Moscow.
ARTICLE_URL = re.compile(
    r"^https?://(www\.)?themoscowtimes\.com/(\d{4})/(\d{2})/(\d{2})/([\w-]+)-a(\d+)/?$"
)


def _cls(name: str) -> str:
    """XPath test for one class token (plain ``contains(@class)`` would also match prefixes).

    The plain test runs first: most elements fail it without building the padded string.
    """
    padded = "concat(' ', normalize-space(@class), ' ')"
    return f"contains(@class, '{name}') and contains({padded}, ' {name} ')"


# Compiled once (`tree.xpath(text)` parses the expression again on every page). The page-wide
# lookups are one scan (`_by_class`); XPath is kept for the small subtrees of the content.
# The scan walks the class attributes and steps up to their elements: the same elements, in
# document order, as ``//*[@class[...]]``, in about half the time (libxml2 tests a predicate on
# every element of ``//*`` but only on the class attributes here).
_MARKED = etree.XPath("//@class[contains(., 'article__') or contains(., 'byline__')]/..")
# The structure `detect` needs: content blocks of the html type. Other CMSs (BEM-style class
# names) also have ``article__content`` and ``article__block``: alone they prove nothing.
_HAS_HTML_BLOCKS = etree.XPath(
    f"boolean(//div[{_cls('article__content')}]"
    f"//div[{_cls('article__block')} and {_cls('article__block--html')}])"
)
SITE_NAME = "the moscow times"
# Text items of an html block; ones inside figures, asides, banners or list items are not body
# text or are read through their list item.
_BLOCK_ITEMS = etree.XPath(
    ".//*[self::p or self::li or self::h2 or self::h3 or self::h4]"
    "[not(ancestor::figure or ancestor::aside or ancestor::li"
    f" or ancestor::*[{_cls('banner')}])]"
)
# Most html blocks have none of those in them or around them: then every item counts, and the
# plain lookup saves testing every ancestor of every item for a banner class (~3/4 of the cost).
# The test may say yes for a mere "banner" substring: `_BLOCK_ITEMS` then decides exactly.
_ALL_ITEMS = etree.XPath(".//*[self::p or self::li or self::h2 or self::h3 or self::h4]")
_MAY_SKIP = etree.XPath(
    "boolean(ancestor-or-self::*[self::figure or self::aside or self::li]"
    " or .//figure or .//aside or .//li or ancestor-or-self::*/@class[contains(., 'banner')]"
    " or .//@class[contains(., 'banner')])"
)
_HEADINGS = etree.XPath(".//*[self::h2 or self::h3 or self::h4]")
_RELATED_LINKS = etree.XPath(f".//aside[{_cls('article__related-article')}]//a[@href]")
_H1, _H2, _PARAGRAPHS = etree.XPath(".//h1"), etree.XPath(".//h2"), etree.XPath(".//p")
_XML_SPACE = re.compile(r"[ \t\r\n]+")  # what XPath's normalize-space splits on
_BLOCK_TYPE = re.compile(r"\barticle__block--([\w-]+)")
_LIVE = re.compile(r"^https?://(www\.)?themoscowtimes\.com/live/")


def detect(page: Page) -> bool:
    """True when a page served from another host (a mirror, a syndication partner, a test
    server) is a Moscow Times article: its content blocks, and the site naming itself in the
    metadata (site name, publisher, or a canonical URL on themoscowtimes.com)."""
    if page.parse_error() is not None or not _HAS_HTML_BLOCKS(page.tree):
        return False
    return _names_the_site(page.tree)


def _names_the_site(tree: etree._Element) -> bool:
    # The page's <head> only, where these live: `detect` runs on every page no parser owns.
    head = tree.find("head")
    for meta in head.iter("meta") if head is not None else ():
        key = (meta.get("property") or meta.get("name") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key in ("og:site_name", "application-name") and content.lower() == SITE_NAME:
            return True
        if key == "og:url" and _on_site(content):
            return True
    if _on_site(canonical_url(tree, "")):
        return True
    publisher = (article_object(json_ld_objects(tree)) or {}).get("publisher")
    name = publisher.get("name") if isinstance(publisher, dict) else None
    return isinstance(name, str) and name.strip().lower() == SITE_NAME


def _on_site(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host == "themoscowtimes.com" or host.endswith(".themoscowtimes.com")


def parse(page: Page) -> ParsedArticle | Rejection:
    """Parse a Moscow Times article page, or say why it is not one."""
    rejected = page.parse_error()
    if rejected is not None:
        return rejected
    tree = page.tree
    if _LIVE.match(page.url):
        detail = "a live blog: its posts are filled in by JavaScript and are not in the page"
        return Rejection("live-blog", detail, page.url)
    marked = _by_class(tree)
    contents = _tagged(marked, "article__content", "div")
    if not contents:
        return Rejection(
            "not-an-article", "the page has no div.article__content: not an article", page.url
        )
    base = base_url(tree, page.url)
    paragraphs = [*_intro(marked), *_body(contents[0], marked)]
    if not paragraphs:
        return Rejection("no-body", "the article's content blocks hold no text", page.url)

    # The visible byline time is the *modified* time on updated articles: never the published one.
    meta = read_meta(page, visible_times=False)
    headers = _tagged(marked, "article__header", "header")
    title = _first_text(h for header in headers for h in _H1(header)) or meta.title
    if not title:
        return Rejection("no-title", "the article has no headline", page.url)
    bylines = set(marked.get("article__byline", ()))
    names = _inside(marked.get("byline__author__name", []), bylines)
    authors = tuple(dict.fromkeys(t for t in map(element_text, names) if t))
    tag_boxes = set(_tagged(marked, "article__tags", "div"))
    tag_links = _inside(_tagged(marked, "article__tags__tag", "a"), tag_boxes)
    tags = tuple(dict.fromkeys(t for t in map(element_text, tag_links) if t))
    related = (urljoin(base, a.get("href").strip()) for a in _RELATED_LINKS(contents[0]))
    return ParsedArticle(
        url=meta.canonical_url,
        title=title,
        paragraphs=tuple(paragraphs),
        parser=NAME,
        outlet=meta.outlet,
        published=meta.published,
        modified=meta.modified,
        authors=authors or meta.authors,
        subtitle=_first_text(h for header in headers for h in _H2(header)),
        tags=tags or meta.tags,
        related=tuple(dict.fromkeys(related)),
        language=meta.language,
    )


def _by_class(tree: etree._Element) -> dict[str, list[etree._Element]]:
    """The page's elements with an ``article__`` or ``byline__`` class, by class token, in
    document order: one scan of the page for what would take five XPath scans."""
    found: dict[str, list[etree._Element]] = {}
    for element in _MARKED(tree):
        tokens = _XML_SPACE.split(element.get("class", "").strip(" \t\r\n"))
        for token in dict.fromkeys(tokens):
            found.setdefault(token, []).append(element)
    return found


def _tagged(marked: dict[str, list[etree._Element]], token: str, tag: str) -> list[etree._Element]:
    return [element for element in marked.get(token, ()) if element.tag == tag]


def _inside(elements: list[etree._Element], boxes: set[etree._Element]) -> list[etree._Element]:
    """Those of ``elements`` that have an ancestor among ``boxes``."""
    if not boxes:
        return []
    return [e for e in elements if any(a in boxes for a in e.iterancestors())]


def _body(content: etree._Element, marked: dict[str, list[etree._Element]]) -> list[str]:
    """Paragraphs and subheadings of the content blocks, in page order."""
    paragraphs: list[str] = []
    for block in _outermost(_inside(_tagged(marked, "article__block", "div"), {content})):
        match = _BLOCK_TYPE.search(block.get("class", ""))
        kind = match.group(1) if match else ""
        if kind == "html":
            items = _BLOCK_ITEMS(block) if _MAY_SKIP(block) else _ALL_ITEMS(block)
        elif kind == "header":
            items = _HEADINGS(block) or [block]
        else:  # image, article (related box), embeds, and any type added later
            continue
        paragraphs.extend(text for text in map(element_text, items) if text)
    return paragraphs


def _outermost(blocks: list[etree._Element]) -> list[etree._Element]:
    """Blocks not inside another block: a block never counts twice if one is ever nested."""
    return [b for b in blocks if not any(_is_block(a) for a in b.iterancestors("div"))]


def _is_block(element: etree._Element) -> bool:
    return "article__block" in _XML_SPACE.split(element.get("class", "").strip(" \t\r\n"))


def _intro(marked: dict[str, list[etree._Element]]) -> list[str]:
    """The optional lead (not inside a content block): the author's text, so it opens the body."""
    paragraphs: list[str] = []
    for intro in _outermost(_tagged(marked, "article__intro", "div")):
        items = _PARAGRAPHS(intro) or [intro]
        paragraphs.extend(text for text in map(element_text, items) if text)
    return paragraphs


def _first_text(elements: Iterable[etree._Element]) -> str:
    for element in elements:
        text = element_text(element)
        if text:
            return text
    return ""


PARSER = SiteParser(
    name=NAME,
    parse=parse,
    domains=("themoscowtimes.com",),
    detect=detect,
    description="The Moscow Times: article__content blocks, byline, tags, related-article boxes",
    article_url=ARTICLE_URL,
)
