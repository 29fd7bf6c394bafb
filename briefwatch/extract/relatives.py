"""Claims said in a clause that describes a place: "Goma, which the rebels captured last week",
"Kherson, which Russian forces left in November", "Kupiansk, retaken by Ukraine, ...".

Real copy names a town as the subject or object of one statement and tells what happened to it
in a relative clause hung on the name. The phrasing rules read a clause from its verb to its
object, and the backoff reader looks for a settlement after a control verb; here the place comes
before the verb, in the clause the relative opens, and the relative's own subject is who did it.
This reader takes the relative's verb by its meaning (`_VERBS`: one table of verbs per status)
in the two shapes English gives it:

- an object relative, ", which/that <doer> <verb>": the doer captured, retook, held or left the
  place ("which they captured", "that Ukrainian troops liberated", "which M23 controls");
- a reduced relative, ", <participle> by <doer>": the place was taken, retaken, held or
  surrounded by the doer ("freed by Ukraine", "besieged by the paramilitaries").

It is gated as the other readers are: the antecedent is a settlement (typed, configured or a
gazetteer place), the doer an armed side or a pronoun in a sentence of war, and the clause's
vetoes (history, modals, doubt, sport) apply to the relative's verb.
"""

from __future__ import annotations

import re
from datetime import date

from briefwatch.extract.control import Found, is_armed
from briefwatch.extract.filters import dated_after, veto
from briefwatch.extract.lexicon import scanning, words
from briefwatch.extract.places import PlaceBook, PlaceMention
from briefwatch.extract.settlements import settlement
from briefwatch.extract.sides import BUILTIN, SideTable
from briefwatch.extract.trigger_kit import WAR_WORDS

__all__ = ["KEYS", "find_relatives"]

# What the relative's verb says of the place, by status; the active past (object relative)
# and the participle (reduced relative) of each.
_VERBS: dict[str, tuple[str, str]] = {
    "captured": (
        "captured seized took overran occupied liberated freed",
        "captured seized taken overrun liberated freed",
    ),
    "recaptured": (
        "recaptured retook regained reclaimed",
        "recaptured retaken regained reclaimed",
    ),
    # ("Kherson, occupied by Russian forces": a state; "which they occupied in March": an act)
    "held": ("control controls controlled hold holds", "controlled held occupied"),
    "lost": ("left abandoned lost", "abandoned"),
    "encircled": ("surrounded encircled besieged", "surrounded encircled besieged"),
}
# word -> status, per shape ("captured" is both)
_STATUS: dict[str, dict[str, str]] = {
    shape: {word: status for status, verbs in _VERBS.items() for word in verbs[i].split()}
    for i, shape in enumerate(("active", "passive"))
}


def _alternation(shape: str) -> str:
    return "|".join(sorted(_STATUS[shape], key=len, reverse=True))


_ADVERB = r"(?:(?P<adverb>now|already|finally|briefly|recently|first|later|again|once|\w+ly)\s+)?"
# a state that has ended: "previously held by", "once controlled by", "occupied ... until"
_ENDED = words("previously formerly once earlier")
_UNTIL = re.compile(r"[^,;.]{0,40}?\buntil\b")
# ", which the rebels captured", ", that Russian forces have controlled since": the doer is a
# short noun phrase with no verb or clause break of its own
_OBJECT_RELATIVE = scanning(
    r"(?:,\s+|\s+)(?:which|that)\s+(?P<doer>(?:the\s+|its\s+|their\s+)?(?:[\w’'-]+\s+){0,4}?[\w’'-]+)\s+"
    r"(?:(?:had|has|have)\s+)?" + _ADVERB + rf"(?P<verb>{_alternation('active')})\b"
    # "which they took part in", "which it took over two days to reach": not a change
    r"(?!\s+(?:part|place|over\s+\w+\s+(?:days|weeks|hours)|up|to\s+be|for\s+granted)\b)"
)
# ", freed by Ukraine", ", now controlled by the army", ", which was captured by": a doer after
# "by"; "which was/has been" makes the same reduced clause explicit
_REDUCED_RELATIVE = scanning(
    r",\s+(?:(?:which|that)\s+(?:(?:was|were|is|has|had)\s+)?(?:been\s+)?)?"
    + _ADVERB
    + rf"(?P<verb>{_alternation('passive')})\s+by\s+"
    r"(?P<doer>(?:the\s+|its\s+|their\s+)?(?:[\w’'-]+\s+){0,3}?[\w’'-]+)"
    r"(?=\s*(?:[,;:.)]|$|\s+(?:in|on|since|after|during|last|this|earlier|for|from|and|until)\b))"
)
KEYS = words(" ".join([*_STATUS["active"], *_STATUS["passive"]]))
_RELATIVE_WORDS = words("which that by")
_PRONOUNS = frozenset({"they", "it", "he", "she", "we"})
# Between the antecedent and the relative's comma: its type noun, or one apposition
# ("Bakhmut, a city of salt mines, which ...")
_ANTECEDENT_GAP = re.compile(
    r"(?:\s+(?:city|town|village|settlement))?[\"”’']?"
    r"(?P<apposition>\s*,\s*(?:an?|the|its)\s+[^,;:.\"“”()]{1,40}?)?\s*"
)
# a doer that is no side ("which residents left", "which the government controls the flow of")
_NOT_A_DOER = words("residents civilians people families many most thousands hundreds some")


def find_relatives(
    sentence: str,
    book: PlaceBook,
    mentions: list[PlaceMention],
    claimed: set[tuple[str, str]],
    today: date | None = None,
    tokens: frozenset[str] = frozenset(),
    sides: SideTable = BUILTIN,
) -> list[Found]:
    """Claims told in relative clauses hung on a settlement, but for a place and status the
    sentence already claimed (``claimed``: "entered Kherson, which Russian forces left" is
    both Kherson's capture and its loss)."""
    if KEYS.isdisjoint(tokens) or not (mentions or book.recent) or "," not in sentence:
        return []
    if _RELATIVE_WORDS.isdisjoint(tokens):
        return []  # (neither shape can match: the cheap gate before two scans)
    out: list[Found] = []
    taken = set(claimed)
    for shape, pattern in (("active", _OBJECT_RELATIVE), ("passive", _REDUCED_RELATIVE)):
        for m in pattern.finditer(sentence):
            found = _claim(sentence, m, _STATUS[shape], book, mentions, today, sides)
            if found and (found.place, found.status) not in taken:
                taken.add((found.place, found.status))
                out.append(found)
    return out


def _claim(
    sentence: str, m: re.Match[str], statuses: dict[str, str], book: PlaceBook,
    mentions: list[PlaceMention], today: date | None, sides: SideTable,
) -> Found | None:  # fmt: skip
    status = statuses[m["verb"].lower()]
    place = _antecedent(sentence, m.start(), book, mentions)
    if place is None:
        return None
    doer = m["doer"]
    if doer.split()[-1].lower() in _NOT_A_DOER or doer[:1].isdigit():
        return None
    pronoun = doer.lower() in _PRONOUNS
    if not (is_armed(doer, sides) or (pronoun and WAR_WORDS.search(sentence))):
        return None
    if (m["adverb"] or "").lower() in _ENDED or _UNTIL.match(sentence, m.end()):
        return None
    start, end = m.start("verb"), m.end("verb")
    if veto(sentence, start, end, today=today) or dated_after(sentence, m.end(), today):
        return None
    return Found(place.name, status, doer, start, start=place.start)


# "took control of the city, which they had surrounded for a year": the town the text is about
_THE_TOWN = re.compile(r"\bthe\s+(?P<noun>town|city|village)\s*$")


def _antecedent(
    sentence: str, comma: int, book: PlaceBook, mentions: list[PlaceMention]
) -> PlaceMention | None:
    """The settlement the relative clause at ``comma`` describes: the name right before it, or
    the place "the town" right before it stands for."""
    the = _THE_TOWN.search(sentence, max(0, comma - 14), comma)
    if the:
        before = [p for p in mentions if p.end <= the.start()]
        name = book.resolve(the["noun"], before)
        found = next((p for p in reversed([*book.recent, *before]) if p.name == name), None)
        return found if found and _settlement(sentence, found, book, outside=True) else None
    for p in reversed(mentions):
        if p.end > comma:
            continue
        gap = _ANTECEDENT_GAP.fullmatch(sentence, p.end, comma)
        # "that" with no comma opens a relative only after an apposition ("Bunagana, a border
        # town that M23 has held since June"); else it is a conjunction ("said that")
        if gap is None or (sentence[comma] != "," and not gap["apposition"]):
            return None
        return p if _settlement(sentence, p, book) else None
    return None


def _settlement(sentence: str, p: PlaceMention, book: PlaceBook, outside: bool = False) -> bool:
    """A town, city or village (`settlement`) that is no speaker and no border; ``outside``: the
    mention is from another sentence (the words after it are not this one's)."""
    if p.speaker or p.border:
        return False
    return settlement("" if outside else sentence, p, book)
