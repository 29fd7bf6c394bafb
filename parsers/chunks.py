"""An article body split into chunks (``<div class="article__body">`` once per stretch of text,
with an ad or a promotion between them), joined into the first before trafilatura reads it.

trafilatura takes the first element whose class names an article body (trafilatura 2.3,
``main_extractor.extract_content``: ``next(... for s in expr(tree))`` over ``BODY_XPATH``) and
reads only that one, so on such a page it returns the article up to the first ad and stops.
Here the chunks are found on the page, and trafilatura is handed a copy of the tree in which the
later chunks' content has been moved into the first chunk, in order.

Looked for with one XPath whose first test is a substring of every such class name, so that
it rejects most of a page's elements at once (0.1-0.2 ms on a real page, 0.5 % of what
trafilatura takes there).
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict

from lxml import etree

# The body class names of trafilatura's first body expression (``BODY_XPATH[0]``) that real
# pages split into chunks: ``article__body``, ``article-body``, ``articleBody``,
# ``article_content``... A chunk's class attribute holds one as a whole word.
_CANDIDATES = etree.XPath(
    "//div[contains(@class, 'rticle')]"
    "[contains(@class, 'body') or contains(@class, 'Body') or contains(@class, 'content')]"
)
_BODY_WORD = re.compile(r"^[Aa]rticle(?:__|-|_)?(?:[Bb]ody|[Cc]ontent)$")

# A chunk holds article text: one paragraph of a sentence or two at least. Between two and a
# handful of chunks: a page with dozens of elements so named is a list of teasers, or names
# every paragraph so (and trafilatura reads those through their shared parent).
_CHUNK_TEXT = 80
_MOST_CHUNKS = 8
# The chunks are cousins: the same kind of element at the same depth, under one ancestor at
# most this many levels up (a grid of rows, each holding a column and then the body).
_NEAREST_SHARED = 6

_PARAGRAPH = etree.XPath(f".//p[string-length(normalize-space()) >= {_CHUNK_TEXT}]")


def joined_body(tree: etree._Element) -> etree._Element | None:
    """A copy of ``tree`` with the article's body chunks joined into the first, or ``None`` when
    the page's body is in one piece (the common case: the tree is then read as it is)."""
    named: dict[str, list[etree._Element]] = defaultdict(list)
    for element in _CANDIDATES(tree):
        for word in (element.get("class") or "").split():
            if _BODY_WORD.match(word):
                named[word].append(element)
    for elements in named.values():
        chunks = _chunks(elements) if len(elements) >= 2 else []
        if chunks:
            return _join(tree, chunks)
    return None


def _chunks(named: list[etree._Element]) -> list[etree._Element]:
    """Those of ``named`` (elements with one body class) that are the article's chunks: two or
    more, not inside one another, at one depth, close cousins, each holding a paragraph."""
    outermost = [e for e in named if not any(a in named for a in e.iterancestors())]
    # An element so named without text (a paywall's notice, an empty slot) is no chunk.
    chunks = [e for e in outermost if _PARAGRAPH(e)]
    if not 2 <= len(chunks) <= _MOST_CHUNKS:
        return []
    depth = _depth(chunks[0])
    if any(_depth(e) != depth for e in chunks):
        return []
    shared = _shared_ancestor(chunks)
    if shared is None or depth - _depth(shared) > _NEAREST_SHARED:
        return []
    return chunks


def _depth(element: etree._Element) -> int:
    return sum(1 for _ in element.iterancestors())


def _shared_ancestor(elements: list[etree._Element]) -> etree._Element | None:
    common = list(elements[0].iterancestors())
    for element in elements[1:]:
        ancestors = set(element.iterancestors())
        common = [a for a in common if a in ancestors]
    return common[0] if common else None


def _join(tree: etree._Element, chunks: list[etree._Element]) -> etree._Element:
    """A copy of ``tree`` (the page's own stays as every other reader needs it) in which the
    later chunks' content follows the first chunk's, and the emptied chunks are gone."""
    paths = [tree.getroottree().getpath(chunk) for chunk in chunks]
    joined = copy.deepcopy(tree)
    found = [joined.xpath(path)[0] for path in paths]
    first = found[0]
    for chunk in found[1:]:
        if chunk.text and chunk.text.strip():
            # Loose text at a chunk's start: kept, as the tail of the last element moved.
            _append_text(first, chunk.text)
        for child in list(chunk):
            first.append(child)  # moves it (an lxml element has one parent), tail and all
        _drop_keeping_tail(chunk)
    return joined


def _append_text(element: etree._Element, text: str) -> None:
    if len(element):
        last = element[-1]
        last.tail = (last.tail or "") + " " + text
    else:
        element.text = (element.text or "") + " " + text


def _drop_keeping_tail(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    if element.tail and element.tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
