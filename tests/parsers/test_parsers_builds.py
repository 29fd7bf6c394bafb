"""Article pages of different builds, each read to its exact title, time and body ends.

The fixtures in ``fixtures/pages/builds`` were written for these tests (the outlets and their
stories are made up): a Moscow Times opinion page with two authors and times only in JSON-LD,
a WordPress post, a live-update page, an AMP page, a windows-1251 page, an Armenpress-style
page with a dateline and a translator's footer, an old-school page dated only by its URL, and
a WordPress full-text feed whose entries are articles without a page fetch.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from parsers.feed import parse_feed
from parsers.registry import parse_article
from parsers.types import Listing, Page, ParsedArticle, Rejection

PAGES = Path(__file__).parents[1] / "fixtures" / "pages"
BUILDS = PAGES / "builds"
MSK = timezone(timedelta(hours=3))


def read(name: str, url: str, charset: str | None = None) -> ParsedArticle:
    page = Page(url, (BUILDS / name).read_bytes(), "text/html", charset)
    article = parse_article(page)
    assert isinstance(article, ParsedArticle), article
    return article


BUILD_CASES = [
    pytest.param(
        "mt-opinion.html",
        "https://www.themoscowtimes.com/2020/11/11/the-ceasefire-leaves-moscow-holding-the-map-a72001",
        "moscowtimes",
        "The Ceasefire Leaves Moscow Holding the Map",
        datetime(2020, 11, 11, 15, 30, tzinfo=MSK),
        "Russia now has soldiers on the ground in the South Caucasus for at least five years, "
        "and the agreement that sent them is thin on detail.",
        "If the ceasefire holds through the winter, the harder questions about the status of the "
        "region will return in the spring, and Moscow will be expected to have answers.",
        id="moscowtimes-opinion",
    ),
    pytest.param(
        "wordpress-article.html",
        "https://highland-dispatch.example/villagers-return-to-find-their-orchards-mined/",
        "generic",
        "Villagers return to find their orchards mined",
        datetime(2020, 11, 14, 7, 45, 10, tzinfo=UTC),
        "Families who fled the fighting in the autumn began coming back to the hill villages this "
        "week, only to be told by deminers that they could not yet walk into their own orchards.",
        "Local authorities have promised compensation for the lost harvest, but farmers said they "
        "had heard such promises before and would believe them when the money arrived.",
        id="wordpress",
    ),
    pytest.param(
        "live-updates.html",
        "https://southern-wire.example/live/2020/11/10/day-after-the-ceasefire",
        "generic",
        "Live: Day after the ceasefire — updates from the region",
        datetime(2020, 11, 10, 6, 2, tzinfo=UTC),
        "Follow our reporters across the region as the truce enters its first full day.",
        "Traders reopened the covered market in the old town for the first time in a week, "
        "although many stalls stayed empty and prices for vegetables had nearly doubled.",
        id="live-updates",
    ),
    pytest.param(
        "amp-article.html",
        "https://plains-herald.example/amp/world/border-villages-count-the-cost",
        "generic",
        "Border villages count the cost of six weeks of war",
        datetime(2020, 11, 13, 5, 30, tzinfo=timezone(timedelta(hours=-5))),
        "In the villages along the old front line, the first days of the truce have been spent "
        "counting: roofs lost, animals missing, neighbours who did not come back.",
        "Until then, families are sleeping in the rooms that still have windows, and the village "
        "shop is selling plastic sheeting faster than it can order it.",
        id="amp",
    ),
    pytest.param(
        "windows-1251.html",
        "https://gornye-vesti.example/obshestvo/zhiteli-shushi-pokidayut-gorod.html",
        "generic",
        "Жители Шуши покидают город",
        datetime(2020, 11, 8, 16, 20, tzinfo=MSK),
        "В воскресенье из Шуши выехали последние семьи, которые оставались в городе после начала "
        "обстрелов, сообщили местные власти.",
        "Власти призвали тех, кто ещё не уехал, не возвращаться в город до отдельного объявления.",
        id="windows-1251",
    ),
    pytest.param(
        "armenpress-style.html",
        "https://armenpress-like.example/eng/news/1035000/",
        "generic",
        "Government to open shelters for displaced families",
        datetime(2020, 11, 15, 13, 48, tzinfo=timezone(timedelta(hours=4))),  # <time> only
        "The government will open additional shelters in the capital for families who left their "
        "homes during the fighting, the labour minister told reporters on Sunday.",
        "Registration will take place at the district offices, where families will also be able "
        "to apply for a one-off payment.",
        id="armenpress-dateline-and-footer",
    ),
    pytest.param(
        "url-date-only.html",
        "http://valley-bulletin.example/2020/11/18/snow-closes-pass.html",
        "generic",
        "Snow closes the mountain pass",
        datetime(2020, 11, 18, tzinfo=UTC),  # the URL's day: the page states no time
        "The only road over the mountains was closed on Wednesday evening after heavy snow, and "
        "the road service said it would stay shut at least until the weekend.",
        "Forecasters expect more snow on Thursday night, followed by a sharp frost that will make "
        "clearing the road slower still.",
        id="url-date-only",
    ),
]


@pytest.mark.parametrize(
    ("name", "url", "parser", "title", "published", "first", "last"), BUILD_CASES
)
def test_each_build_reads_to_its_title_time_and_body(
    name: str,
    url: str,
    parser: str,
    title: str,
    published: datetime,
    first: str,
    last: str,
) -> None:
    article = read(name, url)
    assert article.parser == parser
    assert article.title == title
    assert article.published == published
    assert article.paragraphs[0] == first
    assert article.paragraphs[-1] == last


def test_a_full_text_feed_entry_is_an_article() -> None:
    listing = parse_feed(
        Page(
            "https://highland-dispatch.example/feed/",
            (PAGES / "feeds" / "wordpress-full-text.xml").read_bytes(),
            "application/rss+xml",
        )
    )
    assert isinstance(listing, Listing)
    article = listing.entries[0].article
    assert article is not None
    assert article.parser == "feed"
    assert article.url == (
        "https://highland-dispatch.example/ceasefire-brings-an-uneasy-quiet-to-stepanakert/"
    )
    assert article.title == "Ceasefire brings an uneasy quiet to Stepanakert"
    assert article.published == datetime(2020, 11, 10, 9, 30, tzinfo=UTC)
    assert article.paragraphs[0] == (
        "Residents who had sheltered in basements for six weeks came out onto the streets of "
        "Stepanakert on Tuesday morning, hours after a ceasefire agreed overnight took effect."
    )
    # "The post ... appeared first on Highland Dispatch." and the image caption are not text.
    assert article.paragraphs[-1] == (
        "Local officials asked residents to stay calm and to avoid the damaged buildings near "
        "the market until engineers had checked them."
    )
    assert "Questions about the terms" in article.paragraphs  # the subheading, in its place
    assert (article.authors, article.tags) == (("Ani Grigoryan",), ("News", "Nagorno-Karabakh"))
    assert (article.outlet, article.language) == ("Highland Dispatch", "en-US")
    # Lists are text too: one item per line.
    assert "Around forty lorries were counted at the crossing by midday." in (
        listing.entries[1].article.paragraphs  # type: ignore[union-attr]
    )


def test_an_excerpt_feed_entry_is_a_link_to_fetch() -> None:
    listing = parse_feed(
        Page(
            "https://www.themoscowtimes.com/rss/news",
            (PAGES / "moscowtimes" / "rss-news.xml").read_bytes(),
        )
    )
    assert isinstance(listing, Listing)
    assert [entry.article for entry in listing.entries] == [None, None, None]


def test_moscow_times_details_beyond_title_and_body() -> None:
    article = read(
        "mt-opinion.html",
        "https://www.themoscowtimes.com/2020/11/11/the-ceasefire-leaves-moscow-holding-the-map-a72001",
    )
    assert article.subtitle == (
        "Peacekeepers on the Lachin road are the start of a long commitment, not the end of one."
    )
    assert article.authors == ("Irina Volkova", "Tomas Lind")
    assert article.modified == datetime(2020, 11, 12, 9, 5, tzinfo=MSK)  # also the visible time
    assert article.tags == ("Nagorno-Karabakh", "Russia")
    assert article.related == (
        "https://www.themoscowtimes.com/2020/11/10/russian-peacekeepers-arrive-a71999",
    )
    body = "\n".join(article.paragraphs)
    assert "Who pays for the mission" in article.paragraphs
    assert "Winter closes the high passes for weeks at a time." in article.paragraphs
    for furniture in (
        "Advertisement",
        "The road near the border",
        "Archive",
        "Read more",
        "The views expressed",
        "Most read",
        "More stories",
        "Loading the next",
    ):
        assert furniture not in body, furniture  # fmt: skip


def test_moscow_times_never_takes_the_visible_time_as_published() -> None:
    html = (BUILDS / "mt-opinion.html").read_text(encoding="utf-8")
    no_json_ld = html.replace('"datePublished":"2020-11-11T15:30:00+03:00",', "")
    page = Page(
        "https://www.themoscowtimes.com/2020/11/11/the-ceasefire-leaves-moscow-holding-the-map-a72001",
        no_json_ld.encode(),
    )
    article = parse_article(page)
    assert isinstance(article, ParsedArticle)
    # Not the byline's 2020-11-12 09:05 (the update): the day in the article's own URL.
    assert article.published == datetime(2020, 11, 11, tzinfo=UTC)


def test_a_moscow_times_live_blog_is_skipped_with_its_reason() -> None:
    url = "https://www.themoscowtimes.com/live/2020/11/10/karabakh-live"
    rejection = parse_article(Page(url, b"<html><body><div id='app'></div></body></html>"))
    assert isinstance(rejection, Rejection) and rejection.reason == "live-blog"


@pytest.mark.parametrize("charset", [None, "utf-8", "iso-8859-1"])
def test_the_windows_1251_page_reads_the_same_whatever_the_header_says(
    charset: str | None,
) -> None:
    article = read("windows-1251.html", "https://gornye-vesti.example/a.html", charset)
    assert article.title == "Жители Шуши покидают город"
    assert article.language == "ru" and article.authors == ("Анна Маркарян",)
