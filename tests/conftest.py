"""Shared fixtures: a real HTTP server on 127.0.0.1 and the paths of fixture files."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from briefwatch.fetch import pacing, robots
from briefwatch.places import Gazetteer, gazetteer
from flows.server import local_prefect_server
from tests.support.prefect_server import prefect_env
from tests.support.server import LocalServer

FIXTURES = Path(__file__).parent / "fixtures"
_CACHE_DIR: str | None = None


def pytest_configure(config: pytest.Config) -> None:
    """The session's own cache folder, so the gazetteer's place index is built for the tests
    (once per session, on first use) and never read from or written to the user's cache.
    Set in the environment, so that commands the tests start use the same index."""
    global _CACHE_DIR
    _CACHE_DIR = tempfile.mkdtemp(prefix="briefwatch-test-cache-")
    os.environ["BRIEFWATCH_CACHE_DIR"] = _CACHE_DIR


def pytest_unconfigure(config: pytest.Config) -> None:
    if _CACHE_DIR:
        shutil.rmtree(_CACHE_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def places() -> Gazetteer:
    """The gazetteer over the session's place index (built on first use, ~15 s)."""
    return gazetteer()


NEWSROOM = Path(__file__).resolve().parents[1] / "briefwatch" / "demo" / "newsroom"


@pytest.fixture(autouse=True)
def fresh_politeness() -> Iterator[None]:
    """Pacing and robots.txt state is process-wide by design; each test starts without any."""
    pacing.forget()
    robots.CACHE.forget()
    yield
    pacing.forget()
    robots.CACHE.forget()


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A fresh local HTTP server; set routes with ``server.route(path, body, ...)``."""
    with LocalServer() as srv:
        yield srv


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One real Prefect server for the session; commands under test get its API URL."""
    home = tmp_path_factory.mktemp("prefect-home")
    with local_prefect_server(env=prefect_env(home), log=home / "server.log") as api:
        yield api


# -- databases -------------------------------------------------------------------------------

PG_ADMIN_URL = os.environ.get(
    "BRIEFWATCH_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@contextmanager
def pg_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database on the machine's server, dropped afterwards."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"bw_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database on the machine's server, dropped afterwards."""
    with pg_database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each store test runs on a SQLite file and on the machine's PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'briefwatch.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_pair(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two fresh stores of one kind, to compare what two ways of storing leave behind."""
    if request.param == "sqlite":
        yield (f"sqlite:///{tmp_path / 'first.db'}", f"sqlite:///{tmp_path / 'second.db'}")
        return
    with pg_database() as first, pg_database() as second:
        yield first, second
