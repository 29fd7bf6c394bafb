"""Why a matching phrase is not an event: history, denial, hypothesis, doubt, sport, elections.

Each check looks at the clause that holds the trigger (a sentence is cut at commas, semicolons,
dashes and a few conjunctions), so "his forces had managed to capture 48 more settlements in
Nagorno-Karabakh, an ethnic Armenian enclave that broke away ... in the 1990s" keeps the capture
and drops only the 1990s clause. A veto returns the reason, for `trace` and for tests.
"""

from __future__ import annotations

import re

# Clause boundaries: punctuation, and conjunctions that start a new statement.
_CLAUSE_BREAK = re.compile(
    # A comma inside a figure ("30,000") is not a clause break.
    r",(?!\d{3}\b)|[;:()\"“”—–]|\s-\s|\b(?:while|whereas|although|though|but|however)\b|\band\s+(?=the\s|it\s|its\s)"
)
HISTORY = re.compile(
    r"\b[Ii]n\s+(?:the\s+)?(?:early\s+|late\s+|mid-?)?(?:[A-Z][a-z]+\s+)?(?:\d{1,2},?\s+)?(?:1[89]|20)\d\d(?:s|['’]s)?\b"
    r"|\b(?:decades?|years?|centuries|century)\s+ago\b"
    r"|\b(?:1[89]|20)\d\ds?\s+(?:war|conflict|fighting|earthquake|genocide|famine|massacre|"
    r"revolution|uprising)\b"
    r"|\bback\s+in\b|\bformerly\b|\bhistorically\b|\bat\s+the\s+time\b"
    r"|\b(?:first|last|previous|earlier|later)\s+(?:war|conflict)\b"
    r"|\bwar\s+in\s+the\s+\d{4}s\b|\bsiege\s+of\s+Leningrad\b"
)
# Deaths that are not the conflict's: a casualty figure next to these words is not a claim.
NOT_CONFLICT = re.compile(
    r"\b(?:earthquakes?|floods?|flooding|hurricanes?|typhoons?|cyclones?|tsunamis?|wildfires?|"
    r"pandemic|coronavirus|covid(?:-19)?|heatwaves?|road\s+accidents?|car\s+crash(?:es)?)\b",
    re.I,
)
DENIAL = re.compile(
    r"\b(?:not|n['’]t|never|no\s+longer|neither|nor|denied|denies|deny|denying|rejected|rejects|"
    r"dismissed|refuted|false|untrue|failed\s+to|fail\s+to|unable\s+to|no\s+one|nobody|none)\b",
    re.I,
)
UNCERTAIN = re.compile(
    r"\b(?:whether|unclear|uncertain|unconfirmed|rumou?rs?|rumou?red|conflicting\s+reports)\b", re.I
)
# Modal or future wording before the trigger. "may have been killed" is an estimate about the
# past, not a hypothesis, so a modal followed by "have" does not count.
HYPOTHETICAL = re.compile(
    r"\b(?:(?:could|might|may|would)(?!\s+have\b)|will|shall|['’]ll|going\s+to|plans?\s+to|"
    r"planning\s+to|intends?\s+to|aims?\s+to|vow(?:s|ed)?\s+to|threaten(?:s|ed)?\s+to|"
    r"expected\s+to|set\s+to|ready\s+to|about\s+to|agreed\s+to|agree\s+to|(?:is|are)\s+to|must|"
    r"should|want(?:s|ed)?\s+to|tried\s+to|try\s+to|trying\s+to|attempt(?:s|ed|ing)?\s+to|"
    r"seek(?:s|ing)?\s+to|sought\s+to|bid\s+to|fears?|feared|if|unless|in\s+case|risk\s+of)\b",
    re.I,
)
SPORT = re.compile(
    r"\b(?:title|league|match|goals?|scored|season|championship|cup|striker|coach|tournament|"
    r"derby|(?:first|second)\s+half|win\s+over|victory\s+over|points|minute)\b",
    re.I,
)
ELECTION = re.compile(
    r"\b(?:elections?|by-election|votes?|voters|seats|ballots?|polls?|constituency|landslide|"
    r"city\s+council|parliamentary)\b",
    re.I,
)


def clause_bounds(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The clause around the span [start, end): from the last break before to the next after."""
    left = 0
    for m in _CLAUSE_BREAK.finditer(sentence, 0, start):
        left = m.end()
    nxt = _CLAUSE_BREAK.search(sentence, end)
    right = nxt.start() if nxt else len(sentence)
    return left, right


def _lead_clause(sentence: str) -> str:
    """A sentence's opening adverbial ("Two decades ago," / "In 2014,"), which governs it all."""
    m = re.match(r"[^,]{1,40},", sentence)
    return m.group() if m else ""


def veto(sentence: str, start: int, end: int, *, kind: str = "control") -> str | None:
    """The reason the trigger at [start, end) is not a current event, or None if it is one.

    ``kind`` is "control" or "casualty": sport and election wording only vetoes control.
    """
    left, right = clause_bounds(sentence, start, end)
    before = sentence[left:end]
    clause = sentence[left:right]
    if HISTORY.search(clause) or HISTORY.search(_lead_clause(sentence)):
        return "history"
    if DENIAL.search(before):
        return "denial"
    if UNCERTAIN.search(before):
        return "uncertain"
    if HYPOTHETICAL.search(before) or HYPOTHETICAL.search(_lead_clause(sentence)):
        return "hypothetical"
    if kind == "casualty" and NOT_CONFLICT.search(sentence):
        return "not-conflict"
    if kind == "control" and SPORT.search(sentence):
        return "sport"
    if kind == "control" and ELECTION.search(sentence):
        return "election"
    return None
