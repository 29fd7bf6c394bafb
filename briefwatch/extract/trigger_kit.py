"""The parts the trigger tables are made of: the row type, its constructor, shared patterns.

`triggers` (object-shaped rows and the index) and `subject_triggers` (subject-shaped rows) build
their rows from these.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from briefwatch.extract.lexicon import FORCE_NOUNS, quick_start, scanning, words

_CONTINUES = scanning(
    r"\s+(?:[\w’'-]+\s+){0,2}?(?:continues?|continued|continuing|"
    r"(?:is|are|were|was|remains?)\s+(?:still\s+)?(?:ongoing|under\s+way|underway|raging|going\s+on))\b"
)
# Words of war in the clause before a location-like trigger ("on the outskirts of").
WAR_WORDS = scanning(
    r"\b(?:forces|troops|soldiers|fighters|fighting|clashes|battles?|shelling|advanc\w*|army|"
    r"militants|rebels|insurgents|units|offensive|assault|attack\w*|push\w*|enemy|militia|"
    r"jihadists|gunmen|tanks|artillery)\b",
    re.I,
)
FORCES = scanning(
    r"\b(?:forces|troops|soldiers|fighters|defenders|army|units|enemy|military|brigades?|"
    r"general\s+staff|militants|rebels|insurgents|militia)\b",
    re.I,
)
_BATTLE_OVER = scanning(r"\s+(?:ended|is\s+over|was\s+won|was\s+lost)\b")


@dataclass(frozen=True)
class Trigger:
    """A control phrasing: regex, status, and where the place is relative to it."""

    name: str
    keys: frozenset[str]  # the sentence must contain one of these words (a cheap pre-filter)
    pattern: re.Pattern[str]
    status: str
    shape: str  # object | subject
    needs: Callable[[str, int], bool] | None = None  # extra check after the place (contested)
    armed_actor: bool = False  # only a claim when an armed group does it ("pushed X out of")
    # the clause before must speak of war ("troops ... on the outskirts of"), not of a location
    needs_before: re.Pattern[str] | None = None
    own_modal: bool = False  # its own words are modal ("threatening to encircle"): not a veto
    actorless: bool = False  # no one is named doing it ("clashes were reported outside X")
    # its words are common outside war ("held", "lost", "surrounded"): it claims only a place
    # known to be one (`PlaceBook.known`); subject-shaped rows always do
    weak: bool = False
    nominal: bool = False  # a noun ("the capture of X by Y"): the actor follows "by"/"to"
    # common outside war ("fans took over the town"): without an armed actor, a claim only in a
    # sentence that speaks of war
    war_words: bool = False
    # the place is the clause's antecedent, wherever it sits ("near Donetsk, which is ...",
    # "returning from Djibo, a town besieged ..."): a prepositional phrase does not hide it
    antecedent: bool = False
    # an apposition asserts on its own: the main clause's modal does not veto it ("whether to
    # leave X, a city close to being surrounded")
    apposition: bool = False


def row(
    name: str,
    keys: str,
    regex: str,
    status: str,
    shape: str = "object",
    needs: Callable[[str, int], bool] | None = None,
    armed_actor: bool = False,
    own_modal: bool = False,
    nominal: bool = False,
    needs_before: re.Pattern[str] | None = None,
    actorless: bool = False,
    weak: bool = False,
    war_words: bool = False,
    antecedent: bool = False,
    apposition: bool = False,
) -> Trigger:
    # (each candidate row's regex scans the whole sentence: `quick_start` lets the engine skip
    # the positions its phrasing cannot begin at)
    pattern = re.compile(quick_start(regex))
    return Trigger(
        name, words(keys), pattern, status, shape, needs, armed_actor, needs_before,
        own_modal, actorless, weak or shape == "subject", nominal, war_words,
        antecedent or apposition, apposition,
    )  # fmt: skip


def continues(sentence: str, pos: int) -> bool:
    return bool(_CONTINUES.match(sentence, pos))


_FREE = scanning(r"[\s,\"“”‘’']*(?:is\s+|was\s+|now\s+|stands\s+)*[\"“”‘’']*(?:free|liberated)\b")


def is_free(sentence: str, pos: int) -> bool:
    """ "declared Damascus free", "announced that the city 'is free'" """
    return bool(_FREE.match(sentence, pos))


_UNDER_CONTROL = scanning(r"\s+under\s+(?:(?:their|its|his|our|full|complete|total)\s+)*control\b")


def under_control(sentence: str, pos: int) -> bool:
    return bool(_UNDER_CONTROL.match(sentence, pos))


# A demand, not a withdrawal done: "an ultimatum to the army to withdraw its forces from X",
# "demanded that the militia pull out of X", "called for the withdrawal of troops from X"
_DEMANDED = scanning(
    r"\b(?:ultimatums?|demand(?:s|ed|ing)?|call(?:s|ed|ing)?\s+(?:on|for)|urg(?:es|ed|ing)|"
    r"press(?:es|ed|ing)\s+(?:for|on)|insist(?:s|ed|ing)|appeal(?:s|ed|ing)?|deadline)\b"
    r"[^.;:]{0,80}?\b(?:withdraw|pull)\w*\b[^.;:]*$",
    re.I,
)


def not_demanded(sentence: str, pos: int) -> bool:
    return not _DEMANDED.search(sentence, max(0, pos - 180), pos)


# "we are still sharing Malakal with the rebels": the place is split with an armed other side
_SHARED_WITH = scanning(
    r"\s+with\s+(?:the\s+)?(?:[\w’'-]+\s+){0,2}?(?:"
    + "|".join(sorted(FORCE_NOUNS))
    + r"|enemy|[A-Z][\w’'-]+)\b"
)


def shared_with_enemy(sentence: str, pos: int) -> bool:
    return bool(_SHARED_WITH.match(sentence, pos))


_MODAL_AFTER = scanning(r"[^,;.]{0,60}?\b(?:would|could|might|may|will|should|can)\b")


_SINCE_AFTER = scanning(r"[^,;.]{0,40}?\b(?:since|for\s+(?:years|decades|months|\d+|the\s+past))\b")


def not_since(sentence: str, pos: int) -> bool:
    """ "has controlled X since 2014" is a hold, not a capture"""
    return not _SINCE_AFTER.match(sentence, pos)


# "failed in their bid to seize X", "thwarted an attempt to capture X": no threat left
_FAILED_BEFORE = scanning(
    r"\b(?:failed|fails|failing|foiled|thwarted|unsuccessful|futile|abandoned|repelled|repulsed|"
    r"halted|stopped|beat\s+back|gave\s+up)\b[^.;,]*$"
)


def no_modal_after(sentence: str, pos: int) -> bool:
    """ "an offensive to retake X could begin": the modal after the place governs the attempt;
    a failed one threatens nothing"""
    if _MODAL_AFTER.match(sentence, pos):
        return False
    return not _FAILED_BEFORE.search(sentence, max(0, pos - 140), pos)


def battle_not_over(sentence: str, pos: int) -> bool:
    return not _BATTLE_OVER.match(sentence, pos)


POSS = (
    r"(?P<poss>our|their|his|its|[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?(?:['’]s)?|rebel|government|army|military|militia|"
    r"jihadist|separatist|insurgent|paramilitary|junta|enemy|opposition|regime|federal)"
)
# Who is pushed out: "Russian forces", "the militants", "Islamic State".
PUSHED = (
    r"(?:(?:the\s+)?(?:[\w’'-]+\s+){0,3}?(?:" + "|".join(sorted(FORCE_NOUNS)) + r"|[A-Z][\w’'-]*)"
    r"|them)"  # "defeated the rebel forces in Nassir and chased them out of the town"
)
DEFENCES = (
    r"(?:(?:all\s+)?(?:their|its|his|our|the)\s+)?(?:remaining\s+|last\s+|defensive\s+|"
    r"frontline\s+)?(?:positions?|bases?|posts?|trenches|defen[cs]es|strongholds?|garrisons?)"
)
