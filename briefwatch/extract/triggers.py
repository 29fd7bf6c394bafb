"""The phrasings of control: one table of triggers, each with a status and a shape.

- object: the place follows the verb ("his forces had taken Shusha", "withdrew from Kherson");
- subject: the place comes first ("Vovchansk fell to ...", "Shushi is out of our control").

Adding a phrasing is adding a row here, plus gold sentences it must and must not fire on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_CONTINUES = re.compile(
    r"\s+(?:[\w’'-]+\s+){0,2}?(?:continues?|continued|continuing|"
    r"(?:is|are|were|was|remains?)\s+(?:still\s+)?(?:ongoing|under\s+way|underway|raging|going\s+on))\b"
)
_BATTLE_OVER = re.compile(r"\s+(?:ended|is\s+over|was\s+won|was\s+lost)\b")


@dataclass(frozen=True)
class Trigger:
    """A control phrasing: regex, status, and where the place is relative to it."""

    name: str
    pattern: re.Pattern[str]
    status: str
    shape: str  # object | subject
    needs: Callable[[str, int], bool] | None = None  # extra check after the place (contested)


def _t(
    name: str,
    regex: str,
    status: str,
    shape: str = "object",
    needs: Callable[[str, int], bool] | None = None,
) -> Trigger:
    return Trigger(name, re.compile(regex), status, shape, needs)


def _continues(sentence: str, pos: int) -> bool:
    return bool(_CONTINUES.match(sentence, pos))


def _battle_not_over(sentence: str, pos: int) -> bool:
    return not _BATTLE_OVER.match(sentence, pos)


_POSS = r"(?P<poss>our|their|his|its|[A-Z][\w’'-]+(?:['’]s)?)"
TRIGGERS: tuple[Trigger, ...] = (
    _t(
        "take-control",
        r"\b(?:took|taken|take|takes|taking|seized|seize|seizes|seizing|gained|"
        r"established|assumed|secured|wrested)\s+(?:full\s+|complete\s+|total\s+)?control\s+(?:of|over)\s+",
        "captured",
    ),
    _t(
        "regain-control",
        r"\b(?:regained|regain|regains|regaining|restored)\s+(?:full\s+)?control\s+(?:of|over)\s+",
        "recaptured",
    ),
    _t("lose-control", r"\blost\s+(?:full\s+|complete\s+)?control\s+(?:of|over)\s+", "lost"),
    _t(
        "in-control",
        r"\b(?:is|are|was|were|remains?|remained)\s+in\s+(?:full\s+|complete\s+|firm\s+)?control\s+of\s+",
        "held",
    ),
    _t(
        "retake",
        r"\b(?:retook|retaken|retake|retakes|retaking|recaptured|recapture|recaptures|"
        r"recapturing|reclaimed|(?:took|taken|won)\s+back)\s+",
        "recaptured",
    ),
    _t(
        "capture",
        r"\b(?:seized|seize|seizes|seizing|captured|capture|captures|capturing|liberated|"
        r"liberate|liberates|liberating|overran|overrun|occupied|took|taken|take|takes|taking|"
        r"entered|enter|enters|entering)\s+",
        "captured",
    ),
    _t(
        "withdraw",
        r"\b(?:withdrew|withdrawn|withdraw|withdraws|withdrawing|retreated|retreat|"
        r"retreats|retreating|fled)\s+from\s+|\bpull(?:ed|s|ing)?\s+out\s+of\s+",
        "lost",
    ),
    _t(
        "abandon",
        r"\b(?:abandoned|abandon|abandons|ceded|cede|surrendered|lost|hand(?:ed|s)?\s+over)\s+",
        "lost",
    ),
    _t(
        "hold",
        r"\b(?:hold|holds|holding|held|retain|retains|retained|controls?(?!\s+(?:of|over))|controlled|"
        r"controlling|defend|defends|defended|defending)\s+(?:most\s+of\s+|much\s+of\s+|all\s+of\s+)?",
        "held",
    ),
    _t("outskirts", r"\b(?:on|at|reached|reach|reaching)\s+the\s+outskirts\s+of\s+", "threatened"),
    _t(
        "advance",
        r"\b(?:advancing|advanced|advance|advances|moving|closing\s+in|closed\s+in|bearing\s+down)\s+"
        r"(?:on|towards?|toward)\s+|\bapproach(?:ing|ed|es)?\s+",
        "threatened",
    ),
    _t(
        "encircle",
        r"\b(?:encircled|encircle|encircles|encircling|surrounded|surround|surrounds|"
        r"surrounding|besieged|besiege|besieges|besieging|blockaded|blockading|cut\s+off)\s+",
        "encircled",
    ),
    _t(
        "battle-for",
        r"\b(?i:battles?|fighting|fight|clashes|struggle|combat)\s+for\s+(?:control\s+of\s+)?",
        "contested",
        needs=_continues,
    ),
    _t("the-battle-for", r"\b(?i:the)\s+battle\s+for\s+", "contested", needs=_battle_not_over),
    _t(
        "fighting-in",
        r"\b(?i:fighting|battles?|clashes|combat)\s+(?:continues?|continued|rages?|raged|"
        r"(?:is|are|was|were)\s+(?:still\s+)?(?:raging|under\s+way|underway|ongoing|going\s+on))\s+"
        r"(?:(?:on\s+\w+|overnight|again|today|still)\s+)*(?:in|for|inside|within)\s+",
        "contested",
    ),
    # subject-shaped: the place comes before
    _t("fell", r"\b(?:has\s+|had\s+|have\s+)?(?:fallen|fell)\b(?:\s+to\b)?", "captured", "subject"),
    _t(
        "passive-capture",
        r"\b(?:was|were|is|are|been)\s+(?:\w+ly\s+)?(?:captured|taken|seized|"
        r"liberated|overrun|occupied)\b(?:\s+by\b)?",
        "captured",
        "subject",
    ),
    _t(
        "passive-retake",
        r"\b(?:was|were|is|are|been)\s+(?:\w+ly\s+)?(?:recaptured|retaken)\b(?:\s+by\b)?",
        "recaptured",
        "subject",
    ),
    _t(
        "is-encircled",
        r"\b(?:is|are|was|were|been|remains?|remained)\s+(?:(?:now|almost|nearly|"
        r"completely|fully|effectively|still)\s+)*(?:encircled|surrounded|besieged|blockaded|cut\s+off|"
        r"under\s+(?:siege|blockade))\b(?:\s+by\b)?",
        "encircled",
        "subject",
    ),
    _t(
        "came-under",
        rf"\b(?:came|come|comes|fell|fallen)\s+under\s+(?:the\s+)?(?:full\s+)?{_POSS}\s+control\b",
        "captured",
        "subject",
    ),
    _t(
        "under-control",
        rf"\b(?:is|are|was|were|remains?|remained|been)\s+(?:(?:now|still|firmly|"
        rf"fully|again|completely)\s+)*under\s+(?:the\s+)?(?:full\s+|firm\s+)?{_POSS}\s+control\b",
        "held",
        "subject",
    ),
    _t(
        "out-of-control",
        rf"\b(?:is|are|was|were|remains?|been)\s+(?:(?:now|completely|totally|fully|"
        rf"\w+ly)\s+)*out\s+of\s+{_POSS}\s+control\b",
        "lost",
        "subject",
    ),
    _t(
        "is-contested",
        r"\b(?:is|are|was|were|remains?|remained)\s+(?:\w+ly\s+)*contested\b",
        "contested",
        "subject",
    ),
    _t(
        "is-lost",
        r"\b(?:is|was|has\s+been|had\s+been)\s+lost\b(?!\s+(?:to|control))",
        "lost",
        "subject",
    ),
)
