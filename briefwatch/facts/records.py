"""Typed claims and fact states: what the fold reads of a stored claim, and what it writes.

A claim row keeps its kind's fields in a JSON column (``Claim.data``) and a fact its state in
another (``Fact.state``). The fold reads each once into a dataclass here (`from_row`), names
fields instead of string keys, and writes a state back (`to_json`) in the one JSON shape that
the store keeps and the web view, the alerts and the reports read: same keys, same order, a key
that only some states carry (``stale``, ``confirmed_by``, ``attack``, ``place``) written only
when it is there. A key missing from an older row is read as its default. A claim the extractor
read is written to its row here too (`claim_data`), from its typed fields (`claims.claim_fields`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from briefwatch.extract.claims import CasualtyClaim, ControlClaim, claim_fields


class ClaimRow(Protocol):
    """A stored claim as the store hands it over (`briefwatch.models.Claim` fits)."""

    id: int | None
    kind: str
    story_id: int
    article_id: int
    sentence: str
    claimed_by: str | None
    position: int
    published: datetime | None
    data: dict[str, Any]


@dataclass(kw_only=True, slots=True)
class StoredClaim:
    """The columns every stored claim has: which claim, where it was read, who said it."""

    id: int | None
    story_id: int
    article_id: int
    sentence: str
    claimed_by: str | None  # the column: the claimant as stored, not as the extractor wrote it
    position: int
    published: datetime | None


@dataclass(kw_only=True, slots=True)
class ControlRecord(StoredClaim):
    """A stored control claim: who holds, takes, loses or fights for a place."""

    place: str  # the text's name, or the plural noun of an aggregate ("settlements")
    status: str
    actor: str | None = None
    claimant_side: str | None = None
    count: int | None = None  # an aggregate's number of places ("48 more settlements")
    place_id: int | None = None  # the gazetteer's geonameid, when it knows the place

    @classmethod
    def from_row(cls, row: ClaimRow) -> ControlRecord:
        data = row.data
        place_id = data.get("place_id")
        return cls(
            **_columns(row),
            place=data.get("place", ""),
            status=data["status"],
            actor=data.get("actor"),
            claimant_side=data.get("claimant_side"),
            count=data.get("count"),
            place_id=int(place_id) if place_id is not None else None,
        )


@dataclass(kw_only=True, slots=True)
class CasualtyRecord(StoredClaim):
    """A stored casualty claim: one figure, as a range with its qualifier."""

    outcome: str
    count_low: int
    count_high: int | None
    qualifier: str
    # the victims' normalised group, what the fact goes by (not the victims as written: a fact
    # shows one name for its series, "People injured", whichever claimant wrote "others")
    group: str
    scope: str = "incident"

    @classmethod
    def from_row(cls, row: ClaimRow) -> CasualtyRecord:
        data = row.data
        return cls(
            **_columns(row),
            outcome=data["outcome"],
            count_low=data["count_low"],
            count_high=data.get("count_high"),
            qualifier=data["qualifier"],
            # (a claim stored before claims carried a group has its victims normalised)
            group=data.get("group") or data.get("victims") or "people",
            scope=data.get("scope", "incident"),
        )

    @property
    def size(self) -> tuple[int, int]:
        """How large the figure is, for "the highest": its low end, then its high end."""
        high = self.count_high if self.count_high is not None else self.count_low
        return (self.count_low, high)

    @property
    def figure(self) -> tuple[int, int | None, str]:
        """The figure as written: two claims with the same one say the same."""
        return (self.count_low, self.count_high, self.qualifier)


# What of an extracted claim its row keeps outside the data column: the sentence and its
# position are columns of the row; a control claim's repeats are stored as rows of their own.
CASUALTY_OUTSIDE_DATA = ("sentence", "position")
CONTROL_OUTSIDE_DATA = ("sentence", "position", "repeats")


def claim_data(claim: ControlClaim | CasualtyClaim) -> dict[str, Any]:
    """What an extracted claim keeps in its row's ``data`` column: every field of its kind but
    those left outside it (above), in the extractor's order. `ControlRecord.from_row` and
    `CasualtyRecord.from_row` read it back."""
    if isinstance(claim, ControlClaim):
        return claim_fields(claim, CONTROL_OUTSIDE_DATA)
    return claim_fields(claim, CASUALTY_OUTSIDE_DATA)


def _columns(row: ClaimRow) -> dict[str, Any]:
    return {"id": row.id, "story_id": row.story_id, "article_id": row.article_id,
            "sentence": row.sentence, "claimed_by": row.claimed_by, "position": row.position,
            "published": row.published}  # fmt: skip


# -- fact states -----------------------------------------------------------------------------


@dataclass(kw_only=True, slots=True)
class Evidence:
    """The claim a part of a state rests on, quoted: an alert's evidence and the web's."""

    claim_id: int | None
    claimed_by: str | None
    sentence: str
    published: str | None  # ISO time; None when the claim has none

    def to_json(self) -> dict[str, Any]:
        return {"claim_id": self.claim_id, "claimed_by": self.claimed_by,
                "sentence": self.sentence, "published": self.published}  # fmt: skip

    @staticmethod
    def fields_of(row: Mapping[str, Any]) -> dict[str, Any]:
        return {"claim_id": row.get("claim_id"), "claimed_by": row.get("claimed_by"),
                "sentence": row.get("sentence", ""), "published": row.get("published")}  # fmt: skip


@dataclass(kw_only=True, slots=True)
class Position(Evidence):
    """One side's latest statement on a place."""

    status: str
    actor: str | None
    stale: bool = False  # said before the holder's capture it would contradict

    def to_json(self) -> dict[str, Any]:
        out = {**Evidence.to_json(self), "status": self.status, "actor": self.actor}
        return out | ({"stale": True} if self.stale else {})

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Position:
        return cls(**cls.fields_of(row), status=row["status"], actor=row.get("actor"),
                   stale=bool(row.get("stale")))  # fmt: skip


@dataclass(kw_only=True, slots=True)
class Report(Evidence):
    """An independent report that the holder holds the place, one per outlet."""

    outlet: str | None

    def to_json(self) -> dict[str, Any]:
        return {**Evidence.to_json(self), "outlet": self.outlet}

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Report:
        return cls(**cls.fields_of(row), outlet=row.get("outlet"))


@dataclass(kw_only=True, slots=True)
class ControlState:
    """Who controls one place: the holder, whether that is disputed, conceded or settled."""

    status: str  # a claim's status, or "disputed"
    holder: str | None = None
    holder_actor: str | None = None
    conceded_by: list[str] = field(default_factory=list)
    positions: dict[str, Position] = field(default_factory=dict)  # by side, as they first spoke
    confirmed_by: list[Report] | None = None  # the reports that settled a dispute
    attack: str | None = None  # an attacker's status when no side holds the place
    place: dict[str, Any] | None = None  # the gazetteer's place (`state.place_state`)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "status": self.status, "holder": self.holder, "holder_actor": self.holder_actor,
            "conceded_by": list(self.conceded_by),
            "positions": {side: p.to_json() for side, p in self.positions.items()},
        }  # fmt: skip
        if self.confirmed_by is not None:
            out["confirmed_by"] = [r.to_json() for r in self.confirmed_by]
        if self.attack is not None:
            out["attack"] = self.attack
        if self.place is not None:
            out["place"] = self.place
        return out

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> ControlState:
        confirmed = row.get("confirmed_by")
        place = row.get("place")
        return cls(
            status=row["status"],
            holder=row.get("holder"),
            holder_actor=row.get("holder_actor"),
            conceded_by=list(row.get("conceded_by", ())),
            positions={s: Position.from_row(p) for s, p in row.get("positions", {}).items()},
            confirmed_by=[Report.from_row(r) for r in confirmed] if confirmed else None,
            attack=row.get("attack"),
            place=place if isinstance(place, dict) else None,
        )

    def evidence(self) -> list[Evidence]:
        return [*self.positions.values(), *(self.confirmed_by or [])]


@dataclass(kw_only=True, slots=True)
class AggregateState(Evidence):
    """A side's claim on a number of places without their names ("48 more settlements")."""

    status: str
    count: int
    actor: str | None
    place: str  # the plural noun: "settlements"

    def to_json(self) -> dict[str, Any]:
        return {**Evidence.to_json(self), "status": self.status, "count": self.count,
                "actor": self.actor, "place": self.place}  # fmt: skip

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> AggregateState:
        return cls(**cls.fields_of(row), status=row["status"], count=row["count"],
                   actor=row.get("actor"), place=row.get("place", ""))  # fmt: skip

    def evidence(self) -> list[Evidence]:
        return [self]


@dataclass(kw_only=True, slots=True)
class Figure(Evidence):
    """One claimant's casualty figure."""

    count_low: int
    count_high: int | None
    qualifier: str

    def to_json(self) -> dict[str, Any]:
        return {**Evidence.to_json(self), "count_low": self.count_low,
                "count_high": self.count_high, "qualifier": self.qualifier}  # fmt: skip

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Figure:
        high, qualifier = row.get("count_high"), row.get("qualifier", "")
        return cls(**cls.fields_of(row), count_low=row["count_low"], count_high=high,
                   qualifier=qualifier)  # fmt: skip


@dataclass(kw_only=True, slots=True)
class CasualtyState(Figure):
    """A casualty series' figure, with every other claimant's differing figure beside it."""

    outcome: str
    # the series' normalised group (`CasualtyRecord.group`), under the key the stored states,
    # the web view and the alerts have read it by since before claims kept victims as written
    victims: str
    scope: str
    others: list[Figure] = field(default_factory=list)  # highest first

    def to_json(self) -> dict[str, Any]:
        return {**Figure.to_json(self), "outcome": self.outcome, "victims": self.victims,
                "scope": self.scope, "others": [o.to_json() for o in self.others]}  # fmt: skip

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> CasualtyState:
        figure = Figure.from_row(row)
        return cls(
            **Evidence.fields_of(row),
            count_low=figure.count_low,
            count_high=figure.count_high,
            qualifier=figure.qualifier,
            outcome=row.get("outcome", ""),
            victims=row.get("victims", ""),
            scope=row.get("scope", "incident"),
            others=[Figure.from_row(o) for o in row.get("others", [])],
        )

    def evidence(self) -> list[Evidence]:
        return [self, *self.others]


FactState = ControlState | AggregateState | CasualtyState


def state_from_row(fact_key: str, row: Mapping[str, Any]) -> FactState:
    """A fact's stored state, typed by its key (an aggregate by its ``count``)."""
    if fact_key.startswith("control:"):
        return AggregateState.from_row(row) if "count" in row else ControlState.from_row(row)
    return CasualtyState.from_row(row)


class FactRow(Protocol):
    """A stored fact as the store hands it over (`briefwatch.models.Fact` fits)."""

    key: str
    state: dict[str, Any]


def state_of(fact: FactRow) -> FactState:
    """A stored fact's state, typed: what a reader of facts reads instead of ``fact.state``."""
    return state_from_row(fact.key, fact.state)
