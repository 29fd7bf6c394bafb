"""The pages people read: the control map, timelines, changes, stories, sources, and one page
per fact (the stable URL an alert links to); plus the Atom feed of changes. Rendered on the
server with Jinja2 (autoescaped: a page's text is shown as text, never run)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from feedgen.feed import FeedGenerator

from briefwatch.clock import utcnow
from briefwatch.facts.records import (
    AggregateState,
    ControlState,
    Evidence,
    Position,
    state_from_row,
)
from briefwatch.store import Store
from briefwatch.web import queries
from briefwatch.web.api import Country, Kind, Place, base_url
from briefwatch.web.charts import step_chart
from briefwatch.web.queries import Filters
from parsers.text import strip_controls

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
REFRESH_SECONDS = 30  # how often an open page asks for its content again
SHOWN = 30  # facts a page draws at most (the latest updated); the API pages through the rest


def _store(request: Request) -> Store:
    return request.app.state.store


def _ago(when: datetime | None) -> str:
    """``when`` as time since, in the largest whole unit ("3 h", "2 d"); "never" for None."""
    if when is None:
        return "never had one"
    seconds = max((utcnow() - when).total_seconds(), 0)
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{int(seconds // size)} {unit}"
    return "just now"


def _render(request: Request, name: str, title: str, **context: Any) -> HTMLResponse:
    settings = request.app.state.settings
    context |= {"title": title, "refresh": REFRESH_SECONDS, "tiles": settings.web.tiles}
    return templates.TemplateResponse(request, name, context)


@router.get("/", response_class=HTMLResponse)
def map_page(request: Request) -> HTMLResponse:
    # the markers come from /api/control.geojson; the page lists only what the map cannot draw
    store = _store(request)
    places = queries.fact_page(store, Filters(kind="control"), 1, 0).total
    unplaced = queries.fact_page(store, Filters(unplaced=True), SHOWN, 0)
    return _render(request, "map.html", "Control map", places=places, unplaced=unplaced)


@router.get("/facts/{key:path}", response_class=HTMLResponse)
def fact_page(request: Request, key: str) -> HTMLResponse:
    store = _store(request)
    fact = queries.one_fact(store, key)
    if fact is None:
        raise HTTPException(404, f"no fact {key!r}")
    claims = queries.claim_page(store, key, Filters(), queries.MAX_LIMIT, 0).items
    chart = None
    if fact["kind"] == "casualty":
        chart = step_chart(queries.series_points(store, [key])[key], fact["label"])
    return _render(request, "fact.html", fact["label"], fact=fact, claims=claims, chart=chart)


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(request: Request) -> HTMLResponse:
    store = _store(request)
    tolls = queries.latest_facts(store, "casualty", SHOWN)
    points = queries.series_points(store, [fact["key"] for fact in tolls.items])
    charts = [(fact, step_chart(points[fact["key"]], fact["label"])) for fact in tolls.items]
    places = queries.latest_facts(store, "control", SHOWN)
    changes = queries.histories(store, [fact["key"] for fact in places.items])
    return _render(
        request, "timeline.html", "Timeline", charts=charts, tolls=tolls, places=places,
        changes=changes,    )  # fmt: skip


@router.get("/changes", response_class=HTMLResponse)
def changes_page(
    request: Request, kind: Kind = None, place: Place = None, country: Country = None
) -> HTMLResponse:
    filters = Filters(kind=kind, place=place, country=country)
    page = queries.change_page(_store(request), filters, 200, 0)
    asked = urlencode(
        {k: v for k, v in (("kind", kind), ("place", place), ("country", country)) if v}
    )
    return _render(
        request, "changes.html", "Changes", changes=page.items, total=page.total,
        feed="/feeds/changes.atom" + (f"?{asked}" if asked else ""),
    )  # fmt: skip


@router.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request) -> HTMLResponse:
    page = queries.story_page(_store(request), Filters(), 200, 0)
    return _render(request, "stories.html", "Stories", stories=page.items, total=page.total)


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request) -> HTMLResponse:
    store = _store(request)
    documents = queries.source_list(store, request.app.state.settings.sources)
    activity = queries.source_activity(store)
    for document in documents:
        seen = activity.get(document["name"], queries.Activity(0.0, None))
        document["per_day"] = seen.per_day
        document["silent_for"] = _ago(seen.last_new_at)
    return _render(request, "sources.html", "Sources", sources=documents, now=utcnow())


def _entry_text(change: dict[str, Any]) -> str:
    """An entry's text: the change's headline, then who says what, each sentence quoted."""
    lines = [change["title"]]
    if change["new_state"]:
        state = state_from_row(change["fact_key"], change["new_state"])
        said: list[Evidence]
        if isinstance(state, ControlState):
            said = list(state.positions.values())
        else:  # a casualty figure, or a claim over unnamed places: the claim it stands on
            said = [state] if state.sentence else []
        for claim in said:
            who = claim.claimed_by or "unattributed"
            status = claim.status if isinstance(claim, Position | AggregateState) else None
            lines.append(
                f"{f'{status}, ' if status else ''}says {who}: \u201c{claim.sentence}\u201d"
            )
    # a page's control characters would make the feed no XML at all (lxml refuses them)
    return strip_controls("\n".join(lines))


@router.get("/feeds/changes.atom")
def changes_feed(
    request: Request, kind: Kind = None, place: Place = None, country: Country = None
) -> Response:
    """The latest changes as an Atom feed, one entry per change, linking to its fact's page;
    one feed per kind, place or country by its stable URL (``?kind=``, ``?place=``,
    ``?country=``)."""
    filters = Filters(kind=kind, place=place, country=country)
    changes = queries.change_page(_store(request), filters, 100, 0).items
    # the view's address from outside when set (a reader follows the links from elsewhere)
    base = base_url(request)
    asked = {"kind": kind, "place": place, "country": country.upper() if country else None}
    query = urlencode({name: value for name, value in asked.items() if value})
    # the feed's identity is what it lists, never how it was asked for (a token, the order)
    identity = f"{base}/feeds/changes.atom" + (f"?{query}" if query else "")
    feed = FeedGenerator()
    feed.id(identity)
    shown = ", ".join(value for value in asked.values() if value)
    feed.title(strip_controls("briefwatch: changes" + (f" ({shown})" if shown else "")))
    feed.link(href=identity, rel="self")
    feed.link(href=f"{base}/changes" + (f"?{query}" if query else ""), rel="alternate")
    feed.updated(changes[0]["created_at"] if changes else utcnow())
    for change in reversed(changes):  # feedgen puts the last added first
        entry = feed.add_entry()
        entry.id(f"{base}/facts/{quote(change['fact_key'], safe=':/')}#{change['version']}")
        entry.title(strip_controls(change["title"]))
        entry.link(href=f"{base}/facts/{quote(change['fact_key'], safe=':/')}")
        entry.updated(change["created_at"])
        entry.content(_entry_text(change), type="text")
    return Response(feed.atom_str(pretty=True), media_type="application/atom+xml")
