"""The store on SQLite and PostgreSQL: migrations, and the unique keys behind idempotency."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from briefwatch.errors import StoreError
from briefwatch.models import Article, Change, Claim, Delivery, DeliveryService, Story
from briefwatch.store import MIGRATIONS, SCHEMA_HEAD, Store, make_engine


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
    with store.session() as session:  # one service of a channel: once per delivery
        delivery_id = session.exec(select(Delivery.id)).one()
    per_service = {"delivery_id": delivery_id, "service": "s1", "label": "json #1"}
    with store.session() as session:
        assert store.insert_ignore(session, DeliveryService, [per_service, per_service]) == 1
    with pytest.raises(IntegrityError), store.session() as session:
        session.add(DeliveryService(delivery_id=delivery_id, service="s1", label="json #1"))
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


def test_the_schema_head_is_the_newest_migration() -> None:
    # Opening a store skips Alembic when the store is at SCHEMA_HEAD: a migration added without
    # moving SCHEMA_HEAD would never run on existing stores.
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_HEAD


def test_a_store_at_an_older_revision_is_brought_up_to_date(db_url: str) -> None:
    engine = make_engine(db_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
    engine.dispose()
    assert "backfill" not in inspect(make_engine(db_url)).get_table_names()
    store = Store(db_url)
    assert "backfill" in inspect(store.engine).get_table_names()
    with store.engine.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert version == SCHEMA_HEAD
    store.close()


def test_opening_an_up_to_date_store_does_not_load_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bw.db'}"
    probe = (
        "import sys; from briefwatch.store import Store; Store(sys.argv[1]).close(); "
        "print('alembic' in sys.modules)"
    )

    def loads_alembic() -> bool:
        run = subprocess.run([sys.executable, "-c", probe, url], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        return run.stdout.strip() == "True"

    assert loads_alembic()  # a new store is created by the migrations
    assert not loads_alembic()  # then it is at the head: ~0.45 s of imports saved per open
