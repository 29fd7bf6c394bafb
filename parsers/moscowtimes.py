"""The Moscow Times article pages (themoscowtimes.com).

The body is the ``div.article__content`` blocks: ``--html`` blocks hold paragraphs and lists,
``--header`` blocks hold a subheading, ``--article`` blocks a related-article box. Everything else
among the blocks (ad banners, figures and their captions and credits) is furniture, and so is all
that sits outside them (sidebar, clusters, disclaimer, the next article loader). Times come from
the page metadata: the visible byline time is the *modified* time on updated articles.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import etree

from parsers.meta import base_url, read_meta
from parsers.text import element_text
from parsers.types import Page, ParsedArticle, Rejection, SiteParser

NAME = "moscowtimes"

# `a{id}` alone identifies the article; the date is the publication day in Moscow.
ARTICLE_URL = re.compile(
    r"^https?://(www\.)?themoscowtimes\.com/(\d{4})/(\d{2})/(\d{2})/([\w-]+)-a(\d+)/?$"
)


def _cls(name: str) -> str:
    """XPath test for one class token (plain ``contains(@class)`` would also match prefixes)."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


_CONTENT = f"//div[{_cls('article__content')}]"
# Outermost blocks only: a block never counts twice if one is ever nested in another.
_BLOCKS = f".//div[{_cls('article__block')}][not(ancestor::div[{_cls('article__block')}])]"
# Text items of an html block; ones inside figures, asides, banners or list items are not body
# text or are read through their list item.
_BLOCK_ITEMS = (
    ".//*[self::p or self::li or self::h2 or self::h3 or self::h4]"
    "[not(ancestor::figure or ancestor::aside or ancestor::li"
    f" or ancestor::*[{_cls('banner')}])]"
)
_RELATED_LINKS = f".//aside[{_cls('article__related-article')}]//a[@href]"
_HEADER = f"//header[{_cls('article__header')}]"
_AUTHORS = f"//*[{_cls('article__byline')}]//*[{_cls('byline__author__name')}]"
_TAGS = f"//div[{_cls('article__tags')}]//a[{_cls('article__tags__tag')}]"
_INTRO = f"//div[{_cls('article__intro')}][not(ancestor::div[{_cls('article__block')}])]"
_BLOCK_TYPE = re.compile(r"\barticle__block--([\w-]+)")
_LIVE = re.compile(r"^https?://(www\.)?themoscowtimes\.com/live/")


def detect(page: Page) -> bool:
    """True when the page has the Moscow Times article structure, whatever host serves it."""
    if page.parse_error() is not None:
        return False
    return bool(page.tree.xpath(f"boolean({_CONTENT}//div[{_cls('article__block')}])"))


def parse(page: Page) -> ParsedArticle | Rejection:
    """Parse a Moscow Times article page, or say why it is not one."""
    rejected = page.parse_error()
    if rejected is not None:
        return rejected
    tree = page.tree
    if _LIVE.match(page.url):
        detail = "a live blog: its posts are filled in by JavaScript and are not in the page"
        return Rejection("live-blog", detail, page.url)
    contents = tree.xpath(_CONTENT)
    if not contents:
        return Rejection(
            "not-an-article", "the page has no div.article__content: not an article", page.url
        )
    base = base_url(tree, page.url)
    paragraphs = [*_intro(tree), *_body(contents[0])]
    if not paragraphs:
        return Rejection("no-body", "the article's content blocks hold no text", page.url)

    # The visible byline time is the *modified* time on updated articles: never the published one.
    meta = read_meta(page, visible_times=False)
    title = _first_text(tree, f"{_HEADER}//h1") or meta.title
    if not title:
        return Rejection("no-title", "the article has no headline", page.url)
    authors = tuple(dict.fromkeys(t for t in map(element_text, tree.xpath(_AUTHORS)) if t))
    tags = tuple(dict.fromkeys(t for t in map(element_text, tree.xpath(_TAGS)) if t))
    related = (urljoin(base, a.get("href").strip()) for a in contents[0].xpath(_RELATED_LINKS))
    return ParsedArticle(
        url=meta.canonical_url,
        title=title,
        paragraphs=tuple(paragraphs),
        parser=NAME,
        outlet=meta.outlet,
        published=meta.published,
        modified=meta.modified,
        authors=authors or meta.authors,
        subtitle=_first_text(tree, f"{_HEADER}//h2"),
        tags=tags or meta.tags,
        related=tuple(dict.fromkeys(related)),
        language=meta.language,
    )


def _body(content: etree._Element) -> list[str]:
    """Paragraphs and subheadings of the content blocks, in page order."""
    paragraphs: list[str] = []
    for block in content.xpath(_BLOCKS):
        match = _BLOCK_TYPE.search(block.get("class", ""))
        kind = match.group(1) if match else ""
        if kind == "html":
            items = block.xpath(_BLOCK_ITEMS)
        elif kind == "header":
            items = block.xpath(".//*[self::h2 or self::h3 or self::h4]") or [block]
        else:  # image, article (related box), embeds, and any type added later
            continue
        paragraphs.extend(text for text in map(element_text, items) if text)
    return paragraphs


def _intro(tree: etree._Element) -> list[str]:
    """The optional lead: it is the author's text, so it opens the body."""
    paragraphs: list[str] = []
    for intro in tree.xpath(_INTRO):
        items = intro.xpath(".//p") or [intro]
        paragraphs.extend(text for text in map(element_text, items) if text)
    return paragraphs


def _first_text(tree: etree._Element, xpath: str) -> str:
    for element in tree.xpath(xpath):
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
