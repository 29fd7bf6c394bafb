"""The contest reader: words that say a settlement's control is unsettled, as `contested`.

A denial of a capture is read where the denial is (`control`, `denials`). Real copy also says
outright that nobody holds a place yet, with no capture to deny: "control of X remains
unclear", "it was not clear who controlled X", "X is in neither side's hands", "the battle for
X is not over", or it names the defenders still in the place: "Ukrainian troops are holding out
in X", "defenders are still resisting in X" (DESIGN.md: "our units are fighting in X" is X
contested). The claim names no holder (a contest has none) and is said by whoever says it.

Gated as the other readers: a settlement (typed, configured or a populated place the
gazetteer knows), a force for the holding-out shape ("fans holding out in Paris for tickets"
is no war), the clause's vetoes (history, modals).
"""

from __future__ import annotations

import re
from datetime import date

from briefwatch.extract.control import Found, is_armed, subject_phrase
from briefwatch.extract.filters import dated_after, veto
from briefwatch.extract.lexicon import FORCE_NOUNS, scanning, words
from briefwatch.extract.places import PlaceBook, PlaceMention
from briefwatch.extract.sides import BUILTIN, SideTable
from briefwatch.extract.threats import settlement
from briefwatch.extract.trigger_kit import WAR_WORDS

KEYS = words("unclear uncertain disputed contested neither resisting")
_HOLDING = words("holding held")
# "clear" and "over" are common words: a shape with them needs its other word too
_CLEAR_WHO = words("clear who")
_OVER_FIGHT = words("battle fight fighting struggle")
# Every word without which `_may_contest` is false (for a caller's one gate before several
# readers)
GATE_WORDS = KEYS | _CLEAR_WHO | words("out over")
_UNSETTLED = r"(?:unclear|uncertain|disputed|contested|not\s+(?:yet\s+)?(?:clear|settled|known))"
# Each shape: the place is the first settlement in the group `at` (a place's span begins it).
_SHAPES = scanning(
    # "control of X remains unclear", "who controls X is disputed"
    rf"\bcontrol\s+(?:of|over)\s+(?P<a>)(?:the\s+)?(?:[\w’'-]+\s+){{0,3}}?[\w’'-]+\s+"
    rf"(?:remains?|remained|is|was|has\s+been|had\s+been)\s+(?:still\s+)?{_UNSETTLED}"
    # "it was not clear who controlled X", "it remains unclear who holds X"
    r"|\b(?:it\s+(?:is|was|remains|remained)\s+)?(?:not\s+clear|unclear)\s+who\s+"
    r"(?:controls|controlled|holds|held|was\s+in\s+control\s+of|is\s+in\s+control\s+of)\s+(?P<b>)"
    # "the battle for X is not over", "the fight for X is far from over"
    r"|\b(?:battle|fight|fighting|struggle)\s+for\s+(?P<c>)(?:the\s+)?(?:[\w’'-]+\s+){0,3}?"
    r"[\w’'-]+\s+(?:is|was)\s+(?:not\s+(?:yet\s+)?|far\s+from\s+)over\b"
    # "X is in neither side's hands", "X is neither in Russian nor Ukrainian hands" (the place
    # ends right before the verb)
    r"|(?P<d>)\s+(?:is|was|remains|remained)\s+(?:now\s+)?"
    r"(?:in\s+neither\s+side[’']s\s+hands|neither\s+in\s+\w+\s+nor\s+(?:in\s+)?\w+\s+hands)"
    # "troops are holding out in X", "defenders are still resisting in X"
    r"|\b(?P<hold>holding\s+out|held\s+out|still\s+resisting|resisting)\s+in\s+(?P<e>)",
    re.I,
)
# the words between "holding out in" and its place: "the besieged eastern town of"
_LEAD = re.compile(r"(?:the\s+)?(?:[a-z-]+\s+){0,3}?(?:(?:town|city|village)\s+of\s+)?")
_REACH = 40
# the subject's head noun right before the verb ("defenders are still")
_HEAD = re.compile(
    r"(?P<noun>[\w-]+)\s+(?:(?:are|were|is|was|have\s+been|has\s+been|had\s+been)\s+)?"
    r"(?:still\s+)?$"
)
_DEFENDERS = FORCE_NOUNS | words("defenders garrison")
_GROUPS = ("a", "b", "c", "e")


def find_contests(
    sentence: str,
    book: PlaceBook,
    mentions: list[PlaceMention],
    claimed: set[str],
    today: date | None = None,
    tokens: frozenset[str] = frozenset(),
    sides: SideTable = BUILTIN,
) -> list[Found]:
    """Contests said outright of a settlement, not on a place already claimed in the sentence."""
    if not _may_contest(tokens) or not mentions:
        return []
    found: list[Found] = []
    for m in _SHAPES.finditer(sentence):
        if m["d"] is not None:  # the subject: the settlement that ends where the verb starts
            ends = [p for p in mentions if p.end == m.start() and not (p.speaker or p.border)]
            place = ends[0] if ends and settlement(sentence, ends[0], book) else None
        else:
            at = next(m.start(g) for g in _GROUPS if m.group(g) is not None)
            place = _first_settlement(sentence, at, m.end(), book, mentions, bool(m["hold"]))
        if place is None or place.name in claimed or any(f.place == place.name for f in found):
            continue
        if m["hold"] and not _defenders(sentence, m.start(), sides):
            continue  # "shoppers holding out in Paris": no force, no contest
        if (m["a"] is not None or m["b"] is not None) and not _war_besides(sentence, m):
            continue  # "it is not clear who controls Lyon" is a council's, in no war
        # (the shape's own negation, "not clear", "not over", is what it says, no denial: the
        # clause is vetoed with the shape blanked out)
        quiet = sentence[: m.start()] + " " * (m.end() - m.start()) + sentence[m.end() :]
        if veto(quiet, m.start(), m.end(), today=today) or dated_after(sentence, place.end, today):
            continue
        found.append(Found(place.name, "contested", None, m.start()))
    return found


def _may_contest(tokens: frozenset[str]) -> bool:
    """The cheap gate: whether a sentence has the words of one of the shapes."""
    return (
        not KEYS.isdisjoint(tokens)
        or tokens >= _CLEAR_WHO
        or ("out" in tokens and not _HOLDING.isdisjoint(tokens))
        or ("over" in tokens and not _OVER_FIGHT.isdisjoint(tokens))
    )


def _defenders(sentence: str, start: int, sides: SideTable) -> bool:
    """Whether the ones holding out are a force ("Ukrainian defenders", "the garrison")."""
    head = _HEAD.search(sentence, 0, start)
    if head and head["noun"].lower() in _DEFENDERS:
        return True
    return is_armed(subject_phrase(sentence, start, sides), sides)


def _war_besides(sentence: str, m: re.Match[str]) -> bool:
    """Whether the sentence speaks of war outside the shape's own words."""
    return bool(WAR_WORDS.search(sentence[: m.start()] + " " + sentence[m.end() :]))


def _first_settlement(
    sentence: str, start: int, end: int, book: PlaceBook, mentions: list[PlaceMention],
    after: bool,
) -> PlaceMention | None:  # fmt: skip
    """The first settlement named in [start, end], or (``after``) right after ``start``, over
    a noun phrase's lead words only."""
    for p in mentions:
        if p.speaker or p.border or p.start < start:
            continue
        if after:
            near = p.start - start <= _REACH and _LEAD.fullmatch(sentence, start, p.start)
            return p if near and settlement(sentence, p, book) else None
        if p.start <= end:
            return p if settlement(sentence, p, book) else None  # a region is no contest's
    return None  # the shape names no place
