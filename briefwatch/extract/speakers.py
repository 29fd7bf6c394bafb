"""Who said it: attributions in a sentence, resolved across the text.

Handles "X said", "X said in a statement", "X posted on Facebook that", "X announced",
"according to X", "said X", "with X saying:", and pronouns after a quote: "he said" is the last
named person, "it said" the last named organisation, "they said" the last named group. A surname
("Aliyev") resolves to the fullest earlier mention with its title ("Azerbaijani President Ilham
Aliyev").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace

from briefwatch.extract.lexicon import scanning, words
from briefwatch.extract.sides import BUILTIN, SideTable

SPEECH_VERB = scanning(
    r"\b(?:said|says|say|told|tells|described|describes|revealed|reveals|disclosed|explained|"
    r"stressed|emphasised|emphasized|announced|announces|declared|declares|proclaimed|"
    # "the war has claimed 12,000 lives" is no one speaking
    r"claimed(?!(?:\s+[\w,.]+){1,5}?\s+lives\b)|claims(?!(?:\s+[\w,.]+){1,5}?\s+lives\b)|"
    r"reports|stated|"
    r"reported(?!\s+(?:killed|dead|missing|wounded|injured|hurt))|"
    r"insisted|insists|confirmed|confirms|posted|wrote|writes|tweeted|added|adds|noted|warned|"
    r"warns|admitted|admits|acknowledged|acknowledges|estimated|denied|denies|"
    r"saying|admit|insist|announce|confirm|(?<!['’]s\s)claim(?=\s+to\s+have\b)|"
    # "..., the Sudanese Armed Forces (SAF) claim, ...": present tense, set off (not "Russia's
    # claim, which ...")
    r"(?<!['’]s\s)claim(?=\s*,)|"
    # "\"...,\" the statement continued": the statement's author speaks on
    r"(?<=statement\s)continued|"
    # "rejected the claim", "dismissed as fake a report": a denial is a statement too
    r"(?:rejected|rejects|refuted|refutes|dismissed|dismisses|disputed|disputes)"
    r"(?=\s+(?:[\w’'-]+\s+){0,5}?(?:claims?|reports?|allegations?|assertions?|statements?|"
    r"announcements?)\b|\s+(?:this|that|it|them|as)\b)|"
    # "residents put the toll at 200": an estimate is a statement by whoever puts it
    r"put(?=\s+the\s+(?:death\s+|casualty\s+)?(?:toll|number|figure|count)\b))\b"
)
_CITING = re.compile(r"(?=[Cc])\b[Cc]iting\s+")
# A speaker phrase right after a speech verb: an inverted speaker ("said the ministry")
_SPEAKER_NEXT = re.compile(r"\s+(?:the|a|an)\b|\s+[A-Z]")
# "The regional governor, Vitaliy Kim, said", "A spokesman for the Taliban, Zabihullah Mujahid,"
_NAME_APPOSITION = re.compile(
    r"(?P<head>\b[\w’'-]+(?:\s+[\w’'-]+){0,6}),\s*"
    r"(?P<name>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3}),\s*$"
)
# "a statement by the army", "a report from the ministry": who made the statement
_STATEMENT_BY = re.compile(
    r"(?:an?|the)\s+(?:statement|report|communique|post|tally|count)\s+"
    # "according to a statement released by the Sudanese military"
    r"(?:(?:released|issued|published|posted|put\s+out)\s+)?(?:by|from)\s+"
)
ACCORDING_TO = re.compile(r"(?=[Aa])\b(?:[Aa]ccording to|as reported by|[Aa]s stated by)\s+")
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|is|are|being)\s+(?:\w+ly\s+)?$")
_BY = re.compile(r"\s+by\s+")
_AFTER_QUOTE = re.compile(r"[,\"”’]\s*$")
_CAPITAL = re.compile(r"\s+[A-Z]")
# Adverbials between a speaker and the verb, or after the speaker's name: "on Sunday", "quickly".
_TRAILING_ADVERBIAL = re.compile(
    r"(?:\s+(?:on|last|this|late|early|earlier|later)\s+(?:[A-Z]\w+|week|weekend|night|month|"
    r"year|day)|\s+\w+ly|\s+(?:also|later|earlier|again|then|now|still|separately|previously|"
    r"has|have|had|was|were|is|are|would|will|there|on\s+[A-Z]\w+))$"
)
# ("(PCHR)", "(SAF)": a short name in brackets is one token, part of the speaker it follows)
_TOKEN = re.compile(r"\([A-Z][A-Za-z]{1,7}\)|(?:[A-Z]\.){2,}|[\w’'-]+|[^\w\s]")
_BRACKETED = re.compile(r"\([A-Z][A-Za-z]{1,7}\)")
# (its closing comma included: "The ministry, writing on Telegram on Thursday, said")
_PARTICIPLE_ASIDE = re.compile(r",\s*(?!said\b|told\b)[a-z]+(?:ed|ing)\b[^,]{2,90},?\s*$")
# ", a spokesman for the army,", ", head of communications for Ukraine's ground forces,",
# ", Hamas's armed wing,"
_APPOSITIVE = re.compile(
    r",\s*(?:(?:a|an|the|who|which)\s|[A-Z][\w’'-]+['’]s\s|(?:(?:deputy|acting|former|senior|chief|top)\s+)?"
    r"(?:head|spokesman|spokeswoman|spokesperson|commander|chief|director|leader|governor|mayor|"
    r"minister|secretary|member|adviser|advisor|representative|envoy|official)\s+(?:of|for|at|to|in)\s)"
    r"[^,]{2,90},\s*$"
)
_DASH_ASIDE = re.compile(r"\s*[—–-]{1,2}\s[^—–]{2,120}\s[—–-]{1,2}\s*$")
# An organisation named with its country: "Armenia's Defense Ministry", "the Sudanese Army".
_SIDED_ORG = scanning(
    r"\b(?:[A-Z][\w-]+(?:['’]s)?\s+)(?:[A-Z][\w-]+\s+){0,2}"
    r"(?:Ministry|Government|Army|Command|Office|Presidency)\b"
)
_TITLED_PERSON = scanning(
    r"\b(?:(?:[A-Z]\w+\s+){0,2}(?:President|Prime Minister|Minister|Foreign Minister|General|Gen\.|"
    r"Colonel|Col\.|Major|Lt\.|Captain|Capt\.|Lieutenant|Sergeant|Brigadier|Admiral|Governor|"
    r"Mayor|Commander|Chancellor|King|Mr\.|Mrs\.|Ms\.|Dr\.)|"
    r"(?:spokesman|spokeswoman|spokesperson|commander|chief|leader|minister|envoy))"
    r"\s+(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,3})"
)

# What comes before an inverted speech verb ("..., said the ministry", "\"...\" said X")
_INVERSION_BREAK = re.compile(r"(?:^|[,\"“”’:;—–)]|\s-)\s*$")
_ARTICLE_NEXT = re.compile(r"\s+(?:the|a|an)\b")
# A verb right after an inverted speaker phrase: it was the object's subject, not a speaker
_CLAUSE_GOES_ON = re.compile(
    r"\s+(?:had|has|have|was|were|is|are|would|will|could|might|may|did|does)\b"
)
# How far before its verb a speaker phrase, with its asides and adverbials, can begin (the
# longest sentence of the gold and real-dev sets is under 400 characters). Every look to the
# left of a verb reads only this far, so a sentence's attributions cost linear time in its
# length: reading back to the sentence's start for each of 100,000 "said" took hours.
REACH = 600
# Pre-filters: a sentence without one of these words cannot match the regex they guard.
_TITLE_WORDS = words(
    """president prime minister general gen colonel col major lt governor mayor commander
    captain capt lieutenant sergeant brigadier admiral
    chancellor king mr mrs ms dr spokesman spokeswoman spokesperson chief leader envoy"""
)
_ORG_WORDS = words("ministry government army command office presidency")
_SPEECH_WORDS = words(
    """continued rejected rejects refuted refutes dismissed dismisses disputed disputes
    according said says say told tells described describes revealed reveals disclosed explained
    declared declares proclaimed
    stressed emphasised emphasized announced announces claimed claims
    reports stated
    reported insisted insists confirmed confirms posted wrote writes tweeted added adds noted
    warned warns admitted admits acknowledged acknowledges estimated denied denies saying admit
    insist announce confirm claim put"""
)

# Lowercase words that can be part of a speaker's name ("the foreign ministry", "civil defence
# officials"); any other lowercase word ends the name.
SPEAKER_NOUNS = words(
    """
    ministry government officials official authorities authority military army navy
    prosecutor prosecutors
    police spokesman spokeswoman spokesperson office council command agency sources
    source witnesses residents activists doctors medics media outlet mission group
    groups monitor observatory governor mayor commander president minister leader
    leaders chief envoy junta rebels forces fighters militants separatists parties troops soldiers
    statement service services committee staff analysts experts organisation
    organization agencies department administration presidency figures documents tank
    workers officers diplomats rescuers hospital hospitals movement alliance coalition
    militia militias commanders monitors observers institute officer enemy society woman man
    mother father resident witness survivor villager nurse teacher farmer union unions
    relative relatives neighbour neighbor eyewitness eyewitnesses survivors
    syndicate federation association network charity charities ngo ngos agency union's
    embassy embassies consulate
    wing elders elder surgeon surgeons doctor physician physicians medic paramedic
    commissioner commission chairman chairwoman coordinator records project delegation
    broadcaster newspaper television radio
    villagers force room rooms sides clinic clinics regime
    """
)
SPEAKER_MODIFIERS = words(
    """
    defence defense foreign interior health human rights civil local regional state
    border guard emergency emergencies news federal war aid separatist rebel press top
    senior deputy prime presidential migration refugee resistance think general leaked
    military security intelligence medical humanitarian provincial district city town
    village national central armed monitoring brigade battalion regiment division corps
    unit army navy police occupation tribal diplomatic informed hospital rescue volunteer
    relief activist opposition community naval maritime coast peacekeeping both
    """
)
_CONNECTORS = words("of in for from")
_DETERMINERS = words("the a an another one")
# "its commander insisted": the possessive belongs to the speaker phrase, as a determiner does.
_OWNERS = words("its his her their")
_DISCOURSE = words(
    """
    but and however meanwhile yet still also so then now earlier later separately
    """
)
_PRONOUNS = words("he she it they we")
_NOT_NAME = words(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march
    april may june july august september october november december facebook twitter
    telegram i but and however meanwhile
    while whereas although though because unless
    """
)
_PLURAL_HEAD = re.compile(r"(?:s|people|media|police)$")
_ORG_HEAD = words(
    """
    ministry government military army navy police office council command agency mission
    group monitor observatory junta service committee staff organisation organization
    department administration presidency media alliance movement coalition
    """
)


@dataclass(frozen=True)
class Attribution:
    """A speaker tied to the verb that introduces what they said."""

    claimant: str
    side: str | None
    verb_start: int
    verb_end: int


@dataclass
class Speakers:
    """Speakers seen so far in one text, for pronouns and surnames in later sentences.

    ``sides`` is the conflict's side table: a speaker's side comes from it, and its words may
    name a speaker ("the paramilitaries said").
    """

    persons: list[tuple[str, str | None]] = field(default_factory=list)  # (full name, side)
    orgs: list[tuple[str, str | None]] = field(default_factory=list)
    groups: list[tuple[str, str | None]] = field(default_factory=list)
    sides: SideTable = BUILTIN
    last: tuple[str, str | None] | None = None  # the last speaker named, of any kind

    # -- public -------------------------------------------------------------------------------
    def person_names(self) -> list[str]:
        """Names of persons seen, so a place is never a person: the name after the last
        lower-case word of the phrase ("Elbur district commissioner Nur Hassan Gutale" is Nur
        Hassan Gutale; Elbur stays a place)."""
        return [n for p, _ in self.persons if (n := _name_proper(p))]

    def note_persons(self, sentence: str, tokens: frozenset[str] | None = None) -> None:
        """Register titled persons even when they are not quoted ("President Vladimir Putin")."""
        if tokens is not None and _TITLE_WORDS.isdisjoint(tokens):
            return
        for m in _TITLED_PERSON.finditer(sentence):
            full = m.group().strip()
            if not any(full in p for p, _ in self.persons):
                _remember(self.persons, (full, self.sides.side_of(full)))

    def note_orgs(self, sentence: str, tokens: frozenset[str] | None = None) -> None:
        """Register organisations named with their side, even when they are not quoted.

        So "ministry spokesman X" after "Armenia's Defense Ministry rejected ..." is Armenian.
        """
        if tokens is not None and _ORG_WORDS.isdisjoint(tokens):
            return
        for m in _SIDED_ORG.finditer(sentence):
            full = m.group().strip()
            side = self.sides.side_of(full)
            if side and (full, side) not in self.orgs:
                _remember(self.orgs, (full, side))

    def attributions(
        self, sentence: str, tokens: frozenset[str] | None = None
    ) -> list[Attribution]:
        """Every attribution in the sentence, left to right, resolved to a named claimant."""
        found: list[Attribution] = []
        if tokens is not None and _SPEECH_WORDS.isdisjoint(tokens):
            return found
        for m in _CITING.finditer(sentence):
            # "..., Reuters reported, citing health officials": the source cited is the claimant,
            # the outlet only relays it (the real-text labels' nested attribution)
            phrase = _read_right(sentence, m.end(), self.sides)
            if phrase:
                found.append(self._resolve(phrase, "", m.start(), m.end()))
        for m in ACCORDING_TO.finditer(sentence):
            phrase = _read_right(sentence, m.end(), self.sides)
            if phrase:
                found.append(self._resolve(phrase, "", m.start(), m.end()))
        for m in SPEECH_VERB.finditer(sentence):
            near = max(0, m.start() - REACH)  # (an end-anchored pattern is searched from here)
            if not m.group().endswith("ing") and _PASSIVE_BEFORE.search(sentence, near, m.start()):
                # "was confirmed by both sides": the speaker follows "by"; without "by", no one
                by = _BY.match(sentence, m.end())
                phrase = _read_right(sentence, by.end(), self.sides) if by else ""
                if phrase:
                    found.append(self._resolve(phrase, "", m.start(), by.end()))
                continue
            phrase, descriptor = _read_left(sentence, m.start(), self.sides)
            objected = False
            # (inverted only after a break: "A relative said the town of X had ..." is no
            # "said the town of X")
            inverted = _INVERSION_BREAK.search(sentence, near, m.start()) is not None
            if (
                not phrase
                and inverted
                and (
                    _ARTICLE_NEXT.match(sentence, m.end())
                    or (
                        _AFTER_QUOTE.search(sentence, near, m.start())
                        and _CAPITAL.match(sentence, m.end())
                    )
                )
            ):
                # "..., said the ministry.", "..., said Brigadier Abdou Megali."
                phrase = _read_right(sentence, m.end(), self.sides)
                # (not "X, confirmed the group had captured ...": the group is what was said)
                if phrase and _CLAUSE_GOES_ON.match(sentence, m.end() + 1 + len(phrase)):
                    phrase, objected = "", True
            if (
                not phrase
                and sentence[: m.start()].rstrip().endswith(",")
                and (objected or not _SPEAKER_NEXT.match(sentence, m.end()))
            ):
                # "The regional governor, Vitaliy Kim, said": the name set off after its title
                named = _NAME_APPOSITION.search(sentence, max(0, m.start() - 160), m.start())
                if named:
                    phrase, descriptor = named["name"], named["head"]
            if phrase:
                found.append(self._resolve(phrase, descriptor, m.start(), m.end()))
        found = sorted((a for a in found if a.claimant), key=lambda a: a.verb_start)
        return _cited_for_relays(sentence, found)

    def named(self, phrase: str, at: int) -> Attribution:
        """The speaker a rule names itself ("Aliyev" in "denied Aliyev's announcement"),
        resolved like any other ("Aliyev" -> "Azerbaijani President Ilham Aliyev"); an owner's
        ending is no part of the name ("denied Russia's claim" is Russia's)."""
        return self._resolve(_POSSESSIVE_END.sub("", phrase), "", at, at)

    # -- resolution ---------------------------------------------------------------------------
    def _org_side(self, words: list[str]) -> str | None:
        """The side of the last organisation whose head noun the phrase repeats ("ministry")."""
        heads = {w.lower() for w in words} & _ORG_HEAD
        for full, side in reversed(self.orgs):
            if side and full.split()[-1].lower() in heads:
                return side
        return None

    def _resolve(self, phrase: str, descriptor: str, start: int, end: int) -> Attribution:
        said = self._resolved(phrase, descriptor, start, end)
        if said.claimant:
            self.last = (said.claimant, said.side)
        return said

    def _resolved(self, phrase: str, descriptor: str, start: int, end: int) -> Attribution:
        word = phrase.lower()
        if word in _STATEMENT and self.last:
            # '"...," the statement continued': the statement of the last speaker
            return Attribution(*self.last, start, end)
        if word in _PRONOUNS:
            pool = {"he": self.persons, "she": self.persons, "it": self.orgs}.get(
                word, self.groups or self.orgs
            )
            name, side = pool[-1] if pool else ("", None)
            return Attribution(name, side, start, end)
        words = phrase.split()
        if len(words) == 1 and words[0][:1].isupper():
            for full, side in reversed(self.persons):
                if full.split()[-1] == words[0]:
                    return Attribution(full, side, start, end)
        # "the ministry" after "the foreign ministry" is the same speaker.
        if len(words) == 2 and words[0].lower() == "the":
            for full, side in reversed(self.orgs):
                if full.lower().endswith(words[1].lower()) and full.lower() != word:
                    return Attribution(full, side, start, end)
        # "the source said", "the security source said" after "a provincial security source
        # told ...": that source. (The one place a "the X" speaker is taken for the X described
        # before: a capture that retells a recapture is known by its claimant being the same.)
        if len(words) >= 2 and words[0].lower() == "the" and words[-1].lower() in _ANAPHOR_HEADS:
            rest = " " + " ".join(words[1:]).lower()
            for full, side in reversed(self.persons):
                if full.lower().endswith(rest) and full.lower() != word:
                    return Attribution(full, side, start, end)
        if _relay(phrase):
            return Attribution("", None, start, end)  # an outlet only relays what it reports
        claimant = normalise_name(phrase)
        side = self.sides.side_of(f"{phrase} {descriptor}") or self._org_side(words)
        head = words[-1].lower()
        lowered = {w.lower() for w in words}
        if any(claimant.endswith(" " + p) for p, _ in self.persons):
            # "Somali army Major Hussein Edin": a titled person, whatever words come before
            _remember(self.persons, (claimant, side))
        elif lowered & _ORG_HEAD or (len(words) == 1 and self.sides.side_of(phrase)):
            _remember(self.orgs, (claimant, side))
        elif _PLURAL_HEAD.search(head) and head not in {"analysts"} and not _is_person(words):
            _remember(self.groups, (claimant, side))
        else:
            _remember(self.persons, (claimant, side))
            if head.endswith("s") and not _is_person(words):
                _remember(self.groups, (claimant, side))
        return Attribution(claimant, side, start, end)


# "sources familiar with the matter", "officials close to the talks": part of the speaker
_FAMILIAR_HEADS = words("source sources officials official people person persons")
_FAMILIAR_TAIL = (
    r"(?P<tail>(?:familiar\s+with|close\s+to|briefed\s+on|with\s+knowledge\s+of)\s+"
    r"(?:the\s+)?[a-z]+(?:\s+[a-z]+)?)"
)
_FAMILIAR_HINT = re.compile(r"familiar|close\s+to|briefed|knowledge")
_FAMILIAR_BEFORE = scanning(r"\b(?i:sources?|officials?|people|persons?)\s+" + _FAMILIAR_TAIL + "$")
_FAMILIAR_AFTER = re.compile(r"\s+" + _FAMILIAR_TAIL + r"(?=\s*[,.;]|\s+(?:said|told|reported)\b)")
_POSSESSIVE_END = re.compile(r"['’]s?$")
_STATEMENT = frozenset({"the statement", "the communique", "the communiqué"})
# Speaker nouns "the X said" refers back to a described speaker by ("a security source")
_ANAPHOR_HEADS = words("source spokesman spokeswoman spokesperson official officer witness")
# An outlet that reports what others say (the real-text labels: Reuters, a Telegram channel,
# "local media" are no claimants; "state media" speaks for the state)
_OUTLETS = words(
    """reuters afp ap xinhua tass interfax armenpress bbc cnn aljazeera bernama anadolu sana
    irna wafa"""
)
_OUTLET_HEADS = words(
    "channel newspaper daily broadcaster website outlet outlets news media reports"
)
_RELAY = scanning(
    r"(?:\b(?:local|independent|social|foreign|western|international)\s+media|"
    r"\bAl\s+(?:Jazeera|Arabiya|Hadath|Mayadeen)|\bnews\s+(?:agency|channel|outlet|website|"
    r"site|service)|Telegram\s+channel)\b",
    re.I,
)


def _relay(phrase: str) -> bool:
    """Whether a speaker phrase is an outlet relaying a claim, not its claimant."""
    low = phrase.lower()
    if "state" in low.split() or "official" in low.split():
        return False
    last = low.split()[-1]
    return bool(last in _OUTLETS or last in _OUTLET_HEADS or _RELAY.search(phrase))


_WHERE_WORDS = frozenset({"of", "in", "at", "from", "near", "inside", "outside"})


@functools.lru_cache(maxsize=1024)
def _name_proper(phrase: str) -> str:
    """The capitalised words after the last lower-case word of a speaker phrase."""
    words = phrase.split()
    lower = [i for i, w in enumerate(words) if w[:1].islower()]
    if lower and lower[-1] == len(words) - 1:
        return ""  # "a resident of Checheho town": described, not named (Checheho is a place)
    if lower and words[lower[-1]] in _WHERE_WORDS:
        return ""  # "officials in Bambari", "residents of X": where they are, not who
    return " ".join(words[lower[-1] + 1 :]) if lower else phrase


# How many speakers of each kind a text remembers for pronouns and surnames, the latest first: a
# news text names a handful; without a bound, 10,000 "The ministry said." made every lookup scan
# all those before it (quadratic; 15 s on 200,000 characters).
MEMORY = 256


def _remember(pool: list[tuple[str, str | None]], speaker: tuple[str, str | None]) -> None:
    pool.append(speaker)
    if len(pool) > MEMORY:
        del pool[0]


def _is_person(words: list[str]) -> bool:
    caps = [w for w in words if w[:1].isupper()]
    return len(caps) >= 2 and not any(w.lower() in _ORG_HEAD for w in words)


def normalise_name(phrase: str) -> str:
    """A claimant as it reads mid-sentence: "The Armenian government" -> "the Armenian government".

    A leading common word is lowercased ("Officials in Sumy" -> "officials in Sumy"), a title
    before a name is not ("General Oleksandr Syrskyi").
    """
    first, _, rest = phrase.partition(" ")
    low = first.lower()
    title = rest[:1].isupper() and low not in _DETERMINERS
    if low in _DETERMINERS or (not title and (low in SPEAKER_NOUNS or low in SPEAKER_MODIFIERS)):
        first = low
    elif low.startswith("pro-"):
        first = "p" + first[1:]
    return f"{first} {rest}".strip()


def _strip_adverbials(left: str) -> str:
    while True:
        stripped = _TRAILING_ADVERBIAL.sub("", left)
        if stripped == left:
            return left
        left = stripped


def _read_left(sentence: str, verb_start: int, sides: SideTable = BUILTIN) -> tuple[str, str]:
    """The speaker phrase ending right before a speech verb, and an appositive describing it."""
    left = _strip_adverbials(sentence[max(0, verb_start - REACH) : verb_start].rstrip())
    descriptor = ""
    aside = _APPOSITIVE.search(left) or _DASH_ASIDE.search(left)
    if aside:
        descriptor = aside.group().strip(" ,—–-")
        left = left[: aside.start()]
    # "Gerasimov, seated among top officers opposite Putin, (who ...,) told": a participle's
    # phrase between the speaker and the verb is an aside too
    while participle := _PARTICIPLE_ASIDE.search(left):
        left = left[: participle.start()]
    near = max(0, len(left) - 80)  # (the phrase ends at the verb: only its last words)
    hint = _FAMILIAR_HINT.search(left, near)
    familiar = _FAMILIAR_BEFORE.search(left, near) if hint else None
    if familiar:  # "sources familiar with the matter said": the phrase goes on past its noun
        left = left[: familiar.start("tail")].rstrip()
    tokens = _TOKEN.findall(left)
    taken: list[str] = []
    for i in range(len(tokens) - 1, -1, -1):
        token = tokens[i]
        low = token.lower()
        if not taken and low in _PRONOUNS:
            return token, descriptor
        # "British and US officials", "witnesses and officials": one speaker made of two
        if low == "and" and taken and i > 0 and _joins(tokens[i - 1], sides):
            taken.append(token)
            continue
        if low in _NOT_NAME:
            break
        # A possessive inside the phrase still belongs to it: "the prosecutor general's office".
        base = re.sub(r"['’]s$", "", low) if taken else low
        if (
            token[:1].isupper()
            or base in SPEAKER_NOUNS
            or base in SPEAKER_MODIFIERS
            or (low in _CONNECTORS and taken)
            or sides.names_side(base)
            or (token[:1] == "(" and _BRACKETED.fullmatch(token))
        ):
            taken.append(token)
        elif (low in _DETERMINERS or low in _OWNERS) and taken:
            taken.append(token)
            # "the Institute for the Study of War": a name goes on past "for the" / "of the".
            if not (
                i >= 2
                and tokens[i - 1].lower() in _CONNECTORS
                and (tokens[i - 2][:1].isupper() or tokens[i - 2].lower() in SPEAKER_NOUNS)
            ):
                break
        else:
            # (only before a lower-case head: "a mining town which Russia" is no speaker)
            taken += _described_head(tokens, i) if taken and all(map(str.islower, taken)) else []
            break
    if taken and taken[-1].lower() in _CONNECTORS and taken[0][:1].isupper():
        # "fighters in the rebel stronghold of Kidal said": the name is where the speaker is,
        # and the speaker's own words lie before what this reads (a place is not a person)
        return "", ""
    while taken and (taken[-1].lower() in _CONNECTORS or taken[-1].lower() in _DISCOURSE):
        taken.pop()
    while taken and taken[0].lower() in _CONNECTORS:
        taken.pop(0)
    phrase = " ".join(reversed(taken))
    if not phrase or phrase.lower() in _DETERMINERS:
        return "", ""
    if familiar:
        phrase += " " + " ".join(familiar["tail"].split())
    return phrase, descriptor


_LOWER_WORD = re.compile(r"[a-z][a-z-]*")


def _described_head(tokens: list[str], i: int) -> list[str]:
    """Lower-case words the lexicon lacks between an article and a speaker noun ("a press
    freedom group", "a pro-democracy activist group"), right to left; none without the article."""
    j = i
    while (
        j >= 0 and i - j < 3 and _LOWER_WORD.fullmatch(tokens[j]) and tokens[j] not in _DETERMINERS
    ):
        j -= 1
    if j < 0 or j == i or tokens[j].lower() not in _DETERMINERS:
        return []
    return [tokens[k] for k in range(i, j - 1, -1)]


def _cited_for_relays(sentence: str, found: list[Attribution]) -> list[Attribution]:
    """Each relayed attribution ("Reuters reported, citing X"; "Citing X, Al Jazeera said")
    takes the cited source as its claimant; the citing attribution itself is dropped."""
    cited = [a for a in found if sentence.startswith(("citing", "Citing"), a.verb_start)]
    if not cited:
        return found
    out: list[Attribution] = []
    used: list[Attribution] = []
    for a in found:
        if a in cited:
            continue
        source = next((c for c in cited if _relays(sentence, a, c, found)), None)
        if source:
            used.append(source)
        out.append(replace(a, claimant=source.claimant, side=source.side) if source else a)
    # (a source cited by no speaker the sentence names still speaks: "citing X, the outlet")
    return sorted(out + [c for c in cited if c not in used], key=lambda a: a.verb_start)


def _relays(sentence: str, a: Attribution, citing: Attribution, found: list[Attribution]) -> bool:
    """Whether ``a`` relays what ``citing`` names: "X reported, citing Y" (right after it), or
    "Citing Y, X said" (the first speech verb after the cited source)."""
    if _RELAY_GAP.fullmatch(sentence, a.verb_end, citing.verb_start):
        return True
    if not (citing.verb_end <= a.verb_start and "," in sentence[citing.verb_end : a.verb_start]):
        return False
    return not any(citing.verb_start < o.verb_start < a.verb_start for o in found)


_RELAY_GAP = re.compile(r"(?:\s+(?:on\s+\w+|\w+ly))?\s*,?\s*")


def speaker_at(sentence: str, start: int, sides: SideTable = BUILTIN) -> str | None:
    """The speaker phrase starting at ``start`` ("the Russian defence ministry"), if any."""
    return _read_right(sentence, start, sides) or None


def _joins(token: str, sides: SideTable) -> bool:
    """Whether the word before "and" can be the first half of a speaker ("British and ...")."""
    low = token.lower()
    return (
        token[:1].isupper()
        or low in SPEAKER_NOUNS
        or low in SPEAKER_MODIFIERS
        or bool(sides.names_side(low))
    ) and low not in _NOT_NAME


def _read_right(sentence: str, start: int, sides: SideTable = BUILTIN) -> str:
    """The speaker phrase starting at ``start`` ("according to the UN migration agency")."""
    by = _STATEMENT_BY.match(sentence, start)
    if by:  # "according to a statement by the Sudanese army": the army
        start = by.end()
    taken: list[str] = []
    end = start
    for match in _TOKEN.finditer(sentence, start):  # (lazily: the phrase ends in a few words)
        token = match.group()
        low = token.lower()
        if (
            (not taken and low in _DETERMINERS)
            or token[:1].isupper()
            or low in SPEAKER_NOUNS
            or low in SPEAKER_MODIFIERS
            or (low in _CONNECTORS and taken)
            or sides.names_side(low)
            or (taken and token[:1] == "(" and _BRACKETED.fullmatch(token))
            # "according to the town's mayor": a possessive inside the phrase
            or (taken and low.endswith(("'s", "’s")) and low[:-2] in SPEAKER_MODIFIERS)
        ):
            taken.append(token)
            end = match.end()
        else:
            break
    while taken and (taken[-1].lower() in _CONNECTORS or taken[-1].lower() in _DETERMINERS):
        taken.pop()
    familiar = _FAMILIAR_AFTER.match(sentence, end) if taken else None
    if familiar and taken[-1].lower() in _FAMILIAR_HEADS:  # "citing sources familiar with it"
        taken += familiar["tail"].split()
    return " ".join(taken)
