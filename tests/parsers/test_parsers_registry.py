"""The parser registry: what it holds, how it picks, and how it tells page kinds apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers import registry
from parsers.registry import (
    PARSERS,
    SiteParser,
    choose_parser,
    page_kind,
    parse_article,
    parse_listing,
    register,
)
from parsers.types import Listing, Page, ParsedArticle, Rejection

ROOT = Path(__file__).resolve().parents[2]
PAGES = Path(__file__).parents[1] / "fixtures" / "pages"
MT = "https://www.themoscowtimes.com"


def page(name: str, url: str, content_type: str = "") -> Page:
    return Page(url=url, body=(PAGES / name).read_bytes(), content_type=content_type)


def test_every_parser_is_described_and_documented() -> None:
    readme = (ROOT / "parsers" / "README.md").read_text(encoding="utf-8")
    assert {"moscowtimes", "generic"} <= set(PARSERS)
    for name, parser in PARSERS.items():
        assert parser.name == name
        assert parser.description.strip(), f"{name} has no description"
        assert f"`{name}`" in readme, f"{name} is not listed in parsers/README.md"


def test_builtins_are_one_module_each() -> None:
    for module in registry._BUILTINS:
        name = module.removeprefix("parsers.")
        assert (ROOT / "parsers" / f"{name}.py").is_file()
        assert name in PARSERS


def test_choose_by_domain_then_structure_then_generic() -> None:
    seed = page("moscowtimes/seed-briefing.html", "http://127.0.0.1:8000/x")
    author = page("moscowtimes/author-page.html", f"{MT}/author/someone")
    wire = page("wire/afp-helicopter.html", "https://www.harbourline.example/x/")
    assert choose_parser(author).name == "moscowtimes"  # by domain, even with no article on it
    assert choose_parser(seed).name == "moscowtimes"  # by structure on another host
    assert choose_parser(wire).name == "generic"
    assert choose_parser(seed, "generic").name == "generic"  # forced by config


def test_unknown_parser_name_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown parser 'nope'"):
        choose_parser(page("wire/afp-helicopter.html", "https://x.example/"), "nope")


def test_register_refuses_to_replace_a_parser_under_the_same_name() -> None:
    impostor = SiteParser(name="generic", parse=PARSERS["moscowtimes"].parse, description="x")
    with pytest.raises(ValueError, match="already registered"):
        register(impostor)
    assert register(PARSERS["generic"]) is PARSERS["generic"]  # the same one again is fine


def test_an_added_parser_is_chosen_by_its_domain() -> None:
    def parse(page: Page) -> ParsedArticle | Rejection:
        return ParsedArticle(url=page.url, title="T", paragraphs=("P",), parser="testsite")

    register(SiteParser(name="testsite", parse=parse, domains=("test.example",), description="t"))
    try:
        article = parse_article(Page(url="https://news.test.example/a", body=b"<p>x</p>"))
        assert isinstance(article, ParsedArticle) and article.parser == "testsite"
    finally:
        del PARSERS["testsite"]


def test_when_the_structure_guess_and_generic_both_reject_the_rejection_names_both() -> None:
    # The Moscow Times' blocks and name, and no text anywhere: neither parser finds a body.
    body = (
        b'<html><head><meta property="og:site_name" content="The Moscow Times"></head><body>'
        b'<div class="article__content"><div class="article__block article__block--html">'
        b"</div></div></body></html>"
    )
    rejection = parse_article(Page(url="https://mirror.example/a", body=body))
    assert isinstance(rejection, Rejection)
    assert rejection.reason == "no-body"
    assert "moscowtimes (chosen by the page's structure) rejected it: no-body" in rejection.detail


def test_a_parser_chosen_by_domain_or_config_is_not_second_guessed() -> None:
    # Both pages have text generic would read; the parser that owns them says they are not
    # articles, and that stands.
    author = parse_article(page("moscowtimes/author-page.html", f"{MT}/author/someone"))
    assert isinstance(author, Rejection) and author.reason == "not-an-article"
    wire = page("wire/afp-helicopter.html", "https://www.harbourline.example/x/")
    assert isinstance(parse_article(wire), ParsedArticle)
    forced = parse_article(wire, "moscowtimes")
    assert isinstance(forced, Rejection) and forced.reason == "not-an-article"


def test_a_crashing_parser_becomes_a_rejection() -> None:
    def parse(page: Page) -> ParsedArticle | Rejection:
        raise RuntimeError("boom")

    register(SiteParser(name="crashy", parse=parse, domains=("crash.example",), description="c"))
    try:
        rejection = parse_article(Page(url="https://crash.example/a", body=b"<p>x</p>"))
        assert isinstance(rejection, Rejection)
        assert rejection.reason == "parser-error"
        assert "RuntimeError: boom" in rejection.detail
    finally:
        del PARSERS["crashy"]


@pytest.mark.parametrize(
    ("name", "url", "content_type", "kind"),
    [
        ("moscowtimes/rss-news.xml", f"{MT}/rss/news", "application/rss+xml", "feed"),
        ("moscowtimes/rss-news.xml", f"{MT}/rss/news", "text/html", "feed"),  # body wins
        ("feeds/atom.xml", "https://c.example/atom.xml", "application/atom+xml", "feed"),
        ("feeds/rss1.rdf", "http://b.example/rss", "application/rdf+xml", "feed"),
        ("sitemaps/sitemap.xml", f"{MT}/sitemap/news.xml", "application/xml", "sitemap"),
        ("sitemaps/sitemap-index.xml", f"{MT}/sitemap.xml", "text/xml", "sitemap"),
        ("moscowtimes/seed-briefing.html", "http://127.0.0.1:1/x", "text/html", "article"),
        ("wire/afp-helicopter.html", "https://h.example/x/", "text/html", "article"),
        ("generic/jsonld-date.html", "https://l.example/x", "text/html", "article"),
        ("moscowtimes/section-news.html", f"{MT}/news", "text/html", "index"),
        ("moscowtimes/author-page.html", f"{MT}/author/x", "text/html", "index"),
    ],
)
def test_page_kind(name: str, url: str, content_type: str, kind: str) -> None:
    assert page_kind(page(name, url, content_type)) == kind


def test_article_url_pattern_alone_marks_an_article() -> None:
    bare = Page(url=f"{MT}/2020/11/09/some-story-a71999", body=b"<html><body>x</body></html>")
    assert page_kind(bare) == "article"


def test_parse_listing_dispatches_on_the_kind() -> None:
    feed = parse_listing(page("moscowtimes/rss-news.xml", f"{MT}/rss/news"))
    index = parse_listing(page("moscowtimes/section-news.html", f"{MT}/news"))
    sitemap = parse_listing(page("sitemaps/sitemap.xml", f"{MT}/sitemap/news.xml"))
    assert isinstance(feed, Listing) and feed.kind == "feed"
    assert isinstance(index, Listing) and index.kind == "index"
    assert isinstance(sitemap, Listing) and sitemap.kind == "sitemap"
    article = parse_listing(page("wire/afp-helicopter.html", "https://h.example/x/"))
    assert isinstance(article, Rejection) and article.reason == "not-a-listing"


def test_a_feed_is_not_parsed_as_an_article() -> None:
    rejection = parse_article(page("moscowtimes/rss-news.xml", "https://x.example/rss"))
    assert isinstance(rejection, Rejection)
    assert rejection.reason == "not-an-article"
