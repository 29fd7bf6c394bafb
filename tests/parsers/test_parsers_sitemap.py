"""Sitemaps: a news ``<urlset>`` and a ``<sitemapindex>``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from parsers.sitemap import parse_sitemap
from parsers.types import Listing, Page, Rejection

PAGES = Path(__file__).parents[1] / "fixtures" / "pages"
MT = "https://www.themoscowtimes.com"


def test_news_sitemap_urls_titles_and_times() -> None:
    body = (PAGES / "sitemaps" / "sitemap.xml").read_bytes()
    listing = parse_sitemap(Page(url=f"{MT}/sitemap/news.xml", body=body))
    assert isinstance(listing, Listing)
    assert listing.kind == "sitemap"
    assert [entry.url for entry in listing.entries] == [
        f"{MT}/2020/11/09/azerbaijan-shoots-down-russian-military-helicopter-over-armenia-a71987",
        f"{MT}/2020/11/09/moscow-theatres-close-for-two-weeks-a71990",
    ]
    first, second = listing.entries
    assert first.title == "Azerbaijan Shoots Down Russian Military Helicopter Over Armenia"
    # <news:publication_date>, not <lastmod>, when both are there.
    assert first.published == datetime(2020, 11, 9, 20, 12, tzinfo=timezone(timedelta(hours=3)))
    assert second.published == datetime(2020, 11, 9, 11, 20, tzinfo=UTC)


def test_sitemap_index_lists_sitemaps_absolute() -> None:
    body = (PAGES / "sitemaps" / "sitemap-index.xml").read_bytes()
    listing = parse_sitemap(Page(url=f"{MT}/sitemap.xml", body=body))
    assert isinstance(listing, Listing)
    # Child sitemaps are listings to read in turn, never articles to fetch.
    assert listing.entries == ()
    assert [entry.url for entry in listing.sitemaps] == [
        f"{MT}/sitemap/news.xml",
        f"{MT}/sitemap/2020-11.xml",
    ]


def test_entities_are_never_expanded() -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://x.example/a&x;</loc></url></urlset>"
    )
    listing = parse_sitemap(Page(url="https://x.example/sitemap.xml", body=body))
    assert isinstance(listing, Listing)
    assert "root:" not in listing.entries[0].url


def test_not_a_sitemap() -> None:
    feed = (PAGES / "moscowtimes" / "rss-news.xml").read_bytes()
    wrong_root = parse_sitemap(Page(url="https://x.example/rss", body=feed))
    broken = parse_sitemap(Page(url="https://x.example/s.xml", body=b"<urlset><url>"))
    assert isinstance(wrong_root, Rejection) and wrong_root.reason == "not-a-sitemap"
    assert isinstance(broken, Rejection) and broken.reason == "unparseable-xml"
