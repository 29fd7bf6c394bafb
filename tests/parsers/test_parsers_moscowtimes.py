"""The Moscow Times article parser, on the seed briefing laid out as a Moscow Times page."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from parsers.registry import choose_parser, parse_article
from parsers.types import Page, ParsedArticle, Rejection

PAGES = Path(__file__).parents[1] / "fixtures" / "pages"
SEED_URL = (
    "https://www.themoscowtimes.com/2020/11/09/"
    "azerbaijan-shoots-down-russian-military-helicopter-over-armenia-a71987"
)
MSK = timezone(timedelta(hours=3))


def seed_page(url: str = SEED_URL) -> Page:
    return Page(url=url, body=(PAGES / "moscowtimes" / "seed-briefing.html").read_bytes())


def seed_paragraphs() -> list[str]:
    """The seed's body as the fixture's text twin holds it ("## " marks a subheading)."""
    text = (PAGES / "moscowtimes" / "seed-briefing.txt").read_text(encoding="utf-8")
    return [block.removeprefix("## ") for block in text.strip().split("\n\n")]


def parsed_seed(url: str = SEED_URL) -> ParsedArticle:
    article = parse_article(seed_page(url))
    assert isinstance(article, ParsedArticle), article
    return article


def test_headline_subtitle_and_canonical_url() -> None:
    article = parsed_seed()
    assert article.parser == "moscowtimes"
    assert article.title == "Azerbaijan Shoots Down Russian Military Helicopter Over Armenia"
    assert article.subtitle == "Two crew members were killed and a third injured, Moscow said."
    assert article.url == SEED_URL
    assert article.outlet == "The Moscow Times"
    assert article.language == "en"


def test_times_come_from_metadata_not_the_visible_byline() -> None:
    article = parsed_seed()
    # The byline shows 21:47, the update time; the story was published at 20:12 Moscow time.
    assert article.published == datetime(2020, 11, 9, 20, 12, tzinfo=MSK)
    assert article.modified == datetime(2020, 11, 9, 21, 47, tzinfo=MSK)


def test_authors_and_tags() -> None:
    article = parsed_seed()
    assert article.authors == ("Mariam Harutyunyan and Emil Guliyev for AFP",)
    assert article.tags == ("Nagorno-Karabakh", "Azerbaijan", "Armenia")


def test_body_is_the_seed_paragraphs_in_order() -> None:
    paragraphs = parsed_seed().paragraphs
    assert list(paragraphs) == seed_paragraphs()
    assert paragraphs[0] == (
        "Azerbaijan accidently shot down a Russian military helicopter in Armenia as fighting "
        "raged over Nagorno-Karabakh on Monday, threatening to draw Moscow further into the "
        "conflict."
    )
    assert paragraphs[-1] == (
        "Turkey is a key ally of Azerbaijan and its involvement would be key to any agreement to "
        "halt the fighting."
    )
    assert len(paragraphs) == 29


def test_subheadings_are_their_own_items() -> None:
    paragraphs = parsed_seed().paragraphs
    assert paragraphs[9] == "'Persistent battles'"
    assert paragraphs[18] == "Mounting anger in Armenia"


def test_furniture_stays_out_of_the_body() -> None:
    body = "\n".join(parsed_seed().paragraphs)
    for furniture in (
        "A Russian Mi-24 helicopter was hit by a portable air defense system",  # featured caption
        "Wikicommons",  # its credit
        "A street in Stepanakert",  # an inline image caption
        "Related article",
        "Nagorno-Karabakh Briefing | Nov. 9",
        "Advertisement",
        "adSlots",  # the ad's script
        "Most read",
        "More stories",
        "Loading the next article",
        "Contribute",
    ):
        assert furniture not in body, furniture


def test_inline_markup_keeps_the_sentence_whole() -> None:
    paragraphs = parsed_seed().paragraphs
    assert "posted on Facebook that Armenian forces had lost control of Shusha" in paragraphs[12]
    assert "The parties — including several" in paragraphs[20]  # &mdash; in the page


def test_related_article_link_is_collected() -> None:
    assert parsed_seed().related == (
        "https://www.themoscowtimes.com/2026/07/09/nagorno-karabakh-briefing-nov-9",
    )


def test_same_structure_on_another_host_is_detected() -> None:
    url = "http://127.0.0.1:8000/2020/11/09/helicopter-a71987"
    page = seed_page(url)
    assert choose_parser(page).name == "moscowtimes"
    article = parsed_seed(url)
    assert list(article.paragraphs) == seed_paragraphs()
    assert article.url == SEED_URL  # rel=canonical, not the address it was served from


def test_a_page_without_article_content_is_rejected() -> None:
    url = "https://www.themoscowtimes.com/author/mariam-harutyunyan-and-emil-guliyev-for-afp"
    body = (PAGES / "moscowtimes" / "author-page.html").read_bytes()
    rejection = parse_article(Page(url=url, body=body))
    assert isinstance(rejection, Rejection)
    assert rejection.reason == "not-an-article"
    assert rejection.url == url
