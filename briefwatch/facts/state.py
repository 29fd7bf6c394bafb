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
from typing import Any, NamedTuple, Protocol

from briefwatch.extract.sides import side_of
from briefwatch.facts.records import (
    AggregateState,
    CasualtyRecord,
    CasualtyState,
    ClaimRow,
    ControlRecord,
    ControlState,
    Evidence,
    FactState,
    Figure,
    Position,
    Report,
    state_from_row,
)
from briefwatch.places import Place

State = dict[str, Any]  # a fact's state as stored (`FactState.to_json`)

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


class Confirming(Protocol):
    """Where a control fold finds the independent reports that may settle a dispute.

    Called with the holder, the parties (holder, rivals, sides that conceded) and the day from
    which reports count; returns claims of the fact, with the outlets of their articles, such
    that `_confirmations` over them finds what it finds over all of the fact's claims (the
    store answers with the one claim per outlet it would pick: `briefwatch.facts.queries`).
    """

    def __call__(
        self, holder: str, parties: set[str], since: date
    ) -> tuple[Sequence[ClaimRow], Mapping[int, str]]: ...


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
    return party(actor, claimed_by, data.get("claimant_side"), extra)


def party(
    actor: str | None, claimed_by: str | None, claimant_side: str | None, extra: Mapping[str, str]
) -> str:
    """`side` of a claim by its fields."""
    if actor and _ENEMY.search(actor):
        return actor
    return (
        side_of(actor, extra)
        or claimant_side
        or side_of(claimed_by, extra)
        or (actor or claimed_by or "unattributed").strip()
    )


def voice(
    claimant_side: str | None, claimed_by: str | None, extra: Mapping[str, str]
) -> str | None:
    """The side the claimant speaks for, or None for an outlet's own voice or a non-party."""
    return claimant_side or side_of(claimed_by, extra)


def _party(claim: ControlRecord, extra: Mapping[str, str]) -> str:
    return party(claim.actor, claim.claimed_by, claim.claimant_side, extra)


def _voice(claim: ControlRecord, extra: Mapping[str, str]) -> str | None:
    return voice(claim.claimant_side, claim.claimed_by, extra)


def victims_group(data: Mapping[str, Any]) -> str:
    """The group a casualty claim's fact goes by: its normalised ``group`` ("people" for "15
    others" and for "15 people"), not the victims as written; a claim stored before claims
    carried a group has its victims normalised already."""
    return data.get("group") or data.get("victims") or "people"


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
    series = f"{data['outcome']}:{slug(victims_group(data))}"
    if data.get("scope") == "cumulative":
        return f"casualty:cumulative:{series}"
    return f"casualty:incident:{incident}:{series}"


def fact_label(key: str, kind: str, data: Mapping[str, Any]) -> str:
    """A human name for the fact, set when it is first seen."""
    if kind == "control":
        if data.get("count") is not None:
            return f"{data['place'].capitalize()} taken by {data.get('actor') or 'unnamed forces'}"
        return f"Control of {data.get('canonical') or data['place']}"
    base = f"{victims_group(data).capitalize()} {data['outcome']}"
    if data.get("scope") == "cumulative":
        return f"{base} (running toll)"
    return f"{base} on {key.split(':')[2]}"  # the incident's day, from its key


Record = ControlRecord | CasualtyRecord


def _order(claim: ClaimRow | Record) -> tuple[datetime, int, int]:
    published = claim.published or _EPOCH
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return (published, claim.id or 0, claim.position)


def _day(claim: Record) -> date:
    return _order(claim)[0].date()


def _quoted(claim: Record) -> dict[str, Any]:
    """The `Evidence` fields of a claim."""
    published = _order(claim)[0]
    return {"claim_id": claim.id, "claimed_by": claim.claimed_by, "sentence": claim.sentence,
            "published": published.isoformat() if published != _EPOCH else None}  # fmt: skip


def control_records(claims: Sequence[ClaimRow | ControlRecord]) -> list[ControlRecord]:
    """Stored control claims, typed (`ControlRecord.from_row`; typed ones as they are)."""
    return [c if isinstance(c, ControlRecord) else ControlRecord.from_row(c) for c in claims]


# -- control --------------------------------------------------------------------------------


def fold_control(
    claims: Sequence[ClaimRow],
    extra: Mapping[str, str],
    outlets: Mapping[int, str] | None = None,
    confirming: Confirming | None = None,
) -> ControlState | AggregateState:
    """The state of one place: who holds it, and whether that is disputed, conceded or settled.

    ``outlets`` maps article ids to outlet names, so two stories from one outlet count as one
    independent report. ``confirming``, when given, supplies the candidate confirmations
    instead of ``claims``: then ``claims`` need only hold, for each speaker, status and day,
    the latest claim (see `briefwatch.facts.queries`).
    """
    records = control_records(claims)
    if records and records[0].count is not None:
        return _fold_aggregate(records)
    said: dict[str, list[tuple[tuple, ControlRecord]]] = {}
    for claim in records:
        # Rank by day, then by the strength of the statement: copies and reports of the same day
        # repeat statements made that day, so their publication minutes say nothing about which
        # came first, but a concession the same day outweighs "battles continue".
        rank = (_day(claim), PRECEDENCE.get(claim.status, 0), _order(claim))
        said.setdefault(_party(claim, extra), []).append((rank, claim))
    for history in said.values():
        history.sort(key=lambda pair: pair[0])
    positions = {party: history[-1] for party, history in said.items()}
    by_side = {
        party: Position(**_quoted(c), status=c.status, actor=c.actor)
        for party, (_, c) in positions.items()
    }
    holders = [p for p, e in by_side.items() if e.status in HOLDING]
    fighters = [p for p, e in by_side.items() if e.status in FIGHTING]
    conceded = sorted(p for p, e in by_side.items() if e.status == "lost")
    state = ControlState(status="", conceded_by=conceded, positions=by_side)
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
                by_side[p].stale = True  # said before the capture it would contradict
            else:
                rivals.append(p)
        state.holder = holder
        state.holder_actor = by_side[holder].actor or holder
        state.status = by_side[holder].status
        if rivals:
            latest_rival = max(positions[p][0][0] for p in rivals)
            parties = {holder, *rivals, *conceded}
            found: Sequence[ClaimRow | ControlRecord] = records
            sources = outlets or {}
            if confirming is not None:
                found, sources = confirming(holder, parties, latest_rival)
            candidates = control_records(found)
            confirmed = _confirmations(candidates, holder, parties, latest_rival, extra, sources)
            if len(confirmed) >= CONFIRMATIONS:
                state.confirmed_by = confirmed
            else:
                state.status = "disputed"
    elif fighters:
        state.status = (
            "contested"
            if any(by_side[p].status == "contested" for p in fighters)
            else by_side[fighters[0]].status
        )
        attacker = next((p for p in fighters if by_side[p].status != "contested"), None)
        if attacker:
            state.holder_actor = by_side[attacker].actor or attacker
            state.attack = by_side[attacker].status
    else:
        state.status = "lost"
    return state


def _holding_since(history: list[tuple[tuple, ControlRecord]]) -> date:
    """The day a side's current hold was first claimed: the start of its latest run of holding
    statements, so repeating a claim (or an outlet reporting it) does not age its rivals."""
    since = history[-1][0][0]
    for rank, claim in reversed(history):
        if claim.status not in HOLDING:
            break
        since = rank[0]
    return since


def _confirmations(
    claims: Sequence[ControlRecord],
    holder: str,
    parties: set[str],
    since: date,
    extra: Mapping[str, str],
    outlets: Mapping[int, str],
) -> list[Report]:
    """Independent reports, one per outlet, that the holder holds the place, dated ``since`` on.

    Independent: the claimant speaks for none of the parties, and copies of one story count once.
    """
    by_source: dict[str, Report] = {}
    seen_stories: set[int] = set()
    for claim in sorted(claims, key=_order):
        if claim.status not in HOLDING or _party(claim, extra) != holder or _day(claim) < since:
            continue
        if _voice(claim, extra) in parties:
            continue
        if claim.story_id in seen_stories:
            continue
        seen_stories.add(claim.story_id)
        source = outlets.get(claim.article_id) or f"story {claim.story_id}"
        if source not in by_source:
            by_source[source] = Report(**_quoted(claim), outlet=outlets.get(claim.article_id))
    return list(by_source.values())


def _fold_aggregate(claims: Sequence[ControlRecord]) -> AggregateState:
    latest = max(claims, key=_order)
    assert latest.count is not None, "an aggregate fact's claims each name a count"
    return AggregateState(
        **_quoted(latest),
        status=latest.status,
        count=latest.count,
        actor=latest.actor,
        place=latest.place,
    )


def place_id_of(claims: Sequence[ClaimRow]) -> int | None:
    """The geonameid the latest of a control fact's claims names (None: no claim names one)."""
    named = [c for c in control_records(claims) if c.place_id is not None]
    return max(named, key=_order).place_id if named else None


def place_state(place: Place) -> dict[str, Any]:
    """A place as a control fact's state carries it (``state["place"]``)."""
    return {"id": place.id, "name": place.name, "country": place.country,
            "admin1": place.admin1, "lat": place.lat, "lon": place.lon}  # fmt: skip


def fact_place(state: FactState | Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The place a control fact is about (`place_state`), if the gazetteer knows it. (An
    aggregate's ``place`` is its plural noun, "settlements": no place.)"""
    if isinstance(state, ControlState | AggregateState | CasualtyState):
        return state.place if isinstance(state, ControlState) else None
    place = (state or {}).get("place")
    return place if isinstance(place, dict) else None


def control_signature(state: ControlState | AggregateState) -> tuple:
    """What must move for a control fact's change to be news."""
    if isinstance(state, AggregateState):
        return ("aggregate", state.count, state.claimed_by, state.sentence)
    return (state.status, state.holder, tuple(state.conceded_by))


# -- casualties ------------------------------------------------------------------------------


def fold_casualty(claims: Sequence[ClaimRow], cumulative: bool) -> CasualtyState:
    """The figure of one casualty series, with every other claimant's differing figure beside it.

    Each claimant keeps one figure: for a running toll its highest (a toll does not shrink with
    a late copy of an older report), for an incident its latest (a ministry may revise 2 to 3,
    or 3 to 2). The fact's figure is the highest of them.
    """

    def highest(c: CasualtyRecord) -> tuple:
        return (c.size, _order(c))

    keep = highest if cumulative else _order
    per_claimant: dict[str, CasualtyRecord] = {}
    for claim in (CasualtyRecord.from_row(c) for c in claims):
        who = (claim.claimed_by or "").casefold()
        if who not in per_claimant or keep(claim) > keep(per_claimant[who]):
            per_claimant[who] = claim
    chosen = max(per_claimant.values(), key=highest)
    differ = [c for c in per_claimant.values() if c.figure != chosen.figure]
    others = sorted(differ, key=highest, reverse=True)
    return CasualtyState(
        **_quoted(chosen),
        count_low=chosen.count_low,
        count_high=chosen.count_high,
        qualifier=chosen.qualifier,
        outcome=chosen.outcome,
        victims=chosen.group,  # (a fact state's "victims" is its series' group)
        scope=chosen.scope,
        others=[_figure_of(c) for c in others],
    )


def _figure_of(claim: CasualtyRecord) -> Figure:
    return Figure(**_quoted(claim), count_low=claim.count_low, count_high=claim.count_high,
                  qualifier=claim.qualifier)  # fmt: skip


def figure(state: Figure | Mapping[str, Any]) -> str:
    """A casualty figure as people say it: "at least 1,000", "dozens", "10-15", "2"."""
    if not isinstance(state, Figure):
        state = Figure.from_row(state)
    low, high, qualifier = state.count_low, state.count_high, state.qualifier
    if qualifier == "vague":
        return VAGUE_WORDS.get(low, f"at least {low:,}")
    if qualifier == "at_most" and high is not None:
        return f"up to {high:,}"
    if high is not None and high != low:
        return f"{low:,}-{high:,}"
    words = {"at_least": "at least ", "at_most": "up to ", "approx": "about "}
    return f"{words.get(qualifier, '')}{low:,}"


# -- one entry point ------------------------------------------------------------------------


def fold_state(
    fact_key_: str,
    claims: Sequence[ClaimRow],
    extra: Mapping[str, str],
    outlets: Mapping[int, str] | None = None,
    confirming: Confirming | None = None,
) -> FactState:
    """Fold every claim on one subject into that fact's state, typed (`to_json` stores it).

    ``outlets`` (article id -> outlet) lets independent reports be counted per outlet.
    ``confirming`` lets a control fold ask for its candidate confirmations (`fold_control`).
    """
    if fact_key_.startswith("control:"):
        return fold_control(claims, extra, outlets, confirming)
    return fold_casualty(claims, cumulative=fact_key_.startswith("casualty:cumulative:"))


def fold(
    fact_key_: str,
    claims: Sequence[ClaimRow],
    extra: Mapping[str, str],
    outlets: Mapping[int, str] | None = None,
    confirming: Confirming | None = None,
) -> State:
    """`fold_state`, as the store keeps it."""
    return fold_state(fact_key_, claims, extra, outlets, confirming).to_json()


def _typed(fact_key_: str, state: FactState | Mapping[str, Any]) -> FactState:
    if isinstance(state, ControlState | AggregateState | CasualtyState):
        return state
    return state_from_row(fact_key_, state)


def is_change(
    fact_key_: str, old: FactState | State | None, new: FactState | Mapping[str, Any]
) -> bool:
    """Whether going from ``old`` to ``new`` is news worth a change (and so an alert).

    Another claimant's lower or conflicting figure only adds to ``others``: not news.
    """
    if old is None:
        return True
    before, after = _typed(fact_key_, old), _typed(fact_key_, new)
    if isinstance(before, CasualtyState) and isinstance(after, CasualtyState):
        if fact_key_.startswith("casualty:cumulative:"):
            return after.count_low > before.count_low  # a running toll is news only when it grows
        keys = (before.count_low, before.count_high, before.qualifier)
        return keys != (after.count_low, after.count_high, after.qualifier)
    assert not isinstance(before, CasualtyState) and not isinstance(after, CasualtyState)
    return control_signature(before) != control_signature(after)


def headline(fact_key_: str, label: str, state: FactState | Mapping[str, Any]) -> str:
    """A lock-screen title: "Shusha: captured by Azerbaijani forces — disputed"."""
    if isinstance(state, Mapping) and fact_key_.startswith("control:") and "count" not in state:
        # a stored control state, read as it is: the map titles thousands of places, and typing
        # each state first cost more than the rest of its marker
        return _control_words(label.removeprefix("Control of "), _headline_fields(state))
    typed = _typed(fact_key_, state)
    if isinstance(typed, AggregateState):
        who = typed.actor or "unnamed forces"
        return f"{who} {typed.status} {typed.count} more {typed.place}"
    if isinstance(typed, ControlState):
        return _control_headline(label.removeprefix("Control of "), typed)
    text = f"{typed.victims} {typed.outcome}: {figure(typed)}"
    if typed.claimed_by:
        text += f", says {typed.claimed_by}"
    beside = [
        f"{o.claimed_by or 'another report'} says {figure(o)}" for o in typed.others[:_SHOWN_BESIDE]
    ]
    if beside:
        more = len(typed.others) - len(beside)
        text += f" ({'; '.join(beside)}{f'; {more} more' if more > 0 else ''})"
    return text[0].upper() + text[1:]


class _HeadlineFields(NamedTuple):
    """What a control headline says, from a typed state or a stored one alike."""

    status: str
    actor: str | None  # the holder's actor
    held: str  # the holder's own word for holding it ("captured"), or "held"
    conceded_by: Sequence[str]
    confirmations: int
    attack: str | None


def _control_headline(place: str, state: ControlState) -> str:
    held = state.positions.get(state.holder) if state.holder is not None else None
    fields = _HeadlineFields(
        state.status, state.holder_actor, held.status if held is not None else "held",
        state.conceded_by, len(state.confirmed_by or ()), state.attack,
    )  # fmt: skip
    return _control_words(place, fields)


def _headline_fields(row: Mapping[str, Any]) -> _HeadlineFields:
    """`_HeadlineFields` of a stored control state (as `ControlState.from_row` reads it)."""
    holder = row.get("holder")
    held = (row.get("positions") or {}).get(holder) if holder is not None else None
    return _HeadlineFields(
        row["status"], row.get("holder_actor"), held["status"] if held is not None else "held",
        list(row.get("conceded_by", ())), len(row.get("confirmed_by") or ()), row.get("attack"),
    )  # fmt: skip


def _control_words(place: str, state: _HeadlineFields) -> str:
    status, actor = state.status, state.actor
    if status == "disputed":
        return f"{place}: {state.held} by {actor} — disputed"
    if status in HOLDING and state.conceded_by:
        return f"{place}: {status} by {actor} — conceded by {', '.join(state.conceded_by)}"
    if status in HOLDING and state.confirmations:
        n = state.confirmations
        return f"{place}: {status} by {actor} — confirmed by {n} independent reports"
    if status in HOLDING:
        return f"{place}: {status} by {actor}"
    if status == "lost":
        return f"{place}: control lost by {', '.join(state.conceded_by)}"
    if status == "contested" and state.attack:
        return f"{place}: contested — {state.attack} by {actor}"
    return f"{place}: {status}" + (f" by {actor}" if actor else "")


def evidence_claim_ids(
    state: FactState | Mapping[str, Any], moved_by: Sequence[int] = ()
) -> list[int]:
    """The claims a state rests on, for the change's evidence; those in ``moved_by`` (the claims
    folded in this pass) first, so an alert quotes what is new before what was known."""
    entries: list[Evidence]
    if isinstance(state, ControlState | AggregateState | CasualtyState):
        entries = state.evidence()
    elif "positions" in state:
        entries = ControlState.from_row(state).evidence()
    else:
        entries = [Evidence(**Evidence.fields_of(e)) for e in (state, *state.get("others", []))]
    ids = list(dict.fromkeys(e.claim_id for e in entries if e.claim_id))
    new = set(moved_by)
    return [i for i in ids if i in new] + [i for i in ids if i not in new]
