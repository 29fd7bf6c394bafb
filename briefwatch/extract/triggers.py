"""The phrasings of control: one table of triggers, each with a status and a shape.

- object: the place follows the verb ("his forces had taken Shusha", "withdrew from Kherson");
- subject: the place comes first ("Vovchansk fell to ...", "Shushi is out of our control").

Each row names the words one of which a sentence must contain for its regex to be tried at all:
most sentences contain none, and one set lookup per row is far cheaper than a regex scan.

Adding a phrasing is adding a row here, plus gold sentences it must and must not fire on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from briefwatch.extract.lexicon import FORCE_NOUNS, words

_CONTINUES = re.compile(
    r"\s+(?:[\w’'-]+\s+){0,2}?(?:continues?|continued|continuing|"
    r"(?:is|are|were|was|remains?)\s+(?:still\s+)?(?:ongoing|under\s+way|underway|raging|going\s+on))\b"
)
# Words of war in the clause before a location-like trigger ("on the outskirts of").
WAR_WORDS = re.compile(
    r"\b(?:forces|troops|soldiers|fighters|fighting|clashes|battles?|shelling|advanc\w*|army|"
    r"militants|rebels|insurgents|units|offensive|assault|attack\w*|push\w*|enemy|militia|"
    r"jihadists|gunmen|tanks|artillery)\b",
    re.I,
)
_FORCES = re.compile(
    r"\b(?:forces|troops|soldiers|fighters|defenders|army|units|enemy|military|brigades?|"
    r"general\s+staff|militants|rebels|insurgents|militia)\b",
    re.I,
)
_BATTLE_OVER = re.compile(r"\s+(?:ended|is\s+over|was\s+won|was\s+lost)\b")


@dataclass(frozen=True)
class Trigger:
    """A control phrasing: regex, status, and where the place is relative to it."""

    name: str
    keys: frozenset[str]  # the sentence must contain one of these words (a cheap pre-filter)
    pattern: re.Pattern[str]
    status: str
    shape: str  # object | subject
    needs: Callable[[str, int], bool] | None = None  # extra check after the place (contested)
    armed_actor: bool = False  # only a claim when an armed group does it ("pushed X out of")
    # the clause before must speak of war ("troops ... on the outskirts of"), not of a location
    needs_before: re.Pattern[str] | None = None
    own_modal: bool = False  # its own words are modal ("threatening to encircle"): not a veto
    actorless: bool = False  # no one is named doing it ("clashes were reported outside X")
    # its words are common outside war ("held", "lost", "surrounded"): it claims only a place
    # known to be one (`PlaceBook.known`); subject-shaped rows always do
    weak: bool = False
    nominal: bool = False  # a noun ("the capture of X by Y"): the actor follows "by"/"to"
    # common outside war ("fans took over the town"): without an armed actor, a claim only in a
    # sentence that speaks of war
    war_words: bool = False


def _t(
    name: str,
    keys: str,
    regex: str,
    status: str,
    shape: str = "object",
    needs: Callable[[str, int], bool] | None = None,
    armed_actor: bool = False,
    own_modal: bool = False,
    nominal: bool = False,
    needs_before: re.Pattern[str] | None = None,
    actorless: bool = False,
    weak: bool = False,
    war_words: bool = False,
) -> Trigger:
    return Trigger(
        name, words(keys), re.compile(regex), status, shape, needs, armed_actor, needs_before,
        own_modal, actorless, weak or shape == "subject", nominal, war_words,
    )  # fmt: skip


def _continues(sentence: str, pos: int) -> bool:
    return bool(_CONTINUES.match(sentence, pos))


_FREE = re.compile(r"[\s,\"“”‘’']*(?:is\s+|was\s+|now\s+|stands\s+)*[\"“”‘’']*(?:free|liberated)\b")


def _is_free(sentence: str, pos: int) -> bool:
    """ "declared Damascus free", "announced that the city 'is free'" """
    return bool(_FREE.match(sentence, pos))


_UNDER_CONTROL = re.compile(
    r"\s+under\s+(?:(?:their|its|his|our|full|complete|total)\s+)*control\b"
)


def _under_control(sentence: str, pos: int) -> bool:
    return bool(_UNDER_CONTROL.match(sentence, pos))


def _battle_not_over(sentence: str, pos: int) -> bool:
    return not _BATTLE_OVER.match(sentence, pos)


_POSS = (
    r"(?P<poss>our|their|his|its|[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?(?:['’]s)?|rebel|government|army|military|militia|"
    r"jihadist|separatist|insurgent|paramilitary|junta|enemy|opposition|regime|federal)"
)
# Who is pushed out: "Russian forces", "the militants", "Islamic State".
_PUSHED = (
    r"(?:(?:the\s+)?(?:[\w’'-]+\s+){0,3}?(?:" + "|".join(sorted(FORCE_NOUNS)) + r"|[A-Z][\w’'-]*)"
    r"|them)"  # "defeated the rebel forces in Nassir and chased them out of the town"
)
_DEFENCES = (
    r"(?:(?:all\s+)?(?:their|its|his|our|the)\s+)?(?:remaining\s+|last\s+|defensive\s+|"
    r"frontline\s+)?(?:positions?|bases?|posts?|trenches|defen[cs]es|strongholds?|garrisons?)"
)
TRIGGERS: tuple[Trigger, ...] = (
    _t(
        "take-control",
        "control",
        r"\b(?:took|taken|take|takes|taking|seized|seize|seizes|seizing|gained|gain|gains|gaining|"
        r"established|assumed|secured|wrested|declared|declares|announced|announces|claimed|"
        r"claims|proclaimed|extended|extends|extending|expanded)\s+"
        # "seized Friday morning control of Tarhouna"
        r"(?:(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:\s+(?:morning|"
        r"afternoon|evening|night))?\s+)?(?:(?:its|their|his|our)\s+)?"
        r"(?:the\s+)?(?:(?:almost|nearly|near|partial)\s+)?(?:(?:full|complete|total|effective|"
        # ("gained control on Tuesday of the centre of Gondar")
        r"de\s+facto)\s+)?control\s+(?:(?:on\s+)?[A-Z][a-z]+day\s+)?(?:of|over)\s+",
        "captured",
    ),
    _t(
        "has-control",
        "control",
        r"\b(?:has|have|had|maintains?|maintained|retains?|retained|keeps?|kept)\s+"
        r"(?:(?:full|complete|total|effective|firm|de\s+facto)\s+)?control\s+(?:of|over)\s+",
        "held",
        weak=True,
    ),
    _t(
        "take-under-control",
        "control",
        # "had taken the town of Minova under their control"
        r"\b(?:took|taken|take|takes|taking|brought|bring|brings|bringing)\s+",
        "captured",
        needs=_under_control,
        armed_actor=True,  # "the deal brought Kherson under UN control" is no capture
    ),
    _t(
        "give-up",
        "giving gave give given gives",
        r"\b(?:giving|gave|give|gives|given)\s+up\s+(?:(?:full\s+|complete\s+)?control\s+(?:of|over)\s+)?",
        "lost",
    ),
    _t(
        "victory-in",
        "victory",
        r"\b(?:declared|declares|claimed|claims|proclaimed|announced)\s+(?:(?:a|its|their|full|"
        r"final|total)\s+)*victory\s+(?:over\s+[^,.;]{1,40}?\s+)?in\s+",
        "captured",
    ),
    _t(
        "regain-control",
        "control",
        r"\b(?:regained|regain|regains|regaining|restored|restores|reestablished|re-established|"
        r"wrested\s+back|wrest\s+back|"
        r"retook|retaken|retake|retakes|retaking|recaptured|(?:took|taken|won)\s+back)\s+"
        r"(?:(?:full|complete|total)\s+)?control\s+(?:of|over)\s+",
        "recaptured",
    ),
    _t(
        "lose-control",
        "control",
        r"\blost\s+(?:full\s+|complete\s+)?control\s+(?:of|over)\s+",
        "lost",
    ),
    _t(
        "in-control",
        "control",
        r"\b(?:is|are|was|were|remains?|remained)\s+(?:(?:now|still|firmly|fully|also|\w+ly)\s+)*in\s+"
        r"(?:full\s+|complete\s+|firm\s+|effective\s+)?control\s+of\s+",
        "held",
        weak=True,
    ),
    _t(
        "retake",
        "retook retaken retake retakes retaking recaptured recapture recaptures recapturing "
        "reclaimed back re",
        r"\b(?:retook|retaken|retake|retakes|retaking|recaptured|recapture|recaptures|"
        r"recapturing|reclaimed|re-taken|re-took|re-captured|(?:took|taken|won)\s+back)[\"”’']?\s+",
        "recaptured",
    ),
    _t(
        "regain",
        "regained regain regains regaining",
        # "have regained Ouallam" (without "control of", which `regain-control` reads)
        r"\b(?:regained|regain|regains|regaining)\s+(?!(?:full\s+|complete\s+|total\s+)?control\b)",
        "recaptured",
        armed_actor=True,  # "regained Paris's favour", "the party regained Ohio" are no retaking
        weak=True,
    ),
    _t(
        "move-into",
        "streamed poured swept rolled marched stormed surged burst pushed moved",
        # "fighters streamed into X unopposed", "troops rolled into X": entering it
        r"\b(?:streamed|streaming|poured|pouring|swept|sweeping|rolled|rolling|marched|marching|"
        r"stormed|storming|surged|burst|pushed|pushing|moved|moving)\s+into\s+(?:the\s+(?:centre|center|heart)\s+of\s+)?",
        "captured",
        armed_actor=True,
        weak=True,
    ),
    _t(
        "nominal-retake",
        "recapture retaking",
        r"\b(?i:the|its|their|his|our|[A-Z][\w-]+['’]s)\s+(?:[\w’'-]+\s+){0,2}?(?:recapture|retaking)"
        r"\s+of\s+",
        "recaptured",
        nominal=True,
    ),
    _t(
        "nominal-capture",
        "capture seizure takeover fall liberation",
        r"\b(?i:the|its|their|his|our|[A-Z][\w-]+['’]s)\s+(?:[\w’'-]+\s+){0,2}?(?:capture|seizure|"
        r"takeover|fall|liberation)\s+of\s+",
        "captured",
        nominal=True,
    ),
    _t(
        "nominal-control",
        "control",
        # "With the RSF's control of El Daein, ...": held by the owner (an armed one: not
        # "Apple's control of the market")
        r"\b(?i:its|their|his|our|[A-Z][\w-]+['’]s)\s+(?:(?:full|complete|total|effective)\s+)?"
        r"control\s+(?:of|over)\s+",
        "held",
        nominal=True,
        armed_actor=True,
        weak=True,
    ),
    _t(
        "nominal-loss",
        "withdrawal retreat pullout departure loss",
        # (scare quotes around the noun: 'The "temporary retreat" from X')
        r"\b(?i:the|its|their|his|our|[A-Z][\w-]+['’]s)\s+[\"“‘']?(?:[\w’'-]+\s+){0,2}?(?:withdrawal|retreat|"
        r"pullout|pull-out|departure)[\"”’']?\s+(?:of\s+[^,.;]{1,40}?\s+)?from\s+|\b(?i:the|its|their|his|our|[A-Z][\w-]+['’]s)\s+"
        r"(?:[\w’'-]+\s+){0,2}?loss\s+of\s+",
        "lost",
        nominal=True,
    ),
    _t(
        "entry-into",
        "entry entrance",
        # "we reported on the entry of Fano fighters into Bahir Dar"
        r"\b(?i:the|their|its|his)\s+(?:[\w’'-]+\s+){0,2}?(?:entry|entrance)\s+(?:of\s+[^,.;]{1,40}?\s+)?"
        r"into\s+",
        "captured",
        nominal=True,
    ),
    _t(
        "declared-free",
        "free",
        r"\b(?:declared|declares|proclaimed|announced|announces|said|says)\s+(?:that\s+)?",
        "captured",
        needs=_is_free,
    ),
    _t(
        "withdraw-troops",
        "withdrew withdrawn withdraw withdraws withdrawing pulled pulling pull",
        # "withdrew its forces from X", "pulled out its troops from X"
        r"\b(?:withdrew|withdrawn|withdraw|withdraws|withdrawing|pulled|pulling|pull)\s+(?:out\s+)?"
        r"(?:(?:its|their|his|our|the|all|remaining|last)\s+)*(?:[\w-]+\s+)?(?:troops|forces|units|"
        r"soldiers|fighters|men)\s+(?:out\s+)?(?:from|of)\s+",
        "lost",
    ),
    _t(
        "desert",
        "deserted deserting leaving left vacated",
        r"\b(?:deserted|deserting|vacated|vacating|leaving|left)\s+",
        "lost",
        armed_actor=True,
        weak=True,
    ),
    _t(
        "take-over",
        "took taken take takes taking",
        r"\b(?:took|taken|take|takes|taking)\s+over\s+",
        "captured",
        weak=True,
        war_words=True,
    ),
    _t(
        "capture",
        "seized seize seizes seizing captured capture captures capturing liberated liberate freed "
        "frees freeing liberates liberating overran overrun occupied",
        # (not an adjective: "in the occupied city of Izium", "the liberated town of X")
        r"(?<![-\w])(?<!\bthe\s)(?<!\bnewly\s)(?:seized|seize|seizes|seizing|captured|capture|"
        r"captures|capturing|liberated|freed|frees|freeing|"
        r"liberate|liberates|liberating|overran|overrun|occupied)[\"”’']?\s+",
        "captured",
    ),
    _t(
        "take-enter",
        "took taken take takes taking entered enter enters entering",
        # the same with verbs ordinary news uses for states won and cities visited ("with Trump
        # taking Indiana, Kentucky ...", "took it in 2012"): an armed actor or a war sentence
        r"(?<![-\w])(?:took|taken|take|takes|taking|entered|enter|enters|entering)[\"”’']?\s+",
        "captured",
        war_words=True,
    ),
    _t(
        "forced-to-flee",
        "flee fled fleeing flees",
        # "the last security forces fled the provincial capital of Ramadi", "forced poorly armed
        # rebels to flee the eastern town of Brega": they left it
        r"\b(?:fled|flee|fleeing|flees)\s+(?=(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:town|city|village|"
        r"capital|stronghold)\b|[A-Z])",
        "lost",
        armed_actor=True,
    ),
    _t(
        "cleansed-of",
        "cleansed cleared purged",
        # state TV: "Brega has been cleansed of armed gangs"
        r"\b(?:has|have|had|was|were)\s+(?:been\s+)?(?:fully\s+|completely\s+)?(?:cleansed|cleared|"
        r"purged)\s+of\s+(?:armed\s+|terrorist\s+)?(?:gangs|terrorists|militants|rebels|insurgents|"
        r"the\s+enemy|enemy\s+forces|fighters)\b",
        "captured",
        "subject",
    ),
    _t(
        "moved-into",
        "moved moving",
        # "Opposition forces claimed they moved back into Brega" (armed: not a family's new home)
        r"\b(?:moved|moving)\s+(?:back\s+)?into\s+",
        "captured",
        armed_actor=True,
        weak=True,
    ),
    _t(
        "pressure-on",
        "pressure",
        # "Moscow's forces are also mounting intense pressure on the city of Pokrovsk"
        r"\b(?:mounting|piling|increasing|intensifying|heaping|stepping\s+up|ramping\s+up)\s+"
        r"(?:\w+\s+)?pressure\s+on\s+",
        "threatened",
        armed_actor=True,
        weak=True,
    ),
    _t(
        "siege-on",
        "siege blockade",
        # "The RSF initiated a siege on El Fasher", "laid siege to Mariupol": an act of laying it
        # ("the siege of Sarajevo" alone is as often a past war's name)
        r"\b(?:initiated|imposed|began|started|launched|tightened|laid|lay|lays|laying|placed|put)\s+"
        r"(?:a\s+|the\s+|its\s+|their\s+)?(?:\w+\s+)?(?:siege|blockade)\s+(?:on|of|to|around)\s+",
        "encircled",
        weak=True,
    ),
    _t(
        "secure",
        "secured securing secures",
        # "after securing Homs": an armed group's, and a place (not "secured a deal")
        r"(?<![-\w])(?:secured|securing|secures)\s+(?:full\s+control\s+of\s+)?",
        "captured",
        armed_actor=True,
        weak=True,
    ),
    _t(
        "withdraw",
        "withdrew withdrawn withdraw withdraws withdrawing withdrawal retreated retreat retreats "
        "retreating fled pull pulled pulls pulling fell falling fall",
        r"\b(?:withdrew|withdrawn|withdraw|withdraws|withdrawing|withdrawal|retreated|retreat|"
        r"retreats|retreating|fled|(?:pull(?:ed|s|ing)?|fell|falling|fall)\s+back|"
        r"pull(?:ed|s|ing)?\s+out)\s+(?:(?:completely|fully|entirely)\s+)?from\s+"
        r"|\bpull(?:ed|s|ing)?\s+out\s+of\s+",
        "lost",
    ),
    _t(
        "push-out",
        "pushed push pushes pushing drove drive drives driving driven forced forcing chased chase "
        "chasing kicked expelled expel expels expelling ousted oust ousting dislodged dislodge",
        r"\b(?:pushed|push|pushes|pushing|drove|drive|drives|driving|driven|forced|forcing|"
        r"chased|chase|chasing|kicked|expelled|expel|expels|expelling|ousted|oust|ousting|"
        r"dislodged|dislodge)\s+"
        + _PUSHED
        # "driven militants of the so-called Islamic State out of X"
        + r"(?:\s+of\s+(?:the\s+)?(?:[\w’'-]+\s+){0,3}?[\w’'-]+)?"
        + r"\s+(?:back\s+)?(?:out\s+of|from)\s+",
        "captured",
        armed_actor=True,
    ),
    _t(
        "restore",
        "restored restore restores restoring",
        # "its forces restored Singa city ... from the RSF" (armed: not "restored calm to X")
        r"\b(?:restored|restore|restores|restoring)\s+(?:(?:full\s+)?control\s+(?:of|over)\s+)?",
        "captured",
        armed_actor=True,
        weak=True,
    ),
    _t(
        "pushed-out",
        "pushed driven forced chased kicked expelled ousted dislodged",
        r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?(?:pushed|driven|forced|chased|"
        r"kicked|expelled|ousted|dislodged)\s+(?:back\s+)?(?:out\s+of|from)\s+",
        "lost",
        armed_actor=True,
    ),
    _t(
        "abandon-positions",
        "positions position bases base posts post trenches defences defenses stronghold "
        "strongholds garrison garrisons",
        r"\b(?:abandoned|abandon|abandons|abandoning|left|leave|leaves|leaving|lost|fled|"
        r"vacated|vacate|(?:pushed|driven|forced)\s+(?:out\s+)?(?:of|from))\s+"
        + _DEFENCES
        + r"\s+(?:in|inside|at)\s+",
        "lost",
    ),
    _t(
        "abandon",
        "abandoned abandon abandons abandoning ceded cede surrendered lost losing lose loses hand "
        "handed hands",
        r"\b(?:abandoned|abandon|abandons|abandoning|ceded|cede|surrendered|lost|losing|lose|"
        r"loses|hand(?:ed|s)?\s+over)\s+",
        "lost",
        weak=True,
    ),
    _t(
        "fully-controlled",
        "controlled",
        # "has ... fully controlled Aksum and Adwa towns last night": took full control
        r"\b(?:fully|completely|totally)\s+controlled\s+",
        "captured",
        weak=True,
    ),
    _t(
        "hold",
        "hold holds holding held retain retains retained control controls controlled "
        "controlling defend defends defended defending occupying occupies occupy",
        r"(?<![-\w])(?:hold|holds|holding|held|retain|retains|retained|controls?(?!\s+(?:of|over))|controlled|"
        r"controlling|defend|defends|defended|defending|occupying|occupies|occupy)\s+(?:most\s+of\s+|much\s+of\s+|all\s+of\s+|"
        r"(?:the\s+)?whole\s+of\s+|(?:all\s+|most\s+)?parts\s+of\s+|part\s+of\s+)?",
        "held",
        weak=True,
        war_words=True,  # "Saffron party retains Gopalganj": a seat, in a by-election
    ),
    _t(
        "outskirts",
        "outskirts",
        # bases "on the outskirts of" a town are a location, not a threat to it
        r"(?<!bases\s)(?<!base\s)(?<!positions\s)(?<!outposts\s)\b(?:on|at|reached|reach|reaching)"
        r"\s+the\s+(?:\w+ern\s+)?outskirts\s+of\s+",
        "threatened",
        needs_before=WAR_WORDS,
        weak=True,
    ),
    _t(
        "threshold",
        "threshold gates doorstep",
        r"\b(?:on|at|reached|reach|reaching)\s+the\s+(?:threshold|gates|doorstep)\s+of\s+",
        "threatened",
        needs_before=WAR_WORDS,
        weak=True,
    ),
    _t(
        "advance",
        "advancing advanced advance advances moving closing closed close closes bearing approach "
        "heading headed head marching "
        "approaching approached approaches",
        r"\b(?:advancing|advanced|advance|advances|(?:moving|moved)(?=\s+(?:\w+\s+)?(?:on|towards?)\b)|"
        r"pushing|pushed|closing\s+in|"
        r"closed\s+in|close\s+in|closes\s+in|bearing\s+down|converging|marching|heading|headed|head)\s+(?:(?:north|south|east|west|"
        r"north-?east|north-?west|south-?east|south-?west|northwards|southwards|eastwards|westwards|"
        r"further|rapidly|quickly|steadily|fast)\s+)*(?:on|towards?|toward|to)\s+(?:neighbouring\s+|"
        r"neighboring\s+|nearby\s+)?|\bapproach(?:ing|ed|es)?\s+",
        "threatened",
        armed_actor=True,
    ),
    _t(
        "gathering-outside",
        "outside",
        r"\b(?:gathering|gathered|massing|massed|amassing|amassed|positioned|stationed|dug\s+in|"
        r"regrouping|regrouped)\s+(?:just\s+)?outside\s+(?:of\s+)?",
        "threatened",
        needs_before=WAR_WORDS,
        weak=True,
    ),
    _t(
        "fighting-outside",
        "outside",
        r"\b(?i:fighting|clashes|battles)\s+(?:(?:were|was|is|are|have|has|been|reported|raging|"
        r"raged|continued|continuing|broke\s+out|also|still|again)\s+){0,4}(?:just\s+)?outside\s+"
        r"(?:of\s+)?",
        "threatened",
        actorless=True,
    ),
    _t(
        "distance-from",
        "kilometres kilometers km miles",
        r"\b(?:(?:are|were|is|was|now|only|just|within|some|about|less\s+than)\s+)+"
        r"(?:\d+|a\s+few|few|several|\w+)\s+(?:kilometres|kilometers|km|miles)\s+"
        r"(?:away\s+)?(?:from|of)\s+",
        "threatened",
        armed_actor=True,
        weak=True,
    ),
    _t(
        "threaten-encircle",
        "encircle encircling surround surrounding encirclement besiege",
        r"\b(?:threaten(?:s|ed|ing)?|trying|tried|try|attempting|seeking|looking|aiming|close|closer|"
        r"near|nearer|poised|about|moving|working)\s+to\s+(?:\w+ly\s+)?(?:encircle|surround|besiege|"
        r"cut\s+off)\s+"
        r"|\b(?:away\s+from|close\s+to|closer\s+to|near|nearing|on\s+the\s+verge\s+of)\s+"
        r"(?:completing\s+|completely\s+)?(?:the\s+)?(?:encirclement|encircling|surrounding)\s+"
        r"(?:of\s+)?",
        "threatened",
        own_modal=True,
    ),
    _t(
        "tighten-ring",
        "circle ring noose cordon vise vice grip",
        r"\b(?:tighten(?:ed|s|ing)?|closed|close|closes|closing)\s+(?:the|their|its|a)\s+"
        r"(?:circle|ring|noose|cordon|vise|vice|grip)\s+(?:around|round|on)\s+",
        "encircled",
    ),
    _t(
        "encirclement-of",
        "encirclement",
        r"\b(?:the\s+)?(?:full\s+|complete\s+|total\s+)?encirclement\s+of\s+",
        "encircled",
    ),
    _t(
        "fighting-units",
        "fighting battling",
        r"\b(?:units|forces|troops|soldiers|fighters|defenders|we|men)\s+(?:are|were|remain|"
        r"remained)\s+(?:still\s+)?(?:fighting|battling)\s+(?:on\s+)?(?:in|for|inside)\s+",
        "contested",
        weak=True,
    ),
    _t(
        "heavy-fighting",
        "heavy fierce intense bitter ongoing raging street house close pitched fresh",
        r"\b(?i:heavy|fierce|intense|bitter|ongoing|raging|street|house-to-house|"
        r"close-quarters|pitched|fresh)\s+(?:fighting|battles|clashes|street\s+fighting)\s+"
        # "heavy fighting is now taking place in A, B and C"
        r"(?:(?:is|are|was|were)\s+(?:now\s+|still\s+)?(?:taking\s+place|under\s+way|raging|ongoing)"
        r"\s+)?(?:for|in\s+and\s+around|in|inside|around|within)\s+(?:control\s+of\s+)?",
        "contested",
        weak=True,
    ),
    _t(
        "encircle",
        "encircled encircle encircles encircling surrounded surround surrounds surrounding "
        "besieged besiege besieges besieging blockaded blockading cut",
        # "the besieged city of X" is an adjective: what the text says of X, not a claim
        r"(?<!\bthe\s)(?<!\ba\s)\b(?:encircled|encircle|encircles|encircling|surrounded|surround|"
        r"surrounds|surrounding|besieged|besiege|besieges|besieging|blockaded|blockading|"
        r"cut\s+off)[\"”’']?\s+",
        "encircled",
        armed_actor=True,  # "surrounding Hillsborough County", "fencing encircling the Capitol"
        weak=True,
    ),
    _t(
        "holding-back",
        "contain containing holding hold",
        # the Ukrainian general staff's 'troops "continue to contain the enemy" around X', 'was
        # "holding back enemy forces" in X': the enemy is in X, the fight goes on. (Attacks
        # "repelled near X" are a defence that held: no claim, as the holdout labels it.)
        r"\b(?:contain|containing|holding\s+back|hold\s+back)\s+"
        r"(?:the\s+|an\s+|several\s+|\d+\s+|dozens\s+of\s+)?(?:(?:enemy(?:['’]s)?|"
        r"Russian|Ukrainian)\s*)?(?:(?:forces|troops|attacks?|assaults?|offensive|advance)\s*)?"
        r"[\"”’']?\s*(?:in|around|near|at|outside)\s+(?:the\s+(?:area\s+of|direction\s+of)\s+)?",
        "contested",
        # an armed force in the clause ("its troops", "enemy forces", "our defenders"): not a
        # goalkeeper repelling attacks in Madrid
        needs_before=_FORCES,
        weak=True,
    ),
    _t(
        "engaged-in-fighting",
        "engaged engaging engage",
        # "claimed to have engaged in fighting and destroyed army vehicles in Khan Younis"
        r"\b(?:engaged|engaging|engage)\s+in\s+(?:(?:heavy|fierce|intense|street)\s+)?(?:fighting|"
        r"clashes|battles|combat)\b(?:[^.;:]{0,50}?\s)?(?:in|inside|around)\s+",
        "contested",
        needs_before=_FORCES,
        weak=True,
    ),
    _t(
        "battle-for",
        "battle battles fighting fight clashes struggle combat",
        r"\b(?i:battles?|fighting|fight|clashes|struggle|combat)\s+for\s+(?:control\s+of\s+)?",
        "contested",
        needs=_continues,
        weak=True,
    ),
    _t(
        "the-battle-for",
        "battle",
        r"\b(?i:the|an?)\s+(?:[\w-]+\s+){0,2}?battle\s+for\s+(?:(?:the\s+)?control\s+of\s+)?",
        "contested",
        needs=_battle_not_over,
    ),
    _t(
        "fighting-in",
        "fighting battle battles clashes combat",
        # "tough fighting against the Islamic State continues in Raqqa"
        r"\b(?i:fighting|battles?|clashes|combat)[\"”’']?\s+(?:(?:against|with)\s+[^,.;:]{1,50}?\s+)?"
        r"(?:continues?|continued|rages?|raged|intensif(?:ies|ied|ying)|escalat(?:es|ed|ing)|"
        r"(?:is|are|was|were)\s+(?:still\s+)?(?:raging|under\s+way|underway|ongoing|going\s+on|"
        r"continuing|(?:now\s+)?taking\s+place))\s+"
        r"(?:(?:on\s+\w+|overnight|again|today|still|now)\s+)*(?:in\s+and\s+around|in|for|inside|"
        r"within)\s+",
        "contested",
        weak=True,
    ),
    # subject-shaped: the place comes before
    _t(
        "into-hands",
        "hands",
        rf"\b(?:fell|fallen|fall|passed)\s+into\s+(?:the\s+hands\s+of\b|{_POSS}\s+hands\b)",
        "captured",
        "subject",
    ),
    _t(
        "changed-hands-often",
        "hands",
        r"\b(?:has|have|had)?\s*changed\s+hands\s+(?:several|many|multiple|numerous|a\s+number\s+of|"
        r"repeated|countless|\w+)\s+times\b|\bchanged\s+hands\s+(?:repeatedly|back\s+and\s+forth)\b",
        "contested",
        "subject",
    ),
    _t(
        "fell",
        "fallen fell fall",
        r"\b(?:(?:has\s+|had\s+|have\s+)?(?:(?:completely|fully|entirely|finally|now)\s+)?"
        r"(?:fallen|fell)|(?:did|does|do|has|have)\s+(?:not|n['’]t)\s+"
        r"(?:yet\s+)?(?:\w+ly\s+)?fall(?:en)?)\b"
        # "Europe fell into a bear market", "fell sharply", "fell 3%": prices, not towns
        r"(?!\s+(?:into|by|sharply|steeply|slightly|below|short|silent|ill|asleep|apart|behind|back|"
        r"victim|prey|flat|out|off|over|down|nearly|almost|about|more|less|further|around|some|"
        r"across|in\s+sympathy|on\s+every|from|for\s+the|during|slowly|steadily|\$|€|£|\d"
        # "fell to third", "fell to $9,640", "fell to its lowest level": a price or a rank
        r"|to\s+(?:\$|€|£|\d|(?:its|their|the)\s+(?:lowest|highest|weakest|bottom)\b|third\b|second\b|"
        r"fourth\b|fifth\b|sixth\b|seventh\b|eighth\b|ninth\b|tenth\b|last\b|bottom\b|"
        r"(?:a|an)\s+(?:\w+\s+)?(?:low|high|record|loss|defeat)\b)))"
        r"(?:\s+to\b)?",
        "captured",
        "subject",
    ),
    _t(
        "in-hands",
        "hands",
        rf"\b(?:is|are|was|were|remains?|remained|now|still)\s+(?:(?:now|still|firmly|fully|"
        # "is back in the hands of the military"
        rf"largely|back|once\s+again|again)\s+)*in\s+(?:{_POSS}\s+hands\b|the\s+hands\s+of\b)",
        "held",
        "subject",
    ),
    _t(
        "trapped-in",
        "surrounded encircled trapped",
        # "its troops were surrounded in Pokrovsk": the place is encircled, by someone unnamed
        r"\b(?:troops|units|forces|soldiers|servicemen|garrison|fighters|defenders|men)\s+"
        r"(?:are|were|is|was|had\s+been|have\s+been|has\s+been|being)\s+(?:\w+ly\s+)?"
        r"(?:surrounded|encircled|trapped|cut\s+off)\s+in\s+",
        "encircled",
        actorless=True,
    ),
    _t(
        "verge-of-falling",
        "verge brink falling",
        # "appears to be on the verge of falling entirely to the Arakan Army"
        r"\b(?:is|are|was|were|appears?\s+to\s+be|seems?\s+to\s+be|looks?)\s+(?:now\s+)?"
        r"(?:on\s+the\s+verge\s+of|on\s+the\s+brink\s+of|close\s+to|about\s+to)\s+"
        r"(?:falling|fall)\b(?!\s+(?:asleep|apart|ill|behind|in\s+love|short|silent|victim|prey|"
        r"into|for|out|off|over|back))(?:\s+(?:entirely|completely|fully))?(?:\s+to\b)?",
        "threatened",
        "subject",
    ),
    _t(
        "a-town-close-to-encircled",
        "surrounded encircled",
        # "the city of Myrnohrad, a city close to being surrounded by Russian forces"
        r",\s+(?:a|an|the)\s+(?:[\w’'-]+\s+){0,2}?(?:town|city|village|stronghold)\s+(?:that\s+is\s+|"
        r"which\s+is\s+)?(?:close\s+to|near(?:ly)?|almost|on\s+the\s+verge\s+of)\s+(?:being\s+)?"
        r"(?:surrounded|encircled)\b(?:\s+by\b)?",
        "threatened",
        "subject",
    ),
    _t(
        "a-town-besieged",
        "besieged encircled surrounded blockaded",
        # "Djibo, a town besieged for months by jihadists": the apposition says it is encircled
        r",\s+(?:a|an|the)\s+(?:[\w’'-]+\s+){0,2}?(?:town|city|village|enclave)\s+"
        r"(?:(?:that|which)\s+(?:has|had)\s+been\s+)?(?:besieged|encircled|surrounded|blockaded)\b"
        r"(?:\s+for\s+[\w\s]{1,20}?)?(?:\s+by\b)?",
        "encircled",
        "subject",
    ),
    _t(
        "fallen-back-to",
        "back",
        # "Bahir Dar, Gondar, Lalibela ... have fallen back to government troops"
        r"\b(?:has|have|had)\s+(?:now\s+)?fallen\s+back\s+(?:in)?to\s+(?:the\s+hands\s+of\s+)?",
        "captured",
        "subject",
    ),
    _t(
        "which-they-held",
        "which",
        # "the capital Sanaa, which the Houthis have held ... since 2014": held, still
        r"\bwhich\s+(?P<holder>(?:the\s+)?[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?|the\s+[a-z]+)\s+"
        r"(?:have|has)\s+(?:\w+ly\s+)?(?:held|controlled|occupied)\b",
        "held",
        "subject",
    ),
    _t(
        "nth-retaken",
        "first second third fourth fifth sixth seventh eighth ninth tenth latest last next",
        # "Halgan is the second town in the region to be recaptured by al-Shabab"
        r"\b(?:is|was|has\s+become|became)\s+(?:the|a)\s+(?:(?:first|second|third|fourth|"
        r"fifth|sixth|seventh|eighth|ninth|tenth|latest|last|next|\d+(?:st|nd|rd|th))\s+)"
        r"(?:[\w’'-]+\s+){0,3}?(?:town|city|village|settlement|stronghold|capital)"
        r"(?:\s+in\s+the\s+\w+)?\s+to\s+be\s+(?:recaptured|retaken)\b(?:\s+by\b)?",
        "recaptured",
        "subject",
    ),
    _t(
        "nth-to-fall",
        "first second third fourth fifth sixth seventh eighth ninth tenth latest last next",
        # "Rumangabo is the fifth rebel-held town to fall to government forces", "the latest
        # city to fall": its fall, counted among others
        r"\b(?:is|was|has\s+become|became)\s+(?:the|a)\s+(?:(?:first|second|third|fourth|"
        r"fifth|sixth|seventh|eighth|ninth|tenth|latest|last|next|\d+(?:st|nd|rd|th))\s+)"
        r"(?:[\w’'-]+\s+){0,3}?(?:town|city|village|settlement|stronghold|capital|"
        r"(?:provincial|state|regional|district)\s+capital)(?:\s+in\s+the\s+\w+)?\s+to\s+"
        r"(?:(?:have\s+)?fall(?:en)?|be\s+captured|be\s+taken|be\s+seized|be\s+overrun)\b"
        r"(?!\s+(?:in\s+love|for|asleep|ill|silent|short|victim|prey|apart|behind|into|under|"
        r"in\s+line|back|out|off|over|below))(?:\s+(?:to|by)\b)?",
        "captured",
        "subject",
    ),
    _t(
        "possessive-capture",
        "capture fall seizure takeover liberation",
        r"['’]s\s+(?:(?:recent|swift|sudden|rapid|final)\s+)?(?:capture|fall|seizure|takeover|"
        r"liberation)\b(?:\s+(?:by|to)\b)?",
        "captured",
        "subject",
    ),
    _t(
        "changed-hands",
        "hands",
        r"\b(?:has|have|had)\s+(?:now\s+|already\s+)?changed\s+hands\b|\bchanged\s+hands\b",
        "captured",
        "subject",
    ),
    _t(
        "gray-zone",
        "gray grey",
        r"\b(?:is|are|was|were|remains?|remained|now|lies|lie)\s+(?:(?:now|still|effectively)\s+)*"
        r"(?:in\s+)?(?:a|the)\s+[\"“‘']?(?:gr[ae]y)[\"”’']?\s+(?:zone|area)\b",
        "contested",
        "subject",
    ),
    _t(
        "which-claimed",
        "which",
        r"\bwhich\s+(?P<who>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?|the\s+[a-z]+)\s+(?:had\s+|has\s+)?"
        r"(?:claimed|claims|said|says)\s+(?:it|they|its\s+forces|its\s+troops|their\s+forces)\s+"
        r"(?:had|has|have)\s+(?:won|taken|captured|seized|liberated|occupied)\b",
        "captured",
        "subject",
    ),
    _t(
        "which-claimed-held",
        "which",
        # "Pisky, an eastern village which Russia had earlier in the day said it had full control
        # over": held, as its claimant says
        r"\bwhich\s+(?P<who>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?|the\s+[a-z]+)\s+(?:had\s+|has\s+)?"
        r"(?:[\w’'-]+\s+){0,4}?(?:claimed|claims|said|says)\s+(?:it|they)\s+(?:had|has|have|was|were|"
        r"is|are)\s+(?:in\s+)?(?:full\s+|complete\s+|total\s+)?control\s+(?:over|of)\b",
        "held",
        "subject",
    ),
    _t(
        "which-held",
        "which",
        # "Donetsk city, which is occupied by Russian forces": held by them, today
        r"\bwhich\s+(?:is|are|remains?|has\s+been|have\s+been)\s+(?:(?:now|still|partly|largely|"
        r"fully|entirely|mostly)\s+)*(?:occupied|controlled|held)\s+by\b",
        "held",
        "subject",
    ),
    _t(
        "held-by",
        "held controlled occupied",
        # "southeast of Pokrovsk, held by Kyiv's forces": a participle set off after the place
        r",\s+(?:(?:now|still|firmly|largely|partly|mostly|fully)\s+)*(?:held|controlled|occupied)"
        r"\s+by\b",
        "held",
        "subject",
        armed_actor=True,
    ),
    _t(
        "which-encircled",
        # (the state's words, not "that"/"which": those are in most sentences)
        "encircled surrounded besieged blockaded siege",
        # "Marib's key district of Abdiya that's besieged for nearly three weeks"
        r"\b(?:that|which)(?:['’]s|\s+is|\s+are|\s+has\s+been|\s+have\s+been|\s+remains?)\s+"
        r"(?:(?:now|still|effectively|completely|fully)\s+)*(?:encircled|surrounded|besieged|"
        r"blockaded|under\s+siege)\b(?:\s+by\b)?",
        "encircled",
        "subject",
    ),
    _t(
        "dash-liberated",
        "liberated released freed cleared",
        # an official's dispatch: "Staromaiorske, Donetsk region -- released."
        r"\s+(?:--|—|–)\s+(?:liberated|released|freed|cleared)(?=\s*[.!;]|\s*$)",
        "captured",
        "subject",
    ),
    _t(
        "passive-capture",
        "captured taken seized liberated overrun occupied freed",
        r"\b(?:was|were|is|are|been)\s+(?:(?:now|already|finally|\w+ly)\s+)?[\"“‘']?(?:captured|taken(?!\s+(?:to|into|away|off|out|"
        r"back|from|in)\b)|seized|liberated|overrun|occupied|freed)\b(?:\s+by\b)?",
        "captured",
        "subject",
    ),
    _t(
        "passive-retake",
        "recaptured retaken",
        r"\b(?:was|were|is|are|been)\s+(?:(?:almost|nearly|\w+ly)\s+){0,3}(?:recaptured|retaken|"
        r"re-taken|re-captured)\b(?:\s+by\b)?",
        "recaptured",
        "subject",
    ),
    _t(
        "is-encircled",
        "encircled surrounded besieged blockaded cut siege blockade",
        r"\b(?:is|are|was|were|been|remains?|remained)\s+(?:(?:now|completely|fully|effectively|"
        r"still|also)\s+)*(?:encircled|surrounded|besieged|blockaded|cut\s+off|"
        r"under\s+(?:siege|blockade))\b(?:\s+by\b)?",
        "encircled",
        "subject",
    ),
    _t(
        "almost-encircled",
        "encircled surrounded",
        r"\b(?:is|are|was|were|been|remains?|remained)\s+(?:now\s+|still\s+)?(?:almost|nearly|"
        r"partially|partly|half|semi-|virtually|largely|practically)\s*-?\s*(?:completely\s+|fully\s+)?"
        r"(?:encircled|surrounded)\b"
        r"(?:\s+by\b)?",
        "threatened",
        "subject",
    ),
    _t(
        "came-under",
        "control",
        rf"\b(?:came|come|comes|fell|fallen)\s+under\s+(?:the\s+)?(?:full\s+)?{_POSS}\s+control\b",
        "captured",
        "subject",
    ),
    _t(
        "came-under-forces",
        "came come comes",
        # "Most parts of Lalibela town came under Fano forces": a force, not fire or attack
        r"\b(?:came|come|comes)\s+under\s+(?:the\s+)?(?P<poss>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)\s+"
        r"(?:forces|troops|fighters|militia|militias|rebels)\b",
        "captured",
        "subject",
    ),
    _t(
        "under-control",
        "control",
        rf"\b(?:is|are|was|were|remains?|remained|been)\s+(?:[\"“‘']?(?:now|still|firmly|back|"
        rf"fully|again|completely|also|largely|mostly|partly|effectively|reportedly)[\"”’']?\s+)*"
        # "the city is now for the first time in four years under government control"
        rf"(?:(?:for|in|since|after)\s+[\w\s]{{1,40}}?\s+)?under\s+"
        rf"(?:the\s+)?(?:full\s+|firm\s+|effective\s+)?{_POSS}\s+control\b",
        "held",
        "subject",
    ),
    _t(
        "under-control-of",
        "control",
        r"\b(?:is|are|was|were|remains?|remained|been|now)\s+(?:(?:now|still|firmly|fully|again|"
        r"back|completely|also|largely|mostly|partly|effectively|reportedly)\s+)*under\s+the\s+"
        r"(?:full\s+|firm\s+|effective\s+)?control\s+of\b",
        "held",
        "subject",
    ),
    _t(
        "out-of-control",
        "control",
        rf"\b(?:is|are|was|were|remains?|been)\s+(?:(?:now|completely|totally|fully|"
        rf"\w+ly)\s+)*out\s+of\s+{_POSS}\s+control\b",
        "lost",
        "subject",
    ),
    _t(
        "fought-for",
        "fought",
        # '"Lysychansk is still being fought for," Zelensky said'
        r"\b(?:is|are|was|were)\s+(?:still\s+)?being\s+fought\s+(?:for|over)\b",
        "contested",
        "subject",
    ),
    _t(
        "is-contested",
        "contested",
        r"\b(?:is|are|was|were|remains?|remained)\s+(?:\w+ly\s+)*contested\b",
        "contested",
        "subject",
    ),
    _t(
        "is-ours",
        "ours",
        # '"Namhsan town is completely ours," a rebel general said': held by the speaker's side
        r"\b(?:is|are|remains?)\s+(?:(?:now|completely|fully|entirely|all|totally)\s+)*(?P<poss>our)s\b",
        "held",
        "subject",
    ),
    _t(
        "is-lost",
        "lost",
        r"\b(?:is|was|has\s+been|had\s+been)\s+lost\b(?!\s+(?:to|control))",
        "lost",
        "subject",
    ),
)

# keyword -> positions in TRIGGERS, so a sentence finds its few candidate rows by its own words
# instead of testing every row.
_BY_KEY: dict[str, tuple[int, ...]] = {}
for _index, _trigger in enumerate(TRIGGERS):
    for _key in _trigger.keys:
        _BY_KEY[_key] = (*_BY_KEY.get(_key, ()), _index)


def candidates(tokens: frozenset[str]) -> list[Trigger]:
    """The rows whose keywords occur in a sentence's words, in table order (order matters:
    a longer phrasing read first claims its span)."""
    hits = {i for word in tokens if word in _BY_KEY for i in _BY_KEY[word]}
    return [TRIGGERS[i] for i in sorted(hits)]
