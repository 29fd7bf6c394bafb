"""SQLite's one writer at a time (issue 16): the place index built for the first time (~25 s)
must not be built while a batch holds the store's write lock, and a lock that outlasts the
busy timeout is one clear line (exit 2), not an `OperationalError` traceback."""

from __future__ import annotations

import importlib
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from briefwatch.errors import StoreError
from briefwatch.models import Article
from briefwatch.places import index
from briefwatch.places.gazetteer import Gazetteer
from briefwatch.store import Store
from briefwatch.stories.batch import Incoming, store_articles
from parsers.types import ParsedArticle

gazetteer_module = importlib.import_module("briefwatch.places.gazetteer")
BRIEFWATCH = str(Path(sys.executable).with_name("briefwatch"))
TEXT = (
    "Azerbaijani forces captured the town of Hadrut, the Defense Ministry in Baku said.",
    "At least 12 civilians were killed in the shelling of Stepanakert, officials said.",
)


def article(n: int) -> Incoming:
    parsed = ParsedArticle(
        url=f"https://wire.example/{n}",
        title=f"Report {n}",
        paragraphs=(f"Report number {n} from the front.", *TEXT),
        parser="generic",
        outlet="wire",
        published=datetime(2020, 10, 9, 9, n, tzinfo=UTC),
    )
    return Incoming(parsed.url, parsed)


def write_lock_free(path: Path) -> bool:
    """Whether another connection could take the store's write lock right now."""
    probe = sqlite3.connect(path, timeout=0)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.rollback()
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()


@contextmanager
def held_write_lock(path: Path) -> Iterator[None]:
    """Another process's writer (a second pass, a sqlite3 shell) holding the store's write lock."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.rollback()
        holder.close()


@pytest.mark.usefixtures("places")
def test_the_place_index_is_built_before_a_batch_takes_the_write_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh cache folder: the first batch of a process builds the index. While it builds,
    another writer must be able to write (it was not: the build ran inside the batch's
    transaction, after its first insert, and the other writer failed after 10 s)."""
    built = index.index_path()  # the session's index: the "build" below copies it
    db = tmp_path / "bw.db"
    store = Store(f"sqlite:///{db}")
    seen: list[bool] = []

    def build(path: Path, _source: Callable[[], object]) -> None:
        seen.append(write_lock_free(db))
        shutil.copyfile(built, path)

    monkeypatch.setenv(index.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(gazetteer_module, "_OPEN", {})
    monkeypatch.setattr(index, "_build", build)
    try:
        done = store_articles(store, "wire", [article(1), article(2)], {}, {}, lambda _s: {})
    finally:
        for opened in gazetteer_module._OPEN.values():
            opened.close()
    assert seen == [True]  # built once, and with nobody's write lock held
    assert done.claims > 0 and (tmp_path / "cache" / built.name).exists()
    store.close()


def test_a_lock_held_past_the_busy_timeout_is_a_store_error_and_nothing_is_half_stored(
    tmp_path: Path, places: Gazetteer
) -> None:
    db = tmp_path / "bw.db"
    store = Store(f"sqlite:///{db}")
    batch = [article(n) for n in range(1, 4)]
    with held_write_lock(db), pytest.raises(StoreError) as raised:
        store_articles(store, "wire", batch, {}, {}, lambda _s: {})
    message = str(raised.value)
    assert message.startswith(f"the store {db} stayed locked by another writer for more than")
    assert "\n" not in message and "OperationalError" not in message
    with store.session() as session:
        assert session.exec(select(Article)).all() == []  # not one by one, as if pages' faults
    done = store_articles(store, "wire", batch, {}, {}, lambda _s: {})
    assert len(done.verdicts) == 3
    with store.session() as session:
        assert len(session.exec(select(Article)).all()) == 3
    store.close()


def test_a_command_that_writes_beside_a_held_lock_says_so_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "bw.db"
    Store(f"sqlite:///{db}").close()
    config = tmp_path / "briefwatch.toml"
    config.write_text(f'[storage]\nurl = "sqlite:///{db}"\n', encoding="utf-8")
    with held_write_lock(db):
        done = subprocess.run(
            [BRIEFWATCH, "alerts", "--resend-unknown", "--config", str(config)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "OperationalError" not in done.stderr
    error = " ".join(done.stderr.split())
    assert error.startswith(f"error: the store {db} stayed locked by another writer"), error
