"""Claims and facts written for other tools: CSV (one row per claim, the columns analysts know
from ACLED-like exports), GeoJSON (points where the gazetteer knows the place) and JSONL (the
API's documents, one per line). Rows are read a thousand at a time, so a large store streams."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Literal, TextIO
from urllib.parse import quote

import geojson
import orjson
from sqlmodel import col, select

from briefwatch.facts.records import AggregateState, ControlState, FactState, state_from_row
from briefwatch.facts.state import fact_place, headline
from briefwatch.models import Fact
from briefwatch.store import Store
from briefwatch.web.queries import (
    Filters,
    MapRow,
    Page,
    claim_page,
    control_facts,
    every,
    fact_page,
    pages,
)

Format = Literal["csv", "geojson", "jsonl"]
Subject = Literal["claims", "facts"]
GEOJSON_MEDIA_TYPE = "application/geo+json"

CLAIM_COLUMNS = (
    "date", "place", "country", "lat", "lon", "kind", "status", "outcome", "count_low",
    "count_high", "qualifier", "victims", "actor", "claimant", "claimant_side", "outlet", "url",
    "sentence", "fact_key", "claim_id",
)  # fmt: skip
FACT_COLUMNS = (
    "key", "kind", "label", "headline", "status", "holder", "place", "country", "lat", "lon",
    "version", "updated_at",
)  # fmt: skip


def _places(store: Store, fact_keys: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Where each control fact's place is (`facts.state.fact_place`), by fact key."""
    keys = sorted({k for k in fact_keys if k.startswith("control:")})
    with store.session() as session:
        found = session.exec(select(Fact.key, Fact.state).where(col(Fact.key).in_(keys)))
        places = ((key, fact_place(state_from_row(key, state))) for key, state in found)
        return {key: place for key, place in places if place is not None}


def _claims(store: Store, filters: Filters) -> Callable[[int, int], Page]:
    return lambda limit, offset: claim_page(store, None, filters, limit, offset)


def claim_rows(store: Store, filters: Filters) -> Iterator[dict[str, Any]]:
    """One flat row per claim: when, where, what, how many, who did it, who says so, where read."""
    for page in pages(_claims(store, filters)):
        places = _places(store, (c["fact_key"] for c in page.items))
        for claim in page.items:
            yield _claim_row(claim, places.get(claim["fact_key"], {}))


def _claim_row(claim: Mapping[str, Any], place: Mapping[str, Any]) -> dict[str, Any]:
    data = claim["data"]
    control = claim["kind"] == "control"
    return {
        "date": (claim["published"] or "")[:10],
        "place": place.get("name")
        or (data.get("canonical") or data.get("place") if control else ""),
        "country": place.get("country", ""),
        "lat": place.get("lat", ""),
        "lon": place.get("lon", ""),
        "kind": claim["kind"],
        "status": data.get("status", "") if control else "",
        "outcome": "" if control else data.get("outcome", ""),
        "count_low": data.get("count_low", data.get("count")) or "",
        "count_high": data.get("count_high") or "",
        "qualifier": data.get("qualifier") or "",
        "victims": data.get("victims") or "",
        "actor": data.get("actor") or "",
        "claimant": claim["claimed_by"] or "",
        "claimant_side": data.get("claimant_side") or "",
        "outlet": claim["outlet"],
        "url": claim["url"],
        "sentence": claim["sentence"],
        "fact_key": claim["fact_key"],
        "claim_id": claim["id"],
    }


def _fact_row(fact: Mapping[str, Any]) -> dict[str, Any]:
    place = fact["place"] or {}
    state = state_from_row(fact["key"], fact["state"])
    return {
        "key": fact["key"],
        "kind": fact["kind"],
        "label": fact["label"],
        "headline": fact["headline"],
        # a casualty series has no status; a claim over unnamed places no holder
        "status": state.status if isinstance(state, ControlState | AggregateState) else "",
        "holder": (state.holder if isinstance(state, ControlState) else None) or "",
        "place": place.get("name", ""),
        "country": place.get("country", ""),
        "lat": place.get("lat", ""),
        "lon": place.get("lon", ""),
        "version": fact["version"],
        "updated_at": fact["updated_at"] or "",
    }


def _mapped(state: FactState) -> ControlState | None:
    """``state`` when it is a place's the map can draw: one the gazetteer gave coordinates."""
    if not isinstance(state, ControlState) or state.place is None:
        return None
    return (
        state if state.place.get("lat") is not None and state.place.get("lon") is not None else None
    )


def control_feature(fact: Mapping[str, Any], typed: FactState) -> geojson.Feature | None:
    """A control fact (its document, each side's claim in ``positions``, and its state typed)
    as a point at its place, with its status, holder and headline; None for a place the
    gazetteer does not know (it has no coordinates to draw)."""
    state = _mapped(typed)
    if state is None or state.place is None:
        return None
    place = state.place
    properties = {
        "key": fact["key"],
        "label": fact["label"],  # the place as the desk names it ("Control of Stepanakert")
        "place": place["name"],  # the gazetteer's canonical name (Khankendi)
        "country": place.get("country"),
        "geonameid": place.get("id"),
        "status": state.status,
        "holder": state.holder,
        "holder_actor": state.holder_actor,
        "headline": fact["headline"],
        "updated_at": fact["updated_at"],
        "outlets": fact["outlets"],
        # each side's claim: who says so, what, the quoted sentence, when, where it was read
        "positions": fact["positions"],
    }
    return geojson.Feature(
        geometry=geojson.Point((place["lon"], place["lat"])), properties=properties
    )


_PLAIN_KEY = re.compile(r"[\w:/.~-]*", re.ASCII).fullmatch  # a slug: nothing to quote


def map_feature(row: MapRow, base: str) -> dict[str, Any] | None:
    """A control fact as the map's marker: a point at its place with its status, holder,
    headline and the link to its page (``base``: the view's address), plain dicts; None for a
    place without coordinates. Who claims what is the fact's own document
    (``/api/facts/<key>``: ``positions``), fetched when a popup opens."""
    key, label, text, updated_at = row
    state = _mapped(state_from_row(key, orjson.loads(text)))
    if state is None or state.place is None:
        return None
    place = state.place
    properties = {
        "key": key,
        "label": label,  # the place as the desk names it ("Control of Stepanakert")
        "place": place.get("name"),  # the gazetteer's canonical name (Khankendi)
        "country": place.get("country"),
        "geonameid": place.get("id"),
        "status": state.status,
        "holder": state.holder,
        "holder_actor": state.holder_actor,
        "headline": headline(key, label, state),
        # a datetime: orjson writes it as `clock.iso` does (ISO 8601, naive ones as UTC)
        "updated_at": updated_at,
        "url": f"{base}/facts/{key if _PLAIN_KEY(key) else quote(key, safe=':/')}",
    }
    point = {"type": "Point", "coordinates": [place["lon"], place["lat"]]}
    return {"type": "Feature", "geometry": point, "properties": properties}


def map_collection(rows: Iterable[MapRow], base: str) -> bytes:
    """The map's FeatureCollection of control, as UTF-8 JSON in one dump (thousands of places:
    the geojson library's objects and the standard library's encoder cost more than the rest
    of the answer, see bench/web.py)."""
    features = [f for f in (map_feature(row, base) for row in rows) if f is not None]
    collection = {"type": "FeatureCollection", "features": features}
    return orjson.dumps(collection, option=orjson.OPT_NAIVE_UTC)


def _claim_feature(row: Mapping[str, Any]) -> geojson.Feature | None:
    if row["lat"] == "" or row["lon"] == "":
        return None
    return geojson.Feature(geometry=geojson.Point((row["lon"], row["lat"])), properties=dict(row))


# A cell a spreadsheet would run as a formula (OWASP's "CSV injection"): a page's sentence or
# an outlet's name is the page author's text, and a desk opens these files in Excel.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(row: Mapping[str, Any]) -> dict[str, Any]:
    """``row`` with every text cell that a spreadsheet would read as a formula quoted by a
    leading apostrophe (numbers, negative ones included, stay numbers)."""
    return {
        key: f"'{value}" if isinstance(value, str) and value.startswith(_FORMULA_START) else value
        for key, value in row.items()
    }


def write(out: TextIO, store: Store, fmt: Format, subject: Subject, filters: Filters) -> int:
    """Write ``subject`` in ``fmt`` to ``out``; return how many records were written (a
    GeoJSON export leaves out, and does not count, what has no coordinates)."""
    if subject == "facts":
        documents = every(lambda limit, offset: fact_page(store, filters, limit, offset))
        rows: Iterable[dict[str, Any]] = (_fact_row(d) for d in documents)
        columns = FACT_COLUMNS
    else:
        documents = every(_claims(store, filters))
        rows = claim_rows(store, filters)
        columns = CLAIM_COLUMNS
    if fmt == "jsonl":
        return _lines(out, (json.dumps(d, ensure_ascii=False, default=str) for d in documents))
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        return _lines(out, map(inert, rows), writer.writerow)
    if subject == "facts":
        found = (control_feature(*fact) for fact in control_facts(store, filters))
        features = [f for f in found if f is not None]
    else:
        features = [f for f in map(_claim_feature, rows) if f is not None]
    out.write(geojson.dumps(geojson.FeatureCollection(features), ensure_ascii=False) + "\n")
    return len(features)


def _lines(out: TextIO, items: Iterable[Any], emit: Any = None) -> int:
    count = 0
    for item in items:
        if emit is None:
            out.write(item + "\n")
        else:
            emit(item)
        count += 1
    return count
