"""Holds said of a settlement named well before them: "X remains the last city in Y under
military control", "the city of X, which falls under the control of Y", "X, now under rebel
control, ...".

The hold rows read "X is under Y control" with only adverbs between the place and the phrase.
Real copy puts a predicate noun, a relative pronoun or an apposition there. This reader takes a
hold phrase ("under (the) (Y) control (of Y)", "in Y hands") and the last settlement before it
in its clause, and reads a hold when the words between only link the two: a linking verb ("is",
"remains", "falls", "has been") or an apposition's comma, with at most a noun phrase that
describes the place ("the last city in Darfur", "one of the few towns"). Words that make the
phrase another thing's ("areas", "territory", "positions", "from", "near", "for") or another
clause ("said", "and", "after") leave it no claim.
"""

from __future__ import annotations

import re
from datetime import date

from briefwatch.extract.control import Found, actor_after
from briefwatch.extract.filters import veto
from briefwatch.extract.lexicon import scanning
from briefwatch.extract.places import PlaceBook, PlaceMention
from briefwatch.extract.sides import BUILTIN, SideTable, is_country

KEYS = frozenset({"control", "hands"})
_HOLD = scanning(
    r"\bunder\s+(?:the\s+)?(?:full\s+|complete\s+|effective\s+|firm\s+|total\s+)?"
    r"(?:(?P<adj>(?!the\b|full\b)[\w-]+(?:\s+(?!control\b)[\w-]+)?)\s+)?control\b"
    r"(?P<of>\s+of\s+)?"
    r"|\bin\s+(?P<adj2>(?!the\b)[\w-]+)\s+hands\b|\bin\s+the\s+hands\s+of\s+(?P<of2>)"
)
# What may stand between the place and the hold: an apposition's comma, a relative pronoun, a
# linking verb, adverbs, and a describing noun phrase.
_LINK = re.compile(
    r"(?:[\"”’']?\s*,\s*(?:which|that)?|\s+(?:which|that))?\s*"
    r"(?:(?:is|are|was|were|remains|remain|remained|stays|stay|stayed|falls|fall|lies|"
    r"has\s+been|have\s+been|is\s+still|now|still|already|long|firmly|largely|"
    r"mostly|entirely|effectively|reportedly|\w+ly)\s+)*"
    r"(?P<np>(?:(?:the|a|an|one|of|its|their)\s+)?(?:[\w’'-]+\s+){0,6}?)?"
    r"(?:(?:is|are|was|were|remains|remain|still|now|firmly|largely)\s+)*$"
)
# (not "had been": a hold in the pluperfect is background, "had been under rebel control since")
_LOCATION_BEFORE = re.compile(
    r"\b(?:to|of|in|near|from|at|by|with|outside|than|between|toward|towards)\s+(?:the\s+)?$"
)
_APPOSED = re.compile(r"^[\"”’']?\s*,")
_LINKING_VERB = re.compile(
    r"\b(?:is|are|was|were|remains|remain|remained|stays|stay|stayed|falls|fall|lies|been)\b"
)
# Words in the gap that make the hold another thing's, or the gap another clause.
_NOT_LINK = re.compile(
    r"\b(?:areas?|territory|territories|zones?|positions?|parts?|neighbourhoods|neighborhoods|"
    r"land|lands|"
    r"from|near|outside|beyond|toward|towards|for|into|than|to|by|with|without|against|"
    r"had|said|says|say|told|and|or|but|after|before|when|while|since|until|if|whether|not|"
    r"no|never|would|will|could|may|might|should|must|once|formerly|previously|until)\b",
    re.I,
)
_SETTLEMENT_KINDS = frozenset(
    {"town", "city", "village", "settlement", "hamlet", "capital", "port"}
)


def find_held_before(
    sentence: str,
    book: PlaceBook,
    mentions: list[PlaceMention],
    claimed: set[str],
    tokens: frozenset[str],
    today: date | None = None,
    sides: SideTable = BUILTIN,
) -> list[Found]:
    """Holds on a settlement named before its hold phrase, one per phrase."""
    if KEYS.isdisjoint(tokens) or not mentions:
        return []
    found: list[Found] = []
    for m in _HOLD.finditer(sentence):
        # the last settlement before the phrase; a region or country on the way is part of
        # what describes it ("the last city in Darfur")
        p = next(
            (q for q in reversed(mentions) if q.end <= m.start() and _settlement(q, book)), None
        )
        if p is None or p.name in claimed or p.speaker or p.border:
            continue
        if p.kind is None and _LOCATION_BEFORE.search(sentence, max(0, p.start - 20), p.start):
            continue  # "Vuhledar, adjacent to Pavlivka, remains ...": a location, not the subject
        gap = sentence[p.end : m.start()]
        link = _LINK.fullmatch(gap)
        if len(gap) > 90 or link is None or _NOT_LINK.search(gap):
            continue
        if not (_APPOSED.match(gap) or _LINKING_VERB.search(gap)):
            continue  # "the X under army control": a modifier, not a statement
        if re.search(r"[.;:!?\"“]", gap.lstrip("\"”’' ")):
            continue
        if veto(sentence, p.start, m.end(), today=today):
            continue
        if m["of"] is not None or m["of2"] is not None:
            actor = actor_after(sentence, m.end(), sides)
        else:
            actor = m["adj"] or m["adj2"]
        if not actor:
            continue  # "under control": whose, the text does not say
        found.append(Found(p.name, "held", actor, m.start(), start=p.start))
        claimed = {*claimed, p.name}
    return found


def _settlement(p: PlaceMention, book: PlaceBook) -> bool:
    """A town, city or village the text types or the gazetteer or config knows (no country)."""
    if is_country(p.name):
        return False
    if p.kind is not None:
        return p.kind in _SETTLEMENT_KINDS
    return book.configured(p.name) or book.population(p.name) is not None
