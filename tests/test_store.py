"""The store on SQLite and PostgreSQL: migrations, and the unique keys behind idempotency."""

from __future__ import annotations

import subprocess
import sys

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from briefwatch.errors import StoreError
from briefwatch.models import Article, Change, Claim, Delivery, Story
from briefwatch.store import MIGRATIONS, Store


def _story_and_article(store: Store) -> tuple[int, int]:
    with store.session() as session:
        store.insert_ignore(session, Story, [{"fingerprint": "f" * 64, "title": "t"}])
        story = session.exec(select(Story)).one()
        row = {
            "url": "https://example.com/a",
            "story_id": story.id,
            "source": "s",
            "outlet": "o",
            "title": "t",
            "parser": "generic",
            "body_hash": "h" * 64,
        }
        store.insert_ignore(session, Article, [row])
        article = session.exec(select(Article)).one()
        return story.id, article.id


def test_migrations_create_every_table(db_url: str) -> None:
    store = Store(db_url)
    tables = set(inspect(store.engine).get_table_names())
    assert {
        "source",
        "article",
        "story",
        "revision",
        "claim",
        "fact",
        "change",
        "delivery",
        "place_alias",
        "skip",
        "pass_log",
        "validator",
        "alembic_version",
    } <= tables
    Store(db_url).close()  # opening an up-to-date store again is a no-op


def test_models_and_migrations_agree(db_url: str) -> None:
    """A model changed without a migration fails here (alembic's autogenerate check)."""
    store = Store(db_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.check(config)


def test_unique_keys_hold_in_the_database(db_url: str) -> None:
    store = Store(db_url)
    story_id, article_id = _story_and_article(store)
    claim = {
        "key": "k" * 64,
        "kind": "control",
        "fact_key": "control:shusha",
        "story_id": story_id,
        "article_id": article_id,
        "sentence": "s",
        "data": {},
    }
    with store.session() as session:
        assert store.insert_ignore(session, Claim, [claim]) == 1
        assert store.insert_ignore(session, Claim, [claim]) == 0  # the same claim twice: skipped
    change = Change(
        key="control:shusha#1",
        fact_key="control:shusha",
        kind="control",
        version=1,
        title="x",
        new_state={},
    )
    with store.session() as session:
        session.add(change)
    delivery = {"change_key": "control:shusha#1", "channel": "ops"}
    with store.session() as session:
        assert store.insert_ignore(session, Delivery, [delivery, delivery]) == 1
    with pytest.raises(IntegrityError), store.session() as session:
        session.add(Delivery(change_key="control:shusha#1", channel="ops"))
    with pytest.raises(IntegrityError), store.session() as session:
        session.add(
            Change(
                key="control:shusha#1",
                fact_key="control:shusha",
                kind="control",
                version=1,
                title="again",
                new_state={},
            )
        )


def test_an_unreachable_database_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="cannot open the store"):
        Store("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_workers_starting_together_on_a_fresh_store_all_open_it(db_url: str) -> None:
    """The first pass of several workers migrates once; the others wait, then find it done."""
    script = "import sys; from briefwatch.store import Store; Store(sys.argv[1]).close()"
    workers = [
        subprocess.Popen([sys.executable, "-c", script, db_url], stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    errors = [w.communicate(timeout=120)[1] for w in workers]
    assert [w.returncode for w in workers] == [0, 0, 0], errors
    tables = inspect(Store(db_url).engine).get_table_names()
    assert "article" in tables
