"""Claims -> facts -> changes. Pure functions: data in, data out; the store is the caller's.

A fact is keyed by its subject:

    control:<place>                            who controls one place
    control:aggregate:<side>:<noun>            "48 more settlements" style claims without names
    casualty:cumulative:<outcome>:<victims>    a running toll ("people killed in the war")
    casualty:incident:<day>:<outcome>:<victims>     one event's figure ("crew killed" on Nov. 9)

An incident is keyed by the day of its report (the caller's ``incident`` in `fact_key`), not by
its story: a follow-up story on the same event is another story, and casualty claims carry no
place yet. Same-day incidents with the same victims and outcome share a fact, figures side by side.

- control: each side's latest statement is its position; opposing positions make the place
  *disputed*; a concession by the side that lost settles it, and so does the agreement of
  independent reports (claimants who are not a party, from different stories and outlets). A
  position older than the holder's claim does not reopen the place: news does not roll back.
- casualties: each claimant keeps one figure (a running toll its highest, an incident its
  latest); the fact's is the highest, and another claimant's lower or conflicting figure is kept
  and shown beside it, never alerted as a drop. A running toll is news only when it grows.

`fold` turns every claim on one subject into the fact's state; `is_change` says whether moving
from the stored state to the folded one is news; `headline` words it for a lock screen. A
control fact on a place the gazetteer knows also carries the place (`place_state`: canonical
name, geonameid, country, coordinates), for maps; it is never news by itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any, Protocol

from briefwatch.extract.sides import side_of
from briefwatch.places import Place

State = dict[str, Any]

# Statuses saying the actor holds the place, or that it is being fought over.
HOLDING = ("captured", "recaptured", "held")
FIGHTING = ("contested", "encircled", "threatened")
# Within one side's claims of the same day the strongest statement wins: a concession
# ("out of our control") outweighs "battles continue" said the same day.
PRECEDENCE = {"lost": 6, "recaptured": 5, "captured": 4, "held": 3, "contested": 2,
              "encircled": 1, "threatened": 0}  # fmt: skip
# Independent reports (different stories, different outlets, no party's voice) that settle a
# dispute by agreeing with the holder.
CONFIRMATIONS = 2
_SHOWN_BESIDE = 2  # other claimants' figures named in a headline (all are in the state)
_ENEMY = re.compile(r"\benem(y|ies)\b", re.IGNORECASE)
_SLUG = re.compile(r"[^a-z0-9]+")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

VAGUE_WORDS = {24: "dozens", 40: "scores", 200: "hundreds", 2000: "thousands",
               20000: "tens of thousands", 200000: "hundreds of thousands"}  # fmt: skip


class ClaimLike(Protocol):
    """What folding reads of a stored claim (`briefwatch.models.Claim` fits)."""

    id: int | None
    kind: str
    story_id: int
    article_id: int
    sentence: str
    claimed_by: str | None
    position: int
    published: datetime | None
    data: dict[str, Any]


class Confirming(Protocol):
    """Where a control fold finds the independent reports that may settle a dispute.

    Called with the holder, the parties (holder, rivals, sides that conceded) and the day from
    which reports count; returns claims of the fact, with the outlets of their articles, such
    that `_confirmations` over them finds what it finds over all of the fact's claims (the
    store answers with the one claim per outlet it would pick: `briefwatch.facts.queries`).
    """

    def __call__(
        self, holder: str, parties: set[str], since: date
    ) -> tuple[Sequence[ClaimLike], Mapping[int, str]]: ...


def slug(text: str) -> str:
    """A key-safe form of a name: "Crew members" -> "crew-members"."""
    return _SLUG.sub("-", text.casefold()).strip("-") or "unknown"


def side(data: Mapping[str, Any], extra: Mapping[str, str]) -> str:
    """The party a control claim speaks for: the actor's side, else the claimant's own side
    (as the extractor read it from context, else as the claimant's name says).

    "the enemy" the extractor could not resolve is never the claimant's side, so it stays as
    said rather than falling back.
    """
    actor, claimed_by = data.get("actor"), data.get("claimed_by")
    if actor and _ENEMY.search(actor):
        return actor
    return (
        side_of(actor, extra)
        or data.get("claimant_side")
        or side_of(claimed_by, extra)
        or (actor or claimed_by or "unattributed").strip()
    )


def voice(data: Mapping[str, Any], claimed_by: str | None, extra: Mapping[str, str]) -> str | None:
    """The side the claimant speaks for, or None for an outlet's own voice or a non-party."""
    return data.get("claimant_side") or side_of(claimed_by, extra)


def fact_key(kind: str, data: Mapping[str, Any], incident: str, extra: Mapping[str, str]) -> str:
    """The subject a claim is about; claims with the same key fold into one fact.

    ``incident`` scopes incident figures: today the report's publication day (see above).
    """
    if kind == "control":
        if data.get("count") is not None:
            party = side(data, extra)
            return f"control:aggregate:{slug(party)}:{slug(data['place'])}"
        # spellings of one place fold into one fact by its one name (`ControlClaim.canonical`)
        return f"control:{slug(data.get('canonical') or data['place'])}"
    series = f"{data['outcome']}:{slug(data['victims'])}"
    if data.get("scope") == "cumulative":
        return f"casualty:cumulative:{series}"
    return f"casualty:incident:{incident}:{series}"


def fact_label(key: str, kind: str, data: Mapping[str, Any]) -> str:
    """A human name for the fact, set when it is first seen."""
    if kind == "control":
        if data.get("count") is not None:
            return f"{data['place'].capitalize()} taken by {data.get('actor') or 'unnamed forces'}"
        return f"Control of {data.get('canonical') or data['place']}"
    base = f"{data['victims'].capitalize()} {data['outcome']}"
    if data.get("scope") == "cumulative":
        return f"{base} (running toll)"
    return f"{base} on {key.split(':')[2]}"  # the incident's day, from its key


def _order(claim: ClaimLike) -> tuple[datetime, int, int]:
    published = claim.published or _EPOCH
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return (published, claim.id or 0, claim.position)


def _day(claim: ClaimLike) -> date:
    return _order(claim)[0].date()


def _evidence(claim: ClaimLike, **extra: Any) -> dict[str, Any]:
    published = _order(claim)[0]
    return {
        "claim_id": claim.id,
        "claimed_by": claim.claimed_by,
        "sentence": claim.sentence,
        "published": published.isoformat() if published != _EPOCH else None,
        **extra,
    }


# -- control --------------------------------------------------------------------------------


def fold_control(
    claims: Sequence[ClaimLike],
    extra: Mapping[str, str],
    outlets: Mapping[int, str] | None = None,
    confirming: Confirming | None = None,
) -> State:
    """The state of one place: who holds it, and whether that is disputed, conceded or settled.

    ``outlets`` maps article ids to outlet names, so two stories from one outlet count as one
    independent report. ``confirming``, when given, supplies the candidate confirmations
    instead of ``claims``: then ``claims`` need only hold, for each speaker, status and day,
    the latest claim (see `briefwatch.facts.queries`).
    """
    if claims and claims[0].data.get("count") is not None:
        return _fold_aggregate(claims)
    said: dict[str, list[tuple[tuple, ClaimLike]]] = {}
    for claim in claims:
        party = side({**claim.data, "claimed_by": claim.claimed_by}, extra)
        # Rank by day, then by the strength of the statement: copies and reports of the same day
        # repeat statements made that day, so their publication minutes say nothing about which
        # came first, but a concession the same day outweighs "battles continue".
        rank = (_day(claim), PRECEDENCE.get(claim.data["status"], 0), _order(claim))
        said.setdefault(party, []).append((rank, claim))
    for history in said.values():
        history.sort(key=lambda pair: pair[0])
    positions = {party: history[-1] for party, history in said.items()}
    by_side = {
        party: _evidence(c, status=c.data["status"], actor=c.data.get("actor"))
        for party, (_, c) in positions.items()
    }
    holders = [p for p, e in by_side.items() if e["status"] in HOLDING]
    fighters = [p for p, e in by_side.items() if e["status"] in FIGHTING]
    conceded = sorted(p for p, e in by_side.items() if e["status"] == "lost")
    state: State = {"status": "", "holder": None, "holder_actor": None,
                    "conceded_by": conceded, "positions": by_side}  # fmt: skip
    if holders:
        # The latest capture claim names the holder. Any other side still holding or fighting
        # makes it disputed, unless its position predates the holder's claim.
        holder = max(holders, key=lambda p: positions[p][0])
        since = _holding_since(said[holder])
        rivals = []
        for p in holders + fighters:
            if p == holder:
                continue
            if positions[p][0][0] < since:
                by_side[p]["stale"] = True  # said before the capture it would contradict
            else:
                rivals.append(p)
        state["holder"] = holder
        state["holder_actor"] = by_side[holder]["actor"] or holder
        state["status"] = by_side[holder]["status"]
        if rivals:
            latest_rival = max(positions[p][0][0] for p in rivals)
            parties = {holder, *rivals, *conceded}
            candidates, sources = (
                confirming(holder, parties, latest_rival) if confirming else (claims, outlets or {})
            )
            confirmed = _confirmations(candidates, holder, parties, latest_rival, extra, sources)
            if len(confirmed) >= CONFIRMATIONS:
                state["confirmed_by"] = confirmed
            else:
                state["status"] = "disputed"
    elif fighters:
        state["status"] = (
            "contested"
            if any(by_side[p]["status"] == "contested" for p in fighters)
            else by_side[fighters[0]]["status"]
        )
        attacker = next((p for p in fighters if by_side[p]["status"] != "contested"), None)
        if attacker:
            state["holder_actor"] = by_side[attacker]["actor"] or attacker
            state["attack"] = by_side[attacker]["status"]
    else:
        state["status"] = "lost"
    return state


def _holding_since(history: list[tuple[tuple, ClaimLike]]) -> date:
    """The day a side's current hold was first claimed: the start of its latest run of holding
    statements, so repeating a claim (or an outlet reporting it) does not age its rivals."""
    since = history[-1][0][0]
    for rank, claim in reversed(history):
        if claim.data["status"] not in HOLDING:
            break
        since = rank[0]
    return since


def _confirmations(
    claims: Sequence[ClaimLike],
    holder: str,
    parties: set[str],
    since: date,
    extra: Mapping[str, str],
    outlets: Mapping[int, str],
) -> list[dict[str, Any]]:
    """Independent reports, one per outlet, that the holder holds the place, dated ``since`` on.

    Independent: the claimant speaks for none of the parties, and copies of one story count once.
    """
    by_source: dict[str, dict[str, Any]] = {}
    seen_stories: set[int] = set()
    for claim in sorted(claims, key=_order):
        data = {**claim.data, "claimed_by": claim.claimed_by}
        if data["status"] not in HOLDING or side(data, extra) != holder or _day(claim) < since:
            continue
        if voice(claim.data, claim.claimed_by, extra) in parties:
            continue
        if claim.story_id in seen_stories:
            continue
        seen_stories.add(claim.story_id)
        source = outlets.get(claim.article_id) or f"story {claim.story_id}"
        by_source.setdefault(source, _evidence(claim, outlet=outlets.get(claim.article_id)))
    return list(by_source.values())


def _fold_aggregate(claims: Sequence[ClaimLike]) -> State:
    latest = max(claims, key=_order)
    return _evidence(
        latest,
        status=latest.data["status"],
        count=latest.data["count"],
        actor=latest.data.get("actor"),
        place=latest.data["place"],
    )


def place_id_of(claims: Sequence[ClaimLike]) -> int | None:
    """The geonameid the latest of a control fact's claims names (None: no claim names one)."""
    named = [c for c in claims if c.data.get("place_id") is not None]
    return int(max(named, key=_order).data["place_id"]) if named else None


def place_state(place: Place) -> dict[str, Any]:
    """A place as a control fact's state carries it (``state["place"]``)."""
    return {"id": place.id, "name": place.name, "country": place.country,
            "admin1": place.admin1, "lat": place.lat, "lon": place.lon}  # fmt: skip


def fact_place(state: State | None) -> dict[str, Any] | None:
    """The place a control fact is about (`place_state`), if the gazetteer knows it. (An
    aggregate's ``place`` is its plural noun, "settlements": no place.)"""
    place = (state or {}).get("place")
    return place if isinstance(place, dict) else None


def control_signature(state: State) -> tuple:
    """What must move for a control fact's change to be news."""
    if "count" in state:
        return ("aggregate", state["count"], state.get("claimed_by"), state.get("sentence"))
    return (state["status"], state.get("holder"), tuple(state.get("conceded_by", ())))


# -- casualties ------------------------------------------------------------------------------


def _size(data: Mapping[str, Any]) -> tuple[int, int]:
    """How large a figure is, for "the highest": its low end, then its high end."""
    low = data["count_low"]
    high = data.get("count_high")
    return (low, high if high is not None else low)


def _figure_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: data.get(k) for k in ("count_low", "count_high", "qualifier")}


def fold_casualty(claims: Sequence[ClaimLike], cumulative: bool) -> State:
    """The figure of one casualty series, with every other claimant's differing figure beside it.

    Each claimant keeps one figure: for a running toll its highest (a toll does not shrink with
    a late copy of an older report), for an incident its latest (a ministry may revise 2 to 3,
    or 3 to 2). The fact's figure is the highest of them.
    """

    def highest(c: ClaimLike) -> tuple:
        return (_size(c.data), _order(c))

    keep = highest if cumulative else _order
    per_claimant: dict[str, ClaimLike] = {}
    for claim in claims:
        who = (claim.claimed_by or "").casefold()
        if who not in per_claimant or keep(claim) > keep(per_claimant[who]):
            per_claimant[who] = claim
    chosen = max(per_claimant.values(), key=highest)
    data = chosen.data
    differ = [c for c in per_claimant.values() if _figure_fields(c.data) != _figure_fields(data)]
    others = sorted(differ, key=highest, reverse=True)
    return _evidence(
        chosen,
        count_low=data["count_low"],
        count_high=data.get("count_high"),
        qualifier=data["qualifier"],
        outcome=data["outcome"],
        victims=data["victims"],
        scope=data.get("scope", "incident"),
        others=[_evidence(c, **_figure_fields(c.data)) for c in others],
    )


def figure(state: Mapping[str, Any]) -> str:
    """A casualty figure as people say it: "at least 1,000", "dozens", "10-15", "2"."""
    low, high, qualifier = state["count_low"], state.get("count_high"), state["qualifier"]
    if qualifier == "vague":
        return VAGUE_WORDS.get(low, f"at least {low:,}")
    if qualifier == "at_most" and high is not None:
        return f"up to {high:,}"
    if high is not None and high != low:
        return f"{low:,}-{high:,}"
    words = {"at_least": "at least ", "at_most": "up to ", "approx": "about "}
    return f"{words.get(qualifier, '')}{low:,}"


# -- one entry point ------------------------------------------------------------------------


def fold(
    fact_key_: str,
    claims: Sequence[ClaimLike],
    extra: Mapping[str, str],
    outlets: Mapping[int, str] | None = None,
    confirming: Confirming | None = None,
) -> State:
    """Fold every claim on one subject into that fact's state.

    ``outlets`` (article id -> outlet) lets independent reports be counted per outlet.
    ``confirming`` lets a control fold ask for its candidate confirmations (`fold_control`).
    """
    if fact_key_.startswith("control:"):
        return fold_control(claims, extra, outlets, confirming)
    return fold_casualty(claims, cumulative=fact_key_.startswith("casualty:cumulative:"))


def is_change(fact_key_: str, old: State | None, new: State) -> bool:
    """Whether going from ``old`` to ``new`` is news worth a change (and so an alert).

    Another claimant's lower or conflicting figure only adds to ``others``: not news.
    """
    if old is None:
        return True
    if fact_key_.startswith("control:"):
        return control_signature(old) != control_signature(new)
    if fact_key_.startswith("casualty:cumulative:"):
        return new["count_low"] > old["count_low"]  # a running toll is news only when it grows
    keys = ("count_low", "count_high", "qualifier")
    return tuple(old.get(k) for k in keys) != tuple(new.get(k) for k in keys)


def headline(fact_key_: str, label: str, state: State) -> str:
    """A lock-screen title: "Shusha: captured by Azerbaijani forces — disputed"."""
    if fact_key_.startswith("control:aggregate:"):
        who = state.get("actor") or "unnamed forces"
        return f"{who} {state['status']} {state['count']} more {state['place']}"
    if fact_key_.startswith("control:"):
        return _control_headline(label.removeprefix("Control of "), state)
    text = f"{state['victims']} {state['outcome']}: {figure(state)}"
    if state.get("claimed_by"):
        text += f", says {state['claimed_by']}"
    beside = [
        f"{o.get('claimed_by') or 'another report'} says {figure(o)}"
        for o in state.get("others", [])[:_SHOWN_BESIDE]
    ]
    if beside:
        more = len(state["others"]) - len(beside)
        text += f" ({'; '.join(beside)}{f'; {more} more' if more > 0 else ''})"
    return text[0].upper() + text[1:]


def _control_headline(place: str, state: State) -> str:
    status, actor = state["status"], state.get("holder_actor")
    if status == "disputed":
        return f"{place}: {_held(state)} by {actor} — disputed"
    if status in HOLDING and state.get("conceded_by"):
        return f"{place}: {status} by {actor} — conceded by {', '.join(state['conceded_by'])}"
    if status in HOLDING and state.get("confirmed_by"):
        n = len(state["confirmed_by"])
        return f"{place}: {status} by {actor} — confirmed by {n} independent reports"
    if status in HOLDING:
        return f"{place}: {status} by {actor}"
    if status == "lost":
        return f"{place}: control lost by {', '.join(state['conceded_by'])}"
    if status == "contested" and state.get("attack"):
        return f"{place}: contested — {state['attack']} by {actor}"
    return f"{place}: {status}" + (f" by {actor}" if actor else "")


def _held(state: State) -> str:
    holder = state.get("holder")
    return state["positions"][holder]["status"] if holder in state.get("positions", {}) else "held"


def evidence_claim_ids(state: State, moved_by: Sequence[int] = ()) -> list[int]:
    """The claims a state rests on, for the change's evidence; those in ``moved_by`` (the claims
    folded in this pass) first, so an alert quotes what is new before what was known."""
    if "positions" in state:
        entries = [*state["positions"].values(), *state.get("confirmed_by", [])]
    else:
        entries = [state, *state.get("others", [])]
    ids = list(dict.fromkeys(e["claim_id"] for e in entries if e.get("claim_id")))
    new = set(moved_by)
    return [i for i in ids if i in new] + [i for i in ids if i not in new]
