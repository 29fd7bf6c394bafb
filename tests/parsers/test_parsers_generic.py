"""The generic article parser: the same AFP story on a WordPress outlet, and a JSON-LD-only page."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import lxml.html
import pytest

from parsers.registry import choose_parser, parse_article
from parsers.types import Page, ParsedArticle, Rejection

PAGES = Path(__file__).parents[1] / "fixtures" / "pages"
WIRE_URL = "https://www.harbourline.example/2020/11/09/azerbaijan-apologises-russian-helicopter/"


def wire_page() -> Page:
    return Page(url=WIRE_URL, body=(PAGES / "wire" / "afp-helicopter.html").read_bytes())


def parsed(page: Page) -> ParsedArticle:
    article = parse_article(page)
    assert isinstance(article, ParsedArticle), article
    return article


def seed_paragraphs() -> list[str]:
    text = (PAGES / "moscowtimes" / "seed-briefing.txt").read_text(encoding="utf-8")
    return [block.removeprefix("## ") for block in text.strip().split("\n\n")]


def test_wire_copy_title_time_and_outlet() -> None:
    article = parsed(wire_page())
    assert article.parser == "generic"
    assert article.title == (
        "Azerbaijan apologises after downing Russian helicopter near Armenian border"
    )
    assert article.published == datetime(2020, 11, 9, 16, 31, tzinfo=UTC)
    assert article.modified == datetime(2020, 11, 9, 18, 2, 45, tzinfo=UTC)
    assert article.outlet == "Harbour Line"
    assert article.authors == ("AFP",)
    assert article.url == WIRE_URL
    assert article.language == "en-GB"


def test_wire_copy_body_matches_the_seed_without_dateline_or_boilerplate() -> None:
    paragraphs = parsed(wire_page()).paragraphs
    # This outlet cut the story short before "Mounting anger in Armenia".
    assert list(paragraphs) == seed_paragraphs()[:18]
    assert paragraphs[0].startswith("Azerbaijan accidently shot down a Russian military helicopter")
    assert paragraphs[-1] == (
        "Fresh fighting over the region erupted in late September and Azerbaijani forces have "
        "been able to make substantial gains, sweeping across the region's southern flank and "
        "into its heartland."
    )


def test_wire_furniture_stays_out_of_the_body() -> None:
    body = "\n".join(parsed(wire_page()).paragraphs)
    for furniture in (
        "Yerevan (AFP)",
        "© 2020 AFP",
        "Read more",
        "newsletter",
        "cookies",
        "Share this",
        "Smoke over Stepanakert",  # the thumbnail caption
        "Terrible news",  # a reader's comment
        "Recent posts",
    ):
        assert furniture not in body, furniture


def test_json_ld_is_enough_for_the_date_and_authors() -> None:
    url = "https://lakeside-gazette.example/world/truce-talks"
    body = (PAGES / "generic" / "jsonld-date.html").read_bytes()
    article = parsed(Page(url=url, body=body))
    assert article.title == "Truce talks resume in Moscow"
    assert article.published == datetime(2020, 11, 10, 11, 5, tzinfo=timezone(timedelta(hours=4)))
    assert article.modified is None
    assert article.authors == ("Nune Petrosyan", "Rauf Mammadov")
    assert article.outlet == "Lakeside Gazette"
    assert article.paragraphs[0].startswith("Envoys from Armenia and Azerbaijan sat down again")
    assert article.paragraphs[-1] == (
        "Residents of the region's main city began returning to their homes on foot, many "
        "carrying what they could."
    )
    assert len(article.paragraphs) == 4  # the <h1> is the title, not a paragraph
    assert "Derby ends in a draw" not in "\n".join(article.paragraphs)


def test_trafilatura_leaves_the_shared_tree_untouched() -> None:
    page = wire_page()
    before = lxml.html.tostring(page.tree)
    parse_article(page, "generic")
    assert lxml.html.tostring(page.tree) == before


def test_empty_and_garbage_bodies_are_rejected_with_a_reason() -> None:
    empty = parse_article(Page(url="https://x.example/a", body=b""))
    garbage = parse_article(
        Page(url="https://x.example/b", body=(PAGES / "broken" / "garbage.bin").read_bytes())
    )
    assert isinstance(empty, Rejection) and empty.reason == "empty-page"
    assert isinstance(garbage, Rejection) and garbage.reason == "binary-content"
    assert garbage.detail == "the body is a PNG image, not a page"
    assert garbage.url == "https://x.example/b"


def test_a_page_with_no_text_has_no_body() -> None:
    body = b"<html><head><title>Gallery</title></head><body><img src='a.jpg'></body></html>"
    page = Page(url="https://x.example/gallery", body=body)
    assert choose_parser(page).name == "generic"
    rejection = parse_article(page)
    assert isinstance(rejection, Rejection)
    assert rejection.reason == "no-body"


# -- hostile pages: what would cost minutes to read is refused at once, with its reason --------

SENTENCE = (
    "<p>Azerbaijani forces captured the town of Hadrut, officials in Baku said on Friday.</p>"
)


def hostile_article(body: str) -> Page:
    html = (
        "<html><head><title>T</title><meta property='og:type' content='article'></head>"
        f"<body><article><h1>T</h1>{body}{SENTENCE * 5}</article></body></html>"
    )
    return Page("https://news.example/2020/10/09/a", html.encode(), "text/html; charset=utf-8")


@pytest.mark.parametrize(
    ("body", "said"),
    [
        # libxml2 checks each attribute against the others: minutes for 300,000
        ("<p " + " ".join(f"a{i}=1" for i in range(300_000)) + ">x</p>",
         "the page has ~300,0"),
        ("<p " + " ".join(f"a{i}=1" for i in range(5_000)) + ">x</p>",
         "one element has ~5,000 attributes (at most 400)"),
        # trafilatura's cost grows faster than the element count: minutes for these
        ("<p>x</p>" * 400_000, "the page has ~800,0"),
        # every attribute costs trafilatura ~30 µs
        (("<p " + " ".join(f"a{i}=1" for i in range(100)) + ">x</p>") * 1_000,
         "the page has ~100,0"),
    ],
    ids=["one element, 300,000 attributes", "one element, 5,000", "400,000 tiny paragraphs",
         "100,000 attributes"],
)  # fmt: skip
def test_a_page_that_would_cost_minutes_to_read_is_refused_at_once(body: str, said: str) -> None:
    started = time.monotonic()
    refused = parse_article(hostile_article(body))
    assert time.monotonic() - started < 2.0
    assert isinstance(refused, Rejection) and refused.reason == "too-complex"
    assert refused.detail.startswith(said) and refused.detail.endswith("it would stall the pass")


def test_a_long_live_page_is_still_read() -> None:
    """3,000 dated entries with links and classes: far inside what the screen lets through."""
    entries = "".join(
        f'<div class="entry" id="e{i}"><time datetime="2020-10-09T09:{i % 60:02}">09:{i % 60:02}'
        f'</time><p>Update {i}: shelling reported near the town, <a href="/u/{i}?ref=live">'
        "officials</a> said.</p></div>"
        for i in range(3_000)
    )
    parsed = parse_article(hostile_article(entries))
    assert isinstance(parsed, ParsedArticle) and len(parsed.paragraphs) > 100
