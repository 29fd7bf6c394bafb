"""Figures in text: digits, number words, vague amounts, ranges and their qualifiers.

Every figure becomes a `Quantity` range with a qualifier, never a made-up exact number:

- exact ``two`` -> 2..2; a range ``between 10 and 15`` / ``10 to 15`` -> 10..15 (exact bounds)
- at_least ``more than 1,000`` -> 1000..None (the low end is the number itself)
- at_most ``up to 400`` / ``fewer than 10`` -> 0..N (nothing is known about the low end)
- approx ``about 250`` / ``nearly two million`` -> N..N
- vague ``dozens`` -> 24..None, the smallest honest reading of the word
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefwatch.extract.lexicon import scanning, sentence_words

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# No group of people is larger than the world's population: a longer numeral is an identifier,
# a phone number or hostile input (a 300-digit number once overflowed the float reading below),
# and it is no figure at all.
MAX_FIGURE = 10_000_000_000
_MAX_DIGITS = len(str(MAX_FIGURE))

# Vague amounts: the low end is the smallest honest reading ("dozens" is at least two dozen).
VAGUE = {
    "hundreds of thousands": 200_000,
    "tens of millions": 20_000_000,
    "tens of thousands": 20_000,
    "several hundred thousand": 300_000,
    "several thousand": 3_000,
    "several hundred": 300,
    "several dozen": 24,  # as the real-text labels read it (not 3 x 12): "dozens"
    "a few hundred": 200,
    "a few thousand": 2_000,
    "millions": 2_000_000,
    "thousands": 2_000,
    "hundreds": 200,
    "scores": 40,
    "dozens": 24,
    "several": 3,  # "left several people dead": the smallest honest reading, as the others
    # "tens of others wounded": as "tens of thousands" is 20,000 (the real-text labels); only
    # before "of" (see `_TENS_OF`)
    "tens": 20,
}

QUALIFIERS = {
    "more than": "at_least", "over": "at_least", "at least": "at_least",
    "upwards of": "at_least", "in excess of": "at_least", "no fewer than": "at_least",
    "no less than": "at_least", "just over": "at_least", "well over": "at_least",
    "up to": "at_most", "fewer than": "at_most", "less than": "at_most", "no more than": "at_most",
    "at most": "at_most", "as many as": "at_most", "under": "at_most", "just under": "at_most",
    "about": "approx", "around": "approx", "nearly": "approx", "almost": "approx",
    "some": "approx", "approximately": "approx", "roughly": "approx", "an estimated": "approx",
    "estimated": "approx", "close to": "approx", "an approximate": "approx",
}  # fmt: skip

_WORD = r"(?:" + "|".join(sorted([*UNITS, *SCALES], key=len, reverse=True)) + r")"
# "one hundred and twelve", "forty-eight", "two hundred thousand", "a thousand"
_UNIT = r"(?:" + "|".join(sorted(UNITS, key=len, reverse=True)) + r")"
_WORDS = (
    rf"(?:half\s+a\s+(?:million|billion)|an?\s+(?:hundred|thousand|million)|{_UNIT})"
    rf"(?:(?:[\s-]+|(?<=hundred)\s+and\s+|(?<=thousand)\s+and\s+){_WORD})*"
)
# "2,317", "40,005", "1.5 million", "11 million". Not "Mi-24", "3-1", "12-year-old", "+44", "$250".
_DIGITS = (
    r"(?<![\w$€£+#/.,-])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
    r"(?:\s+(?:million|billion|thousand))?(?![\w%]|-\w|[.,]\d)"
)
_NUMBER = rf"(?:{_DIGITS}|\b{_WORDS}\b(?!-\w))"
# "25-30 soldiers": a range written with a dash. Scores ("3-1") and ages ("12-year-old") look
# the same, so a dash range only counts when it rises and a group noun follows (`needs_noun`).
_PLAIN = r"\d{1,3}(?:,\d{3})+|\d+"
DASH_RANGE = scanning(
    rf"(?<![\w$€£+#/.,-])(?P<a>{_PLAIN})\s?[-–]\s?(?P<b>{_PLAIN})(?![\w%]|-\w|[.,]\d)"
)
_QUAL = r"(?:" + "|".join(sorted(QUALIFIERS, key=len, reverse=True)) + r")"
_VAGUE = r"(?:" + "|".join(sorted(VAGUE, key=len, reverse=True)) + r")"

# Numbers are found by their core; the qualifier and a range's second half are read around it
# (one pass over the sentence instead of one per phrasing: this is the hot loop).
NUMBER = scanning(_NUMBER, re.I)
# A sentence with no digit, or no number word, is scanned for the other kind of figure only.
_DIGITS_ONLY = scanning(_DIGITS, re.I)
_WORDS_ONLY = scanning(rf"\b{_WORDS}\b(?!-\w)", re.I)
QUALIFIER_BEFORE = scanning(rf"\b(?P<q>{_QUAL})\s+$", re.I)
BETWEEN_BEFORE = scanning(r"\bbetween\s+$", re.I)
RANGE_AND = scanning(rf"\s+and\s+(?P<b>{_NUMBER})", re.I)
RANGE_TO = scanning(rf"\s+(?:to|or)\s+(?P<b>{_NUMBER})\b", re.I)
VAGUE_AMOUNT = scanning(rf"\b(?P<v>{_VAGUE})\b", re.I)
# "a dozen", "three dozen", "half a dozen", "two to three dozen" (24..36)
DOZEN = scanning(
    rf"(?:\b(?P<q>{_QUAL})\s+)?\b(?:(?P<n0>{_UNIT})\s+(?:to|or)\s+)?(?P<n>half\s+a|{_UNIT}|a)\s+"
    r"dozen\b(?!s)",
    re.I,
)
_VAGUE_HINT = scanning(r"dozen|hundreds|thousands|scores|millions|several|few|\btens\b", re.I)
_TENS_OF = scanning(r"\s+of\s+(?!\d)", re.I)
_SPLIT_WORDS = scanning(r"[\s-]+")
_DIGIT = scanning(r"\d")
_FOLDED = scanning("[\u017f\u0131\u0130\u212a]")  # ſ ı İ K: letters that case-fold to ASCII ones
# Words without which a sentence has no figure in words (a cheap pre-filter).
_FIGURE_WORDS = frozenset(
    {
        *UNITS,
        *SCALES,
        "half",
        "dozen",
        "dozens",
        "scores",
        "hundreds",
        "thousands",
        "millions",
        "several",
        "tens",
    }
)


@dataclass(frozen=True)
class Quantity:
    """A figure found in a sentence, with where it is (qualifier included in the span)."""

    low: int
    high: int | None
    qualifier: str
    start: int
    end: int
    text: str
    needs_noun: bool = False  # a dash range: only a figure when a group noun follows


def parse_number(text: str) -> int | None:
    """The integer a numeral or number-word phrase stands for, or None if it is not one (or is
    larger than any group of people, `MAX_FIGURE`).

    >>> parse_number("one hundred and twelve"), parse_number("2,317"), parse_number("1.5 million")
    (112, 2317, 1500000)
    """
    cleaned = text.strip().lower().replace(",", "")
    parts = cleaned.split()
    if parts and re.fullmatch(r"\d+(?:\.\d+)?", parts[0]):
        if len(parts[0].partition(".")[0]) > _MAX_DIGITS:
            return None  # (before float(), which turns 400 digits into infinity)
        value = float(parts[0])
        if len(parts) == 2 and parts[1] in SCALES:
            value *= SCALES[parts[1]]
        elif len(parts) > 1:
            return None
        return _figure(value)
    total = current = 0
    seen = False
    for word in _SPLIT_WORDS.split(cleaned):
        if word in ("and", ""):
            continue
        if word == "half":
            current = 0.5  # "half a million": the scale word below makes it whole
        elif word in ("a", "an"):
            current = current or 1
        elif word in UNITS:
            current += UNITS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in SCALES:
            total += (current or 1) * SCALES[word]
            current = 0
        else:
            return None
        seen = True
    return _figure(total + current) if seen else None


def _figure(value: float) -> int | None:
    """``value`` as a whole figure, or None beyond `MAX_FIGURE` ("a billion billion ...")."""
    return round(value) if value <= MAX_FIGURE else None


def _with_qualifier(value: int, qualifier: str | None) -> tuple[int, int | None, str]:
    kind = QUALIFIERS.get(qualifier.lower(), "exact") if qualifier else "exact"
    if kind == "at_least":
        return value, None, kind
    if kind == "at_most":
        return 0, value, kind
    return value, value, kind


_MONTH_BEFORE = scanning(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+$")


def find_quantities(sentence: str) -> list[Quantity]:
    """All figures in a sentence, left to right, without overlaps (ranges win over parts)."""
    digits = _DIGIT.search(sentence) is not None
    figure_words = not _FIGURE_WORDS.isdisjoint(sentence_words(sentence))
    if not digits and not figure_words:
        return []  # no digit and no number word: the regexes below cannot match
    if digits and not figure_words and not _FOLDED.search(sentence):
        number = _DIGITS_ONLY  # (a letter that folds to a unit word's, "ſix", may make one)
    else:
        number = _WORDS_ONLY if not digits else NUMBER
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    def add(q: Quantity) -> None:
        found.append(q)
        taken.append((q.start, q.end))

    if _VAGUE_HINT.search(sentence):
        for m in VAGUE_AMOUNT.finditer(sentence):
            if m["v"].lower() == "tens" and not _TENS_OF.match(sentence, m.end()):
                continue  # "the tens column", "tens" alone: no amount
            add(Quantity(VAGUE[m["v"].lower()], None, "vague", m.start(), m.end(), m.group()))
        for m in DOZEN.finditer(sentence):
            if free(m.start(), m.end()):
                n = m["n"].lower()
                dozens = 0.5 if n.startswith("half") else UNITS.get(n, 1)
                low, high, kind = _with_qualifier(round(12 * dozens), m["q"])
                if m["n0"] and UNITS[m["n0"].lower()] < dozens:  # "two to three dozen"
                    approx = kind == "approx"
                    low, high, kind = (
                        12 * UNITS[m["n0"].lower()],
                        high,
                        "approx" if approx else "exact",
                    )
                add(Quantity(low, high, kind, m.start(), m.end(), m.group()))
    if "-" in sentence or "–" in sentence:
        for m in DASH_RANGE.finditer(sentence):
            low, high = parse_number(m["a"]), parse_number(m["b"])
            if low is None or high is None or low >= high:
                continue
            lookback = max(0, m.start() - 25)
            qual = QUALIFIER_BEFORE.search(sentence, lookback, m.start())
            approx = qual is not None and QUALIFIERS[qual["q"].lower()] == "approx"
            start = qual.start() if approx else m.start()
            kind = "approx" if approx else "exact"
            add(Quantity(low, high, kind, start, m.end(), sentence[start : m.end()], True))
    for m in number.finditer(sentence):
        value = parse_number(m.group())
        if value is None or not free(m.start(), m.end()):
            continue
        lookback = max(0, m.start() - 25)
        qual = QUALIFIER_BEFORE.search(sentence, lookback, m.start())
        start = qual.start() if qual else m.start()
        between = BETWEEN_BEFORE.search(sentence, lookback, m.start())
        tail = (RANGE_AND if between else RANGE_TO).match(sentence, m.end())
        if tail and _MONTH_BEFORE.search(sentence, lookback, m.start()):
            tail = None  # "the toll since October 8 to 121": a day, then the figure
        high = parse_number(tail["b"]) if tail else None
        if tail and high is not None and value < high:
            start = between.start() if between else start
            approx = qual is not None and QUALIFIERS[qual["q"].lower()] == "approx"
            kind = "approx" if approx else "exact"
            add(Quantity(value, high, kind, start, tail.end(), sentence[start : tail.end()]))
            continue
        low, high, kind = _with_qualifier(value, qual["q"] if qual else None)
        add(Quantity(low, high, kind, start, m.end(), sentence[start : m.end()]))
    return sorted(found, key=lambda q: q.start)
