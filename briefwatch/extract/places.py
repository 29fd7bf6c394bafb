"""Place names, their aliases, and what "the town" refers to.

A place is a capitalised name that is not a person, a party, a club, an organisation, a month
or a weekday. Aliases come from config and from the text itself ("Shusha, known as Shushi in
Armenian"); every name is reported under its canonical form, so one place has one fact. A name
no alias covers is looked up in the gazetteer (`briefwatch.places`): a real place is reported
under its canonical name with its geonameid (Avdeyevka -> Avdiivka), anything else as written.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from briefwatch.extract.lexicon import words
from briefwatch.extract.sides import PEOPLE_WORDS, is_country
from briefwatch.places import Place, gazetteer

# A capitalised name of one or more words: "Shusha", "Nagorno-Karabakh", "Deir al-Balah",
# "Wad Madani". A trailing possessive is left out of the name.
_WORD = r"[A-Z][\w’']*?(?:-[\w’']+)*"
NAME = rf"{_WORD}(?:\s+(?:al-|el-|de\s+|la\s+)?{_WORD})*(?=(?:['’]s)?\b)"
_NAME_RE = re.compile(NAME)

SETTLEMENT_NOUNS = (
    "town",
    "city",
    "village",
    "settlement",
    "hamlet",
    "capital",
    "stronghold",
    "port",
)
REGION_NOUNS = ("region", "enclave", "province", "district", "oblast", "area")
# Nouns that say what kind of place a name is; a sentence without one needs no typed search.
_TYPE_WORDS = words(
    "town city village settlement hamlet capital stronghold port region enclave province "
    "district oblast camp hub"
)
_TYPE_NOUN = "(?:" + "|".join(sorted(_TYPE_WORDS)) + ")"
# "the town of Selydove", "the disputed region's key town of Shusha", "the capital, Khartoum"
TYPED = re.compile(rf"\b(?P<type>{_TYPE_NOUN})(?:\s+of|,)?\s+(?P<name>{NAME})", re.UNICODE)
# "Shusha, a strategically vital town", "Kharkiv, the second-largest city"
APPOSITIVE_TYPE = re.compile(
    rf"(?P<name>{NAME}),\s+(?:a|the)\s+(?:[\w-]+\s+){{0,4}}?(?P<type>{_TYPE_NOUN})\b"
)
# "the town", "the border town", "the fortress city" (not "the city council", "the town of X")
ANAPHOR = re.compile(
    r"\bthe\s+(?:[a-z-]+\s+){0,2}?(?P<type>town|city|village|settlement|capital|enclave|region)"
    r"(?=\s*(?:[,.;:)\"”]|$|\s(?:and|but|was|were|is|are|had|has|have|on|in|after|before|since|"
    r"for|from|to|by|as|where|which|that|amid|under|while|itself|continued|continues|continue|"
    r"remains|remain|remained|fell|still)\b))"
)
# Aliases: "X, known as Y in Armenian", "X (Y in Russian)", "X, also known as Y",
# "X, which Ukrainians call Y and Russians Z".
KNOWN_AS = re.compile(
    rf"(?P<a>{NAME}),?\s+(?:also\s+|better\s+|locally\s+)?known\s+as\s+(?P<b>{NAME})"
)
PAREN_ALIAS = re.compile(
    rf"(?P<a>{NAME})\s+\((?:or\s+|also\s+)?(?P<b>{NAME})(?:\s+in\s+[A-Z]\w+)?\)"
)
WHICH_CALL = re.compile(
    rf"(?P<a>{NAME}),\s+which\s+(?:[A-Z]\w+|locals|residents)\s+call\s+(?P<b>{NAME})"
    rf"(?:\s+and\s+(?:[A-Z]\w+\s+)?(?P<c>{NAME}))?"
)

MONTHS = words(
    """
    january february march april may june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec
    """
)
WEEKDAYS = words("monday tuesday wednesday thursday friday saturday sunday")
# Words that make a capitalised run a person, party, club, organisation or outlet, never a place.
NOT_PLACE_WORDS = words(
    """
    president minister prime premier general gen colonel col major lieutenant captain
    sergeant mr mrs ms dr sir lord king queen prince pope chancellor governor mayor
    senator commander spokesman spokeswoman secretary ambassador envoy chief leader
    party parties club fc united rovers athletic real sporting dynamo alliance army
    forces force front movement council ministry government group committee brigade
    battalion regiment union league congress assembly parliament senate agency news
    times post tass reuters afp ap facebook twitter telegram instagram youtube tiktok x
    institute office service staff command guard republic state department bank company
    corporation organisation organization nations church court tribunal university
    school hospital airlines briefing article related wikicommons the a an this that
    these those it its he she they we our their his her there here all everything
    nothing much most part some many one another but and or so yet still also however
    meanwhile fresh ferocious fighting anger diplomatic mounting persistent karabakh's
    several many few both each every more dozens hundreds thousands scores tens millions
    one two three four five six seven eight nine ten eleven twelve twenty thirty forty
    fifty hundred thousand million
    """
)
# Capitalised words at the start of a sentence that are not names.
_FUNCTION_START = words("in on at for after before since during as if when while")


@dataclass(frozen=True)
class PlaceMention:
    """A place named (or referred to) in a sentence: canonical name, span, and kind if known."""

    name: str
    start: int
    end: int
    kind: str | None = None  # town, city, region ... when the text says


def is_place_name(name: str, persons: Iterable[str] = ()) -> bool:
    """Whether a capitalised run can be a place: not a person, party, club, month, side word..."""
    if not _could_be_place(name):
        return False
    person_tokens = {t for p in persons for t in p.split()}
    return not any(w in person_tokens for w in name.split())


@lru_cache(maxsize=8192)
def _could_be_place(name: str) -> bool:
    """The part of `is_place_name` that depends on the name alone (cached: names repeat)."""
    words = [w.strip("'’").lower() for w in re.split(r"[\s]+", name) if w]
    if not words:
        return False
    if any(w in NOT_PLACE_WORDS or w in MONTHS or w in WEEKDAYS for w in words):
        return False
    if words[0] in _FUNCTION_START:
        return False
    # Demonyms and a side's institutions ("Russian", "Armenians", "Kremlin") are not places.
    if any(w in PEOPLE_WORDS for w in words):
        return False
    return not (name.isupper() and len(name) <= 5)  # acronyms: RSF, UN, IDF


class PlaceBook:
    """Aliases and recently mentioned places for one text, read sentence by sentence."""

    def __init__(
        self,
        places: Mapping[str, str] | None = None,
        not_places: frozenset[str] = frozenset(),
        countries: Collection[str] = (),
    ) -> None:
        self._config = dict(places or {})
        self._not_places = not_places  # casefolded names that are a side, not a place
        self._countries = tuple(countries)  # the gazetteer prefers places in these
        self._gazetteer = gazetteer()
        self.ids: dict[str, int] = {}  # canonical name -> geonameid, for the names resolved
        self._config_names = frozenset(self._config.values())
        self._config_aliases: dict[str, list[str]] = {}
        for alias, canonical in self._config.items():
            if alias != canonical:
                self._config_aliases.setdefault(canonical, []).append(alias)
        self._named: dict[str, str] = {}  # name as written -> canonical, once resolved
        self.found: dict[str, str] = {}  # aliases learnt from this text
        self.kinds: dict[str, str] = {}
        self.recent: list[PlaceMention] = []
        self._known_re: re.Pattern[str] | None = None
        self._refresh_known()

    # -- names ------------------------------------------------------------------------------
    def canonical(self, name: str) -> str:
        """The canonical form of a place name: config first, then aliases found in the text,
        then the gazetteer's canonical name (its id kept in `ids`); else the name as written."""
        name = name.strip()
        for _ in range(3):  # short chains only: alias -> name -> canonical
            nxt = self._config.get(name) or self.found.get(name)
            if not nxt or nxt == name:
                break
            name = nxt
        if name not in self._named:
            self._named[name] = self._resolve(name)
        return self._named[name]

    def _resolve(self, name: str) -> str:
        """``name`` under the gazetteer's canonical name, unless config names it: a desk's name
        for a place stays, with the id of the place it or one of its aliases is."""
        if name in self._config_names:
            for alias in (*self._config_aliases.get(name, ()), name):
                place = self._gazetteer.resolve(alias, self._countries)
                if isinstance(place, Place):
                    self.ids.setdefault(name, place.id)
                    break
            return name
        place = self._gazetteer.resolve(name, self._countries)
        if not isinstance(place, Place):
            return name
        self.ids.setdefault(place.name, place.id)
        return place.name

    def place_id(self, name: str) -> int | None:
        """The geonameid of a canonical place name this book resolved (None: not a known place)."""
        return self.ids.get(name)

    def _refresh_known(self) -> None:
        names = {*self._config, *self._config.values(), *self.found, *self.found.values()}
        if names:
            alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
            self._known_re = re.compile(rf"\b(?:{alternation})\b")

    def learn_aliases(self, sentence: str) -> None:
        """Record the aliases a sentence declares ("Shusha, known as Shushi in Armenian")."""
        learnt = False
        if "known as" not in sentence and "(" not in sentence and " call " not in sentence:
            return  # none of the three phrasings can match
        for pattern in (KNOWN_AS, PAREN_ALIAS, WHICH_CALL):
            for m in pattern.finditer(sentence):
                main = self.canonical(m["a"])
                if not is_place_name(main):
                    continue
                for key in ("b", "c"):
                    alias = m.groupdict().get(key)
                    if alias and alias != main and is_place_name(alias):
                        self.found.setdefault(alias, main)
                        learnt = True
        if learnt:
            self._refresh_known()

    # -- mentions ---------------------------------------------------------------------------
    def mentions(
        self, sentence: str, persons: Iterable[str] = (), tokens: frozenset[str] | None = None
    ) -> list[PlaceMention]:
        """Named places in a sentence (typed, known, or capitalised after a preposition)."""
        person_tokens = {t for p in persons for t in p.split()}
        typed = tokens is None or not _TYPE_WORDS.isdisjoint(tokens)
        spans: dict[int, PlaceMention] = {}

        def add(name: str, start: int, kind: str | None) -> None:
            if start in spans or not _could_be_place(name):
                return
            if self._not_places and name.casefold() in self._not_places:
                return
            if not person_tokens.isdisjoint(name.split()):
                return
            canonical = self.canonical(name)
            if kind:
                self.kinds.setdefault(canonical, kind)
            spans[start] = PlaceMention(canonical, start, start + len(name), kind)

        if typed:
            for m in TYPED.finditer(sentence):
                add(m["name"], m.start("name"), m["type"])
            if ", a " in sentence or ", the " in sentence:
                for m in APPOSITIVE_TYPE.finditer(sentence):
                    add(m["name"], m.start("name"), m["type"])
        if self._known_re:
            for m in self._known_re.finditer(sentence):
                add(m.group(), m.start(), None)
        for m in _NAME_RE.finditer(sentence):
            if m.start() not in spans and not _covered(spans, m.start()):
                add(m.group(), m.start(), None)
        return sorted(spans.values(), key=lambda p: p.start)

    def read_name(self, sentence: str, start: int, persons: Iterable[str] = ()) -> str | None:
        """The canonical place named at exactly ``start``, if the name there is a place."""
        m = _NAME_RE.match(sentence, start)
        if not m or not is_place_name(m.group(), persons):
            return None
        if self._not_places and m.group().casefold() in self._not_places:
            return None
        return self.canonical(m.group())

    def resolve(self, noun: str, before: list[PlaceMention]) -> str | None:
        """What "the <noun>" refers to: the last fitting place in this sentence, then earlier."""
        wanted = SETTLEMENT_NOUNS if noun in SETTLEMENT_NOUNS else REGION_NOUNS
        history = [*self.recent, *before]
        for m in reversed(history):
            if self.kinds.get(m.name) in wanted:
                return m.name
        for m in reversed(history):
            kind = self.kinds.get(m.name)
            if kind is None and not is_country(m.name) and noun in SETTLEMENT_NOUNS:
                return m.name
        return None

    def remember(self, mentions: list[PlaceMention]) -> None:
        """Keep a sentence's places for "the town" in the sentences after it."""
        self.recent.extend(mentions)
        del self.recent[:-20]

    @property
    def aliases(self) -> dict[str, str]:
        """Aliases found in this text, each mapped to its canonical name."""
        return {alias: self.canonical(alias) for alias in self.found}


def _covered(spans: Mapping[int, PlaceMention], start: int) -> bool:
    return any(m.start <= start < m.end for m in spans.values())
