"""Grow a real store to 10k or 100k articles in seconds, to see which steps slow down with size.

A store of 10k articles made by real passes takes ~25 ms x 10k of CPU; a benchmark that must
finish in minutes cannot pay that at every size. So `replicate` takes a store filled by a real
pass and copies the rows that scale with the number of articles (stories, articles, revisions,
claims, paragraphs, near-duplicate bands, validators) ``factor - 1`` times, under new keys:

- integer ids are shifted by a per-copy offset, and foreign keys with them;
- every other unique key (a URL, a fingerprint, a claim key, a paragraph hash) gets a copy
  suffix (hex keys stay hex and keep their length);
- everything else is kept: the same fact keys (so the running tolls and the control facts carry
  ``factor`` times the claims, as they would after ``factor`` times the passes), the same
  near-duplicate bands and signatures (so band lookups meet ``factor`` times the candidates).

Facts, changes, deliveries, skips and sources are not copied: their number follows the number of
subjects, not of articles. The schema is read from the database, so columns added later are
copied as they are; a new table whose rows grow with the articles belongs in `TABLES`.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, create_engine, func, inspect, select

# In foreign-key order: a table comes after the tables it points to.
TABLES = ("story", "article", "revision", "claim", "paragraph", "story_band", "validator")
_HEX = re.compile(r"^[0-9a-f]{16,}$")


def variant(value: str, copy: int) -> str:
    """``value`` made unique for copy number ``copy``; a hex key stays hex of the same length."""
    if _HEX.match(value):
        return hashlib.sha256(f"{value}:{copy}".encode()).hexdigest()[: len(value)]
    return f"{value}-r{copy}"


def replicate(db: Path, factor: int) -> dict[str, int]:
    """Copy the article-scaled rows of the SQLite store ``db`` so it holds ``factor`` times them.

    Returns the rows each table holds afterwards.
    """
    engine = create_engine(f"sqlite:///{db}")
    inspector = inspect(engine)
    present = [t for t in TABLES if inspector.has_table(t)]
    meta = MetaData()
    meta.reflect(engine, only=present)
    with engine.begin() as conn:
        originals = {
            t: [dict(r._mapping) for r in conn.execute(select(meta.tables[t]))] for t in present
        }
        spans = {}  # table -> id offset per copy, above every id the table holds
        for name in present:
            table = meta.tables[name]
            if "id" in table.c and table.c.id.primary_key:
                spans[name] = (conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1
        for copy in range(1, factor):
            for name in present:
                rows = [_copy_row(row, name, copy, spans, inspector) for row in originals[name]]
                if rows:
                    conn.execute(meta.tables[name].insert(), rows)
        counts = {
            t: conn.execute(select(func.count()).select_from(meta.tables[t])).scalar() or 0
            for t in present
        }
    engine.dispose()
    return counts


def _unique_string_columns(inspector: Any, table: str) -> set[str]:
    """The string columns that alone or with other non-id columns must be unique."""
    columns = {c["name"]: c for c in inspector.get_columns(table)}
    keys = [inspector.get_pk_constraint(table)["constrained_columns"]]
    keys += [u["column_names"] for u in inspector.get_unique_constraints(table)]
    keys += [i["column_names"] for i in inspector.get_indexes(table) if i["unique"]]
    foreign = {c for fk in inspector.get_foreign_keys(table) for c in fk["constrained_columns"]}
    out: set[str] = set()
    for key in keys:
        if key == ["id"] or foreign.intersection(key):
            continue  # a shifted id already makes it unique
        out.update(c for c in key if "CHAR" in str(columns[c]["type"]).upper())
    return out


_UNIQUE_CACHE: dict[str, set[str]] = {}
_FK_CACHE: dict[str, dict[str, str]] = {}


def _copy_row(
    row: dict[str, Any], table: str, copy: int, spans: dict[str, int], inspector: Any
) -> dict[str, Any]:
    if table not in _UNIQUE_CACHE:
        _UNIQUE_CACHE[table] = _unique_string_columns(inspector, table)
        _FK_CACHE[table] = {
            column: fk["referred_table"]
            for fk in inspector.get_foreign_keys(table)
            for column in fk["constrained_columns"]
        }
    out = dict(row)
    if table in spans:
        out["id"] = row["id"] + copy * spans[table]
    for column, target in _FK_CACHE[table].items():
        if target in spans and row[column] is not None:
            out[column] = row[column] + copy * spans[target]
    for column in _UNIQUE_CACHE[table]:
        if row[column] is not None:
            out[column] = variant(row[column], copy)
    return out


def db_bytes(db: Path) -> int:
    """The store's size on disk: the file plus its write-ahead log."""
    return sum(p.stat().st_size for p in (db, db.with_name(db.name + "-wal")) if p.exists())
