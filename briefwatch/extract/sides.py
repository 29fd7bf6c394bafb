"""Which side (country) a phrase belongs to: "Azerbaijani forces" -> "Azerbaijan".

A built-in table of countries with their demonyms, capitals and a few well-known seats of power
("Kremlin"), plus a short list of proxies that news copy uses as a side's name ("Karabakh" forces
and officials are the Armenian side, "Wagner" and the "DPR" the Russian one). Anything
conflict-specific beyond that comes from config through ``extra`` ({"separatist": "Armenia"}).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from briefwatch.extract.lexicon import trie_pattern, words

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
COUNTRIES = frozenset(DEMONYMS)
# Words naming a side's people or institutions, never a place: "Russian", "Armenians", "Kremlin".
PEOPLE_WORDS = frozenset(
    {d.lower() for d in DEMONYMS.values()}
    | {d.lower() + "s" for d in DEMONYMS.values()}
    | words(
        """
        afghans azeris azerbaijanis poles serbs turks filipino gazan gazans kremlin pentagon
        elysee taliban houthi houthis wagner idf saf fardc tatmadaw dpr lpr
        """
    )
)


@lru_cache(maxsize=64)
def _pattern(extra: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    table = {**WORDS, **{k.lower(): v for k, v in extra}}
    return re.compile(rf"(?<![\w.]){trie_pattern(table)}(?![\w])", re.I), table


def side_of(text: str | None, extra: Mapping[str, str] | None = None) -> str | None:
    """The side a phrase names, from its first country, demonym, capital or configured word.

    >>> side_of("Azerbaijani forces"), side_of("the Defense Ministry in Moscow")
    ('Azerbaijan', 'Russia')
    """
    if not text:
        return None
    pattern, table = _pattern(tuple(sorted((extra or {}).items())))
    match = pattern.search(text)
    return table[match.group().lower()] if match else None


def demonym(side: str) -> str:
    """The adjective for a side ("Armenia" -> "Armenian"); unknown sides are returned as given."""
    return DEMONYMS.get(side, side)


def is_country(name: str) -> bool:
    """True for a country's own name ("Armenia"), not for its capital or demonym."""
    return name in COUNTRIES
