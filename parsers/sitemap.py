"""XML sitemaps: a ``<urlset>`` of pages or a ``<sitemapindex>`` of further sitemaps.

Entries of a ``<urlset>`` are pages (`Listing.entries`); entries of a ``<sitemapindex>`` are
sitemaps (`Listing.sitemaps`), to be read as listings in turn and never fetched as articles. A
Google News sitemap's ``<news:title>`` and ``<news:publication_date>`` are read when present;
otherwise ``<lastmod>`` stands in for the published time, since it is the only time a plain
sitemap gives. A gzip-compressed sitemap (``sitemap.xml.gz``) is decompressed here, up to the
protocol's own limit of 50 MB.
"""

from __future__ import annotations

import zlib
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
GZIP_MAGIC = b"\x1f\x8b"
MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # sitemaps.org: 50 MB uncompressed at most


def parse_sitemap(page: Page) -> Listing | Rejection:
    """The page or sitemap URLs a sitemap lists, absolute and in document order."""
    if not page.body.strip():
        return Rejection("empty-page", "the sitemap has no content", page.url)
    body = page.body
    if body.startswith(GZIP_MAGIC):
        try:
            body = _gunzip(body)
        except (zlib.error, ValueError) as exc:
            return Rejection("unparseable-xml", f"the gzipped sitemap is broken: {exc}", page.url)
    try:
        root = etree.fromstring(body, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        return Rejection("unparseable-xml", f"the sitemap is not well-formed XML: {exc}", page.url)
    if etree.QName(root).localname not in _ROOTS:
        return Rejection(
            "not-a-sitemap",
            f"the root element is <{etree.QName(root).localname}>, not <urlset> or <sitemapindex>",
            page.url,
        )
    entries: list[ListingEntry] = []
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
    if etree.QName(root).localname == "sitemapindex":
        return Listing(url=page.url, kind="sitemap", sitemaps=tuple(entries))
    return Listing(url=page.url, kind="sitemap", entries=tuple(entries))


def _gunzip(body: bytes) -> bytes:
    """Decompress a gzip body, refusing to inflate past `MAX_SITEMAP_BYTES` (a gzip bomb)."""
    inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
    out = inflater.decompress(body, MAX_SITEMAP_BYTES)
    if inflater.unconsumed_tail:
        raise ValueError(f"it inflates past {MAX_SITEMAP_BYTES:,} bytes")
    return out


def _fields(item: etree._Element) -> dict[str, str]:
    """Text of an entry's fields by local name, nested ones (<news:news>) after its own.

    Its own fields come first so that an ``<image:loc>`` never stands in for the page's ``<loc>``.
    """
    fields: dict[str, str] = {}
    for element in [*item, *item.iterdescendants()]:
        if isinstance(element.tag, str) and element.text and element.text.strip():
            fields.setdefault(etree.QName(element).localname, normalize_space(element.text))
    return fields
