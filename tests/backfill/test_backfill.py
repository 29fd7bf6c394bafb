"""Backfill through its real parts, without Prefect: an archive served on 127.0.0.1 (monthly
sitemaps under an index, a paged section), the real fetcher, parsers and pipeline, a real store
(SQLite, and the machine's PostgreSQL where it matters), Apprise delivering to a local receiver.
"""

from __future__ import annotations

import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from briefwatch.backfill import run as backfill
from briefwatch.backfill.range import Range, parse_range, period_of, sitemap_in_range
from briefwatch.config import Settings, parse_config
from briefwatch.demo.pages import DemoArticle, article_path, render_article, render_feed
from briefwatch.fetch.client import Fetcher
from briefwatch.models import Article, BackfillItem, Change, Delivery, Fact
from briefwatch.store import Store
from parsers.pagination import entry_dates, next_page
from parsers.types import ListingEntry, Page
from tests.conftest import FIXTURES
from tests.support.receiver import Receiver
from tests.support.server import LocalServer

SECTION = "/section/karabakh"
PER_PAGE = 3


def archive_stories(*extra: DemoArticle) -> list[DemoArticle]:
    """The Valley Dispatch's stories (tests/fixtures/backfill/archive.toml), oldest first."""
    data = tomllib.loads((FIXTURES / "backfill" / "archive.toml").read_text(encoding="utf-8"))
    stories = [
        DemoArticle(
            slug=s["slug"],
            outlet_build="wire",
            title=s["title"],
            paragraphs=tuple(s["paragraphs"]),
            published=s["published"],
        )
        for s in data["stories"]
    ]
    return sorted([*stories, *extra], key=lambda s: s.published)


class Archive:
    """The archive on a local server: each story's page, a sitemap per month under
    ``/sitemap.xml`` (October's as a Google News sitemap, with a static sitemap beside them),
    and a section index, newest first, ``PER_PAGE`` stories a page, whose first page links
    on with ``<link rel="next">`` and the others with a plain ``?page=N`` link."""

    def __init__(self, server: LocalServer, *extra: DemoArticle) -> None:
        self.server = server
        self.stories = archive_stories(*extra)
        base = server.url("/")
        for story in self.stories:
            server.route(article_path(story), render_article(story, base))
        months: dict[str, list[DemoArticle]] = {}
        for story in self.stories:
            months.setdefault(f"{story.published:%Y-%m}", []).append(story)
        for month, stories in months.items():
            server.route(self.sitemap(month), self._urlset(stories, news=month == "2020-10"),
                         content_type="application/xml")  # fmt: skip
        server.route("/sitemaps/static.xml", self._static(), content_type="application/xml")
        children = "".join(
            f"<sitemap><loc>{server.url(self.sitemap(m))}</loc>"
            f"<lastmod>{max(s.published for s in stories).isoformat()}</lastmod></sitemap>"
            for m, stories in months.items()
        ) + (
            f"<sitemap><loc>{server.url('/sitemaps/static.xml')}</loc>"
            "<lastmod>2019-05-01T00:00:00Z</lastmod></sitemap>"
        )
        server.route(
            "/sitemap.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{children}'
            "</sitemapindex>",
            content_type="application/xml",
        )
        newest_first = self.stories[::-1]
        self.pages = [newest_first[i : i + PER_PAGE] for i in range(0, len(newest_first), PER_PAGE)]
        for number, stories in enumerate(self.pages, start=1):
            last = number == len(self.pages)
            server.route(self.page(number), self._section(number, stories, last))
        server.route("/rss", render_feed(newest_first, base, "The Valley Dispatch"),
                     content_type="application/rss+xml")  # fmt: skip

    @staticmethod
    def sitemap(month: str) -> str:
        return f"/sitemaps/{month}.xml"

    @staticmethod
    def page(number: int) -> str:
        return SECTION if number == 1 else f"{SECTION}?page={number}"

    def path(self, slug: str) -> str:
        return article_path(next(s for s in self.stories if s.slug == slug))

    def hits(self, path: str) -> int:
        return len(self.server.hits(path))

    def article_hits(self) -> dict[str, int]:
        return {s.slug: self.hits(article_path(s)) for s in self.stories}

    def _urlset(self, stories: Sequence[DemoArticle], *, news: bool) -> str:
        def entry(story: DemoArticle) -> str:
            loc = escape(self.server.url(article_path(story)))
            if news:
                return (
                    f"<url><loc>{loc}</loc><news:news><news:publication_date>"
                    f"{story.published.isoformat()}</news:publication_date><news:title>"
                    f"{escape(story.title)}</news:title></news:news></url>"
                )
            return f"<url><loc>{loc}</loc><lastmod>{story.published.isoformat()}</lastmod></url>"

        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            + "".join(entry(s) for s in stories)
            + "</urlset>"
        )

    def _static(self) -> str:
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{self.server.url('/about/')}</loc><lastmod>2019-05-01</lastmod></url>"
            "</urlset>"
        )

    def _section(self, number: int, stories: Sequence[DemoArticle], last: bool) -> str:
        # Cards on the first page show their time; later ones are dated by their URL alone.
        cards = "".join(
            f'<article class="card"><h2><a href="{escape(article_path(s))}">'
            f"{escape(s.title)}</a></h2>"
            + (f'<time datetime="{s.published.isoformat()}">{s.published:%d %B}</time>'
               if number == 1 else "")
            + "<p>From our correspondents.</p></article>"
            for s in stories
        )  # fmt: skip
        following = self.page(number + 1)
        head = f'<link rel="next" href="{escape(following)}">' if number == 1 and not last else ""
        older = "" if last or number == 1 else f'<a href="{escape(following)}">Older stories</a>'
        return (
            f"<!DOCTYPE html><html><head><title>Karabakh - The Valley Dispatch</title>{head}"
            '</head><body><nav><a href="/">Home</a> <a href="/section/world">World</a></nav>'
            f"<main><h1>Karabakh</h1>{cards}<div class='pager'>{older}</div></main>"
            "<footer><a href='/about/'>About us</a></footer></body></html>"
        )


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as hook:
        yield hook


def settings_for(db_url: str, server: LocalServer, hook: Receiver, **source: str) -> Settings:
    return parse_config(
        {
            "storage": {"url": db_url},
            "fetch": {"allow_private": ["127.0.0.1"], "retries": 0, "read_timeout": 5},
            "sources": [{"name": "dispatch", **source}],
            "channels": [{"name": "hook", "url": hook.apprise_url}],
        }
    )


def run(settings: Settings, since: str, until: str | None = None, **kw: Any) -> backfill.Report:
    store = Store(settings.storage.url)
    with Fetcher(settings.fetch) as fetcher:
        report = backfill.run_backfill(settings, store, fetcher, "dispatch", since, until, **kw)
    store.close()
    return report


def stored(settings: Settings | str) -> set[str]:
    """The slugs of the stories in the store."""
    store = Store(settings if isinstance(settings, str) else settings.storage.url)
    with store.session() as session:
        urls = set(session.exec(select(Article.url)))
    store.close()
    return {url.rstrip("/").rsplit("/", 1)[-1] for url in urls}


# -- sitemaps ------------------------------------------------------------------------------------


def test_a_sitemap_backfill_reads_only_the_range_and_alerts_nothing_old(
    db_url: str, server: LocalServer, receiver: Receiver
) -> None:
    site = Archive(server)
    settings = settings_for(db_url, server, receiver, url=server.url("/sitemap.xml"))

    report = run(settings, "2020-10-05", "2020-10-20")

    assert report.refusal is None and report.stop is not None
    assert report.stop.reason == "finished", report.stop
    assert stored(settings) == {"hadrut-claimed-by-aliyev", "fizuli-changes-hands"}
    # The index and October's sitemap only: September and November are named out of the range,
    # the static sitemap was last modified before it.
    assert site.hits("/sitemap.xml") == 1 and site.hits(site.sitemap("2020-10")) == 1
    assert site.hits(site.sitemap("2020-09")) == site.hits(site.sitemap("2020-11")) == 0
    assert site.hits("/sitemaps/static.xml") == 0
    # October's other stories are dated out of the range by the sitemap: never fetched.
    fetched = {slug for slug, n in site.article_hits().items() if n}
    assert fetched == {"hadrut-claimed-by-aliyev", "fizuli-changes-hands"}
    # Their claims folded into facts and changes, recorded quietly: nothing queued, nothing sent.
    store = Store(db_url)
    with store.session() as session:
        # "Fizuli" as written is Fuzuli in the gazetteer: one place, one fact, one name
        assert {f.key for f in session.exec(select(Fact))} == {"control:hadrut", "control:fuzuli"}
        assert len(session.exec(select(Change)).all()) == 2
        assert session.exec(select(Delivery)).all() == []
    store.close()
    assert sorted(report.quiet) == [
        "Fuzuli: captured by Azerbaijani troops",
        "Hadrut: captured by Azerbaijani forces",
    ]
    assert report.alerted == [] and receiver.messages == []
    assert report.progress["article done"] == 2


def test_a_backfill_stopped_at_its_page_cap_continues_without_fetching_anything_twice(
    tmp_path: Path, server: LocalServer, receiver: Receiver
) -> None:
    site = Archive(server)
    settings = settings_for(
        f"sqlite:///{tmp_path / 'bw.db'}", server, receiver, url=server.url("/sitemap.xml")
    )
    reasons = []
    for _ in range(3):
        report = run(settings, "2020-09-01", "2020-11-30", max_pages=2)
        assert report.stop is not None
        reasons.append(report.stop.reason)
    # The index and September's sitemap; October's and November's, the last; nothing left.
    assert reasons == ["page-cap", "finished", "finished"]
    assert report.pages_read == 0 and report.articles.fetched == 0
    assert len(stored(settings)) == len(site.stories)
    for month in ("2020-09", "2020-10", "2020-11"):
        assert site.hits(site.sitemap(month)) == 1
    assert site.hits("/sitemap.xml") == 1
    assert set(site.article_hits().values()) == {1}


def test_a_backfill_killed_half_way_continues_where_it_stopped(
    tmp_path: Path, server: LocalServer, receiver: Receiver
) -> None:
    site = Archive(server)
    slow = site.path("toll-passes-one-thousand")  # the 4th of October's 4 stories
    server.routes[slow].delay = 60  # the run is killed while it waits for this page
    config = tmp_path / "briefwatch.toml"
    db = tmp_path / "bw.db"
    config.write_text(
        f'[storage]\nurl = "sqlite:///{db}"\n[fetch]\nallow_private = ["127.0.0.1"]\n'
        f'retries = 0\nread_timeout = 120\ndeadline = 120\n[[sources]]\nname = "dispatch"\n'
        f'url = "{server.url("/sitemap.xml")}"\n',
        encoding="utf-8",
    )
    script = (
        "import sys\n"
        "from briefwatch.backfill.run import run_backfill\n"
        "from briefwatch.config import load_config\n"
        "from briefwatch.fetch.client import Fetcher\n"
        "from briefwatch.store import Store\n"
        "settings = load_config(sys.argv[1])\n"
        "with Fetcher(settings.fetch) as fetcher:\n"
        "    run_backfill(settings, Store(settings.storage.url), fetcher, 'dispatch',\n"
        "                 '2020-10-01', '2020-10-31')\n"
    )
    process = subprocess.Popen([sys.executable, "-c", script, str(config)])
    try:
        deadline = time.monotonic() + 60
        while not server.hits(slow):
            assert process.poll() is None, "the backfill ended before it was killed"
            assert time.monotonic() < deadline, "the backfill never reached the slow page"
            time.sleep(0.05)
        process.kill()  # SIGKILL: no cleanup, no finally
    finally:
        process.wait(timeout=10)
    assert len(stored(f"sqlite:///{db}")) == 3

    server.routes[slow].delay = 0
    settings = settings_for(f"sqlite:///{db}", server, receiver, url=server.url("/sitemap.xml"))
    report = run(settings, "2020-10-01", "2020-10-31")

    assert report.stop is not None and report.stop.reason == "finished"
    assert report.pages_read == 0 and report.articles.fetched == 1  # only the page in flight
    assert site.hits("/sitemap.xml") == site.hits(site.sitemap("2020-10")) == 1
    hits = site.article_hits()
    october = {s.slug for s in site.stories if s.published.month == 10}
    assert {slug: hits[slug] for slug in october} == {
        "baku-says-jabrayil-taken": 1,
        "hadrut-claimed-by-aliyev": 1,
        "fizuli-changes-hands": 1,
        "toll-passes-one-thousand": 2,  # in flight when the first run died
    }
    assert stored(settings) == october


# -- paged index pages ---------------------------------------------------------------------------


def test_an_index_backfill_follows_pages_until_it_passes_since(
    db_url: str, server: LocalServer, receiver: Receiver
) -> None:
    site = Archive(server)
    settings = settings_for(db_url, server, receiver, url=server.url(SECTION), kind="index")

    report = run(settings, "2020-10-10")

    assert report.stop is not None and report.stop.reason == "finished"
    assert "page 2 reaches 2020-10-09, before since" in report.stop.detail
    # Page 1 by its rel="next", page 2 by its ?page=3 link, which is not followed: page 2's
    # last story (Hadrut, 9 October, dated by its URL) is older than since.
    assert [r.url for r in report.listings] == [server.url(SECTION), server.url(site.page(2))]
    assert site.hits(site.page(3)) == 0
    assert stored(settings) == {
        "ceasefire-brings-quiet",
        "aliyev-says-shusha-taken",
        "martuni-under-fire",
        "toll-passes-one-thousand",
        "fizuli-changes-hands",
    }
    assert site.hits(site.path("hadrut-claimed-by-aliyev")) == 0
    assert report.alerted == [] and receiver.messages == []


def test_failed_pages_are_tried_on_the_next_run_and_nothing_else_is_fetched_again(
    db_url: str, server: LocalServer, receiver: Receiver
) -> None:
    site = Archive(server)
    server.routes[site.page(2)].fail_first = [503]
    server.routes[site.path("martuni-under-fire")].fail_first = [500]
    settings = settings_for(db_url, server, receiver, url=server.url(SECTION), kind="index")

    first = run(settings, "2020-10-10")

    assert first.stop is not None and first.stop.reason == "incomplete", first.stop
    assert stored(settings) == {"ceasefire-brings-quiet", "aliyev-says-shusha-taken"}
    assert len(first.articles.failed) == 1 and "martuni" in first.articles.failed[0]

    second = run(settings, "2020-10-10")

    assert second.stop is not None and second.stop.reason == "finished", second.stop
    assert len(stored(settings)) == 5
    assert site.hits(site.page(1)) == 1 and site.hits(site.page(2)) == 2  # a 503, then read
    hits = site.article_hits()
    assert hits["martuni-under-fire"] == 2  # a 500, then read
    assert hits["ceasefire-brings-quiet"] == hits["aliyev-says-shusha-taken"] == 1
    assert hits["hadrut-claimed-by-aliyev"] == 0


def test_a_recent_change_is_alerted_and_old_ones_are_recorded_quietly(
    tmp_path: Path, server: LocalServer, receiver: Receiver
) -> None:
    yesterday = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    recent = DemoArticle(
        slug="talish-reported-taken",
        outlet_build="wire",
        title="Talish reported taken",
        paragraphs=(
            "Azerbaijani forces captured the village of Talish, President Ilham Aliyev said in a "
            "statement on Monday.",
            "There was no word from officials in Stepanakert on the claim, which was first made "
            "on state television.",
            "The village sits in the wooded hills north of the line where the fighting began.",
            "Residents who left it in the first days of the war said they heard shelling all "
            "weekend.",
        ),
        published=yesterday,
    )
    Archive(server, recent)
    settings = settings_for(
        f"sqlite:///{tmp_path / 'bw.db'}", server, receiver, url=server.url(SECTION)
    )

    report = run(settings, "2020-11-01")

    assert report.alerted == ["Talish: captured by Azerbaijani forces"]
    assert report.quiet == ["Shusha: captured by Azerbaijani forces"]
    assert receiver.titles() == ["Talish: captured by Azerbaijani forces"]
    store = Store(settings.storage.url)
    with store.session() as session:
        facts = {f.key for f in session.exec(select(Fact))}
        assert {"control:shusha", "control:talish"} <= facts
        assert [d.change_key for d in session.exec(select(Delivery))] == ["control:talish#1"]
    store.close()


# -- what cannot be backfilled -------------------------------------------------------------------


def test_a_feed_is_refused_with_its_reason_once_and_for_good(
    tmp_path: Path, server: LocalServer, receiver: Receiver
) -> None:
    site = Archive(server)
    db = f"sqlite:///{tmp_path / 'bw.db'}"
    settings = settings_for(db, server, receiver, url=server.url("/rss"))

    first = run(settings, "2020-10-01")
    again = run(settings, "2020-10-01")

    for report in (first, again):
        assert report.refusal is not None and report.refusal.reason == "feed-has-no-archive"
        assert "cannot go back in time" in report.refusal.detail
        assert 'kind "sitemap" or "index"' in report.refusal.detail
        assert report.stop is None and report.articles.fetched == 0
    assert site.hits("/rss") == 1  # the second run knew without asking
    assert stored(settings) == set()

    declared = settings_for(db, server, receiver, url=server.url("/rss2"), kind="feed")
    refusal = run(declared, "2020-10-01").refusal
    assert refusal is not None and refusal.reason == "feed-has-no-archive"
    assert site.hits("/rss2") == 0  # refused from the config alone
    one = settings_for(db, server, receiver, url=server.url(site.path("fizuli-changes-hands")),
                       kind="article")  # fmt: skip
    refusal = run(one, "2020-10-01").refusal
    assert refusal is not None and refusal.reason == "single-article"
    for since, until in (("2020-11-01", "2020-10-01"), ("01/10/2020", None), ("2999-01-01", None)):
        refusal = run(settings, since, until).refusal
        assert refusal is not None and refusal.reason == "bad-range", (since, until)


# -- the pieces ----------------------------------------------------------------------------------


def test_a_range_is_whole_days_and_an_open_one_ends_when_it_first_ran() -> None:
    now = datetime(2026, 1, 15, 12, tzinfo=UTC)
    closed = parse_range("2020-10-01", "2020-10-31", now)
    assert isinstance(closed, Range)
    assert closed.since == datetime(2020, 10, 1, tzinfo=UTC)
    assert closed.until == datetime(2020, 11, 1, tzinfo=UTC)  # the last day is included
    assert closed.label == "2020-10-01..2020-10-31"
    open_ = parse_range("2020-10-01", None, now)
    assert isinstance(open_, Range) and open_.until == now and open_.label == "2020-10-01.."


@pytest.mark.parametrize(
    ("url", "start", "end"),
    [
        ("https://n.test/sitemap-2020-11.xml", (2020, 11, 1), (2020, 12, 1)),
        ("https://n.test/sitemaps/2020/12/sitemap.xml", (2020, 12, 1), (2021, 1, 1)),
        ("https://n.test/sitemap_2020_11_09.xml", (2020, 11, 9), (2020, 11, 10)),
        ("https://n.test/news-sitemap-20201109.xml.gz", (2020, 11, 9), (2020, 11, 10)),
        ("https://n.test/sitemap.xml?yyyy=2020", (2020, 1, 1), (2021, 1, 1)),
        ("https://n.test/post-sitemap2.xml", None, None),
    ],
)
def test_a_sitemap_named_for_a_period(url: str, start: tuple | None, end: tuple | None) -> None:
    got = period_of(url)
    expected = tuple(datetime(*d, tzinfo=UTC) if d else None for d in (start, end))
    assert got == expected


def test_which_child_sitemaps_may_hold_the_range() -> None:
    october = Range(datetime(2020, 10, 1, tzinfo=UTC), datetime(2020, 11, 1, tzinfo=UTC), "")
    old = datetime(2019, 5, 1, tzinfo=UTC)
    assert sitemap_in_range(ListingEntry("https://n.test/sitemap-2020-10.xml"), october)
    assert not sitemap_in_range(ListingEntry("https://n.test/sitemap-2020-11.xml"), october)
    assert not sitemap_in_range(ListingEntry("https://n.test/pages.xml", published=old), october)
    assert sitemap_in_range(ListingEntry("https://n.test/posts.xml"), october)  # undated


def test_next_pages_and_card_dates_are_read_from_the_page() -> None:
    def page(url: str, body: str) -> Page:
        return Page(url, f"<html><head></head><body>{body}</body></html>".encode(), "text/html")

    numbered = page("https://n.test/news/page/2/", '<a href="/news/page/1/">1</a>'
                    '<a href="/news/page/3/">3</a><a href="/tag/war/page/3/">war</a>')  # fmt: skip
    assert next_page(numbered, 2) == "https://n.test/news/page/3/"
    query = page("https://n.test/world?sort=new", '<a href="/world?sort=new&page=2">More</a>')
    assert next_page(query, 1) == "https://n.test/world?sort=new&page=2"
    rel = page("https://n.test/world", '<a rel="next" href="/archive/older">Older</a>')
    assert next_page(rel, 1) == "https://n.test/archive/older"
    assert next_page(page("https://n.test/world", '<a href="/world/x">x</a>'), 1) is None

    cards = page(
        "https://n.test/world",
        '<ul><li><a href="/a">A</a><time datetime="2020-10-09T10:00:00Z">9 Oct</time></li>'
        '<li><a href="/2020/10/02/b">B</a></li><li><a href="/c">C</a></li></ul>',
    )
    dates = entry_dates(
        cards, ["https://n.test/a", "https://n.test/2020/10/02/b", "https://n.test/c"]
    )
    assert dates == {
        "https://n.test/a": datetime(2020, 10, 9, 10, tzinfo=UTC),
        "https://n.test/2020/10/02/b": datetime(2020, 10, 2, tzinfo=UTC),
    }


def test_each_url_is_queued_once_per_backfill(db_url: str) -> None:
    store = Store(db_url)
    settings = parse_config({"sources": [{"name": "s", "url": "https://n.test/sitemap.xml"}]})
    job = backfill.open_backfill(store, settings.sources[0], "2020-10-01", "2020-10-31")
    assert isinstance(job, backfill.Job)
    again = backfill.open_backfill(store, settings.sources[0], "2020-10-01", "2020-10-31")
    assert again == job  # the same backfill, found by its source and range
    with store.session() as session:
        items = session.exec(select(BackfillItem)).all()
        assert [(i.url, i.role) for i in items] == [("https://n.test/sitemap.xml", "listing")]
    store.close()
