"""HTML index and section pages as a `Listing` of the article links they offer.

A link counts when it stays on the same site, sits outside the page's navigation, header,
footer and asides, and does not lead to an obvious non-article page (tags, authors, categories,
the page itself, files). Links come out absolute, once each, in page order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import etree

from parsers.meta import base_url
from parsers.text import element_text, normalize_space
from parsers.types import TREE_OPTIONS, Listing, ListingEntry, Page, Rejection

# Page-level chrome. A <header>/<footer> inside an <article> is a story card's own header, which
# holds the headline link, so only those outside articles are skipped.
_LINKS = (
    "//body//a[@href]"
    "[not(ancestor::nav or ancestor::aside"
    " or ancestor::header[not(ancestor::article)] or ancestor::footer[not(ancestor::article)]"
    " or ancestor::*[@role='navigation' or @role='banner' or @role='contentinfo'"
    " or @role='complementary'])]"
)
# A path segment equal to one of these marks a listing or account page, not an article.
_NON_ARTICLE_SEGMENTS = frozenset(
    {
        "tag", "tags", "author", "authors", "category", "categories", "topic", "topics",
        "all-about", "section", "search", "page", "feed", "rss", "login", "account",
        "subscribe", "newsletter", "newsletters", "about", "contact", "privacy", "terms",
    }
)  # fmt: skip
_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|pdf|css|js|json|xml|rss|zip|mp3|mp4)$", re.I)
_IP = re.compile(r"^[\d.]+$|:")  # IPv4, or IPv6 (has colons)
# An index or section page shows tens to hundreds of stories; a page offering more is a dump or
# hostile (a million links cost seconds and hundreds of MB per pass): the first ones, in page
# order (the newest, on a section page), are read and the cut is said on the listing.
MAX_LINKS = 2_000


def parse_index(page: Page, article_url: re.Pattern[str] | None = None) -> Listing | Rejection:
    """The article links of an HTML index page, or a `Rejection` when it offers none.

    ``article_url``, when the site is known to have one, keeps only links that match it.
    """
    streamed = len(page.body) > STREAM_OVER and not page.has_tree
    rejected = page.text_error() if streamed else page.parse_error()
    if rejected is None and streamed and page.truncated():
        detail = "the HTML stops before its end (no </body> or </html>): a cut-off response"
        rejected = Rejection("truncated-page", detail, page.url)
    if rejected is not None:
        return rejected
    if streamed:
        links: Iterable[tuple[etree._Element, str]] = _streamed_links(page)
    else:
        tree = page.tree
        base = base_url(tree, page.url)
        links = ((link, base) for link in tree.xpath(_LINKS))
    own = urlsplit(page.url)
    site = registrable_domain(own.hostname or "")
    titles: dict[str, str] = {}  # insertion order is page order
    cut = ""
    for link, base in links:
        url = _article_link(link.get("href", ""), base, site, own.path)
        if url is None or (article_url is not None and not article_url.match(url)):
            continue
        if url not in titles and len(titles) == MAX_LINKS:
            cut = f"the page offers more than {MAX_LINKS:,} article links: the first were read"
            break
        # A story card often links twice (image, then headline): keep the first place, and the
        # first text that is not empty.
        if not titles.get(url):
            titles[url] = element_text(link) or normalize_space(link.get("title", ""))
    if not titles:
        # Likely built by JavaScript, or not an index at all: say so rather than list nothing.
        return Rejection("no-links", "no article links were found on the page", page.url)
    entries = tuple(ListingEntry(url=url, title=title) for url, title in titles.items())
    return Listing(url=page.url, kind="index", entries=entries, cut=cut)


# A page larger than this is not built into a tree to read its links: it is read as it is
# parsed, each element let go of once passed, and no further than the `MAX_LINKS` it needs. A
# 34 MB page of 350,000 links cost ~250 MB as a tree, and ~30 MB more for the XPath's list.
STREAM_OVER = 2_000_000
_CHUNK = 256 * 1024
_CHROME = frozenset({"nav", "aside"})
_CHROME_OUTSIDE_ARTICLES = frozenset({"header", "footer"})
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary"})


def _streamed_links(page: Page) -> Iterator[tuple[etree._Element, str]]:
    """The links `_LINKS` selects, each with the base URL in force, read as the page is parsed
    (an lxml pull parser): the same rule, kept as counts of the open elements that exclude
    their links, instead of a tree walked afterwards. Each element is cleared once its end is
    read (a link only after its caller has read it), so the page is never held whole."""
    parser = etree.HTMLPullParser(events=("start", "end"), encoding="utf-8", **TREE_OPTIONS)
    data = memoryview(page.utf8)
    base = page.url
    opened: list[bool] = []  # per open element: whether it excludes the links inside it
    excluding = articles = in_link = in_body = 0
    for start in range(0, len(data), _CHUNK):
        parser.feed(bytes(data[start : start + _CHUNK]))
        for event, element in parser.read_events():
            tag = element.tag if isinstance(element.tag, str) else ""
            if event == "start":
                chrome = (
                    tag in _CHROME
                    or (tag in _CHROME_OUTSIDE_ARTICLES and not articles)
                    or (element.get("role") or "") in _CHROME_ROLES
                )
                opened.append(chrome)
                excluding += chrome
                articles += tag == "article"
                in_body += tag == "body"
                in_link += tag == "a"
                if tag == "base" and base == page.url and (element.get("href") or "").strip():
                    base = urljoin(page.url, (element.get("href") or "").strip())
                continue
            chrome = opened.pop() if opened else False
            excluding -= chrome
            articles -= tag == "article"
            in_link -= tag == "a"
            if tag == "a" and in_body and not excluding and element.get("href") is not None:
                yield element, base
            in_body -= tag == "body"
            if not in_link:  # a link's text is read at its end: nothing inside one goes early
                element.clear()
                while element.getprevious() is not None:
                    del element.getparent()[0]  # type: ignore[union-attr]
    parser.close()


def _article_link(href: str, base: str, site: str, own_path: str) -> str | None:
    """The absolute article URL ``href`` points to, or ``None`` when it is not one."""
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    url, _fragment = urldefrag(urljoin(base, href))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or registrable_domain(parts.hostname or "") != site:
        return None  # mailto:, javascript:, tel:, and other sites
    path = parts.path.rstrip("/")
    segments = [segment.lower() for segment in path.split("/") if segment]
    if not segments or path == own_path.rstrip("/"):
        return None  # the home page, or this page again (pagination, sorting)
    if _NON_ARTICLE_SEGMENTS.intersection(segments) or _FILE.search(path):
        return None
    return url


def registrable_domain(host: str) -> str:
    """The registrable part of a host: "www.example.co.uk" and "news.example.co.uk" share one.

    An approximation of the public suffix list, which is not a dependency: the last two labels,
    or three when the last two look like a country's second level ("co.uk", "com.tr").
    """
    host = host.lower().rstrip(".").removeprefix("www.")
    if _IP.search(host):
        return host
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and len(labels[-2]) <= 3 else 2
    return ".".join(labels[-keep:])
