"""A page that names UTF-7 is read as browsers read it, never as UTF-7: in UTF-7, "+AEE-" is an
"A", so a sentence can hide in bytes that show nothing a reader (or a filter) would notice.
The HTML standard forbids user agents to support it; so do we, wherever it is named (the HTTP
header, a <meta> tag), and say so. Real HTTP on 127.0.0.1, a real pass, a local receiver.
"""

from __future__ import annotations

import base64
import logging
from pathlib import Path

import pytest
from sqlmodel import select

from briefwatch import pipeline
from briefwatch.config import parse_config
from briefwatch.fetch.client import Fetcher
from briefwatch.models import Article
from briefwatch.store import Store
from parsers.registry import parse_article
from parsers.types import Page, ParsedArticle
from tests.support.receiver import Receiver
from tests.support.server import LocalServer

HIDDEN = "Armenian forces captured Hadrut, the army said."


def utf7(text: str) -> bytes:
    """``text`` written all in UTF-7's base64 form: letters a filter cannot read."""
    packed = base64.b64encode(text.encode("utf-16-be")).rstrip(b"=")
    return b"+" + packed + b"-"


def page(meta: str = "") -> bytes:
    return (
        f"<html><head>{meta}<title>Valley news</title></head><body><article><h1>Valley news</h1>"
        "<p>The valley road was closed to traffic for a second day after the storm.</p>"
        "<p>Shops in the district centre stayed shut and the schools sent children home.</p>"
        "<p>".encode()
        + utf7(HIDDEN)
        + b"</p></article></body></html>"
    )


@pytest.mark.parametrize(
    ("header", "meta", "refused"),
    [
        ("utf-7", "", ("utf-7 (http)",)),
        (None, '<meta charset="utf-7">', ("utf-7 (declared)",)),
        ("UTF-7", '<meta http-equiv="Content-Type" content="text/html; charset=utf-7">',
         ("utf-7 (http)", "utf-7 (declared)")),
    ],
)  # fmt: skip
def test_utf7_named_anywhere_is_refused_and_said(
    header: str | None, meta: str, refused: tuple[str, ...], caplog: pytest.LogCaptureFixture
) -> None:
    body = page(meta)
    with caplog.at_level(logging.WARNING, logger="parsers.registry"):
        parsed = parse_article(Page("http://127.0.0.1/valley", body, "text/html", header))
    assert isinstance(parsed, ParsedArticle)
    assert not any(HIDDEN in p for p in parsed.paragraphs)
    assert any(utf7(HIDDEN).decode() in p for p in parsed.paragraphs)  # shown as its bytes
    assert Page("http://127.0.0.1/valley", body, "text/html", header).decoding.refused == refused
    assert "refused the encoding named by utf-7" in caplog.text


def test_a_page_that_names_utf7_is_read_by_its_other_evidence() -> None:
    """The header says UTF-7, the page's <meta> windows-1251: the <meta> is believed."""
    body = '<html><head><meta charset="windows-1251"></head><body><p>Шуша</p></body></html>'
    decoding = Page("http://127.0.0.1/x", body.encode("cp1251"), "text/html", "utf-7").decoding
    assert (decoding.encoding, decoding.source) == ("cp1251", "declared")
    assert decoding.refused == ("utf-7 (http)",)


def test_text_hidden_in_utf7_is_never_read_or_alerted(tmp_path: Path, server: LocalServer) -> None:
    server.route("/valley", page(), content_type="text/html; charset=utf-7")
    server.route(
        "/feed",
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title><item><title>t'
        f"</title><link>{server.url('/valley')}</link></item></channel></rss>",
        content_type="application/rss+xml",
    )
    with Receiver() as hook:
        settings = parse_config(
            {
                "storage": {"url": f"sqlite:///{tmp_path / 'bw.db'}"},
                "fetch": {"allow_private": ["127.0.0.1"], "retries": 0},
                "sources": [{"name": "valley", "url": server.url("/feed")}],
                "channels": [{"name": "hook", "url": hook.apprise_url}],
            }
        )
        store = Store(settings.storage.url)
        with Fetcher(settings.fetch) as fetcher:
            summary = pipeline.run_pass(settings, store, fetcher)
        assert summary.counts()["new_stories"] == 1  # the page is read, as UTF-8
        assert summary.counts()["claims"] == 0 and hook.titles() == []
        with store.session() as session:
            (article,) = session.exec(select(Article)).all()
        store.close()
    assert not any("Hadrut" in p for p in article.paragraphs)
