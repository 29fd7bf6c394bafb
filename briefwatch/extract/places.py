"""Place names, their aliases, and what "the town" refers to.

A place is a capitalised name that is not a person, a party, a club, an organisation, a month
or a weekday. Aliases come from config and from the text itself ("Shusha, known as Shushi in
Armenian"); every name is reported under its canonical form, so one place has one fact. A name
no alias covers is looked up in the gazetteer (`briefwatch.places`): a real place is reported
under its canonical name with its geonameid (Avdeyevka -> Avdiivka), anything else as written.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from briefwatch.extract.lexicon import scanning, words
from briefwatch.extract.sides import PEOPLE_WORDS, is_country
from briefwatch.places import Place, Unresolved, gazetteer
from briefwatch.places.gazetteer import COMMON_WORD

# A capitalised name of one or more words: "Shusha", "Nagorno-Karabakh", "Deir al-Balah",
# "Wad Madani". A trailing possessive is left out of the name.
# A name may open with an article prefix written lower-case: "el-Fasher", "al-Qusayr".
# (an apostrophe inside a word is part of the name, "Ma'arat", "Mek'ele", "Sana'a"; an owner's
# "'s" is not)
_WORD = r"(?:(?:al|el|ad|as|ash|ar|az|an)-)?[A-Z]\w*(?:['’](?!s\b)\w+)*(?:-\w+(?:['’](?!s\b)\w+)*)*"
# A weekday or month after a name is a date, not more of the name: "Bukavu Sunday morning".
_DATE_WORD = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|"
    r"June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|"
    r"Oct|Nov|Dec)\b"
)
_COMPASS_WORDS = words(
    "north south east west northern southern eastern western central upper lower northeast "
    "northwest southeast southwest north-east north-west south-east south-west"
)
_COMPASS_NAME = scanning(
    r"(?:North|South|East|West|Northern|Southern|Eastern|Western|Central|Upper|Lower|"
    r"North-?East|North-?West|South-?East|South-?West)\s+(?=[A-Z])"
)
# (or one forces left: "withdrew from Bardere, hours after taking control of the town")
_LOCATIVE = scanning(
    r"\b(?:in|at|near|outside|inside|around|(?:withdr[a-z]+|retreat[a-z]*|pull[a-z]*\s+out|fled|"
    r"flee[a-z]*)\s+(?:from|of))\s+$"
)
# A place named as a bearing from another ("some 60 kilometres from Donetsk", "450 km east of
# the capital Tripoli"): what it locates is the text's subject, not this place.
_BEARING = scanning(
    r"(?:\b(?:km|kilometres|kilometers|miles)\s+(?:away\s+)?(?:from|of)|\b(?:north|south|east|"
    r"west|north-?east|north-?west|south-?east|south-?west)\s+of)\s+(?:the\s+)?(?:[a-z]+\s+)?$"
)
_REGION_WORD_AFTER = scanning(
    r"\s+(?:region|province|state|district|oblast|governorate|county|area|valley)\b", re.I
)
# A title right before a name makes it a person's: "commander Brigadier General Gen. X".
_TITLED = scanning(
    r"\b(?:General|Gen\.|Brigadier|Colonel|Col\.|Lt\.|Lieutenant|Major|Maj\.|Captain|Capt\.|"
    r"Commander|Sergeant|Sgt\.|Admiral|Marshal|President|Minister|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|"
    r"Sheikh|Imam|Bishop|Pope|King|Queen|Prince|Emir|spokesman|spokeswoman|spokesperson)\s+$"
)
# The lower-case words `_TITLED` is made of: a sentence with none of them has no title to test
# for at each name (a set lookup instead of a regex scan per name).
_TITLE_WORDS = words(
    "general gen brigadier colonel col lt lieutenant major maj captain capt commander sergeant "
    "sgt admiral marshal president minister mr mrs ms dr sheikh imam bishop pope king queen "
    "prince emir spokesman spokeswoman spokesperson"
)
# What the text before a name must end in for `_LOCATIVE` to match there (a cheap pre-check),
# and words one of which `_BEARING` needs in its window ("km", "east" ...).
_LOCATIVE_ENDS = ("in", "at", "near", "outside", "inside", "around", "from", "of")
_COMPASS_INITIALS = "NSEWCUL"  # the first letters of `_COMPASS_NAME`'s words


def _bearing_words(text: str) -> bool:
    """Whether ``text`` has the words `_BEARING` cannot match without (a distance or a point of
    the compass, and "of" or "from")."""
    return ("of" in text or "from" in text) and (
        "km" in text
        or "kilomet" in text
        or "miles" in text
        or "north" in text
        or "south" in text
        or "east" in text
        or "west" in text
    )


DATE_WORD = _DATE_WORD  # (for other readers of names: "entered the town Monday")
# Nor is a capitalised function word ("Avdiivka By Southern Wire": a byline after the name).
_NOT_IN_NAME = r"(?:By|In|On|At|For|From|With|And|Or|Of|The|To|As|But|Via|Photo|Reuters|AFP|AP)\b"
NAME = (
    rf"{_WORD}(?:\s+(?!{_DATE_WORD}|{_NOT_IN_NAME})(?:al-|el-|ez-|ad-|as-|ash-|(?:de|da|do|dos|das|di|del|du|la|"
    rf"le|al|el|bin|ibn)\s+)?{_WORD})*(?=(?:['’]s)?\b)"
)
NAME_RE = scanning(NAME)
# The same names, found by scanning: a capital letter starts the scan (fast), and the rarer
# names opening with a lower-case "el-"/"al-" are looked for only where a hyphen is.
_NAME_SCAN = scanning(NAME.removeprefix(r"(?:(?:al|el|ad|as|ash|ar|az|an)-)?"))
_PREFIXED_SCAN = scanning(rf"\b(?=(?:al|el|ad|as|ash|ar|az|an)-[A-Z]){NAME}")
# (not "the Sunni town of X", "the Kurdish city of X": a modifier of the noun the name follows)
_TYPE_AFTER = scanning(r"\s+(?P<type>town|city|village|township)\b(?!\s+of\b)")


def _names_in(sentence: str) -> list[re.Match[str]]:
    """Every capitalised name in a sentence, left to right."""
    found = list(_NAME_SCAN.finditer(sentence))
    if "-" in sentence:
        found += _PREFIXED_SCAN.finditer(sentence)
        found.sort(key=lambda m: m.start())
        kept: list[re.Match[str]] = []
        for m in found:  # "el-Fasher" holds "Fasher": keep the longer name
            if not kept or m.start() >= kept[-1].end():
                kept.append(m)
        found = kept
    return found


# A capitalised sentence opener before a name is not part of it: "Only Kabul", "Even Kherson".
_LEAD_WORD = scanning(r"(?:Only|Even|Both|Also|Then|Now|Still|Yet|Just|Meanwhile|Elsewhere)\s+")
# What the words right after a name say of it: an actor ("Puntland forces"), a line ("the
# China-Myanmar border"), or a government named by its capital ("Moscow announced").
_AFTER_NAME = scanning(
    # ("al-Shabab's mouthpiece", "Hamas's armed wing": a group that owns a voice or an arm)
    r"(?:['’]s\s+(?P<owner>mouthpiece|spokesman|spokesperson|leader|leadership|media\s+office|"
    r"armed\s+wing|military\s+wing|news\s+agency|radio|fighters|militants|commander)\b)|"
    r"\s+(?:(?P<forces>forces|troops|army|soldiers|fighters|militia|militias|rebels|units|police|"
    r"authorities|officials|government|militants|insurgents|jihadists|gunmen|militiamen)|(?P<border>border|frontier|front|coast|river|sea)|"
    r"(?P<speaks>(?:(?:has|had|have|also|later|then|quickly)\s+)?(?:said|says|announced|announces|"
    r"claimed|claims|stated|reported|denied|denies|confirmed|insisted|told|added|warned|"
    r"accused))|(?P<acts>attacked|stormed|ambushed|shelled|bombed|raided|launched|overran|"
    r"retook|kidnapped|abducted|besieged|attacks|launches))\b"
)
# A name the text says lies somewhere is a place ("Goofgaduud lies about 250 km northwest of")
_LIES = re.compile(r"\s+(?:lies|lay|is\s+located|is\s+situated|sits)\b")
# "el-Fasher" is written "El Fasher" as a name on its own
_TOWNSHIP = scanning(r"\s+Township$")


@lru_cache(maxsize=32768)
def _resolved(name: str, countries: tuple[str, ...]) -> Place | Unresolved:
    """The gazetteer's answer for a name (cached here too: every text asks for its names again,
    and the gazetteer's own cache is keyed after normalising the name)."""
    return gazetteer().resolve(name, countries)


@lru_cache(maxsize=8192)
def _folded(name: str, countries: tuple[str, ...]) -> Place | Unresolved:
    """The gazetteer's answer for a name under its folded key (`Gazetteer.resolve_folded`)."""
    return gazetteer().resolve_folded(name, countries)


@lru_cache(maxsize=8192)
def _spelling(name: str) -> str:
    """A name as a place's name is written: "el-Fasher" -> "El Fasher", "Paletwa Township" ->
    "Paletwa" (cached: names repeat)."""
    name = _ARTICLE_PREFIX.sub(lambda m: m[1].capitalize() + " ", name)
    return _TOWNSHIP.sub("", name)


_ARTICLE_PREFIX = scanning(r"^(al|el|ad|as|ash|ar|az|an)-(?=[A-Z])")


@lru_cache(maxsize=4096)
def _town_dropped(name: str, countries: tuple[str, ...]) -> str:
    """ "Banmauk Town" (as Myanmar's press writes a town) is Banmauk, so that both spellings are
    one place; a name the gazetteer knows whole stays ("Cape Town"), and so does one whose first
    part is a common word ("Old Town"). ("X City" stays: "Gaza City" is not the Gaza Strip.)"""
    if isinstance(_resolved(name, countries), Place):
        return name
    short = name.rsplit(" ", 1)[0]
    if isinstance(_resolved(short, countries), Place):
        return short
    return name if " " in short or gazetteer().is_word(short) else short


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
    "district oblast camp hub township"
)
_TYPE_NOUN = "(?:" + "|".join(sorted(_TYPE_WORDS)) + ")"
# "the town of Selydove", "the disputed region's key town of Shusha", "the capital, Khartoum"
TYPED = scanning(rf"\b(?P<type>{_TYPE_NOUN})(?:\s+of|,)?\s+(?P<name>{NAME})", re.UNICODE)
# "Lalibela town", "Goma city", "Rathedaung township"
NAME_TYPE = scanning(rf"(?P<name>{NAME})\s+(?P<type>town|city|village|township)\b")
# "Shusha, a strategically vital town", "Kharkiv, the second-largest city"
APPOSITIVE_TYPE = scanning(
    rf"(?P<name>{NAME}),\s+(?:a|the)\s+(?:[\w-]+\s+){{0,4}}?(?P<type>{_TYPE_NOUN})\b"
)
# "the town", "the border town", "the fortress city" (not "the city council", "the town of X")
ANAPHOR = scanning(
    r"\b(?:the|[A-Z][\w-]+['’]s)\s+(?:[a-z-]+\s+){0,2}?"
    r"(?P<type>town|city|village|settlement|capital|enclave|region)\b"
    # not "the city council", "the town of X", "the city's mayor"
    r"(?!['’]s|\s+(?:of|council|hall|centre|center|limits|authorities|administration|government|"
    r"officials|police|mayor|square|walls|gates|outskirts|residents|streets|district|districts|"
    r"hospital|hospitals|market|council's|governor|leaders|elders|people|dwellers|life|"
    r"cemetery|morgue|school|schools|airport|station|court|museum)\b)"
)
# Aliases: "X, known as Y in Armenian", "X (Y in Russian)", "X, also known as Y",
# "X, which Ukrainians call Y and Russians Z".
KNOWN_AS = scanning(
    rf"(?P<a>{NAME}),?\s+\(?(?:also\s+|better\s+|locally\s+)?known\s+"
    rf"(?:(?:in|to)\s+(?:the\s+)?[A-Z]\w+\s+|locally\s+)?as\s+(?P<b>{NAME})"
)
PAREN_ALIAS = scanning(rf"(?P<a>{NAME})\s+\((?:or\s+|also\s+)?(?P<b>{NAME})(?:\s+in\s+[A-Z]\w+)?\)")
WHICH_CALL = scanning(
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
    division divisions corps infantry armoured armored airborne fleet squadron platoon god
    allah
    brigades battalions regiments
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
_FUNCTION_START = words(
    """in on at for after before since during as if when while within without throughout despite
    amid among across inside outside beyond near until following with by from how why what
    where who whom whose which comes having being according regarding given including"""
)


@dataclass(frozen=True)
class PlaceMention:
    """A place named (or referred to) in a sentence: canonical name, span, and kind if known."""

    name: str
    start: int
    end: int
    kind: str | None = None  # town, city, region ... when the text says
    border: bool = False  # "the China-Myanmar border": a line, not a place
    speaker: bool = False  # "Moscow announced": a government named by its capital
    located: bool = False  # "attacked soldiers in Kawlin": named where something happened
    landmark: bool = False  # "60 km from Donetsk", "east of the capital Tripoli": a bearing


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
    if len(words) == 1 and words[0] in _COMPASS_WORDS:
        return False  # "the Eastern side of Mosul": a side, not a place called Eastern
    # Demonyms and a side's institutions ("Russian", "Armenians", "Kremlin") are not places.
    if any(w in PEOPLE_WORDS for w in words):
        return False
    return not (name.isupper() and len(name) <= 5)  # acronyms: RSF, UN, IDF


_SILENT = str.maketrans("", "", "aeiouyhw")


@lru_cache(maxsize=8192)
def _skeleton(name: str) -> str:
    """A name's first letter and its consonants, doubles collapsed: how two transliterations
    of one name agree ("Maiorsk" and "Mayorsk", "Garmser" and "Garmsir" are "mrsk", "grmsr")."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    letters = "".join(c for c in folded if c.isalpha())
    if not letters:
        return ""
    rest = letters[1:].translate(_SILENT)
    return letters[0] + re.sub(r"(.)\1+", r"\1", rest)


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
        self.ids: dict[str, int] = {}  # name -> geonameid, for the names resolved
        self.names: dict[str, str] = {}  # name -> the place's one name (config's or GeoNames')
        self._config_names = frozenset(self._config.values())
        self._config_aliases: dict[str, list[str]] = {}
        for alias, canonical in self._config.items():
            if alias != canonical:
                self._config_aliases.setdefault(canonical, []).append(alias)
        self._named: dict[str, str] = {}  # name as written -> canonical, once resolved
        self.found: dict[str, str] = {}  # aliases learnt from this text
        self.kinds: dict[str, str] = {}
        self.recent: list[PlaceMention] = []
        self.claimed: list[str] = []  # places claims were read about, latest last
        self.claimed_before: list[str] = []  # those of the sentence before (for "the towns")
        self._claimed_mark = 0
        self._known_re: re.Pattern[str] | None = None
        self._refresh_known()

    # -- names ------------------------------------------------------------------------------
    def canonical(self, name: str, folded: bool = False) -> str:
        """The canonical form of a place name: config first, then aliases found in the text,
        then the gazetteer's canonical name (its id kept in `ids`); else the name as written.

        ``folded``: the text puts the name where a place goes (a claim's object, "the town of
        X"), so a name no place has exactly is looked up by its folded key too (`_fold`)."""
        name = _spelling(name.strip())
        if name.endswith(" Town") and name not in self._config:
            name = _town_dropped(name, self._countries)
        for _ in range(3):  # short chains only: alias -> name -> canonical
            nxt = self._config.get(name) or self.found.get(name)
            if not nxt or nxt == name:
                break
            name = nxt
        if name not in self._named:
            self._named[name] = self._resolve(name)
        if folded:
            self._fold(self._named[name])
        return self._named[name]

    def _fold(self, name: str) -> None:
        """Resolve a name no place is known by exactly, and no config or text alias covers, by
        its folded key ("Umanskoye" -> Umanske): only where the text says it is a place, since
        the looser key makes more names meet (`Gazetteer.resolve_folded`)."""
        if name in self.ids or self.configured(name) or name in self.found:
            return
        place = _folded(name, self._countries)
        if isinstance(place, Place):
            self.ids[name] = place.id
            self.names.setdefault(name, place.name)

    def _resolve(self, name: str) -> str:
        """``name`` as the text (or config) spells it, with the geonameid of the place it is
        kept in `ids` when the gazetteer knows it."""
        if name in self._config_names:
            self.names.setdefault(name, name)
            for alias in (*self._config_aliases.get(name, ()), name):
                place = _resolved(alias, self._countries)
                if isinstance(place, Place):
                    self.ids.setdefault(name, place.id)
                    break
            return name
        place = _resolved(name, self._countries)
        if isinstance(place, Place):
            # The claim keeps the text's own spelling (what a reader of the article and the
            # real-text labels call it); the id and the gazetteer's name fold its spellings
            # into one place and one fact.
            self.ids.setdefault(name, place.id)
            self.names.setdefault(name, place.name)
            return name
        # a name the gazetteer does not know, spelt another way earlier in the same text
        # ("the village of Maiorsk ... the village of Mayorsk"): the text's first spelling
        key = _skeleton(name)
        if len(key) >= 4:
            earlier = (n for n in self._named.values() if n != name and _skeleton(n) == key)
            return next(earlier, name)
        return name

    def district(self, district: str, city: str) -> str:
        """A district of a named city ("the Vostochny district of Mariupol", "Mariupol's
        Vostochny district"), as `canonical` gives it: the place GeoNames lists by that name
        in the city's country within `DISTRICT_KM` of it (some districts are places of their
        own), else the city's place, the district named in the fact ("Vostochny, Mariupol");
        never a far place of the same name (a Russian village Vostochny). A city the gazetteer
        does not know locates nothing: the district keeps no place."""
        self.ids.pop(district, None)  # what the name alone resolved to is not trusted here
        self.names.pop(district, None)
        town = _resolved(_spelling(self.canonical(city, folded=True)), self._countries)
        if self.configured(district) or not isinstance(town, Place):
            return district
        near = [
            p
            for p in (*gazetteer().lookup(district), _folded(district, (town.country,)))
            if isinstance(p, Place)
            and p.country == town.country
            and p.id != town.id
            and _km(p, town) <= DISTRICT_KM
        ]
        if near:
            self.ids[district], self.names[district] = near[0].id, near[0].name
        else:
            self.ids[district], self.names[district] = town.id, f"{district}, {town.name}"
        return district

    def fact_name(self, name: str) -> str | None:
        """The one name a place's fact goes by (see `ControlClaim.canonical`), if known."""
        return self.names.get(name)

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
        titles = tokens is None or not _TITLE_WORDS.isdisjoint(tokens)
        spans: dict[int, PlaceMention] = {}

        def add(name: str, start: int, kind: str | None) -> None:
            if start in spans or not _could_be_place(name):
                return
            if kind is None and name[:1] in _COMPASS_INITIALS and _COMPASS_NAME.match(name):
                part = self._compass_part(name)
                if part is None:
                    return
                start += len(name) - len(part)
                name = part
                if start in spans:
                    return
            if self._not_places and name.casefold() in self._not_places:
                return
            if not person_tokens.isdisjoint(name.split()) or (
                titles and _TITLED.search(sentence, max(0, start - 30), start)
            ):
                return  # a person: named before, or by a title ("Brigadier General X")
            end = start + len(name)
            after = _AFTER_NAME.match(sentence, end)  # one look at the words after the name
            if after and (after["forces"] or after["owner"]):
                return  # "Puntland forces", "Russian troops": an actor, not a place
            canonical = self.canonical(name, folded=kind is not None)
            if kind:
                self.kinds.setdefault(canonical, kind)
            border = bool(after and after["border"])
            # ("Al Shabaab attacked from various sides": an actor, as a speaker is)
            speaker = bool(after and (after["speaks"] or after["acts"]))
            located = (
                sentence[max(0, start - 24) : start].rstrip().endswith(_LOCATIVE_ENDS)
                and _LOCATIVE.search(sentence, max(0, start - 24), start) is not None
                and not _REGION_WORD_AFTER.match(sentence, end)  # "in Middle Shabelle region"
            ) or _LIES.match(sentence, end) is not None
            landmark = (
                _bearing_words(sentence[max(0, start - 40) : start])
                and _BEARING.search(sentence, max(0, start - 40), start) is not None
            )
            spans[start] = PlaceMention(
                canonical, start, end, kind, border, speaker, located, landmark
            )

        names = _names_in(sentence)
        if typed:
            for m in TYPED.finditer(sentence):
                add(m["name"], m.start("name"), m["type"])
            if ", a " in sentence or ", the " in sentence:
                for m in APPOSITIVE_TYPE.finditer(sentence):
                    add(m["name"], m.start("name"), m["type"])
            for m in names:  # "Lalibela town", "Rathedaung township"
                after = _TYPE_AFTER.match(sentence, m.end())
                if after:
                    add(m.group(), m.start(), after["type"].lower().replace("township", "town"))
        if self._known_re:
            for m in self._known_re.finditer(sentence):
                add(m.group(), m.start(), None)
        for m in names:
            if m.start() not in spans and not _covered(spans, m.start()):
                lead = _LEAD_WORD.match(m.group())  # "Only Kabul ...": the name is Kabul
                if lead and lead.end() < len(m.group()):
                    add(m.group()[lead.end() :], m.start() + lead.end(), None)
                else:
                    add(m.group(), m.start(), None)
        return sorted(spans.values(), key=lambda p: p.start)

    def known(self, name: str) -> bool:
        """Whether a name is a place on more evidence than its capital letter: the text said
        what it is ("the town of X"), config or the text gave it as an alias, or the gazetteer
        knows it. Weak phrasings ("took", "held", "X fell") claim only known places."""
        return (
            name in self.kinds
            or name in self.ids
            or name in self._config
            or name in self._config_names
            or name in self.found
            or name in self.found.values()
        )

    def _compass_part(self, name: str) -> str | None:
        """A name opening with a compass word, as a place: itself when known ("East
        Jerusalem"), the place it is a part of ("West Mosul" -> "Mosul"), or None: a region
        ("North Darfur", "South Kordofan")."""
        compass = _COMPASS_NAME.match(name)
        if not compass or is_country(name) or self._named_place(name):
            return name
        rest = name[compass.end() :]
        return rest if self._named_place(rest) else None

    def _named_place(self, name: str) -> bool:
        """Whether config or the gazetteer knows a name as a place (not just as a capital)."""
        return (
            self.configured(name)
            or name in self.found
            or isinstance(_resolved(_spelling(name), self._countries), Place)
        )

    def configured(self, name: str) -> bool:
        """Whether config names this place (an alias or a canonical name)."""
        return name in self._config or name in self._config_names

    def population(self, name: str) -> int | None:
        """The size of the populated place a name is to the gazetteer (None: no such place):
        its population, or for one GeoNames counts no people in, the size its names suggest."""
        found = _resolved(name, self._countries)
        return found.size if isinstance(found, Place) else None

    def in_countries(self, name: str) -> bool:
        """Whether the gazetteer's place of this name lies in a country the desk watches."""
        found = _resolved(name, self._countries)
        return isinstance(found, Place) and found.country in {c.upper() for c in self._countries}

    def doubtful(self, name: str) -> bool:
        """Whether a name is more likely a word than a place: not known (`known`) and, to the
        gazetteer, a common English word ("Oil", "Russell", "God")."""
        if self.known(name):
            return False
        found = _resolved(name, self._countries)
        return isinstance(found, Unresolved) and found.reason == COMMON_WORD

    def word_not_place(self, name: str) -> bool:
        """Whether a one-word name no place is known by is a common English word ("Rivals",
        "Balloons", "Shares"): what a capitalised sentence opener is, not a town."""
        return " " not in name and not self.known(name) and gazetteer().is_word(name)

    def read_name(self, sentence: str, start: int, persons: Iterable[str] = ()) -> str | None:
        """The canonical place named at exactly ``start``, if the name there is a place."""
        m = NAME_RE.match(sentence, start)
        if (
            not m
            or not is_place_name(m.group(), persons)
            or _TITLED.search(sentence, max(0, start - 30), start)
        ):
            return None
        if self._not_places and m.group().casefold() in self._not_places:
            return None
        part = self._compass_part(m.group()) if _COMPASS_NAME.match(m.group()) else m.group()
        return self.canonical(part, folded=True) if part else None

    def resolve(self, noun: str, before: list[PlaceMention]) -> str | None:
        """What "the <noun>" refers to: the last fitting place in this sentence, then earlier."""
        wanted = SETTLEMENT_NOUNS if noun in SETTLEMENT_NOUNS else REGION_NOUNS
        # (a name before a speech verb that the text types or places something in is where the
        # speaker is, not a government named by its capital: "officials in X said", "fighters
        # in the rebel stronghold of X said they had taken the town")
        history = [
            m
            for m in (*self.recent, *before)
            if not ((m.speaker and not (m.kind or m.located)) or m.border or m.landmark)
        ]
        # "the town" refers back to a place the text is about before any place merely named:
        # in "denied losing Soledar to Russia, which Moscow claimed ...: fighting in the town",
        # the town is Soledar.
        for name in reversed(self.claimed):
            if any(m.name == name for m in history) and self._fits(name, noun, wanted):
                return name
        if noun == "capital":
            # "the provincial capital" is a place the text called a capital, not any town.
            wanted = ("capital",)
        for m in reversed(history):
            if self.kinds.get(m.name) in wanted:
                return m.name
        if noun == "capital":
            return None
        for m in reversed(history):
            kind = self.kinds.get(m.name)
            # "Amhara Fano", "Infantry Divisions" are no towns: an untyped antecedent is known
            settlement = noun in SETTLEMENT_NOUNS and not is_country(m.name)
            # (or a name the text places something in: "attacked soldiers in Kawlin ... taking
            # over the town")
            if kind is None and settlement and (self.known(m.name) or m.located):
                return m.name
        return None

    def _fits(self, name: str, noun: str, wanted: tuple[str, ...]) -> bool:
        kind = self.kinds.get(name)
        if kind is None:
            return noun in SETTLEMENT_NOUNS and noun != "capital" and not is_country(name)
        return kind in wanted

    def remember(self, mentions: list[PlaceMention]) -> None:
        """Keep a sentence's places for "the town" in the sentences after it."""
        self.recent.extend(mentions)
        del self.recent[:-20]
        if len(self.claimed) > self._claimed_mark:
            self.claimed_before = list(dict.fromkeys(self.claimed[self._claimed_mark :]))
        else:
            self.claimed_before = []
        self._claimed_mark = len(self.claimed)

    @property
    def aliases(self) -> dict[str, str]:
        """Aliases found in this text, each mapped to its canonical name."""
        return {alias: self.canonical(alias) for alias in self.found}


# How far from a city's centre a place of a district's name may lie to be that district (the
# districts of Moscow or Kharkiv lie within about 20 km of its centre).
DISTRICT_KM = 25.0


def _km(a: Place, b: Place) -> float:
    """The great-circle distance between two places, in km."""
    la, lb = math.radians(a.lat), math.radians(b.lat)
    h = (
        math.sin((lb - la) / 2) ** 2
        + math.cos(la) * math.cos(lb) * math.sin(math.radians(b.lon - a.lon) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _covered(spans: Mapping[int, PlaceMention], start: int) -> bool:
    return any(m.start <= start < m.end for m in spans.values())
