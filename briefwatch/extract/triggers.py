"""The phrasings of control: one table of triggers, each with a status and a shape.

- object: the place follows the verb ("his forces had taken Shusha", "withdrew from Kherson");
- subject: the place comes first ("Vovchansk fell to ...", "Shushi is out of our control").

Each row names the words one of which a sentence must contain for its regex to be tried at all:
most sentences contain none, and one set lookup per row is far cheaper than a regex scan.

Adding a phrasing is adding a row here (object-shaped) or in `subject_triggers` (subject-shaped),
plus gold sentences it must and must not fire on; the parts rows are made of are in
`trigger_kit`.
"""

from __future__ import annotations

from briefwatch.extract.subject_triggers import SUBJECT_ROWS
from briefwatch.extract.trigger_kit import (
    DEFENCES,
    FORCES,
    PUSHED,
    WAR_WORDS,
    Trigger,
    battle_not_over,
    continues,
    is_free,
    no_modal_after,
    not_demanded,
    not_since,
    row,
    shared_with_enemy,
    under_control,
)

__all__ = ["TRIGGERS", "WAR_WORDS", "Trigger", "candidates"]

TRIGGERS: tuple[Trigger, ...] = (
    # (first: their spans hold the capture or entry verb inside them, which later rows would
    # read as a change of hands)
    row(
        "attempt-to-take",
        # (keyed by the verb of taking, rarer than "fighting" or "efforts")
        "seize capture take retake recapture regain reclaim conquer liberate overrun win",
        # an attempt under way threatens the place, it does not take it: "battling to seize X",
        # "launched an offensive to capture X", "stepped up efforts to retake X"
        r"\b(?:(?:launched|launching|began|begun|started|mounted|mounting|pressed|pressing|"
        r"stepped\s+up|stepping\s+up|continued|continuing|intensified|intensifying|renewed|made|"
        r"making)\s+(?:an?|the|its|their|his|our)\s+(?:[\w-]+\s+){0,2}?(?:offensive|push|drive|"
        r"bid|efforts?|attempts?|campaign|operations?)|battling|fighting|struggling|trying|tried|try|"
        r"tries|attempting|seeking|sought|threaten(?:s|ed|ing)|(?:an?|the|its|their|his|our)\s+"
        r"(?:[\w-]+\s+){0,2}?(?:offensive|push|drive|bid|efforts?|attempts?|campaign|operations?))\s+"
        r"to\s+(?:seize|capture|take|"
        r"retake|recapture|regain|reclaim|conquer|liberate|overrun|(?:win|take)\s+back)\s+"
        r"(?:(?:back\s+)?(?:full\s+)?control\s+(?:of|over)\s+)?",
        "threatened",
        needs=no_modal_after,  # "an offensive to retake X could begin within weeks"
        own_modal=True,
        war_words=True,  # ("the campaign is battling to win back Phoenix": an election)
    ),
    row(
        "both-claim",
        "claim claims claimed",
        # "both the rebels and the army claim to control X": neither holds it unchallenged
        r"\b(?:[Bb]oth\s+(?:sides|parties|(?:the\s+)?[\w’'-]+(?:\s+[\w’'-]+){0,4}?\s+and\s+(?:the\s+)?"
        r"[\w’'-]+(?:\s+[\w’'-]+){0,3}?)|[Ee]ach\s+side)\s+(?:now\s+|still\s+)?claim(?:s|ed)?\s+"
        r"(?:to\s+(?:control|hold|be\s+in\s+control\s+of|have\s+taken)|control\s+(?:of|over))\s+",
        "contested",
        weak=True,
    ),
    row(
        "control-around",
        # (keyed by the rarer word: most sentences with "control" have none of these)
        "surrounding nearby outskirts environs approaches around",
        # "has taken control of surrounding areas of X and is now heading to X": the ground
        # around the town is taken, the town itself is threatened
        r"\b(?:took|taken|take|takes|taking|seized|seize|seizing|gained|secured)\s+(?:(?:full|complete)"
        r"\s+)?control\s+(?:of|over)\s+(?:the\s+)?(?:(?:surrounding|nearby)\s+(?:areas|villages|"
        r"hills|heights)\s+(?:of|around)|(?:areas|villages|hills|heights)\s+(?:surrounding|around)|"
        r"(?:\w+ern\s+)?(?:outskirts|environs|approaches)\s+(?:of|to))\s+",
        "threatened",
        armed_actor=True,
        weak=True,
    ),
    row(
        "withdraw-to-outside",
        "outside",
        # "government forces appeared to have withdrawn en masse to a base outside the city": they
        # left it
        r"\b(?:withdrew|withdrawn|withdrawing|retreated|retreating|pulled\s+back|pulled\s+out)\s+"
        r"(?:en\s+masse\s+|\w+ly\s+)?to\s+(?:(?:a|an|the|their|its)\s+)?(?:[\w-]+\s+){0,3}?(?:base|"
        r"facility|positions?|camp|barracks|garrison|lines?|hills?)\s+(?:just\s+)?outside\s+(?:of\s+)?",
        "lost",
        armed_actor=True,
        weak=True,
    ),
    row(
        "ordered-to-withdraw",
        "ordered told instructed commanded",
        # "troops were ordered to withdraw from X": the order given, they leave
        r"\b(?:was|were|been|being)\s+(?:\w+ly\s+)?(?:ordered|told|instructed|commanded)\s+to\s+"
        r"(?:withdraw|pull\s+(?:out|back)|retreat|leave)\s+(?:(?:completely|fully)\s+)?"
        r"(?:from\s+|out\s+of\s+)?",
        "lost",
        own_modal=True,
        armed_actor=True,  # ("residents were told to leave X" are no side)
    ),
    row(
        "into-outskirts",
        "outskirts edge edges fringes",
        # "pushed into the outskirts of X", "entered the outskirts of X", "reached the edge of
        # X": at the place, not in it (not captured)
        r"\b(?:entered|entering|enter|enters|pushed|pushing|moved|moving|swept|sweeping|rolled|"
        r"rolling|advanced|advancing|broke|breaking|burst|stormed|storming|reached|reaching|reach|"
        r"reaches|fought\s+(?:their|its|his)\s+way|made\s+it|got)\s+(?:into\s+|to\s+)?the\s+"
        r"(?:\w+ern\s+)?(?:outskirts|edges?|fringes)\s+of\s+",
        "threatened",
        armed_actor=True,
        weak=True,
    ),
    row(
        "take-control",
        "control",
        r"\b(?:took|taken|take|takes|taking|seized|seize|seizes|seizing|gained|gain|gains|gaining|"
        r"established|assumed|secured|wrested|declared|declares|announced|announces|claimed|"
        r"claims|proclaimed)\s+"
        # "seized Friday morning control of Tarhouna"
        r"(?:(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:\s+(?:morning|"
        r"afternoon|evening|night))?\s+)?(?:(?:its|their|his|our)\s+)?"
        r"(?:the\s+)?(?:(?:almost|nearly|near|partial)\s+)?(?:(?:full|complete|total|effective|"
        # ("gained control on Tuesday of the centre of Gondar")
        # ("taken control Axum city": a wire that dropped its "of")
        r"de\s+facto)\s+)?control\s+(?:(?:on\s+)?[A-Z][a-z]+day\s+)?(?:(?:of|over)\s+|(?=[A-Z][a-z]))"
        # ("control of surrounding areas of X", "of the outskirts of X": X itself is not taken)
        r"(?!(?:the\s+)?(?:(?:surrounding|nearby|neighbouring|neighboring)\s+(?:areas|villages|"
        r"hills|heights|countryside)|outskirts|approaches|edges?)\s+of\b)",
        "captured",
    ),
    row(
        "has-control",
        "control",
        # ("extended their control over the whole of X": held, and wider)
        r"\b(?:has|have|had|maintains?|maintained|retains?|retained|keeps?|kept|extended|extends|"
        r"extending|expanded|expands|expanding)\s+(?:(?:its|their|his|our)\s+)?"
        r"(?:(?:full|complete|total|effective|firm|de\s+facto)\s+)?control\s+(?:of|over)\s+",
        "held",
        weak=True,
    ),
    row(
        "take-under-control",
        "control",
        # "had taken the town of Minova under their control"
        r"\b(?:took|taken|take|takes|taking|brought|bring|brings|bringing)\s+",
        "captured",
        needs=under_control,
        armed_actor=True,  # "the deal brought Kherson under UN control" is no capture
    ),
    row(
        "give-up",
        "giving gave give given gives",
        r"\b(?:giving|gave|give|gives|given)\s+up\s+(?:(?:full\s+|complete\s+)?control\s+(?:of|over)\s+)?",
        "lost",
    ),
    row(
        "victory-in",
        "victory",
        r"\b(?:declared|declares|claimed|claims|proclaimed|announced)\s+(?:(?:a|its|their|full|"
        r"final|total)\s+)*victory\s+(?:over\s+[^,.;]{1,40}?\s+)?in\s+",
        "captured",
    ),
    row(
        "regain-control",
        "control",
        r"\b(?:regained|regain|regains|regaining|restored|restores|reestablished|re-established|"
        r"wrested\s+back|wrest\s+back|"
        r"retook|retaken|retake|retakes|retaking|recaptured|(?:took|taken|won)\s+back)\s+"
        r"(?:(?:full|complete|total)\s+)?control\s+(?:of|over)\s+",
        "recaptured",
    ),
    row(
        "lose-control",
        "control",
        r"\blost\s+(?:full\s+|complete\s+)?control\s+(?:of|over)\s+",
        "lost",
    ),
    row(
        "in-control",
        "control",
        r"\b(?:is|are|was|were|remains?|remained)\s+(?:(?:now|still|firmly|fully|also|\w+ly)\s+)*in\s+"
        r"(?:full\s+|complete\s+|firm\s+|effective\s+)?control\s+of\s+",
        "held",
        weak=True,
    ),
    row(
        "retake",
        "retook retaken retake retakes retaking recaptured recapture recaptures recapturing "
        "reclaimed back re",
        # (not an adjective: "the recaptured town of X")
        r"(?<!\b[Tt]he\s)(?<!\bnewly\s)\b(?:retook|retaken|retake|retakes|retaking|recaptured|"
        r"recapture|recaptures|recapturing|reclaimed|re-taken|re-took|re-captured|(?:took|taken|won)\s+back)[\"”’']?\s+",
        "recaptured",
    ),
    row(
        "regain",
        "regained regain regains regaining",
        # "have regained Ouallam" (without "control of", which `regain-control` reads)
        r"\b(?:regained|regain|regains|regaining)\s+(?!(?:full\s+|complete\s+|total\s+)?control\b)",
        "recaptured",
        armed_actor=True,  # "regained Paris's favour", "the party regained Ohio" are no retaking
        weak=True,
    ),
    row(
        "move-into",
        "streamed poured swept rolled marched stormed surged burst pushed moved way",
        # "fighters streamed into X unopposed", "troops rolled into X": entering it
        r"\b(?:streamed|streaming|poured|pouring|swept|sweeping|rolled|rolling|marched|marching|"
        r"stormed|storming|surged|burst|pushed|pushing|moved|moving|fought\s+(?:their|its|his)\s+way)\s+"
        r"into\s+(?:the\s+(?:centre|center|heart)\s+of\s+)?"
        # ("pushed into the outskirts of X" is at its edge: the outskirts row reads a threat)
        r"(?!the\s+(?:\w+ern\s+)?(?:outskirts|suburbs|approaches|edges?)\s+of\b)",
        "captured",
        armed_actor=True,
        weak=True,
    ),
    row(
        "nominal-retake",
        "recapture retaking",
        r"\b(?i:the|its|their|his|our|[A-Z][\w-]+['’]s)\s+(?:[\w’'-]+\s+){0,2}?(?:recapture|retaking)"
        r"\s+of\s+",
        "recaptured",
        nominal=True,
    ),
    row(
        "nominal-capture",
        "capture seizure takeover fall liberation",
        r"\b(?i:the|its|their|his|our|[A-Z][\w-]+['’]s)\s+(?:[\w’'-]+\s+){0,2}?(?:capture|seizure|"
        r"takeover|fall|liberation)\s+of\s+",
        "captured",
        nominal=True,
    ),
    row(
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
    row(
        "nominal-loss",
        "withdrawal retreat pullout departure loss",
        # (scare quotes around the noun: 'The "temporary retreat" from X')
        r"\b(?i:the|its|their|his|our|[A-Z][\w-]+['’]s)\s+[\"“‘']?(?:[\w’'-]+\s+){0,2}?(?:withdrawal|retreat|"
        r"pullout|pull-out|departure)[\"”’']?\s+(?:of\s+[^,.;]{1,40}?\s+)?from\s+|\b(?i:the|its|their|his|our|[A-Z][\w-]+['’]s)\s+"
        r"(?:[\w’'-]+\s+){0,2}?loss\s+of\s+",
        "lost",
        nominal=True,
        needs=not_demanded,  # "called for the withdrawal of troops from X"
    ),
    row(
        "entry-into",
        "entry entrance",
        # "we reported on the entry of Fano fighters into Bahir Dar"
        r"\b(?i:the|their|its|his)\s+(?:[\w’'-]+\s+){0,2}?(?:entry|entrance)\s+(?:of\s+[^,.;]{1,40}?\s+)?"
        r"into\s+",
        "captured",
        nominal=True,
    ),
    row(
        "declared-free",
        "free",
        r"\b(?:declared|declares|proclaimed|announced|announces|said|says)\s+(?:that\s+)?",
        "captured",
        needs=is_free,
    ),
    row(
        "withdraw-troops",
        "withdrew withdrawn withdraw withdraws withdrawing pulled pulling pull evacuated",
        # "withdrew its forces from X", "pulled out its troops from X"
        r"\b(?:withdrew|withdrawn|withdraw|withdraws|withdrawing|pulled|pulling|pull|evacuated)\s+(?:out\s+)?"
        r"(?:(?:its|their|his|our|the|all|all\s+of|remaining|last)\s+)*(?:[\w-]+\s+)?(?:troops|forces|"
        r"units|soldiers|fighters|men)\s+(?:out\s+)?(?:from|of)\s+",
        "lost",
        needs=not_demanded,  # "an ultimatum to the army to withdraw its forces from X"
    ),
    row(
        "desert",
        "deserted deserting leaving left vacated",
        r"\b(?:deserted|deserting|vacated|vacating|leaving|left)\s+",
        "lost",
        armed_actor=True,
        weak=True,
    ),
    row(
        "take-over",
        "took taken take takes taking",
        r"\b(?:took|taken|take|takes|taking)\s+over\s+",
        "captured",
        weak=True,
        war_words=True,
    ),
    row(
        "capture",
        "seized seize seizes seizing captured capture captures capturing liberated liberate freed "
        "frees freeing liberates liberating overran overrun overrunning overruns occupied",
        # (not an adjective: "in the occupied city of Izium", "the liberated town of X")
        r"(?<![-\w])(?<!\b[Tt]he\s)(?<!\bnewly\s)(?:seized|seize|seizes|seizing|captured|capture|"
        r"captures|capturing|liberated|freed|frees|freeing|"
        r"liberate|liberates|liberating|overran|overrunning|overruns|overrun|occupied)[\"”’']?\s+",
        "captured",
    ),
    row(
        "take-enter",
        "took taken take takes taking entered enter enters entering",
        # the same with verbs ordinary news uses for states won and cities visited ("with Trump
        # taking Indiana, Kentucky ...", "took it in 2012"): an armed actor or a war sentence
        r"(?<![-\w])(?:took|taken|take|takes|taking|entered|enter|enters|entering)[\"”’']?\s+",
        "captured",
        war_words=True,
    ),
    row(
        "forced-to-flee",
        "flee fled fleeing flees",
        # "the last security forces fled the provincial capital of Ramadi", "forced poorly armed
        # rebels to flee the eastern town of Brega": they left it
        r"\b(?:fled|flee|fleeing|flees)\s+(?=(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:town|city|village|"
        r"capital|stronghold)\b|[A-Z])",
        "lost",
        armed_actor=True,
    ),
    row(
        "cleansed-of",
        "cleansed cleared purged",
        # state TV: "Brega has been cleansed of armed gangs"
        r"\b(?:has|have|had|was|were)\s+(?:been\s+)?(?:fully\s+|completely\s+)?(?:cleansed|cleared|"
        r"purged)\s+of\s+(?:armed\s+|terrorist\s+)?(?:gangs|terrorists|militants|rebels|insurgents|"
        r"the\s+enemy|enemy\s+forces|fighters)\b",
        "captured",
        "subject",
    ),
    row(
        "moved-into",
        "moved moving",
        # "Opposition forces claimed they moved back into Brega" (armed: not a family's new home)
        r"\b(?:moved|moving)\s+(?:back\s+)?into\s+",
        "captured",
        armed_actor=True,
        weak=True,
    ),
    row(
        "pressure-on",
        "pressure",
        # "Moscow's forces are also mounting intense pressure on the city of Pokrovsk"
        r"\b(?:mounting|piling|increasing|intensifying|heaping|stepping\s+up|ramping\s+up)\s+"
        r"(?:\w+\s+)?pressure\s+on\s+",
        "threatened",
        armed_actor=True,
        weak=True,
    ),
    row(
        "siege-on",
        "siege blockade",
        # "The RSF initiated a siege on El Fasher", "laid siege to Mariupol": an act of laying it
        # ("the siege of Sarajevo" alone is as often a past war's name)
        r"\b(?:initiated|imposed|began|started|launched|tightened|laid|lay|lays|laying|placed|put)\s+"
        r"(?:a\s+|the\s+|its\s+|their\s+)?(?:\w+\s+)?(?:siege|blockade)\s+(?:on|of|to|around)\s+",
        "encircled",
        weak=True,
    ),
    row(
        "secure",
        "secured securing secures",
        # "after securing Homs": an armed group's, and a place (not "secured a deal")
        r"(?<![-\w])(?:secured|securing|secures)\s+(?:full\s+control\s+of\s+)?",
        "captured",
        armed_actor=True,
        weak=True,
    ),
    row(
        "withdraw",
        "withdrew withdrawn withdraw withdraws withdrawing withdrawal retreated retreat retreats "
        "retreating fled pull pulled pulls pulling fell falling fall",
        r"\b(?:withdrew|withdrawn|withdraw|withdraws|withdrawing|withdrawal|retreated|retreat|"
        r"retreats|retreating|fled|(?:pull(?:ed|s|ing)?|fell|falling|fall)\s+back|"
        r"pull(?:ed|s|ing)?\s+out)\s+(?:(?:completely|fully|entirely)\s+)?from\s+"
        r"|\bpull(?:ed|s|ing)?\s+out\s+of\s+",
        "lost",
        needs=not_demanded,  # "demanded that the militia withdraw from X"
    ),
    row(
        "push-out",
        "pushed push pushes pushing drove drive drives driving driven forced forcing chased chase "
        "chasing kicked expelled expel expels expelling ousted oust ousting dislodged dislodge",
        r"\b(?:pushed|push|pushes|pushing|drove|drive|drives|driving|driven|forced|forcing|"
        r"chased|chase|chasing|kicked|expelled|expel|expels|expelling|ousted|oust|ousting|"
        r"dislodged|dislodge)\s+"
        + PUSHED
        # "driven militants of the so-called Islamic State out of X"
        + r"(?:\s+of\s+(?:the\s+)?(?:[\w’'-]+\s+){0,3}?[\w’'-]+)?"
        + r"\s+(?:back\s+)?(?:out\s+of|from)\s+",
        "captured",
        armed_actor=True,
    ),
    row(
        "restore",
        "restored restore restores restoring",
        # "its forces restored Singa city ... from the RSF" (armed: not "restored calm to X")
        r"\b(?:restored|restore|restores|restoring)\s+(?:(?:full\s+)?control\s+(?:of|over)\s+)?",
        "captured",
        armed_actor=True,
        weak=True,
    ),
    row(
        "pushed-out",
        "pushed driven forced chased kicked expelled ousted dislodged",
        r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?(?:pushed|driven|forced|chased|"
        r"kicked|expelled|ousted|dislodged)\s+(?:back\s+)?(?:out\s+of|from)\s+",
        "lost",
        armed_actor=True,
    ),
    row(
        "abandon-positions",
        "positions position bases base posts post trenches defences defenses stronghold "
        "strongholds garrison garrisons",
        r"\b(?:abandoned|abandon|abandons|abandoning|left|leave|leaves|leaving|lost|fled|"
        # "its forces have withdrawn from positions in X"
        r"vacated|vacate|(?:withdrew|withdrawn|withdrawing|retreated|retreating|pulled\s+(?:out|back))"
        r"\s+from|(?:pushed|driven|forced)\s+(?:out\s+)?(?:of|from))\s+"
        + DEFENCES
        + r"\s+(?:in|inside|at)\s+",
        "lost",
    ),
    row(
        "abandon",
        "abandoned abandon abandons abandoning ceded cede surrendered lost losing lose loses hand "
        "handed hands",
        r"\b(?:abandoned|abandon|abandons|abandoning|ceded|cede|surrendered|lost|losing|lose|"
        r"loses|hand(?:ed|s)?\s+over)\s+",
        "lost",
        weak=True,
    ),
    row(
        "have-controlled",
        "controlled",
        # a claim that "his forces have controlled X": took control of it (as the backoff reads
        # it); "has controlled X since 2014" is a hold, which `hold` reads
        r"\b(?:has|have)\s+(?:(?:now|already|reportedly|effectively)\s+)?controlled\s+",
        "captured",
        needs=not_since,
        weak=True,
        war_words=True,
    ),
    row(
        "fully-controlled",
        "controlled",
        # "has ... fully controlled Aksum and Adwa towns last night": took full control
        r"\b(?:fully|completely|totally)\s+controlled\s+",
        "captured",
        weak=True,
    ),
    row(
        "hold",
        "hold holds holding held retain retains retained control controls controlled "
        "controlling defend defends defended defending occupying occupies occupy",
        r"(?<![-\w])(?:hold|holds|holding|held|retain|retains|retained|"
        r"(?<!taken\s)(?<!took\s)(?<!take\s)(?<!taking\s)(?<!seized\s)controls?(?!\s+(?:of|over))|controlled|"
        r"controlling|defend|defends|defended|defending|occupying|occupies|occupy)\s+(?:most\s+of\s+|much\s+of\s+|all\s+of\s+|"
        r"(?:the\s+)?whole\s+of\s+|(?:all\s+|most\s+)?parts\s+of\s+|part\s+of\s+)?",
        "held",
        weak=True,
        war_words=True,  # "Saffron party retains Gopalganj": a seat, in a by-election
    ),
    row(
        "outskirts",
        "outskirts",
        # bases "on the outskirts of" a town are a location, not a threat to it
        r"(?<!bases\s)(?<!base\s)(?<!positions\s)(?<!outposts\s)\b(?:on|at|reached|reach|reaching|"
        r"(?:pushed|pushing|moved|moving|advanced|advancing)\s+into)"
        r"\s+the\s+(?:\w+ern\s+)?outskirts\s+of\s+",
        "threatened",
        needs_before=WAR_WORDS,
        weak=True,
    ),
    row(
        "threshold",
        "threshold gates doorstep",
        r"\b(?:on|at|reached|reach|reaching)\s+the\s+(?:threshold|gates|doorstep)\s+of\s+",
        "threatened",
        needs_before=WAR_WORDS,
        weak=True,
    ),
    row(
        "advance",
        "advancing advanced advance advances moving closing closed close closes bearing approach "
        "heading headed head marching pressing pressed presses pushing pushed converging "
        "approaching approached approaches",
        r"\b(?:advancing|advanced|advance|advances|(?:moving|moved)(?=\s+(?:\w+\s+)?(?:on|towards?)\b)|"
        r"pushing|pushed|(?:pressing|pressed|presses)(?=\s+(?:\w+\s+)?(?:on|towards?|toward)\b)|"
        r"closing\s+in|"
        r"closed\s+in|close\s+in|closes\s+in|bearing\s+down|converging|marching|heading|headed|head)\s+(?:(?:north|south|east|west|"
        r"north-?east|north-?west|south-?east|south-?west|northwards|southwards|eastwards|westwards|"
        r"further|rapidly|quickly|steadily|fast|slowly|gradually|closer|deeper|overnight|today|"
        # a time between the verb and its direction ("advanced on Friday toward X")
        r"yesterday|on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\s+)*"
        r"(?:on|towards?|toward|to|"
        # "advancing close to the centre of X", "advancing slowly to the center of town"
        r"close\s+to)\s+(?:the\s+(?:centre|center|heart)\s+of\s+"
        # "advances towards the southwestern and northeastern entry points to the city of X"
        r"|the\s+(?:[\w-]+\s+(?:and\s+)?){0,3}?(?:entry\s+points|entrances|approaches|gates)\s+"
        r"(?:to|of)\s+)?(?:neighbouring\s+|neighboring\s+|nearby\s+)?|\bapproach(?:ing|ed|es)?\s+",
        "threatened",
        armed_actor=True,
    ),
    row(
        "gathering-outside",
        "outside",
        r"\b(?:gathering|gathered|massing|massed|amassing|amassed|positioned|stationed|dug\s+in|"
        r"regrouping|regrouped)\s+(?:just\s+)?outside\s+(?:of\s+)?",
        "threatened",
        needs_before=WAR_WORDS,
        weak=True,
    ),
    row(
        "fighting-outside",
        "outside",
        r"\b(?i:fighting|clashes|battles)\s+(?:(?:were|was|is|are|have|has|been|reported|raging|"
        r"raged|continued|continuing|broke\s+out|also|still|again)\s+){0,4}(?:just\s+)?outside\s+"
        r"(?:of\s+)?",
        "threatened",
        actorless=True,
    ),
    row(
        "distance-from",
        "kilometres kilometers km miles",
        r"\b(?:(?:are|were|is|was|now|only|just|within|some|about|less\s+than)\s+)+"
        r"(?:\d+|a\s+few|few|several|\w+)\s+(?:kilometres|kilometers|km|miles)\s+"
        r"(?:away\s+)?(?:from|of)\s+",
        "threatened",
        armed_actor=True,
        weak=True,
    ),
    row(
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
    row(
        "tighten-ring",
        "circle ring noose cordon vise vice grip squeeze siege blockade stranglehold chokehold",
        # ("tightened their squeeze around X", "tightening the siege of X")
        r"\b(?:tighten(?:ed|s|ing)?|closed|close|closes|closing)\s+(?:the|their|its|a)\s+"
        r"(?:circle|ring|noose|cordon|vise|vice|grip|squeeze|siege|blockade|stranglehold|"
        r"chokehold)\s+(?:around|round|on|of)\s+",
        "encircled",
    ),
    row(
        "encirclement-of",
        "encirclement",
        r"\b(?:the\s+)?(?:full\s+|complete\s+|total\s+)?encirclement\s+of\s+",
        "encircled",
    ),
    row(
        "fighting-units",
        "fighting battling",
        r"\b(?:units|forces|troops|soldiers|fighters|defenders|we|men)\s+(?:are|were|remain|"
        r"remained)\s+(?:still\s+)?(?:fighting|battling)\s+(?:on\s+)?(?:in|for|inside)\s+"
        r"(?:(?:the\s+)?control\s+(?:of|over)\s+)?",
        "contested",
        weak=True,
    ),
    row(
        "heavy-fighting",
        "heavy fierce intense bitter ongoing raging street house close pitched fresh",
        r"\b(?i:heavy|fierce|intense|bitter|ongoing|raging|street|house-to-house|"
        r"close-quarters|pitched|fresh)\s+(?:fighting|battles|clashes|street\s+fighting|gunbattles|"
        r"gun\s+battles|firefights)[\"”’']?\s+"
        # "heavy fighting is now taking place in A, B and C"
        r"(?:(?:is|are|was|were)\s+(?:now\s+|still\s+)?(?:taking\s+place|under\s+way|underway|raging|"
        r"ongoing)"
        r"\s+)?(?:for|in\s+and\s+around|(?:on|in)\s+the\s+streets\s+of|in\s+the\s+(?:\w+\s+)?areas?\s+of|"
        r"in|inside|around|within|across)\s+(?:control\s+of\s+)?",
        "contested",
        weak=True,
    ),
    row(
        "encircle",
        "encircled encircle encircles encircling surrounded surround surrounds surrounding "
        "besieged besiege besieges besieging blockaded blockading cut",
        # "the besieged city of X" is an adjective: what the text says of X, not a claim
        r"(?<!\b[Tt]he\s)(?<!\ba\s)\b(?:encircled|encircle|encircles|encircling|surrounded|surround|"
        r"surrounds|surrounding|besieged|besiege|besieges|besieging|blockaded|blockading|"
        r"cut\s+off)[\"”’']?\s+",
        "encircled",
        armed_actor=True,  # "surrounding Hillsborough County", "fencing encircling the Capitol"
        weak=True,
    ),
    row(
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
        needs_before=FORCES,
        weak=True,
    ),
    row(
        "engaged-in-fighting",
        "engaged engaging engage",
        # "claimed to have engaged in fighting and destroyed army vehicles in Khan Younis"
        r"\b(?:engaged|engaging|engage)\s+in\s+(?:(?:heavy|fierce|intense|street)\s+)?(?:fighting|"
        r"clashes|battles|combat)\b(?:[^.;:]{0,50}?\s)?(?:in|inside|around)\s+",
        "contested",
        needs_before=FORCES,
        weak=True,
    ),
    row(
        "battle-for",
        "battle battles fighting fight clashes struggle combat",
        r"\b(?i:battles?|fighting|fight|clashes|struggle|combat)\s+for\s+(?:control\s+of\s+)?",
        "contested",
        needs=continues,
        weak=True,
    ),
    row(
        "the-battle-for",
        "battle",
        r"\b(?i:the|an?)\s+(?:[\w-]+\s+){0,2}?battle\s+for\s+(?:(?:the\s+)?control\s+of\s+)?",
        "contested",
        needs=battle_not_over,
    ),
    row(
        "fighting-in",
        "fighting battle battles clashes combat",
        # "tough fighting against the Islamic State continues in Raqqa"
        r"\b(?i:fighting|battles?|clashes|combat)[\"”’']?\s+(?:(?:against|with)\s+[^,.;:]{1,50}?\s+)?"
        r"(?:continues?|continued|rages?|raged|intensif(?:ies|ied|ying)|escalat(?:es|ed|ing)|"
        r"(?:is|are|was|were)\s+(?:still\s+)?(?:raging|under\s+way|underway|ongoing|going\s+on|"
        r"continuing|(?:now\s+)?taking\s+place))\s+"
        r"(?:(?:on\s+\w+|overnight|again|today|still|now)\s+)*(?:(?:in|inside)\s+and\s+around|"
        # "fighting continues on the streets of X", "battles were ongoing in the area of X"
        r"(?:on|in)\s+the\s+streets\s+of|in\s+the\s+(?:\w+\s+)?areas?\s+of|in|for|inside|within)\s+",
        "contested",
        weak=True,
    ),
    row(
        "bring-closer",
        "closer nearer",
        # "seized a hill, bringing it closer to X", "were moving closer toward X"
        r"\b(?:bringing|brought|bring|brings|putting|put|puts|moving|moved|edging|edged|inching|"
        r"inched|drawing|drew|getting|got|coming|came)\s+(?:(?:it|them|him|us|(?:the|their|its)\s+"
        r"[\w-]+(?:\s+[\w-]+)?)\s+)?(?:(?:ever|even|much|still|slightly|steadily)\s+)?(?:closer|nearer)"
        r"\s+(?:to(?:wards?)?|toward)\s+(?:the\s+(?:centre|center|heart|gates)\s+of\s+)?",
        "threatened",
        armed_actor=True,
        weak=True,
    ),
    row(
        "striking-distance",
        "striking distance range encroaching encroached encroach",
        # "within striking distance of X", "within artillery range of X", "encroaching on X"
        r"\bwithin\s+(?:striking|artillery|mortar|rocket|firing|shelling)\s+(?:distance|range)\s+of\s+"
        r"|\b(?:encroaching|encroached|encroach)\s+(?:further\s+)?(?:on|upon)\s+",
        "threatened",
        armed_actor=True,
        weak=True,
    ),
    row(
        "raised-flag",
        "flag flags",
        # "the rebels raised their flag over X": taken, in its takers' sign
        r"\b(?:raised|raising|hoisted|hoisting|planted|planting)\s+(?:their|its|his|the|a)\s+"
        r"(?:[\w-]+\s+)?flags?\s+(?:over|above|in)\s+",
        "captured",
        armed_actor=True,
        weak=True,
    ),
    row(
        "consolidate-grip",
        "grip hold",
        # "the militia was consolidating its grip on X": holding it, and holding it harder
        r"\b(?:consolidat(?:ed|ing|es?)|strengthen(?:ed|ing|s)?|cement(?:ed|ing|s)?|firm(?:ed|ing)\s+up)\s+"
        r"(?:its|their|his|the)\s+(?:grip|hold)\s+(?:on|over|of)\s+",
        "held",
        armed_actor=True,
        weak=True,
    ),
    row(
        "conquer",
        "conquered conquer conquers conquering",
        # "the Mujahideen conquered X" (armed: not "conquered the charts" or a city's fans)
        r"\b(?:conquered|conquer|conquers|conquering)\s+",
        "captured",
        armed_actor=True,
        weak=True,
    ),
    row(
        "repelled-in-area",
        "repelled repulsed repelling",
        # the general staff's "repelled 12 attacks in the area of X": the fight is in X (attacks
        # "repelled near X" are a defence that held: no claim, as the holdout has it)
        r"\b(?:repelled|repulsed|repelling|repulsing)\s+(?:\d+\s+|an?\s+|\w+\s+|several\s+|dozens\s+"
        r"of\s+)?(?:(?:enemy|Russian|Ukrainian)\s+)?(?:attacks?|assaults?|offensives?|attempts?)\s+"
        r"(?:[^,.;]{0,40}?\s)?in\s+the\s+areas?\s+of\s+",
        "contested",
        needs_before=FORCES,
        weak=True,
    ),
    row(
        "sharing-with",
        "sharing share shares shared",
        # an army spokesman's "we are still sharing X with the rebels": neither side holds it
        r"\b(?:sharing|share|shares|shared)\s+(?:control\s+of\s+)?",
        "contested",
        needs=shared_with_enemy,
        weak=True,
    ),
    # subject-shaped rows come after: the place comes before the phrasing
    *SUBJECT_ROWS,
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
