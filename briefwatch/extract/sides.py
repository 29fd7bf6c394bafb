"""Which side (country) a phrase belongs to: "Azerbaijani forces" -> "Azerbaijan".

A built-in table of countries with their demonyms, capitals and a few well-known seats of power
("Kremlin"), plus a short list of proxies that news copy uses as a side's name ("Karabakh" forces
and officials are the Armenian side, "Wagner" and the "DPR" the Russian one). Anything
conflict-specific beyond that comes from config ({"separatist": "Armenia"}, {"rsf": "Rapid
Support Forces"}) as a `SideTable`: configured words count exactly like the built-in ones, and
override them word for word ("saf" is Sudan in the table, the config's "Sudan Armed Forces" when
configured). The first word of a phrase decides its side, so "the Sudanese army" is Sudan
unless the config lists "sudanese army" too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from briefwatch.extract.lexicon import FORCE_NOUNS, trie_pattern, words

# side | demonym | other words that name it, comma-separated (capitals, plurals, short forms)
_TABLE = """
Afghanistan|Afghan|afghans, kabul, taliban
Algeria|Algerian|algiers
Argentina|Argentine|argentinian, buenos aires
Armenia|Armenian|armenians, yerevan, karabakh, artsakh, stepanakert
Australia|Australian|canberra
Azerbaijan|Azerbaijani|azerbaijanis, azeri, azeris, baku
Bangladesh|Bangladeshi|dhaka
Belarus|Belarusian|belarusians, belarussian
Benin|Beninese|cotonou
Bosnia|Bosnian|sarajevo
Brazil|Brazilian|brasilia
Burkina Faso|Burkinabe|burkinabè, ouagadougou
Burundi|Burundian|gitega
Cameroon|Cameroonian|yaounde
Canada|Canadian|ottawa
Central African Republic|Central African|bangui
Chad|Chadian|n'djamena
China|Chinese|beijing
Colombia|Colombian|bogota
Democratic Republic of Congo|Congolese|drc, dr congo, kinshasa, fardc
Egypt|Egyptian|egyptians, cairo
Eritrea|Eritrean|asmara
Estonia|Estonian|tallinn
Ethiopia|Ethiopian|ethiopians, addis ababa
Finland|Finnish|helsinki
France|French|paris, elysee
Georgia|Georgian|tbilisi
Germany|German|germans, berlin
Ghana|Ghanaian|accra
Greece|Greek|athens
Guinea|Guinean|conakry
Haiti|Haitian|port-au-prince
Hungary|Hungarian|budapest
India|Indian|new delhi
Indonesia|Indonesian|jakarta
Iran|Iranian|iranians, tehran
Iraq|Iraqi|iraqis, baghdad
Israel|Israeli|israelis, idf, tel aviv
Italy|Italian|rome
Ivory Coast|Ivorian|cote d'ivoire, abidjan
Japan|Japanese|tokyo
Jordan|Jordanian|amman
Kazakhstan|Kazakh|astana
Kenya|Kenyan|nairobi
Kosovo|Kosovar|pristina
Kyrgyzstan|Kyrgyz|bishkek
Latvia|Latvian|riga
Lebanon|Lebanese|beirut
Libya|Libyan|libyans, tripoli
Lithuania|Lithuanian|vilnius
Mali|Malian|malians, bamako
Mauritania|Mauritanian|nouakchott
Mexico|Mexican|mexicans
Moldova|Moldovan|chisinau
Morocco|Moroccan|rabat
Mozambique|Mozambican|maputo
Myanmar|Myanmar|burma, burmese, naypyidaw, naypyitaw, tatmadaw
Nepal|Nepali|kathmandu
Niger|Nigerien|nigeriens, niamey
Nigeria|Nigerian|nigerians, abuja
North Korea|North Korean|pyongyang
Norway|Norwegian|oslo
Pakistan|Pakistani|pakistanis, islamabad
Palestine|Palestinian|palestinians, gaza, gazan, gazans, ramallah
Philippines|Philippine|filipino, manila
Poland|Polish|poles, warsaw
Qatar|Qatari|doha
Romania|Romanian|bucharest
Russia|Russian|russians, moscow, kremlin, wagner, dpr, lpr
Rwanda|Rwandan|kigali
Saudi Arabia|Saudi|saudis, riyadh
Senegal|Senegalese|dakar
Serbia|Serbian|serbs, belgrade
Somalia|Somali|somalis, mogadishu
South Africa|South African|pretoria
South Korea|South Korean|seoul
South Sudan|South Sudanese|juba
Spain|Spanish|madrid
Sri Lanka|Sri Lankan|colombo
Sudan|Sudanese|khartoum, saf
Sweden|Swedish|stockholm
Syria|Syrian|syrians, damascus
Taiwan|Taiwanese|taipei
Tajikistan|Tajik|dushanbe
Thailand|Thai|bangkok
Tunisia|Tunisian|tunis
Turkey|Turkish|turks, türkiye, ankara
Uganda|Ugandan|kampala
Ukraine|Ukrainian|ukrainians, kyiv, kiev
United Arab Emirates|Emirati|uae, abu dhabi
United Kingdom|British|britain, uk, london
United States|American|americans, u.s., usa, pentagon, washington
Uzbekistan|Uzbek|tashkent
Venezuela|Venezuelan|caracas
Vietnam|Vietnamese|hanoi
Yemen|Yemeni|yemenis, sanaa, houthi, houthis
Zimbabwe|Zimbabwean|harare
"""

# Multi-word names that contain one of the single words above must be listed whole, and win.
_MULTI = {
    "donetsk people's republic": "Russia",
    "luhansk people's republic": "Russia",
    "nagorno-karabakh": "Armenia",
}


def _load() -> tuple[dict[str, str], dict[str, str]]:
    words: dict[str, str] = dict(_MULTI)
    demonyms: dict[str, str] = {}
    for line in _TABLE.strip().splitlines():
        side, demonym, rest = line.split("|")
        demonyms[side] = demonym
        words[side.lower()] = side
        words[demonym.lower()] = side
        for alias in rest.split(","):
            if alias.strip():
                words[alias.strip().lower()] = side
    return words, demonyms


WORDS, DEMONYMS = _load()
# Short names a country goes by beside its table name ("eastern Congo")
_COUNTRY_NAMES = frozenset(
    {"Congo", "DR Congo", "DRC", "Burma", "Britain", "America", "Ivory Coast"}
)
COUNTRIES = frozenset(DEMONYMS) | _COUNTRY_NAMES
# Words naming a side's people or institutions, never a place: "Russian", "Armenians", "Kremlin".
PEOPLE_WORDS = frozenset(
    {d.lower() for d in DEMONYMS.values()}
    | {d.lower() + "s" for d in DEMONYMS.values()}
    | words(
        """
        afghans azeris azerbaijanis poles serbs turks filipino gazan gazans kremlin pentagon
        elysee taliban houthi houthis wagner idf saf fardc tatmadaw dpr lpr
        english scottish welsh european europeans african africans arab arabs asian asians
        """
    )
)


def _matcher(table: Mapping[str, str]) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w.]){trie_pattern(table)}(?![\w])", re.I)


_BUILTIN_PATTERN = _matcher(WORDS)


@dataclass(frozen=True)
class SideTable:
    """The built-in countries plus a conflict's configured words: one table per config.

    Hashable (it is its configured words), so caches and worker jobs can key on it; the
    compiled matchers ride along, built once per distinct config (`side_table`). The empty
    table is the built-in one, word for word.
    """

    extra: tuple[tuple[str, str], ...] = ()  # (casefolded word, side name), sorted
    table: Mapping[str, str] = field(default_factory=lambda: WORDS, compare=False, repr=False)
    pattern: re.Pattern[str] = field(default=_BUILTIN_PATTERN, compare=False, repr=False)
    # The configured words, and each word of a configured phrase ("popular resistance" gives
    # "popular" and "resistance"): what a subject or speaker may be made of beyond the usual
    # nouns. Empty without config, so the built-in reading is unchanged.
    words: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    # A configured side named right after "fell to" / "captured by": "the paramilitaries".
    after: re.Pattern[str] | None = field(default=None, compare=False, repr=False)
    # Configured names that are a side and nothing else ("Ansar Allah"): never a place. A
    # configured country or capital ("Armenia", "Baku") stays one.
    not_places: frozenset[str] = field(default=frozenset(), compare=False, repr=False)

    def side_of(self, text: str | None) -> str | None:
        """The side a phrase names: its first country, demonym, capital or configured word."""
        if not text:
            return None
        match = self.pattern.search(text)
        if not match:
            return None
        word = match.group()
        return self.table.get(word.lower()) or self.table.get(word.casefold())

    def names_side(self, word: str) -> bool:
        """Whether a lowercase word is a configured side's word (never true without config)."""
        return word in self.words

    def members(self, side: str, noun: str) -> str:
        """A side's people named by a noun: "Azerbaijani troops", "Rapid Support Forces
        fighters"; "forces" of a configured side are the side itself (`forces`)."""
        if side in DEMONYMS:
            return f"{DEMONYMS[side]} {noun}"
        return self.forces(side) if noun.lower() == "forces" else f"{side} {noun}"

    def forces(self, side: str) -> str:
        """How a side's armed forces are written: "Azerbaijani forces", "Rapid Support Forces"
        (a configured name that already ends in a force noun), "Ansar Allah forces"."""
        if side in DEMONYMS:
            return f"{DEMONYMS[side]} forces"
        if side.split()[-1].lower() in FORCE_NOUNS:
            return side
        return f"{side} forces"


@lru_cache(maxsize=64)
def _table_for(extra: tuple[tuple[str, str], ...]) -> SideTable:
    if not extra:
        return BUILTIN
    # A configured side's own name is one of its words, so an actor written with it ("Rapid
    # Support Forces fighters") reads back as that side.
    configured = {name.casefold(): name for _, name in extra} | dict(extra)
    table = {**WORDS, **configured}
    parts = frozenset(w for key in configured for w in key.split())
    after = re.compile(
        rf"\s*(?P<np>(?:the\s+)?{trie_pattern(configured)}(?:\s+(?:{'|'.join(sorted(FORCE_NOUNS))}))?)"
        r"(?![\w])",
        re.I,
    )
    not_places = frozenset(configured) - WORDS.keys()
    return SideTable(extra, table, _matcher(table), parts, after, not_places)


BUILTIN = SideTable()


def side_words(sides: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    """Sides as config ``[[sides]]`` gives them, (name, aliases), as `extract` takes them:
    casefolded word or name -> side name."""
    return {word.casefold(): name for name, aliases in sides for word in (name, *aliases)}


def side_table(sides: Mapping[str, str] | SideTable | None) -> SideTable:
    """The table for a config's words (casefolded word or name -> side name); built-in if none."""
    if isinstance(sides, SideTable):
        return sides
    if not sides:
        return BUILTIN
    return _table_for(tuple(sorted((k.casefold(), v) for k, v in sides.items())))


def side_of(text: str | None, extra: Mapping[str, str] | SideTable | None = None) -> str | None:
    """The side a phrase names, from its first country, demonym, capital or configured word.

    >>> side_of("Azerbaijani forces"), side_of("the Defense Ministry in Moscow")
    ('Azerbaijan', 'Russia')
    >>> side_of("RSF fighters", {"rsf": "Rapid Support Forces"})
    'Rapid Support Forces'
    """
    return side_table(extra).side_of(text)


def demonym(side: str) -> str:
    """The adjective for a side ("Armenia" -> "Armenian"); unknown sides are returned as given."""
    return DEMONYMS.get(side, side)


def is_country(name: str) -> bool:
    """True for a country's own name ("Armenia"), not for its capital or demonym."""
    return name in COUNTRIES
