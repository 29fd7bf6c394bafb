"""Feeds: The Moscow Times RSS 2.0, Atom with relative links, RSS 1.0, and what is not a feed."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from parsers.feed import parse_feed
from parsers.registry import page_kind, parse_listing
from parsers.types import Listing, Page, Rejection

PAGES = Path(__file__).parents[1] / "fixtures" / "pages"


def listing(name: str, url: str) -> Listing:
    result = parse_feed(Page(url=url, body=(PAGES / name).read_bytes()))
    assert isinstance(result, Listing), result
    assert result.kind == "feed"
    return result


def test_moscow_times_rss() -> None:
    feed = listing("moscowtimes/rss-news.xml", "https://www.themoscowtimes.com/rss/news")
    assert [entry.url for entry in feed.entries] == [
        "https://www.themoscowtimes.com/2020/11/09/"
        "azerbaijan-shoots-down-russian-military-helicopter-over-armenia-a71987",
        "https://www.themoscowtimes.com/2020/11/09/moscow-theatres-close-for-two-weeks-a71990",
        "https://www.themoscowtimes.com/2020/11/08/aliyev-says-azerbaijan-has-taken-shusha-a71945",
    ]
    first = feed.entries[0]
    assert first.title == "Azerbaijan Shoots Down Russian Military Helicopter Over Armenia"
    assert first.published == datetime(2020, 11, 9, 17, 12, tzinfo=UTC)  # 20:12 +0300
    assert first.summary == "Two crew members were killed and a third injured, Moscow said."
    assert feed.entries[1].summary.endswith("hospitals & clinics.")


def test_atom_relative_links_become_absolute() -> None:
    feed = listing("feeds/atom.xml", "https://caucasus-notes.example/atom.xml")
    assert [entry.url for entry in feed.entries] == [
        "https://caucasus-notes.example/dispatches/2020/11/10/ceasefire-takes-hold",
        "https://caucasus-notes.example/dispatches/2020/11/09/goris-checkpoint",
    ]
    assert feed.entries[0].published == datetime(2020, 11, 10, 2, 45, tzinfo=UTC)
    # No <published>: the entry's <updated> stands in.
    assert feed.entries[1].published == datetime(2020, 11, 9, 19, 20, tzinfo=UTC)
    assert feed.entries[0].summary == "Guns fell silent at 1 a.m. local time."


def test_rss_1_0() -> None:
    feed = listing("feeds/rss1.rdf", "http://bulletin.example.net/rss")
    assert [(entry.url, entry.title) for entry in feed.entries] == [
        (
            "http://bulletin.example.net/2020/11/09/border-crossings",
            "Border crossings reopen for aid trucks",
        ),
        ("http://bulletin.example.net/2020/11/08/power-cuts", "Power cuts in three districts"),
    ]
    assert feed.entries[0].published == datetime(2020, 11, 9, 8, 15, tzinfo=UTC)


def test_rss_0_91_with_relative_link() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="0.91"><channel><title>Old</title>'
        b"<link>http://old.example/</link><description>d</description>"
        b"<item><title>One</title><link>/stories/one.html</link></item></channel></rss>"
    )
    feed = parse_feed(Page(url="http://old.example/rss.xml", body=body))
    assert isinstance(feed, Listing)
    assert [entry.url for entry in feed.entries] == ["http://old.example/stories/one.html"]
    assert feed.entries[0].published is None


def test_an_html_page_is_not_a_feed() -> None:
    body = (PAGES / "moscowtimes" / "section-news.html").read_bytes()
    rejection = parse_feed(Page(url="https://www.themoscowtimes.com/news", body=body))
    assert isinstance(rejection, Rejection)
    assert rejection.reason == "not-a-feed"


def test_broken_and_empty_bodies_are_rejected() -> None:
    garbage = parse_feed(
        Page(url="https://x.example/feed", body=(PAGES / "broken" / "garbage.bin").read_bytes())
    )
    empty = parse_feed(Page(url="https://x.example/feed", body=b"  \n"))
    assert isinstance(garbage, Rejection) and garbage.reason == "not-a-feed"
    assert isinstance(empty, Rejection) and empty.reason == "empty-page"


def test_a_file_name_as_body_is_never_opened() -> None:
    # feedparser opens bytes as a file name when it can; the parser must only read the body.
    rejection = parse_feed(Page(url="https://x.example/feed", body=b"/etc/hostname"))
    assert isinstance(rejection, Rejection)


# -- hostile feeds: what feedparser would take tens of seconds over is refused at once, said --


def rss_with(inside_item: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>x</title>'
        f"<link>https://news.example/a</link>{inside_item}</item></channel></rss>"
    ).encode()


def test_a_feed_nested_thousands_deep_is_refused_at_once() -> None:
    """20,000 nested elements in an item took feedparser ~10 s (200,000: ~40 s), every pass."""
    body = rss_with("<x>" * 20_000 + "</x>" * 20_000)
    started = time.monotonic()
    refused = parse_feed(Page("https://news.example/feed", body, "application/rss+xml"))
    assert time.monotonic() - started < 1.0
    assert isinstance(refused, Rejection) and refused.reason == "feed-too-complex"
    assert refused.detail == "the feed nests elements more than 256 deep: not read"


def test_a_feed_of_a_million_text_pieces_is_refused_at_once() -> None:
    """expat hands feedparser text cut at every "]": 3 MB of them took ~15 s."""
    body = rss_with("<description><![CDATA[" + "]]]" * 1_000_000 + "]]></description>")
    started = time.monotonic()
    refused = parse_feed(Page("https://news.example/feed", body, "application/rss+xml"))
    assert time.monotonic() - started < 1.0
    assert isinstance(refused, Rejection) and refused.reason == "feed-too-complex"
    assert "3,000,0" in refused.detail and "at most 500,000 are read" in refused.detail


LAUGHS = '<!ENTITY l0 "lol">' + "".join(
    f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
)


@pytest.mark.parametrize(
    "dtd",
    [
        LAUGHS,  # billion laughs: ~5 s in expat before its amplification limit, every pass
        '<!ENTITY a "' + "A" * 50_000 + '">',  # quadratic blowup, with &a; all over the items
    ],
)
@pytest.mark.parametrize("codec", ["utf-8", "utf-16"])
def test_a_feed_declaring_its_own_entities_is_refused_unread(dtd: str, codec: str) -> None:
    refs = "&l9;" if dtd is LAUGHS else "&a;" * 50
    text = (
        f'<?xml version="1.0" encoding="{codec}"?><!DOCTYPE rss [{dtd}]><rss version="2.0">'
        f"<channel><title>t</title><item><title>{refs}</title><link>https://news.example/a</link>"
        f"<description>{refs}</description></item></channel></rss>"
    )
    refused = parse_feed(
        Page("https://news.example/feed", text.encode(codec), "application/rss+xml")
    )
    assert isinstance(refused, Rejection) and refused.reason == "feed-too-complex"
    assert refused.detail == "the feed declares its own XML entities (<!ENTITY ...>): not read"


def test_a_feed_naming_an_external_dtd_is_still_read() -> None:
    """RSS 0.91 feeds name Netscape's DTD; nothing loads it, and their items are read."""
    doctype = (
        '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        '"http://my.netscape.com/publish/formats/rss-0.91.dtd">'
    )
    body = rss_with("").replace(b"?><rss", f"?>{doctype}<rss".encode())
    listing = parse_feed(Page("https://news.example/feed", body, "application/rss+xml"))
    assert [e.url for e in listing.entries] == ["https://news.example/a"]


def test_a_large_real_feed_is_not_refused() -> None:
    """A full-text feed of 2,000 entries with escaped HTML: well inside the screen's limits."""
    text = (
        "&lt;p&gt;"
        + "Shelling went on overnight near the town, officials said. " * 20
        + "&lt;/p&gt;"
    )
    items = "".join(
        f"<item><title>Story {i}</title><link>https://news.example/{i}</link>"
        f"<description>{text}</description></item>\n"
        for i in range(2_000)
    )
    body = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    )
    got = parse_feed(Page("https://news.example/feed", body.encode(), "application/rss+xml"))
    assert isinstance(got, Listing) and len(got.entries) == 2_000


def test_a_utf16_feed_is_told_a_feed_and_its_entities_are_not_read() -> None:
    """A UTF-16 feed was told an index page (its markup is no ASCII bytes) and failed as
    "no-links"; an external entity in it stays unread, as in UTF-8."""
    xml = (
        '<?xml version="1.0" encoding="UTF-16"?>'
        '<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<rss version="2.0"><channel><title>t</title><item><title>a&x;</title>'
        "<link>https://news.example/a</link></item></channel></rss>"
    )
    for codec in ("utf-16", "utf-32"):
        page = Page("https://news.example/feed", xml.encode(codec), "application/xml")
        assert page_kind(page) == "feed"
        got = parse_listing(page)
        assert isinstance(got, Listing) and [e.url for e in got.entries] == [
            "https://news.example/a"
        ]
        assert "root:" not in got.entries[0].title
