"""A page skipped for our own error (a parser that raised, a module missing from the install) is
read on a later pass once the error is gone, instead of being passed over for ever (issue 16).
A real pass over a real local server and a real store; the failing parser is a registered one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from briefwatch.config import Settings, parse_config
from briefwatch.models import Article, Skip
from briefwatch.sources import skips
from briefwatch.sources.skips import RETRY
from briefwatch.store import Store
from parsers import generic
from parsers.registry import PARSERS
from parsers.types import Page, ParsedArticle, Rejection, SiteParser
from tests.conftest import FIXTURES
from tests.support.alerting import run
from tests.support.server import LocalServer

WIRE = (FIXTURES / "pages" / "wire" / "afp-helicopter.html").read_bytes()
PAGE = "/2020/11/09/helicopter"


@pytest.fixture
def broken_while(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A parser `flaky` that raises while the flag file exists, as a parser whose module cannot
    be imported does (trafilatura without lxml_html_clean); else it reads pages as `generic`."""
    flag = tmp_path / "broken"

    def parse(page: Page) -> ParsedArticle | Rejection:
        if flag.exists():
            raise ImportError("lxml.html.clean module is now a separate project lxml_html_clean")
        return generic.parse(page)

    monkeypatch.setitem(PARSERS, "flaky", SiteParser(name="flaky", parse=parse))
    monkeypatch.setenv("BRIEFWATCH_WORKERS", "0")  # parsed in this process, where it is known
    flag.touch()
    yield flag


def settings_for(db_url: str, server: LocalServer) -> Settings:
    return parse_config(
        {
            "storage": {"url": db_url},
            "fetch": {"allow_private": ["127.0.0.1"], "retries": 0},
            "sources": [{"name": "wire", "url": server.url("/feed"), "parser": "flaky"}],
        }
    )


def feed(server: LocalServer) -> str:
    link = server.url(PAGE)
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>'
        f"<item><title>t</title><link>{link}</link><guid>{link}</guid></item></channel></rss>"
    )


def stored(settings: Settings) -> tuple[list[str], list[tuple[str, str]]]:
    store = Store(settings.storage.url)
    try:
        with store.session() as session:
            urls = list(session.exec(select(Article.url)))
            skips = [(s.reason, s.detail) for s in session.exec(select(Skip))]
    finally:
        store.close()
    return urls, skips


def test_a_page_a_parser_failed_on_is_read_once_the_parser_works(
    db_url: str, server: LocalServer, broken_while: Path
) -> None:
    server.route(PAGE, WIRE)
    server.route("/feed", feed(server), content_type="application/rss+xml", etag='"1"')
    settings = settings_for(db_url, server)

    run(settings)
    urls, skips = stored(settings)
    assert urls == []
    [(reason, detail)] = skips
    assert reason == RETRY and detail.startswith("parser-error: the flaky parser failed")

    run(settings)  # still broken: still waiting, not dropped
    assert stored(settings)[0] == []

    broken_while.unlink()  # the install is mended
    run(settings)  # the listing answers 304: the page comes from the retry queue
    urls, skips = stored(settings)
    assert urls == [server.url(PAGE)] and skips == []
    assert len(server.hits(PAGE)) == 3


def test_a_parser_error_recorded_for_good_before_is_read_again_while_listed(
    db_url: str, server: LocalServer, broken_while: Path
) -> None:
    """A store from before parser errors were queued holds them as settled skips."""
    server.route(PAGE, WIRE)
    server.route("/feed", feed(server), content_type="application/rss+xml")
    settings = settings_for(db_url, server)
    store = Store(settings.storage.url)
    with store.session() as session:
        detail = "the flaky parser failed: ImportError: no lxml_html_clean"
        store.record_skip(session, server.url(PAGE), "wire", "parser-error", detail)
    store.close()
    broken_while.unlink()
    run(settings)
    assert stored(settings)[0] == [server.url(PAGE)]


def test_a_page_that_keeps_failing_is_given_up_after_its_attempts(
    db_url: str, server: LocalServer, broken_while: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each pass it fails in counts, though the fetch takes it off the queue each time: a page
    our parser cannot read does not take the first places of every pass for ever."""
    monkeypatch.setattr(skips, "MAX_PASSES", 3)  # passes; 50 in earnest
    server.route(PAGE, WIRE)
    server.route("/feed", feed(server), content_type="application/rss+xml", etag='"1"')
    settings = settings_for(db_url, server)
    for tries in (1, 2, 3):
        run(settings)
        assert [reason for reason, _ in stored(settings)[1]] == [RETRY]
        assert count(settings) == tries
    last = run(settings)
    assert any(s["reason"] == "gave-up" for s in last.to_json()["skipped"])
    assert len(server.hits(PAGE)) == 3  # not fetched in the pass that gave it up
    run(settings)
    assert len(server.hits(PAGE)) == 3  # nor after


def count(settings: Settings) -> int:
    store = Store(settings.storage.url)
    try:
        with store.session() as session:
            return session.exec(select(Skip.count).where(Skip.reason == RETRY)).one()
    finally:
        store.close()
