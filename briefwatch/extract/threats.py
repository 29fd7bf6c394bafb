"""The approach reader: a force moving on a settlement it does not hold yet, read as `threatened`.

Real copy reports an approach as motion toward a place more often than with the verbs the
phrasing rules and the backoff lexicon know ("approached", "closing in on"): "rebels pushing
toward the capital, X", "as they push towards the city of X", "advanced to within 5 km of X",
"have almost reached the outskirts of X", "advanced onto the southern outskirts of X". One
clause shape covers them, in active and participial forms: a motion verb, a direction ("toward",
"on", "to within N km of", "onto/to the outskirts of", "the gates of"), then a noun phrase whose
head is a *settlement* (a typed name, a config place, or a populated place the gazetteer knows).

The mover is the subject before the verb (a participle's noun: "Rebels pushing toward ..."),
or a pronoun whose clause names an armed subject ("its forces had captured ..., as they push
towards X"). It must be armed: "fans pushing toward Wembley" and "a firm moving toward Lyon" are
no threat. The clause's vetoes apply as everywhere (modals "could/may/if", history, sport,
denials): "if the rebels push toward X" is no claim.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from briefwatch.extract.control import Found, actor_after, clause_subject, is_armed, subject_phrase
from briefwatch.extract.filters import dated_after, veto
from briefwatch.extract.lexicon import FORCE_NOUNS, scanning, words
from briefwatch.extract.places import PlaceBook, PlaceMention
from briefwatch.extract.settlements import settlement
from briefwatch.extract.sides import BUILTIN, SideTable
from briefwatch.extract.trigger_kit import WAR_WORDS

# The cheap gate: no motion word, no regex run (most sentences have none).
_WAYS = words("toward towards within outskirts gates edge approaches threatened danger risk")
# "on" is in most sentences: it counts only beside the words that take a target with it
_ON_WORDS = words(
    "advance advances advanced advancing march marches marched marching converge converged "
    "converging offensive push drive thrust"
)
KEYS = words(
    "push pushes pushed pushing advance advances advanced advancing march marches marched "
    "marching move moves moved moving drive drives drove driving head heads headed heading "
    "press presses pressed pressing edge edges edged edging reach reached reaching reaches "
    "converge converged converging offensive thrust encirclement surrounded encircled cut"
)
_DISTANCE = (
    r"(?:to\s+)?within\s+(?:(?:about|some|around|just|barely|less\s+than)\s+)?"
    r"\d+(?:\.\d+)?\s*(?:km|kilometres|kilometers|miles)\s+of"
)
_EDGE = (
    r"(?:the\s+)?(?:(?:north|south|east|west)(?:ern|-?eastern|-?western)?\s+)?"
    r"(?:outskirts|gates|edge|approaches)\s+of"
)
# A motion verb and its direction; "on" only after the verbs that take a target with it
# ("advanced on X", "marching on X"; not "pushed on with talks").
_ADVERB = (
    r"(?:\s+(?:further|farther|deeper|closer|steadily|rapidly|quickly|slowly|north|south|east|"
    r"west|northward|southward|eastward|westward))?"
)
_APPROACH = scanning(
    r"\b(?:push(?:es|ed|ing)?|advanc(?:e|es|ed|ing)|march(?:es|ed|ing)?|mov(?:e|es|ed|ing)|"
    r"driv(?:e|es|ing)|drove|head(?:s|ed|ing)?|press(?:es|ed|ing)?|edg(?:e|es|ed|ing)|"
    rf"converg(?:e|es|ed|ing)){_ADVERB}\s+(?:toward|towards|{_DISTANCE}|(?:on)?to\s+{_EDGE})\s+"
    rf"|\b(?:advanc(?:e|es|ed|ing)|march(?:es|ed|ing)?|converg(?:e|es|ed|ing)){_ADVERB}\s+on\s+"
    # "(have) (almost|nearly) reached the outskirts of X"
    rf"|\b(?:(?:almost|nearly|all\s+but)\s+)?reach(?:ed|es|ing)?\s+{_EDGE}\s+",
    re.I,
)
# The same approach as a noun, owned by its force: "Russia's push toward X", "the rebels'
# advance on X", "Kyiv's offensive towards X"
_NOMINAL = scanning(
    r"\b(?:push|advance|offensive|drive|march|thrust)\s+(?:on|toward|towards)\s+", re.I
)
# its owner, right before it
_OWNER = re.compile(
    r"(?P<owner>\b(?:[Tt]he\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?|\b[Tt]he\s+[a-z]+s)['’]s?\s+"
    r"(?:(?:new|latest|renewed|main|slow|rapid|grinding|months-long|summer|winter|spring)\s+)?$"
)
# The place under threat as the subject: "X is threatened with encirclement", "X is in danger
# of being surrounded (by Y)"
_IN_DANGER = scanning(
    r"\s+(?:is|are|was|were|has\s+been|had\s+been)\s+(?:now\s+|increasingly\s+)?"
    r"(?:threatened\s+with\s+(?:encirclement|capture|being\s+(?:surrounded|encircled|cut\s+off))|"
    r"(?:in\s+danger|at\s+risk)\s+of\s+(?:encirclement|being\s+(?:surrounded|encircled|cut\s+off)))"
    r"(?P<by>\s+by\s+)?"
)
# What may stand between the direction and the place: an article, adjectives, a type noun
# ("the key eastern city of", "the Libyan capital,"); any other word makes the place a location
# of something else ("toward a deal in X", "toward the border near X").
_LEAD = re.compile(
    r"(?:the\s+)?(?:(?:[A-Z][\w’'-]*|[a-z]+(?:ern|ian|ese|ish|i)|key|strategic|besieged|embattled|"
    r"frontline|front-line|provincial|regional|main|major|capital|rebel-held|army-held|"
    r"government-held|militant-held|northern|southern|eastern|western|central|coastal|"
    r"industrial|mining|logistics|logistical|transport|important|ruined|nearby|neighbouring|"
    r"neighboring)\s+){0,4}(?:(?:town|city|village|settlement|capital|port|hub|stronghold)"
    r"(?:\s+of\s+|,\s*|\s+))?"
)
_WINDOW = 70  # characters from the direction to the place's start


def find_threats(
    sentence: str,
    book: PlaceBook,
    mentions: list[PlaceMention],
    claimed: set[str],
    today: date | None = None,
    tokens: frozenset[str] = frozenset(),
    sides: SideTable = BUILTIN,
) -> list[Found]:
    """Threats of an approach in one sentence: the settlement a force moves toward, not one
    the other readers already claimed in it (``claimed``)."""
    if not _may_threaten(tokens) or not mentions:
        return []
    found: list[Found] = []
    for m, place, actor in _candidates(sentence, book, mentions, sides, tokens):
        if place.name in claimed or any(f.place == place.name for f in found):
            continue
        if veto(sentence, m.start(), m.end(), today=today) or dated_after(
            sentence, place.end, today
        ):
            continue
        found.append(Found(place.name, "threatened", actor, m.start()))
    return found


def _may_threaten(tokens: frozenset[str]) -> bool:
    """The cheap gate: a motion word, and a direction for it."""
    if KEYS.isdisjoint(tokens):
        return False
    return not _WAYS.isdisjoint(tokens) or ("on" in tokens and not _ON_WORDS.isdisjoint(tokens))


# Each shape's own words, so that a sentence is scanned only by the shapes it can match (the
# readers run on every sentence of every page: ordinary news "moved toward" a deal daily)
_APPROACH_WORDS = words("toward towards within outskirts gates edge approaches on")
_NOMINAL_WORDS = words("push advance offensive drive march thrust")
_DANGER_WORDS = words("threatened danger risk")


def _candidates(
    sentence: str, book: PlaceBook, mentions: list[PlaceMention], sides: SideTable,
    tokens: frozenset[str],
) -> Iterator[tuple[re.Match[str], PlaceMention, str | None]]:  # fmt: skip
    """Each shape's match, the settlement it is about and the one who threatens it."""
    approach = not _APPROACH_WORDS.isdisjoint(tokens)
    for m in _APPROACH.finditer(sentence) if approach else ():
        place = _target(sentence, m.end(), book, mentions)
        actor = _mover(sentence, m.start(), sides) if place else None
        # (a country moving toward a city is a war's only in a sentence of war)
        if place and actor and (_force(actor) or _war_besides(sentence, m)):
            yield m, place, actor
    nominal = not _NOMINAL_WORDS.isdisjoint(tokens)
    for m in _NOMINAL.finditer(sentence) if nominal else ():
        own = _OWNER.search(sentence, max(0, m.start() - 60), m.start())
        place = _target(sentence, m.end(), book, mentions) if own else None
        owner = own["owner"] if own else ""
        if place and is_armed(owner, sides):  # a side's advance is war ("Apple's push" is not)
            yield m, place, owner
    danger = not _DANGER_WORDS.isdisjoint(tokens)
    for m in _IN_DANGER.finditer(sentence) if danger else ():
        place = next((p for p in mentions if p.end == m.start()), None)
        if not place or place.speaker or place.border or not settlement(sentence, place, book):
            continue
        by = actor_after(sentence, m.end(), sides) if m["by"] else None
        # "encirclement" is war's word; "cut off (by the snow)" is war's only by a force or
        # in a sentence of war
        if "encirclement" in m.group() or is_armed(by, sides) or _war_besides(sentence, m):
            yield m, place, by


# A force by its head noun ("Russian troops", "the M23"); a side's name alone ("Azerbaijan",
# "Kyiv") moves on a city only where the rest of the sentence is war.
_ACRONYM = re.compile(r"[A-Z][A-Z0-9]{1,5}|M\d{2}")

# A name used as a modifier: "Baku-style reforms", "a Kyiv-based firm"
_MODIFIER = re.compile(r"-(?:style|based|born|bound|era|like|made|led|held|controlled)\b")


def _force(actor: str) -> bool:
    """Whether an actor is a force by its head noun (or a pronoun for one, or an acronym)."""
    last = actor.split()[-1]
    return (
        last.lower() in FORCE_NOUNS
        or last.lower() in ("it", "they")
        or bool(_ACRONYM.fullmatch(last))
    )


def _war_besides(sentence: str, m: re.Match[str]) -> bool:
    """Whether the sentence speaks of war in words other than the motion verb's own."""
    return bool(WAR_WORDS.search(sentence[: m.start()] + " " + sentence[m.end() :]))


def _target(
    sentence: str, start: int, book: PlaceBook, mentions: list[PlaceMention]
) -> PlaceMention | None:
    """The settlement the direction points at: the first mention after it, with only a noun
    phrase's lead words between."""
    for p in mentions:
        if p.start < start or p.speaker or p.border:
            continue
        if p.start - start > _WINDOW:
            return None  # too far to be the direction's object
        if not _LEAD.fullmatch(sentence, start, p.start):
            return None  # another noun comes first ("toward the border near X"): X locates it
        if _MODIFIER.search(sentence, p.start, p.end + 12):
            return None  # "Baku-style reforms": the name modifies what is approached
        return p if settlement(sentence, p, book) else None  # a country or region is no target
    return None  # the sentence names no place after the direction


def _mover(sentence: str, start: int, sides: SideTable) -> str | None:
    """The armed subject of the motion verb, or None when the clause names none."""
    actor = subject_phrase(sentence, start, sides)
    if actor and actor.lower() in ("it", "they"):
        # "its forces had captured two villages, as they push towards X": the pronoun stands
        # for the clause's armed subject; with none, the motion is nobody's threat
        return actor if clause_subject(sentence, start, sides, first=True) else None
    return actor if is_armed(actor, sides) else None
