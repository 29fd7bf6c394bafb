"""The words the backoff reader (`backoff`) reads by: its lexicon of control verbs by status
group, and the patterns that bound a verb's window and decide what in it is a settlement.

Adding a phrasing is adding a `verb(...)` row to `LEXICON` (or `SUBJECT_LEXICON` when the place
comes first), with gold items it must and must not read (eval/gold `bk-*`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefwatch.extract.lexicon import scanning, words


@dataclass(frozen=True)
class Verb:
    """One lexicon entry: a control verb or noun phrase, its status, the words that gate it."""

    pattern: re.Pattern[str]
    status: str
    keys: frozenset[str]
    armed: bool = False  # a claim only with an armed actor, not in any sentence of war
    subject: bool = False  # the place is the clause's subject, the actor follows ("X ... to Y")


def verb(keys: str, pattern: str, status: str, armed: bool = False, subject: bool = False) -> Verb:
    return Verb(scanning(pattern), status, words(keys), armed or subject, subject)


# The lexicon of real phrasings, by status group. Each is followed by its window: the place is
# somewhere after it in the clause.
LEXICON = (
    verb(
        "retook retaken retake retakes retaking recaptured recapture recapturing regained regain "
        "regaining reclaimed reasserted reestablished re established restored took taken won",
        r"(?<!\b[Tt]he\s)\b(?:retook|retaken|retakes?|retaking|recaptured?|recapturing|regained|regain(?:s|ing)?|"
        r"reclaimed|(?:took|taken|won)\s+back|(?:reasserted|re-?established|restored)\s+"
        r"(?:full\s+)?control\s+(?:of|over))\b",
        "recaptured",
    ),
    # (not "stormed": an assault, which real copy reports whether or not the place fell)
    verb(
        "seized seize seizes seizing captured capture captures capturing overran overrun "
        "overrunning liberated liberate liberating took taken take takes taking wrested controlled",
        r"(?<![-\w])(?<!\b[Tt]he\s)(?:seized?|seizes|seizing|captured?|captures|capturing|overran|"
        r"overrun(?:ning)?|liberated?|liberating|wrested|"
        r"(?:took|taken|takes?|taking)\s+(?:over|(?:full\s+|complete\s+)?control\s+(?:of|over))|"
        # "the claim that it has controlled Woldia": took control
        r"(?:has|have|had)\s+(?:\w+ly\s+)?controlled)\b",
        "captured",
    ),
    # Verbs as common outside war ("took Paris by storm", "entered the city"): an armed actor.
    verb(
        "took taken take takes taking entered enter enters entering",
        r"(?<![-\w])(?:took|taken|takes?|taking|entered|enter(?:s|ing)?)\b(?!\s+(?:over|control)\b)",
        "captured",
        armed=True,
    ),
    verb(
        "pushed pushing swept sweeping poured pouring rolled rolling broke",
        r"\b(?:pushed|pushing|swept|sweeping|poured|pouring|rolled|rolling|broke)\s+(?:deep\s+)?"
        r"(?:into|through)\b",
        "captured",
        armed=True,
    ),
    # Status verbs the phrasing rules lack: a flag raised over a town, a town cleared of its
    # enemy or its centre reached, forces flushed out of it
    verb(
        "raised hoisted planted cleared reached flushed routed",
        r"\b(?:(?:raised|hoisted|planted)\s+(?:their|its|the)\s+(?:[\w-]+\s+)?flags?\s+(?:over|in)|"
        r"cleared(?=\s+(?:the\s+)?(?:[\w-]+\s+){0,4}?of\s+(?:the\s+)?(?:[\w-]+\s+)?(?:insurgents|"
        r"militants|rebels|terrorists|fighters|jihadists|gunmen|enemy))|"
        r"reached\s+the\s+(?:centre|center|heart)\s+of|"
        r"(?:flushed|routed)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:out\s+of|from))",
        "captured",
        armed=True,
    ),
    verb(
        "evacuated vacated",
        r"\b(?:evacuated|vacated)\b",
        "lost",
        armed=True,
    ),
    verb(
        "striking",
        r"\bwithin\s+striking\s+distance\s+of\b",
        "threatened",
    ),
    verb(
        "withdrew withdrawn withdraw withdrawing retreated retreating pulled pulling abandoned "
        "abandoning",
        r"\b(?:withdrew|withdrawn|withdraw(?:s|ing)?|retreated|retreating|pulled\s+(?:out|back)|"
        r"pulling\s+(?:out|back)|abandoned|abandoning)\b",
        "lost",
    ),
    verb(
        "control controls controlled controlling",
        r"\b(?:under\s+(?:the\s+)?(?:full\s+|complete\s+)?control\s+of|in\s+(?:full\s+)?control\s+of|"
        r"controls|controlling)\b",
        "held",
    ),
    verb(
        "encircled encircle encircling surrounded surround surrounding besieged besiege besieging",
        r"(?<!\b[Tt]he\s)\b(?:encircled?|encircling|surrounded|surround(?:s|ing)?|besieged?|"
        r"besieging)\b",
        "encircled",
    ),
    verb(
        "advanced advancing advance advances approached approaching closing",
        r"\b(?:advanced|advancing|advances?|approached|approaching|closing\s+in)\b",
        "threatened",
    ),
)
# Subject-shaped: the place opens the clause, the holder follows ("The eastern half of X, one of
# the country's largest cities, is now completely under the control of Y"; "A and B towns, which
# lie 75 km west of the capital, have fallen into the hands of Y").
CONTESTED = verb(
    "fighting battles clashes",
    # "proof of “fierce fighting” in X": the fight in quotes
    r"\b(?:heavy|fierce|intense|bitter|street|ongoing|raging)[”\"’']?\s+(?:fighting|battles|"
    r"clashes)[”\"’']?\s+(?:(?:in\s+and\s+)?around|in|inside|for)\s+",
    "contested",
)
SUBJECT_LEXICON = (
    verb(
        "control hands",
        r"\b(?:remains?|remained|is|are|was|were)\s+(?:(?:now|still|firmly|\w+ly)\s+)*"
        r"(?:under\s+(?:the\s+)?(?:full\s+|complete\s+|effective\s+)?control\s+of|"
        r"in\s+the\s+hands\s+of)\s+",
        "held",
        subject=True,
    ),
    verb(
        "came fell comes come",
        r"\b(?:came|come|comes|fell)\s+under\s+(?:the\s+)?(?:full\s+)?control\s+of\s+",
        "captured",
        subject=True,
    ),
    verb(
        "fallen fell falls",
        r"\b(?:(?:has|have|had)\s+(?:now\s+|reportedly\s+)?fallen|fell|falls)\s+"
        r"(?:(?:in)?to\s+the\s+hands\s+of|to|into)\s+",
        "captured",
        subject=True,
    ),
)
LEXICON = (*LEXICON, CONTESTED, *SUBJECT_LEXICON)
KEYS = frozenset().union(*(v.keys for v in LEXICON))

# A verb's window ends at the clause's end (or a reach of characters).
REACH = 110
WINDOW_END = re.compile(
    r"[;:.!?](?:\s|$)|\s[-–—]\s|[“”\"]|,\s+(?:which|who|where|while|but|and|as|after|before|"
    r"when|according|said|says|a\s+[a-z]+\s+said)\b|\b(?:after|before|while|but|as|when|since|"
    r"following|amid|despite|said|says|told)\b"
)
# Where a place is named only as a location, not as what the verb is about.
LOCATOR_BEFORE = re.compile(
    r"(?:\b(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west|northern|"
    r"southern|eastern|western)(?:wards?)?\s+of|\b(?:near|nearby|outside|towards?|toward|beyond|"
    r"from|via|between|road\s+to|way\s+to|(?:km|kilometres|kilometers|miles)\s+(?:from|of)|"
    r"province\s+of|region\s+of|state\s+of|governorate\s+of|oblast\s+of|district\s+of|"
    r"direction\s+of|area\s+of|airport\s+of)|(?:\bthe|[’']s)\s+(?:[a-z]+\s+)?(?:border|frontier))"
    r"\s+(?:the\s+)?(?:[a-z-]+\s+){0,3}$",
    re.I,
)
# A facility or an object that is not the place: "seized the airport in X", "took the bodies".
NOT_THE_PLACE = re.compile(
    r"\b(?:airports?|airfields?|air\s*bases?|bases?|bridges?|dams?|crossings?|headquarters|"
    r"palace|prisons?|compounds?|hospitals?|checkpoints?|outposts?|barracks|mines?|embassy|"
    r"stadium|school|university|hotel|plant|refinery|port\s+facilities|offices?|buildings?|"
    r"ships?|vessels?|tankers?|hostages?|prisoners?|bodies|residents|civilians|people|"
    r"weapons|equipment|vehicles|tanks|oil|fields?|title|championship|cup|match|seat|seats|"
    r"votes?|shares?|stake|market|company|power|office|lead|initiative)\b",
    re.I,
)
REGION_AFTER = re.compile(
    r"\s+(?:region|province|provinces|oblast|governorate|state|district|districts|county|"
    r"prefecture|raion|valley|border|frontier|front)\b",
    re.I,
)
# What follows a place that is a part or a facility of it ("Mopti's airport", "the Rafah
# crossing"), or a name that starts a clause of its own ("... and Kinshasa condemned ...").
PART_AFTER = re.compile(
    r"['’]s\b|\s+(?:airport|airfield|air\s*base|base|crossing|border\s+crossing|bridge|dam|port|"
    r"seaport|palace|prison|barracks|headquarters|checkpoint|road|highway|front|axis|direction|"
    r"sector)\b",
    re.I,
)
OWN_VERB = re.compile(r"\s+(?:(?:has|have|had|was|were|is|are)\s+)?[a-z]+(?:ed|s)\b(?<!\bas)")
# (an adjective may come between: "Yaqle and nearby Dhagahow"; not "Zaranj, the capital of")
LIST_GAP = re.compile(
    r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?(?:(?!of\b|in\b|near\b)[a-z]+\s+){0,2}$"
    # "seized A and two towns further north-west, B and C": the count's names follow it
    r"|\s+and\s+(?:two|three|four|five|several|other)\s+(?:more\s+|other\s+)?(?:towns|villages|"
    r"cities|settlements)(?:\s+[\w-]+){0,3}\s*[,:—–]\s*$"
)
REGION_NAME = re.compile(r"\s(?:Province|Region|Oblast|Governorate|County|State|District)$")
# Apposition and participle phrases between a subject and its verb ("The Iraqi military,
# backed by tribal fighters and US airstrikes, regained ..."), walked back over.
APPOSITION_TAIL = re.compile(r",[^,;:.]{2,100},\s*(?:(?:have|has|had|were|was)\s+)?$")
ATTEMPT = re.compile(
    r"\b(?:try|tries|tried|trying|attempt(?:s|ed|ing)?|seek(?:s|ing)?|aim(?:s|ed|ing)?|"
    r"bid|efforts?|push(?:es|ed|ing)?|fighting|battling|poised|threaten(?:s|ed|ing)?)\s+to\s+"
    r"(?:\w+\s+)?$"
)
SMALLEST = 1000  # a gazetteer place smaller than this counts only when the text types it
SETTLEMENT_KINDS = frozenset({"town", "city", "village", "settlement", "hamlet", "capital", "port"})


# Words that may stand between a verb and its place: a part of it, a force in it, its type
# ("control of the government centre and main neighbourhoods in X", "encircle Ukrainian troops
# defending the frontline city of X"); any other word makes the place a location of something
# else ("took over the cleaning of the streets in X").
LEAD_WORDS = words(
    """the a an of in and its their his her our much most all part parts half large swathes
    swaths rest remaining final last key strategic main major central government centre center
    heart neighbourhoods neighborhoods neighbourhood neighborhood districts quarters quarter
    areas suburbs old town city village villages towns cities settlement settlements capital
    provincial regional district port frontline besieged embattled nearby neighbouring
    neighboring defending holding trapped inside within deep into back control over entire
    whole full complete strategically important vital besieged remaining large small various
    several some many other"""
)
DISTANCE = re.compile(r"\d+(?:\.\d+)?\s*(?:km|kilometres|kilometers|miles)\b|\bkilomet")
DISTANCE_WORDS = words("to within km kilometres kilometers miles mile some about around of just")
FROM = re.compile(r"^(?:\s+(?:\w+ly|further|back|out|all|their|its|forces|troops))*\s+from\b")
# A time between a verb and its place is no word of the object ("withdrew on Sunday from X")
DAY = re.compile(
    r"\b(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:\s+(?:morning|"
    r"afternoon|evening|night))?\b|\b(?:overnight|today|yesterday|earlier|later|now)\b"
)
COUNTS = words("two three four five six seven eight nine ten eleven twelve dozens hundreds")
LEAD_TOKEN = re.compile(r"[\w’'-]+")
