"""The hold reader: "under X control" said of a settlement the clause names earlier, as `held`.

The phrasing rules read a hold where the place is the subject of a plain verb ("X is under
Russian control", "X remains in the hands of Y"). Real copy more often tucks the hold into a
modifier of the place, or puts a noun phrase between: "X, a town still under militant control",
"residents of X, now under rebel control", "X, which falls under the control of Y", "X remains
the last city in the region under army control", "X falls under Houthi control". This reader
takes the "under ... control" phrase and walks back over one of those links to the settlement
it is said of.

The holder is the modifier ("militant", "Russian": a side's forces) or the noun phrase after
"of". It must be armed or a side: "under family control", "under the control of Juventus fans"
and "under state control" (a nationalised bank) are no holds. A place that is "X-held" is a
modifier and no claim (DESIGN.md); the clause's vetoes apply (history: "was under Islamic State
control from 2014 to 2017", modals, denials).
"""

from __future__ import annotations

import re
from datetime import date

from briefwatch.extract.control import Found, actor_after, is_armed
from briefwatch.extract.filters import dated_after, veto
from briefwatch.extract.lexicon import scanning, words
from briefwatch.extract.places import PlaceBook, PlaceMention
from briefwatch.extract.settlements import settlement
from briefwatch.extract.sides import BUILTIN, SideTable

KEYS = words("control")
# Holders named by an adjective that say an armed side holds the place on their own.
_ARMED_MODIFIERS = words(
    "military army rebel rebels militant militants jihadist jihadists insurgent insurgents "
    "separatist separatists paramilitary junta militia regime opposition government"
)
_UNDER = scanning(
    r"\bunder\s+(?:the\s+)?(?:(?:full|complete|effective|firm|total|de\s+facto)\s+)?"
    r"(?:control\s+of\s+(?P<of>)|(?P<mod>(?:[\w’'-]+\s+){1,3}?)control\b(?!\s+of\b))",
    re.I,
)
# The link between a settlement and the hold said of it (between the place's end and "under"):
# "X, which is (still) under", "X, a town (now) under", "X, now under", "X falls under",
# "X remains the last city in Y under" (a noun phrase with no verb and no clause break in it)
_LINK = re.compile(
    r"(?:\s+(?:town|city|village|port))?"
    r"(?:,\s+(?:which|that)\s+(?:is|are|was|remains?|remained|falls?|fell|has\s+been|had\s+been)\s+"
    r"|,\s+(?:(?:a|an|the|one\s+of\s+the)\s+(?:[\w’'-]+\s+){0,5}?)?"
    r"|\s+(?:falls?|fell|remains?|remained|is|was)\s+(?:(?:the|one\s+of\s+the)\s+(?:[a-z]+\s+){0,2}"
    r"(?:town|city|village|towns|cities|villages|settlement|stronghold)\s+"
    r"(?:(?:in|on|along)\s+(?:the\s+)?(?:[\w’'-]+\s+){1,2})?)?)"
    r"(?:(?:still|now|firmly|largely|entirely|also|long)\s+)*"
)
_CLAUSE_BREAK = re.compile(r"[;:.!?]|\b(?:said|says|and|but|where|who|while)\b")
_REACH = 90  # characters from the place's end to "under"


def find_holds(
    sentence: str,
    book: PlaceBook,
    mentions: list[PlaceMention],
    claimed: set[str],
    today: date | None = None,
    tokens: frozenset[str] = frozenset(),
    sides: SideTable = BUILTIN,
) -> list[Found]:
    """Holds said of a settlement through a modifier, not on a place already claimed."""
    if KEYS.isdisjoint(tokens) or "under" not in tokens or not mentions:
        return []
    found: list[Found] = []
    for m in _UNDER.finditer(sentence):
        place = _held_place(sentence, m.start(), book, mentions)
        if place is None or place.name in claimed or any(f.place == place.name for f in found):
            continue
        if m["of"] is not None:
            actor, possessive = actor_after(sentence, m.end(), sides), False
            if not is_armed(actor, sides):
                continue
        else:
            actor, possessive = m["mod"].strip(), True
            if actor.split()[-1].lower() not in _ARMED_MODIFIERS and not sides.side_of(actor):
                continue
        if veto(sentence, m.start(), m.end(), today=today) or dated_after(sentence, m.end(), today):
            continue
        found.append(Found(place.name, "held", actor, m.start(), possessive=possessive))
    return found


def _held_place(
    sentence: str, under: int, book: PlaceBook, mentions: list[PlaceMention]
) -> PlaceMention | None:
    """The settlement the hold at ``under`` is said of, over one link, else None."""
    before = [p for p in mentions if p.end <= under and under - p.end <= _REACH]
    for p in reversed(before):
        gap = sentence[p.end : under]
        if _CLAUSE_BREAK.search(gap):
            return None  # another clause between: the hold is not said of a place before it
        # (a name inside the link is no holder of it: "the last city in Darfur under ...")
        if p.speaker or p.border or not _LINK.fullmatch(gap):
            continue
        return p if settlement(sentence, p, book) else None  # no region or country is "held"
    return None  # no place before the hold is linked to it
