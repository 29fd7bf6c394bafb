"""What an object-shaped control verb is about: a place, a facility, a count, or a list of them.

    "took Shusha"                       -> Shusha
    "captured the village of Talish"    -> Talish
    "seized the airport in Baidoa"      -> Baidoa airport (a facility is a place of its own)
    "took Mopti's airport"              -> Mopti airport; "took Mopti's airport road" -> nothing
    "captured 48 more settlements"      -> settlements, count 48 (an aggregate claim)
    "seized Djibo and Arbinda"          -> Djibo, Arbinda
    "liberated Balakliia, Izium and Kupiansk" -> all three

A name followed by its own verb starts a new clause and is not a second object: in "Rebels
seized Walikale and Kinshasa condemned the attack" only Walikale was seized.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefwatch.extract.numbers import find_quantities
from briefwatch.extract.places import ANAPHOR, NAME, PlaceBook, PlaceMention

_AGGREGATE = re.compile(
    r"\s+(?:more\s+|other\s+|further\s+|additional\s+|new\s+)?(?:of\s+[\w’']+\s+(?:\d+\s+)?)?"
    r"(?P<noun>settlements|villages|towns|cities|localities|districts|townships|positions|"
    r"communities|hamlets)\b"
)
_TYPED_OBJECT = re.compile(
    r"\s*(?:the\s+)?(?:(?!(?:of|and)\b)[\w’'-]+\s+){0,4}?(?:town|city|village|settlement|hamlet|"
    r"port|capital|stronghold|region|district|province|enclave|camp|centre|center|suburbs|"
    r"outskirts|heart|streets|part|parts)\s+of\s+"
)
# Facilities that change hands on their own and are named by their place.
_FACILITY = (
    r"(?:airport|airfield|air\s+base|airbase|military\s+base|base|bridge|dam|crossing|"
    r"border\s+crossing|seaport|port|railway\s+station|train\s+station|power\s+plant|"
    r"power\s+station|refinery)"
)
# "the airport in Baidoa", "the bridge at Kubri", "the main military base outside Kherson"
_FACILITY_IN = re.compile(
    rf"\s*(?:the\s+)?(?:(?:main|international|military|key|strategic|river|old|new)\s+)?"
    rf"(?P<fac>{_FACILITY})\s+(?:in|at|near|outside|of)\s+"
)
_NAME_OBJECT = re.compile(rf"\s*(?:the\s+)?(?P<name>{NAME})(?:\s+(?P<fac>{_FACILITY})\b)?")
# "Mopti's airport" is a facility of Mopti; "Mopti's airport road" or "Bakhmut's eastern
# districts" are parts of it, not the place.
_POSSESSIVE_TAIL = re.compile(rf"['’]s\s+(?:(?P<fac>{_FACILITY})\b)?")
# What may follow a finished object: punctuation, or a word that cannot be its verb.
_OBJECT_END = re.compile(
    r"\s*(?:[,.;:)\"”’]|$)|\s+(?:in|on|at|from|after|within|during|near|and|or|overnight|last|"
    r"this|earlier|late|early|as|before|while|when|to|by|with|but|since|following|amid|under|"
    r"for|over|without|despite|through|into|towards?|where|which|who|that|of|the|a|an)\b"
)
_LIST_SEP = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")


@dataclass(frozen=True)
class Object:
    """One thing a control verb is about."""

    place: str  # canonical place name, or the plural noun of an aggregate
    count: int | None
    end: int


@dataclass(frozen=True)
class NoObject:
    """Why the words after a verb are not a place."""

    reason: str


def read_object(
    sentence: str, pos: int, book: PlaceBook, before: list[PlaceMention], persons: list[str]
) -> Object | NoObject:
    """The place (or aggregate) right after ``pos``, or why there is none."""
    quantities = find_quantities(sentence[pos : pos + 40])
    if quantities and quantities[0].start == 0:
        q = quantities[0]
        agg = _AGGREGATE.match(sentence, pos + q.end)
        if agg:
            return Object(agg["noun"], q.low, agg.end())
        return NoObject("figure is not a place")
    facility = None
    typed = _TYPED_OBJECT.match(sentence, pos)
    if typed:
        pos = typed.end()
    else:
        inside = _FACILITY_IN.match(sentence, pos)
        if inside:
            facility, pos = inside["fac"], inside.end()
    anaphor = ANAPHOR.match(sentence, pos)
    if anaphor and anaphor.start() == pos:
        name = book.resolve(anaphor["type"], before)
        if not name:
            return NoObject("nothing to refer to")
        return Object(f"{name} {facility}" if facility else name, None, anaphor.end())
    named = _NAME_OBJECT.match(sentence, pos)
    if not named:
        return NoObject("no place")
    canonical = book.read_name(sentence, named.start("name"), persons)
    if canonical is None:
        return NoObject("not a place")
    end = named.end("name")
    if named["fac"] and not facility:
        facility, end = named["fac"], named.end()
    elif not facility:
        tail = _POSSESSIVE_TAIL.match(sentence, end)
        if tail and not (tail["fac"] and _OBJECT_END.match(sentence, tail.end())):
            return NoObject("part of a place")
        if tail:
            facility, end = tail["fac"], tail.end()
    return Object(f"{canonical} {_one_space(facility)}" if facility else canonical, None, end)


def _one_space(text: str) -> str:
    return " ".join(text.split())


def read_objects(
    sentence: str, pos: int, book: PlaceBook, before: list[PlaceMention], persons: list[str]
) -> list[Object] | NoObject:
    """The object after ``pos`` and the places coordinated with it ("X, Y and Z")."""
    first = read_object(sentence, pos, book, before, persons)
    if isinstance(first, NoObject) or first.count is not None:
        return [first] if isinstance(first, Object) else first
    found = [first]
    committed = 1  # items up to the last "and": "X, Y" without "and" is not a list of places
    while sep := _LIST_SEP.match(sentence, found[-1].end):
        nxt = read_object(sentence, sep.end(), book, before, persons)
        if isinstance(nxt, NoObject) or nxt.count is not None:
            break
        if not _OBJECT_END.match(sentence, nxt.end):
            break  # "and Kinshasa condemned ...": a new clause with its own subject
        found.append(nxt)
        if "and" in sep.group():
            committed = len(found)
    return found[:committed]
