"""Asking the gazetteer: which places a name can be, which one it is, and a place by its id.

One `Gazetteer` per process (`gazetteer()`), opened on first use over the cached index
(`briefwatch.places.index`). A lookup is one indexed SQLite query (~10-20 µs) behind an LRU
cache, since an article names the same few places again and again.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from briefwatch.places.build import (
    ALIAS_WEIGHT,
    COMMON_WORD,
    MINOR_ALTERNATE,
    OK,
    Source,
    load_source,
)
from briefwatch.places.index import index_path, open_index
from briefwatch.places.names import folded_key, name_key, words_of

UNKNOWN = "unknown"  # no place in GeoNames has this name
UNKNOWN_ID = "unknown-id"  # no place in the index has this geonameid
NOT_A_NAME = "not-a-name"  # nothing in the name can be matched (another script, punctuation)
ELSEWHERE = "elsewhere"  # a folded key's places all lie outside the watched countries

# A folded key shorter than this matches too many names to mean one ("Bac", "Lal").
FOLDED_SHORTEST = 5
_SELECT = "SELECT id, name, country, admin1, lat, lon, population, size FROM places"
_COLUMNS = "p.id, p.name, p.country, p.admin1, p.lat, p.lon, p.population, p.size"
# How a lookup ranks places: by size, a place the name is only an alternate of at a fifth.
_RANK = f"p.size * (CASE n.alias WHEN 0 THEN 1 ELSE {ALIAS_WEIGHT} END) DESC, p.id"


@dataclass(frozen=True)
class Place:
    """A populated place in GeoNames, under its canonical name."""

    id: int  # the geonameid: stable across spellings and releases
    name: str  # canonical name (`briefwatch.places.canonical`)
    country: str  # ISO 3166-1 alpha-2 code
    admin1: str | None  # GeoNames' first-level division code, within the country
    lat: float
    lon: float
    population: int  # 0 when GeoNames does not know it
    # population, or for a place GeoNames counts none in the median population of the places
    # named in as many ways (`briefwatch.places.build.NAMES_BUCKET`): what ranks it
    size: int = 0


@dataclass(frozen=True)
class Unresolved:
    """A name (or id) the gazetteer will not turn into a place, and why."""

    name: str
    reason: str  # unknown | common-word | minor-alternate | not-a-name | unknown-id | elsewhere


def _place(row: tuple) -> Place:
    return Place(
        int(row[0]), row[1], row[2], row[3], float(row[4]), float(row[5]), int(row[6]), int(row[7])
    )


class Gazetteer:
    """The places of GeoNames by name and by id, over one read-only index."""

    def __init__(self, connection: sqlite3.Connection, path: Path | None = None) -> None:
        self._connection = connection
        self.path = path
        self._lock = threading.Lock()  # one connection, shared by a process's threads
        self._rows = lru_cache(maxsize=65536)(self._query)
        self._folded_rows = lru_cache(maxsize=16384)(self._query_folded)

    @classmethod
    def open(
        cls, folder: Path | None = None, source: Callable[[], Source] = load_source
    ) -> Gazetteer:
        """The gazetteer over the index in ``folder`` (default: the cache folder), built first
        from ``source`` when it is missing, stale or damaged; raises `GazetteerError` when it
        cannot be."""
        return cls(open_index(folder, source), index_path(folder))

    def meta(self) -> dict[str, str]:
        """What the index was built from and holds: format, data versions, counts."""
        with self._lock:
            return dict(self._connection.execute("SELECT key, value FROM meta").fetchall())

    def close(self) -> None:
        """Close the index (a closed gazetteer answers nothing)."""
        with self._lock:
            self._connection.close()

    def _query(self, key: str) -> tuple[tuple[Place, str], ...]:
        """Every place with a name of this key, and whether that name may stand for it."""
        with self._lock:
            rows = self._connection.execute(
                f"SELECT {_COLUMNS}, n.reason FROM names n JOIN places p ON p.id = n.place "
                f"WHERE n.key = ? ORDER BY {_RANK}",
                (key,),
            ).fetchall()
        return tuple((_place(row), row[8]) for row in rows)

    def _query_folded(self, key: str) -> tuple[Place, ...]:
        """Every place with a name that may stand for it under this folded key, best first."""
        with self._lock:
            rows = self._connection.execute(
                f"SELECT {_COLUMNS} FROM folded n JOIN places p ON p.id = n.place "
                f"WHERE n.key = ? ORDER BY {_RANK}",
                (key,),
            ).fetchall()
        return tuple(_place(row) for row in rows)

    def lookup(self, name: str) -> tuple[Place, ...]:
        """Every place the name can stand for, best first: largest, a place the name is only
        an alternate of counted at a fifth of its size (none for a common word or a small
        place's stray alternate name)."""
        key = name_key(name)
        if not key:
            return ()
        return tuple(place for place, reason in self._rows(key) if reason == OK)

    def resolve(self, name: str, countries: Collection[str] = ()) -> Place | Unresolved:
        """The place a name means: the best it can be in ``countries`` (ISO codes), else the
        best anywhere (as `lookup` ranks them); or why it is none."""
        key = name_key(name)
        if not key:
            return Unresolved(name, NOT_A_NAME)
        rows = self._rows(key)
        places = [place for place, reason in rows if reason == OK]
        if not places:
            if not rows:
                return Unresolved(name, UNKNOWN)
            reasons = {reason for _, reason in rows}
            return Unresolved(name, COMMON_WORD if COMMON_WORD in reasons else MINOR_ALTERNATE)
        if countries:
            wanted = {c.upper() for c in countries}
            for place in places:
                if place.country in wanted:
                    return place
        return places[0]

    def resolve_folded(self, name: str, countries: Collection[str] = ()) -> Place | Unresolved:
        """The place a name no place is known by exactly means under its folded key
        (`briefwatch.places.names.folded_key`: "Umanskoye" for Umanske), or why none.

        For a name the text puts where a place goes, and only after `resolve` found none: the
        looser key makes more names meet, so a name that is a common English word (to the
        exact index, or the words list), or too short for its letters to say much, is never
        folded. Several places under one folded key: the best in ``countries``, else the
        largest (as `resolve` ranks them). A desk that watches countries gets a folded match
        only in them: a looser key needs that much more evidence ("Halgan", a Somali village
        GeoNames does not list, folds to Khalgan, an old name of Zhangjiakou in China).
        """
        key = folded_key(name)
        if len(key) < FOLDED_SHORTEST:
            return Unresolved(name, NOT_A_NAME if not key else UNKNOWN)
        exact = self._rows(name_key(name))
        if any(reason == COMMON_WORD for _, reason in exact) or self._is_words(name):
            return Unresolved(name, COMMON_WORD)
        places = self._folded_rows(key)
        if not places:
            return Unresolved(name, UNKNOWN)
        if countries:
            wanted = {c.upper() for c in countries}
            inside = [place for place in places if place.country in wanted]
            return inside[0] if inside else Unresolved(name, ELSEWHERE)
        return places[0]

    def _is_words(self, name: str) -> bool:
        """Whether every word of a name is a common English word ("Rivals", "Green Hill")."""
        parts = [w for w in words_of(name) if w not in ("al", "el")]
        return bool(parts) and all(self.is_word(w) for w in parts)

    @lru_cache(maxsize=8192)  # noqa: B019 - one instance per process, kept for its life
    def is_word(self, word: str) -> bool:
        """Whether a single word is a common English word ("rivals", "shares"; not "kalehe"):
        what a capitalised sentence opener is when no place has its name."""
        with self._lock:
            found = self._connection.execute(
                "SELECT 1 FROM words WHERE word = ?", (word.lower(),)
            ).fetchone()
        return found is not None

    @lru_cache(maxsize=4096)  # noqa: B019 - one instance per process, kept for its life
    def by_id(self, geonameid: int) -> Place | Unresolved:
        """The place with this geonameid, under its canonical name."""
        with self._lock:
            row = self._connection.execute(f"{_SELECT} WHERE id = ?", (geonameid,)).fetchone()
        return _place(row) if row else Unresolved(str(geonameid), UNKNOWN_ID)


_OPEN: dict[tuple[int, Path], Gazetteer] = {}
_OPENING = threading.Lock()


def gazetteer() -> Gazetteer:
    """The process's gazetteer, opened on first use (and built first if need be: ~20 s once).

    Raises `GazetteerError` when the index can be neither opened nor built.
    """
    where = (os.getpid(), index_path())
    found = _OPEN.get(where)
    if found is not None:
        return found
    with _OPENING:
        if where not in _OPEN:
            _OPEN[where] = Gazetteer.open(where[1].parent)
        return _OPEN[where]
