"""Casualty figures in one sentence: a number, who, what happened to them, and the scope.

A figure becomes a claim only when an outcome is tied to it: "two crew members were killed",
"killed at least 31 Palestinians", "the death toll rose to 45", "forced thousands to flee",
"residents put the toll at 200". "17 opposition parties", "1,960 peacekeepers" and
"15 kilometers" have no outcome and stay out. Nested figures are claims of their own ("1,000
people killed including dozens of civilians"), and so are the members of a coordinated subject
("a woman and her two children were killed" is one woman and two children).

The sentence is read in three passes: each figure on its own (group, outcome words around it;
`casualty_readings`), then coordinated figures borrow the outcome of the last member, then
nesting, vetoes and scope (here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from briefwatch.extract.casualty_readings import (
    BEFORE_VERBS,
    CONJUNCT,
    EVACUATED,
    INCLUDING,
    OUTCOME_WORDS,
    RANK_ONE,
    TALLY_OUTCOME,
    Reading,
    link_coordinated,
    partitives,
    read,
    singular_quantities,
    without_ages,
)
from briefwatch.extract.filters import ANNIVERSARY, clause_bounds, veto
from briefwatch.extract.lexicon import scanning, sentence_words, words
from briefwatch.extract.numbers import Quantity, find_quantities
from briefwatch.extract.sides import BUILTIN, SideTable
from briefwatch.extract.victims import (
    DEATH_NOUNS,
    INJURY_NOUNS,
    group,
)

# "The number of dead includes some 2,913 children, 1,709 women ...": the tally's parts.
TALLY_PARTS = re.compile(
    r"\b(?:death\s+toll|number\s+of\s+(?:the\s+)?(?P<out>dead|deaths|killed|fatalities|wounded|"
    r"injured|missing|displaced)|(?:the\s+)?(?P<out2>dead|killed|wounded|injured|victims))\b"
    r"[^.;]{0,40}?\b(?:includes?|included|including|were|are)\s+$"
)

# "Police Battalion 31", "Operation 1027", "Route 9": a number that is part of a name
_NAMED_NUMBER = re.compile(
    r"\b(?:Battalion|Brigade|Division|Regiment|Operation|Route|Highway|Unit|Group|Squadron|Flight|"
    r"Resolution|Article|Section|Chapter|Room|Gate|Block|Sector|Zone|Camp|No\.?|Number)\s+$"
)

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

# Before a figure that names no group: "and", perhaps with the verb of its own outcome
# ("killing five people and wounding around 20"), or "with" ("16 people have been killed,
# with 35 wounded"): the group of the figure before carries over
COORDINATED = scanning(
    r"\band\s+(?:(?:injuring|wounding|injured|wounded|killing|killed)\s+)?$|,\s+(?:with\s+)?$"
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
    {_telling_word(w) for w in OUTCOME_WORDS}
    | ({_telling_word(w) for w in BEFORE_VERBS} - _NEED_A_WORD_AFTER)
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

_AND_THEN_KILLED = re.compile(
    r"(?:captured|abducted|kidnapped|seized|detained|taken\s+hostage)\s+and\s+(?:later\s+|then\s+|"
    r"subsequently\s+)?(?P<killed>killed|executed|murdered|beheaded|shot\s+dead)\b"
)

_ELLIPSIS = re.compile(r"\s+(?:in|at|near|on|during|from)\b")

_OF_GROUP = re.compile(r"\b(?:from|of)\s+$")

_HOUSEHOLDS = words("family families household households")

_ALONG_WITH = re.compile(r"\b(?:along\s+with|as\s+well\s+as|together\s+with|plus)\s+$")

_NOUN_NEXT = re.compile(r"\s+(?:[a-z-]+\s+){0,2}[a-z]{3,}s\b")


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


_CREW_OF = re.compile(r"\b(?P<who>crew|family|families|unit|squad|team|patrol)\s+of\s+$")


def _group_of(sentence: str, r: Reading, claimant_side: str | None) -> str | None:
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
    rank = RANK_ONE.fullmatch(r.q.text)
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


def _victims_of(sentence: str, r: Reading) -> str | None:
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
    rank = RANK_ONE.fullmatch(r.q.text)
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
    sentence = without_ages(sentence, tokens)
    if '"' in sentence or "“" in sentence:  # 'killed "up to 100" people': the figure unquoted
        sentence = _FIGURE_QUOTE.sub(" ", sentence)
    quantities = singular_quantities(sentence, find_quantities(sentence))
    quantities = [
        q
        for q in quantities
        if not _DATE_BEFORE.search(sentence, 0, q.start)
        and not _NAMED_NUMBER.search(sentence, 0, q.start)
        and not _RATIO.match(sentence, q.end)  # "three out of four Yemenis": a share
        and not _RATIO_BEFORE.search(sentence, max(0, q.start - 30), q.start)
    ]
    readings = [read(sentence, q, sides) for q in quantities if not (q.low == 0 and q.high == 0)]
    readings = [r for r in readings if not (r.q.needs_noun and r.victim is None)]
    readings = partitives(sentence, readings)
    for r in readings:  # "a woman and her two children": a member with a figure is no list
        if r.list_end and any(r.noun_end <= o.q.start < r.list_end for o in readings):
            r.list_end = 0
    link_coordinated(sentence, readings)

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
            and (r.victim or RANK_ONE.fullmatch(q.text))
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
            outcome = TALLY_OUTCOME.get(word, "killed" if word == "victims" else word)
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
        if nested and EVACUATED.search(sentence, max(0, q.start - 90), q.start):
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
