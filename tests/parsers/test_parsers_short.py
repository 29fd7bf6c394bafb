"""Short articles (one or two paragraphs: wire briefs) read as a reader sees them.

trafilatura rescues a reading shorter than 250 characters with its baseline, whose usual tiers
give ONE paragraph: the ``<article>``'s or the whole page's text, headline, byline, share buttons
and newsletter box included; `parsers.generic` then reads the page with ``favor_precision``.
The fixtures in ``fixtures/pages/short`` were written for these tests (outlets and stories are
made up), each in a common page structure: a WordPress theme's single post, a ``<main>`` whose
``<article>`` holds share and newsletter boxes, a page with only ``<div>`` text (with and without
``<p>`` in its footer), an old theme with no ``<article>`` (where the baseline reads every
``<p>`` of the page), a page declaring its body in JSON-LD, and a paywalled page whose JSON-LD
holds more than the page shows. Each is served on 127.0.0.1, fetched and read as a pass reads
it; one goes through a whole pass, to the alert.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from briefwatch import pipeline
from briefwatch.config import FetchSettings, parse_config
from briefwatch.demo.pages import DemoArticle, render_article
from briefwatch.fetch.client import Fetched, Fetcher
from briefwatch.models import Article, Claim
from briefwatch.pages.read import Job, prepare
from briefwatch.store import Store
from parsers.types import ParsedArticle
from tests.support.receiver import Receiver
from tests.support.server import LocalServer

SHORT = Path(__file__).parents[1] / "fixtures" / "pages" / "short"


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    settings = FetchSettings(allow_private=["127.0.0.1"], retries=0, backoff=0, host_delay=0)
    with Fetcher(settings) as made:
        yield made


def read(server: LocalServer, fetcher: Fetcher, name: str) -> ParsedArticle:
    """The fixture ``name`` served at /name, fetched, and prepared as a pass prepares it."""
    server.route(f"/{name}", (SHORT / name).read_bytes())
    fetched = fetcher.get(server.url(f"/{name}"))
    assert isinstance(fetched, Fetched), fetched
    job = Job(
        fetched.url, fetched.body, fetched.content_type, fetched.charset, "auto", {}, "sqlite"
    )
    parsed = prepare(job, read_claims=False).parsed
    assert isinstance(parsed, ParsedArticle), parsed
    assert parsed.parser == "generic"
    return parsed


FERRY = (
    "All sailings to the three outer islands were cancelled on Tuesday after gusts of ninety "
    "kilometres an hour.",
    "The operator said it would decide at noon whether the afternoon boat can leave.",
)
TROOPS = (
    "Ukrainian units have pulled back from the edge of Velyka Novosilka to avoid encirclement, "
    "the army said on Sunday.",
    "Two soldiers were killed in the withdrawal, a spokesman said.",
)
WATER = (
    "Households in the old town had running water again on Tuesday, a day after a main burst.",
    "The utility said the water was safe to drink.",
)
CURFEW = (
    "The military administration lifted the night curfew in Kherson on Monday, saying shelling "
    "of the city had eased.",
    "Shops may now stay open until eleven in the evening.",
)


@pytest.mark.parametrize(
    ("name", "title", "paragraphs"),
    [
        ("wordpress-two.html", "Ferry crossing to the islands closed by storm", FERRY),
        ("wordpress-one.html", "Ferry crossing to the islands closed by storm", FERRY[:1]),
        ("main-article-two.html", "Troops pull back from Velyka Novosilka, army says", TROOPS),
        ("main-article-one.html", "Troops pull back from Velyka Novosilka, army says", TROOPS[:1]),
        ("div-text-two.html", "Water supply restored in the old town", WATER),
        ("div-text-one.html", "Water supply restored in the old town", WATER[:1]),
        ("div-footer-p-two.html", "Night curfew lifted in Kherson", CURFEW),
    ],
)
def test_a_short_article_is_its_paragraphs_not_the_page(
    server: LocalServer, fetcher: Fetcher, name: str, title: str, paragraphs: tuple[str, ...]
) -> None:
    article = read(server, fetcher, name)
    assert article.title == title
    assert article.paragraphs == paragraphs


def test_a_one_paragraph_post_in_an_old_theme_is_not_every_paragraph_of_the_page(
    server: LocalServer, fetcher: Fetcher
) -> None:
    # No <article>: trafilatura's baseline took every <p> of the page, the site's motto, the
    # post's category line and the sidebar's "About" among them.
    two = read(server, fetcher, "old-theme-two.html")
    one = read(server, fetcher, "old-theme-one.html")
    story = (
        "The northern border post reopened to lorries on Monday after a week in which drivers "
        "had waited up to three days to cross."
    )
    assert one.title == two.title == "Border post reopens for lorries"
    assert two.paragraphs[-2:] == (
        story,
        "Customs officers said queues had shortened to about two hours by the afternoon.",
    )
    assert one.paragraphs[0] == story
    body = "\n".join(one.paragraphs)
    for furniture in ("Independent news", "Posted in Region", "run by volunteers"):
        assert furniture not in body


def test_a_short_article_declaring_its_body_in_json_ld_keeps_its_paragraphs(
    server: LocalServer, fetcher: Fetcher
) -> None:
    article = read(server, fetcher, "jsonld-two.html")
    assert article.paragraphs == (
        "Overnight shelling cut power to about nine thousand homes near Nikopol, the governor "
        "said on Monday.",
        "Repair crews were waiting for the shelling to stop, he said.",
    )


def test_a_paywalled_teaser_does_not_replace_the_body_its_json_ld_declares(
    server: LocalServer, fetcher: Fetcher
) -> None:
    # The page shows one paragraph and a subscription box; its JSON-LD holds the whole story,
    # which trafilatura's baseline reads (as one paragraph). The whole story is the better read.
    article = read(server, fetcher, "jsonld-paywall.html")
    body = " ".join(article.paragraphs)
    assert body.startswith("The three reservoirs that supply the valley held less than a third")
    assert body.endswith("a cut their union called painful but fair.")
    assert "Subscribe" not in body and "one euro a week" not in body


# -- through a pass: the brief's sentences, not the share buttons, reach the alert -------------

BRIEF = DemoArticle(
    slug="kupiansk-taken",
    outlet_build="wire",
    title="Moscow says Kupiansk is taken",
    paragraphs=[
        "Russian forces have captured the town of Kupiansk, the Defense Ministry in Moscow said "
        "on Monday.",
        "At least 14 civilians were killed in the shelling of the district, regional officials "
        "said.",
    ],
    published=datetime(2025, 3, 3, 9, tzinfo=UTC),
)


def test_a_two_paragraph_wire_brief_is_read_and_alerted_by_its_sentences(
    tmp_path: Path, server: LocalServer
) -> None:
    path = "/2025/03/03/kupiansk-taken/"
    server.route(path, render_article(BRIEF, server.url("/")))
    item = f"<item><title>t</title><link>{server.url(path)}</link></item>"
    rss = f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{item}</channel></rss>'
    server.route("/feed", rss, content_type="application/rss+xml")
    db_url = f"sqlite:///{tmp_path / 'short.db'}"
    with Receiver() as hook:
        settings = parse_config(
            {
                "storage": {"url": db_url},
                "fetch": {"allow_private": ["127.0.0.1"], "retries": 0},
                "sources": [{"name": "wire", "url": server.url("/feed")}],
                "channels": [{"name": "hook", "url": hook.apprise_url}],
            }
        )
        store = Store(db_url)
        with Fetcher(settings.fetch) as fetcher:
            pipeline.run_pass(settings, store, fetcher)
        messages = [f"{m['title']}\n{m['message']}" for m in hook.messages]
    with store.session() as session:
        (stored,) = session.exec(select(Article)).all()
        claims = session.exec(select(Claim)).all()
    store.close()
    assert tuple(stored.paragraphs) == tuple(BRIEF.paragraphs)
    assert {claim.sentence for claim in claims} <= set(BRIEF.paragraphs)
    control = [claim for claim in claims if claim.kind == "control"]
    # Read as one line with the share buttons, "Facebook Russian forces" was the actor.
    assert [claim.data.get("actor") for claim in control] == ["Russian forces"]
    assert messages and not any("Share on" in message for message in messages)
