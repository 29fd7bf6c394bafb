"""Who the victims of a casualty figure are: a short normalised group, with a side if known.

"two crew members" -> "crew members", "Russian servicemen" stays, "12 of its soldiers" said by
the Russian ministry -> "Russian soldiers", "Ukraine had lost 400 soldiers" -> "Ukrainian
soldiers", "17 dead" -> "people". Family words keep their sense: "his wife" -> "women".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from briefwatch.extract.lexicon import words
from briefwatch.extract.sides import COUNTRIES, DEMONYMS, PEOPLE_WORDS, demonym

# singular or plural noun -> normalised plural group
GROUPS = {
    "people": "people", "person": "people", "persons": "people", "others": "people",
    "civilian": "civilians", "civilians": "civilians", "soldier": "soldiers",
    "soldiers": "soldiers", "serviceman": "servicemen", "servicemen": "servicemen",
    "service members": "service members", "service member": "service members",
    "troops": "troops", "crew members": "crew members", "crew member": "crew members",
    "crew": "crew members", "fighter": "fighters", "fighters": "fighters",
    "militant": "militants", "militants": "militants", "insurgent": "insurgents",
    "insurgents": "insurgents", "rebel": "rebels", "rebels": "rebels", "child": "children",
    "children": "children", "woman": "women", "women": "women", "man": "men", "men": "men",
    "minor": "minors", "minors": "minors",
    "girl": "girls", "girls": "girls", "boy": "boys", "boys": "boys", "baby": "babies",
    "babies": "babies", "resident": "residents", "residents": "residents",
    "citizen": "citizens",
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
    # family words: the group is what the word says about the person
    "wife": "women", "wives": "women", "husband": "men", "husbands": "men",
    "mother": "women", "mothers": "women", "father": "men", "fathers": "men",
    "son": "sons", "sons": "sons", "daughter": "daughters", "daughters": "daughters",
    "brother": "brothers", "brothers": "brothers", "sister": "sisters", "sisters": "sisters",
    "grandchildren": "grandchildren", "relatives": "relatives",
    # seen in real wire copy (issue 12)
    "staff": "staff members", "staff members": "staff members", "staff member": "staff members",
    "elderly people": "elderly people", "teacher": "teachers",
    "security officer": "security officers", "security officers": "security officers",
    "security personnel": "security personnel", "personnel": "personnel",
    "citizens": "citizens", "members": "members", "gang members": "gang members",
    "militia members": "militia members", "colleagues": "colleagues", "comrades": "comrades",
    "victims": "victims", "victim": "victims", "commander": "commanders",
    "commanders": "commanders",
    "child soldiers": "child soldiers", "cousin": "cousins", "neighbour": "neighbours",
    "neighbor": "neighbors", "friend": "friends", "seafarers": "seafarers",
    "paramedic": "paramedics", "paramedics": "paramedics", "photographer": "photographers",
    "cameraman": "cameramen", "youths": "youths", "mariners": "mariners",
    "forces": "forces", "family members": "family members", "folks": "people",
    "guard": "guards", "sailor": "sailors", "marine": "marines", "volunteer": "volunteers",
    "driver": "drivers", "drivers": "drivers", "farmer": "farmers", "contractors": "contractors",
    "engineers": "engineers", "engineer": "engineers",
    # security-force and militant copy (South Asia, the Sahel, Nigeria): the groups its tolls
    # name most (issue 12, studied on real wire copy)
    "terrorists": "terrorists", "terrorist": "terrorists", "bandits": "bandits",
    "bandit": "bandits", "assailants": "assailants", "extremists": "extremists",
    "separatists": "separatists", "combatants": "combatants", "guerrillas": "guerrillas",
    "militiamen": "militiamen", "paramilitaries": "paramilitaries", "herders": "herders",
    "herdsmen": "herdsmen", "fishermen": "fishermen", "bystanders": "bystanders",
    "pilgrims": "pilgrims", "mourners": "mourners", "shoppers": "shoppers",
    "worshipers": "worshipers", "inmates": "inmates", "detainees": "detainees",
    "recruits": "recruits", "conscripts": "conscripts", "troopers": "troopers",
    "employees": "employees", "labourers": "labourers",
    "laborers": "laborers", "traders": "traders", "hunters": "hunters", "locals": "locals",
    "tourists": "tourists", "pedestrians": "pedestrians", "infants": "infants",
    "teenagers": "teenagers", "adults": "adults", "officials": "officials",
    "vigilantes": "vigilantes", "captain": "captains", "captains": "captains",
    "army personnel": "army personnel", "jawans": "jawans",
    # "29,683 lives have been lost": lives are people ("saved 200 lives" has no outcome)
    "lives": "people",
    "pows": "POWs", "prisoners of war": "prisoners of war", "reservist": "reservists",
    "reservists": "reservists", "leader": "leaders", "leaders": "leaders", "couple": "couples",
    "shepherd": "shepherds", "shepherds": "shepherds",
    "non-combatants": "non-combatants", "noncombatants": "non-combatants",
}  # fmt: skip
# Nouns that carry the outcome themselves: "73 deaths", "23 bodies", "17 dead".
DEATH_NOUNS = (
    "deaths",
    "fatalities",
    "bodies",
    "dead",
    "corpses",
    "martyrs",
    "murders",
    "killings",
)
# Animals are no casualties: "14 dead cormorants", "more than 100 starlings were killed", "82 of
# the dolphins died" (wildlife and farm stories on ordinary news pages).
ANIMALS = words(
    """animals animal birds bird seabirds songbirds fowl poultry chickens hens ducks geese swans
    gulls crows ravens eagles vultures owls herons cormorants pelicans penguins pigeons starlings
    parrots flamingos fish mullet salmon trout sharks dolphins dolphin whales whale porpoises
    seals turtles tortoises frogs bees insects cattle cows sheep goats camels horses donkeys pigs
    livestock dogs cats deer wolves bears foxes lions tigers elephants rhinos giraffes monkeys
    apes chimpanzees gorillas bats rats mice rabbits koalas kangaroos cranes skuas storks
    wildlife"""
)
# Nouns that carry injury themselves: "113 injuries".
INJURY_NOUNS = ("injuries",)
# Demonyms used as plural nouns: "90 Azerbaijanis", "1.2 million Sudanese".
PEOPLE_NOUNS = sorted(
    {*(d + "s" for d in DEMONYMS.values() if not d.endswith(("ese", "i", "sh", "ch"))),
     *(d for d in DEMONYMS.values() if d.endswith("ese")),
     "Israelis", "Iraqis", "Yemenis", "Azerbaijanis", "Pakistanis", "Somalis", "Gazans",
     "Houthis", "Kurds", "Afghans", "Tigrayans", "Amharas", "Yazidis", "Alawites", "Druze",
     "Rohingya", "Uyghurs", "Hazaras", "Pashtuns", "Tuaregs", "Fulani", "Masalit"}
    - set(COUNTRIES),  # "Philippines" is a country, not its people
    key=len, reverse=True,
)  # fmt: skip


def alternation(literals: Iterable[str], fold: bool = False) -> str:
    """A regex alternation of literal words, longest first, grouped by first letter.

    The same matches as a flat "a|b|c" (two words with different first letters never match at
    one position), but the regex engine tries one letter's words instead of all of them at each
    position: these lists are tried after every figure, so this is the hot loop's cost.
    ``fold`` groups by lower-case letter, for use inside ``(?i:...)``.
    """
    by_first: dict[str, list[str]] = {}
    for w in sorted(set(literals), key=len, reverse=True):
        by_first.setdefault(w[0].lower() if fold else w[0], []).append(w)
    return "|".join(
        re.escape(first) + "(?:" + "|".join(re.escape(w[1:]) for w in ws) + ")"
        for first, ws in by_first.items()
    )


NOUN_ALT = alternation([*GROUPS, *DEATH_NOUNS, *INJURY_NOUNS], fold=True)
PEOPLE_ALT = alternation(PEOPLE_NOUNS)
# Group nouns alone (no death or injury nouns): a head noun that another one may follow
GROUP_ALT = alternation(GROUPS, fold=True)
_ACRONYM_MAX = 5  # "RSF fighters", "IDF soldiers": a short all-caps word names a side


def group(mods: str, noun: str, possessor_side: str | None) -> str:
    """Normalised group, with the side when a demonym or acronym modifies the noun.

    ``possessor_side`` is the side that owns the victims when the text says so elsewhere
    ("12 of its soldiers", "Ukraine had lost 400 soldiers").
    """
    low = noun.lower()
    name = "people" if low in DEATH_NOUNS or low in INJURY_NOUNS else GROUPS.get(low, noun)
    sides = [
        m
        for m in mods.split()
        if m.lower() in PEOPLE_WORDS or (m.isupper() and len(m) <= _ACRONYM_MAX)
    ]
    if sides:
        return f"{sides[0]} {name}"
    if possessor_side:
        return f"{demonym(possessor_side)} {name}"
    return name
