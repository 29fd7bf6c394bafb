"""Denials that point back at a claim instead of restating it.

    "The enemy claims that it has captured Tabaivka. This is not true," the spokesman said.
    "... it had seized the village of Novenke. These claims were denied by Colonel X."
    "The army said it had liberated X. This does not correspond to reality," a spokesman said.
    "Houthi forces claimed to have seized Mokha, a claim the coalition rejected."

A denial of a change of hands is a claim of its own (DESIGN.md: a denial is a claim): the place
is contested, said by the denier. When the denial restates what it denies ("denied that the
town had fallen") the trigger reads it (`control._denied`); this module finds the denials that
only refer back - "this", "these claims", "a claim X rejected" - so the pipeline can give the
places of the claims just made to the denier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefwatch.extract.lexicon import scanning, words

_CLAIM_NOUN = (
    r"(?:claims?|reports?|statements?|allegations?|assertions?|announcements?|accounts?|version)"
)
# A denial may name the change it denies instead of the claim: "denied any such advance",
# "rejected the capture" (the claim just made is denied all the same)
_CHANGE_NOUN = r"(?:capture|seizure|fall|takeover|advances?|gains?|breakthrough|loss)"
_FALSE = (
    r"(?:not\s+true|false|untrue|fake|a\s+lie|lies|baseless|unfounded|groundless|fabricated|"
    r"disinformation|propaganda|nonsense)"
)
_DENY = r"(?:denied|denies|rejected|rejects|refuted|refutes|dismissed|dismisses|disputed|disputes)"
BACK_DENIAL = scanning(
    # "This is not true", "These claims are false"
    rf"\b(?:this|that|it|these|those|such|the)\s+(?:{_CLAIM_NOUN}\s+)?(?:is|was|are|were)\s+"
    # ('told reporters the claim was "not true"')
    rf"[\"“‘']?(?:\w+\s+)?{_FALSE}\b"
    # "Ukraine's army refuted the claim", "Kyiv denied it"
    rf"|\b(?P<verb>{_DENY})\s+(?:(?:the|these|this|those|such|that|its|their|any)\s+)?"
    rf"(?:[\w’'-]+\s+)?(?:{_CLAIM_NOUN}|{_CHANGE_NOUN}|it|this|them)\b(?!\s+(?:that|of|about)\b)"
    # "These claims were denied by Colonel X", "This was promptly denied by X"
    rf"|\b(?:{_CLAIM_NOUN}|this|that)\s+(?:was|were|have\s+been|has\s+been)\s+(?:\w+ly\s+)?"
    rf"{_DENY}(?:\s+by\s+(?P<by>))?"
    # the reporter's "..., which does not appear to be the case", "This is not the case"
    r"|(?P<reporter>,\s+which\s+(?:does|did)\s+not\s+(?:appear|seem)\s+to\s+be\s+the\s+case\b)"
    r"|\b(?:this|that|it)\s+(?:is|was)\s+not\s+the\s+case\b"
    # "This does not correspond to reality", "it has nothing to do with reality"
    r"|\b(?:this|that|it|these|those|such\s+\w+)\s+(?:does|do|did)\s+not\s+correspond\s+to\s+"
    r"(?:the\s+)?(?:reality|truth|facts)\b"
    r"|\b(?:this|that|it)\s+(?:has|have|had)\s+nothing\s+to\s+do\s+with\s+(?:the\s+)?reality\b"
    # "Maputo continued to deny that this was so"
    rf"|\b(?:deny|denied|denies|denying)\s+(?:that\s+)?(?:this|it|that)\s+(?:was|is|were|had|has)\b"
    # "- a claim immediately denied by Kyiv", "a claim rejected by the army"
    rf"|\ba\s+claim\s+(?:(?:that\s+was|which\s+was)\s+)?(?:\w+ly\s+)?{_DENY}\s+by\s+(?P<by2>)"
    # "a claim the coalition rejected", "..., which Kyiv denied"
    rf"|(?:\ba\s+claim\s+(?:that\s+)?|,\s+which\s+)(?P<who>)(?:the\s+)?(?:[\w’'-]+\s+){{1,4}}?"
    rf"{_DENY}\b"
    # "Kyiv called the claim a lie", "dismissed the reports as propaganda"
    rf"|\b(?P<verb2>called|calls|described|describes|branded|brands|dismissed|dismisses)\s+"
    rf"(?:the|these|this|those|such|that|its|their)\s+(?:[\w’'-]+\s+)?{_CLAIM_NOUN}\s+"
    rf"(?:as\s+)?(?:an?\s+)?(?:\w+\s+)?{_FALSE}\b"
    # "Russia's claim of capturing X was rejected by Ukraine": the claim's own words inside
    # (a change of hands among them: "reports of looting were denied" deny no capture)
    rf"|\b{_CLAIM_NOUN}\s+(?:of|to\s+have)\s+[^,.;:]{{0,30}}?\b(?:captur|seiz|tak|took|fall|"
    rf"fell|control|withdr|retreat|liberat|recaptur|retak|retook|enter|overr)[^,.;:]{{0,40}}?"
    rf"\s+(?:was|were|has\s+been|"
    rf"have\s+been)\s+(?:\w+ly\s+)?{_DENY}(?P<inside>)(?:\s+by\s+(?P<by3>))?",
    re.I,
)
# "Kyiv called the claim false", "branded the reports propaganda": the caller, who opens the
# clause, denies (a pattern of its own, run only beside its verbs: it may start at any clause)
_CALLED_FALSE = re.compile(
    r"(?:^|(?<=,\s)|(?<=;\s))(?:(?:but|and)\s+)?(?P<who>)(?:[\w’'-]+\s+){1,4}?(?:\w+ly\s+)?"
    r"(?:called|branded|described|labelled|labeled)\s+(?:the|these|this|those|such|that|it|them)"
    rf"\s+(?:{_CLAIM_NOUN}\s+)?(?:as\s+)?[\"“‘']?{_FALSE}\b",
    re.I,
)
_CALLING = words("called branded described labelled labeled")
# Words one of which a back-denial contains (the cheap pre-filter).
KEYS = words(
    """true false untrue fake lie lies baseless unfounded groundless fabricated disinformation
    propaganda nonsense denied denies deny denying rejected rejects refuted refutes dismissed
    dismisses disputed disputes correspond reality case"""
)


@dataclass(frozen=True)
class BackDenial:
    """A denial that refers to a claim already made, and where the denier is named."""

    start: int  # where the denial starts (its speaker is the one speaking there)
    by: int | None  # where a denier named by the denial itself starts ("denied by X")
    verb: int | None = None  # where its own verb starts ("..., but Kyiv denied the claim")
    # the reporter's own doubt after a claim ("..., which does not appear to be the case"): no
    # one in the text denies it, so the place is contested with no claimant
    reporter: bool = False


def find_back_denial(sentence: str, tokens: frozenset[str]) -> BackDenial | None:
    """The denial in ``sentence`` that refers back to claims made before it, if any."""
    if KEYS.isdisjoint(tokens):
        return None
    m = BACK_DENIAL.search(sentence)
    called = None if _CALLING.isdisjoint(tokens) else _CALLED_FALSE.search(sentence)
    if called and (m is None or called.start() < m.start()):
        return BackDenial(called.start(), called.start("who"))
    if m is None:
        return None
    if m.group("reporter") is not None:
        return BackDenial(m.start(), None, reporter=True)
    if m.group("inside") is not None:
        # the claim it denies lies inside the denial's own words: they all come before its end
        by = m.start("by3") if m.group("by3") is not None else None
        return BackDenial(m.end("inside"), by)
    for name in ("by", "by2", "who"):
        if m.group(name) is not None:
            return BackDenial(m.start(), m.start(name))
    verb = next((m.start(v) for v in ("verb", "verb2") if m.group(v) is not None), None)
    return BackDenial(m.start(), None, verb)
