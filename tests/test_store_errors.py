"""A store that cannot be used is one clear line and exit 2, from every command that opens it;
and reading a store needs no write access (issue 16). Through the real command, on real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefwatch.models import Fact, Source
from briefwatch.store import Store

BRIEFWATCH = str(Path(sys.executable).with_name("briefwatch"))
READERS = ("status", "sources", "alerts")


def briefwatch(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([BRIEFWATCH, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def config_for(tmp_path: Path, store: Path) -> Path:
    # A source the readers list; no pass here reaches the network (they stop before Prefect).
    config = tmp_path / "briefwatch.toml"
    config.write_text(
        f'[storage]\nurl = "sqlite:///{store}"\n'
        '[[sources]]\nname = "wire"\nurl = "http://127.0.0.1:9/feed"\n',
        encoding="utf-8",
    )
    return config


def filled_store(path: Path, rows: int = 3000) -> None:
    """A real store of some 1 MB: sources and facts over many pages."""
    store = Store(f"sqlite:///{path}")
    with store.session() as session:
        store.insert_ignore(session, Source, [
            {"name": f"s{i}", "url": f"https://news.example/{'p' * 200}/{i}", "kind": "feed"}
            for i in range(rows)
        ])  # fmt: skip
        store.insert_ignore(session, Fact, [
            {"key": f"control:town-{i}", "kind": "control", "label": f"town {i}",
             "state": {"status": "held"}}
            for i in range(rows)
        ])  # fmt: skip
    store.close()


def assert_one_clear_line(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr and "sqlalchemy" not in done.stderr.lower()
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])


def test_a_text_file_as_store_is_named_by_every_command(tmp_path: Path) -> None:
    store = tmp_path / "notes.db"
    store.write_text("these are my notes, not a database\n" * 20, encoding="utf-8")
    config = config_for(tmp_path, store)
    for command in (*READERS, "run"):
        done = briefwatch(command, "--config", str(config), cwd=tmp_path)
        assert_one_clear_line(done, str(store), "is not a SQLite database", "storage.url")
    assert store.read_text(encoding="utf-8").startswith("these are my notes")


def test_a_truncated_store_is_said_to_be_damaged(tmp_path: Path) -> None:
    store = tmp_path / "bw.db"
    filled_store(store)
    os.truncate(store, store.stat().st_size // 2)
    config = config_for(tmp_path, store)
    for command in ("status", "sources", "run"):
        done = briefwatch(command, "--config", str(config), cwd=tmp_path)
        assert_one_clear_line(done, str(store), "is damaged", "backup")


def test_a_store_garbled_in_the_middle_stops_the_run_before_the_pass(tmp_path: Path) -> None:
    store = tmp_path / "bw.db"
    filled_store(store)
    with store.open("r+b") as handle:  # pages 4 to 23 overwritten; the schema page is intact
        handle.seek(4096 * 3)
        handle.write(bytes(range(256)) * 16 * 20)
    config = config_for(tmp_path, store)
    # The facts' pages are among those garbled: status meets it in its query, run before it
    # starts a pass (SQLite's quick_check), either way with the one line.
    for command in ("status", "run"):
        done = briefwatch(command, "--config", str(config), cwd=tmp_path)
        assert_one_clear_line(done, str(store), "is damaged")


def test_a_store_in_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    folder = tmp_path / "no-such-folder"
    config = config_for(tmp_path, folder / "bw.db")
    for command in (*READERS, "run"):
        done = briefwatch(command, "--config", str(config), cwd=tmp_path)
        assert_one_clear_line(done, str(folder), "does not exist", "storage.url")
    assert not folder.exists()


def test_an_unreachable_postgresql_is_one_line_and_exit_2(tmp_path: Path) -> None:
    config = tmp_path / "briefwatch.toml"
    config.write_text(
        '[storage]\nurl = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"\n',
        encoding="utf-8",
    )
    for command in READERS:
        done = briefwatch(command, "--config", str(config), cwd=tmp_path)
        assert_one_clear_line(done, "cannot open the store at", "127.0.0.1:1")


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file in ``folder``: its bytes, mode and modification time (ns)."""
    return {
        p.name: (p.read_bytes(), p.stat().st_mode, p.stat().st_mtime_ns) for p in folder.iterdir()
    }


@pytest.fixture
def read_only_store(tmp_path: Path) -> tuple[Path, Path]:
    """A filled store, closed, its file 0444 and its folder 0555, no lock file beside it."""
    folder = tmp_path / "store"
    folder.mkdir()
    store = folder / "bw.db"
    filled_store(store, rows=50)
    (folder / "bw.db.migrate-lock").unlink()  # left by its creation; a reader makes none
    store.chmod(0o444)
    folder.chmod(0o555)
    yield store, config_for(tmp_path, store)
    folder.chmod(0o755)


def test_readers_leave_the_store_and_its_folder_as_they_found_them(
    read_only_store: tuple[Path, Path], tmp_path: Path
) -> None:
    # Shown as root too: root may write anywhere, so only a reader that opens the file
    # read-only and takes no lock leaves everything as it was.
    store, config = read_only_store
    before = snapshot(store.parent)
    assert set(before) == {"bw.db"}
    facts = json.loads(briefwatch("status", "--config", str(config), "--json", cwd=tmp_path).stdout)
    assert len(facts["facts"]) == 50 and facts["counts"]["source"] == 50
    listed = json.loads(briefwatch("sources", "-c", str(config), "--json", cwd=tmp_path).stdout)
    assert [s["name"] for s in listed["sources"]] == ["wire"]
    alerts = briefwatch("alerts", "--config", str(config), "--json", cwd=tmp_path)
    assert alerts.returncode == 0 and json.loads(alerts.stdout) == {"alerts": []}
    assert snapshot(store.parent) == before  # no lock file, no -wal or -shm, the file untouched


@pytest.mark.skipif(
    os.geteuid() == 0,
    reason="running as root: chmod does not stop root from writing, so a read-only store "
    "cannot be shown to refuse a write (readers leaving it untouched is tested above)",
)
def test_readers_need_no_write_access_and_a_pass_says_it_has_none(
    read_only_store: tuple[Path, Path], tmp_path: Path
) -> None:
    store, config = read_only_store
    for command in READERS:
        done = briefwatch(command, "--config", str(config), cwd=tmp_path)
        assert done.returncode == 0, (command, done.stderr)
    done = briefwatch("run", "--config", str(config), cwd=tmp_path)
    assert_one_clear_line(done, str(store), "cannot be written", "write access")


def test_a_reader_beside_a_writer_sees_what_the_writer_committed(tmp_path: Path) -> None:
    """While a writer holds the store open its commits sit in the -wal file: a reader shares the
    WAL index and sees them (a reader of the main file alone would not)."""
    path = tmp_path / "bw.db"
    filled_store(path, rows=1)  # closed: its schema and first fact are in the file itself
    writer = Store(f"sqlite:///{path}")
    try:
        with writer.session() as session:
            session.add(
                Fact(key="control:lachin", kind="control", label="Lachin", state={"status": "held"})
            )
        with writer.engine.connect():  # held open: no checkpoint folds the -wal into the file
            assert path.with_name("bw.db-wal").stat().st_size > 0
            config = config_for(tmp_path, path)
            done = briefwatch("status", "--config", str(config), "--json", cwd=tmp_path)
            assert done.returncode == 0, done.stderr
            keys = [f["key"] for f in json.loads(done.stdout)["facts"]]
            assert keys == ["control:lachin", "control:town-0"]
    finally:
        writer.close()


FLOW = (
    "import sys\n"
    "from flows.monitor import monitor\n"
    "try:\n"
    "    monitor(config=sys.argv[1])\n"
    "except Exception as exc:\n"
    "    print(f'raised {type(exc).__name__}', file=sys.stderr)\n"
    "    sys.exit(3)\n"
)


@pytest.mark.parametrize("fault", ["not-a-database", "no-folder"])
def test_a_store_error_in_the_prefect_flow_is_one_line_in_its_log(
    tmp_path: Path, prefect_api: str, fault: str
) -> None:
    """The `monitor` flow as a deployment runs it (not behind the CLI's checks): the run
    fails with the store's one line in Prefect's log, not a traceback under it."""
    from tests.support.prefect_server import prefect_env

    if fault == "not-a-database":
        store = tmp_path / "bw.db"
        store.write_text("not a database, a note\n" * 200, encoding="utf-8")
        words = (str(store), "is not a SQLite database")
    else:
        store = tmp_path / "missing" / "bw.db"
        words = (str(store.parent), "does not exist (storage.url)")
    config = config_for(tmp_path, store)
    env = {**prefect_env(tmp_path / "prefect", prefect_api), "PREFECT_LOGGING_LEVEL": "INFO"}
    done = subprocess.run(
        [sys.executable, "-c", FLOW, str(config)],
        cwd=tmp_path, capture_output=True, text=True, timeout=180, env=env,
    )  # fmt: skip

    assert done.returncode == 3, done.stderr
    assert "raised StoreError" in done.stderr  # the run fails: a caller sees our error
    assert "Traceback" not in done.stderr, done.stderr
    [line] = [x for x in done.stderr.splitlines() if "flow run stopped:" in x]
    for word in words:
        assert word in line, (word, line)
