"""Sources over real HTTP on 127.0.0.1 and a real SQLite store: what a pass reads, what it leaves
for the next one, and that nothing is lost on the way.

Each test runs the network half and the store half of a pass for its sources
(`harvest_source`, then `process_harvest`), as the Prefect flow does.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from briefwatch import pipeline
from briefwatch.config import Settings, parse_config
from briefwatch.fetch.client import Fetcher
from briefwatch.models import Article, Skip, Source
from briefwatch.sources import skips
from briefwatch.store import Store
from parsers.index import MAX_LINKS, STREAM_OVER
from tests.conftest import FIXTURES
from tests.support.server import LocalServer

PAGES = FIXTURES / "pages"
WORDS = (
    "Officials in the region described a tense but quiet night along the front line, with "
    "reports of shelling near the villages to the south and aid convoys waiting at checkpoints."
)


def article(title: str, *paragraphs: str, published: str = "2020-11-09T10:00:00+00:00") -> str:
    body = "".join(f"<p>{p} {WORDS}</p>" for p in paragraphs or ("The first report.", "More."))
    return (
        f'<html><head><title>{title}</title><meta property="og:type" content="article">'
        f'<meta property="article:published_time" content="{published}"></head>'
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    )


def rss(server: LocalServer, *items: tuple[str, str], extra: str = "") -> str:
    body = "".join(
        f"<item><title>{title}</title><link>{server.url(path)}</link>{extra}</item>"
        for path, title in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{body}</channel></rss>'
    )


class Passes:
    """Passes over the given sources against one store; each returns its skipped entries."""

    def __init__(self, tmp_path: Path, server: LocalServer) -> None:
        self.store = Store(f"sqlite:///{tmp_path / 'bw.db'}")
        self.server = server
        self.settings: Settings | None = None

    def configure(self, *sources: dict[str, Any], **fetch: Any) -> None:
        self.settings = parse_config(
            {
                "fetch": {"allow_private": ["127.0.0.1"], "retries": 0, **fetch},
                "sources": list(sources),
            }
        )

    def run(self) -> tuple[list[pipeline.Harvest], list[pipeline.BatchResult]]:
        assert self.settings is not None
        harvests, batches = [], []
        with Fetcher(self.settings.fetch) as fetcher:
            for source in self.settings.sources:
                got = pipeline.harvest_source(self.store, fetcher, source, self.settings)
                harvests.append(got)
                batches.append(pipeline.process_harvest(self.store, got, source, self.settings))
        return harvests, batches

    def skipped(self) -> dict[str, str]:
        """url -> reason of the last pass's skips."""
        _, batches = self.run()
        return {s.url: s.reason for b in batches for s in b.skipped}

    def titles(self) -> list[str]:
        with self.store.session() as session:
            return sorted(a.title for a in session.exec(select(Article)))

    def hits(self, path: str) -> int:
        return len(self.server.hits(path))


@pytest.fixture
def passes(tmp_path: Path, server: LocalServer) -> Iterator[Passes]:
    made = Passes(tmp_path, server)
    yield made
    made.store.close()


# -- nothing is lost --------------------------------------------------------------------------


def test_an_article_that_failed_is_read_next_pass_even_when_the_feed_is_unchanged(
    server: LocalServer, passes: Passes
) -> None:
    server.route("/feed", rss(server, ("/a", "A"), ("/b", "B")), etag='"f1"')
    server.route("/a", article("Alpha"))
    server.route("/b", article("Bravo"), fail_first=[503])
    passes.configure({"name": "s", "url": server.url("/feed")})
    skipped = passes.skipped()
    assert skipped == {server.url("/b"): "retry-next-pass"}
    assert passes.titles() == ["Alpha"]

    _, batches = passes.run()  # the feed answers 304: the retry queue still drives the pass
    assert server.hits("/feed")[-1].headers["if-none-match"] == '"f1"'
    assert passes.titles() == ["Alpha", "Bravo"]
    assert [b.skipped for b in batches] == [[]]
    with passes.store.session() as session:
        assert session.exec(select(Skip).where(Skip.reason == "retry-next-pass")).all() == []


def test_entries_over_the_cap_are_taken_next_pass_newest_first(
    server: LocalServer, passes: Passes
) -> None:
    items = "".join(
        f"<item><title>N{n}</title><link>{server.url(f'/n{n}')}</link>"
        f"<pubDate>Mon, 0{n} Nov 2020 10:00:00 +0000</pubDate></item>"
        for n in (1, 3, 2, 4)
    )
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'
    server.route("/feed", feed, etag='"f1"')
    for n in range(1, 5):
        server.route(f"/n{n}", article(f"Story {n}"))
    passes.configure({"name": "s", "url": server.url("/feed")}, max_articles_per_source=2)
    assert passes.skipped() == {server.url("/feed"): "over-pass-cap"}
    assert passes.titles() == ["Story 3", "Story 4"]
    passes.skipped()
    assert passes.titles() == ["Story 1", "Story 2", "Story 3", "Story 4"]
    # All taken: now the listing's validators are kept, and an unchanged feed costs a 304.
    passes.run()
    assert server.hits("/feed")[-1].headers.get("if-none-match") == '"f1"'
    assert sum(passes.hits(f"/n{n}") for n in range(1, 5)) == 4 + 2  # +2 revisit checks (304s)


def test_a_url_that_keeps_failing_is_given_up_visibly(
    server: LocalServer, passes: Passes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(skips, "MAX_PASSES", 2)
    server.route("/feed", rss(server, ("/a", "A")))
    server.route("/a", "down", status=500)
    passes.configure({"name": "s", "url": server.url("/feed")})
    assert passes.skipped() == {server.url("/a"): "retry-next-pass"}
    assert passes.skipped() == {server.url("/a"): "retry-next-pass"}
    assert passes.skipped()[server.url("/a")] == "gave-up"


def test_a_page_passed_over_for_good_is_not_fetched_again(
    server: LocalServer, passes: Passes
) -> None:
    server.route("/feed", rss(server, ("/a", "A")))
    server.route("/a", article("Theatres close", "Cinemas also shut their doors."))
    passes.configure({"name": "s", "url": server.url("/feed"), "include": ["Karabakh"]})
    assert passes.skipped() == {server.url("/a"): "filtered-out"}
    server.route("/feed", rss(server, ("/a", "A"), ("/b", "B")))  # the feed changed
    server.route("/b", article("Karabakh talks"))
    passes.run()
    assert passes.hits("/a") == 1 and passes.hits("/b") == 1


def test_a_page_fetched_by_a_pass_that_died_before_storing_it_is_fetched_whole_again(
    server: LocalServer, passes: Passes
) -> None:
    server.route("/a", article("Alpha"), etag='"a1"')
    server.route("/feed", rss(server, ("/a", "Alpha")))
    passes.configure({"name": "s", "url": server.url("/feed")})
    assert passes.settings is not None
    with Fetcher(passes.settings.fetch) as fetcher:  # the network half only: then it died
        source = passes.settings.sources[0]
        pipeline.harvest_source(passes.store, fetcher, source, passes.settings)
    assert passes.titles() == []
    passes.run()
    # The page's ETag was remembered, but a 304 for a page never stored would lose it.
    assert "if-none-match" not in server.hits("/a")[-1].headers
    assert passes.titles() == ["Alpha"]


# -- broken pages are recorded with their reason ----------------------------------------------


def test_broken_pages_are_skipped_with_a_reason_and_a_cut_off_one_is_retried(
    server: LocalServer, passes: Passes
) -> None:
    deep = "<html><body>" + "<div>" * 300 + "<p>deep</p>" + "</div>" * 300 + "</body></html>"
    cut = article("Cut short")[:-30]  # no </body></html>: the connection dropped early
    pages = {"/empty": "", "/png": (PAGES / "broken" / "garbage.bin").read_bytes()}
    pages |= {"/deep": deep, "/cut": cut, "/ok": article("Fine")}
    for path, body in pages.items():
        server.route(path, body, content_type="text/html", etag=f'"{path}"')
    server.route("/feed", rss(server, *[(path, path) for path in pages]))
    passes.configure({"name": "s", "url": server.url("/feed")})
    assert passes.skipped() == {
        server.url("/empty"): "empty-page",
        server.url("/png"): "binary-content",
        server.url("/deep"): "too-deeply-nested",
        server.url("/cut"): "retry-next-pass",
    }
    server.route("/cut", article("Cut short"), etag='"/cut"')  # whole this time, same ETag
    passes.run()  # asked for whole (no If-None-Match): a 304 would bring nothing back
    assert "if-none-match" not in server.hits("/cut")[-1].headers
    assert passes.titles() == ["Cut short", "Fine"]


# -- listings ---------------------------------------------------------------------------------


def test_a_sitemap_index_is_followed_and_its_sitemaps_never_read_as_articles(
    server: LocalServer, passes: Passes
) -> None:
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    news = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
    index = (
        f'<?xml version="1.0"?><sitemapindex {ns}>'
        f"<sitemap><loc>{server.url('/sm/old.xml')}</loc><lastmod>2019-01-01</lastmod></sitemap>"
        f"<sitemap><loc>{server.url('/sm/news.xml')}</loc><lastmod>2020-11-09</lastmod></sitemap>"
        "</sitemapindex>"
    )
    child = (
        f'<?xml version="1.0"?><urlset {ns} {news}><url><loc>{server.url("/a")}</loc>'
        "<news:news><news:title>Alpha</news:title>"
        "<news:publication_date>2020-11-09T10:00:00Z</news:publication_date></news:news>"
        "</url></urlset>"
    )
    server.route("/sitemap.xml", index, content_type="application/xml")
    server.route("/sm/news.xml", child, content_type="application/xml")
    server.route("/sm/old.xml", child.replace("/a<", "/b<"), content_type="application/xml")
    server.route("/a", article("Alpha"))
    server.route("/b", article("Bravo"))
    passes.configure({"name": "s", "url": server.url("/sitemap.xml")})
    harvests, _ = passes.run()
    assert harvests[0].listing_kind == "sitemap"
    assert passes.titles() == ["Alpha", "Bravo"]
    assert passes.hits("/sm/news.xml") == passes.hits("/sm/old.xml") == 1


def test_a_full_text_feed_needs_no_page_fetch(server: LocalServer, passes: Passes) -> None:
    server.route(
        "/feed/",
        (PAGES / "feeds" / "wordpress-full-text.xml").read_bytes(),
        content_type="application/rss+xml",
    )
    passes.configure({"name": "oc", "url": server.url("/feed/")})
    harvests, batches = passes.run()
    assert harvests[0].pages == [] and len(harvests[0].articles) == 2
    assert [r.path for r in server.requests] == ["/robots.txt", "/feed/"]
    with passes.store.session() as session:
        stored = session.exec(select(Article).order_by(Article.id)).all()
        assert {a.parser for a in stored} == {"feed"}
    assert batches[0].skipped == []


def test_related_articles_are_followed_once_on_the_same_site_within_budget(
    server: LocalServer, passes: Passes
) -> None:
    def related_box(*paths: str) -> str:
        return "".join(
            '<div class="article__block article__block--article"><aside '
            f'class="article__related-article"><a class="related-article__inner" href="{p}">'
            '<h3 class="related-article__title">More</h3></a></aside></div>'
            for p in paths
        )

    def mt(title: str, *related: str) -> str:
        blocks = (
            f'<div class="article__block article__block--html"><p>{title}. {WORDS}</p></div>'
            + related_box(*related)
        )
        return (
            f"<html><head><title>{title}</title>"
            '<meta property="og:site_name" content="The Moscow Times"></head>'
            '<body><div class="article-container">'
            f'<header class="article__header"><h1>{title}</h1></header>'
            f'<div class="article__content">{blocks}</div></div></body></html>'
        )

    server.route("/feed", rss(server, ("/a", "A")))
    server.route("/a", mt("Alpha", "/r1", "/r2", "/r3", "https://elsewhere.example/x"))
    server.route("/r1", mt("Related one", "/a", "/r9"))
    server.route("/r2", mt("Related two"))
    server.route("/r3", mt("Related three"))
    server.route("/r9", mt("Not followed: related of related"))
    passes.configure(
        {"name": "s", "url": server.url("/feed"), "follow_related": True},
        max_related_per_source=2,
    )
    skipped = passes.skipped()
    assert passes.titles() == ["Alpha", "Related one", "Related two"]
    assert skipped == {server.url("/r3"): "retry-next-pass"}  # over this pass's budget
    passes.run()
    assert passes.titles() == ["Alpha", "Related one", "Related three", "Related two"]
    assert passes.hits("/r9") == 0
    assert passes.hits("/r1") == 1  # queued once: known now, never queued again


@pytest.mark.parametrize(
    ("include", "exclude", "kept"),
    [
        ([], [], ["Karabakh talks", "Theatres close"]),
        (["karabakh"], [], ["Karabakh talks"]),
        ([], ["theatres"], ["Karabakh talks"]),
        (["Karabakh"], ["talks"], []),  # exclude wins
        (["Karabakh talks"], [], ["Karabakh talks"]),  # a phrase
        (["Kara"], [], []),  # whole words only
    ],
)
def test_include_and_exclude_words_filter_on_title_and_body(
    server: LocalServer, passes: Passes, include: list[str], exclude: list[str], kept: list[str]
) -> None:
    server.route("/feed", rss(server, ("/a", "A"), ("/b", "B")))
    server.route("/a", article("Karabakh talks"))
    server.route("/b", article("Theatres close"))
    passes.configure(
        {"name": "s", "url": server.url("/feed"), "include": include, "exclude": exclude}
    )
    skipped = passes.skipped()
    assert passes.titles() == kept
    assert all(reason == "filtered-out" for reason in skipped.values()) and len(skipped) == 2 - len(
        kept
    )


def test_a_source_not_yet_due_is_skipped_and_a_failed_one_is_due_at_once(
    server: LocalServer, passes: Passes
) -> None:
    server.route("/feed", rss(server, ("/a", "A")))
    server.route("/down", "boom", status=500)
    server.route("/a", article("Alpha"))
    passes.configure(
        {"name": "s", "url": server.url("/feed"), "every": "5m"},
        {"name": "d", "url": server.url("/down"), "every": "5m"},
    )
    passes.run()
    harvests, batches = passes.run()
    assert harvests[0].not_due and not harvests[1].not_due
    (skip,) = batches[0].skipped
    assert (skip.url, skip.reason) == (server.url("/feed"), "not-due")
    assert skip.detail.startswith("polled 0 s ago and due every 5m; next due at ")
    assert passes.hits("/feed") == 1 and passes.hits("/down") == 2
    with passes.store.session() as session:
        down = session.exec(select(Source).where(Source.name == "d")).one()
        assert (down.last_error, down.consecutive_failures) == ("http-status", 2)


def test_kind_auto_tells_an_index_page_from_an_article(server: LocalServer, passes: Passes) -> None:
    index = (
        "<html><body><nav><a href='/about-us'>About</a><a href='/world'>World</a></nav>"
        "<main><article><h2><a href='/news/a'>Alpha</a></h2></article>"
        "<article><h2><a href='/news/b'>Bravo</a></h2></article></main>"
        "<footer><a href='/imprint'>Imprint</a></footer></body></html>"
    )
    server.route("/section", index)
    server.route("/news/a", article("Alpha"))
    server.route("/news/b", article("Bravo"))
    server.route("/single", article("Single"))
    passes.configure(
        {"name": "index", "url": server.url("/section")},
        {"name": "single", "url": server.url("/single")},
    )
    harvests, _ = passes.run()
    assert [h.listing_kind for h in harvests] == ["index", "article"]
    assert passes.titles() == ["Alpha", "Bravo", "Single"]
    assert passes.hits("/about-us") == passes.hits("/world") == passes.hits("/imprint") == 0


@pytest.mark.parametrize("hidden", ["json-ld in the body", "a head past 2 MB"])
def test_kind_auto_tells_a_huge_article_by_signals_past_its_head(
    server: LocalServer, passes: Passes, hidden: str
) -> None:
    """A single-article source over 2 MB (`STREAM_OVER`), whose article signal is not in the
    first 2 MB of head: its JSON-LD in the body, or after a 2.1 MB attribute. It was read as an
    index: the links in its body followed and the article itself never stored, nothing said."""
    ld = (
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        '"@type": "NewsArticle", "headline": "Single",'
        ' "datePublished": "2020-11-09T10:00:00+00:00"}</script>'
    )
    og = '<meta property="og:type" content="article">'
    head = (
        f'<meta name="filler" content="{"x" * 2_100_000}">{og}'
        if hidden != "json-ld in the body"
        else ""
    )
    body = "".join(f"<p>Report {i}: {WORDS}</p>" for i in range(12_000))
    links = "".join(f'<a href="/news/other-{i}">Other {i}</a>' for i in range(30))
    page = (
        f"<html><head><title>Single</title>{head}</head><body>"
        f"{ld if not head else ''}<article><h1>Single</h1>{body}</article>{links}</body></html>"
    )
    assert len(page) > STREAM_OVER
    server.route("/single", page)
    passes.configure({"name": "single", "url": server.url("/single")}, max_bytes=20_000_000)
    harvests, _ = passes.run()
    assert harvests[0].listing_kind == "article"
    assert passes.titles() == ["Single"]
    assert passes.hits("/news/other-0") == 0


def test_an_index_page_with_too_many_links_is_read_in_part_and_says_so(
    server: LocalServer, passes: Passes
) -> None:
    # A section page (ours) that offers far more stories than any outlet shows at once.
    links = "".join(f'<li><a href="/news/story-{i}">Story {i}</a></li>' for i in range(5_000))
    page = f"<html><head><title>All</title></head><body><ul>{links}</ul></body></html>"
    server.route("/news", page)
    server.route("/news/story-0", article("The first story"))
    passes.configure(
        {"name": "dump", "url": server.url("/news"), "kind": "index"}, max_articles_per_source=1
    )
    harvests, batches = passes.run()
    assert harvests[0].failure is None
    cut = [s for b in batches for s in b.skipped if s.reason == "listing-cut"]
    assert [s.url for s in cut] == [server.url("/news")]
    assert f"more than {MAX_LINKS:,} article links" in cut[0].detail
    assert passes.titles() == ["The first story"]  # read from the top, in page order
