"""The demo's rendered pages go through the real parsers and come back as written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from briefwatch.demo.pages import (
    DemoArticle,
    article_url,
    render_article,
    render_feed,
    render_index,
)
from parsers.registry import page_kind, parse_article, parse_listing
from parsers.types import Listing, Page, ParsedArticle

BASE = "http://127.0.0.1:8765/mt"
MSK = timezone(timedelta(hours=3))
PARAGRAPHS = [
    "Azerbaijan accidently shot down a Russian military helicopter in Armenia as fighting raged "
    "over Nagorno-Karabakh on Monday, threatening to draw Moscow further into the conflict.",
    "The Defense Ministry in Moscow said two crew members were killed when the Mi-24 helicopter "
    "was hit by a man-portable air defense system close to the border with Azerbaijan.",
    "A third crew member was injured and evacuated, it said.",
    "Azerbaijan quickly admitted to having accidently shot down the helicopter and apologized.",
    "## 'Persistent battles'",
    "Armenian officials insisted battles for the town were ongoing, with Prime Minister Nikol "
    'Pashinyan saying: "The fighting for Shushi continues."',
    "The parties — including several of the country's largest political groupings — said in a "
    'statement that Armenia\'s leaders bore "the entire responsibility for the situation".',
    "Turkey is a key ally of Azerbaijan & its involvement would be key to any agreement.",
]


def demo_article(build: str, **changes: object) -> DemoArticle:
    fields: dict[str, object] = {
        "slug": "azerbaijan-shoots-down-russian-military-helicopter-over-armenia-a71987",
        "outlet_build": build,
        "title": "Azerbaijan Shoots Down Russian Military Helicopter <Over> Armenia",
        "paragraphs": PARAGRAPHS,
        "published": datetime(2020, 11, 9, 20, 12, tzinfo=MSK),
        "modified": datetime(2020, 11, 10, 9, 30, tzinfo=MSK),
        "subtitle": "Two crew members were killed.",
        "authors": ("Mariam Harutyunyan and Emil Guliyev for AFP",),
        "tags": ("Nagorno-Karabakh", "Armenia"),
        "related": [("/2020/11/07/fighting-nears-shusha-a71931", "Nagorno-Karabakh Briefing")],
        "image_caption": "A Russian Mi-24 helicopter was hit.",
        "image_credit": "Wikicommons",
    }
    fields.update(changes)
    return DemoArticle(**fields)  # type: ignore[arg-type]


def round_trip(article: DemoArticle) -> ParsedArticle:
    url = article_url(article, BASE)
    page = Page(url=url, body=render_article(article, BASE), content_type="text/html")
    assert page_kind(page) == "article"
    parsed = parse_article(page)
    assert isinstance(parsed, ParsedArticle), parsed
    return parsed


EXPECTED = [paragraph.removeprefix("## ") for paragraph in PARAGRAPHS]


def test_moscowtimes_build_round_trip() -> None:
    article = demo_article("moscowtimes")
    parsed = round_trip(article)
    assert parsed.parser == "moscowtimes"  # recognised by structure on 127.0.0.1
    assert parsed.title == article.title
    assert list(parsed.paragraphs) == EXPECTED
    assert parsed.url == f"{BASE}/2020/11/09/{article.slug}"
    assert parsed.published == article.published  # not the byline's modified time
    assert parsed.modified == article.modified
    assert parsed.subtitle == article.subtitle
    assert parsed.authors == tuple(article.authors)
    assert parsed.tags == tuple(article.tags)
    assert parsed.related == (f"{BASE}/2020/11/07/fighting-nears-shusha-a71931",)
    body = "\n".join(parsed.paragraphs)
    for furniture in ("Mi-24 helicopter was hit.", "Wikicommons", "Advertisement", "Read more"):
        assert furniture not in body


@pytest.mark.parametrize("dateline", ["YEREVAN (AFP) - ", "YEREVAN - ", ""])
def test_wire_build_round_trip(dateline: str) -> None:
    article = demo_article("wire", slug="russian-helicopter-downed", dateline=dateline)
    parsed = round_trip(article)
    assert parsed.parser == "generic"
    assert parsed.title == article.title
    assert list(parsed.paragraphs) == EXPECTED
    assert parsed.published == datetime(2020, 11, 9, 17, 12, tzinfo=UTC)
    assert parsed.url == f"{BASE}/2020/11/09/russian-helicopter-downed/"


def test_moscowtimes_url_takes_the_moscow_date_and_an_id() -> None:
    late = demo_article(
        "moscowtimes", slug="late-story", published=datetime(2020, 11, 9, 22, 30, tzinfo=UTC)
    )
    assert article_url(late, BASE).startswith(f"{BASE}/2020/11/10/late-story-a")


def test_feed_lists_the_articles() -> None:
    items = [demo_article("moscowtimes"), demo_article("moscowtimes", slug="other-story-a71990")]
    body = render_feed(items, BASE, "The Moscow Times - News")
    page = Page(url=f"{BASE}/rss/news", body=body, content_type="application/rss+xml")
    assert page_kind(page) == "feed"
    listing = parse_listing(page)
    assert isinstance(listing, Listing)
    assert [entry.url for entry in listing.entries] == [article_url(i, BASE) for i in items]
    assert listing.entries[0].published == datetime(2020, 11, 9, 17, 12, tzinfo=UTC)
    assert listing.entries[0].summary == PARAGRAPHS[0]


def test_index_lists_the_links_and_skips_the_chrome() -> None:
    links = [
        ("/2020/11/09/first-story-a1", "First story"),
        (f"{BASE}/2020/11/09/second-story-a2", "Second story"),
    ]
    page = Page(url=f"{BASE}/news", body=render_index(links, BASE), content_type="text/html")
    assert page_kind(page) == "index"
    listing = parse_listing(page)
    assert isinstance(listing, Listing)
    assert [(entry.url, entry.title) for entry in listing.entries] == [
        (f"{BASE}/2020/11/09/first-story-a1", "First story"),
        (f"{BASE}/2020/11/09/second-story-a2", "Second story"),
    ]
