"""Page metadata: times, canonical URL, JSON-LD as PHP writes it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from parsers.meta import parse_datetime, read_meta
from parsers.types import Page

PAGES = Path(__file__).parents[1] / "fixtures" / "pages"
MSK = timezone(timedelta(hours=3))


def test_datetimes_are_always_timezone_aware() -> None:
    assert parse_datetime("2020-11-09T20:12:00+03:00") == datetime(2020, 11, 9, 20, 12, tzinfo=MSK)
    assert parse_datetime("2020-11-09T17:12:00Z") == datetime(2020, 11, 9, 17, 12, tzinfo=UTC)
    assert parse_datetime("Mon, 09 Nov 2020 20:12:00 +0300") == datetime(
        2020, 11, 9, 20, 12, tzinfo=MSK
    )
    # No offset in the string: read as UTC (documented in parsers/meta.py).
    assert parse_datetime("2020-11-09T17:12:00") == datetime(2020, 11, 9, 17, 12, tzinfo=UTC)
    assert parse_datetime("2020-11-09") == datetime(2020, 11, 9, tzinfo=UTC)
    assert parse_datetime("last Monday") is None
    assert parse_datetime(None) is None


def test_seed_page_metadata() -> None:
    url = "http://127.0.0.1:8000/seed"
    meta = read_meta(
        Page(url=url, body=(PAGES / "moscowtimes" / "seed-briefing.html").read_bytes())
    )
    assert meta.canonical_url == (
        "https://www.themoscowtimes.com/2020/11/09/"
        "azerbaijan-shoots-down-russian-military-helicopter-over-armenia-a71987"
    )
    assert meta.published == datetime(2020, 11, 9, 20, 12, tzinfo=MSK)
    assert meta.modified == datetime(2020, 11, 9, 21, 47, tzinfo=MSK)
    assert meta.outlet == "The Moscow Times"
    assert meta.og_type == "article"
    assert meta.tags == ("Nagorno-Karabakh", "Azerbaijan", "Armenia")  # one comma-joined meta
    # PHP's "\/" and "\u2014" escapes read back as "/" and an em dash.
    news, crumbs = meta.json_ld
    assert news["@type"] == "NewsArticle"
    assert news["author"]["url"].startswith("https://www.themoscowtimes.com/author/")
    assert "Moscow said — an accident" in news["description"]
    assert crumbs["@type"] == "BreadcrumbList"


def test_relative_canonical_resolves_against_base_href() -> None:
    body = (
        b'<html><head><base href="https://cdn.example.org/site/">'
        b'<link rel="Canonical" href="stories/1"><title>One | Example</title>'
        b'<meta property="og:site_name" content="Example"></head><body></body></html>'
    )
    meta = read_meta(Page(url="https://example.org/x?utm=1", body=body))
    assert meta.canonical_url == "https://cdn.example.org/site/stories/1"
    assert meta.title == "One"  # the outlet suffix of <title> is not the headline
    assert meta.published is None


def test_time_element_is_the_last_resort_and_broken_json_ld_is_skipped() -> None:
    body = (
        b'<html><head><script type="application/ld+json">{not json</script></head><body>'
        b'<time datetime="2020-11-08T09:00:00+04:00">Sunday</time></body></html>'
    )
    meta = read_meta(Page(url="https://www.example.net/a", body=body))
    assert meta.published == datetime(2020, 11, 8, 9, tzinfo=timezone(timedelta(hours=4)))
    assert meta.json_ld == ()
    assert meta.outlet == "example.net"
