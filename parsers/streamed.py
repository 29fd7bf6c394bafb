"""An article whose body is only in the page's script data: a Next.js page that streams its
React tree (``self.__next_f.push([1, "..."])`` scripts, the App Router's "flight" data) and
renders the article's HTML in the browser, so the served HTML holds a headline and an empty
frame, and trafilatura finds nothing to read.

React's flight stream carries a long string as a text row, ``<id>:T<hex length>,<text>``
(the length in UTF-8 bytes); a CMS's article HTML is such a row. The longest one that holds
paragraphs is taken as the body and handed back as a small page of its own.

Only asked of a page on which no body was found (rare), so it costs nothing on the others.
"""

from __future__ import annotations

import json
import re

import lxml.html
from lxml import etree

_MARK = b"self.__next_f.push"
_PUSH = re.compile(r'self\.__next_f\.push\(\[1,\s*("(?:[^"\\]|\\.)*")\]\)')
_TEXT_ROW = re.compile(r"(?:^|\n)[0-9a-f]+:T([0-9a-f]{1,8}),")
_PARAGRAPH = re.compile(r"<p[\s>]")


def streamed_body(body: bytes, tree: etree._Element) -> etree._Element | None:
    """A page (an lxml tree) holding the article HTML the page streams in its flight data, or
    ``None`` when it streams none."""
    if _MARK not in body:
        return None
    pushed = []
    for script in tree.iter("script"):
        text = script.text or ""
        if "self.__next_f.push" in text:
            for literal in _PUSH.findall(text):
                try:
                    pushed.append(json.loads(literal))
                except ValueError:
                    continue  # not a JSON string after all: skip this chunk, keep the rest
    html = _longest_html_row("".join(pushed))
    if not html:
        return None
    # Wrapped as a document of its own: trafilatura reads it as it reads a page.
    return lxml.html.document_fromstring(f"<html><body><article>{html}</article></body></html>")


def _longest_html_row(flight: str) -> str:
    best = ""
    for row in _TEXT_ROW.finditer(flight):
        size = int(row.group(1), 16)
        # The length counts UTF-8 bytes; a row is a few kB, so the slice is cut from a window.
        window = flight[row.end() : row.end() + size]
        text = window.encode("utf-8")[:size].decode("utf-8", "ignore")
        if len(text) > len(best) and _PARAGRAPH.search(text):
            best = text
    return best
