"""What an object-shaped control verb is about: a place, a count, or a list of places.

    "took Shusha"                       -> Shusha
    "captured the village of Talish"    -> Talish
    "seized the airport in Baidoa"      -> nothing: a facility is not the town (see below)
    "took Mopti's airport road"         -> nothing: a part of a place
    "captured 48 more settlements"      -> settlements, count 48 (an aggregate claim)
    "seized Djibo and Arbinda"          -> Djibo, Arbinda
    "liberated Balakliia, Izium and Kupiansk" -> all three

A name followed by its own verb starts a new clause and is not a second object: in "Rebels
seized Walikale and Kinshasa condemned the attack" only Walikale was seized.

Facilities (an airport, a base, a bridge, a crossing, a palace) change hands without the town
changing hands: who holds Baidoa is not decided by its airport. They are recognised so that the
town named with them is not read as taken, and give no claim (as the real-text labels have it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from briefwatch.extract.lexicon import scanning
from briefwatch.extract.numbers import find_quantities
from briefwatch.extract.places import ANAPHOR, DATE_WORD, NAME, NAME_RE, PlaceBook, PlaceMention
from briefwatch.extract.sides import is_country

_AGGREGATE = scanning(
    r"\s+(?:more\s+|other\s+|further\s+|additional\s+|new\s+)?(?:of\s+[\w’']+\s+(?:\d+\s+)?)?"
    r"(?:(?:provincial|regional|district|state|key|major|strategic|small|frontline|border|"
    r"neighbouring|neighboring|nearby)\s+)?"
    r"(?P<noun>settlements|villages|towns|cities|localities|districts|townships|positions|"
    r"communities|hamlets|capitals)\b"
)
# "three villages — Blahodatne, Neskuchne and Makarivka", "four cities within 24 hours: Daraa,
# ...": the names that follow a count are the claims
_NAMES_FOLLOW = scanning(
    r"(?:\s+(?:within|in|over|during|on|since|so\s+far)\b[^:—–,.;()]{1,30})?\s*(?:[:—–]|\s-\s)\s*"
    # "capturing three more settlements, including the town of Sudzha"
    r"|(?:\s+[^:—–,.;()]{1,30}?)?,\s+including\s+(?=the\s|[A-Z])"
    # "the two neighbouring districts of Awdhegle and Mubarak"
    r"|\s+of\s+(?=[A-Z])"
    # "two towns further north-west, A and B": names set off by a comma (a list of two or more)
    r"|(?P<comma>(?:\s+(?:further\s+|farther\s+)?(?:north|south|east|west)(?:-?(?:east|west))?"
    r"(?:wards?)?)?,\s+(?=[A-Z]))"
)
# "another neighbouring provincial capital, Taleqan", "Ethiopia's northern Tigray region
# capital, Mekelle", "its last western stronghold of el-Fasher": a description, then the name
_DESCRIBED = scanning(
    # ("much of the country's second-largest city Aleppo": a part of the place described)
    r"\s*(?:(?:much|most|all|half|(?:large\s+)?parts?)\s+of\s+(?=the\s|[A-Z]))?"
    r"(?:(?:the\s+|[A-Z][\w’'-]+['’]s\s+|another\s+|its\s+|their\s+|his\s+|a\s+)"
    r"(?:(?!(?:and|or|but|in|on|at|by|from|to|near)\b)[\w’'-]+\s+){0,5}?"
    # without a determiner only lower-case words: "regional capital Goma", not "Fuzuli city, X"
    # (nor a verb: "Dessie and were headed towards the town of X" is another clause)
    r"|(?:(?!(?:and|or|but|in|on|at|by|from|to|near|towards?|into|for|with|was|were|is|are|"
    r"has|have|had|been|be|which|that|who|[a-z]+ed)\b)[a-z][\w’'-]*\s+){0,4}?)"
    r"(?:city|town|capital|stronghold|village|port|hub|bastion|enclave|holdout|hometown|"
    r"birthplace)"
    r"(?:\s*(?:,|:|—|–|\s+of)\s*|\s+)"
    # ("another provincial capital, the southern city of Kandahar")
    r"(?:the\s+(?:[a-z-]+\s+){0,2}(?:city|town|village|port)\s+of\s+)?"
    r"(?:the\s+)?(?=(?:(?:al|el|ad|as|ash|ar|az|an)-|(?:al|el)\s+)?[A-Z])"
    rf"(?!{DATE_WORD})"
)
# A name followed by one of these is a region named as a location, not a town.
_REGION_AFTER = scanning(
    r"\s+(?:region|province|provinces|oblast|governorate|state|district|districts|county|"
    r"prefecture|raion)\b",
    re.I,
)
_TYPED_OBJECT = scanning(
    # (no clause word or verb among them: "Zhelanne, which lies between the cities of A and B"
    # is where Zhelanne is, and "Bunia after capturing the town of X" is about Bunia)
    r"\s*[\"“”‘’']?\s*(?:the\s+)?(?:(?!(?:of|and|to|from|in|into|at|on|by|for|with|which|"
    r"that|where|who|between|near|lies|lying|located|situated|after|before|while|when|since|as|"
    r"following|amid|during|until|then|but|or|if|is|are|was|were|has|have|had|hold|holds|held|"
    r"control|controls|took|take|takes|taken|captured|seized)\b)[\w’'-]+\s+)"
    r"{0,4}?(?:town|city|village|"
    r"settlement|hamlet|port|capital|stronghold|region|district|province|enclave|camp|centre|"
    r"center|suburbs|outskirts|heart|streets|part|parts|much|most|half|percent|portion|share|"
    r"towns|villages|cities|settlements|areas|neighbourhoods|neighborhoods|quarters|capitals|"
    r"whole|all|site)\s+of\s+"
    # "the village Verbivka", "villages Bairak and Nova Husarivka": the type noun without "of"
    r"|\s*(?:the\s+)?(?:town|city|village|settlement|towns|villages|settlements)\s+(?=[A-Z])"
    rf"(?!{DATE_WORD})"  # "entered the town Monday": the town, then its day
)
# the type noun of a region, last before its name ("the western province of", "Kharkiv region of"
# is not it: the name comes first there)
_REGION_TYPED = re.compile(r"\b(?:region|province|oblast|governorate)\s+of\s+$")
# "numerous locations such as Gisiza, Gasiza ...", "several villages including X and Y"
_LISTED = scanning(
    r"\s*(?:(?:numerous|several|many|a\s+number\s+of|a\s+string\s+of|other|key|strategic|"
    r"\w+)\s+)?(?:locations|localities|villages|towns|settlements|areas|positions|cities)\s+"
    # ("several towns west of Goma in recent weeks, including Minova, ...")
    r"(?:[^,;.:]{1,50}?,\s+)?(?:such\s+as|including|like|namely)\s+"
)
# Facilities that change hands on their own and are named by their place.
_FACILITY = (
    r"(?:airport|airfield|air\s+base|airbase|military\s+base|base|bridge|dam|crossing|"
    r"border\s+crossing|seaport|port|railway\s+station|train\s+station|power\s+plant|"
    r"power\s+station|refinery|steelworks|steel\s+plant|plant|factory|headquarters|palace|"
    r"police\s+station|police\s+headquarters|administration\s+office|office|"
    r"prison|compound|hospital|garrison|checkpoint|outpost|barracks|mine|capitol|statehouse|"
    r"parliament|building|embassy|consulate|stadium|square|church|mosque|cathedral|school|"
    r"university|hotel|museum|tower|market|mall)"
)
# "the Statehouse", "the Arizona Capitol": a name that is a facility's
_FACILITY_NAME = scanning(rf"(?i:\b{_FACILITY}$|(?:house|hall)$)")
# "the airport in Baidoa", "the bridge at Kubri", "the main military base outside Kherson"
_FACILITY_IN = scanning(
    rf"\s*(?:the\s+)?(?:(?:main|international|military|key|strategic|river|old|new)\s+)?"
    rf"(?P<fac>{_FACILITY})\s+(?:in|at|near|outside|of)\s+"
)
_NAME_OBJECT = scanning(
    rf"\s*[\"“”‘’']?\s*(?:the\s+)?(?:(?P<part>northern|southern|eastern|western|central|"
    rf"north-?eastern|north-?western|south-?eastern|south-?western)\s+"
    # ("central and southern Bahri": parts of it, which a partial claim is about)
    rf"(?:and\s+(?:northern|southern|eastern|western|central)\s+)?|(?:nearby|neighbouring|"
    rf"neighboring)\s+)?"
    # "the town of al Haffa": the article written apart is left out of the name
    rf"(?:(?:al|el)\s+(?=[A-Z]))?(?P<name>{NAME})(?:\s+(?P<fac>{_FACILITY})\b)?"
    # "Goma city", "Hpaungsai towns": a type noun after the name belongs to it
    r"(?P<type>\s+(?:city|town|village|towns|villages|cities|settlements|township|townships|areas)\b)?"
)
# "Mopti's airport" is a facility of Mopti; "Mopti's airport road" or "Bakhmut's eastern
# districts" are parts of it, not the place.
_POSSESSIVE_TAIL = scanning(rf"['’]s\s+(?:(?P<fac>{_FACILITY})\b)?")
# What may follow a finished object: punctuation, or a word that cannot be its verb.
_OBJECT_END = scanning(
    r"\s*(?:[,.;:)\"”’]|$)|\s[-–—]\s|\s+(?:in|on|at|from|after|within|during|near|and|or|overnight|last|"
    r"this|earlier|late|early|as|before|while|when|to|by|with|but|since|following|amid|under|"
    r"located|situated|lying|"
    # "retook A, B and C cities west of the capital": where they are
    r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:wards?)?|"
    r"for|over|without|despite|through|into|towards?|where|which|who|that|of|the|a|an|just)\b"
)
_REGION_OWNER = scanning(
    r"\s*(?:[A-Z][\w-]+\s+){1,2}(?:State|Province|Region|Oblast|Governorate|District)['’]s\s+"
)
# (not "district": one is named after its town and changes hands with it)
_WIDE_REGION_AFTER = re.compile(
    r"\s+(?:region|province|provinces|oblast|governorate|state|county|prefecture)\b", re.I
)
_LOCATOR = scanning(r"(?:\s+(?:town|city|village|district))?,?\s+in\s+(?:the\s+)?")
_IT = scanning(r"\s*it\b(?!['’]s|\s+(?:is|was|has|had|would|will)\b)")
_REGIONS = frozenset({"region", "province", "district", "oblast", "area", "enclave"})
_REGION_NAME = scanning(r"\s(?:Province|Region|Oblast|Governorate|County|State|Prefecture)$")
_FROM_OCCUPATION = scanning(r"\s*from\s+(?:\w+\s+)?occupation\s+(?=[A-Z])")
_THE = scanning(r"\s*the\s+(?=\S)")
# "the base and a nearby town, Barire": a facility on its own, which a list may go on past
_FACILITY_ALONE = scanning(rf"\s*(?:the|a|an|its|their)\s+(?:[\w-]+\s+){{0,2}}?{_FACILITY}\b")
_SHARE = scanning(
    r"\s*(?:about\s+|around\s+|nearly\s+|almost\s+|more\s+than\s+|over\s+|some\s+|roughly\s+|"
    r"approximately\s+|up\s+to\s+)?"
    r"\d+(?:\.\d+)?\s*(?:%|percent|per\s+cent)\s+of\s+"
)
_AREAS_IN = scanning(
    r"\s*(?:several|some|many|most|two|three|four|\d+|large|key|the\s+remaining)\s+"
    r"(?:areas|neighbourhoods|neighborhoods|districts|parts|quarters|sections)\s+(?:in|of)\s+"
    r"(?:the\s+(?:city|town|capital)\s+of\s+)?(?=[A-Z])"
)
_APPOSED_NAME = scanning(rf",\s+(?P<name>{NAME})")
_SPEAKS_AFTER = scanning(
    rf"{NAME}(?:\s+(?:for|of)\s+{NAME})?\s+(?:(?:has|had|also|later)\s+)?"
    r"(?:said|says|told|reported|announced|claimed|added)\b"
)
_DISTRICT_OF = scanning(
    rf"\s*(?:the\s+)?(?P<name>{NAME})\s+(?:district|quarter|neighbourhood|neighborhood)\s+of\s+"
    r"(?:the\s+city\s+of\s+)?"
)
# "Mosul's al-Zuhur district", "Khartoum's Bahri neighbourhood": a district of a city
_CITY_DISTRICT = re.compile(
    rf"\s*(?:the\s+)?(?P<city>{NAME})['’]s\s+(?:(?:eastern|western|northern|southern|central)\s+)?"
    rf"(?P<name>{NAME})\s+(?:district|quarter|neighbourhood|neighborhood)\b"
)
# "a strategic northern town", "a village", "a small town in the middle of the country"
_UNNAMED = scanning(
    r"\s*(?:a|an|another)\s+(?:(?!(?:of|and|in|near|on|at|from|with)\b)[\w’'-]+\s+){0,3}?"
    r"(?P<kind>town|village|city|settlement|locality)\b(?!\s+(?:of|called|named|known)\b|,\s+[A-Z])"
)
_LIST_SEP = scanning(r"\s*,\s*(?:and\s+|as\s+well\s+as\s+)?|\s+(?:and|as\s+well\s+as)\s+")


@dataclass(frozen=True)
class Object:
    """One thing a control verb is about."""

    place: str  # canonical place name, or the plural noun of an aggregate
    count: int | None
    end: int
    capital: bool = False  # read as a capital: the rest of its list is capitals too
    typed: bool = False  # named with its type ("Fuzuli city"): a list item on its own
    # "seized a strategic town": a place the text names only later (its kind; place is "")
    unnamed: str | None = None


@dataclass(frozen=True)
class NoObject:
    """Why the words after a verb are not a place."""

    reason: str
    end: int | None = None  # where a facility's phrase ends: a list may go on after it


def it_refers_to(sentence: str, book: PlaceBook, before: list[PlaceMention]) -> str | None:
    """The place "it" stands for: the one a claim of this sentence is about, else the last
    town named before it (not a region, a country, a border, nor the locator of another town)."""
    here = {m.name for m in before}
    claimed = next((p for p in reversed(book.claimed) if p in here), None)
    if claimed:
        return claimed
    # "withdrew from Lalibela town in North Ethiopia ... recaptured it": not the locator
    # ("Khan Abad district in Kunduz was captured ..., but security forces retook it")
    located = {b.start for a, b in pairwise(before) if _LOCATOR.fullmatch(sentence, a.end, b.start)}
    return next(
        (
            m.name
            for m in reversed(before)
            if m.kind not in _REGIONS
            and not m.border
            and m.start not in located
            and not is_country(m.name)  # "a year after Ukraine retook it": not Ukraine
            # "from Burdhubo district in Gedo region ... capturing it": not the region
            and not _WIDE_REGION_AFTER.match(sentence, m.end)
        ),
        None,
    )


# "the northern Shan State capital", "the Donetsk regional capital" (no name after it)
_REGION_CAPITAL = re.compile(
    r"\s*the\s+(?:[a-z-]+\s+){0,2}(?:[A-Z][\w’'-]+\s+){1,3}(?:(?:state|provincial|regional)\s+)?"
    r"capital\b(?![\w’'-]|\s*,?\s*(?:(?:al|el)-)?[A-Z]|\s+(?:of|city)\b)"
)


def _last_town(sentence: str, book: PlaceBook, before: list[PlaceMention]) -> str | None:
    """The last place named before that the gazetteer or the text knows as a town."""
    for m in reversed(before):
        if m.speaker or m.border or m.landmark or is_country(m.name):
            continue
        if m.kind in _REGIONS or _WIDE_REGION_AFTER.match(sentence, m.end):
            continue
        if book.known(m.name):
            return m.name
    return None


def read_object(
    sentence: str,
    pos: int,
    book: PlaceBook,
    before: list[PlaceMention],
    persons: list[str],
    capitals: bool = False,
) -> Object | NoObject:
    """The place (or aggregate) right after ``pos``, or why there is none.

    ``capitals``: the list is one of capitals ("the capitals of Kunar and Nuristan
    provinces"), so a name before "province" is the town.
    """
    owner = _REGION_OWNER.match(sentence, pos)
    if owner:  # "Rakhine State's Minbya Township": the region owns the town
        pos = owner.end()
    pronoun = _IT.match(sentence, pos)
    if pronoun:  # "the AA had seized it": the place the sentence is about, or just named
        name = it_refers_to(sentence, book, before)
        return Object(name, None, pronoun.end()) if name else NoObject("nothing to refer to")
    occupied = _FROM_OCCUPATION.match(sentence, pos)
    if occupied:  # "liberated from occupation Zangilan city"
        pos = occupied.end()
    share = _SHARE.match(sentence, pos) or _AREAS_IN.match(sentence, pos)
    if share:  # "70 percent of Pokrovsk", "several areas in Solino": a partial claim on it
        pos = share.end()
    listed = _LISTED.match(sentence, pos)
    if listed:  # "several localities such as X, Y and Z": the names, not the count
        pos = listed.end()
    counted = _THE.match(sentence, pos)  # "the two neighbouring districts of A and B"
    at = counted.end() if counted else pos
    quantities = [] if listed else find_quantities(sentence[at : at + 40])
    if quantities and quantities[0].start == 0:
        pos = at
        q = quantities[0]
        agg = _AGGREGATE.match(sentence, pos + q.end)
        if agg:
            return Object(agg["noun"], q.low, agg.end())
        return NoObject("figure is not a place")
    district = _DISTRICT_OF.match(sentence, pos)
    if district:  # "the Tammuz district of Tal Afar", "al-Faruq district of Mosul": the district
        canonical = book.read_name(sentence, district.start("name"), persons)
        city = NAME_RE.match(sentence, district.end())
        if canonical and city:  # (resolved within the city: never a far namesake)
            return Object(book.district(canonical, city.group()), None, city.end(), typed=True)
    owned = _CITY_DISTRICT.match(sentence, pos)
    if owned:  # "Mosul's al-Zuhur district": the district
        canonical = book.read_name(sentence, owned.start("name"), persons)
        if canonical:
            return Object(book.district(canonical, owned["city"]), None, owned.end(), typed=True)
    facility = False
    capital_of = capitals
    described = _DESCRIBED.match(sentence, pos)
    if described and _SPEAKS_AFTER.match(sentence, described.end()):
        described = None  # "taking over the town, the NUG said": the town, then its speaker
    typed = None if described else _TYPED_OBJECT.match(sentence, pos)
    if described:
        pos = described.end()
    elif typed:
        if _REGION_TYPED.search(typed.group()):
            # "captured the western province of Nimroz": a region by its type noun (a control
            # fact is a town's; a district changes hands with its town and stays one)
            named = _NAME_OBJECT.match(sentence, typed.end())
            return NoObject("a region, not a town", named.end("name") if named else None)
        # "the capitals of Kunduz and Sar-e-Pol provinces" are the towns, not the provinces
        capital_of = capital_of or "capital" in typed.group()
        pos = typed.end()
    else:
        inside = _FACILITY_IN.match(sentence, pos)
        if inside:
            facility, pos = True, inside.end()
    region_capital = _REGION_CAPITAL.match(sentence, pos)
    if region_capital:  # "seized the northern Shan State capital": the town named before
        name = book.resolve("capital", before) or _last_town(sentence, book, before)
        if name:
            return Object(name, None, region_capital.end())
    anaphor = ANAPHOR.match(sentence, pos)
    named_after = anaphor and _APPOSED_NAME.match(sentence, anaphor.end())
    if named_after and book.read_name(sentence, named_after.start("name"), persons):
        # "the capital, Khartoum": the name given right after the noun is the place.
        canonical = book.read_name(sentence, named_after.start("name"), persons)
        return Object(canonical, None, named_after.end("name"))
    if facility:
        named = _NAME_OBJECT.match(sentence, pos)
        end = anaphor.end() if anaphor else named.end("name") if named else None
        return NoObject("a facility, not a town", end)
    if anaphor and anaphor.start() == pos:
        name = book.resolve(anaphor["type"], before)
        if not name:
            return NoObject("nothing to refer to")
        return Object(name, None, anaphor.end())
    unnamed = _UNNAMED.match(sentence, pos)
    if unnamed:  # "lost control of a strategic northern town": named in a sentence to come
        return Object("", None, unnamed.end("kind"), unnamed=unnamed["kind"])
    named = _NAME_OBJECT.match(sentence, pos)
    if not named:
        alone = _FACILITY_ALONE.match(sentence, pos)
        if alone:
            return NoObject("a facility, not a town", alone.end())
        return NoObject("no place")
    canonical = book.read_name(sentence, named.start("name"), persons)
    if canonical is None:
        return NoObject("not a place")
    if named["part"] and not named["type"] and not book.known(canonical):
        # "retains control of western Darfur": a part of a name no town is known by is a
        # region's ("eastern Aleppo" is part of a city)
        return NoObject("a region, not a town", named.end("name"))
    if is_country(canonical):
        return NoObject("a country, not a town", named.end("name"))  # "for eastern Ukraine"
    suffix = _REGION_NAME.search(canonical)
    if suffix:  # "Nimruz Province", "Hillsborough County": a region by its own name
        return NoObject("a region, not a town", named.end("name"))
    if named["fac"] or _FACILITY_NAME.search(named["name"]):
        return NoObject("a facility, not a town", named.end())
    if named["type"]:
        return Object(canonical, None, named.end("type"), typed=True)
    end = named.end("name")
    region = _REGION_AFTER.match(sentence, end)
    if region and capital_of:
        return Object(canonical, None, region.end(), capital=True)
    if region and region.group().strip().lower().startswith("district"):
        # "took the Harib district", "the Abdiya and Harib districts": a district changes hands
        # with the town it is named after (as the real-text labels have it)
        return Object(canonical, None, region.end(), typed=True)
    if region:
        return NoObject("a region, not a town", region.end())
    tail = _POSSESSIVE_TAIL.match(sentence, end)
    if tail and tail["fac"] and _OBJECT_END.match(sentence, tail.end()):
        return NoObject("a facility, not a town", tail.end())
    if tail:
        return NoObject("part of a place")
    return Object(canonical, None, end)


def read_objects(
    sentence: str,
    pos: int,
    book: PlaceBook,
    before: list[PlaceMention],
    persons: list[str],
    announced: bool = False,
) -> list[Object] | NoObject:
    """The object after ``pos`` and the places coordinated with it ("X, Y and Z").

    ``announced``: a count announced the list ("four cities: A, B, C and D"), so a list
    without "and" is a list too.
    """
    plural = _PLURAL_ANAPHOR.match(sentence, pos)
    if plural:  # "had pulled out of the towns": the places the sentence before claimed
        here = [p for p in dict.fromkeys(book.claimed) if p not in book.claimed_before]
        named = book.claimed_before if len(book.claimed_before) > 1 else here
        if len(named) > 1:
            return [Object(p, None, plural.end()) for p in named]
    first = read_object(sentence, pos, book, before, persons)
    if isinstance(first, Object) and first.count is not None:
        return _count_names(sentence, first, book, before, persons) or [first]
    if isinstance(first, NoObject) and first.end is not None:
        # "withdrawal from Ukraine's Kherson Region west of the Dnipro, including Kherson
        # city": the towns a region's claim names are claims
        inside = _INCLUDING.match(sentence, first.end)
        if inside:
            named = read_objects(sentence, inside.end(), book, before, persons)
            if isinstance(named, list) and named and named[0].count is None:
                return named
    if isinstance(first, NoObject):
        # "the bridge at Kubri and the town of Hantoub": the list goes on past a facility.
        sep = first.end is not None and _LIST_SEP.match(sentence, first.end)
        nxt = sep and read_object(sentence, sep.end(), book, before, persons)
        if not (isinstance(nxt, Object) and nxt.count is None and "and" in sep.group()):
            return first
        first = nxt
    found = [first]
    committed = 1  # items up to the last "and": "X, Y" without "and" is not a list of places
    capitals = _CAPITALS.match(sentence, pos) is not None
    while sep := _LIST_SEP.match(sentence, _past_aside(sentence, found[-1].end)):
        nxt = read_object(sentence, sep.end(), book, before, persons, capitals)
        if isinstance(nxt, Object) and nxt.count is not None and "and" in sep.group():
            # "seized X and two towns further north-west, A and B": the count's names join X
            named = _count_names(sentence, nxt, book, before, persons)
            if named:
                found += named
                committed = len(found)
            break
        if isinstance(nxt, NoObject) or nxt.count is not None:
            break
        if not _OBJECT_END.match(sentence, nxt.end) and not _BRACKETED.match(sentence, nxt.end):
            break  # "and Kinshasa condemned ...": a new clause with its own subject
        found.append(nxt)
        # "X, Y and Z" is a list; so is "Fuzuli city, Hadrut town, ..." (each says what it is)
        joined = "and" in sep.group() or "well" in sep.group()  # "and", "as well as"
        if joined or announced or (nxt.typed and found[0].typed):
            committed = len(found)
    if _AND_OTHERS.match(sentence, found[-1].end):
        committed = len(found)  # "A, B, C, and several other places": a list, ended in a count
    return found[:committed]


# "the towns", "the two villages" (not "the towns of A and B", "the villages' elders")
_PLURAL_ANAPHOR = re.compile(
    r"\s*the\s+(?:(?:two|three|four|five|several|[a-z]+ern)\s+)?(?:towns|villages|cities|"
    r"settlements|localities)\b(?![\w’'-]|\s+(?:of|in|near|around|along)\b)"
)


def _count_names(
    sentence: str, counted: Object, book: PlaceBook, before: list[PlaceMention], persons: list[str]
) -> list[Object]:
    """The names a count announces ("three villages: A, B and C"), none if it names none."""
    follow = _NAMES_FOLLOW.match(sentence, counted.end)
    if not follow:
        return []
    named = read_objects(sentence, follow.end(), book, before, persons, not follow["comma"])
    if not isinstance(named, list) or not named or named[0].count is not None:
        return []
    if follow["comma"] and len(named) < 2:
        return []  # "took two villages, Kyiv said": a count, then a new clause
    return named


_AND_OTHERS = scanning(
    r",?\s+(?:and|as\s+well\s+as)\s+(?:several|many|a\s+few|some|numerous|\w+)\s+(?:other|more)\s+"
    r"(?:places|villages|towns|cities|areas|localities|settlements|positions)\b"
)


_INCLUDING = scanning(r"[^,;.:]{0,60}?,\s+including\s+(?:the\s+(?:city|town)\s+of\s+)?")
_CAPITALS = scanning(r"\s*(?:the\s+)?(?:[\w’'-]+\s+){0,3}?capitals\s+of\s")
# "Sheberghan, the capital of Jowzjan Province in the north, and Zaranj": an aside in a list
# (or before the next item that says what it is: "Minova, a key city ..., the mining cities of")
_ASIDE = scanning(
    r",\s+(?:the|a|an)\s+[^,;:]{1,80}"
    r"(?=,\s+(?:and\s+)?(?:[A-Z]|the\s+[\w\s-]{0,30}?(?:cities|towns|villages|city|town|village)"
    r"\s+(?:of\s+)?[A-Z])"
    r"|\s*[.;]|\s*$)"
)


# "the Assilan and Bayhan districts in Shabwa as well as the Abdiya district": where a list
# item is, before the list goes on
_LOCATED = scanning(
    rf"(?:\s+in\s+(?:the\s+)?{NAME}(?:\s+(?:province|region|governorate|state))?"
    # "Zaranj in the southern province of Nimroz, Sar-e-Pul, in the northern province of the
    # same name, and Taloqan, in northeastern Takhar province, ...": where each item is
    r"|\s+in\s+the\s+(?:[a-z-]+\s+){0,2}(?:province|region|governorate|state)\s+of\s+"
    rf"(?:{NAME}|the\s+same\s+name)"
    r"|,\s+in\s+(?:the\s+)?(?:[a-z-]+\s+){0,2}(?:[A-Z][\w-]+\s+){0,2}(?:province|region|"
    r"governorate|state)(?:\s+of\s+(?:[A-Z][\w-]+|the\s+same\s+name))?)"
    r"(?=\s*,|\s+and\s|\s+as\s+well\s+as\s)"
)


# "Mobye (Mongpai), Naungcho (Nawnghkio) and Demoso": another name for the item, in brackets
# (a name, not a remark: "Pokrovsk (known in Russia as ...) and already hold" ends the list)
_BRACKETED = scanning(r"\s*\([A-Z][^()]{0,39}\)")


def _past_aside(sentence: str, end: int) -> int:
    bracketed = _BRACKETED.match(sentence, end)
    if bracketed:
        end = bracketed.end()
    aside = _ASIDE.match(sentence, end) or _LOCATED.match(sentence, end)
    return aside.end() if aside else end
