"""What the web view stands on in the store: a fact's place, country and coordinates read by the
database from its state, indexed (migration 0007); facts by kind and time, and the count of writes
to facts (0008); on SQLite and PostgreSQL, on stores written before each migration, and each
migration steps back down cleanly."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from briefwatch.models import Fact
from briefwatch.store import MIGRATIONS, Store, make_engine
from briefwatch.web import queries
from briefwatch.web.cache import fact_writes
from briefwatch.web.queries import Filters

KUPIANSK = {"id": 1, "name": "Kupiansk", "country": "UA", "admin1": "07", "lat": 49.7, "lon": 37.6}
STATES: dict[str, tuple[str, dict[str, Any]]] = {
    "control:kupiansk": ("control", {"status": "captured", "place": KUPIANSK}),
    # a place the gazetteer did not know: no coordinates, nothing to draw
    "control:nowhere": ("control", {"status": "contested", "place": {"name": "Nowhere"}}),
    "control:settlements": ("control", {"status": "captured", "place": "settlements"}),
    "casualty:cumulative:killed:civilians": ("casualty", {"count_low": 14}),
}


def _alembic(engine: Engine, *step: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, step[0])(config, step[1])


def _insert_facts(engine: Engine) -> None:
    with engine.begin() as connection:
        for key, (kind, state) in STATES.items():
            connection.execute(
                Fact.__table__.insert().values(  # type: ignore[attr-defined]
                    key=key, kind=kind, label=key, state=state, version=1
                )
            )


def _keys(store: Store, filters: Filters) -> set[str]:
    return {f["key"] for f in queries.fact_page(store, filters, 100, 0).items}


def test_facts_stored_before_the_migration_are_found_by_place_and_country(db_url: str) -> None:
    engine = make_engine(db_url)
    _alembic(engine, "upgrade", "0006")
    with engine.begin() as connection:  # as an older briefwatch wrote them: no place columns
        for key, (kind, state) in STATES.items():
            row = {"k": key, "c": kind, "s": json.dumps(state)}
            insert = (
                "INSERT INTO fact (key, kind, label, state, version) VALUES (:k, :c, :k, :s, 1)"
            )
            connection.execute(text(insert), row)
    engine.dispose()
    store = Store(db_url)  # migrates to the head
    assert _keys(store, Filters(country="ua")) == {"control:kupiansk"}
    assert _keys(store, Filters(place="KUPIANSK")) == {"control:kupiansk"}
    assert _keys(store, Filters(unplaced=True)) == {"control:nowhere", "control:settlements"}
    assert queries.fact_page(store, Filters(kind="control"), 1, 0).total == 3
    store.close()


def test_the_place_columns_follow_the_state_and_are_indexed(db_url: str) -> None:
    store = Store(db_url)
    _insert_facts(store.engine)
    with store.engine.begin() as connection:  # the fold moves the fact to another state
        moved = {"status": "captured", "place": {**KUPIANSK, "country": "RU"}}
        connection.execute(
            Fact.__table__.update()  # type: ignore[attr-defined]
            .where(Fact.__table__.c.key == "control:kupiansk")  # type: ignore[attr-defined]
            .values(state=moved)
        )
    assert _keys(store, Filters(country="UA")) == set()
    assert _keys(store, Filters(country="RU")) == {"control:kupiansk"}
    indexes = {i["name"] for i in inspect(store.engine).get_indexes("fact")}
    assert {"ix_fact_place_name", "ix_fact_place_country", "ix_fact_kind_place_mapped"} <= indexes
    change_indexes = {i["name"] for i in inspect(store.engine).get_indexes("change")}
    assert "ix_change_fact_key_created_at" in change_indexes
    store.close()


def test_the_migration_steps_down_and_up_again(db_url: str) -> None:
    store = Store(db_url)
    _insert_facts(store.engine)
    _alembic(store.engine, "downgrade", "0006")
    columns = {c["name"] for c in inspect(store.engine).get_columns("fact")}
    assert "place_country" not in columns and "state" in columns
    change_indexes = {i["name"] for i in inspect(store.engine).get_indexes("change")}
    assert "ix_change_fact_key_created_at" not in change_indexes
    _alembic(store.engine, "upgrade", "head")
    store.close()
    store = Store(db_url)
    assert _keys(store, Filters(country="UA")) == {"control:kupiansk"}
    store.close()


def _plan(store: Store, sql: str) -> str:
    with store.engine.connect() as connection:
        if store.dialect == "sqlite":
            rows = connection.execute(text(f"EXPLAIN QUERY PLAN {sql}")).all()
            return " ".join(str(row[-1]) for row in rows)
        connection.execute(text("SET enable_seqscan = off"))  # a handful of rows: force the choice
        return " ".join(row[0] for row in connection.execute(text(f"EXPLAIN {sql}")))


def test_a_store_at_0007_with_facts_is_upgraded_to_find_the_latest_and_count_writes(
    db_url: str,
) -> None:
    """Migration 0008 on a store an older briefwatch filled: /timeline's index, and the count
    of writes to facts the map's feed is kept by, starting from the facts already there."""
    engine = make_engine(db_url)
    _alembic(engine, "upgrade", "0007")
    with engine.begin() as connection:
        for n, (key, (kind, state)) in enumerate(STATES.items()):
            row = {"k": key, "c": kind, "s": json.dumps(state), "u": f"2025-01-0{n + 1} 00:00:00"}
            connection.execute(
                text(
                    "INSERT INTO fact (key, kind, label, state, version, updated_at) "
                    "VALUES (:k, :c, :k, :s, 1, :u)"
                ),
                row,
            )
    engine.dispose()
    store = Store(db_url)  # the store's own upgrade path, as `briefwatch run` takes it
    indexes = {i["name"]: i["column_names"] for i in inspect(store.engine).get_indexes("fact")}
    assert indexes["ix_fact_kind_updated_at_id"] == ["kind", "updated_at", "id"]
    latest = queries.latest_facts(store, "control", 2)
    assert [f["key"] for f in latest.items] == ["control:settlements", "control:nowhere"]
    assert latest.total == 3
    plan = _plan(
        store, "SELECT id FROM fact WHERE kind = 'control' ORDER BY updated_at DESC, id DESC"
    )
    assert "ix_fact_kind_updated_at_id" in plan, plan
    assert fact_writes(store) == 0  # counted from here on
    with store.session() as session:  # a writer moves one fact, then adds one
        session.execute(text("UPDATE fact SET version = 2 WHERE key = 'control:kupiansk'"))
    assert fact_writes(store) == 1
    _insert_facts_once_more(store.engine)
    assert fact_writes(store) == 2
    store.close()


def _insert_facts_once_more(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            Fact.__table__.insert().values(  # type: ignore[attr-defined]
                key="control:kreminna", kind="control", label="Kreminna", state={}, version=1
            )
        )


def test_migration_0008_steps_down_and_up_again(db_url: str) -> None:
    store = Store(db_url)
    _insert_facts(store.engine)
    _alembic(store.engine, "downgrade", "0007")
    assert "fact_writes" not in inspect(store.engine).get_table_names()
    with store.engine.begin() as connection:  # no trigger left behind to write a missing table
        connection.execute(text("UPDATE fact SET version = 3"))
    _alembic(store.engine, "upgrade", "head")
    assert fact_writes(store) == 0
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE fact SET version = 4"))
    assert fact_writes(store) >= 1  # SQLite counts each row, PostgreSQL each statement
    store.close()


def test_two_folds_at_once_meet_at_the_count_and_never_deadlock(pg_url: str) -> None:
    """The count's row is held until a writer commits (PostgreSQL): it is the first lock a fold
    takes, its new changes included (a fold inserts them before writing its facts). Fold A has
    written fact x; fold B inserts fact a's change, then would write a; A then inserts the same
    change of a. B waits at the count before its insert, A goes on and commits, B fails on the
    change's unique key and folds again (pipeline.FOLD_TRIES): no deadlock for the database to
    break by killing one of them."""
    store = Store(pg_url)
    with store.engine.begin() as connection:
        for key in ("control:x", "control:a"):
            connection.execute(
                Fact.__table__.insert().values(  # type: ignore[attr-defined]
                    key=key, kind="control", label=key, state={}, version=1
                )
            )
    change = (
        "INSERT INTO change (key, fact_key, kind, version, title, new_state, claim_ids) "
        "VALUES ('control:a#2', 'control:a', 'control', 2, 't', '{}', '[]')"
    )
    fold_a, fold_b = store.engine.connect(), store.engine.connect()
    outcome: dict[str, BaseException | None] = {}

    def run_fold_b() -> None:
        try:
            with fold_b.begin():
                fold_b.execute(text(change))
                fold_b.execute(text("UPDATE fact SET version = 2 WHERE key = 'control:a'"))
            outcome["b"] = None
        except BaseException as exc:  # what the fold would see
            outcome["b"] = exc

    try:
        transaction = fold_a.begin()
        fold_a.execute(text("SET LOCAL deadlock_timeout = '200ms'"))
        fold_a.execute(text("UPDATE fact SET version = 2 WHERE key = 'control:x'"))
        b_pid = fold_b.execute(text("SELECT pg_backend_pid()")).scalar()
        fold_b.commit()
        thread = threading.Thread(target=run_fold_b)
        thread.start()
        waiting = "SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid"
        with store.engine.connect() as watcher:
            for _ in range(200):  # until fold B waits for a lock
                if watcher.execute(text(waiting), {"pid": b_pid}).scalar() == "Lock":
                    break
                time.sleep(0.02)
            else:
                raise AssertionError("fold B never waited")
        time.sleep(0.5)  # past deadlock_timeout: a deadlock would have been found by now
        fold_a.execute(text(change))
        transaction.commit()
        thread.join(timeout=30)
    finally:
        fold_a.close()
        fold_b.close()
    assert isinstance(outcome["b"], IntegrityError), outcome  # folded again, as before 0008
    assert "deadlock" not in str(outcome["b"]).lower()
    assert fact_writes(store) == 4  # two facts inserted, x written, the change A inserted
    store.close()
