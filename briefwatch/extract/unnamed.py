"""Places a claim leaves unnamed until a later sentence names them.

    "Myanmar's military has lost control of a strategic northern town ... " then
    "... no longer present in Chinshwehaw town, ..."          -> Chinshwehaw lost
    "Kyiv's troops said they had recaptured a village ... " then
    "... a video ..., which identified the settlement as Blahodatne" -> Blahodatne recaptured

Wire copy often says what happened to "a town" first and names it a sentence or two later.
A claim on an unnamed place is held here, and given the first place the next two sentences
name as that kind of place ("X town", "the town of X") or identify outright ("identified the
settlement as X"), provided the text has not named that place before and those sentences do
not make a change-of-hands claim about it themselves. Unnamed after two sentences, it is
dropped (the rejection says so).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from briefwatch.extract.claims import ControlClaim
from briefwatch.extract.places import PlaceBook, PlaceMention

REACH = 2  # sentences after the claim in which the place may be named
_IDENTIFIED = re.compile(
    r"\bidentified\s+(?:(?:the|this|it)\s+)?(?:settlement|town|village|city|locality|place)?\s*"
    r"as\s+(?=[A-Z])"
)
# "town" is named as "town" or "city" by outlets of one story; a village stays a village
_KINDS = {
    "town": {"town", "city"},
    "city": {"city", "town"},
    "village": {"village", "settlement"},
    "settlement": {"settlement", "village", "town"},
    "locality": {"locality", "village"},
}


@dataclass(frozen=True)
class Unnamed:
    """A claim whose place the text has not named yet."""

    claim: ControlClaim
    kind: str  # town, village, city, settlement, locality
    index: int  # the sentence it was made in


def name_places(
    pending: list[Unnamed],
    sentence: str,
    index: int,
    mentions: list[PlaceMention],
    book: PlaceBook,
    named_before: set[str],
    claimed_here: set[str],
) -> tuple[list[ControlClaim], list[Unnamed], list[Unnamed]]:
    """The pending claims this sentence names (as claims on that place), those still pending,
    and those that expired unnamed."""
    named: list[ControlClaim] = []
    waiting: list[Unnamed] = []
    expired: list[Unnamed] = []
    for p in pending:
        place = _named(p, sentence, mentions, book, named_before)
        if place and place not in claimed_here:
            named.append(replace(
                p.claim, place=place, place_id=book.place_id(place),
                canonical=book.fact_name(place),
            ))  # fmt: skip
        elif place is None and index - p.index < REACH:
            waiting.append(p)
        elif place is None:
            expired.append(p)
    return named, waiting, expired


def _named(
    p: Unnamed, sentence: str, mentions: list[PlaceMention], book: PlaceBook, before: set[str]
) -> str | None:
    fresh = [m for m in mentions if m.name not in before and not m.speaker and not m.border]
    identified = _IDENTIFIED.search(sentence)
    if identified:
        at = next((m for m in fresh if m.start == identified.end()), None)
        if at:
            return at.name
    wanted = _KINDS.get(p.kind, {p.kind})
    typed = next((m for m in fresh if (m.kind or book.kinds.get(m.name)) in wanted), None)
    return typed.name if typed else None
