"""Our own output never breaks on, or passes on, a page's markup: a URL or stored text with
rich markup (``[/x]``) in `briefwatch run` and `briefwatch sources`; a page's markdown link or
HTML in an alert, through a real pass and Apprise to local receivers taking markdown, HTML and
text; a quoted sentence of 30,000 words.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from apprise import NotifyFormat
from apprise.conversion.format import convert_between

from briefwatch import pipeline
from briefwatch.alerts.messages import CUT, QUOTE_CHARS, Evidence, FactNews, render
from briefwatch.config import parse_config
from briefwatch.fetch.client import Fetcher
from briefwatch.store import Store
from tests.support.receiver import Receiver
from tests.support.server import LocalServer
from tests.test_run_e2e import BRIEFWATCH, Briefwatch

EVIL = "http://evil.example"
HOSTILE_PAGE = f"""<html><head><title>Hadrut</title>
<meta property="og:site_name" content="[Trusted News]({EVIL}/outlet)">
</head><body><article><h1>Hadrut falls</h1>
<p>The valley road was closed to traffic for a second day after the shelling.</p>
<p>Azerbaijani forces captured Hadrut, the army said in a post with [the video]({EVIL}/md)
 and &lt;a href="{EVIL}/html"&gt;more pictures&lt;/a&gt; from the town.</p>
<p>Shops in the district centre stayed shut and the schools sent children home early.</p>
</article></body></html>""".encode()


def feed(server: LocalServer, *paths: str) -> bytes:
    items = "".join(f"<item><title>t</title><link>{server.url(p)}</link></item>" for p in paths)
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{items}</channel></rss>'
    ).encode()


@pytest.fixture
def receivers() -> Iterator[dict[str, Receiver]]:
    with Receiver() as md, Receiver() as html, Receiver() as text:
        yield {"markdown": md, "html": html, "text": text}


def links_in(html: str) -> list[str]:
    """Every live link of an HTML body, as a mail client would find them."""
    return [str(href) for href in lxml.html.fromstring(html).xpath("//a/@href | //img/@src")]


def test_a_pages_markdown_and_html_reach_every_format_as_text(
    tmp_path: Path, server: LocalServer, receivers: dict[str, Receiver]
) -> None:
    server.route("/hadrut", HOSTILE_PAGE)
    server.route("/feed", feed(server, "/hadrut"), content_type="application/rss+xml")
    settings = parse_config(
        {
            "storage": {"url": f"sqlite:///{tmp_path / 'bw.db'}"},
            "fetch": {"allow_private": ["127.0.0.1"], "retries": 0},
            "sources": [{"name": "hostile", "url": server.url("/feed")}],
            "channels": [
                {"name": f"hook-{fmt}", "url": f"{hook.apprise_url}?format={fmt}"}
                for fmt, hook in receivers.items()
            ],
        }
    )
    store = Store(settings.storage.url)
    with Fetcher(settings.fetch) as fetcher:
        pipeline.run_pass(settings, store, fetcher)
    store.close()

    bodies = {fmt: hook.messages[0]["message"] for fmt, hook in receivers.items()}
    assert all(len(hook.messages) == 1 for hook in receivers.values())
    # HTML as Apprise sends it to e-mail; markdown and text as a client that renders markdown
    # would show them: the only link is to the outlet's page, the page's own are words.
    rendered = {
        "html": bodies["html"],
        "markdown": convert_between(NotifyFormat.MARKDOWN, NotifyFormat.HTML, bodies["markdown"]),
        "text": convert_between(NotifyFormat.MARKDOWN, NotifyFormat.HTML, bodies["text"]),
    }
    for fmt, html in rendered.items():
        assert links_in(html) == [server.url("/hadrut")] * 2, fmt  # evidence and outlets
        assert "the video" in html and "more pictures" in html, fmt  # the words, shown
        assert "[Trusted News]" in html, fmt  # the outlet's name as it gave it, as text
    assert "&lt;a href=" in bodies["html"]  # the page's HTML shown as text


def test_a_30000_word_sentence_is_quoted_as_a_marked_excerpt() -> None:
    sentence = "Azerbaijani forces captured Hadrut " + "and then the next village " * 6000
    news = FactNews(
        label="Control of Hadrut",
        kind="control",
        importance="high",
        headlines=("Hadrut: captured by Azerbaijani forces",),
        was=None,
        disputed=False,
        evidence=(Evidence("the army", sentence, "Outlet", "http://127.0.0.1/a"),),
        copies=(("Outlet", "http://127.0.0.1/a"),),
    )
    message = render([news], channel="desk")
    assert len(message.body) < 1_500  # was 150,000 and more; Slack takes 40,000
    quote = next(line for line in message.body.splitlines() if line.startswith("  > "))
    assert quote.startswith("  > Azerbaijani forces captured Hadrut and then")
    assert quote.endswith(CUT) and len(quote) <= QUOTE_CHARS + 4


def write_config(path: Path, server: LocalServer, source_path: str) -> Path:
    config = path / "briefwatch.toml"
    config.write_text(
        f'[storage]\nurl = "sqlite:///{path / "bw.db"}"\n'
        '[fetch]\nallow_private = ["127.0.0.1"]\nretries = 0\npass_retries = 0\n'
        f'[[sources]]\nname = "odd"\nurl = {json.dumps(server.url(source_path))}\n',
        encoding="utf-8",
    )
    return config


def test_briefwatch_sources_prints_a_stored_error_with_rich_markup_in_it(
    tmp_path: Path, server: LocalServer
) -> None:
    # The source redirects to a page that is not there: the error names the URL, "[/x]" and all.
    server.redirect("/feed", server.url("/gone[/x]"))
    config = write_config(tmp_path, server, "/feed")
    settings = parse_config(
        {
            "storage": {"url": f"sqlite:///{tmp_path / 'bw.db'}"},
            "fetch": {"allow_private": ["127.0.0.1"], "retries": 0, "pass_retries": 0},
            "sources": [{"name": "odd", "url": server.url("/feed")}],
        }
    )
    store = Store(settings.storage.url)
    with Fetcher(settings.fetch) as fetcher:
        summary = pipeline.run_pass(settings, store, fetcher)
    store.close()
    assert summary.failed_sources and "[/x]" in summary.failed_sources[0]
    # A terminal wide enough that the table does not wrap the URL across lines.
    done = subprocess.run(
        [BRIEFWATCH, "sources", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "COLUMNS": "300"},
    )
    assert done.returncode == 0, done.stderr
    assert "MarkupError" not in done.stderr
    assert "/gone[/x]" in done.stdout


@pytest.fixture
def bw(tmp_path: Path, prefect_api: str) -> Briefwatch:
    return Briefwatch(tmp_path, prefect_api)


def test_briefwatch_run_prints_urls_with_rich_markup_as_text(
    bw: Briefwatch, server: LocalServer
) -> None:
    server.route(
        "/feed", feed(server, "/gone[/x]", "/also[bold]"), content_type="application/rss+xml"
    )
    bw.write_config([{"name": "odd", "url": server.url("/feed")}], "json://127.0.0.1:9/none")
    done = bw("run")
    assert "/gone[/x]" in done.stdout and "/also[bold]" in done.stdout


def test_a_title_carries_no_link_or_tag_in_any_format() -> None:
    """A headline names a speaker a page wrote; a service with no title gets it as the first
    line of the body, as a markdown heading or in HTML."""
    news = FactNews(
        label="Control of Hadrut",
        kind="control",
        importance="high",
        headlines=(f"Hadrut: captured, says [the army]({EVIL}/t) <b>now</b>",),
        was=None,
        disputed=False,
        evidence=(Evidence("the army", "Hadrut was taken.", "Outlet", "http://127.0.0.1/a"),),
        copies=(),
    )
    title = render([news], channel="desk", title_template="[$importance] $title").title
    assert title == "[high] Hadrut: captured, says (the army)(http://evil.example/t) ‹b›now‹/b›"
    heading = convert_between(NotifyFormat.MARKDOWN, NotifyFormat.HTML, f"# {title}\nbody")
    assert links_in(heading) == [] and "<b>" not in heading
