"""Answers built from facts, kept until a fact is written.

The map's feed (``/api/control.geojson``) reads and words every control fact: ~60-250 ms for
2,500 places on a loaded machine, asked by every open map every 30 s, while facts move only
when a pass folds. Each built body is kept under what it was asked for, with the store's count
of writes to facts (`fact_writes`, moved by the database's triggers in the writer's own
transaction, migration 0008) read *before* the facts it was built from: while the count stands,
no fact has moved since, and the body is served again; once a writer commits, the next request
reads another count and builds anew. Nothing is written (the view may run as a read-only user)
and nothing is ever served from before a commit the request could see.

Bounded: at most `MAX_ENTRIES` bodies and `MAX_BYTES` in all, the least recently served
dropped first; a body larger than the bound is served and not kept.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from sqlalchemy import text

from briefwatch.store import Store

MAX_ENTRIES = 64  # distinct askings kept (filters by place, country, since; the view's address)
MAX_BYTES = 48 * 2**20  # the whole map of 10k places is ~2.2 MB


def fact_writes(store: Store) -> int | None:
    """The store's count of writes to facts (one row by its primary key); None when the row
    is missing (nothing can then be known current, so nothing is kept)."""
    with store.engine.connect() as connection:
        return connection.execute(text("SELECT count FROM fact_writes WHERE id = 1")).scalar()


@dataclass(frozen=True, slots=True)
class Built:
    """One answer's body, the facts' count of writes it was built at, and its entity tag (a
    digest of the body: a client holding it is sent 304, whatever the count did meanwhile)."""

    body: bytes
    writes: int | None
    etag: str


def built(body: bytes, writes: int | None) -> Built:
    return Built(body, writes, f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"')


class FactCache:
    """Bodies built from facts, by what was asked, least recently served dropped first."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._kept: OrderedDict[Hashable, Built] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # the API's handlers run on a thread pool

    @property
    def size(self) -> tuple[int, int]:
        """How many bodies are kept and their bytes in all."""
        with self._lock:
            return len(self._kept), self._bytes

    def get(self, store: Store, asked: Hashable, build: Callable[[], bytes]) -> Built:
        """The body for ``asked``: the kept one while no fact has been written since it was
        built, else ``build()``'s (kept for the next request)."""
        writes = fact_writes(store)  # before the facts are read: a body is never older
        if writes is not None:
            with self._lock:
                found = self._kept.get(asked)
                if found is not None and found.writes == writes:
                    self._kept.move_to_end(asked)
                    return found
        fresh = built(build(), writes)
        if writes is not None and len(fresh.body) <= self.max_bytes:
            self._keep(asked, fresh)
        return fresh

    def _keep(self, asked: Hashable, fresh: Built) -> None:
        with self._lock:
            old = self._kept.get(asked)
            if old is not None:
                # (only bodies with a count are kept)
                if (old.writes or 0) > (fresh.writes or 0):  # built meanwhile, from newer facts
                    return
                self._bytes -= len(old.body)
            self._kept[asked] = fresh
            self._kept.move_to_end(asked)
            self._bytes += len(fresh.body)
            while len(self._kept) > self.max_entries or self._bytes > self.max_bytes:
                _, dropped = self._kept.popitem(last=False)
                self._bytes -= len(dropped.body)
