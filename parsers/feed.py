"""RSS 0.9x, 1.0 and 2.0 and Atom feeds, read with feedparser, as a `Listing` of articles.

Full-text feeds. Many outlets (WordPress sites by default) put the whole article in the feed, in
``content:encoded`` or Atom ``<content type="html">``. Such an entry becomes a `ParsedArticle`
right here, and no page need be fetched for it:

* url: the entry's link; title: the entry's title; parser: ``"feed"``;
* paragraphs: the content's block elements (``p``, ``h2``-``h4``, ``li``, ``blockquote``) in
  order, each on one line, captions and embedded media left out, then wire datelines and outlet
  boilerplate dropped as for any page (`parsers.boilerplate`: "The post ... appeared first on");
* published / modified: the entry's ``published`` / ``updated`` (UTC); authors: the entry's
  authors; tags: its categories; outlet: the feed's title; language: the feed's language.

The content counts as full text only when it reads like a whole article: at least
`FULL_TEXT_MIN_WORDS` words in at least two paragraphs, not ending in an excerpt's "…", "[…]",
"Read more" or "Continue reading". Otherwise the entry is an ordinary link and its page is
fetched, as for a feed of excerpts.
"""

from __future__ import annotations

import contextlib
import io
import re
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from parsers.boilerplate import clean_paragraphs
from parsers.encoding import Undecodable
from parsers.text import element_text, normalize_space
from parsers.types import Listing, ListingEntry, Page, ParsedArticle, Rejection

FULL_TEXT_MIN_WORDS = 80
_BLOCKS = ("p", "h2", "h3", "h4", "li", "blockquote")
_NOT_TEXT = ("figure", "figcaption", "aside", "nav", "script", "style")
_EXCERPT_END = re.compile(r"(?:…|\.\.\.|\[…\]|\[\.\.\.\]|read more|continue reading)\W*$", re.I)


def parse_feed(page: Page) -> Listing | Rejection:
    """The entries of a feed, with absolute URLs and timezone-aware times, or why there are none.

    A body feedparser cannot read as a feed (its ``bozo`` flag with no entries) is rejected; a
    well-formed feed with no items is an empty listing.
    """
    if not page.body.strip():
        return Rejection("empty-page", "the feed has no content", page.url)
    problem = too_costly(page.body)
    if problem is not None:
        return Rejection("feed-too-complex", problem, page.url)
    # Imported on first use, like trafilatura in parsers.generic: ~0.1 s that config validation,
    # which imports the registry, does not need.
    import feedparser

    media_type = page.content_type or "application/xml"
    # The encoding briefwatch decided (BOM, header, XML declaration, detection) rather than
    # feedparser's own guess, so a feed and a page with the same bytes read the same. When there
    # is none, feedparser tries its own fallbacks and says so in its bozo flag.
    with contextlib.suppress(Undecodable):
        media_type += f"; charset={page.decoding.encoding}"
    # A stream, never bytes: feedparser tries to open() bytes as a file name first.
    parsed = feedparser.parse(
        io.BytesIO(page.body),
        response_headers={
            # Relative links resolve against the feed's own URL (and xml:base, which wins).
            "content-location": page.url,
            "content-type": media_type,
        },
    )
    channel = parsed.get("feed", {})
    if not parsed.entries and (parsed.bozo or not parsed.version):
        problem = parsed.get("bozo_exception") or "no RSS or Atom root element"
        return Rejection("not-a-feed", f"the body is not a readable feed: {problem}", page.url)
    entries = []
    for entry in parsed.entries:
        link = _link(entry)
        if not link:
            continue  # an item without a link offers nothing to fetch
        url = urljoin(page.url, link)
        title = normalize_space(entry.get("title", ""))
        published = _time(entry.get("published_parsed") or entry.get("updated_parsed"))
        entries.append(
            ListingEntry(
                url=url,
                title=title,
                published=published,
                summary=_plain(entry.get("summary", "")),
                article=_full_text(entry, channel, url, title, published),
            )
        )
    return Listing(url=page.url, kind="feed", entries=tuple(entries))


# feedparser does Python work for each piece of text expat hands it (expat cuts text at every
# newline, "]" and entity reference) and for each element, more the deeper it is: a crafted
# 3 MB feed of "]]]" took 15 s, 20,000 nested elements 10 s (both grow faster than their size).
# Screened first, at C speed: pieces are counted, depth is what lxml's parser allows (256, as
# for sitemaps). A real feed, even a 5 MB full-text one, has a small part of either.
MAX_FEED_PIECES = 500_000
_DEPTH_SCREEN = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
)


# A feed that declares entities with a value of their own: expat expands them inside
# feedparser until its amplification limit stops it, ~5 s of a pass for a billion-laughs or
# quadratic-blowup feed of a few KB (probe, issue 16), every pass. No real feed does (an RSS
# 0.91 DOCTYPE names an external DTD; an external entity is never loaded, and stays allowed:
# such a feed's items are read). Looked for in UTF-8, UTF-16 and UTF-32.
_CODECS = ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
_ENTITY_MARKS = tuple(("<!ENTITY".encode(codec), codec) for codec in _CODECS)
_ENTITY_WITH_VALUE = re.compile(r"<!ENTITY\s+(?:%\s+)?[^\s>]+\s+[\"']")


def _declares_entity_values(body: bytes) -> bool:
    for mark, codec in _ENTITY_MARKS:
        at = body.find(mark)
        while at != -1:  # each find starts past the last one: linear in the body
            window = body[at : at + 64 * len(mark)].decode(codec, errors="ignore")
            if _ENTITY_WITH_VALUE.match(window):
                return True
            at = body.find(mark, at + 1)
    return False


def too_costly(body: bytes) -> str | None:
    """Why feedparser is not given ``body`` (None: it may be): too many pieces, too deep, or
    entities of its own."""
    if _declares_entity_values(body):
        return "the feed declares its own XML entities (<!ENTITY ...>): not read"
    pieces = sum(body.count(mark) for mark in (b"<", b"&", b"]", b"\n"))
    if pieces > MAX_FEED_PIECES:
        return (
            f"the feed is made of ~{pieces:,} pieces of markup and text (at most "
            f"{MAX_FEED_PIECES:,} are read): not read, a crafted feed would stall the pass"
        )
    try:
        etree.fromstring(body, _DEPTH_SCREEN)
    except etree.XMLSyntaxError as exc:
        if "depth" in str(exc).lower():  # "Excessive depth in document: 256 ..."
            return "the feed nests elements more than 256 deep: not read"
    except ValueError:
        pass  # what lxml will not take (an odd encoding), feedparser may: not the screen's call
    return None


def _full_text(
    entry: dict[str, Any],
    channel: dict[str, Any],
    url: str,
    title: str,
    published: datetime | None,
) -> ParsedArticle | None:
    """The entry as an article when its content is the whole text (see the module docstring);
    ``None`` when it is an excerpt or absent, and the page must be fetched."""
    html = max((c.get("value", "") for c in entry.get("content", [])), key=len, default="")
    if not html.strip() or not title:
        return None
    paragraphs = clean_paragraphs(_content_paragraphs(html))
    words = sum(len(p.split()) for p in paragraphs)
    if len(paragraphs) < 2 or words < FULL_TEXT_MIN_WORDS or _EXCERPT_END.search(paragraphs[-1]):
        return None
    # dict.get: feedparser's own get would stand the published time in for a missing one.
    updated = _time(dict.get(entry, "updated_parsed"))
    return ParsedArticle(
        url=url,
        title=title,
        paragraphs=tuple(paragraphs),
        parser="feed",
        outlet=normalize_space(channel.get("title", "")),
        published=published,
        modified=updated if updated and updated != published else None,
        authors=_names(entry.get("authors", []), "name"),
        tags=_names(entry.get("tags", []), "term"),
        language=channel.get("language") or None,
    )


def _names(items: list[dict[str, Any]], key: str) -> tuple[str, ...]:
    """Authors' names or categories' terms, each once, in order."""
    return tuple(dict.fromkeys(normalize_space(i.get(key) or "") for i in items if i.get(key)))


def _content_paragraphs(html: str) -> list[str]:
    """One line per block element of an entry's HTML content, in document order."""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return []
    for junk in root.xpath(" | ".join(f".//{tag}" for tag in _NOT_TEXT)):
        junk.drop_tree()
    blocks = [
        element
        for element in root.iter(*_BLOCKS)
        if not any(parent.tag in _BLOCKS for parent in element.iterancestors())
    ]
    texts = [element_text(element) for element in blocks] or [element_text(root)]
    return [text for text in texts if text]


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
