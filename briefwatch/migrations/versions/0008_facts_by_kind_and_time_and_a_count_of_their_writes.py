"""facts found by kind and time from one index, and a count of the writes to facts

``ix_fact_kind_updated_at_id``: /timeline shows the facts of a kind updated last; without it the
database read every fact of the kind to sort them (5,000 tolls for a page of 30).

``fact_writes``: one row whose ``count`` the database moves whenever a statement writes to
``fact`` (triggers below), in that statement's transaction. The web view keys what it built
from facts (the map's feed) by this count: read before the facts, in the same store, it moves
when any writer's change to a fact commits, so a reader never serves a body built before a
commit it could see. Triggers, not code in the fold: every writer (a pass, a backfill, a test
or a tool inserting rows) keeps the count right without knowing of it; and the view only reads.
Neither the time of the last write (two writers' clocks, or one writer committing after a later
one began, keep it still) nor the largest id (an update keeps it) would be enough.

On PostgreSQL the count's row is locked until the writer commits, so it must be the first lock
a fold takes, or two folds at once (a pass and a backfill) could each hold what the other
waits for: the triggers run BEFORE each statement, on ``fact`` and on inserts into ``change``
(a fold flushes its new changes before its facts: a change key another fold inserted first
would otherwise be waited on while holding the count). Two folds then meet at the count, one
waits, and the other's unique keys make the waiting one fail and fold again, as before
(`pipeline.FOLD_TRIES`). An insert into ``change`` moves the count too: a rebuild, never stale.
On SQLite, writers are one at a time already; its triggers are per row, on ``fact`` alone
(SQLite has no statement triggers).

A later migration that rebuilds ``fact`` on SQLite (a batch copy) drops its triggers with the
old table: it must create them again (`create_triggers`; tests/web/test_web_cache.py fails
otherwise).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 23:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_fact_kind_updated_at_id"
BUMP = "UPDATE fact_writes SET count = count + 1 WHERE id = 1"
SQLITE_EVENTS = ("insert", "update", "delete")


def create_triggers(dialect: str) -> None:
    if dialect == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION fact_written() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {BUMP}; RETURN NULL; END $$"
        )
        op.execute(
            "CREATE TRIGGER fact_written BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON fact "
            "FOR EACH STATEMENT EXECUTE FUNCTION fact_written()"
        )
        op.execute(
            'CREATE TRIGGER fact_written BEFORE INSERT ON "change" '
            "FOR EACH STATEMENT EXECUTE FUNCTION fact_written()"
        )
        return
    for event in SQLITE_EVENTS:
        op.execute(f"CREATE TRIGGER fact_{event}d AFTER {event.upper()} ON fact BEGIN {BUMP}; END")


def drop_triggers(dialect: str) -> None:
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS fact_written ON fact")
        op.execute('DROP TRIGGER IF EXISTS fact_written ON "change"')
        op.execute("DROP FUNCTION IF EXISTS fact_written()")
        return
    for event in SQLITE_EVENTS:
        op.execute(f"DROP TRIGGER IF EXISTS fact_{event}d")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_index(INDEX, "fact", ["kind", "updated_at", "id"])
    writes = op.create_table(
        "fact_writes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(writes, [{"id": 1, "count": 0}])
    create_triggers(dialect)


def downgrade() -> None:
    drop_triggers(op.get_bind().dialect.name)
    op.drop_table("fact_writes")
    op.drop_index(INDEX, table_name="fact")
