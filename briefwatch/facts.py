"""Claims -> facts -> changes. Pure functions: data in, data out; the store is the caller's.

A fact is keyed by its subject:

    control:<place>                            who controls one place
    control:aggregate:<side>:<noun>            "48 more settlements" style claims without names
    casualty:cumulative:<outcome>:<victims>    a running toll ("people killed in the war")
    casualty:incident:<day>:<outcome>:<victims>     one event's figure ("crew killed" on Nov. 9)

An incident is keyed by the day its report was published rather than by its story, so a wire copy
that another outlet cut short (and so is not yet recognised as the same story) folds into the same
fact instead of alerting again. Two incidents with the same victims and outcome on the same day
share a fact until places are part of casualty claims.

`fold` turns every claim on one subject into the fact's state; `is_change` says whether moving
from the stored state to the folded one is news (a running toll only when it grows).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from briefwatch.extract.sides import side_of

State = dict[str, Any]

# Statuses saying the actor holds the place, or that it is being fought over.
HOLDING = ("captured", "recaptured", "held")
FIGHTING = ("contested", "encircled", "threatened")
# Within one side's claims of the same day the strongest statement wins: a concession
# ("out of our control") outweighs "battles continue" said the same day.
PRECEDENCE = {"lost": 6, "recaptured": 5, "captured": 4, "held": 3, "contested": 2,
              "encircled": 1, "threatened": 0}  # fmt: skip
_ENEMY = re.compile(r"\benem(y|ies)\b", re.IGNORECASE)
_SLUG = re.compile(r"[^a-z0-9]+")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

VAGUE_WORDS = {24: "dozens", 40: "scores", 200: "hundreds", 2000: "thousands",
               20000: "tens of thousands", 200000: "hundreds of thousands"}  # fmt: skip


class ClaimLike(Protocol):
    """What folding reads of a stored claim (`briefwatch.models.Claim` fits)."""

    id: int | None
    kind: str
    sentence: str
    claimed_by: str | None
    position: int
    published: datetime | None
    data: dict[str, Any]


def slug(text: str) -> str:
    return _SLUG.sub("-", text.casefold()).strip("-") or "unknown"


def side(data: Mapping[str, Any], extra: Mapping[str, str]) -> str:
    """The party a control claim speaks for: the actor's side, else the claimant's own side
    (as the extractor read it from context, else as the claimant's name says).

    "the enemy" is never the claimant's side, so it stays as said rather than falling back.
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


def fact_key(kind: str, data: Mapping[str, Any], day: str, extra: Mapping[str, str]) -> str:
    """The subject a claim is about; claims with the same key fold into one fact."""
    if kind == "control":
        if data.get("count") is not None:
            party = side(data, extra)
            return f"control:aggregate:{slug(party)}:{slug(data['place'])}"
        return f"control:{slug(data['place'])}"
    series = f"{data['outcome']}:{slug(data['victims'])}"
    if data.get("scope") == "cumulative":
        return f"casualty:cumulative:{series}"
    return f"casualty:incident:{day}:{series}"


def fact_label(key: str, kind: str, data: Mapping[str, Any]) -> str:
    """A human name for the fact, set when it is first seen."""
    if kind == "control":
        if data.get("count") is not None:
            return f"{data['place'].capitalize()} taken by {data.get('actor') or 'unnamed forces'}"
        return f"Control of {data['place']}"
    base = f"{data['victims'].capitalize()} {data['outcome']}"
    if data.get("scope") == "cumulative":
        return f"{base} (running toll)"
    return f"{base} on {key.split(':')[2]}"  # the incident's day, from its key


def _order(claim: ClaimLike) -> tuple[datetime, int, int]:
    published = claim.published or _EPOCH
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return (published, claim.id or 0, claim.position)


def _evidence(claim: ClaimLike, **extra: Any) -> dict[str, Any]:
    return {
        "claim_id": claim.id,
        "claimed_by": claim.claimed_by,
        "sentence": claim.sentence,
        **extra,
    }


# -- control --------------------------------------------------------------------------------


def fold_control(claims: Sequence[ClaimLike], extra: Mapping[str, str]) -> State:
    """The state of one place: who holds it, and whether that is disputed or conceded."""
    if claims and claims[0].data.get("count") is not None:
        return _fold_aggregate(claims)
    positions: dict[str, tuple[tuple, ClaimLike]] = {}
    for claim in claims:
        party = side({**claim.data, "claimed_by": claim.claimed_by}, extra)
        # Rank by day, then by the strength of the statement: copies and reports of the same day
        # repeat statements made that day, so their publication minutes say nothing about which
        # came first, but a concession the same day outweighs "battles continue".
        published = _order(claim)
        rank = (published[0].date(), PRECEDENCE.get(claim.data["status"], 0), published)
        if party not in positions or rank > positions[party][0]:
            positions[party] = (rank, claim)
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
        # The latest capture claim names the holder; any other side still holding or fighting
        # makes it disputed.
        holder = max(holders, key=lambda p: positions[p][0])
        state["holder"] = holder
        state["holder_actor"] = by_side[holder]["actor"] or holder
        rivals = [p for p in holders + fighters if p != holder]
        state["status"] = "disputed" if rivals else by_side[holder]["status"]
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


def _fold_aggregate(claims: Sequence[ClaimLike]) -> State:
    latest = max(claims, key=_order)
    return _evidence(
        latest,
        status=latest.data["status"],
        count=latest.data["count"],
        actor=latest.data.get("actor"),
        place=latest.data["place"],
    )


def control_signature(state: State) -> tuple:
    if "count" in state:
        return ("aggregate", state["count"], state.get("claimed_by"), state.get("sentence"))
    return (state["status"], state.get("holder"), tuple(state.get("conceded_by", ())))


# -- casualties ------------------------------------------------------------------------------


def fold_casualty(claims: Sequence[ClaimLike], cumulative: bool) -> State:
    """A running toll keeps its highest figure; an incident's figure is its latest report."""
    if cumulative:
        chosen = max(claims, key=lambda c: (c.data["count_low"], _order(c)))
    else:
        chosen = max(claims, key=_order)
    data = chosen.data
    return _evidence(
        chosen,
        count_low=data["count_low"],
        count_high=data.get("count_high"),
        qualifier=data["qualifier"],
        outcome=data["outcome"],
        victims=data["victims"],
        scope=data.get("scope", "incident"),
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


def fold(fact_key_: str, claims: Sequence[ClaimLike], extra: Mapping[str, str]) -> State:
    """Fold every claim on one subject into that fact's state."""
    if fact_key_.startswith("control:"):
        return fold_control(claims, extra)
    return fold_casualty(claims, cumulative=fact_key_.startswith("casualty:cumulative:"))


def is_change(fact_key_: str, old: State | None, new: State) -> bool:
    """Whether going from ``old`` to ``new`` is news worth a change (and so an alert)."""
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
        place = label.removeprefix("Control of ")
        status, actor = state["status"], state.get("holder_actor")
        if status == "disputed":
            return f"{place}: {_held(state)} by {actor} — disputed"
        if status in HOLDING and state.get("conceded_by"):
            return f"{place}: {status} by {actor} — conceded by {', '.join(state['conceded_by'])}"
        if status in HOLDING:
            return f"{place}: {status} by {actor}"
        if status == "lost":
            return f"{place}: control lost by {', '.join(state['conceded_by'])}"
        if status == "contested" and state.get("attack"):
            return f"{place}: contested — {state['attack']} by {actor}"
        return f"{place}: {status}" + (f" by {actor}" if actor else "")
    text = f"{state['victims']} {state['outcome']}: {figure(state)}"
    if state.get("claimed_by"):
        text += f", says {state['claimed_by']}"
    return text[0].upper() + text[1:]


def _held(state: State) -> str:
    holder = state.get("holder")
    return state["positions"][holder]["status"] if holder in state.get("positions", {}) else "held"


def evidence_claim_ids(state: State) -> list[int]:
    """The claims a state rests on, for the change's evidence."""
    if "positions" in state:
        return [e["claim_id"] for e in state["positions"].values() if e.get("claim_id")]
    return [state["claim_id"]] if state.get("claim_id") else []
