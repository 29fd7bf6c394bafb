"""Subject-shaped rows of the control table: the place comes before the phrasing ("Vovchansk
fell to ...", "Shushi is out of our control", "X, which is occupied by Y")."""

from __future__ import annotations

from briefwatch.extract.lexicon import FORCE_NOUNS
from briefwatch.extract.trigger_kit import (
    POSS,
    Trigger,
    row,
)

_ORDINALS = "first second third fourth fifth sixth seventh eighth ninth tenth latest last next"
# "is the fifth rebel-held town in the region": one town counted among others
_NTH_TOWN = (
    r"\b(?:is|was|has\s+become|became)\s+(?:the|a)\s+(?:(?:first|second|third|fourth|"
    r"fifth|sixth|seventh|eighth|ninth|tenth|latest|last|next|\d+(?:st|nd|rd|th))\s+)"
    r"(?:[\w’'-]+\s+){0,3}?(?:town|city|village|settlement|stronghold|capital|"
    r"(?:provincial|state|regional|district)\s+capital)(?:\s+in\s+the\s+\w+)?"
)

SUBJECT_ROWS: tuple[Trigger, ...] = (
    row(
        "into-hands",
        "hands control",
        # ("had mostly fallen into Taliban control")
        rf"\b(?:fell|fallen|fall|passed)\s+into\s+(?:the\s+(?:hands|control)\s+of\b|"
        rf"{POSS}\s+(?:hands|control)\b)",
        "captured",
        "subject",
    ),
    row(
        "changed-hands-often",
        "hands",
        r"\b(?:has|have|had)?\s*changed\s+hands\s+(?:several|many|multiple|numerous|a\s+number\s+of|"
        r"repeated|countless|\w+)\s+times\b|\bchanged\s+hands\s+(?:repeatedly|back\s+and\s+forth)\b",
        "contested",
        "subject",
    ),
    row(
        "fell",
        "fallen fell fall",
        r"\b(?:(?:has\s+|had\s+|have\s+)?(?:(?:completely|fully|entirely|finally|now)\s+)?"
        r"(?:fallen|fell)|(?:did|does|do|has|have)\s+(?:not|n['’]t)\s+"
        r"(?:yet\s+)?(?:\w+ly\s+)?fall(?:en)?)\b"
        # "Europe fell into a bear market", "fell sharply", "fell 3%": prices, not towns
        r"(?!\s+(?:into|by|sharply|steeply|slightly|below|short|silent|ill|asleep|apart|behind|back|"
        r"victim|prey|flat|out|off|over|down|nearly|almost|about|more|less|further|around|some|"
        r"across|in\s+sympathy|on\s+every|from|for\s+the|during|slowly|steadily|\$|€|£|\d"
        # "Paris fell in love with the museum", "fell in line", "fell in the polls"
        r"|in\s+(?:love|line|step|value|price|popularity|the\s+polls|the\s+rankings)\b"
        # "fell to third", "fell to $9,640", "fell to its lowest level": a price or a rank
        r"|to\s+(?:\$|€|£|\d|(?:its|their|the)\s+(?:lowest|highest|weakest|bottom)\b|third\b|second\b|"
        r"fourth\b|fifth\b|sixth\b|seventh\b|eighth\b|ninth\b|tenth\b|last\b|bottom\b|"
        r"(?:a|an)\s+(?:\w+\s+)?(?:low|high|record|loss|defeat)\b)))"
        r"(?:\s+to\b)?",
        "captured",
        "subject",
    ),
    row(
        "in-hands",
        "hands",
        rf"\b(?:is|are|was|were|remains?|remained|now|still)\s+(?:(?:now|still|firmly|fully|"
        # "is back in the hands of the military"
        # ("is nominally within government hands")
        rf"largely|back|once\s+again|again|nominally|effectively|firmly|entirely)\s+)*(?:in|within)\s+"
        rf"(?:{POSS}\s+hands\b|the\s+hands\s+of\b)",
        "held",
        "subject",
    ),
    row(
        "trapped-in",
        "surrounded encircled trapped",
        # "its troops were surrounded in Pokrovsk": the place is encircled, by someone unnamed
        r"\b(?:troops|units|forces|soldiers|servicemen|garrison|fighters|defenders|men)\s+"
        r"(?:are|were|is|was|had\s+been|have\s+been|has\s+been|being)\s+(?:\w+ly\s+)?"
        r"(?:surrounded|encircled|trapped|cut\s+off)\s+in\s+",
        "encircled",
        actorless=True,
    ),
    row(
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
    row(
        "a-town-close-to-encircled",
        "surrounded encircled",
        # "the city of Myrnohrad, a city close to being surrounded by Russian forces"
        r",\s+(?:a|an|the)\s+(?:[\w’'-]+\s+){0,2}?(?:town|city|village|stronghold)\s+(?:that\s+is\s+|"
        r"which\s+is\s+)?(?:close\s+to|near(?:ly)?|almost|on\s+the\s+verge\s+of)\s+(?:being\s+)?"
        r"(?:surrounded|encircled)\b(?:\s+by\b)?",
        "threatened",
        "subject",
        apposition=True,
    ),
    row(
        "a-town-besieged",
        "besieged encircled surrounded blockaded",
        # "Djibo, a town besieged for months by jihadists": the apposition says it is encircled
        r",\s+(?:a|an|the)\s+(?:[\w’'-]+\s+){0,2}?(?:town|city|village|enclave)\s+"
        r"(?:(?:that|which)\s+(?:has|had)\s+been\s+)?(?:besieged|encircled|surrounded|blockaded)\b"
        r"(?:\s+for\s+[\w\s]{1,20}?)?(?:\s+by\b)?",
        "encircled",
        "subject",
        apposition=True,
    ),
    row(
        "a-town-seized-by",
        "seized captured taken overrun conquered liberated",
        # "close to X, a strategic hilltop village seized by the army on Saturday": the
        # apposition says it was taken, by whom
        r",\s+(?:a|an|the)\s+(?:[\w’'-]+\s+){0,3}?(?:town|city|village|settlement|stronghold|"
        r"capital)\s+(?:(?:that|which)\s+(?:was|were|had\s+been|has\s+been)\s+)?(?:(?:recently|"
        r"newly|just|briefly|\w+ly)\s+)?(?:seized|captured|taken|overrun|conquered|liberated)\s+by\b",
        "captured",
        "subject",
        armed_actor=True,
        apposition=True,
    ),
    row(
        "a-town-retaken-by",
        "retaken recaptured",
        r",\s+(?:a|an|the)\s+(?:[\w’'-]+\s+){0,3}?(?:town|city|village|settlement|stronghold|"
        r"capital)\s+(?:(?:that|which)\s+(?:was|were|had\s+been|has\s+been)\s+)?(?:(?:recently|"
        r"newly|just|\w+ly)\s+)?(?:retaken|recaptured)\s+by\b",
        "recaptured",
        "subject",
        armed_actor=True,
        apposition=True,
    ),
    row(
        "fallen-back-to",
        "back",
        # "Bahir Dar, Gondar, Lalibela ... have fallen back to government troops"
        r"\b(?:has|have|had)\s+(?:now\s+)?fallen\s+back\s+(?:in)?to\s+(?:the\s+hands\s+of\s+)?",
        "captured",
        "subject",
    ),
    row(
        "which-they-held",
        "which",
        # "the capital Sanaa, which the Houthis have held ... since 2014": held, still
        r"\bwhich\s+(?P<holder>(?:the\s+)?[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?|the\s+[a-z]+)\s+"
        r"(?:have|has)\s+(?:\w+ly\s+)?(?:held|controlled|occupied)\b",
        "held",
        "subject",
        antecedent=True,
    ),
    row(
        "nth-retaken",
        _ORDINALS,
        # "Halgan is the second town in the region to be recaptured by al-Shabab"
        _NTH_TOWN + r"\s+to\s+be\s+(?:recaptured|retaken)\b(?:\s+by\b)?",
        "recaptured",
        "subject",
    ),
    row(
        "nth-to-fall",
        _ORDINALS,
        # "Rumangabo is the fifth rebel-held town to fall to government forces", "the latest
        # city to fall": its fall, counted among others
        _NTH_TOWN + r"\s+to\s+(?:(?:have\s+)?fall(?:en)?|be\s+captured|be\s+taken|be\s+seized|"
        r"be\s+overrun)\b"
        r"(?!\s+(?:in\s+love|for|asleep|ill|silent|short|victim|prey|apart|behind|into|under|"
        r"in\s+line|back|out|off|over|below))(?:\s+(?:to|by)\b)?",
        "captured",
        "subject",
    ),
    row(
        "nth-seized-by",
        _ORDINALS,
        # "X is the first provincial capital seized by the militia": taken, counted among others
        _NTH_TOWN + r"\s+(?:(?:to\s+be|to\s+have\s+been)\s+)?(?:seized|captured|taken|overrun|"
        r"conquered|liberated)\s+by\b",
        "captured",
        "subject",
    ),
    row(
        "largest-town-held-by",
        "controlled held occupied",
        # "X is the largest town controlled by the militia": held by it today
        r"\b(?:is|remains|has\s+become|became)\s+(?:the|a)\s+(?:(?:largest|biggest|main|only|last|"
        r"most\s+\w+|key|major|largest\s+remaining|only\s+remaining|\w+est)\s+)(?:[\w’'-]+\s+){0,2}?"
        r"(?:town|city|village|settlement|stronghold|capital|port)\s+(?:(?:still|now|currently)\s+)?"
        r"(?:controlled|held|occupied)\s+by\b",
        "held",
        "subject",
        armed_actor=True,  # ("the largest port controlled by the shipping group")
    ),
    row(
        "has-been-held-by",
        "controlled held occupied",
        # "X has been controlled by the militia since last week": held, still
        r"\b(?:has|have)\s+(?:(?:now|since|also)\s+)?been\s+(?:(?:fully|firmly|largely|mostly|partly|"
        r"effectively|entirely)\s+)?(?:controlled|held|occupied)\s+by\b",
        "held",
        "subject",
        armed_actor=True,  # ("has been held by the same family", "occupied by students")
    ),
    row(
        "is-held-by",
        "held controlled occupied",
        # "X is still held by government troops", "X remains controlled by the Taliban": today
        # ("was held by" is the past; "which is held by" is `which-held`)
        r"\b(?:is|are|remains?)\s+(?:(?:still|now|firmly|largely|mostly|partly|fully|entirely|"
        r"effectively|reportedly)\s+)*(?:held|controlled|occupied)\s+by\b",
        "held",
        "subject",
        armed_actor=True,  # ("is held by the same family", "is occupied by students")
    ),
    row(
        "handed-over-to",
        "handed",
        # "X was handed over to the rebels": changed hands, to them
        r"\b(?:was|were|has\s+been|have\s+been|had\s+been)\s+(?:\w+ly\s+)?handed\s+(?:over|back)\s+to\b",
        "captured",
        "subject",
        armed_actor=True,  # ("handed over to the UN", "to a new owner")
    ),
    row(
        "abandoned-by",
        "abandoned",
        # "X was abandoned by government troops": lost by them
        r"\b(?:was|were|has\s+been|have\s+been|had\s+been)\s+(?:\w+ly\s+)?abandoned\s+by\b",
        "lost",
        "subject",
        armed_actor=True,  # ("abandoned by its residents")
    ),
    row(
        "under-threat-from",
        "threat",
        # "the town of X is under threat from the rebels"
        r"\b(?:is|are|was|were|remains?|came|comes)\s+(?:(?:now|increasingly|directly|also)\s+)?"
        r"under\s+(?:(?:direct|serious|growing|imminent|renewed)\s+)?threat\b"
        # from an armed force ("under threat from floods" is none)
        r"(?=\s+from\s+(?:the\s+)?(?:[\w’'-]+\s+){0,2}?(?:"
        + "|".join(sorted(FORCE_NOUNS))
        # ("is now under threat as Russian forces advance from the south")
        + r")\b|\s+as\s+(?:the\s+)?(?:[\w’'-]+\s+){0,2}?(?:"
        + "|".join(sorted(FORCE_NOUNS))
        + r")\s+(?:\w+\s+)?(?:advance|advanced|close|closed|push|pushed|approach|approached|move|"
        r"moved|press|pressed)\b)",
        "threatened",
        "subject",
    ),
    row(
        "can-no-longer-hold",
        "hold held defended resist",
        # the governor's "the city can no longer hold": about to fall
        r"\b(?:can|could|cannot|can['’]t)\s+(?:no\s+longer|not\s+(?:much\s+)?longer)\s+(?:hold(?:\s+out)?|"
        r"be\s+held|be\s+defended|resist)\b",
        "threatened",
        "subject",
        own_modal=True,
    ),
    row(
        "where-trapped",
        "surrounded encircled trapped besieged",
        # "fighting was going on in X, where government forces had been surrounded by insurgents"
        r"\bwhere\s+(?:the\s+)?(?:[\w’'-]+\s+){0,2}?(?:troops|units|forces|soldiers|servicemen|"
        r"garrison|fighters|defenders|men)\s+(?:are|were|is|was|had\s+been|have\s+been|has\s+been)\s+"
        r"(?:\w+ly\s+)?(?:surrounded|encircled|trapped|besieged|cut\s+off)\b(?:\s+by\b)?",
        "encircled",
        "subject",
        antecedent=True,
    ),
    row(
        "possessive-capture",
        "capture fall seizure takeover liberation",
        r"['’]s\s+(?:(?:recent|swift|sudden|rapid|final)\s+)?(?:capture|fall|seizure|takeover|"
        r"liberation)\b(?:\s+(?:by|to)\b)?",
        "captured",
        "subject",
    ),
    row(
        "changed-hands",
        "hands",
        r"\b(?:has|have|had)\s+(?:now\s+|already\s+)?changed\s+hands\b|\bchanged\s+hands\b",
        "captured",
        "subject",
    ),
    row(
        "gray-zone",
        "gray grey",
        r"\b(?:is|are|was|were|remains?|remained|now|lies|lie)\s+(?:(?:now|still|effectively)\s+)*"
        r"(?:in\s+)?(?:a|the)\s+[\"“‘']?(?:gr[ae]y)[\"”’']?\s+(?:zone|area)\b",
        "contested",
        "subject",
    ),
    row(
        "which-they-took",
        "which",
        # "Kupiansk, which Russian forces captured last week": taken, by the relative's subject
        r"\bwhich\s+(?P<holder>(?:the\s+)?(?:[\w’'-]+\s+){0,3}?(?:"
        + "|".join(sorted(FORCE_NOUNS))
        + r"))\s+(?:(?:had|have|has)\s+)?(?:(?:now|already|finally|\w+ly)\s+)?"
        r"(?:captured|seized|took|taken|overran|overrun|liberated)\b(?!\s+(?:over|part|control|up|place|back)\b)",
        "captured",
        "subject",
        antecedent=True,
    ),
    row(
        "which-they-threaten",
        "which",
        # "Kurakhove, which Russian troops have stormed and are threatening to encircle"
        r"\bwhich\s+(?P<holder>(?:the\s+)?(?:[\w’'-]+\s+){0,3}?(?:"
        + "|".join(sorted(FORCE_NOUNS))
        + r"))\s+(?:(?:have|has|had)\s+[a-z]+ed\s+and\s+)?"
        r"(?:are|is|were|was|have\s+been|has\s+been)\s+"
        r"(?:now\s+|still\s+)?(?:threatening|trying|attempting|seeking|poised|preparing)\s+to\s+"
        r"(?:encircle|surround|capture|seize|take|storm|besiege)\b",
        "threatened",
        "subject",
        antecedent=True,
        own_modal=True,
    ),
    row(
        "which-claimed",
        "which",
        r"\bwhich\s+(?P<who>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?|the\s+[a-z]+)\s+(?:had\s+|has\s+)?"
        r"(?:claimed|claims|said|says)\s+(?:it|they|its\s+forces|its\s+troops|their\s+forces)\s+"
        r"(?:had|has|have)\s+(?:won|taken|captured|seized|liberated|occupied)\b",
        "captured",
        "subject",
        antecedent=True,
    ),
    row(
        "which-claimed-held",
        "which",
        # "Pisky, an eastern village which Russia had earlier in the day said it had full control
        # over": held, as its claimant says
        r"\bwhich\s+(?P<who>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?|the\s+[a-z]+)\s+(?:had\s+|has\s+)?"
        r"(?:[\w’'-]+\s+){0,4}?(?:claimed|claims|said|says)\s+(?:it|they)\s+(?:had|has|have|was|were|"
        r"is|are)\s+(?:in\s+)?(?:full\s+|complete\s+|total\s+)?control\s+(?:over|of)\b",
        "held",
        "subject",
        antecedent=True,
    ),
    row(
        "which-held",
        "which",
        # "Donetsk city, which is occupied by Russian forces": held by them, today
        r"\bwhich\s+(?:is|are|remains?|has\s+been|have\s+been)\s+(?:(?:now|still|partly|largely|"
        r"fully|entirely|mostly)\s+)*(?:occupied|controlled|held)\s+by\b",
        "held",
        "subject",
        antecedent=True,
    ),
    row(
        "held-by",
        "held controlled occupied",
        # "southeast of Pokrovsk, held by Kyiv's forces": a participle set off after the place
        r",\s+(?:(?:now|still|firmly|largely|partly|mostly|fully)\s+)*(?:held|controlled|occupied)"
        r"\s+by\b",
        "held",
        "subject",
        armed_actor=True,
        antecedent=True,
    ),
    row(
        "which-encircled",
        # (the state's words, not "that"/"which": those are in most sentences)
        "encircled surrounded besieged blockaded siege",
        # "Marib's key district of Abdiya that's besieged for nearly three weeks"
        r"\b(?:that|which)(?:['’]s|\s+is|\s+are|\s+has\s+been|\s+have\s+been|\s+remains?)\s+"
        r"(?:(?:now|still|effectively|completely|fully)\s+)*(?:encircled|surrounded|besieged|"
        r"blockaded|under\s+siege)\b(?:\s+by\b)?",
        "encircled",
        "subject",
        antecedent=True,
    ),
    row(
        "dash-liberated",
        "liberated released freed cleared",
        # an official's dispatch: "Staromaiorske, Donetsk region -- released."
        r"\s+(?:--|—|–)\s+(?:liberated|released|freed|cleared)(?=\s*[.!;]|\s*$)",
        "captured",
        "subject",
    ),
    row(
        "passive-capture",
        "captured taken seized liberated overrun occupied freed conquered",
        r"\b(?:was|were|is|are|been)\s+(?:(?:now|already|finally|\w+ly)\s+)?[\"“‘']?(?:captured|taken(?!\s+(?:to|into|away|off|out|"
        r"back|from|in)\b)|seized|liberated|overrun|occupied|freed|conquered)\b(?:\s+by\b)?",
        "captured",
        "subject",
    ),
    row(
        "passive-retake",
        "recaptured retaken reclaimed",
        r"\b(?:was|were|is|are|been)\s+(?:(?:almost|nearly|\w+ly)\s+){0,3}(?:recaptured|retaken|"
        r"re-taken|re-captured|reclaimed)\b(?:\s+by\b)?",
        "recaptured",
        "subject",
    ),
    row(
        "is-encircled",
        "encircled surrounded besieged blockaded cut siege blockade",
        r"\b(?:is|are|was|were|been|remains?|remained)\s+(?:(?:now|completely|fully|effectively|"
        r"still|also)\s+)*(?:encircled|surrounded|besieged|blockaded|cut\s+off|"
        r"under\s+(?:siege|blockade))\b(?:\s+by\b)?",
        "encircled",
        "subject",
    ),
    row(
        "almost-encircled",
        "encircled surrounded",
        r"\b(?:is|are|was|were|been|remains?|remained)\s+(?:now\s+|still\s+)?(?:almost|nearly|"
        r"partially|partly|half|semi-|virtually|largely|practically)\s*-?\s*(?:completely\s+|fully\s+)?"
        r"(?:encircled|surrounded)\b"
        r"(?:\s+by\b)?",
        "threatened",
        "subject",
    ),
    row(
        "came-under",
        "control",
        rf"\b(?:came|come|comes|fell|fallen)\s+under\s+(?:the\s+)?(?:full\s+)?{POSS}\s+control\b",
        "captured",
        "subject",
    ),
    row(
        "came-under-forces",
        "came come comes",
        # "Most parts of Lalibela town came under Fano forces": a force, not fire or attack
        r"\b(?:came|come|comes)\s+under\s+(?:the\s+)?(?P<poss>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)\s+"
        r"(?:forces|troops|fighters|militia|militias|rebels)\b",
        "captured",
        "subject",
    ),
    row(
        "under-control",
        "control",
        rf"\b(?:is|are|was|were|remains?|remained|been)\s+(?:[\"“‘']?(?:now|still|firmly|back|"
        rf"fully|again|completely|also|largely|mostly|partly|effectively|reportedly)[\"”’']?\s+)*"
        # "the city is now for the first time in four years under government control"
        rf"(?:(?:for|in|since|after)\s+[\w\s]{{1,40}}?\s+)?under\s+"
        rf"(?:the\s+)?(?:full\s+|firm\s+|effective\s+)?{POSS}\s+control\b",
        "held",
        "subject",
    ),
    row(
        "in-own-control",
        "control",
        # "they had entered the center of X, and it was in their total control": held by them
        r"\b(?:is|are|was|were|remains?|remained|been)\s+(?:(?:now|still|firmly|fully|completely|"
        r"back|entirely)\s+)*in\s+(?P<poss>our|their|his|its)\s+(?:(?:full|total|complete|firm|"
        r"effective)\s+)?control\b",
        "held",
        "subject",
    ),
    row(
        "under-control-of",
        "control",
        r"\b(?:is|are|was|were|remains?|remained|been|now)\s+(?:(?:now|still|firmly|fully|again|"
        r"back|completely|also|largely|mostly|partly|effectively|reportedly)\s+)*under\s+the\s+"
        r"(?:full\s+|firm\s+|effective\s+)?control\s+of\b",
        "held",
        "subject",
    ),
    row(
        "out-of-control",
        "control",
        rf"\b(?:is|are|was|were|remains?|been)\s+(?:(?:now|completely|totally|fully|"
        rf"\w+ly)\s+)*out\s+of\s+{POSS}\s+control\b",
        "lost",
        "subject",
    ),
    row(
        "fought-for",
        "fought",
        # '"Lysychansk is still being fought for," Zelensky said'
        r"\b(?:is|are|was|were)\s+(?:still\s+)?being\s+fought\s+(?:for|over)\b",
        "contested",
        "subject",
    ),
    row(
        "is-contested",
        "contested",
        r"\b(?:is|are|was|were|remains?|remained)\s+(?:\w+ly\s+)*contested\b",
        "contested",
        "subject",
    ),
    row(
        "is-ours",
        "ours",
        # '"Namhsan town is completely ours," a rebel general said': held by the speaker's side
        r"\b(?:is|are|remains?)\s+(?:(?:now|completely|fully|entirely|all|totally)\s+)*(?P<poss>our)s\b",
        "held",
        "subject",
    ),
    row(
        "is-lost",
        "lost",
        r"\b(?:is|was|has\s+been|had\s+been)\s+lost\b(?!\s+(?:to|control))",
        "lost",
        "subject",
    ),
)
