"""XML sitemaps: a ``<urlset>`` of pages or a ``<sitemapindex>`` of further sitemaps.

Entries of a ``<urlset>`` are pages; entries of a ``<sitemapindex>`` are sitemaps (fetch one and
`parsers.registry.page_kind` says "sitemap"). A Google News sitemap's ``<news:title>`` and
``<news:publication_date>`` are read when present; otherwise ``<lastmod>`` stands in for the
published time, since it is the only time a plain sitemap gives.
"""

from __future__ import annotations

from urllib.parse import urljoin

from lxml import etree

from parsers.meta import parse_datetime
from parsers.text import normalize_space
from parsers.types import Listing, ListingEntry, Page, Rejection

# Never fetch a DTD or expand an entity: the body comes from someone else's server.
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
)
_ROOTS = frozenset({"urlset", "sitemapindex"})


def parse_sitemap(page: Page) -> Listing | Rejection:
    """The page or sitemap URLs a sitemap lists, absolute and in document order."""
    if not page.body.strip():
        return Rejection("empty-page", "the sitemap has no content", page.url)
    try:
        root = etree.fromstring(page.body, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        return Rejection("unparseable-xml", f"the sitemap is not well-formed XML: {exc}", page.url)
    if etree.QName(root).localname not in _ROOTS:
        return Rejection(
            "not-a-sitemap",
            f"the root element is <{etree.QName(root).localname}>, not <urlset> or <sitemapindex>",
            page.url,
        )
    entries = []
    seen: set[str] = set()
    for item in root:
        if not isinstance(item.tag, str) or etree.QName(item).localname not in ("url", "sitemap"):
            continue
        fields = _fields(item)
        loc = fields.get("loc", "")
        url = urljoin(page.url, loc) if loc else ""
        if not url or url in seen:
            continue
        seen.add(url)
        entries.append(
            ListingEntry(
                url=url,
                title=fields.get("title", ""),
                published=parse_datetime(fields.get("publication_date") or fields.get("lastmod")),
            )
        )
    return Listing(url=page.url, kind="sitemap", entries=tuple(entries))


def _fields(item: etree._Element) -> dict[str, str]:
    """Text of an entry's fields by local name, nested ones (<news:news>) after its own.

    Its own fields come first so that an ``<image:loc>`` never stands in for the page's ``<loc>``.
    """
    fields: dict[str, str] = {}
    for element in [*item, *item.iterdescendants()]:
        if isinstance(element.tag, str) and element.text and element.text.strip():
            fields.setdefault(etree.QName(element).localname, normalize_space(element.text))
    return fields
