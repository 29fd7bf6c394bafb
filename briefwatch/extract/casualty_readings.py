"""Casualty figures in one sentence: a number, who, what happened to them, and the scope.

A figure becomes a claim only when an outcome is tied to it: "two crew members were killed",
"killed at least 31 Palestinians", "the death toll rose to 45", "forced thousands to flee",
"residents put the toll at 200". "17 opposition parties", "1,960 peacekeepers" and
"15 kilometers" have no outcome and stay out. Nested figures are claims of their own ("1,000
people killed including dozens of civilians"), and so are the members of a coordinated subject
("a woman and her two children were killed" is one woman and two children).

The sentence is read in three passes: each figure on its own (group, outcome words around it),
then coordinated figures borrow the outcome of the last member, then nesting, vetoes and scope.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from briefwatch.extract.filters import ANNIVERSARY, clause_bounds, veto
from briefwatch.extract.lexicon import scanning, sentence_words, words
from briefwatch.extract.numbers import Quantity, find_quantities
from briefwatch.extract.sides import BUILTIN, SideTable
from briefwatch.extract.victims import (
    ANIMALS,
    DEATH_NOUNS,
    GROUP_ALT,
    INJURY_NOUNS,
    NOUN_ALT,
    PEOPLE_ALT,
    alternation,
    group,
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
_OUTCOME_WORDS = {
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
_OUT_ALT = alternation(_OUTCOME_WORDS)
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
_BEFORE_VERBS = {
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
OUTCOME_BEFORE = re.compile(
    # (searched over the whole text before a figure: a position whose letter starts no verb
    # fails at once instead of trying every verb)
    "(?=[" + "".join(sorted({w[0] for w in _BEFORE_VERBS})) + "])"
    r"\b(?P<out>"
    + alternation(_BEFORE_VERBS).replace("\\ ", r"\s+")
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
# "The number of dead includes some 2,913 children, 1,709 women ...": the tally's parts.
TALLY_PARTS = re.compile(
    r"\b(?:death\s+toll|number\s+of\s+(?:the\s+)?(?P<out>dead|deaths|killed|fatalities|wounded|"
    r"injured|missing|displaced)|(?:the\s+)?(?P<out2>dead|killed|wounded|injured|victims))\b"
    r"[^.;]{0,40}?\b(?:includes?|included|including|were|are)\s+$"
)
_TALLY_OUTCOME = {"dead": "killed", "deaths": "killed", "fatalities": "killed",
                  "wounded": "injured", "kidnapped": "captured", "abducted": "captured",
                  "detained": "captured"}  # fmt: skip
# "Police Battalion 31", "Operation 1027", "Route 9": a number that is part of a name
_NAMED_NUMBER = re.compile(
    r"\b(?:Battalion|Brigade|Division|Regiment|Operation|Route|Highway|Unit|Group|Squadron|Flight|"
    r"Resolution|Article|Section|Chapter|Room|Gate|Block|Sector|Zone|Camp|No\.?|Number)\s+$"
)
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


def _without_ages(sentence: str, tokens: frozenset[str]) -> str:
    """The sentence with its ages blanked (same length, so offsets stay the sentence's)."""
    if _AGE_WORDS.isdisjoint(tokens):
        return sentence
    return _AGE_PHRASE.sub(lambda m: " " * len(m.group()), sentence)


_FIGURE_QUOTE = re.compile(
    r"[\"“](?=(?:(?:up\s+to|at\s+least|more\s+than|about|some|over|nearly|around)\s+)?\d)|(?<=\d)[\"”]"
)
# "on May 31": a day of the month, not a figure
_DATE_BEFORE = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+$"
)
# One named officer: "Lt. Col. Teka Mohammed, a senior commander ..., was killed".
_RANK = (
    r"(?:Lt\.|Lieut\.|Lieutenant|Col\.|Colonel|Gen\.|General|Maj\.|Major|Brig\.|Brigadier|Capt\.|"
    r"Captain|Commander|Cmdr\.|Sgt\.|Sergeant|Adm\.|Admiral|Field\s+Marshal|Navy|Army|Petty\s+Officer|"
    r"Private|Pvt\.|Cpl\.|Corporal)"
)
NAMED_VICTIM = scanning(
    rf"(?:\b(?P<who>(?:{_RANK}\s+)+(?:[A-Z][\w’'.-]*\s+){{0,3}}[A-Z][\w’'-]+)(?:,\s[^,]{{3,120}},)?"
    # "a top Russian general, Igor Kirillov, was killed"
    r"|\b(?:[Aa]n?|[Tt]he)\s+(?:[\w’'-]+\s+){0,3}?(?:general|commander|colonel|officer|leader|official|"
    r"spokesman|journalist|activist|politician|governor|mayor|chief)(?:\s+of\s+[^,]{1,80})?\s*,\s*"
    r"(?P<who2>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,3}),)"
    r"\s+(?:(?:was|has\s+been|had\s+been)\s+(?:\w+ly\s+)?(?:found\s+)?(?P<out>killed|shot\s+dead|dead|assassinated|"
    r"wounded|injured|captured|abducted|kidnapped)|(?P<died>died))\b"
)
_NAMED_OUTCOME = {"killed": "killed", "shot dead": "killed", "dead": "killed",
                  "assassinated": "killed",
                  "wounded": "injured", "injured": "injured", "captured": "captured",
                  "abducted": "captured", "kidnapped": "captured"}  # fmt: skip
_NAMED_OUTCOME_WORDS = words(
    "killed shot assassinated wounded injured captured abducted kidnapped died"
)
_NAMED_WORDS = words(
    """lt lieut lieutenant col colonel gen general maj major brig brigadier capt captain commander
    cmdr sgt sergeant adm admiral marshal officer leader official spokesman journalist activist
    politician governor mayor chief"""
)
_ORDINAL_ONE = re.compile(r"a\s+(?:second|third|fourth|fifth|sixth)$|another$", re.I)
INCLUDING = re.compile(r"\b(?:including|among\s+them|among\s+whom|of\s+whom)\s+$")
# ... and the verb of its own outcome between ("killing five people and wounding around 20"),
# or "with" ("16 people have been killed, with 35 wounded"): the group carries over
COORDINATED = re.compile(
    r"\band\s+(?:(?:injuring|wounding|injured|wounded|killing|killed)\s+)?$|,\s+(?:with\s+)?$"
)
# Members of one subject: "A woman and her two children", "16 students, a teacher, and a
# security officer", "a man and his wife".
CONJUNCT = re.compile(
    r"\s*,\s*(?:and\s+)?(?:(?:his|her|their)\s+)?|\s+and\s+(?:(?:his|her|their)\s+)?"
)
CUMULATIVE = re.compile(
    r"\bsince\b|\bso\s+far\b|\bto\s+date\b|\bin\s+total\b|\boverall\b|\btotal\s+of\b"
    r"|\b(?:over|in|during)\s+the\s+(?:past|last)\b|\bin\s+recent\s+(?:days|weeks|months)\b"
    r"|\b(?:days|weeks|months|years)\s+of\b|\b(?:first|second|third)\s+(?:week|month|year)\s+of\b"
    r"|\b(?:during|in)\s+the\s+(?:war|conflict|invasion|incursion|campaign)\b"
    r"|\bthe\s+(?:recent\s+)?(?:fighting|war|conflict|clashes|violence|offensive|invasion)\s+(?:has|have)\b"
    r"|\bin\s+a\s+(?:week|month|year)\b|\bin\s+(?:\w+\s+)?(?:days|weeks|months|years)\b"
    r"|\bremains?\s+missing\b",
    re.I,
)
PERFECT = re.compile(
    r"\b(?:have|has)\s+(?:been\s+|had\s+to\s+)?(?:\w+ly\s+)?(?:killed|died|displaced|fled|flee|"
    r"forced|captured|"
    r"surrendered|wounded|injured|abducted|kidnapped)\b"
)
SINCE_OR_SO_FAR = scanning(r"\bsince\b|\bso\s+far\b")
SINGLE_EVENT = scanning(
    r"\b(?:from|in|of|after)\s+(?:the\s+|a\s+|an\s+|[\w’']+['’]s\s+)?(?:\w+\s+)?(?:attack|strike|"
    r"blast|explosion|ambush|bombing|crash|raid|massacre|shelling|bombardment|airstrike|assault)\b"
    r"|\bwhen\b"
)


# Verbs that tie an outcome only with a word after them ("left N dead", "claimed N lives"):
# that word is the hint, not the verb, which is common ("left", "claimed", "cost").
_NEED_A_WORD_AFTER = frozenset({"left", "leaving", "claimed", "claiming", "cost", "costing"})


# Every word that can tie an outcome to a figure, for the pre-filter in `find_casualties`.
def _telling_word(phrase: str) -> str:
    """The word of a phrase that is rarest in news copy, taken as its longest (the last of
    equals): "had to flee" -> "flee", "been lost" -> "lost", "unaccounted for" -> "unaccounted"."""
    return max(reversed(phrase.split()), key=len)


OUTCOME_HINTS = frozenset(
    {_telling_word(w) for w in _OUTCOME_WORDS}
    | ({_telling_word(w) for w in _BEFORE_VERBS} - _NEED_A_WORD_AFTER)
    | set(DEATH_NOUNS)
    | set(INJURY_NOUNS)
    | {"toll", "number", "dead", "died", "lives", "homeless"}
)


@dataclass(frozen=True)
class Found:
    """A casualty figure before attribution: what, how many, who, and where in the sentence."""

    outcome: str
    quantity: Quantity
    # the victims as the text names them ("Somali soldier", "others", "government soldiers"),
    # or None when it names no group ("two deaths", "1,000 killed"): the real-text labels' field
    victims: str | None
    group: str  # the victims' normalised group (`victims.group`): what the fact goes by
    scope: str
    anchor: int  # character offset of the outcome, for choosing the speaker


@dataclass
class _Reading:
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


def _singular_quantities(sentence: str, quantities: list[Quantity]) -> list[Quantity]:
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
_EVACUATED = re.compile(r"\b(?:evacuated|evacuating|evacuation\s+of|rescued|rescuing|freed)\b")
_AND = re.compile(r"\band\s+(?:(?:his|her|their|its)\s+)?$")
_RATIO_BEFORE = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:out\s+of|in)\s+(?:every\s+)?$",
    re.I,
)
_RATIO = re.compile(
    r"\s+(?:out\s+of|in)\s+(?:every\s+)?(?:\d+|two|three|four|five|six|seven|eight|nine|"
    r"ten|a\s+hundred|100)\b(?!\s*(?:people|civilians|soldiers)\s+(?:were|was|have))"
)
# A conjunct with a verb of its own does not share the outcome before it: "10,000 people have
# died, and 22 million civilians need relief aid".
_OWN_VERB = re.compile(
    r"\s+(?:need|needs|needed|remain|remains|are|is|live|lives|face|faces|lack|depend|rely|"
    r"require|requires|received|receive|returned|fled|were\s+(?!killed|wounded|injured))\b"
)
# A figure followed by a speech verb is who speaks, not a victim: "a doctor there said".
_SPEAKS_AFTER = re.compile(
    r"(?:\s+of\s+(?:them|those))?(?:\s+(?:there|here|also|later|earlier|[a-z]+ly))*\s+(?:said|says|told|added|confirmed|"
    r"reported|stated|recalled)\b"
)
# A subset after its whole: "18 people – eight of them children –", "(12 of them soldiers)"
_SUBSET_BEFORE = re.compile(r"[,(–—-]\s*$")
_SUBSET_AFTER = re.compile(r"\s+of\s+them\b")
# A whole its subset's outcome belongs to: "seven soldiers including two officers killed"
_HEAD_INCLUDING = re.compile(r"\s*,?\s*including\s+")
_AND_THEN_KILLED = re.compile(
    r"(?:captured|abducted|kidnapped|seized|detained|taken\s+hostage)\s+and\s+(?:later\s+|then\s+|"
    r"subsequently\s+)?(?P<killed>killed|executed|murdered|beheaded|shot\s+dead)\b"
)
_ELLIPSIS = re.compile(r"\s+(?:in|at|near|on|during|from)\b")
_OF_GROUP = re.compile(r"\b(?:from|of)\s+$")
_HOUSEHOLDS = words("family families household households")
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
_ALONG_WITH = re.compile(r"\b(?:along\s+with|as\s+well\s+as|together\s+with|plus)\s+$")
_NOUN_NEXT = re.compile(r"\s+(?:[a-z-]+\s+){0,2}[a-z]{3,}s\b")
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


def _read(sentence: str, q: Quantity, sides: SideTable = BUILTIN) -> _Reading:
    """Group and outcome words around one figure."""
    victim = _victim_after(sentence, q)
    r = _Reading(q, victim, victim.end() if victim else q.end, anchor=q.start)
    if victim and victim["noun"].lower() in DEATH_NOUNS:
        thing = _THING_AFTER.match(sentence, victim.end())
        if thing and thing["noun"].lower() in _NOT_VICTIMS:
            return _Reading(q, None, q.end, anchor=q.start)  # "57 dead apps": things
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
        r.outcome, r.anchor = _OUTCOME_WORDS[after["out"].lower()], after.start("out")
        if victim and after["list"]:
            r.list_end = after.end("list")
        return r
    of_those = _OF_THOSE.match(sentence, q.end)
    if of_those:  # "nine of those killed were children"
        r.outcome, r.anchor = _OUTCOME_WORDS[of_those["out"].lower()], of_those.start("out")
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
            outcome = _BEFORE_VERBS[word]
            if outcome == "left":
                outcome = _LEFT[done["left"]]
            r.outcome, r.anchor = outcome, verb.start("out")
            if (
                word == "lost"
                and not victim
                and not _NOT_LIVES.isdisjoint(sentence_words(sentence))
            ):
                return _Reading(q, None, q.end, anchor=q.start)  # "the party lost 19 seats"
            if word == "lost":
                r.loser_side = _loser_side(sentence, verb.start(), sides)
            return r
    adjective = victim and next(
        (w for w in victim["mods"].lower().split() if w in _ADJECTIVE_OUTCOME), None
    )
    if adjective and _EVACUATED.search(sentence, max(0, q.start - 40), q.start):
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
        r.outcome = _TALLY_OUTCOME.get(word, word)
        r.toll = tally["who"] or tally["among"] or ""
        if tally["past"] and q.qualifier == "exact" and q.low == q.high:
            r.q = replace(q, high=None, qualifier="at_least")  # "passed 3,000": at least 3,000
    return r


_REDUCED_RELATIVE = re.compile(r"\s+(?:killed|wounded|injured|dead|detained|captured|abducted)\b")
# "Two of the 11 soldiers", "nine of the original ten": a part of a group of that size
_PARTITIVE = re.compile(r"\s+of\s+(?:the|its|their|his|our)\s+(?:original\s+|initial\s+|first\s+)?")


def _partitives(sentence: str, readings: list[_Reading]) -> list[_Reading]:
    """A part of a counted group is the figure, with the group's noun and outcome; the group's
    size is no casualty of its own ("Two of the 11 soldiers were killed" -> 2 soldiers)."""
    out: list[_Reading] = []
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


def _link_coordinated(sentence: str, readings: list[_Reading]) -> None:
    """Members of one subject take the outcome of the last: "A woman and her two children were
    killed" is one woman killed and two children killed."""
    for i in range(len(readings) - 2, -1, -1):
        r, nxt = readings[i], readings[i + 1]
        if r.outcome is not None or (r.victim is None and not _RANK_ONE.fullmatch(r.q.text)):
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


def _scope(sentence: str, start: int, end: int, toll: bool) -> str:
    left, right = clause_bounds(sentence, start, end)
    first_clause = sentence[: clause_bounds(sentence, 0, 0)[1]]
    if ANNIVERSARY.search(first_clause):  # "As Ukraine marked three years since ...,": an occasion
        first_clause = ""
    context = sentence[left:right] + " " + first_clause
    if toll:
        if SINCE_OR_SO_FAR.search(sentence):
            return "cumulative"
        return "incident" if SINGLE_EVENT.search(sentence) else "cumulative"
    if CUMULATIVE.search(context):
        return "cumulative"
    if PERFECT.search(sentence[left:right]) and not SINGLE_EVENT.search(sentence):
        return "cumulative"
    return "incident"


_RANK_ONE = re.compile(r"[Aa]n?\s+(?P<rank>[A-Z][\w\s]+)")
_CREW_OF = re.compile(r"\b(?P<who>crew|family|families|unit|squad|team|patrol)\s+of\s+$")


def _group_of(sentence: str, r: _Reading, claimant_side: str | None) -> str | None:
    """The normalised group of the victims a reading names itself: its group noun's, or the
    group a tally names."""
    if r.victim:
        owner = r.victim.groupdict().get("poss")
        possessor = r.loser_side or (claimant_side if owner == "its" else None)
        return group(r.victim["mods"], r.victim["noun"], possessor)
    if r.toll:
        return group("", r.toll, None)
    if r.of_those:
        return group("", r.of_those, None)
    rank = _RANK_ONE.fullmatch(r.q.text)
    if rank:  # "a Lieutenant Colonel": the rank names the one
        return rank["rank"]
    if r.q.text.startswith("the "):  # "including the director of the hospital"
        return "people"
    crew = _CREW_OF.search(sentence, 0, r.q.start)
    if crew:  # "the entire crew of five"
        return group("", crew["who"], None)
    return None


# Words before a group noun that are the figure's or the outcome's, not the group's: "a third
# crew member", "a 45-year-old man", "two of them children", "15 dead soldiers", "of its
# defenders", "2,350 reports of people missing"
_NOT_OF_GROUP = re.compile(
    r"^(?:.*\bof\s+)?\s*(?:(?:of|them|those|the|its|their|his|her|our)\s+)+|^.*\bof\s+"
    r"|\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|dead|wounded|"
    r"injured|killed|missing|displaced)\s+"
    r"|\b(?:\d+|[a-z]+)[\s-]+(?:years?|months?)[\s-]+old\s+",
    re.I,
)
# Nouns that name no group, only the outcome: "two deaths", "10 injuries", "17 dead"
_NO_GROUP = frozenset({"deaths", "fatalities", "dead", "killings", "murders", "injuries", "lives"})


def _victims_of(sentence: str, r: _Reading) -> str | None:
    """The victims as the text names them: the group's words as written, with their modifiers
    ("government soldiers", "IS militant", "other people", "Houthi rebels and Yemeni
    pro-government troops"), without the figure's own words ("more", "additional") or an
    owner's ("three of its soldiers" -> "soldiers"); None for a noun that names no group."""
    if r.victim:
        noun = r.victim["noun"]
        if noun.lower() in _NO_GROUP or (noun.lower() == "hostage" and r.q.low > 1):
            return None  # "taking 240 hostage": the outcome's word, no group
        mods = _NOT_OF_GROUP.sub(" ", sentence[r.victim.start("mods") : r.victim.start("noun")])
        end = r.list_end or r.victim.end("noun")
        other = "other " if r.victim.groupdict().get("other") else ""
        return other + " ".join((mods + sentence[r.victim.start("noun") : end]).split())
    if r.toll:
        return None if r.toll.lower() in _NO_GROUP else r.toll
    if r.of_those:
        return r.of_those
    rank = _RANK_ONE.fullmatch(r.q.text)
    if rank:
        return rank["rank"]
    if r.q.text.startswith("the "):
        return r.q.text
    crew = _CREW_OF.search(sentence, 0, r.q.start)
    return crew["who"] if crew else None


def find_casualties(
    sentence: str,
    claimant_side: str | None = None,
    today: date | None = None,
    tokens: frozenset[str] | None = None,
    sides: SideTable = BUILTIN,
) -> tuple[list[Found], list[tuple[str, str]]]:
    """Casualty figures in a sentence, and (trigger, reason) for the candidates vetoed.

    ``claimant_side`` owns "its soldiers"; ``today`` dates the report (see `filters.veto`);
    ``tokens`` are the sentence's words if the caller has them; ``sides`` names who lost them.
    """
    tokens = sentence_words(sentence) if tokens is None else tokens
    if OUTCOME_HINTS.isdisjoint(tokens):
        return [], []  # no word that can carry an outcome: most sentences stop here
    sentence = _without_ages(sentence, tokens)
    if '"' in sentence or "“" in sentence:  # 'killed "up to 100" people': the figure unquoted
        sentence = _FIGURE_QUOTE.sub(" ", sentence)
    quantities = _singular_quantities(sentence, find_quantities(sentence))
    quantities = [
        q
        for q in quantities
        if not _DATE_BEFORE.search(sentence, 0, q.start)
        and not _NAMED_NUMBER.search(sentence, 0, q.start)
        and not _RATIO.match(sentence, q.end)  # "three out of four Yemenis": a share
        and not _RATIO_BEFORE.search(sentence, max(0, q.start - 30), q.start)
    ]
    readings = [_read(sentence, q, sides) for q in quantities if not (q.low == 0 and q.high == 0)]
    readings = [r for r in readings if not (r.q.needs_noun and r.victim is None)]
    readings = _partitives(sentence, readings)
    for r in readings:  # "a woman and her two children": a member with a figure is no list
        if r.list_end and any(r.noun_end <= o.q.start < r.list_end for o in readings):
            r.list_end = 0
    _link_coordinated(sentence, readings)

    found: list[Found] = []
    rejected: list[tuple[str, str]] = []
    chain: tuple[Found, int] | None = None  # the nested list being read (its head), and its end
    head: Found | None = None  # the last figure that is no part of another
    last_end = -1  # where the words of the last figure read as a claim end
    for i, r in enumerate(readings):
        q, outcome, anchor = r.q, r.outcome, r.anchor
        before = sentence[: q.start]
        parent = found[-1] if found else None
        if outcome is None and (
            _SPEAKS_AFTER.match(sentence, r.noun_end) or _SPEAKS_AFTER.match(sentence, q.end)
        ):
            continue  # "..., including seven children, a nurse there said": a speaker
        # "18 people – eight of them children –", "killed 11 civilians, four of them women"
        # (not "Eight soldiers were wounded, two of them seriously": a subset names a group)
        nested = bool(INCLUDING.search(before)) or bool(
            r.victim and _SUBSET_BEFORE.search(before[-3:]) and _SUBSET_AFTER.match(sentence, q.end)
        )
        nxt = readings[i + 1] if i + 1 < len(readings) else None
        if (
            outcome is None
            and parent
            and (r.victim or _RANK_ONE.fullmatch(q.text))
            and nxt
            and CONJUNCT.fullmatch(sentence, last_end, q.start)
            and CONJUNCT.fullmatch(sentence, r.noun_end, nxt.q.start)
        ):
            outcome, anchor = parent.outcome, parent.anchor  # "killing a child, three women and"
        # "including 50 children and 94 women": the list goes on with the same parent
        if not nested and chain and CONJUNCT.fullmatch(sentence, chain[1], q.start):
            nested, parent = True, chain[0]
        parts = TALLY_PARTS.search(before) if nested or not found else None
        if outcome is None and parts:  # "The number of dead includes some 2,913 children"
            word = (parts["out"] or parts["out2"] or "killed").lower()
            outcome = _TALLY_OUTCOME.get(word, "killed" if word == "victims" else word)
            nested = True
            if parts["out"]:  # a toll's parts are scoped as the toll is; "the dead" as the event
                r.toll = r.toll or ""
        if outcome is None and parent and _ALONG_WITH.search(before):
            outcome, anchor = parent.outcome, parent.anchor  # "..., along with 31 rebels"
        own_verb = _OWN_VERB.match(sentence, r.noun_end)
        if outcome is None and parent and r.victim and _AND.search(before[-16:]) and not own_verb:
            outcome, anchor = parent.outcome, parent.anchor  # "killed 27 soldiers and 35 Iraqis"
        elided = r.victim is None and _ELLIPSIS.match(sentence, q.end)
        if outcome is None and parent and elided and _AND.search(before[-8:]):
            outcome, anchor = parent.outcome, parent.anchor  # "21 killed in X and three in Y"
        if (
            _OF_GROUP.search(before[-8:])
            and r.victim is not None
            and (found or r.victim["noun"].lower() in _HOUSEHOLDS)
            # (not "took the lives of 17 others": an outcome of its own before it)
            and not (r.outcome is not None and r.anchor < q.start)
        ):
            continue  # "nine children from one family": a figure inside another's phrase
        if nested and _EVACUATED.search(sentence, max(0, q.start - 90), q.start):
            continue  # "evacuated 35,000 people, including 100 critically wounded": not a toll
        if outcome is None and nested and parent:
            if r.victim is None and _NOUN_NEXT.match(sentence, q.end) and q.text[:4] != "the ":
                continue  # "82 armoured vehicles, including eight tanks": not people
            outcome, anchor = parent.outcome, parent.anchor
        if outcome is None:
            continue
        if outcome == "captured" and _arrest(sentence, anchor):
            rejected.append((sentence[anchor : anchor + 20], "arrest"))
            continue
        group = _group_of(sentence, r, claimant_side)
        victims = _victims_of(sentence, r) if group is not None else None
        if group is None:
            if (
                parent
                and r.toll is None
                and (COORDINATED.search(before[-24:]) or _ORDINAL_ONE.match(q.text))
            ):
                # "and 64 wounded", "wounded a third": the head's group, not a subset's ("58
                # people, including 14 minors, ... and 340 more wounded" are people)
                carried = head if head and not nested else parent
                victims, group = carried.victims, carried.group
            else:
                group = "people"
        span = (min(q.start, anchor), max(r.noun_end, anchor + 1))
        reason = veto(sentence, *span, kind="casualty", today=today)
        if nested and parent:
            reason = None  # a nested figure stands or falls with its parent, already checked
        if reason:
            rejected.append((sentence[span[0] : span[1]], reason))
            continue
        scope = parent.scope if nested and parent else _scope(sentence, *span, r.toll is not None)
        found.append(Found(outcome, q, victims, group, scope, anchor))
        then = _AND_THEN_KILLED.match(sentence, anchor) if outcome == "captured" else None
        if then:  # "one insurgent was captured and killed": two records, as stated
            found.append(Found("killed", q, victims, group, scope, then.start("killed")))
        last_end = r.noun_end
        if not nested:
            head = found[-1]
        if nested:
            chain = (parent or found[-1], r.noun_end)
        elif chain and r.q.start > chain[1]:
            chain = None
    found += _named_victims(sentence, found, rejected, today)
    return found, rejected


# Police who detain people make arrests, not captives: "Police detained three people", "were
# detained by police for questioning"
_POLICE_BEFORE = re.compile(r"\b(?:[Pp]olice|policemen|detectives|prosecutors)\b[^.;]{0,40}$")
_POLICE_AFTER = re.compile(r"\w*\s+(?:[^.;]{0,30}?\s)?by\s+(?:the\s+)?(?:\w+\s+)?police\b")


_CURFEW = scanning(r"\bcurfews?\b", re.I)


def _arrest(sentence: str, anchor: int) -> bool:
    """Whether the taking at ``anchor`` is an arrest by the police."""
    if not sentence[anchor:].startswith(("detain", "arrest")):
        return False
    return bool(
        _POLICE_BEFORE.search(sentence, max(0, anchor - 60), anchor)
        or _POLICE_AFTER.match(sentence, anchor)
        # "Over 330 people were caught violating the curfew and about 170 detained"
        or _CURFEW.search(sentence)
    )


def _named_victims(
    sentence: str, found: list[Found], rejected: list[tuple[str, str]], today: date | None
) -> list[Found]:
    """One officer named with rank, killed, wounded or taken: a figure of one."""
    out: list[Found] = []
    tokens = sentence_words(sentence)
    if _NAMED_OUTCOME_WORDS.isdisjoint(tokens) or _NAMED_WORDS.isdisjoint(tokens):
        return out  # no rank or title, or none of the outcomes: the regex cannot match
    for m in NAMED_VICTIM.finditer(sentence):
        word = " ".join((m["out"] or "killed").split())
        outcome, anchor = _NAMED_OUTCOME[word], m.start("out") if m["out"] else m.start("died")
        if any(f.anchor == anchor for f in found):
            continue
        reason = veto(sentence, m.start(), m.end(), kind="casualty", today=today)
        if reason:
            rejected.append((m.group(), reason))
            continue
        who = "who" if m["who"] else "who2"
        one = Quantity(1, 1, "exact", m.start(who), m.end(who), m[who])
        out.append(Found(outcome, one, m[who], m[who], "incident", anchor))
    return out
