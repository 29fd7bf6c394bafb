"""Each casualty figure of a sentence read on its own: the group after it and the outcome
words around it ("two crew members were killed", "killed at least 31 Palestinians", "the death
toll rose to 45", "forced thousands to flee"), then the two readings that look at a figure's
neighbours: a part of a counted group ("two of the 11 soldiers") and the members of one subject
("a woman and her two children were killed"), which share the outcome of the last.

`casualties.find_casualties` judges the readings: which become claims, nested in which, vetoed
or not, of what scope and which victims.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from briefwatch.extract.lexicon import scanning, sentence_words, words
from briefwatch.extract.numbers import Quantity
from briefwatch.extract.sides import BUILTIN, SideTable
from briefwatch.extract.victims import (
    ANIMALS,
    DEATH_NOUNS,
    GROUP_ALT,
    INJURY_NOUNS,
    NOUN_ALT,
    PEOPLE_ALT,
    alternation,
)

# After a figure: "more", "of its", up to three modifiers, then the group noun.
VICTIM_AFTER = re.compile(
    r"\s+(?:more\s+|(?P<other>other)\s+|further\s+|additional\s+)?"
    r"(?:of\s+(?P<poss>its|their|his|our|the)\s+|of\s+)?"
    # "53 pro-government and Houthi rebel fighters", "six U.S. soldiers"
    r"(?P<mods>(?:(?!(?:and\s+(?=\d|(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"dozens|hundreds|several)\b)|were|was|are|is|be|has|in|on|who|had|have|to|taken|held|been|"
    # (a word ending in a full stop ends the sentence unless it is initials: "U.S.")
    r"being|that|which|whom|for|with|from|at|by|near|into|after|before|when|while|during|including|"
    r"since|as|because|until)\b|\d[\d,.]*\s)"
    r"(?:(?:[A-Za-z]\.){2,}|[\w’'-]+(?:\.[\w’'-]+)*)\s+){0,4}?)"
    # ("women and children" is one group; "20 miners and injuries to seven" is not)
    rf"(?P<noun>(?:(?i:{NOUN_ALT})|{PEOPLE_ALT})(?:\s+and\s+(?i:{GROUP_ALT}))?)\b(?!['’]s\b)"
    # "four civilian volunteer troops": the head noun is the last one
    rf"(?!\s+(?i:{GROUP_ALT})\b)"
)

# One person: "a third crew member", "another soldier", and family after "and": "and his wife".
SINGULAR = scanning(
    # (every branch starts with one of these letters: most positions fail here at once)
    r"(?=[AaMmOoHhTt])(?:"
    r"\b(?P<q>[Aa]n?|[Aa]nother|[Aa]\s+(?:first|second|third|fourth|fifth|sixth|seventh|eighth|"
    r"ninth|tenth))\s+"
    r"(?P<mods>(?:(?!(?:and|were|was)\b)[\w’'-]+\s+){0,3}?)"
    r"(?P<noun>person|civilian|soldier|serviceman|crew member|fighter|militant|child|woman|man|"
    r"girl|boy|baby|resident|villager|passenger|aid worker|journalist|medic|doctor|nurse|patient|"
    r"student|hostage|police officer|policeman|peacekeeper|refugee|migrant|pilot|teacher|officer|"
    r"citizen|paramedic|photographer|reporter|cameraman|victim|reservist|leader|"
    r"commander|captain|worker|farmer|driver|guard|sailor|marine|volunteer|mother|father|son|daughter|"
    r"brother|sister|wife|husband)\b"
    r"|(?<=\band\s)(?P<kin>his|her|their)\s+(?P<kin_noun>wife|husband|son|daughter|mother|father|"
    r"brother|sister)\b"
    # "My neighbour's child was killed": one person, named by who they are to the speaker
    r"|\b(?P<own>[Mm]y|[Oo]ur|[Hh]is|[Hh]er|[Tt]heir)\s+(?:[\w’'-]+['’]s\s+)?(?:[\w’'-]+\s+){0,3}?"
    r"(?P<own_noun>child|son|daughter|brother|sister|mother|father|wife|husband|cousin|"
    r"neighbour|neighbor|friend|colleague|uncle|aunt|nephew|niece)\b"
    # "a Lieutenant Colonel and a Captain were killed": one officer by rank (capitalised, so
    # not "a major attack")
    r"|\b(?P<rank>[Aa]n?\s+(?:Lieutenant\s+Colonel|Lieutenant|Colonel|Major|Captain|Sergeant|"
    r"Brigadier|Corporal|Naib\s+Subedar|Subedar|Havildar|Sepoy|Lance\s+Naik))\b(?!\s+[A-Z])"
    # "a 13-year-old": one person by their age
    r"|\b(?P<age>[Aa]n?\s+\d{1,2}-year-old)\b"
    # "detained 240 others, including the director of the hospital": one person by their post
    r"|(?<=\bincluding\s)(?P<the>the\s+(?:[\w-]+\s+){0,2}?(?:director|head|chief|mayor|governor|"
    r"commander|leader|manager|principal|imam|editor|deputy|chairman|president)\s+of\s+"
    r"(?:the\s+)?[\w’'-]+(?:\s+(?!(?:and|or|who|which|were|was|in|on|at)\b)[a-z][\w’'-]*)?)"
    # "wounding a flight attendant": one person the lexicon lacks, right after an outcome verb
    r"|\b(?P<one>an?)\s+(?:[\w-]+\s+){0,2}?[a-z]+(?:ant|ent|er|or|ist|man|woman|ian|ee)\b"
    # "wounded a third": one more of the group just named
    r"|(?<=\s)(?P<ord>a\s+(?:second|third|fourth|fifth|sixth))\b(?=\s*(?:[,.;]|$|and\b|in\b|on\b))"
    # "one person was killed and another wounded": one more, its outcome right after it
    r"|(?<=\band\s)(?P<more>another)(?=\s+(?:was\s+|were\s+)?(?:wounded|injured|killed|hurt|"
    r"missing|died)\b)"
    # "killed one civilian and injured another": one more, its outcome right before it
    r"|(?:(?<=\binjured\s)|(?<=\bwounded\s)|(?<=\bkilled\s)|(?<=\binjuring\s)|(?<=\bwounding\s))"
    r"(?P<after>another)(?=\s*(?:[,.;]|$)))"
)

_ONE_AFTER = re.compile(
    r"\b(?:killing|wounding|injuring|abducting|kidnapping|(?:death|killing|murder)\s+of|left|leaving)"
    r"\s+$"
)

# Words without one of which SINGULAR cannot match (its nouns, and the ordinals).
_SINGULAR_WORDS = words(
    """killing wounding injuring abducting kidnapping paramedic photographer reporter cameraman
    person civilian soldier serviceman member fighter
    militant child woman man girl boy baby
    resident villager passenger worker journalist medic doctor nurse patient student hostage
    officer policeman peacekeeper refugee migrant pilot teacher commander farmer driver guard
    sailor marine volunteer mother father son daughter brother sister wife husband cousin
    neighbour neighbor friend colleague uncle aunt nephew niece second third fourth fifth sixth
    another citizen victim reservist leader couple lieutenant colonel major captain sergeant
    brigadier corporal
    subedar
    havildar
    sepoy naik including"""
)

OUTCOME_WORDS = {
    "killed": "killed", "dead": "killed", "died": "killed", "perished": "killed",
    "lost their lives": "killed", "executed": "killed", "slain": "killed",
    "wounded": "injured", "injured": "injured", "hurt": "injured",
    "missing": "missing", "unaccounted for": "missing",
    "captured": "captured", "taken prisoner": "captured", "taken captive": "captured",
    "taken hostage": "captured", "abducted": "captured", "kidnapped": "captured",
    "surrendered": "captured", "detained": "captured",
    "gone missing": "missing", "went missing": "missing", "lost at sea": "missing",
    "displaced": "displaced", "forced to flee": "displaced", "fled": "displaced",
    "forced from their homes": "displaced", "made homeless": "displaced",
    "forced out of their homes": "displaced", "uprooted": "displaced",
    # seen in real wire copy (issue 12)
    "lost their life": "killed", "been lost": "killed", "fallen": "killed",
    "lost his life": "killed", "lost her life": "killed", "lost his or her life": "killed",
    "feared dead": "killed", "feared killed": "killed", "presumed dead": "killed",
    "believed dead": "killed", "believed killed": "killed", "confirmed dead": "killed",
    "laid down their arms": "captured", "laid down its arms": "captured",
    "lying dead": "killed", "lay dead": "killed", "found dead": "killed", "shot dead": "killed",
    "found shot dead": "killed",
    "burned": "injured", "burnt": "injured", "maimed": "injured",
    "had to flee": "displaced", "flee their homes": "displaced", "fled their homes": "displaced",
    # seen on a blind real set
    "murdered": "killed", "massacred": "killed", "slaughtered": "killed", "beheaded": "killed",
    "sustained injuries": "injured", "sustained gunshot injuries": "injured",
    "sustained gunshot wounds": "injured", "suffered injuries": "injured",
    "suffered gunshot wounds": "injured", "sustained wounds": "injured",
    "receiving treatment": "injured", "being treated": "injured",
    "sought refuge": "displaced", "forced to leave their homes": "displaced",
    "forced to leave": "displaced",
    # security-force statements (South Asia, the Sahel, Nigeria), studied on real wire copy
    "martyred": "killed", "embraced martyrdom": "killed", "embraced shahadat": "killed",
    "laid down their lives": "killed", "laid down his life": "killed",
    "made the supreme sacrifice": "killed", "gunned down": "killed", "lynched": "killed",
    "crushed to death": "killed", "burned to death": "killed", "burnt to death": "killed",
    "beaten to death": "killed", "stabbed to death": "killed", "hacked to death": "killed",
    "shot to death": "killed", "bludgeoned to death": "killed", "killed in action": "killed",
    # (these three only after a group noun: "40 terrorists were neutralised"; see _NEEDS_GROUP)
    "neutralised": "killed", "neutralized": "killed", "eliminated": "killed",
    "seized": "captured", "taken away": "captured", "whisked away": "captured",
    "succumbed": "killed", "breathed their last": "killed", "breathed his last": "killed",
}  # fmt: skip

# Outcomes that are people's only after a group noun: "3 were eliminated" may be a sport's, "17
# soldiers have fallen" is a toll and "40 terrorists were neutralised" a kill.
_NEEDS_GROUP = frozenset(
    {"fallen", "neutralised", "neutralized", "eliminated", "seized", "succumbed"}
)

_OUT_ALT = alternation(OUTCOME_WORDS)

_AUX = (
    r"have|has|had|were|was|are|is|been|being|be|reportedly|reported|now|also|later|all|"
    r"initially|confirmed|believed|feared|thought|said|to|remain|remained|remains|still|already|"
    r"allegedly|seriously|critically|lightly|badly|severely|more|may|might|could|so\s+far|"
    r"there|here|currently|"
    r"among\s+(?:those|the)"
)

OUTCOME_AFTER = re.compile(
    # a subset ("406 people, including junta troops, militia members ..., surrendered"), a
    # prepositional phrase ("204 residents of the industrial city have been killed"), or a
    # relative clause ("two civilians who were part of a vigilante group were injured", "17
    # children who were injured") may stand between the group and its outcome
    r"(?:,\s*(?:including|among\s+them)\s[^;.\d\"“”]{1,120}?,(?=\s+(?:(?:have|has|had|were|was|are|is)"
    rf"\s|{_OUT_ALT})\b)"
    r"|\s+(?:including|among\s+them)\s+(?:an?\s+|the\s+)?[\w’'-]+(?:\s+[\w’'-]+)?"
    r"(?=\s+(?:are|were|was|is|have|has|had)\s)"
    # (no figure inside: "three residents of X maintained that 52 people were seized")
    r"|\s+(?:of|from|in|at|on)\s+(?:the\s+)?(?:(?!\d)[\w’'-]+\s+){0,5}?"
    r"(?=(?:have|has|had|were|was|are)\s|(?:died|dead|succumbed)\b)"
    # "400 fighters holed up in the plant have laid down their arms", "two civilians working
    # for the US Army Corps of Engineers were killed"
    r"|\s+[a-z]+(?:ed|ing)(?:\s+up)?\s+(?:in|at|inside|near|for|with|on|from|by|as|to)\s+(?:the\s+)?"
    r"(?:[\w’'.-]+\s+){0,8}?(?=(?:have|has|had|were|was|are)\s)"
    r"|\s+(?:who|that)\s+(?:were|was|are|is|had|have)\s+(?:[\w’'-]+\s+){1,12}?"
    r"(?=(?:were|was|have|had)\s)"
    r"|\s+(?:who|that)(?=\s+(?:were|was|had|have|are)\s)"
    # "Hundreds of soldiers who held off Russian fighters at the steelworks have surrendered"
    r"|\s+who\s+[a-z]+\s+(?:[\w’'.-]+\s+){1,12}?(?=(?:have|has|had|were|was)\s)"
    # "all five people — two officers and three crew members — on board the helicopter had died"
    r"|\s*[—–]\s*[^—–;.]{1,80}?\s*[—–]\s*(?:[\w’'-]+\s+){0,5}?(?=(?:have|has|had|were|was|are)\s)"
    # "38 people, mostly soldiers, died"
    r"|,\s*(?:mostly|mainly|many|most|all|some|among\s+them|nearly\s+all)\s[^,;.]{1,40},"
    # "three others (two of them elderly) were kidnapped"
    r"|\s*\([^()]{1,80}\)(?=\s+(?:have|has|had|were|was|are)\s)"
    # "Hundreds of security forces, tribal fighters, and civilians have been killed", "At least
    # 50 Houthi rebels and Yemeni pro-government troops have been killed" (a demonym may modify
    # the last group; no figure of its own)
    r"|(?P<list>(?:,\s*(?:[a-z’'-]+\s+){0,2}[a-z’'-]{3,}){0,3},?\s+and\s+(?:(?!\d)[\w’'-]+\s+){0,2}"
    r"[a-z’'-]{3,})(?=\s+(?:have|has|had|were|was|are)\s))?"
    rf"[\s\"“”‘’']*(?:(?:{_AUX})[\s\"“”‘’']+)*(?P<out>{_OUT_ALT})\b"
)

# Verb before the figure: "killed at least 31", "forced thousands (to flee)".
BEFORE_VERBS = {
    "killed": "killed", "killing": "killed", "kill": "killed", "kills": "killed",
    "neutralised": "killed", "neutralized": "killed", "lost": "killed",
    "wounded": "injured", "wounding": "injured", "injured": "injured", "injuring": "injured",
    "displaced": "displaced", "displacing": "displaced", "displace": "displaced",
    "abducted": "captured", "abducting": "captured", "kidnapped": "captured",
    "captured": "captured", "capturing": "captured", "forced": "displaced",
    "taken": "captured", "took": "captured", "taking": "captured", "detained": "captured",
    "detaining": "captured", "left": "left", "leaving": "left",
    # nominals: "reported the killing of 15 militants", "the capture of at least 100 troops"
    "uprooting": "displaced",
    "claimed": "killed", "claiming": "killed", "cost": "killed", "costing": "killed",
    "loss of": "killed",  # "resulted in the loss of at least 23 lives"
    "uprooted": "displaced", "bodies of": "killed",
    "beheaded": "killed", "beheading": "killed", "massacred": "killed", "slaughtered": "killed",
    "murdered": "killed", "executed": "killed", "executing": "killed", "shot dead": "killed",
    "killing of": "killed", "killings of": "killed", "deaths of": "killed", "death of": "killed",
    "murder of": "killed", "massacre of": "killed", "capture of": "captured",
    "abduction of": "captured", "kidnapping of": "captured", "detention of": "captured",
    "claimed the lives of": "killed", "took the lives of": "killed", "cost the lives of": "killed",
    # security-force statements and wire copy (issue 12, real copy): "gunned down five more
    # militants", "kidnapping 18 people", "resulting in the martyrdom of eight soldiers"
    "gunned down": "killed", "gunning down": "killed", "eliminated": "killed",
    "eliminating": "killed", "neutralising": "killed", "neutralizing": "killed",
    "kidnapping": "captured", "kidnap": "captured",
    "abduct": "captured", "kidnaps": "captured", "abducts": "captured",
    "took away": "captured", "taking away": "captured",
    "martyrdom of": "killed", "neutralisation of": "killed", "neutralization of": "killed",
    "elimination of": "killed", "injuries to": "injured", "injury to": "injured",
    "injuring of": "injured", "wounding of": "injured",
}  # fmt: skip

# (searched over the whole text before a figure: `scanning` puts first a look-ahead for the
# letters a verb can begin with, so that a position whose letter starts none fails at once)
OUTCOME_BEFORE = scanning(
    r"\b(?P<out>"
    + alternation(BEFORE_VERBS).replace("\\ ", r"\s+")
    + r")[\"”]?\s+(?:(?:another|a\s+further|an\s+additional|all|all\s+the|only|just"
    # "killed the entire crew of five"
    r"|the\s+(?:entire\s+|whole\s+)?(?:crew|squad|patrol)\s+of)\s+)?$"
)

# "forced" and "taken" need their second half after the group: "to flee", "prisoner".
_OF_THOSE = re.compile(
    r"\s+of\s+(?:those|the|them)\s+(?P<out>killed|dead|wounded|injured)"
    r"(?:\s+(?:were|are|was)\s+(?:(?:mostly|all)\s+)?(?P<who>[a-z]+))?"
)

_LIVES = re.compile(
    r"\s+(?:of\s+)?(?:(?:human|civilian|military|innocent)\s+(?:and\s+(?:civilian|military)\s+)?)?lives\b"
)

_TAKEN = re.compile(r"\s*(?:prisoners?|captive|hostages?)\b")

_NEEDS_AFTER = {
    "forced": re.compile(r"\s*(?:to\s+flee|from\s+their\s+homes|out)\b"),
    "taken": _TAKEN,
    "took": _TAKEN,
    "taking": _TAKEN,
    # "left at least 10 men dead", "left 30 wounded": the outcome is the word after the group
    "left": re.compile(r"\s*(?P<left>dead|wounded|injured|missing|homeless)\b"),
    # "has claimed more than 15,550 lives", "cost tens of thousands of lives"
    "claimed": _LIVES,
    "claiming": _LIVES,
    "loss of": _LIVES,
    "cost": _LIVES,
    "costing": _LIVES,
    # "leaving 10 persons from one family killed": a phrase may stand before the outcome
    "leaving": re.compile(
        r"(?:\s+(?:from|of|in)\s+[^,;.\d]{1,40}?)?\s*(?P<left>dead|wounded|injured|missing|homeless|"
        r"killed)\b"
    ),
}

_LEFT = {"dead": "killed", "wounded": "injured", "injured": "injured", "missing": "missing",
         "homeless": "displaced", "killed": "killed"}  # fmt: skip

# Outcome words written before the group: "2,880 injured people", "15 dead soldiers".
_ADJECTIVE_OUTCOME = {"dead": "killed", "injured": "injured", "wounded": "injured",
                      "missing": "missing", "displaced": "displaced"}  # fmt: skip

# A plural noun the lexicon lacks, when an outcome follows it at once: "Ten Houthis were killed".
GENERIC_VICTIM = re.compile(
    r"\s+(?P<mods>(?:[\w’'-]+\s+){0,2}?)(?P<noun>[A-Za-z][a-z]{2,}s|[A-Z][\w-]+\s+[A-Z][\w-]+)\b"
)

_NOT_VICTIMS = (
    words(
        """years months weeks days hours minutes seconds times kilometres kilometers miles metres
    meters percent points votes seats dollars euros pounds homes houses buildings vehicles tanks
    drones missiles rockets shells bombs trucks cars ships boats planes aircraft helicopters
    horses cattle cows sheep goats camels dogs birds fish animals hectares acres tonnes tons
    apps products services brands stores shops companies projects accounts websites sites
    families households villages towns cities settlements localities hamlets positions attacks
    strikes raids incidents
    cases doses tests flights
    members"""
    )
    | ANIMALS
)

# Who lost them: "Ukraine had lost up to 400 soldiers" -> the soldiers are Ukrainian.
_LOSER = re.compile(r"(?P<who>[A-Z][\w’'.-]*)\s+(?:(?:had|has|have|reportedly|already)\s+)*$")

# ... or a configured side's word, which may be lowercase: "the paramilitaries had lost 40".
_LOSER_WORD = re.compile(r"(?P<who>[\w’'.-]+)\s+(?:(?:had|has|have|reportedly|already)\s+)*$")

# A figure with no group after it must end there: "killing at least 12 and wounding 30", not
# "captured more than 20 settlements".
_BARE_END = re.compile(
    r"\s*(?:[,.;:)]|$|(?:and|in|on|at|when|while|during|across|near|after|before|including|"
    r"more|others|to|from|of\s+them|of\s+those)\b)"
)

_MORE_OF = re.compile(r"\s+(?:more|other|further|additional|new)\s+(?P<words>[a-z]+(?:\s+[a-z]+)?)")

# A tally named before its figure: "the death toll rose to 45", "put the toll at 200", "the
# number of people displaced ... at more than 200,000".
TALLY = re.compile(
    r"(?=[dtn])\b(?:(?:death\s+)?toll(?:\s+(?:among|of)\s+(?P<among>(?:the\s+)?(?:[A-Z][\w-]+\s+)?[a-z]+(?:\s+[a-z]+)?))?"
    r"|number\s+(?:of\s+)?(?:(?P<who>[A-Za-z]+)\s+)?(?:(?:reported|confirmed|believed)\s+)?"
    r"(?P<out>dead|deaths|killed|"
    r"fatalities|displaced|wounded|injured|missing|kidnapped|abducted|captured|detained))\b"
    r"(?P<mid>[^;]{0,100}?)(?:\b(?:(?P<past>passed|exceeded|exceeds|topped|surpassed|crossed)|rose|"
    r"risen|rises|climbed|climbs|reached|reaches|stood|stands|jumped|jumps|surged|soared|"
    r"increased|grew|grown|hit|is|was|to|at|of)\s+(?:(?:likely|probably|now|already|reportedly|only|"
    r"just)\s+)?"
    r"|\s*[—–:]\s*|\s+-\s+)$"
)

# A toll named after its figure: "bringing to at least 50 the death toll from attacks"
_BRINGING_TO = re.compile(r"\b(?:bringing|brought|raising|raised|taking|pushing|lifting)\s+to\s+$")

_TO_THE_TOLL = re.compile(
    r"\s+the\s+(?:overall\s+|total\s+)?(?:death\s+toll|toll|number\s+of\s+(?:people\s+)?"
    r"(?:dead|killed|deaths|fatalities))\b"
)

# Deaths as a tally: "fatalities from the raids reached 13", "deaths rose to 40"
_DEATHS_ROSE = re.compile(
    r"(?=[fdbFDB])\b(?i:fatalities|deaths|death\s+count|body\s+count)\b[^;.,]{0,90}?\b(?:rose|risen|"
    r"climbed|reached|stood|stands|jumped|increased|hit|topped|passed|exceeded)\s+(?:to\s+)?"
    r"(?:(?:about|around|nearly|almost|at\s+least|more\s+than|over|some)\s+)?$"
)

TALLY_OUTCOME = {"dead": "killed", "deaths": "killed", "fatalities": "killed",
                  "wounded": "injured", "kidnapped": "captured", "abducted": "captured",
                  "detained": "captured"}  # fmt: skip

# An age, not a count: "children aged 12", ", aged 9 and 11,", "between the ages of 4 and 10",
# "at the age of 9", "the wounded were under 16". Blanked out before figures are
# read, so that "Three children aged 12 were killed" reads as "Three children ... were killed".
_AN_AGE = (
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    r"ninety)(?:-\w+)?\b"
)

_AGE_PHRASE = re.compile(
    r",?\s*\b(?:aged|ages?\s+of|between\s+the\s+ages\s+of|at\s+the\s+age\s+of)\s+(?:between\s+|from\s+)?"
    rf"{_AN_AGE}(?:\s*(?:,|and|to|or|-|–)\s*{_AN_AGE})*(?:\s+(?:years?|months?)(?:\s+old)?)?,?"
    r"|(?:(?<=\bwere\s)|(?<=\bwas\s)|(?<=\bare\s)|(?<=\ball\s))(?:under|over|below|above)\s+\d+\b(?=\s*(?:[.,;]|$|years))"
)

_AGE_WORDS = words("aged ages age under over below above")


def without_ages(sentence: str, tokens: frozenset[str]) -> str:
    """The sentence with its ages blanked (same length, so offsets stay the sentence's)."""
    if _AGE_WORDS.isdisjoint(tokens):
        return sentence
    return _AGE_PHRASE.sub(lambda m: " " * len(m.group()), sentence)


# Before a figure that is a part of the one before: "1,000 people killed, including dozens of
# civilians"
INCLUDING = re.compile(r"\b(?:including|among\s+them|among\s+whom|of\s+whom)\s+$")

# Members of one subject: "A woman and her two children", "16 students, a teacher, and a
# security officer", "a man and his wife".
CONJUNCT = re.compile(
    r"\s*,\s*(?:and\s+)?(?:(?:his|her|their)\s+)?|\s+and\s+(?:(?:his|her|their)\s+)?"
)


@dataclass
class Reading:
    """One figure read on its own, before coordination and nesting."""

    q: Quantity
    victim: re.Match[str] | None
    noun_end: int
    outcome: str | None = None
    anchor: int = 0
    toll: str | None = None  # the group a tally names ("people" in "number of people ..."), or ""
    # the victims named after the figure, as written ("six of those killed were children")
    of_those: str | None = None
    loser_side: str | None = None
    list_end: int = 0  # where a list of groups sharing the figure ends ("X rebels and Y troops")


_A_COUPLE = scanning(r"\b[Aa]\s+(?:young\s+|married\s+|elderly\s+)?couple\b(?!\s+of\b)")


def singular_quantities(sentence: str, quantities: list[Quantity]) -> list[Quantity]:
    """One person each, as a figure of 1: "a third crew member", "and his wife"."""
    out = list(quantities)
    if _SINGULAR_WORDS.isdisjoint(sentence_words(sentence)):
        return out
    for m in SINGULAR.finditer(sentence):
        if any(q.start <= m.start() < q.end for q in quantities):
            continue
        q_group = next(
            g
            for g in ("q", "kin", "own", "ord", "age", "one", "more", "rank", "after", "the")
            if m[g]
        )
        if q_group == "one" and not _ONE_AFTER.search(sentence, 0, m.start()):
            continue  # a person the lexicon lacks counts only right after an outcome verb
        # "a flight attendant", "a 15-year-old": the whole phrase is the one person
        end = m.end() if q_group in ("one", "age", "rank", "the") else m.end(q_group)
        out.append(Quantity(1, 1, "exact", m.start(), end, m[q_group]))
    for m in _A_COUPLE.finditer(sentence) if "couple" in sentence else ():  # "a couple": two
        if not any(q.start <= m.start() < q.end for q in quantities):
            out.append(Quantity(2, 2, "exact", m.start(), m.start() + 1, "a"))
    return sorted(out, key=lambda q: q.start)


def _victim_after(sentence: str, q: Quantity) -> re.Match[str] | None:
    rest_start = q.end
    if sentence.startswith(("-", "th"), rest_start) or _AGE.match(sentence, rest_start):
        return None
    found = VICTIM_AFTER.match(sentence, rest_start)
    if found is None:
        generic = GENERIC_VICTIM.match(sentence, rest_start)
        # a noun the lexicon lacks counts only when killing or wounding follows it at once
        if (
            generic
            and generic["noun"].lower() not in _NOT_VICTIMS
            and _GENERIC_OUTCOME.match(sentence, generic.end())
        ):
            return generic
    return found


# "Two soldiers in Mali and three civilians in Burkina Faso died"
_PLACED_CONJUNCT = re.compile(
    r"\s+(?:in|from|at|near|of)\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*\s*,?\s+and\s+"
)

EVACUATED = re.compile(r"\b(?:evacuated|evacuating|evacuation\s+of|rescued|rescuing|freed)\b")

# A whole its subset's outcome belongs to: "seven soldiers including two officers killed"
_HEAD_INCLUDING = re.compile(r"\s*,?\s*including\s+")

# One figure for two outcomes gets no record (the real-text labels' rule: "434 casualties")
_COMBINED = re.compile(r"\s+(?:or|and/or|and)\s+(?:wounded|injured|captured|detained|missing)\b")

_COMBINED_BEFORE = re.compile(
    r"\b(?:killed|wounded)\s+(?:or|and/or|and)\s+(?:wounded|injured|captured|detained)\s+$"
)

_CAPTIVES = words("hostages captives prisoners")

_RELEASED = re.compile(r"\b(?:releas\w*|freed|free|swap\w*|exchang\w*|return\w*)\b[^.;]{0,40}$")

_TAKEN_AFTER = re.compile(
    r"\s+(?:were\s+|have\s+been\s+|had\s+been\s+)?(?:taken|seized|held|abducted)\b"
)

# ("dead wild birds", "dead baby dolphins": a modifier may come first)
_THING_AFTER = re.compile(
    r"\s+(?:(?:wild|baby|sea|migrant|migratory|farm|farmed|stray|young|adult|common)\s+)?"
    r"(?P<noun>[a-z]+)\b"
)

# "His eight year old son": an age, not a figure
_AGE = re.compile(r"[\s-]+(?:year|month|week|day)s?[\s-]+old\b")

# What must follow a noun the lexicon lacks: an outcome only people suffer.
_GENERIC_OUTCOME = re.compile(
    r"\s+(?:who\s+|that\s+)?(?:(?:were|was|have\s+been|had\s+been|are|also|reportedly|all)\s+)*"
    r"(?:killed|dead|died|wounded|injured|executed|slain)\b"
)


def _loser_side(sentence: str, end: int, sides: SideTable) -> str | None:
    """The side that lost what "lost" is followed by: the name right before the verb."""
    loser = _LOSER.search(sentence, 0, end)
    if loser:
        return sides.side_of(loser["who"])
    if sides.words:
        word = _LOSER_WORD.search(sentence, 0, end)
        if word and sides.names_side(word["who"].lower()):
            return sides.side_of(word["who"])
    return None


_INCLUDING_ASIDE = re.compile(r",\s+(?:including|among\s+them|among\s+whom)\s+[^,;.]{1,60},")

# What a bare "lost N" counts in a sentence about a vote or a game: seats, wards, points, not
# lives ("the Conservatives, who lost 23 in total, ... the council"). A loss of people names them
# ("lost 23 soldiers") or is said where no vote is.
_NOT_LIVES = words(
    """seat seats vote votes voters ward wards council councils councillors election elections
    ballot ballots constituency constituencies points games matches sets races"""
)


def read(sentence: str, q: Quantity, sides: SideTable = BUILTIN) -> Reading:
    """Group and outcome words around one figure."""
    victim = _victim_after(sentence, q)
    r = Reading(q, victim, victim.end() if victim else q.end, anchor=q.start)
    if victim and victim["noun"].lower() in DEATH_NOUNS:
        thing = _THING_AFTER.match(sentence, victim.end())
        if thing and thing["noun"].lower() in _NOT_VICTIMS:
            return Reading(q, None, q.end, anchor=q.start)  # "57 dead apps": things
        r.outcome = "killed"
        return r
    if (
        victim
        and victim["noun"].lower() in _CAPTIVES
        and _TAKEN_AFTER.match(sentence, victim.end())
        and not _RELEASED.search(sentence, max(0, q.start - 50), q.start)
    ):
        r.outcome = "captured"  # "some 1,200 killed and around 250 hostages taken"
        return r
    if victim and victim["noun"].lower() in INJURY_NOUNS:
        r.outcome = "injured"
        return r
    after = OUTCOME_AFTER.match(sentence, r.noun_end)
    if after and _COMBINED.match(sentence, after.end()):
        return r  # "60 people have been killed or wounded": one figure for two outcomes
    aside = None if after else _INCLUDING_ASIDE.match(sentence, r.noun_end)
    if aside:  # "At least 58 people, including 14 minors, have been killed"
        after = OUTCOME_AFTER.match(sentence, aside.end())
    if after and after["out"].lower() in _NEEDS_GROUP and not victim:
        after = None  # "17 soldiers have fallen" is a toll; "3 have fallen" may be anything
    if after:
        r.outcome, r.anchor = OUTCOME_WORDS[after["out"].lower()], after.start("out")
        if victim and after["list"]:
            r.list_end = after.end("list")
        return r
    of_those = _OF_THOSE.match(sentence, q.end)
    if of_those:  # "nine of those killed were children"
        r.outcome, r.anchor = OUTCOME_WORDS[of_those["out"].lower()], of_those.start("out")
        r.of_those = of_those["who"]
        r.noun_end = of_those.end()
        return r
    before = sentence[: q.start]
    verb = OUTCOME_BEFORE.search(before)
    if verb and _COMBINED_BEFORE.search(before):
        return r  # "killed or captured 20 jihadists": no figure for either outcome
    need = verb and _NEEDS_AFTER.get(verb["out"].lower())
    bare_ok = _BARE_END.match(sentence, q.end) or (need and need.match(sentence, q.end))
    more = bare_ok and _MORE_OF.match(sentence, q.end)
    if more and not _NOT_VICTIMS.isdisjoint(more["words"].split()):
        bare_ok = None  # "the capture of three more villages": more of a thing, not of people
    if verb and (victim or bare_ok):
        word = " ".join(verb["out"].lower().split())
        done = need and (need.match(sentence, r.noun_end) or need.match(sentence, q.end))
        if need is None or done:
            outcome = BEFORE_VERBS[word]
            if outcome == "left":
                outcome = _LEFT[done["left"]]
            r.outcome, r.anchor = outcome, verb.start("out")
            if (
                word == "lost"
                and not victim
                and not _NOT_LIVES.isdisjoint(sentence_words(sentence))
            ):
                return Reading(q, None, q.end, anchor=q.start)  # "the party lost 19 seats"
            if word == "lost":
                r.loser_side = _loser_side(sentence, verb.start(), sides)
            return r
    adjective = victim and next(
        (w for w in victim["mods"].lower().split() if w in _ADJECTIVE_OUTCOME), None
    )
    if adjective and EVACUATED.search(sentence, max(0, q.start - 40), q.start):
        return r  # "evacuated 300 wounded soldiers": a rescue, as the real-text labels have it
    if adjective:  # "2,880 injured people", "15 dead soldiers"
        r.outcome = _ADJECTIVE_OUTCOME[adjective]
        return r
    inverted = _TO_THE_TOLL.match(sentence, q.end) and _BRINGING_TO.search(before)
    if inverted:  # "bringing to at least 50 the death toll"
        r.outcome, r.toll = "killed", ""
        return r
    deaths = _DEATHS_ROSE.search(before)
    if deaths:  # "fatalities from Tuesday's raids reached 13"
        r.outcome, r.toll = "killed", ""
        return r
    tally = TALLY.search(before)
    if tally:
        word = (tally["out"] or "killed").lower()
        r.outcome = TALLY_OUTCOME.get(word, word)
        r.toll = tally["who"] or tally["among"] or ""
        if tally["past"] and q.qualifier == "exact" and q.low == q.high:
            r.q = replace(q, high=None, qualifier="at_least")  # "passed 3,000": at least 3,000
    return r


_REDUCED_RELATIVE = re.compile(r"\s+(?:killed|wounded|injured|dead|detained|captured|abducted)\b")

# "Two of the 11 soldiers", "nine of the original ten": a part of a group of that size
_PARTITIVE = re.compile(r"\s+of\s+(?:the|its|their|his|our)\s+(?:original\s+|initial\s+|first\s+)?")


def partitives(sentence: str, readings: list[Reading]) -> list[Reading]:
    """A part of a counted group is the figure, with the group's noun and outcome; the group's
    size is no casualty of its own ("Two of the 11 soldiers were killed" -> 2 soldiers)."""
    out: list[Reading] = []
    skip = False
    for r, whole in zip(readings, [*readings[1:], None], strict=False):
        if skip:
            skip = False
            continue
        # (the part's noun may be read across the whole: "Nine of the ten crew members")
        own_noun = r.victim is not None and r.victim.end() < (whole.q.end if whole else 0)
        # (not "three of the 19 Palestinians killed ... were children": the whole is the toll)
        if (
            whole is not None
            and not own_noun
            and _PARTITIVE.fullmatch(sentence, r.q.end, whole.q.start)
            and not _REDUCED_RELATIVE.match(sentence, whole.noun_end)
        ):
            r.victim, r.noun_end = whole.victim, whole.noun_end
            if r.outcome is None:
                r.outcome, r.anchor = whole.outcome, whole.anchor
            skip = True
        out.append(r)
    return out


def link_coordinated(sentence: str, readings: list[Reading]) -> None:
    """Members of one subject take the outcome of the last: "A woman and her two children were
    killed" is one woman killed and two children killed."""
    for i in range(len(readings) - 2, -1, -1):
        r, nxt = readings[i], readings[i + 1]
        if r.outcome is not None or (r.victim is None and not RANK_ONE.fullmatch(r.q.text)):
            continue
        gap = CONJUNCT.fullmatch(sentence, r.noun_end, nxt.q.start) or _PLACED_CONJUNCT.fullmatch(
            sentence, r.noun_end, nxt.q.start
        )
        # (not a subset after "including": "11,180 killed, including 7,700 children and women,
        # and 28,200 others injured" - the children are of the killed)
        subset = INCLUDING.search(sentence, max(0, r.q.start - 30), r.q.start)
        if gap and nxt.outcome is not None and nxt.toll is None and not subset:
            r.outcome, r.anchor = nxt.outcome, nxt.anchor
        elif (
            nxt.outcome is not None
            and nxt.anchor >= nxt.noun_end
            and _HEAD_INCLUDING.fullmatch(sentence, r.noun_end, nxt.q.start)
        ):
            # "7 soldiers including 2 officers killed"
            r.outcome, r.anchor = nxt.outcome, nxt.anchor


RANK_ONE = re.compile(r"[Aa]n?\s+(?P<rank>[A-Z][\w\s]+)")
