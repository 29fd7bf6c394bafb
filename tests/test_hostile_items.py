"""One hostile item never poisons a pass: a feed entry whose title carries NUL characters, or an
article URL of 3,000 characters, beside good entries, on SQLite and on the machine's PostgreSQL
(which refuses NUL in text and index rows over 2,704 bytes). Each item is stored or recorded as
skipped with its reason, on its own; the good articles are stored and alerted; the pass, and the
next one, complete. Real HTTP on 127.0.0.1, a real store, Apprise to a local receiver.
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from briefwatch import pipeline
from briefwatch.config import Settings, parse_config
from briefwatch.fetch.client import Fetcher
from briefwatch.models import Article, Claim, Skip, Story
from briefwatch.store import Store
from briefwatch.stories.batch import STORE_ERROR, Incoming, Unstored, store_articles
from parsers.types import ParsedArticle
from tests.support.receiver import Receiver
from tests.support.server import LocalServer
from tests.test_run_e2e import Briefwatch

# A URL of random characters: PostgreSQL compresses a long run of one letter under its limit.
LONG_PATH = "/long/" + "".join(random.Random(16).choices(string.ascii_lowercase, k=3000))
FILLER = (
    "The regional council met late into the evening to go through the repair plans line by line."
)


AROUND = {
    "First": ("Crews worked through the night to clear the mountain roads of fallen rock.",
              "Two schools in the valley stayed shut, and the buses ran on a winter timetable."),
    "Second": ("The army published a short video of its soldiers raising a flag over a hill.",
               "Neither side let reporters into the district to check what had been said."),
    "Long": ("A market hall near the square burned for most of the afternoon.",
             "Firefighters from two neighbouring towns were sent to help, the mayor said."),
    "Odd": ("Farmers on the plain said the harvest would be late this year.",
            "The regional bank said it would lend them seed money until the spring."),
}  # fmt: skip


def page(title: str, sentence: str) -> bytes:
    """An article page of its own: each title its own body, so no two are copies."""
    before, after = AROUND[title]
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{before}</p><p>{sentence}</p><p>{after}</p>"
        "</article></body></html>"
    ).encode()


def full_text_item(title: str, link: str) -> str:
    """A full-text feed entry (`content:encoded`): stored from the feed, no page fetched."""
    body = "".join(f"<p>{FILLER} {FILLER} {FILLER} Paragraph {i}.</p>" for i in range(3))
    captured = "<p>Armenian forces captured Askeran on Sunday, the governor said.</p>"
    return (
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
        f"<content:encoded><![CDATA[{captured}{body}]]></content:encoded></item>"
    )


def hostile_feed(server: LocalServer) -> bytes:
    links = ["/good-1", LONG_PATH, "/good-2"]
    items = "".join(f"<item><title>t</title><link>{server.url(p)}</link></item>" for p in links)
    items += full_text_item("Night \x00of the\x01 storm", server.url("/full"))
    return (
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>hostile</title>{items}</channel></rss>"
    ).encode()


def serve_hostile(server: LocalServer) -> None:
    server.route(
        "/good-1", page("First", "Azerbaijani forces took Fuzuli on Sunday, the ministry said.")
    )
    server.route(LONG_PATH, page("Long", "At least 40 people were killed in Martuni, it said."))
    server.route("/good-2", page("Second", "Azerbaijani forces captured Hadrut, the army said."))
    server.route("/feed", hostile_feed(server), content_type="application/rss+xml")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as hook:
        yield hook


def settings_for(db_url: str, server: LocalServer, hook: Receiver) -> Settings:
    return parse_config(
        {
            "storage": {"url": db_url},
            "fetch": {"allow_private": ["127.0.0.1"], "retries": 0},
            "sources": [{"name": "hostile", "url": server.url("/feed")}],
            "channels": [{"name": "hook", "url": hook.apprise_url}],
        }
    )


def run(settings: Settings) -> pipeline.PassSummary:
    store = Store(settings.storage.url)
    with Fetcher(settings.fetch) as fetcher:
        summary = pipeline.run_pass(settings, store, fetcher)
    store.close()
    return summary


def test_a_nul_title_and_a_3000_character_url_never_fail_a_pass(
    db_url: str, server: LocalServer, receiver: Receiver
) -> None:
    serve_hostile(server)
    settings = settings_for(db_url, server, receiver)

    first = run(settings)
    assert first.failed_sources == []
    assert first.counts()["new_stories"] == 3  # the two good pages and the full-text entry
    skipped = {s["reason"]: s for s in first.to_json()["skipped"]}
    assert skipped["url-too-long"]["url"].endswith(LONG_PATH)
    assert "3,0" in skipped["url-too-long"]["detail"]  # its length, said
    assert not any(r.path == LONG_PATH for r in server.requests)  # never fetched
    titles = receiver.titles()
    assert "Hadrut: captured by Azerbaijani forces" in titles
    assert "Fuzuli: captured by Azerbaijani forces" in titles
    assert "Askyaran: captured by Armenian forces" in titles  # the full-text entry's claim
    assert not any("40" in t for t in titles)

    store = Store(db_url)
    with store.session() as session:
        stored = {a.url.rsplit("/", 1)[-1]: a for a in session.exec(select(Article))}
        assert sorted(stored) == ["full", "good-1", "good-2"]
        assert stored["full"].title == "Night of the storm"  # its control characters out
        skips = session.exec(select(Skip).where(Skip.reason == "url-too-long")).all()
        assert len(skips) == 1 and skips[0].url.startswith(server.url("/long/"))
    store.close()

    second = run(settings)  # the next pass reads the same feed and completes too
    assert second.failed_sources == [] and second.counts()["new_stories"] == 0
    assert receiver.titles() == titles
    store = Store(db_url)
    with store.session() as session:
        skips = session.exec(select(Skip).where(Skip.reason == "url-too-long")).all()
        assert [s.count for s in skips] == [2]  # one row, counted each pass it is passed over
    store.close()


def test_a_page_whose_canonical_link_is_too_long_is_skipped_alone(
    db_url: str, server: LocalServer, receiver: Receiver
) -> None:
    """The listing's URL is short; the page's rel=canonical (same site) names a long one."""
    long_canonical = server.url(LONG_PATH)
    hidden = page("Odd", "At least 7 people were killed in Askeran, it said.").replace(
        b"<head>", f'<head><link rel="canonical" href="{long_canonical}">'.encode()
    )
    server.route("/odd", hidden)
    server.route("/good-2", page("Second", "Azerbaijani forces captured Hadrut, the army said."))
    links = "".join(
        f"<item><title>t</title><link>{server.url(p)}</link></item>" for p in ("/odd", "/good-2")
    )
    feed = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{links}</channel></rss>'
    )
    server.route("/feed", feed.encode(), content_type="application/rss+xml")
    summary = run(settings_for(db_url, server, receiver))
    assert summary.failed_sources == []
    assert [s.reason for b in summary.batches for s in b.skipped] == ["url-too-long"]
    assert receiver.titles() == ["Hadrut: captured by Azerbaijani forces"]


def test_a_lone_surrogate_in_a_pages_json_ld_is_stored_as_a_replacement_character(
    db_url: str, server: LocalServer, receiver: Receiver
) -> None:
    """JSON's "\\ud800" decodes to a lone surrogate, which no store can encode as UTF-8."""
    hostile = page("Second", "Azerbaijani forces captured Hadrut, the army said.").replace(
        b"<head>",
        b'<head><script type="application/ld+json">{"@type": "NewsArticle", '
        b'"headline": "Hadrut \\ud800falls", "author": {"name": "A \\udfffWriter"}}</script>',
    )
    server.route("/good-2", hostile)
    server.route(
        "/feed",
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title><item><title>t'
        f"</title><link>{server.url('/good-2')}</link></item></channel></rss>",
        content_type="application/rss+xml",
    )
    summary = run(settings_for(db_url, server, receiver))
    assert summary.failed_sources == [] and summary.counts()["new_stories"] == 1
    assert receiver.titles() == ["Hadrut: captured by Azerbaijani forces"]
    store = Store(db_url)
    with store.session() as session:
        (article,) = session.exec(select(Article)).all()
    store.close()
    assert article.title == "Hadrut \ufffdfalls"


def test_an_article_carries_no_control_characters_whichever_parser_built_it() -> None:
    parsed = ParsedArticle(
        url="https://harbour.example/1",
        title="Shu\x00sha\x07 falls",
        paragraphs=("Forces entered Shu\x00sha,\x0bthe town,\ttoday.\n", "clean"),
        parser="an-add-on",
        authors=("A\x1b. Writer",),
    )
    assert parsed.title == "Shusha falls"  # a NUL inside a word no longer hides it
    assert parsed.paragraphs == ("Forces entered Shusha, the town,\ttoday.\n", "clean")
    assert parsed.authors == ("A. Writer",)


def _article(n: int, url: str) -> Incoming:
    # Words of its own, so that no two reports are copies of one story.
    words = " ".join(random.Random(n).choices(FILLER.split(), k=40)) + f" Report {n}."
    parsed = ParsedArticle(
        url=url,
        title=f"Harbour report {n}",
        paragraphs=(words, f"Paragraph two of report {n}, about the ferries."),
        parser="generic",
        outlet="harbour",
        published=datetime(2020, 11, 3, 9, n, tzinfo=UTC),
    )
    return Incoming(url, parsed)


def test_one_row_the_database_refuses_never_costs_the_other_19_of_its_batch(db_url: str) -> None:
    """Here the store is handed the long URL itself (no harvest in front to skip it): PostgreSQL
    refuses the row; the batch is stored again one article at a time and only that one is lost,
    with the error. SQLite has no such limit and stores all twenty."""
    long_url = "https://harbour.example" + LONG_PATH
    batch = [_article(n, f"https://harbour.example/{n}") for n in range(20)]
    batch[7] = _article(7, long_url)
    store = Store(db_url)
    done = store_articles(store, "harbour", batch, {}, {}, lambda _s: {})
    refused = [(i, v) for i, v in enumerate(done.verdicts) if isinstance(v, Unstored)]
    with store.session() as session:
        urls = set(session.exec(select(Article.url)).all())
        stories = len(session.exec(select(Story)).all())
    store.close()
    if db_url.startswith("postgresql"):
        assert [i for i, _ in refused] == [7]
        assert refused[0][1].reason == STORE_ERROR
        assert "index row size" in refused[0][1].detail
        assert len(urls) == stories == 19 and long_url not in urls
    else:
        assert refused == [] and len(urls) == stories == 20
    assert [v for v in done.verdicts if not isinstance(v, Unstored)] == ["new-story"] * len(urls)


@pytest.fixture
def bw(tmp_path: Path, prefect_api: str) -> Briefwatch:
    return Briefwatch(tmp_path, prefect_api)


def test_briefwatch_run_on_postgresql_exits_0_twice_with_a_hostile_feed(
    bw: Briefwatch, pg_url: str, server: LocalServer, receiver: Receiver
) -> None:
    serve_hostile(server)
    bw.write_config([{"name": "hostile", "url": server.url("/feed")}], receiver.apprise_url)
    text = bw.config.read_text(encoding="utf-8")
    sqlite_url = f"sqlite:///{Path(bw.workdir) / 'bw.db'}"
    bw.config.write_text(text.replace(sqlite_url, pg_url), encoding="utf-8")
    first = bw("run")
    assert "3 new stories" in first.stdout
    assert "skipped url-too-long" in first.stdout
    assert "Hadrut: captured by Azerbaijani forces" in receiver.titles()
    second = bw("run")
    assert "0 new stories" in second.stdout and "0 failed sources" in second.stdout


def test_a_place_alias_longer_than_any_place_name_is_not_kept(db_url: str) -> None:
    """The extractor learns aliases from the text ("Shusha, known as Shushi"); a "name" of 300
    characters would overflow the alias key on PostgreSQL and fail its article's batch."""
    store = Store(db_url)
    long_name = " ".join(["Aaron"] * 60)
    with store.session() as session:
        store.save_place_aliases(session, {"Shushi": "Shusha", long_name: "Shusha"})
    assert store.place_aliases() == {"Shushi": "Shusha", "Shusha": "Shusha"}
    store.close()


def test_a_claim_the_fold_cannot_read_waits_and_never_fails_the_pass(
    db_url: str, server: LocalServer, receiver: Receiver
) -> None:
    """A claim row the fold raises on (here one whose data lost its fields, as a row written by
    another version might) costs its own fact only: the other facts fold and alert, the pass
    completes, and the claim stays unfolded for a later pass."""
    server.route(
        "/good-1", page("First", "Azerbaijani forces took Fuzuli on Sunday, the ministry said.")
    )
    server.route("/good-2", page("Second", "Azerbaijani forces captured Hadrut, the army said."))
    server.route("/feed", f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>'
                 f"<item><title>t</title><link>{server.url('/good-1')}</link></item>"
                 "</channel></rss>", content_type="application/rss+xml")  # fmt: skip
    settings = settings_for(db_url, server, receiver)
    run(settings)
    store = Store(db_url)
    with store.session() as session:
        (article,) = session.exec(select(Article)).all()
        broken = Claim(key="b" * 64, kind="casualty", fact_key="casualty:incident:broken",
                       story_id=article.story_id, article_id=article.id, sentence="Broken.",
                       position=0, data={}, folded=False)  # fmt: skip
        session.add(broken)
    store.close()
    server.route("/feed", f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>'
                 f"<item><title>t</title><link>{server.url('/good-2')}</link></item>"
                 "</channel></rss>", content_type="application/rss+xml")  # fmt: skip

    second = run(settings)
    assert second.changes == ["Hadrut: captured by Azerbaijani forces"]
    assert receiver.titles() == [
        "Fuzuli: captured by Azerbaijani forces",
        "Hadrut: captured by Azerbaijani forces",
    ]
    third = run(settings)  # the broken claim is tried again, and again costs nothing else
    assert third.changes == [] and len(receiver.titles()) == 2
    store = Store(db_url)
    with store.session() as session:
        waiting = session.exec(select(Claim).where(Claim.folded == False)).all()  # noqa: E712
    store.close()
    assert [c.fact_key for c in waiting] == ["casualty:incident:broken"]
