"""Casualty figures in one sentence: a number, who, what happened to them, and the scope.

A figure becomes a claim only when an outcome is tied to it: "two crew members were killed",
"killed at least 31 Palestinians", "the death toll rose to 45", "forced thousands to flee".
"17 opposition parties", "1,960 peacekeepers" and "15 kilometers" have no outcome and stay out.
Nested figures are claims of their own ("1,000 people killed including dozens of civilians").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefwatch.extract.filters import clause_bounds, veto
from briefwatch.extract.numbers import Quantity, find_quantities
from briefwatch.extract.sides import DEMONYMS, PEOPLE_WORDS, demonym

# singular or plural noun -> normalised plural group
_VICTIMS = {
    "people": "people", "person": "people", "persons": "people", "others": "people",
    "civilian": "civilians", "civilians": "civilians", "soldier": "soldiers",
    "soldiers": "soldiers", "serviceman": "servicemen", "servicemen": "servicemen",
    "service members": "service members", "service member": "service members",
    "troops": "troops", "crew members": "crew members", "crew member": "crew members",
    "crew": "crew members", "fighter": "fighters", "fighters": "fighters",
    "militant": "militants", "militants": "militants", "insurgent": "insurgents",
    "insurgents": "insurgents", "rebel": "rebels", "rebels": "rebels", "child": "children",
    "children": "children", "woman": "women", "women": "women", "man": "men", "men": "men",
    "girl": "girls", "girls": "girls", "boy": "boys", "boys": "boys", "baby": "babies",
    "babies": "babies", "resident": "residents", "residents": "residents",
    "villager": "villagers", "villagers": "villagers", "passenger": "passengers",
    "passengers": "passengers", "aid workers": "aid workers", "aid worker": "aid workers",
    "health workers": "health workers", "health worker": "health workers",
    "medical workers": "medical workers", "rescue workers": "rescue workers",
    "worker": "workers", "workers": "workers", "journalist": "journalists",
    "journalists": "journalists", "reporter": "reporters", "reporters": "reporters",
    "medic": "medics", "medics": "medics", "doctor": "doctors", "doctors": "doctors",
    "nurse": "nurses", "nurses": "nurses", "patient": "patients", "patients": "patients",
    "student": "students", "students": "students", "pupil": "pupils", "pupils": "pupils",
    "hostage": "hostages", "hostages": "hostages", "police officers": "police officers",
    "police officer": "police officers", "policemen": "policemen", "policeman": "policemen",
    "officer": "officers", "officers": "officers", "peacekeeper": "peacekeepers",
    "peacekeepers": "peacekeepers", "refugee": "refugees", "refugees": "refugees",
    "migrant": "migrants", "migrants": "migrants", "protester": "protesters",
    "protesters": "protesters", "demonstrators": "demonstrators", "worshippers": "worshippers",
    "family": "families", "families": "families", "paratroopers": "paratroopers",
    "marines": "marines", "sailors": "sailors", "pilot": "pilots", "pilots": "pilots",
    "border guards": "border guards", "guards": "guards", "gunmen": "gunmen",
    "attackers": "attackers", "jihadists": "jihadists", "mercenaries": "mercenaries",
    "volunteers": "volunteers", "settlers": "settlers", "farmers": "farmers",
    "miners": "miners", "teachers": "teachers", "gazans": "Gazans", "prisoners": "prisoners",
}  # fmt: skip
# Nouns that carry the outcome themselves: "73 deaths", "23 bodies", "17 dead".
_DEATH_NOUNS = ("deaths", "fatalities", "bodies", "dead")
_PEOPLE_NOUNS = sorted(
    {*(d + "s" for d in DEMONYMS.values() if not d.endswith(("ese", "i", "sh", "ch"))),
     "Israelis", "Iraqis", "Yemenis", "Azerbaijanis", "Pakistanis", "Somalis", "Gazans"},
    key=len, reverse=True,
)  # fmt: skip
_NOUN_ALT = "|".join(
    re.escape(n) for n in sorted([*_VICTIMS, *_DEATH_NOUNS], key=len, reverse=True)
)
_PEOPLE_ALT = "|".join(re.escape(n) for n in _PEOPLE_NOUNS)

# After a figure: "more", "of its", up to three modifiers, then the group noun.
VICTIM_AFTER = re.compile(
    r"\s+(?:more\s+|other\s+|further\s+|additional\s+)?(?:of\s+(?P<poss>its|their|his|our|the)\s+|of\s+)?"
    r"(?P<mods>(?:(?!(?:and|were|was|in|on|who|had|have|to|taken|held|been|being)\b)[\w’'-]+\s+){0,3}?)"
    rf"(?P<noun>(?i:{_NOUN_ALT})|{_PEOPLE_ALT})\b"
)
SINGULAR = re.compile(
    r"\b(?P<q>[Aa]n?|[Aa]nother|[Aa]\s+(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth))\s+"
    r"(?P<mods>(?:(?!(?:and|were|was)\b)[\w’'-]+\s+){0,2}?)"
    r"(?P<noun>person|civilian|soldier|serviceman|crew member|fighter|militant|child|woman|man|"
    r"girl|boy|baby|resident|villager|passenger|aid worker|journalist|medic|doctor|nurse|patient|"
    r"student|hostage|police officer|policeman|peacekeeper|refugee|migrant|pilot)\b"
)
_OUTCOME_WORDS = {
    "killed": "killed", "dead": "killed", "died": "killed", "perished": "killed",
    "lost their lives": "killed", "executed": "killed", "slain": "killed",
    "wounded": "injured", "injured": "injured", "hurt": "injured",
    "missing": "missing", "unaccounted for": "missing",
    "captured": "captured", "taken prisoner": "captured", "taken captive": "captured",
    "taken hostage": "captured", "abducted": "captured", "kidnapped": "captured",
    "surrendered": "captured",
    "displaced": "displaced", "forced to flee": "displaced", "fled": "displaced",
    "forced from their homes": "displaced", "made homeless": "displaced",
    "forced out of their homes": "displaced", "uprooted": "displaced",
}  # fmt: skip
_OUT_ALT = "|".join(re.escape(w) for w in sorted(_OUTCOME_WORDS, key=len, reverse=True))
_AUX = (
    r"have|has|had|were|was|are|is|been|being|be|reportedly|reported|now|also|later|all|"
    r"initially|confirmed|believed|feared|thought|said|to|remain|remained|remains|still|already|"
    r"allegedly|seriously|critically|lightly|badly|more|may|might|could|so\s+far"
)
OUTCOME_AFTER = re.compile(
    r"\s*(?:,\s*(?:including|among\s+them)\s[^,]{1,60},\s*)?"
    rf"(?:(?:{_AUX})\s+)*(?P<out>{_OUT_ALT})\b"
)
# Verb before the figure: "killed at least 31", "forced thousands (to flee)".
_BEFORE_VERBS = {
    "killed": "killed", "killing": "killed", "kill": "killed", "kills": "killed",
    "neutralised": "killed", "neutralized": "killed", "lost": "killed",
    "wounded": "injured", "wounding": "injured", "injured": "injured", "injuring": "injured",
    "displaced": "displaced", "displacing": "displaced", "displace": "displaced",
    "abducted": "captured", "abducting": "captured", "kidnapped": "captured",
    "captured": "captured", "capturing": "captured", "forced": "displaced",
    "taken": "captured", "took": "captured",
}  # fmt: skip
OUTCOME_BEFORE = re.compile(
    r"\b(?P<out>" + "|".join(sorted(_BEFORE_VERBS, key=len, reverse=True)) + r")[\"”]?\s+"
    r"(?:(?:another|a\s+further|an\s+additional)\s+)?$"
)
# "forced" and "taken" need their second half after the group: "to flee", "prisoner".
_NEEDS_AFTER = {
    "forced": re.compile(r"\s*(?:to\s+flee|from\s+their\s+homes|out)\b"),
    "taken": re.compile(r"\s*(?:prisoners?|captive|hostage)\b"),
    "took": re.compile(r"\s*(?:prisoners?|captive|hostage)\b"),
}
# A figure with no group after it must end there: "killing at least 12 and wounding 30", not
# "captured more than 20 settlements".
_BARE_END = re.compile(
    r"\s*(?:[,.;:)]|$|(?:and|in|on|at|when|while|during|across|near|after|before|including|"
    r"more|others|to|from)\b)"
)
TOLL = re.compile(
    r"\b(?:death\s+toll|toll|number\s+of\s+(?:dead|deaths|people\s+killed|fatalities))\b"
    r"(?P<mid>[^.;]{0,60}?)\b(?:rose|risen|rises|climbed|reached|stood|stands|to|at|of|hit)\s+$"
)
INCLUDING = re.compile(r"\b(?:including|among\s+them|among\s+whom|of\s+whom)\s+$")
COORDINATED = re.compile(r"(?:\band|,)\s+$")
CUMULATIVE = re.compile(
    r"\bsince\b|\bso\s+far\b|\bto\s+date\b|\bin\s+total\b|\boverall\b|\btotal\s+of\b"
    r"|\b(?:over|in|during)\s+the\s+(?:past|last)\b|\bin\s+recent\s+(?:days|weeks|months)\b"
    r"|\b(?:days|weeks|months|years)\s+of\b|\b(?:first|second|third)\s+(?:week|month|year)\s+of\b"
    r"|\b(?:during|in)\s+the\s+(?:war|conflict|invasion|incursion|campaign)\b"
    r"|\bthe\s+(?:recent\s+)?(?:fighting|war|conflict|clashes|violence|offensive|invasion)\s+(?:has|have)\b"
    r"|\bremains?\s+missing\b",
    re.I,
)
PERFECT = re.compile(
    r"\b(?:have|has)\s+(?:been\s+)?(?:\w+ly\s+)?(?:killed|died|displaced|fled|forced|captured|"
    r"surrendered|wounded|injured|abducted|kidnapped)\b"
)
SINGLE_EVENT = re.compile(
    r"\b(?:from|in|of)\s+(?:the\s+|a\s+|an\s+|[\w’']+['’]s\s+)?(?:\w+\s+)?(?:attack|strike|blast|"
    r"explosion|ambush|bombing|crash|raid|massacre)\b|\bwhen\b"
)


@dataclass(frozen=True)
class Found:
    """A casualty figure before attribution: what, how many, who, and where in the sentence."""

    outcome: str
    quantity: Quantity
    victims: str
    scope: str
    anchor: int  # character offset of the outcome, for choosing the speaker


def _victims(mods: str, noun: str, possessor_side: str | None) -> str:
    """Normalised group, with the side when a demonym or acronym modifies the noun."""
    group = _VICTIMS.get(noun.lower(), noun)
    if noun.lower() in _DEATH_NOUNS:
        group = "people"
    sides = [m for m in mods.split() if m.lower() in PEOPLE_WORDS or (m.isupper() and len(m) <= 5)]
    if sides:
        return f"{sides[0]} {group}"
    if possessor_side:
        return f"{demonym(possessor_side)} {group}"
    return group


def _scope(sentence: str, start: int, end: int, toll: bool) -> str:
    left, right = clause_bounds(sentence, start, end)
    first_clause = sentence[: clause_bounds(sentence, 0, 0)[1]]
    context = sentence[left:right] + " " + first_clause
    if toll:
        if re.search(r"\bsince\b|\bso\s+far\b", sentence):
            return "cumulative"
        return "incident" if SINGLE_EVENT.search(sentence) else "cumulative"
    if CUMULATIVE.search(context):
        return "cumulative"
    if PERFECT.search(sentence[left:right]) and not SINGLE_EVENT.search(sentence):
        return "cumulative"
    return "incident"


def find_casualties(
    sentence: str, claimant_side: str | None = None
) -> tuple[list[Found], list[tuple[str, str]]]:
    """Casualty figures in a sentence, and (trigger, reason) for the candidates vetoed."""
    quantities = find_quantities(sentence)
    for m in SINGULAR.finditer(sentence):
        if not any(q.start <= m.start() < q.end for q in quantities):
            quantities.append(Quantity(1, 1, "exact", m.start(), m.end("q"), m["q"]))
    quantities.sort(key=lambda q: q.start)

    found: list[Found] = []
    rejected: list[tuple[str, str]] = []
    for q in quantities:
        if q.low == 0 and q.high == 0:
            continue
        rest = sentence[q.end :]
        victim = VICTIM_AFTER.match(rest) if not rest.startswith(("-", "th")) else None
        noun_end = q.end + (victim.end() if victim else 0)
        outcome: str | None = None
        anchor = q.start
        toll = False
        before = sentence[: q.start]
        if victim and victim["noun"].lower() in _DEATH_NOUNS:
            outcome = "killed"
        after = OUTCOME_AFTER.match(sentence, noun_end)
        if outcome is None and after:
            outcome, anchor = _OUTCOME_WORDS[after["out"].lower()], after.start("out")
        verb = OUTCOME_BEFORE.search(before)
        if outcome is None and verb and (victim or _BARE_END.match(sentence, q.end)):
            need = _NEEDS_AFTER.get(verb["out"].lower())
            if need is None or need.match(sentence, noun_end):
                outcome, anchor = _BEFORE_VERBS[verb["out"].lower()], verb.start("out")
        if outcome is None and TOLL.search(before):
            outcome, toll, anchor = "killed", True, q.start
        parent = found[-1] if found else None
        nested = bool(INCLUDING.search(before))
        if outcome is None and nested and parent:
            outcome, anchor = parent.outcome, parent.anchor
        if outcome is None:
            continue
        if victim:
            possessor = claimant_side if victim["poss"] == "its" else None
            victims = _victims(victim["mods"], victim["noun"], possessor)
        elif parent and COORDINATED.search(before[-12:]) and not toll:
            victims = parent.victims
        else:
            victims = "people"
        span = (min(q.start, anchor), max(noun_end, anchor + 1))
        reason = veto(sentence, *span, kind="casualty")
        if nested and parent:
            reason = None  # a nested figure stands or falls with its parent, already checked
        if reason:
            rejected.append((sentence[span[0] : span[1]], reason))
            continue
        scope = parent.scope if nested and parent else _scope(sentence, *span, toll)
        found.append(Found(outcome, q, victims, scope, anchor))
    return found, rejected
