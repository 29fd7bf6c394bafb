"""A large batch is parsed, and its claims read, on worker processes while this process stores
the pages: the store ends up holding exactly what reading every page here gives, in the same
order, even when a worker dies.

Real HTTP on 127.0.0.1, a real SQLite store, real worker processes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from briefwatch import pipeline
from briefwatch.config import parse_config
from briefwatch.demo.newsroom import load_newsroom
from briefwatch.demo.pages import DemoArticle, render_article
from briefwatch.fetch.client import Fetcher
from briefwatch.models import Article, Claim, Fact, PlaceAlias, Skip, Story
from briefwatch.pages import pool as workers
from briefwatch.pages.read import Job, prepare
from briefwatch.store import Store
from tests.support.server import LocalServer


@pytest.fixture(autouse=True)
def no_pool_left_behind() -> Iterator[None]:
    workers.shutdown()
    yield
    workers.shutdown()


def publish(server: LocalServer, *extra: DemoArticle) -> None:
    """Every demo briefing as both outlets print it (copies of one story under two URLs),
    a page cut short and one that is not HTML at all: more than `workers.START_AT` pages;
    and the ``extra`` articles."""
    paths = []
    for article in extra:
        paths.append(f"/extra/{article.slug}")
        server.route(paths[-1], render_article(article, server.url("/")))
    for n, entry in enumerate(load_newsroom().entries):
        for build in ("moscowtimes", "wire"):
            article = replace(entry.as_of(4), outlet_build=build, slug=f"{build}-{n}-a{9000 + n}")
            paths.append(f"/{build}/{n}")
            server.route(paths[-1], render_article(article, server.url("/")))
    server.route("/cut", b"<html><body><p>The front line moved overnight", etag='"c"')
    server.route("/binary", b"%PDF-1.7 not a page", content_type="text/html")
    paths += ["/cut", "/binary"]
    assert len(paths) >= workers.START_AT
    items = "".join(f"<item><title>{p}</title><link>{server.url(p)}</link></item>" for p in paths)
    server.route(
        "/feed",
        f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>',
        content_type="application/rss+xml",
    )


def stored_pass(
    tmp_path: Path, server: LocalServer, name: str, sides: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """One pass into a fresh store; everything a user can see of it afterwards."""
    settings = parse_config(
        {
            "storage": {"url": f"sqlite:///{tmp_path / name}.db"},
            "fetch": {"allow_private": ["127.0.0.1"], "retries": 0},
            "sources": [{"name": "news", "url": server.url("/feed")}],
            "sides": sides or [],
        }
    )
    store = Store(settings.storage.url)
    with Fetcher(settings.fetch) as fetcher:
        summary = pipeline.run_pass(settings, store, fetcher)
    with store.session() as session:
        seen = {
            "counts": summary.counts(),
            "changes": summary.changes,
            "stories": [(s.id, s.title) for s in session.exec(select(Story).order_by(Story.id))],
            "articles": [
                (a.id, a.url, a.story_id, a.title, a.parser, a.paragraphs, a.published)
                for a in session.exec(select(Article).order_by(Article.id))
            ],
            "claims": [
                (c.id, c.key, c.fact_key, c.article_id, c.sentence, c.data)
                for c in session.exec(select(Claim).order_by(Claim.id))
            ],
            "facts": [(f.key, f.state) for f in session.exec(select(Fact).order_by(Fact.key))],
            "aliases": [(a.name, a.canonical) for a in session.exec(select(PlaceAlias))],
            "skips": [(s.url, s.reason) for s in session.exec(select(Skip).order_by(Skip.id))],
        }
    store.close()
    return seen


def test_a_batch_read_on_worker_processes_stores_what_reading_it_here_stores(
    tmp_path: Path, server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(server)
    monkeypatch.setenv("BRIEFWATCH_WORKERS", "0")
    here = stored_pass(tmp_path, server, "here")
    assert workers.current() is None

    pool = workers.start(1, steal=False)  # every page to the worker, however loaded the machine
    assert pool.wait_ready()
    there = stored_pass(tmp_path, server, "workers")
    assert pool.stats()["step_cpu_ns"].get("parse", 0) > 0  # the worker read them

    assert there == here
    assert here["counts"]["claims"] > 0 and here["counts"]["copies"] > 0
    assert (server.url("/cut"), "retry-next-pass") in here["skips"]  # cut short: next pass


def test_a_worker_that_dies_loses_no_page(
    tmp_path: Path, server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(server)
    monkeypatch.setenv("BRIEFWATCH_WORKERS", "0")
    here = stored_pass(tmp_path, server, "here")

    monkeypatch.setenv("BRIEFWATCH_WORKERS", "1")
    pool = workers.pool_for(workers.START_AT)
    assert pool is not None
    for worker in pool._workers:
        worker.process.kill()  # gone before the pass hands it a page
        worker.process.wait()
    assert stored_pass(tmp_path, server, "after-a-death") == here


SUDAN = [
    {"name": "Rapid Support Forces", "aliases": ["RSF", "paramilitaries"]},
    {"name": "Sudan Armed Forces", "aliases": ["SAF", "army"]},
]
BARA = DemoArticle(
    slug="bara-a7001", outlet_build="wire", title="Fighting for Bara",
    paragraphs=[
        "The paramilitaries said they had taken full control of Bara after a week of fighting.",
        "Residents described empty streets and closed markets on Saturday.",
    ],
    published=datetime(2020, 11, 9, 12, tzinfo=UTC),
)  # fmt: skip


def test_configured_sides_are_read_alike_here_and_on_the_workers(
    tmp_path: Path, server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(server, BARA)
    monkeypatch.setenv("BRIEFWATCH_WORKERS", "0")
    here = stored_pass(tmp_path, server, "here", SUDAN)

    pool = workers.start(1, steal=False)
    assert pool.wait_ready()
    there = stored_pass(tmp_path, server, "workers", SUDAN)

    assert there == here
    bara = [data for *_, fact_key, _, _, data in here["claims"] if fact_key == "control:bara"]
    assert [(d["actor"], d["claimant_side"]) for d in bara] == [
        ("the paramilitaries", "Rapid Support Forces")
    ]


def test_a_worker_reads_claims_with_the_configured_sides(server: LocalServer) -> None:
    sides = {w.casefold(): e["name"] for e in SUDAN for w in (e["name"], *e["aliases"])}
    body = render_article(BARA, server.url("/"))
    job = Job(server.url("/bara"), body, "text/html", "utf-8", "auto", {}, "sqlite", sides)
    prepared = prepare(job)  # what a worker process runs for each page
    assert prepared.extraction is not None
    assert [(k.place, k.claimant_side) for k in prepared.extraction.control] == [
        ("Bara", "Rapid Support Forces")
    ]
    day = prepared.day
    assert prepared.extraction_for(day, {}, sides) is prepared.extraction
    assert prepared.extraction_for(day, {}, {}) is None  # read with other sides: read again
