"""Two writers on one store at once, as the pass lease lets them run: passes over different
sets of sources (`run --source`, each its own lease) whose sources offer the same articles,
on SQLite and on the machine's PostgreSQL. Both fetch, store, fold and send at the same time;
the store's unique keys alone keep each article stored once and each change sent once.

(Two passes over the same sources no longer meet: the second finds the first's lease and does
nothing, `tests/test_lease.py`.)"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from briefwatch import pipeline
from briefwatch.backfill import run as backfill
from briefwatch.config import parse_config
from briefwatch.demo.newsroom import FEED_PATH, load_newsroom
from briefwatch.demo.pages import article_path
from briefwatch.fetch.client import Fetcher
from briefwatch.store import Store
from tests.backfill.test_backfill import Archive
from tests.support.prefect_server import prefect_env
from tests.support.receiver import Receiver
from tests.support.server import LocalServer

BRIEFWATCH = str(Path(sys.executable).with_name("briefwatch"))
LISTING_DELAY = 4.0  # each listing answers this late: both passes are waiting on it at once


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as hook:
        yield hook


def test_two_passes_over_sources_that_share_articles_store_once_and_alert_once(
    tmp_path: Path, db_url: str, prefect_api: str, server: LocalServer, receiver: Receiver
) -> None:
    newsroom = load_newsroom()
    pages = newsroom.pages(4, server.url("").rstrip("/"))  # every article of the demo at once
    feed_type, feed = pages.pop(FEED_PATH)
    for path, (content_type, body) in pages.items():
        server.route(path, body, content_type=content_type)
    # One outlet's feed under two names (a mirror, a second edition's feed): the same articles.
    for name in ("a", "b"):
        server.route(f"/{name}{FEED_PATH}", feed, content_type=feed_type, delay=LISTING_DELAY)
    config = tmp_path / "briefwatch.toml"
    config.write_text(
        f'[storage]\nurl = "{db_url}"\n'
        '[fetch]\nallow_private = ["127.0.0.1"]\nhost_delay = 0\nhost_concurrency = 8\n'
        f'[[sources]]\nname = "a"\nurl = "{server.url("/a" + FEED_PATH)}"\n'
        f'[[sources]]\nname = "b"\nurl = "{server.url("/b" + FEED_PATH)}"\n'
        f'[[channels]]\nname = "hook"\nurl = "{receiver.apprise_url}"\n',
        encoding="utf-8",
    )
    workers = [
        subprocess.Popen(
            [BRIEFWATCH, "run", "--config", str(config), "--source", name],
            env=prefect_env(tmp_path / f"prefect-{name}", prefect_api),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for name in ("a", "b")
    ]
    outputs = [w.communicate(timeout=240)[0] for w in workers]
    assert [w.returncode for w in workers] == [0, 0], "\n=====\n".join(outputs)
    assert not any("does nothing" in out for out in outputs)  # neither waited for the other

    # They did meet: each asked for its listing while the other's was still being answered.
    [a], [b] = server.hits(f"/a{FEED_PATH}"), server.hits(f"/b{FEED_PATH}")
    assert abs(a.at - b.at) < LISTING_DELAY, (a.at, b.at)
    article_paths = [p for p in pages if p.startswith("/mt/")]  # what the feed lists
    assert all(len(server.hits(p)) == 2 for p in article_paths)  # both fetched every article

    engine = create_engine(db_url)
    with engine.connect() as db:
        articles = db.execute(text("select url from article")).scalars().all()
        claims = db.execute(text("select count(*) from claim")).scalar_one()
        changes = db.execute(text("select key, title from change")).all()
        deliveries = db.execute(text("select change_key, channel, state from delivery")).all()
    engine.dispose()
    assert sorted(articles) == sorted({server.url(p) for p in article_paths})  # each once
    assert claims > 0 and changes
    assert len(deliveries) == len(changes) and {s for _, _, s in deliveries} == {"sent"}
    # Each change reached the channel exactly once, whichever pass folded and sent it.
    assert Counter(receiver.titles()) == Counter(title for _, title in changes)
    assert max(Counter(receiver.titles()).values()) == 1


@pytest.mark.usefixtures("places")
def test_a_pass_and_a_backfill_at_once_store_once_and_alert_once(
    db_url: str, server: LocalServer, receiver: Receiver
) -> None:
    """A backfill of an outlet's archive (its sitemaps) while a pass reads the same outlet's
    feed, in two threads, each with its own store handle and fetcher: the backfill takes no
    pass lease, so they store the same articles and fold the same facts at the same time.

    The gazetteer is open before either starts, as `briefwatch run` and `backfill` open it:
    built for the first time inside one's first batch (claims are read in the batch's
    transaction), it held SQLite's write lock ~25 s and the other failed ("database is
    locked") after its 10 s busy timeout."""
    site = Archive(server)
    for story in site.stories:  # slow enough pages that the two are reading them together
        server.routes[article_path(story)].delay = 0.2
    settings = parse_config(
        {
            "storage": {"url": db_url},
            "fetch": {"allow_private": ["127.0.0.1"], "retries": 0, "host_delay": 0,
                      "host_concurrency": 8},
            "sources": [
                {"name": "dispatch", "url": server.url("/sitemap.xml")},
                {"name": "feed", "url": server.url("/rss")},
            ],
            "channels": [{"name": "hook", "url": receiver.apprise_url}],
        }
    )  # fmt: skip
    Store(db_url).close()  # made and migrated once, before the two start
    done: dict[str, object] = {}

    def backfill_now() -> None:
        store = Store(db_url)
        with Fetcher(settings.fetch) as fetcher:
            done["backfill"] = backfill.run_backfill(
                settings, store, fetcher, "dispatch", "2020-09-01", "2020-12-31"
            )
        store.close()

    def pass_now() -> None:
        store = Store(db_url)
        with Fetcher(settings.fetch) as fetcher:
            done["pass"] = pipeline.run_pass(settings, store, fetcher, only=["feed"])
        store.close()

    threads = [threading.Thread(target=backfill_now), threading.Thread(target=pass_now)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
    assert set(done) == {"backfill", "pass"}
    pages = [article_path(s) for s in site.stories]
    hits = {p: len(server.hits(p)) for p in pages}
    assert all(hits.values()) and any(n == 2 for n in hits.values()), hits  # met on some

    engine = create_engine(db_url)
    with engine.connect() as db:
        articles = db.execute(text("select url from article")).scalars().all()
        changes = db.execute(text("select key, title from change")).all()
        deliveries = db.execute(text("select change_key, state from delivery")).all()
    engine.dispose()
    assert sorted(articles) == sorted(server.url(p) for p in pages)  # each once
    assert len({key for key, _ in changes}) == len(changes)
    assert {state for _, state in deliveries} <= {"sent"}
    sent = {key for key, _ in deliveries}
    assert Counter(receiver.titles()) == Counter(t for key, t in changes if key in sent)
    assert not receiver.titles() or max(Counter(receiver.titles()).values()) == 1
