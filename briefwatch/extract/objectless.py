"""Control claims whose place is the passage's subject, not a word of the sentence.

    "Rebels reached the town of Zarin on Monday." then
    '"The militia is in control," said a resident.'                     -> Zarin held
    "Fighting broke out in Zarin on Friday." then
    '"Government forces left and the militia seized control," an elder said.'
                                                      -> Zarin lost (government forces),
                                                         Zarin captured (the militia)

Quoted witnesses and wire copy often say what happened without naming the place again: the
verb has no object ("seized control", "is in control", "were pulling out"). The rules of
`control` need a place, so such a sentence gives nothing. Here an armed subject's objectless
control phrase is read as a claim on the one settlement the passage has named so far - its
subject. A passage that has named two settlements (other than as a bearing, "north of X") has
no one subject, and the sentence gives nothing; so does a sentence that names a place itself
(the rules read it), and the clause's vetoes (modal, history, denial ...) apply as elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from briefwatch.extract.control import Found, is_armed, subject_phrase
from briefwatch.extract.filters import veto
from briefwatch.extract.lexicon import scanning, words
from briefwatch.extract.places import PlaceBook, PlaceMention
from briefwatch.extract.sides import BUILTIN, SideTable, is_country

KEYS = words("control controls withdrew withdrawn retreated pulling pulled left")
# The phrase ends its clause: nothing after it is its object ("seized control of X" is not it).
_END = r"(?=\s*(?:[,.;:!?\"”’']|$|\s(?:and|but|after|as|when|while|on|overnight|by)\b))"
_PHRASES = (
    (
        re.compile(
            r"\b(?:is|are|was|were|remains?|remained)\s+(?:(?:now|firmly|fully|still|back|"
            r"completely)\s+)*in\s+(?:full\s+|complete\s+|total\s+|firm\s+)?control\b" + _END
        ),
        "held",
    ),
    (
        re.compile(
            r"\b(?:seized|took|taken|gained|assumed|wrested|grabbed)\s+(?:full\s+|complete\s+|"
            r"total\s+)?control\b" + _END
        ),
        "captured",
    ),
    (
        re.compile(
            r"\b(?:withdrew|withdrawn|retreated|left|(?:pulled|pulling)\s+out)(?:\s+en\s+masse)?"
            + _END
        ),
        "lost",
    ),
)
_FIRST_VERB = scanning(r"\b[a-z]+(?:ing|ed)(?:\s+(?:up|down|off|away))?\s+and\s+$")
_REGION_KINDS = frozenset({"region", "province", "oblast", "area", "enclave", "state", "district"})


def places(mentions: list[PlaceMention], book: PlaceBook) -> list[str]:
    """The settlements a sentence names as what it is about (not as a bearing or a speaker),
    not words ("Rebels" opening a sentence is one)."""
    return [
        m.name
        for m in mentions
        if not (m.landmark or m.border or m.speaker)
        and m.kind not in _REGION_KINDS
        and not is_country(m.name)
        and not book.doubtful(m.name)
        and not book.word_not_place(m.name)
    ]


def passage_subject(earlier: list[PlaceMention], book: PlaceBook) -> str | None:
    """The one settlement the sentences before named, or None when they named none or several."""
    named: set[str] = set()
    for m in earlier:
        if m.name not in named and places([m], book):
            named.add(m.name)
            if len(named) > 1:
                return None
    return next(iter(named)) if named else None


def subject_of(
    mentions: list[PlaceMention], earlier: list[PlaceMention], book: PlaceBook
) -> str | None:
    """The passage's subject for a sentence naming ``mentions``: none when it names a place
    itself (the rules read that), else the one the sentences before named."""
    return None if places(mentions, book) else passage_subject(earlier, book)


def wants(tokens: frozenset[str]) -> bool:
    """Whether a sentence has a word of an objectless phrase (the cheap pre-filter)."""
    return not KEYS.isdisjoint(tokens)


def find_objectless(
    sentence: str,
    subject: Callable[[], str | None],
    tokens: frozenset[str],
    today: date | None = None,
    sides: SideTable = BUILTIN,
) -> list[Found]:
    """Claims of an armed subject's objectless control phrases on the passage's subject, which
    ``subject`` gives (the one settlement named so far; None when there is not exactly one).
    It is asked only once a phrase with an armed subject is found: most sentences have none."""
    if KEYS.isdisjoint(tokens):
        return []
    found: list[Found] = []
    for pattern, status in _PHRASES:
        for m in pattern.finditer(sentence):
            # "the soldiers were packing up and pulling out": the first verb's subject
            left = _FIRST_VERB.sub("", sentence[: m.start()])
            actor = subject_phrase(left, len(left), sides)
            if not is_armed(actor, sides, we=status == "lost") or actor in ("they", "it"):
                continue  # "the situation is under control", "prices left", "they left"
            if veto(sentence, m.start(), m.end(), today=today):
                continue
            found.append(Found("", status, actor, m.start()))
    place = subject() if found else None
    return [replace(f, place=place) for f in found] if place else []
