"""HTML index pages: the article links a section page offers, and nothing else."""

from __future__ import annotations

from pathlib import Path

from parsers.index import MAX_LINKS, STREAM_OVER, parse_index
from parsers.registry import parse_listing
from parsers.types import Listing, Page, Rejection

PAGES = Path(__file__).parents[1] / "fixtures" / "pages"
MT = "https://www.themoscowtimes.com"


def section_page(url: str) -> Page:
    return Page(url=url, body=(PAGES / "moscowtimes" / "section-news.html").read_bytes())


def test_moscow_times_section_page() -> None:
    listing = parse_listing(section_page(f"{MT}/news"), "index")
    assert isinstance(listing, Listing)
    assert listing.kind == "index"
    # Nav, sidebar and footer stories, tags, series, authors, the next page of this section,
    # mail, script and fragment links and other sites are all left out; each story once.
    assert [(entry.url, entry.title) for entry in listing.entries] == [
        (
            f"{MT}/2020/11/09/azerbaijan-shoots-down-russian-military-helicopter-over-armenia-a71987",
            "Azerbaijan Shoots Down Russian Military Helicopter Over Armenia",
        ),
        (
            f"{MT}/2020/11/09/moscow-theatres-close-for-two-weeks-a71990",
            "Moscow Theaters Told to Close Their Doors for Two Weeks",
        ),
        (
            "https://themoscowtimes.com/2020/11/08/aliyev-says-azerbaijan-has-taken-shusha-a71945",
            "Aliyev Says Azerbaijan Has Taken Shusha, Armenia Says Fighting Goes On",
        ),
    ]


def test_generic_rules_without_a_site_pattern() -> None:
    # Served from another host, absolute links to themoscowtimes.com are other sites' links.
    listing = parse_index(section_page("http://127.0.0.1:8000/news"))
    assert isinstance(listing, Listing)
    assert [entry.url for entry in listing.entries] == [
        "http://127.0.0.1:8000/2020/11/09/"
        "azerbaijan-shoots-down-russian-military-helicopter-over-armenia-a71987",
    ]


def test_story_cards_with_their_own_header_are_kept() -> None:
    body = b"""<html><body><header><a href="/2020/01/01/logo-story">Site</a></header>
    <main><article><header><h2><a href="/2020/11/09/card-story">Card story</a></h2></header>
    <footer><a href="/author/someone">Someone</a></footer></article>
    <a href="other.html#part">Relative link</a></main></body></html>"""
    listing = parse_index(Page(url="https://www.example.com/world/", body=body))
    assert isinstance(listing, Listing)
    assert [(entry.url, entry.title) for entry in listing.entries] == [
        ("https://www.example.com/2020/11/09/card-story", "Card story"),
        ("https://www.example.com/world/other.html", "Relative link"),
    ]


def test_subdomain_of_the_same_site_counts_but_other_sites_do_not() -> None:
    body = b"""<html><body>
    <a href="https://news.example.co.uk/a/one">One</a>
    <a href="https://example.co.uk/a/two">Two</a>
    <a href="https://other.co.uk/a/three">Three</a></body></html>"""
    listing = parse_index(Page(url="https://www.example.co.uk/", body=body))
    assert isinstance(listing, Listing)
    assert [entry.url for entry in listing.entries] == [
        "https://news.example.co.uk/a/one",
        "https://example.co.uk/a/two",
    ]


def test_a_page_without_links_is_rejected() -> None:
    page = Page(url="https://x.example/news", body=b"<html><body><p>Loading...</p></body></html>")
    rejection = parse_index(page)
    assert isinstance(rejection, Rejection)
    assert rejection.reason == "no-links"
    empty = parse_index(Page(url="https://x.example/news", body=b""))
    assert isinstance(empty, Rejection) and empty.reason == "empty-page"


def test_a_page_offering_more_links_than_any_index_shows_is_read_in_part() -> None:
    links = "".join(f'<a href="/news/story-{i}">Story {i}</a>' for i in range(MAX_LINKS + 500))
    body = f"<html><head><title>All</title></head><body>{links}</body></html>".encode()
    listing = parse_index(Page(url="https://example.org/news", body=body))
    assert isinstance(listing, Listing)
    assert len(listing.entries) == MAX_LINKS
    assert listing.entries[0].url == "https://example.org/news/story-0"  # page order kept
    assert "more than 2,000 article links" in listing.cut
    whole = parse_index(section_page(f"{MT}/news"))
    assert isinstance(whole, Listing) and whole.cut == ""


def huge_index(cards: int, filler: int) -> bytes:
    """An index page over `STREAM_OVER` bytes: chrome whose links do not count (nav, a page
    header and footer, an aside, role=navigation), story cards whose own header holds the
    headline, a base URL, and ``filler`` paragraphs of our own words before the cards."""
    text = "".join(
        f"<p>Notes from the harbour office, day {i}: the ferry ran on time and the quay was "
        "swept before the market opened.</p>"
        for i in range(filler)
    )
    story_cards = "".join(
        f'<article><header><a href="story-{i}"><span>Story</span> <b>{i}</b></a></header>'
        f'<a href="story-{i}"><img src="/i/{i}.jpg"></a></article>'
        f'<div role="navigation"><a href="/nav-{i}">more</a></div>'
        for i in range(cards)
    )
    return (
        '<html><head><title>All stories</title><base href="https://example.org/news/">'
        '</head><body><header><a href="/top-story">top</a></header>'
        '<nav><a href="/news/section-a">a</a></nav>'
        f"<main>{text}{story_cards}</main>"
        '<aside><a href="/aside-story">aside</a></aside>'
        '<footer><a href="/footer-story">footer</a></footer></body></html>'
    ).encode()


def test_a_huge_index_page_is_read_as_it_is_parsed_with_the_links_its_tree_would_give() -> None:
    """Over `STREAM_OVER` bytes the page is read without building its tree (each element let
    go of once passed, and no further than the links it needs): the same links, titles and cut
    as from the tree, whichever way the page is asked about."""
    url = "https://example.org/news/all"
    for cards, filler in ((MAX_LINKS + 300, 20_000), (40, 30_000)):
        body = huge_index(cards, filler)
        assert len(body) > STREAM_OVER
        with_tree = Page(url=url, body=body)
        _ = with_tree.tree  # built already: the links are read from it
        expected = parse_index(with_tree)
        streamed = Page(url=url, body=body)
        got = parse_listing(streamed, "auto")  # told an index by its head, then streamed
        assert not streamed.has_tree
        assert isinstance(expected, Listing) and isinstance(got, Listing)
        assert got.entries == expected.entries and got.cut == expected.cut
        assert len(got.entries) == min(cards, MAX_LINKS)
        assert got.entries[0].url == "https://example.org/news/story-0"
        assert got.entries[0].title == "Story 0"
        assert not any("top" in e.url or "nav" in e.url or "aside" in e.url for e in got.entries)


def test_a_huge_page_cut_off_on_the_way_is_said_to_be_so_without_its_tree() -> None:
    body = huge_index(50, 30_000)
    cut = body[: len(body) - len(b"</main></body></html>") - 3000]
    rejected = parse_index(Page(url="https://example.org/news/all", body=cut))
    assert isinstance(rejected, Rejection) and rejected.reason == "truncated-page"
