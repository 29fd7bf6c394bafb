"""Control claims in one sentence: which place, what happened to it, and who did it.

Three shapes of trigger:

- object: the place follows the verb ("his forces had taken Shusha", "withdrew from Kherson",
  "on the outskirts of Stepanakert", "battles for the town were ongoing");
- subject: the place comes first ("Vovchansk fell to Russian forces", "the city of Shushi is
  completely out of our control", "Kremennaya is now under Russian control");
- aggregate: a count instead of a name ("48 more settlements").

The object of a trigger must be a place (`places.is_place_name`), so "captured the title",
"took office", "seized the initiative" never become claims. Clause-level vetoes
(`filters.veto`) drop history, denials, hypotheticals and doubt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from briefwatch.extract.filters import SPORT_ONLY, clause_bounds, dated_after, denial_at, veto
from briefwatch.extract.lexicon import FORCE_NOUNS as _FORCE_NOUNS
from briefwatch.extract.lexicon import sentence_words, words
from briefwatch.extract.objects import NoObject, it_refers_to, read_objects
from briefwatch.extract.places import ANAPHOR, NAME, PlaceBook, PlaceMention
from briefwatch.extract.sides import BUILTIN, SideTable, is_country
from briefwatch.extract.speakers import speaker_at
from briefwatch.extract.triggers import WAR_WORDS, Trigger, candidates

_FORCE_MODIFIERS = words(
    """separatist government federal rebel jihadist islamist armed enemy junta pro-government
    army military special national regular ethnic opposition insurgent militant paramilitary
    resistance allied loyalist defence defense security"""
)
_POSSESSIVES = words("his her its their our my")
_SUBJECT_PRONOUNS = words("it they we he she")
_STOP_CAPS = words(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december but and however meanwhile on in
    after as when while the a since before following with without despite amid during until
    once if"""
)
_TOKEN = re.compile(r"[\w’'-]+|[^\w\s]")
# Between a subject and its verb: auxiliaries, adverbs, quote marks, "defended and are".
_AUX_TAIL = re.compile(
    r"(?:['’](?:re|ve|ll|d)\s*|(?:^|(?<=[\s\"“”]))(?:had|has|have|having|was|were|is|are|been|be|"
    # ("have reportedly made advances towards": the light verb of a noun trigger)
    r"being|managed\s+to|in\s+the\s+process\s+of|began|begun|started|continued|kept|made|making|"
    r"able\s+to|not|never|no\s+longer|now|reportedly|finally|also|still|already|successfully|fully|"
    r"completely|then|later|eventually|claim(?:s|ed)?\s+to\s+have|say\s+they\s+have|\w+ly|"
    # "Russian troops were fighting on the outskirts of": the participle's subject
    r"\w+ed\s+and|[a-z]+ing)\s*|[\"“”]\s*)*$"
)
_DAY = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,\s+\d{4})?)"
)
# A time between a subject and its verb: "on Thursday", "late Sunday", "on June 28, 2021,",
# "earlier", "overnight", "last week"
_TIME_TAIL = re.compile(
    rf"(?:,\s*|\s+)(?:(?:on|late|early|by)\s+(?:(?:late|early)\s+)?{_DAY}|{_DAY}|earlier|overnight|"
    r"yesterday|today|last\s+(?:week|month|night|year)|this\s+(?:week|month|year)|"
    r"(?:earlier|later)\s+(?:this|that|in\s+the)\s+(?:week|month|day))\s*,?\s*$"
)
_RELATIVE_TAIL = re.compile(r",?\s+(?:who|which|that)\s*$")
_MADE_TO = re.compile(
    r"\b(?:forced|forcing|compelled|ordered|prompting|prompted)\s+(?P<np>(?:[\w’'-]+\s+){1,5}?)to\s*$"
)
_ACRONYM_TAIL = re.compile(r"\s*\([A-Z][A-Za-z0-9-]{1,7}\)\s*$")
_LED_BY = re.compile(
    rf"(?<![\w’'-])(?P<head>[A-Za-z]+)(?P<tail>\s+(?:led|backed|supported|commanded|headed)\s+by\s+"
    # ("government troops backed by tribal fighters managed to retake")
    rf"(?:the\s+)?(?:{NAME}|(?:[a-z-]+\s+){{0,2}}(?:{'|'.join(sorted(_FORCE_NOUNS))}))"
    rf"(?:\s*\([A-Z][A-Za-z0-9-]{{1,7}}\))?)\s*$"
)
_ACTOR_RIGHT = re.compile(
    # (the longest such phrase: "government troops", not "government")
    rf"\s*(?P<np>(?:the\s+)?(?:(?:{NAME}|(?!and\b|or\b)[a-z-]+)\s+){{0,3}}(?:{'|'.join(sorted(_FORCE_NOUNS))})\b"
    rf"|(?:the\s+)?{NAME})"
)
# A subject place and its verb are not separated by another subject or a new clause.
_GAP_STOP = re.compile(
    r"\b(?:said|says|and|that|it|they|he|she|we|after|before|when|because|since|where|which|who|"
    r"as|while|whereas)\b"
)


@dataclass(frozen=True)
class Found:
    """A control claim before attribution."""

    place: str
    status: str
    actor_phrase: str | None  # as written ("his forces", "it", "Ukrainian"), resolved later
    anchor: int
    count: int | None = None
    possessive: bool = False  # actor came from "under our/Russian control"
    claimant: str | None = None  # said by someone the rule names, not the sentence's speaker
    start: int | None = None  # where a subject-shaped claim's words begin (its place)
    unnamed: str | None = None  # "seized a town": the kind of place a later sentence names


_PARTICLE = re.compile(r"\s+(?:down|up|off|apart|away|out|back|aback)\b")
_TOOK = re.compile(r"(?:took|taken|take|takes|taking)\b")
_STALE_HOLD = re.compile(r"\bhad\s+(?:been|held)\b[^.;]{0,80}\bsince\b")
# An attempt under way on a place threatens it: "trying to capture", "efforts to seize".
_ATTEMPT = re.compile(
    r"\b(?:trying|attempting|efforts|effort|struggling|fighting|battling|pushing|seeking|"
    # "the force is advancing to capture Mekelle": on the move to take it
    r"attempts|bid|advancing|moving|marching|racing|poised|closing\s+in|closer|close|threaten|"
    r"threatens|threatening|threatened|look|looks|looking)\s+to\s+$"
)
_TAKING = frozenset({"captured", "recaptured", "encircled"})
_SURROUNDINGS = re.compile(
    r"\s*(?:the\s+|most\s+of\s+the\s+)?(?:surrounding|nearby|neighbouring|neighboring)\s+(?:areas|"
    r"villages|towns|positions|heights|hills|countryside|districts)\s+(?:of|around|near)\s+"
)
# Statuses that say a place changed hands: denied, they leave the place contested.
CHANGES = frozenset({"captured", "recaptured", "lost"})
# The author of a claim that a denial names: "denied Aliyev's announcement that ...", "rejected
# claims by the Russian defence ministry that ...".
_NAMED_CLAIM = re.compile(
    rf"(?P<who>{NAME})['’]s\s+(?:[a-z]+\s+)?(?:claims?|announcements?|statements?|assertions?|"
    rf"reports?|allegations?)\b"
    r"|\b(?:claims?|announcements?|statements?|assertions?|reports?)\s+(?:by|from)\s+(?P<by>)"
)


@dataclass(frozen=True)
class Miss:
    """Why a trigger produced no claim."""

    trigger: str
    reason: str


_REGION_AFTER = re.compile(r"\s+(?:region|oblast|province|governorate|state)\b", re.I)


def _place_before(
    sentence: str, start: int, mentions: list[PlaceMention], relative: bool = False
) -> PlaceMention | None:
    """The place a subject-shaped trigger is about: close before it, same clause. A region named
    as a location on the way ("The town of Balakliya, Kharkiv region, is liberated") is passed
    over.

    ``relative``: the trigger opens a relative clause ("which Moscow said it had captured"), whose
    antecedent is a town, not a country, may sit in a prepositional phrase ("fighting in Pisky,
    an eastern village which ...") and may carry its type noun ("Donetsk city, which ...").
    """
    for m in reversed(mentions):
        if m.end > start:
            continue
        if _REGION_AFTER.match(sentence, m.end) or (relative and is_country(m.name)):
            continue
        if m.kind in _REGION_KINDS:  # "the country's eastern region of Luhansk"
            continue
        comma = sentence.rfind(",", 0, m.start) if sentence[m.start].isupper() else -1
        if comma >= 0 and _APPOSITION.match(sentence[comma:start].rstrip("\"“”' ")):
            # "X, previously controlled by the Karenni coalition, was retaken": a name inside
            # the apposition is not the subject ("the nearby city" in one still stands for it)
            continue
        if relative and _ANTECEDENT_GAP.fullmatch(sentence, m.end, start):
            return m
        if _DISTRICT_AFTER.match(sentence, m.end) and _IN_PHRASE.search(sentence, 0, m.start):
            continue  # "Nuzgar villages of Jabrayil district were liberated": the locator
        gap = sentence[m.end : start].rstrip("\"“”' ")  # a quote may open before the verb
        gap = _DIRECTION_LOCATOR.sub("", gap)  # "Kunduz and Sar-e-Pul in the north fell"
        gap = _TYPE_OF_REGION.sub("", gap)  # "Nuzgar villages of Jabrayil district were ..."
        gap = _APPOSITION.sub("", gap)  # "Lysychansk, the final stronghold in ..., had fallen"
        if len(gap) > 60 or re.search(r"[.;:\"“”]", gap) or gap.count(",") > 2:
            return None
        if _NOT_THE_SUBJECT.search(gap):  # "Apple's share fell", "LONDON - The pound fell"
            continue  # (the place an apposition describes may come before: "Homs, Syria's ...")
        if _GAP_STOP.search(gap) or _NEW_SUBJECT.search(gap) or _NOUN_IN_GAP.search(gap):
            return None
        head = _phrase_start(sentence, m)
        if head < m.start and _AFTER_A_NAME.search(sentence, max(0, head - 40), head):
            continue  # "Zaranj, provincial capital of Nimroz, has fallen": Zaranj fell
        if _IN_PHRASE.search(sentence, 0, head):
            # "districts in Shabwa have fallen": Shabwa is not what fell; an earlier place may be
            # ("Blahodatne, along with two villages in Zaporizhzhia, are in a grey zone")
            continue
        return m
    return None


# "Other markets also fell": a lower-case noun between a name and the verb is the subject
_NOUN_IN_GAP = re.compile(
    r"^\s*(?:\d|(?!(?:has|have|had|is|are|was|were|been|being|be|also|now|then|still|already|"
    r"finally|reportedly|not|never|just|did|does|do|to|by|completely|fully|effectively|appears|"
    r"appeared|seems|seemed|"
    r"eventually|later|once|again|almost|nearly|the|a|an|and|itself|too|soon|yet|ever|region|"
    r"oblast|province|district|state|would|will|could|may|might|must|should|can|town|city|village|"
    r"township|settlement|hamlet)\b)(?![a-z]+ly\b)"
    r"[a-z]{3,}\b)"
)
_DIRECTION_LOCATOR = re.compile(
    r"^\s+in\s+the\s+(?:far\s+)?(?:north|south|east|west|north-?east|north-?west|south-?east|"
    r"south-?west|centre|center)(?:\s+of\s+the\s+country)?(?=\s*$|\s+[a-z])"
)
_AFTER_A_NAME = re.compile(r"[A-Z][\w’'-]*[\"”’']?,\s*$")
_NOT_THE_SUBJECT = re.compile(
    r"^\s*['’]s\b|^\s*(?:of|in|at|on|from|for|with|by)\b|\s[-–—]\s|\b(?:the|a|an)\s+[a-z]"
)
# Between a relative clause's antecedent and its "which": a type noun, or an apposition
_ANTECEDENT_GAP = re.compile(
    r"(?:\s+(?:city|town|village|settlement))?[\"”’']?\s*,?\s*(?:(?:an?|the|its)\s+[^,;:.\"“”]{0,40}?\s*)?"
)
# (a district is named after its town and changes hands with it: "the district of Abdiya")
_REGION_KINDS = frozenset({"region", "province", "oblast", "area", "enclave"})
_APPOSITION = re.compile(
    r"^,\s+(?:the|a|an|essentially|once|now|previously|formerly|along\s+with|together\s+with|"
    # "El Fasher, home to 250,000 civilians, ..."; "Zaranj, provincial capital of Nimroz, ..."
    r"home\s+to|(?:[a-z]+\s+){0,2}capital\s+of|[A-Z][\w’'-]+['’]s|by|according\s+to|"
    # "Avdiivka, adjacent to Maryinka, remains ...": where it is
    r"adjacent\s+to|next\s+to|close\s+to|near|located|situated|"
    r"(?:just\s+|some\s+)?(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)"
    r"\s+of)\s"
    # (what follows it is the verb's own: "..., appears to have fallen")
    r"(?:[^,;:]|(?<=\d),(?=\d{3})){2,130},\s*(?=(?:\s*[a-z]+){0,3}$)"
)
# "Murovdag, important heights were taken": a new noun after a comma is the subject
_NEW_SUBJECT = re.compile(
    r",\s+(?!(?:the|a|an|which|who|and|or|now|once|also|has|have|had|is|are|was|were|been|"
    r"already|finally|then|later|reportedly|essentially|appears|appeared|seems|seemed)\b)[a-z]"
)
# A place inside a prepositional phrase ("in Shabwa", "around the village of X") is not the
# subject of the verb after it.
_IN_PHRASE = re.compile(
    r"(?<!percent\s)(?<!%\s)(?<!half\s)(?<!most\s)(?<!much\s)(?<!part\s)(?<!parts\s)(?<!all\s)"
    r"(?<!rest\s)(?<!centre\s)(?<!center\s)\b(?:in|of|near|from|at|outside|around|inside|across|"
    r"headquarters|base|airport|adjacent\s+to|next\s+to|close\s+to)\s+$",
    re.I,
)
_TYPED_HEAD = re.compile(
    r"\b(?:the\s+)?(?:(?!(?:in|of|at|near|from|on)\b)[\w’'-]+\s+){0,3}?(?:town|city|village|settlement|hamlet|capital|stronghold|"
    r"port)\s+of\s+$"
)


def _phrase_start(sentence: str, m: PlaceMention) -> int:
    """Where the noun phrase naming a place starts: before "the town of", when it has one."""
    head = _TYPED_HEAD.search(sentence, max(0, m.start - 60), m.start)
    return head.start() if head else m.start


def _walk_subject(tokens: list[str], sides: SideTable = BUILTIN) -> int:
    """Index where the subject noun phrase ending the token list starts (len(tokens) if none)."""
    i = len(tokens)
    while i > 0:
        token = tokens[i - 1]
        low = token.lower()
        if low in _POSSESSIVES or low == "the":
            return i - 1 if i < len(tokens) else len(tokens)
        if low in _STOP_CAPS:
            return i
        if (
            token[:1].isupper()
            or low in _FORCE_NOUNS
            or low in _FORCE_MODIFIERS
            or token[:1].isdigit()
            or sides.names_side(low)
        ):
            i -= 1
            continue
        return i
    return i


def subject_phrase(sentence: str, start: int, sides: SideTable = BUILTIN) -> str | None:
    """The subject right before a verb: "his forces", "Azerbaijani forces", "it", "The army".

    A configured side's word is a subject of its own: "the paramilitaries", "the resistance".
    """
    left = _AUX_TAIL.sub("", sentence[:start])
    # "Iraqi forces on Thursday took over", "Taliban had earlier captured": the subject is
    # before the time the clause gives
    timed = _TIME_TAIL.search(left, max(0, len(left) - 40))  # (a tail: no scan of it all)
    if timed:
        left = _AUX_TAIL.sub("", left[: timed.start()])
    # "the Rapid Support Forces (RSF) have taken": the short name in brackets is the subject's
    left = _ACRONYM_TAIL.sub("", left)
    # "a counterattack forced the militia to flee X": the one made to do it
    # ("Fighting forced government troops to pull out": what forced them is no part of them)
    made = _MADE_TO.search(left)
    if made:
        left = made["np"]
    # "opposition forces led by Hayat Tahrir al-Sham entered": the forces, whoever leads them
    led = _LED_BY.search(left)
    if led and led["head"].lower() in _FORCE_NOUNS:
        left = left[: led.start("tail")]
    relative = _RELATIVE_TAIL.search(left, max(0, len(left) - 16))
    if relative:
        # "The Houthis, who control the capital Sanaa": the antecedent, when it is armed
        found = subject_phrase(left, relative.start(), sides)
        return found if is_armed(found, sides) else None
    tokens = _TOKEN.findall(left)
    if tokens and tokens[-1].lower() in _SUBJECT_PRONOUNS:
        return tokens[-1]
    begin = _walk_subject(tokens, sides)
    # "Malian troops and their Russian allies retook": the actor is the first conjunct. Not in
    # "... seized Avdiivka and Belarusian troops had entered Sumy", where "and" joins clauses.
    if (
        1 < begin < len(tokens)
        and tokens[begin - 1].lower() == "and"
        and tokens[begin].lower() in _POSSESSIVES
    ):
        first = _walk_subject(tokens[: begin - 1], sides)
        if first < begin - 1 and tokens[begin - 2].lower() in _FORCE_NOUNS:
            tokens, begin = tokens[: begin - 1], first
    words = tokens[begin:]
    if not words:
        return None
    if _in_prepositional_phrase(tokens, begin) and words[-1].lower() not in _FORCE_NOUNS:
        # "Russian forces pressing their advance through eastern Ukraine have captured X": the
        # name after "through" is no subject; the sentence's armed subject is (a force after
        # one is: "culminating in insurgents withdrawing from X")
        return clause_subject(sentence, start, sides, first=True)
    # A subject must end in a force noun or be a name ("The Arakan Army", "Azerbaijan").
    last = words[-1].lower()
    if last in _FORCE_NOUNS or words[-1][:1].isupper() or sides.names_side(last):
        return " ".join(words)
    return None


_PREPOSITIONS = words(
    "through in across from into near at on around towards toward to with against inside "
    "outside along over under beyond within"
)
_BELONGING = words("loyal allied linked affiliated aligned close")
_PLACE_ADJECTIVES = words(
    "northern southern eastern western central north-eastern north-western south-eastern "
    "south-western northeastern northwestern southeastern southwestern occupied"
)


def _in_prepositional_phrase(tokens: list[str], begin: int) -> bool:
    """Whether the phrase starting at ``begin`` follows a preposition ("through (eastern)")."""
    i = begin - 1
    if i >= 0 and tokens[i].lower() in _PLACE_ADJECTIVES:
        i -= 1
    # ("troops loyal to the junta", "forces allied to Kyiv": the side they belong to)
    loyal = i > 0 and tokens[i - 1].lower() in _BELONGING
    return i >= 0 and tokens[i].lower() in _PREPOSITIONS and not loyal


_CLAUSE_START = re.compile(r"(?:^|[,;:]\s+|\b(?:after|as|when|while|and|but)\s+)")
# (a reported clause too: "the chief said Friday that M23 rebels are advancing ... after seizing")
_FIRST_CLAUSE_START = re.compile(
    r"(?:^|[,;:.!?]\s+|\b(?:after|as|when|while|and|but|that|said|says|added)\s+)"
)


def clause_subject(
    sentence: str, pos: int, sides: SideTable = BUILTIN, first: bool = False
) -> str | None:
    """The armed subject that opens the clause holding ``pos`` ("The paramilitaries stormed X
    and took control of the city" -> "The paramilitaries"), if it names one.

    ``first``: the first armed subject of the sentence instead (a participle's doer: "The M23,
    backed by Rwanda, is moving towards Bukavu, DRC, after taking Goma" -> "The M23").
    """
    opener = _FIRST_CLAUSE_START if first else _CLAUSE_START
    starts = [m.end() for m in opener.finditer(sentence, 0, pos)]
    for start in starts if first else reversed(starts[-3:]):
        tokens = _TOKEN.findall(sentence[start:pos].lstrip("\"“”‘’'( "))
        words = []
        for token in tokens:
            low = token.lower()
            determiner = low in ("the", "its", "their", "our", "his") and not words
            if determiner or token[:1].isupper() or _forceish(low, sides):
                words.append(token)
            else:
                break
        phrase = " ".join(words)
        # (the first subject must say it is armed: in "A UN envoy said", "A UN" is no force)
        if words and is_armed(phrase, sides, acronyms=not first):
            return phrase
    return None


def _forceish(low: str, sides: SideTable) -> bool:
    """Whether a lower-case word can be part of an armed subject ("separatist", "forces")."""
    return low in _FORCE_NOUNS or low in _FORCE_MODIFIERS or bool(sides.names_side(low))


def actor_after(sentence: str, pos: int, sides: SideTable = BUILTIN) -> str | None:
    """The actor after "fell to" / "captured by" ("Russian forces", "the paramilitaries")."""
    m = _ACTOR_RIGHT.match(sentence, pos)
    if m is None and sides.after is not None:
        m = sides.after.match(sentence, pos)
    return m["np"] if m else None


def is_armed(
    phrase: str | None, sides: SideTable = BUILTIN, we: bool = False, acronyms: bool = True
) -> bool:
    """Whether an actor phrase names an armed group or a side ("Russian forces", "Kyiv",
    "the MNDAA", "M23"; "they", whom the text has named before, and with ``we`` "we": a speaker
    leaving a town speaks for a side, one surrounding a player in a match does not).

    ``acronyms``: a short name in capitals counts as an armed group ("the MNDAA"); not where
    the phrasing is as common for bodies ("held by the OSCE").
    """
    if not phrase:
        return False
    last = phrase.split()[-1]
    if last.lower() in _FORCE_NOUNS or last.lower() == "they" or (we and last.lower() == "we"):
        return True
    if acronyms and _ACRONYM.fullmatch(last):
        return True
    return sides.side_of(phrase) is not None


_ACRONYM = re.compile(r"[A-Z][A-Z0-9]{1,5}|M\d{2}")


def _object_claims(
    sentence: str, m: re.Match[str], trigger: Trigger, book: PlaceBook,
    before: list[PlaceMention], persons: list[str], sides: SideTable, earlier: str | None = None,
    today: date | None = None,
) -> list[Found] | Miss:  # fmt: skip
    """Claims of an object-shaped trigger: one per place it names."""
    if trigger.needs_before:
        left, _ = clause_bounds(sentence, m.start(), m.end())
        if left and sentence[left - 1] in "\"“”'‘’":  # 'his forces were "on the threshold of'
            left = clause_bounds(sentence, left - 1, left - 1)[0]
        if not trigger.needs_before.search(sentence, left, m.end()):
            return Miss(m.group().strip(), "no sign of war")
    got = read_objects(sentence, m.end(), book, before, persons)
    if isinstance(got, NoObject):
        return Miss(m.group().strip(), got.reason)

    if dated_after(sentence, got[-1].end, today):
        return Miss(m.group().strip(), "history")
    if _PARTICLE.match(sentence, got[-1].end) and _TOOK.match(m.group()):
        return Miss(m.group().strip(), "a phrasal verb")  # "took the Wall down"
    if trigger.needs and not trigger.needs(sentence, got[-1].end):
        return Miss(m.group().strip(), "no sign the fight goes on")
    possessive = False
    if trigger.status == "contested" or trigger.actorless:
        actor = None
    elif trigger.nominal:
        if _MODAL_AFTER.match(sentence, got[-1].end):
            return Miss(m.group().strip(), "hypothetical")
        actor, possessive = _nominal_actor(sentence, m, got[-1].end, sides)
    else:
        actor = subject_phrase(sentence, m.start(), sides)
        participle = _PARTICIPLE.match(m.group()) and _AFTER_DOING.search(sentence, 0, m.start())
        if actor is None and (participle or _COORDINATED_VERB.search(sentence, 0, m.start())):
            # "rebels took control of Hama and advanced toward Homs": the first verb's subject
            actor = (
                earlier
                or clause_subject(sentence, m.start(), sides, first=bool(participle))
                or clause_subject(sentence, m.start(), sides, first=True)
            )
    it_armed = actor == "it" and is_armed(clause_subject(sentence, m.start(), sides, True), sides)
    if (
        trigger.armed_actor
        and not it_armed  # "Israel's military said that it had encircled X"
        and not is_armed(actor, sides, we=trigger.status == "lost")
    ):
        return Miss(m.group().strip(), "no armed actor")
    if (
        trigger.war_words
        and not it_armed
        and not is_armed(actor, sides)
        and not WAR_WORDS.search(sentence)
    ):
        return Miss(m.group().strip(), "no sign of war")
    return [
        Found(o.place, trigger.status, actor, m.start(), o.count, possessive, unnamed=o.unnamed)
        for o in got
    ]


# "advancing toward Bukavu after seizing Goma", "..., recapturing it from the rebels": a
# participle's doer is the clause's subject.
_PARTICIPLE = re.compile(r"[a-z]+ing\b")
_AFTER_DOING = re.compile(r"(?:\b(?:after|before|while|since|upon|by)|,)\s+(?:\w+ly\s+)?$")
# A verb joined to the one before by "and": it shares that verb's subject.
_COORDINATED_VERB = re.compile(
    r"\band\s+(?:(?:then|later|also|already|now|still|are|were|is|was|have|has|had|\w+ly)\s+)*"
    r"(?:(?:started|began|kept|continued)\s+)?$"
    r"|\b(?:used|using|sent|deployed)\b[^,;.]{1,40}\bto\s+$"
)
# "the capture of Rufaa, a town north of Wad Madani, by the RSF", "the fall of Kherson to ..."
_NOMINAL_AGENT = re.compile(r"(?:\s*,[^,]{1,80},)?\s*(?:by|to)\s+")
_WITHDRAWAL_OF = re.compile(r"\bof\s+(?P<np>[^,.;]{1,40}?)\s+from\s+$")
_OWNER = re.compile(
    r"(?P<own>its|their|his|our)\s|(?P<np>(?:the\s+)?(?:[\w-]+\s+)?[\w-]+)(?:['’]s|(?<=s)['’])\s",
    re.I,
)
# A modal after a nominal governs it: "The fall of Kupiansk would be a blow".
# (past a relative clause: "The capture of Vuhledar, which has been known as ..., would mark")
_MODAL_AFTER = re.compile(
    r"(?:\s*,\s*(?:which|who)\b[^;.,]{0,140},)?[^,;.]{0,60}?\b(?:would|could|might|may|will|should)\b"
)


def _nominal_actor(
    sentence: str, m: re.Match[str], end: int, sides: SideTable
) -> tuple[str | None, bool]:
    """Who took the place a noun names: "by Y" / "to Y" after it, else an owner before it that
    is a side ("Russia's capture of", "their takeover of"); "Last week's" is no one."""
    of_whom = _WITHDRAWAL_OF.search(m.group())
    if of_whom:  # "the withdrawal of the army from X"
        return of_whom["np"], False
    agent = _NOMINAL_AGENT.match(sentence, end)
    if agent:
        named = actor_after(sentence, agent.end(), sides)
        if named:
            return named, False
    owner = _OWNER.match(sentence, m.start())
    if owner and owner["own"]:
        # "Kyiv called its retreat": the owner is the clause's subject
        return clause_subject(sentence, m.start(), sides) or owner["own"], False
    if owner and owner["np"] and (is_armed(owner["np"], sides)):
        return owner["np"], False  # "the rebels' takeover of"
    if owner and owner["np"] and sides.side_of(owner["np"]):
        return owner["np"], True  # "Russia's capture of" -> Russian forces
    return None, False


# A denied hold of a place: "Kyiv denied Russia had full control of Toretsk", "has not been able
# to control the entire town yet" - the fight for it goes on (as a denied capture)
_DENIED_HOLD = re.compile(r"\bcontrol(?:s|led)?\b")
_NO_LONGER = re.compile(r"\bno\s+longer\s+(?:\w+\s+)?$")
_STILL = re.compile(r"\b(?:still|now|currently)\s+$")
_WHICH_BEFORE = re.compile(r"\bwhich\s+(?:(?:has|have|had)\s+)?$")
_UNTIL = re.compile(r"[^,;.]{0,50}?\buntil\b")
_HELD_UNTIL = re.compile(r"[^,;.]{0,80}?\buntil\s+(?!now\b|today\b|further\b)")


def _subject_claim(
    sentence: str, m: re.Match[str], trigger: Trigger, book: PlaceBook,
    before: list[PlaceMention], sides: SideTable,
) -> list[Found] | Miss:  # fmt: skip
    """The claim of a subject-shaped trigger: the place named before it."""
    anaphors = [
        PlaceMention(name, a.start(), a.end())
        for a in ANAPHOR.finditer(sentence, 0, m.start())
        if (name := book.resolve(a["type"], [p for p in before if p.end <= a.start()]))
    ]
    ordered = sorted([*before, *anaphors], key=lambda p: p.end)
    start = m.start()
    relative = trigger.antecedent
    which = None if relative else _WHICH_BEFORE.search(sentence, max(0, start - 16), start)
    if which and _UNTIL.match(sentence, m.end()):
        which = None  # "Kherson, which was occupied by Russian forces until last November"
    if which:  # "near Donetsk, which is under Russian control": the antecedent, as "which-held"
        relative, start = True, which.start()
    subject = _place_before(sentence, start, ordered, relative)
    if subject is None and _IT_BEFORE.search(sentence, max(0, start - 30), start):
        # "Kunlong was held ... until it was seized by the alliance": the town "it" stands for
        subject = _it_subject(sentence, book, ordered, start, sides)
    if subject is None:
        return Miss(m.group().strip(), "no place before")
    opener = not sentence[: subject.start].strip(" \"“‘'(")
    if book.doubtful(subject.name) or (opener and book.word_not_place(subject.name)):
        # "Oil fell", "Dow Jones and Russell 2000 fell": a common word before a weak verb is a
        # place only when the text or config says so
        return Miss(m.group().strip(), "a word, not a place")
    subjects = _listed_before(sentence, subject, ordered)
    groups = m.groupdict()
    if groups.get("who"):  # "X, which Moscow claimed it had won": Moscow's claim, its forces
        who = groups["who"]
        return [Found(subject.name, trigger.status, who, m.start(), None, True, who)]
    if groups.get("holder"):  # "Sanaa, which the Houthis have held": the holder, as written
        return [
            Found(subject.name, trigger.status, groups["holder"], m.start(), start=subject.start)
        ]
    poss = groups.get("poss")
    ends_with_agent = m.group().rstrip().endswith(("to", "by", "of"))
    actor = poss or (actor_after(sentence, m.end(), sides) if ends_with_agent else None)
    if trigger.armed_actor and not is_armed(actor, sides, acronyms=False):
        return Miss(m.group().strip(), "no armed actor")  # "a rally in Kyiv, held by students"
    # the subject's clause governs: "denied that Lysychansk, the last stronghold ..., had fallen"
    start = subjects[0].start
    return [
        Found(s.name, trigger.status, actor, m.start(), None, bool(poss), start=start)
        for s in subjects
    ]


# "it" as the subject of a subject-shaped trigger ("after it was recaptured by the army")
_IT_BEFORE = re.compile(r"\bit\s+(?:(?:has|had|have)\s+)?(?:(?:now|since|then|later|\w+ly)\s+)?$")


def _it_subject(
    sentence: str, book: PlaceBook, ordered: list[PlaceMention], start: int, sides: SideTable
) -> PlaceMention | None:
    """The town "it" before a subject-shaped trigger stands for, in a sentence of war."""
    if not WAR_WORDS.search(sentence) and not is_armed(
        clause_subject(sentence, start, sides), sides
    ):
        return None
    usable = [p for p in ordered if not (p.speaker or p.landmark)]
    name = it_refers_to(sentence, book, usable)
    return next((p for p in reversed(usable) if p.name == name), None) if name else None


_DISTRICT_AFTER = re.compile(r"\s+(?:district|rayon)\b")
# "A, B villages of Fizuli district, C, and D villages of Jabrayil district were liberated"
_TYPE_OF_REGION = re.compile(
    r"^\s+(?:villages?|towns?|settlements?|cities|city)\s+of\s+(?:the\s+)?[A-Z][\w’'-]+\s+"
    r"(?:district|region|province|rayon)"
)
_SUBJECT_LIST_SEP = re.compile(
    r"(?:\s+(?:villages?|towns?|settlements?)\s+of\s+(?:the\s+)?[A-Z][\w’'-]+\s+"
    r"(?:district|region|province|rayon))?(?:\s*,\s*(?:and\s+)?|\s+and\s+)"
)


def _listed_before(
    sentence: str, last: PlaceMention, mentions: list[PlaceMention]
) -> list[PlaceMention]:
    """The places listed with the subject: "Kabul, Jalalabad and Mazar Sharif remained ..."
    (only when the last one is joined by "and")."""
    listed = [last]
    for m in reversed([p for p in mentions if p.end <= last.start]):
        if _DISTRICT_AFTER.match(sentence, m.end) and _IN_PHRASE.search(sentence, 0, m.start):
            continue  # "villages of Fizuli district": where the items are, not an item
        if not _SUBJECT_LIST_SEP.fullmatch(sentence, m.end, listed[0].start):
            break
        listed.insert(0, m)
    joined = len(listed) > 1 and "and" in sentence[listed[-2].end : listed[-1].start]
    return listed if joined else [last]


def denied(
    sentence: str, m: re.Match[str], claims: list[Found], sides: SideTable, begin: int
) -> list[Found]:
    """A denied change of hands: the place is contested, said by the denier; and when the denial
    names whose claim it denies ("denied Aliyev's announcement that his forces took X"), that
    claim is read too, as its author's."""
    denial = denial_at(sentence, begin, m.end())
    out = [replace(c, status="contested", actor_phrase=None, possessive=False) for c in claims]
    # The named claim sits between the denial and the trigger, or before the trigger when the
    # denial comes after it ("Russia's assertion that ... is false").
    start = denial.start() if denial and denial.start() < m.start() else 0
    named = _NAMED_CLAIM.search(sentence, start, m.start())
    author = named and (named["who"] or speaker_at(sentence, named.end("by"), sides))
    if author:
        out += [replace(c, claimant=author) for c in claims]
    return out


def find_control(
    sentence: str,
    book: PlaceBook,
    mentions: list[PlaceMention],
    persons: list[str],
    today: date | None = None,
    tokens: frozenset[str] | None = None,
    sides: SideTable = BUILTIN,
) -> tuple[list[Found], list[Miss]]:
    """Control claims in one sentence (one per place and status), and the misses with reasons.

    ``today`` is the report's publication date, so "in November 2022" in a report of that
    month is news, not history. ``tokens`` are the sentence's words if the caller has them.
    ``sides`` is the conflict's side table: its words name actors as the countries do.
    """
    found: list[Found] = []
    misses: list[Miss] = []
    seen: set[tuple[str, str]] = set()
    spans: list[tuple[int, int]] = []
    tokens = sentence_words(sentence) if tokens is None else tokens
    queue = [(t, m, False) for t in candidates(tokens) for m in t.pattern.finditer(sentence)]
    for trigger, m, again in queue:  # (a trigger read again is appended: see below)
        if any(a <= m.start() < b for a, b in spans):
            continue  # part of a longer phrasing already read ("lost control of")
        before = [p for p in mentions if p.end <= m.start()]
        if trigger.shape == "object":
            earlier = next((f.actor_phrase for f in reversed(found) if f.actor_phrase), None)
            got = _object_claims(sentence, m, trigger, book, before, persons, sides, earlier, today)
        else:
            got = _subject_claim(sentence, m, trigger, book, before, sides)
        if isinstance(got, Miss):
            if got.reason == "nothing to refer to" and not again:
                # "the rebels retreated from the town" is read before "Bunagana is back in the
                # hands of the army" (table order): read again once the sentence's other claims
                # are in, which "the town" refers to first (`PlaceBook.resolve`)
                queue.append((trigger, m, True))
            else:
                misses.append(got)
            continue
        # A trigger whose own words are modal ("threatening to encircle") is judged by the
        # words before it.
        first = got[0] if isinstance(got, list) and got else None
        begin = first.start if first and first.start is not None else m.start()
        end = m.start() if trigger.own_modal else m.end()
        if trigger.apposition:  # its own words only (see `Trigger.apposition`)
            reason = veto(sentence[m.start() :], 0, m.end() - m.start(), today=today)
        else:
            reason = veto(sentence, begin, end, today=today)
        if reason == "history" and _STILL.search(sentence, max(0, m.start() - 12), m.start()):
            reason = None  # "launched an offensive in January 2025 and still controls X"
        armed = (
            reason in ("election", "sport", "protest")
            and first is not None
            and (
                is_armed(first.actor_phrase, sides)
                or is_armed(clause_subject(sentence, m.start(), sides, first=True), sides)
            )
        )
        if reason == "election" and armed:
            reason = None  # "After the election, the junta captured Banmauk": a war's news
        if reason == "protest" and armed:
            reason = None  # "Rebel fighters who control X imposed a curfew": armed, not a crowd
        if reason == "sport" and armed and not SPORT_ONLY.search(sentence):
            reason = None  # "took control of X ..., the final goal of the operation"
        claims = got
        stale = trigger.status in ("held", "encircled") and _STALE_HOLD.search(
            sentence, max(0, begin - 8)
        )
        if not reason and stale:
            reason = "history"  # "had been under the control of the rebels since ..."
        if not reason and trigger.status == "held" and _HELD_UNTIL.match(sentence, m.end()):
            reason = "history"  # "was under army control for decades until it was seized"
        held = trigger.status == "held" and _DENIED_HOLD.search(m.group())
        if reason == "denial" and held and _NO_LONGER.search(sentence, 0, m.start()):
            # "Ukraine no longer controls Bakhmut": lost by the one who held it
            claims = [replace(c, status="lost") for c in claims]
        elif reason == "denial" and (trigger.status in CHANGES or held):
            claims = denied(sentence, m, claims, sides, begin)
        elif reason == "hypothetical" and (attempt := _ATTEMPT.search(sentence, 0, m.start())):
            # "continuing efforts to seize Gwa town": a threat to the place, by the one trying
            by = subject_phrase(sentence, attempt.start(), sides)
            claims = [
                replace(c, status="threatened", actor_phrase=c.actor_phrase or by)
                for c in claims
                if c.status in _TAKING
            ]
            if not claims:
                misses.append(Miss(m.group().strip(), reason))
                continue
        elif reason:
            misses.append(Miss(m.group().strip(), reason))
            continue
        if trigger.status in _TAKING and _SURROUNDINGS.match(sentence, m.end()):
            # "took control of surrounding areas of Adigrat": around the town, not in it
            claims = [replace(c, status="threatened") for c in claims]
        spans.append((m.start(), m.end()))
        for claim in claims:
            if claim.place and claim.actor_phrase == claim.place:
                # "Kyiv still holds the town": a capital that acts is a government, and "the
                # town" it holds is never itself
                misses.append(Miss(m.group().strip(), "the actor is the place"))
                continue
            if (claim.place, claim.status) not in seen:
                seen.add((claim.place, claim.status))
                found.append(claim)
                if claim.place:
                    book.claimed.append(claim.place)
    found += _left_behind(sentence, found)
    found.sort(key=lambda f: f.anchor)
    return found, misses


# A force's noun phrase: "the African Union peacekeeping (AMISOM) forces" (no clause word in it)
_FORCE_WORD = r"(?:(?!(?:after|before|when|as|and|control|under|of)\b)[\w’'()-]+\s+)"
_FORCE_HEAD = "(?:" + "|".join(sorted(_FORCE_NOUNS)) + ")"
# "al-Shabab retook the town soon after troops left", "... recaptured Elbur after AMISOM forces
# pulled out": a withdrawal with no place of its own leaves the place just taken.
_LEFT = re.compile(
    rf"\b(?:after|as|when|once)\s+(?P<who>(?:the\s+)?(?:[\w’'()-]+\s+){{0,9}}?{_FORCE_HEAD})"
    r"(?:\s+(?:from|of)\s+(?:the\s+)?[A-Z][^,;.]{1,60}?)?\s+(?:had\s+|have\s+|has\s+)?"
    r"(?P<verb>left|withdrew|withdrawn|pulled\s+out|retreated|fled|pulled\s+back)"
    # (an adverb or a day may follow: 'withdrew "suddenly" Monday night')
    r"(?:\s+[\"“]?[a-z]+ly[\"”]?)?(?:\s+(?:on\s+)?[A-Z][a-z]+day(?:\s+(?:morning|night|evening))?)?"
    r"(?=\s*(?:[,.;:]|$)|\s+(?:and|but|overnight|earlier|last|on|in\s+[a-z]|without|after|"
    r"(?:north|south|east|west)(?:wards?)?\b))"
)
# "... stormed Palmyra, fighting off pro-government forces who withdrew after evacuating ...",
# "after Assad forces staged a 'strategic retreat'"
_LEFT_WHO = re.compile(
    rf"\b(?P<who>(?:the\s+)?{_FORCE_WORD}{{0,4}}?{_FORCE_HEAD})\s+(?:who|which|that)\s+"
    r"(?:had\s+|have\s+)?(?P<verb>withdrew|retreated|fled|pulled\s+out)"
    r"(?=\s*(?:[,.;:]|$)|\s+(?:and|but|after|without|overnight|earlier))"
    rf"|\b(?P<who2>(?:the\s+)?{_FORCE_WORD}{{0,4}}?{_FORCE_HEAD})\s+(?:had\s+)?"
    r"(?P<verb2>staged\s+a\s+[\"“‘']?(?:\w+\s+)?(?:retreat|withdrawal|pullout))\b"
)
_LEAVING_WORDS = ("left", "withdr", "pulled", "retreat", "fled")


def _left_behind(sentence: str, found: list[Found]) -> list[Found]:
    """The place a sentence's one capture is of, lost by the forces that left it."""
    taken = {f.place for f in found if f.status in ("captured", "recaptured") and f.place}
    if len(taken) != 1 or not any(w in sentence for w in _LEAVING_WORDS):
        return []
    (place,) = taken
    m = _LEFT.search(sentence)
    if m is not None:
        return [Found(place, "lost", m["who"], m.start("verb"), start=m.start("who"))]
    m = (
        _LEFT_WHO.search(sentence)
        if (
            "staged" in sentence
            or " who " in sentence
            or " which " in sentence
            or " that " in sentence
        )
        else None
    )
    if m is None:
        return []
    who = "who" if m["who"] else "who2"
    verb = "verb" if m["who"] else "verb2"
    return [Found(place, "lost", m[who], m.start(verb), start=m.start(who))]
