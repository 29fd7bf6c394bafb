"""Storing articles in batches decides every article exactly as storing them one by one would.

The articles are the labelled set of eval/stories (originals, wire copies cut short or given
another ending, briefings sharing background), in order, with revisions and repeats mixed in;
stored on SQLite and on the machine's PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from briefwatch.models import Article, Claim, Paragraph, Revision, Story, StoryBand
from briefwatch.store import Store
from briefwatch.stories.batch import Incoming, StoredBatch, store_articles
from briefwatch.stories.evaluate import DEFAULT_ARTICLES, load
from parsers.types import ParsedArticle

LABELLED = load(DEFAULT_ARTICLES) + load(DEFAULT_ARTICLES.with_name("holdout.jsonl"))
DAY = datetime(2020, 11, 3, 9, tzinfo=UTC)


def _parsed(article: dict, paragraphs: Sequence[str] | None = None) -> ParsedArticle:
    return ParsedArticle(
        url=f"https://{article['outlet']}.example/{article['id']}",
        title=article["title"],
        paragraphs=tuple(article["paragraphs"] if paragraphs is None else paragraphs),
        parser="generic",
        outlet=article["outlet"],
        published=DAY + timedelta(minutes=len(article["id"])),
    )


def _arrivals() -> list[Incoming]:
    """The labelled articles in order, then revisions of five of them (one also revised a
    second time, one only repeated), a page fetched twice under two URLs of one article, and a
    body that repeats another's exactly under a new URL."""
    out = [Incoming(f"https://fetch.example/{a['id']}", _parsed(a)) for a in LABELLED]
    for a in LABELLED[3:40:8]:
        extra = f"Officials in {a['outlet']} gave a new toll: 4 people were killed, they said."
        revised = _parsed(a, [*a["paragraphs"], extra])
        out.append(Incoming(f"https://fetch.example/{a['id']}", revised))
    twice = LABELLED[11]
    shorter = _parsed(twice, twice["paragraphs"][:-1])
    out += [
        Incoming(f"https://fetch.example/{twice['id']}", shorter),
        Incoming(f"https://fetch.example/{LABELLED[20]['id']}", _parsed(LABELLED[20])),
        Incoming(f"https://fetch.example/{twice['id']}?utm_source=x", _parsed(twice)),
    ]
    copied = dict(LABELLED[5], id="copy-of-a6", outlet="copycat")
    out.append(Incoming("https://fetch.example/copy", _parsed(copied)))
    return out


def _store(url: str, arrivals: list[Incoming], size: int) -> tuple[list[str], int, dict]:
    store = Store(url)
    verdicts: list[str] = []
    claims = 0

    def places_for(session: object) -> dict[str, str]:
        return store.place_aliases(session)  # type: ignore[arg-type]

    places: dict = {}
    for start in range(0, len(arrivals), size):
        done: StoredBatch = store_articles(
            store, "test", arrivals[start : start + size], places, {}, places_for
        )
        verdicts += done.verdicts
        claims += done.claims
        places = dict(done.places)
    with store.session() as session:
        stories = {s.id: s.fingerprint for s in session.exec(select(Story))}
        state = {
            # Which story each URL joined, named by the story's first body: ids differ by order.
            "articles": sorted(
                (a.url, stories[a.story_id], a.body_hash, a.signature is None)
                for a in session.exec(select(Article))
            ),
            "revisions": len(session.exec(select(Revision)).all()),
            "bands": sorted((b.band, stories[b.story_id]) for b in session.exec(select(StoryBand))),
            "paragraphs": sorted(
                (p.hash, stories[p.story_id]) for p in session.exec(select(Paragraph))
            ),
            "claims": sorted(
                (c.fact_key, c.sentence, stories[c.story_id]) for c in session.exec(select(Claim))
            ),
        }
    store.close()
    return verdicts, claims, state


@pytest.mark.parametrize("size", [7, 20, 200])
def test_a_batch_decides_as_one_article_at_a_time(db_pair: tuple[str, str], size: int) -> None:
    arrivals = _arrivals()
    one_by_one = _store(db_pair[0], arrivals, 1)
    verdicts, claims, state = one_by_one
    # What the arrivals hold, so that the comparison below compares something.
    assert {"new-story", "copy", "revision", "duplicate"} <= set(verdicts)
    assert verdicts.count("revision") >= 6 and verdicts[-1] == "copy" and claims > 0
    assert len({fingerprint for _, fingerprint, _, _ in state["articles"]}) > 20
    assert _store(db_pair[1], arrivals, size) == one_by_one
