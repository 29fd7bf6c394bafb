"""The backoff reader: a control claim the phrasing rules could not parse, read from a clause's
control verb and the settlement in its window.

The rules in `control` read a sentence shape by shape: a verb and its object, a subject and its
verb. Real copy puts more between them than the shapes allow ("regained control of the
government centre and main neighbourhoods in Ramadi", "are trying to encircle Ukrainian troops
defending the city of Lysychansk"). Where the rules found nothing, this reader takes a clause's
control verb (the lexicon of status groups in `backoff_lexicon`), looks in the words after it
up to the clause's end (its window) for a *settlement* - a name the text types ("the town of
X"), a config place, or a populated place the gazetteer knows above a small size or in a country
of interest - and reads the claim from the clause: the actor from the subject before the verb
(walking back over appositions: "The army, backed by militias and air power, regained ..."), or
"by X" after it.

It is gated hard, as the rules are: the clause's vetoes (history, modals, sport, elections,
doubt; a denied change of hands is `contested`, an attempt is `threatened`), an armed actor or a
sentence of war, no country or region, no place named only as a location ("north of X", "near
X", "the airport in X").
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from briefwatch.extract.backoff_lexicon import (
    APPOSITION_TAIL,
    ATTEMPT,
    COUNTS,
    DAY,
    DISTANCE,
    DISTANCE_WORDS,
    FROM,
    KEYS,
    LEAD_TOKEN,
    LEAD_WORDS,
    LEXICON,
    LIST_GAP,
    LOCATOR_BEFORE,
    NOT_THE_PLACE,
    OWN_VERB,
    PART_AFTER,
    REACH,
    REGION_AFTER,
    REGION_NAME,
    WINDOW_END,
    Verb,
)
from briefwatch.extract.control import (
    CHANGES,
    Found,
    Miss,
    actor_after,
    clause_subject,
    denied,
    is_armed,
    subject_phrase,
)
from briefwatch.extract.filters import dated_after, veto
from briefwatch.extract.lexicon import FORCE_NOUNS, words
from briefwatch.extract.places import PlaceBook, PlaceMention
from briefwatch.extract.settlements import settlement
from briefwatch.extract.sides import BUILTIN, SideTable, is_country
from briefwatch.extract.trigger_kit import WAR_WORDS


def find_backoff(
    sentence: str,
    book: PlaceBook,
    mentions: list[PlaceMention],
    claimed: set[str],
    today: date | None = None,
    tokens: frozenset[str] = frozenset(),
    sides: SideTable = BUILTIN,
) -> tuple[list[Found], list[Miss]]:
    """Claims the phrasing rules missed in one sentence: one per settlement in the window of a
    control verb, not on a place the rules already claimed in it (``claimed``)."""
    if KEYS.isdisjoint(tokens) or not mentions:
        return [], []
    found: list[Found] = []
    misses: list[Miss] = []
    taken = set(claimed)
    for verb in LEXICON:
        if verb.keys.isdisjoint(tokens):
            continue
        for m in verb.pattern.finditer(sentence):
            got = _claims_at(sentence, m, verb, book, mentions, claimed, today, sides)
            if isinstance(got, Miss):
                misses.append(got)
                continue
            for claim in got:
                if claim.place not in taken:
                    taken.add(claim.place)
                    found.append(claim)
    if not _TRAPPED_KEYS.isdisjoint(tokens):
        # (a statement of its own: "fighting in X, where forces had been surrounded" is both)
        pairs = {(c.place, c.status) for c in found}
        trapped = _trapped(sentence, book, mentions, today, sides)
        found += [c for c in trapped if (c.place, c.status) not in pairs]
    return found, misses


_TRAPPED_KEYS = words("surrounded encircled besieged trapped")
# "government forces in X have been surrounded (by Y)", "in X, where troops were encircled":
# the forces are trapped in the place, which is encircled
_TRAPPED = re.compile(
    r"\b(?:forces|troops|soldiers|units|defenders|garrison|fighters|servicemen|brigade|"
    r"battalion)(?P<where>\s+(?:in|inside)\s+[^,;.]{1,40}?)?\s+(?:had\s+|have\s+|has\s+)?"
    r"(?:been|are|were|is|was)\s+(?:\w+ly\s+|now\s+)?(?P<almost>(?:almost|nearly)\s+)?"
    r"(?:surrounded|encircled|besieged|trapped)\b"
    r"(?:\s+by\s+)?"
)
_WHERE = re.compile(r",?\s+(?:where|in\s+which)\s+(?:[\w’'-]+\s+){0,3}$")


def _trapped(
    sentence: str, book: PlaceBook, mentions: list[PlaceMention], today: date | None,
    sides: SideTable,
) -> list[Found]:  # fmt: skip
    """The place forces are trapped in: encircled, by whoever the sentence says."""
    out = []
    for m in _TRAPPED.finditer(sentence):
        if m["where"]:
            inside = [p for p in mentions if m.start("where") <= p.start < m.end("where")]
        else:  # "... in Sangin, where government forces had been surrounded"
            inside = [p for p in mentions if _WHERE.fullmatch(sentence, p.end, m.start())]
        inside = [p for p in inside[:1] if settlement(sentence, p, book)]
        if not inside or veto(sentence, m.start(), m.end(), today=today):
            continue
        by = actor_after(sentence, m.end(), sides) if m.group().endswith(" ") else None
        status = "threatened" if m["almost"] else "encircled"  # "almost surrounded"
        out.append(Found(inside[0].name, status, by, m.start()))
    return out


def _window(sentence: str, end: int) -> int:
    stop = WINDOW_END.search(sentence, end, end + REACH)
    return stop.start() if stop else min(len(sentence), end + REACH)


def _claims_at(
    sentence: str, m: re.Match[str], verb: Verb, book: PlaceBook,
    mentions: list[PlaceMention], claimed: set[str], today: date | None, sides: SideTable,
) -> list[Found] | Miss:  # fmt: skip
    """The claims of the verb at ``m``: the settlements in its window, gated."""
    word, status = m.group(), verb.status
    if verb.subject:
        places = _subject_places(sentence, m.start(), book, mentions, claimed)
        actor = actor_after(sentence, m.end(), sides)
    else:
        end = _window(sentence, m.end())
        places = _places_in(sentence, m.end(), end, status, book, mentions, claimed)
        actor = _actor(sentence, m.start(), sides)
    if not places:
        return Miss(word, "backoff: no settlement in reach")
    actor = actor or actor_after_places(sentence, places, sides)
    if status == "held" and not word.startswith("control"):  # "under the control of Y"
        actor = actor_after(sentence, m.end(), sides) or actor
    # "The LNA announced it had taken ...": "it" is the clause's armed subject
    pronoun = actor in ("it", "they")
    armed = is_armed(actor, sides) or (
        pronoun and is_armed(clause_subject(sentence, m.start(), sides), sides)
    )
    if not armed and (verb.armed or not WAR_WORDS.search(sentence)):
        return Miss(word, "backoff: no armed actor" if verb.armed else "backoff: no sign of war")
    reason = veto(sentence, m.start(), m.end(), today=today)
    if not reason and dated_after(sentence, places[-1].end, today):
        reason = "history"  # "withdraw from the capital, Mogadishu, in August 2011"
    if status == "contested":
        actor = None  # a fight names no holder
    claims = [Found(p.name, status, actor, m.start()) for p in places]
    if reason == "denial" and status in CHANGES:
        # contested by the denier; a claim the denial names is read too, as its author's
        return denied(sentence, m, claims, sides, m.start())
    if reason == "hypothetical" and ATTEMPT.search(sentence, max(0, m.start() - 40), m.start()):
        # "trying to encircle", "to try to surround": a threat by the one trying
        return [replace(c, status="threatened") for c in claims]
    return Miss(word, f"backoff: {reason}") if reason else claims


def _places_in(
    sentence: str, start: int, end: int, status: str, book: PlaceBook,
    mentions: list[PlaceMention], claimed: set[str],
) -> list[PlaceMention]:  # fmt: skip
    """The settlements a verb's window names as what it is about: the first, and those listed
    with it (a place the rules claimed counts as the first, and is not read again)."""
    out: list[PlaceMention] = []
    for p in mentions:
        if p.start < start or p.start >= end or p.speaker or p.border:
            continue
        lead = sentence[start : p.start]
        if out and not LIST_GAP.fullmatch(sentence, out[-1].end, p.start):
            break
        if p.name in claimed:  # the rules read this object: the list goes on from it
            out.append(p)
            continue
        if not out and not _plain_lead(DAY.sub(" ", lead), status):
            # a locator or another object comes first ("towards Damara, 75 km from X",
            # "the airport road near X"): what follows is no object either
            break
        if PART_AFTER.match(sentence, p.end):
            continue
        if not settlement(sentence, p, book) and not (out and _listed_name(sentence, p)):
            continue
        if out and OWN_VERB.match(sentence, p.end):
            break  # "seized Walikale and Kinshasa condemned ...": a new clause's subject
        out.append(p)
    # a list ends with "and": "A, B and C"; "entered Pisky, Donetsk" is one place, then where
    joined = [i for i in range(1, len(out)) if "and" in sentence[out[i - 1].end : out[i].start]]
    out = out[: joined[-1] + 1] if joined else out[:1]
    return [p for p in out if p.name not in claimed]


_CLAUSE_OPEN = re.compile(r"(?:^|[;:]\s+|[.!?]\s+|,\s+but\s+|\bHowever,\s+|\bBut\s+)")
_SUBJECT_GAP = re.compile(r"[;:\"“”]|\b(?:said|says|told|say|and\s+the|but)\b")


def _subject_places(
    sentence: str, verb: int, book: PlaceBook, mentions: list[PlaceMention], claimed: set[str]
) -> list[PlaceMention]:
    """The settlements that open the clause of a subject-shaped verb: its head noun phrase
    (a list joined by "and" too), with no other statement between them and the verb."""
    opens = [o.end() for o in _CLAUSE_OPEN.finditer(sentence, 0, verb)]
    start = opens[-1] if opens else 0
    out: list[PlaceMention] = []
    for p in mentions:
        if p.start < start or p.end > verb or p.speaker or p.border:
            continue
        if out:
            if not LIST_GAP.fullmatch(sentence, out[-1].end, p.start):
                break
        elif _OWNER.match(sentence, p.end):
            continue  # "Yemen's capital of Sana'a": the owner names where the place is
        elif not _plain_lead(_OWNER_PHRASE.sub(" ", sentence[start : p.start]), "held"):
            return []
        if not (settlement(sentence, p, book) or (out and _listed_name(sentence, p))):
            return []
        out.append(p)
    if not out or _SUBJECT_GAP.search(sentence, out[-1].end, verb) or verb - out[-1].end > 120:
        return []
    joined = [i for i in range(1, len(out)) if "and" in sentence[out[i - 1].end : out[i].start]]
    out = out[: joined[-1] + 1] if joined else out[:1]
    return [p for p in out if p.name not in claimed]


_OWNER = re.compile(r"['’]s\b")
_OWNER_PHRASE = re.compile(r"\b[A-Z][\w’'-]*['’]s\b")


def _plain_lead(lead: str, status: str) -> bool:
    """Whether the words before the first place leave it what the verb is about."""
    if status == "lost" and (away := FROM.search(lead)):  # "withdrew on Sunday from most of X"
        lead = lead[: away.start()] + " " + lead[away.end() :]
    distance = status == "threatened" and DISTANCE.search(lead)  # "advanced within 20km of"
    if NOT_THE_PLACE.search(lead) or (LOCATOR_BEFORE.search(lead) and not distance):
        return False
    for token in LEAD_TOKEN.findall(lead):
        low = token.lower()
        if low in COUNTS or (token[:1].isdigit() and not distance):
            return False  # "Three districts in X have fallen": a count of parts, not X
        if token[:1].isupper() or low in LEAD_WORDS or low in FORCE_NOUNS:
            continue
        if distance and (low in DISTANCE_WORDS or DISTANCE.fullmatch(low)):
            continue
        if low.endswith(("ern", "-held", "-controlled", "-occupied")):
            continue  # "northern", "rebel-held"
        return False
    return True


def _listed_name(sentence: str, p: PlaceMention) -> bool:
    """Whether a name listed after a settlement is one more of them ("Yaqle, Dhagahow and
    Kooreebe areas"): not a country or a region."""
    return not (
        is_country(p.name) or REGION_AFTER.match(sentence, p.end) or REGION_NAME.search(p.name)
    )


_MODIFIED = re.compile(r"(?:\b[Tt]he\s+)?(?:[A-Z][\w’'-]*\s+)+(?:[a-z-]+\s+){0,2}[a-z]+\s*$")


def _actor(sentence: str, start: int, sides: SideTable) -> str | None:
    """The subject before a verb: the noun phrase before it, past an apposition or a participle
    phrase set off by commas; else the clause's armed subject."""
    left = sentence[:start]
    bare = APPOSITION_TAIL.sub(" ", left)
    for text in (left, bare) if bare != left else (left,):
        found = subject_phrase(text, len(text), sides)
        if found and " " not in found and found.lower() in FORCE_NOUNS:
            # "The Israeli occupation forces": the modifiers of a bare force noun
            longer = _MODIFIED.search(text, 0, text.rfind(found) + len(found))
            found = longer.group().strip() if longer else found
        if found and (is_armed(found, sides) or found.lower() in ("it", "they", "we")):
            return found
    return clause_subject(sentence, start, sides, first=True)


def actor_after_places(sentence: str, places: list[PlaceMention], sides: SideTable) -> str | None:
    """ "... X by Y", "... X to Y" right after the places: the one who did it."""
    after = re.match(r"\s*(?:,\s*)?(?:by|to)\s+", sentence[places[-1].end :])
    return actor_after(sentence, places[-1].end + after.end(), sides) if after else None
