"""The claim records the extractor returns (plain frozen dataclasses, no behaviour)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, fields
from typing import Any

OUTCOMES = ("killed", "injured", "missing", "captured", "displaced")
QUALIFIERS = ("exact", "at_least", "at_most", "approx", "vague")
SCOPES = ("incident", "cumulative")
STATUSES = ("captured", "lost", "recaptured", "contested", "held", "threatened", "encircled")


@dataclass(frozen=True)
class CasualtyClaim:
    """One casualty figure pulled from one sentence."""

    outcome: str  # killed | injured | missing | captured | displaced
    count_low: int
    count_high: int | None
    qualifier: str  # exact | at_least | at_most | approx | vague
    # the victims as the text names them ("Somali soldier", "others", "government soldiers"),
    # or None when it names no group ("two deaths", "more than 1,000 killed")
    victims: str | None
    scope: str  # incident | cumulative
    claimed_by: str | None
    sentence: str
    position: int  # index of the sentence in the input
    claimant_side: str | None = None  # the side the claimant speaks for, when the text shows it
    # the victims' normalised group ("Somali soldiers", "people", "Ukrainian soldiers" for
    # "Ukraine lost 400 soldiers"): what the claim's fact goes by, so "15 others" and "15 people"
    # injured are one series (`facts.fact_key`)
    group: str = "people"


@dataclass(frozen=True)
class ControlClaim:
    """One statement about who holds, takes, loses or fights for a place."""

    place: str  # canonical place name, or the plural noun of an aggregate ("settlements")
    status: str  # captured | lost | recaptured | contested | held | threatened | encircled
    actor: str | None
    claimed_by: str | None
    sentence: str
    position: int
    count: int | None = None  # aggregate claims without names: "48 more settlements" -> 48
    claimant_side: str | None = None  # the side the claimant speaks for, when the text shows it
    place_id: int | None = None  # the place's geonameid, when the gazetteer knows it
    # the place's one name for its fact: config's name for it, else the gazetteer's (Avdeyevka
    # -> Avdiivka), else None (the fact goes by ``place``, the text's spelling)
    canonical: str | None = None
    # The same claimant claiming the same again later in the text: one claim, more evidence
    # (each as read in its own sentence; the pipeline stores each as evidence of its own).
    repeats: tuple[ControlClaim, ...] = ()


@dataclass(frozen=True)
class Dropped:
    """A candidate the extractor saw and dropped, with the reason (for debugging and `trace`)."""

    kind: str  # casualty | control
    position: int
    trigger: str
    reason: str  # history | denial | hypothetical | uncertain | sport | election | no place ...


@dataclass(frozen=True)
class Cut:
    """A part of the input extraction left unread (`limits`): which part, how long it was and
    how much of it was read."""

    what: str  # text | sentence
    position: int  # the sentence's index (for the text: how many sentences were read)
    length: int  # characters it had
    kept: int  # characters read
    reason: str  # "sentence longer than 2000 characters", "text longer than 200000 characters"


@dataclass(frozen=True)
class Extraction:
    """Everything found in one text."""

    casualties: list[CasualtyClaim]
    control: list[ControlClaim]
    aliases: dict[str, str]  # alias -> canonical place found in this text
    # Claims on a number of places without their names ("48 more settlements"): a fact of their
    # own for the side that claims them, but not a claim about any one place.
    aggregates: list[ControlClaim] = field(default_factory=list)
    rejected: list[Dropped] = field(default_factory=list, compare=False, repr=False)
    cuts: list[Cut] = field(default_factory=list)  # what was too long to read whole


def claim_fields(
    claim: CasualtyClaim | ControlClaim, leave_out: Collection[str] = ()
) -> dict[str, Any]:
    """A claim's fields by name, in their declared order, less those in ``leave_out``.

    The one listing of a claim's fields: the store's data column (`facts.records.claim_data`)
    and the CLI's JSON (`pipeline.to_json`) are both built from it, each leaving out what it
    says it leaves out, so a field added to a claim reaches both (a field listed by hand was
    once dropped from one of them by a merge)."""
    unknown = set(leave_out) - {f.name for f in fields(claim)}
    if unknown:  # (a misspelt name would leave out nothing, silently)
        raise ValueError(f"no such claim field: {', '.join(sorted(unknown))}")
    return {f.name: getattr(claim, f.name) for f in fields(claim) if f.name not in leave_out}
