"""``/api/``: the store's facts, claims, changes, stories and sources as JSON, paged and
filtered (OpenAPI at ``/docs``). Lists answer ``{"<things>": [...], "total", "limit", "offset",
"next_offset"}``; the documents are those of `briefwatch.web.documents`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from briefwatch.config import Settings
from briefwatch.store import Store
from briefwatch.web import queries
from briefwatch.web.export import GEOJSON_MEDIA_TYPE, map_collection
from briefwatch.web.queries import MAX_LIMIT, Filters, Page

router = APIRouter(prefix="/api", tags=["api"])

Kind = Annotated[Literal["control", "casualty"] | None, Query(description="control or casualty")]
Place = Annotated[
    str | None,
    Query(
        description="a place's canonical name, any case, or the name in its fact's key "
        "(control:<name>)"
    ),
]
Country = Annotated[
    str | None,
    Query(
        min_length=2,
        max_length=2,
        description="ISO 3166-1 alpha-2 code (any case) of a control fact's place, as the "
        "gazetteer gives it; casualty series have no place, so none matches",
    ),
]
Since = Annotated[datetime | None, Query(description="ISO 8601 time: only what came after")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0)]


def _store(request: Request) -> Store:
    return request.app.state.store


def base_url(request: Request) -> str:
    """The view's address as a reader outside reaches it (``[web] base_url`` when set), for
    links in what is served: never carrying a token."""
    return request.app.state.settings.web.base_url or str(request.base_url).rstrip("/")


def _listing(name: str, page: Page) -> dict[str, Any]:
    return {
        name: page.items,
        "total": page.total,
        "limit": page.limit,
        "offset": page.offset,
        "next_offset": page.next_offset,
    }


@router.get("/facts")
def list_facts(
    request: Request,
    kind: Kind = None,
    place: Place = None,
    country: Country = None,
    since: Since = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Current facts: who controls each place, each casualty series (as `status --json`)."""
    filters = Filters(kind=kind, place=place, country=country, since=since)
    return _listing("facts", queries.fact_page(_store(request), filters, limit, offset))


@router.get("/facts/{key:path}/claims")
def list_fact_claims(
    request: Request, key: str, since: Since = None, limit: Limit = 100, offset: Offset = 0
) -> dict[str, Any]:
    """Every claim folded into one fact, in the order they were read, with outlet and URL."""
    page = queries.claim_page(_store(request), key, Filters(since=since), limit, offset)
    if page.total == 0 and queries.one_fact(_store(request), key) is None:
        raise HTTPException(404, f"no fact {key!r}")
    return _listing("claims", page)


@router.get("/facts/{key:path}")
def get_fact(request: Request, key: str) -> dict[str, Any]:
    """One fact and its history: every change, oldest first, with its alerts."""
    document = queries.one_fact(_store(request), key)
    if document is None:
        raise HTTPException(404, f"no fact {key!r}")
    return document


@router.get("/claims")
def list_claims(
    request: Request,
    kind: Kind = None,
    place: Place = None,
    country: Country = None,
    since: Since = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """All claims, in the order they were read (of one place's fact, or of a country's)."""
    filters = Filters(kind=kind, place=place, country=country, since=since)
    return _listing("claims", queries.claim_page(_store(request), None, filters, limit, offset))


@router.get("/changes")
def list_changes(
    request: Request,
    kind: Kind = None,
    place: Place = None,
    country: Country = None,
    since: Since = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The latest changes first, with the delivery state of their alerts per channel."""
    filters = Filters(kind=kind, place=place, country=country, since=since)
    return _listing("changes", queries.change_page(_store(request), filters, limit, offset))


@router.get("/stories")
def list_stories(
    request: Request,
    kind: Kind = None,
    place: Place = None,
    country: Country = None,
    since: Since = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Stories, newest first, each with every outlet that carries it; of a kind, a place or a
    country: the stories carrying a claim of it."""
    filters = Filters(kind=kind, place=place, country=country, since=since)
    return _listing("stories", queries.story_page(_store(request), filters, limit, offset))


@router.get("/sources")
def list_sources(request: Request) -> dict[str, Any]:
    """Each configured source: last success, last error and why, its health and its pages
    waiting (as `sources --json`)."""
    settings: Settings = request.app.state.settings
    return {"sources": queries.source_list(_store(request), settings.sources)}


@router.get("/control.geojson", response_class=Response)
def control_geojson(
    request: Request, place: Place = None, country: Country = None, since: Since = None
) -> Response:
    """Current control as GeoJSON points (places the gazetteer knows), for QGIS and maps: each
    place's status, holder, headline and the link to its fact's page. Each side's claims are
    the fact's own document (`/api/facts/{key}`: `positions`); `briefwatch export --format
    geojson --what facts` writes them into the file."""
    store, base = _store(request), base_url(request)
    filters = Filters(place=place, country=country, since=since)

    def build() -> bytes:
        return map_collection(queries.map_rows(store, filters), base)

    # built once per asking until a fact is written (every open map asks every 30 s)
    answer = request.app.state.fact_cache.get(store, (base, filters), build)
    # no-cache: a client may keep the body but asks each time; the tag makes that a 304
    headers = {"ETag": answer.etag, "Cache-Control": "no-cache"}
    if answer.etag in _tags(request.headers.get("if-none-match", "")):
        return Response(status_code=304, headers=headers)
    return Response(answer.body, media_type=GEOJSON_MEDIA_TYPE, headers=headers)


def _tags(header: str) -> set[str]:
    """The entity tags an ``If-None-Match`` header names (weak ones as their strong form)."""
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}
