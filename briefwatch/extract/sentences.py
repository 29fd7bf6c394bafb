"""Split plain text or paragraphs into sentences that keep their index.

Survives the things newswire text is full of: abbreviations ("Nov. 9", "U.S.", "Mr.", "Gen."),
initials, and quotations: a quote that spans several sentences stays one sentence, so the
"he said" after it attributes everything inside it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from briefwatch.extract.lexicon import words

# A boundary: terminal punctuation, optional closing quotes/brackets, space, then something that
# can start a sentence (capital, digit or an opening quote).
_BOUNDARY = re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“‘(]?[A-Z0-9])")
_WORD_BEFORE_DOT = re.compile(r"([\w.]+)\.$")
_BLANK_LINE = re.compile(r"\n\s*\n")
_INITIALISM = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$|^[A-Z]$")

# Lowercase, without the final dot. Months are here so "Nov. 9" never ends a sentence.
ABBREVIATIONS = words(
    """
    mr mrs ms dr prof gen lt col maj capt sgt cpl adm brig cmdr gov sen rep rev st mt ft
    jr sr no nos vs etc al approx est dept univ inc ltd corp co jan feb mar apr jun jul
    aug sep sept oct nov dec
    """
)


@dataclass(frozen=True)
class Sentence:
    """One sentence, its index in the whole input, and the paragraph it came from."""

    text: str
    position: int
    paragraph: int


def paragraphs(text: str | Sequence[str]) -> list[str]:
    """Paragraphs with their inner line breaks and runs of spaces collapsed.

    A string is split on blank lines (hard-wrapped lines inside a paragraph are joined);
    a sequence is taken as paragraphs already.
    """
    parts = _BLANK_LINE.split(text) if isinstance(text, str) else list(text)
    # (split() and \s agree on what is a space: runs collapse to one, the ends go; no regex)
    cleaned = (" ".join(part.split()) for part in parts)
    return [p for p in cleaned if p]


def _quote_depth_ok(paragraph: str) -> bool:
    """True when the paragraph's double quotes balance, so depth tracking can be trusted."""
    straight = paragraph.count('"')
    return straight % 2 == 0 and paragraph.count("“") == paragraph.count("”")


class _QuoteDepth:
    """Whether a double quote opened in a paragraph is still open at a point, counted on from
    the last point asked (so a paragraph of n sentences costs n, not n squared: counting from
    its start at each boundary made a 500 KB paragraph take seconds)."""

    def __init__(self, paragraph: str) -> None:
        self.paragraph = paragraph
        self.upto = 0
        self.straight = self.opening = self.closing = 0

    def open_at(self, end: int) -> bool:
        """Whether a quote is open in ``paragraph[:end]`` (``end`` never moves back)."""
        p, lo = self.paragraph, self.upto
        self.straight += p.count('"', lo, end)
        self.opening += p.count("“", lo, end)
        self.closing += p.count("”", lo, end)
        self.upto = end
        return self.straight % 2 == 1 or self.opening > self.closing


def split_paragraph(paragraph: str) -> list[str]:
    """Sentences of one paragraph, in order."""
    track_quotes = _quote_depth_ok(paragraph)
    depth = _QuoteDepth(paragraph)
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        head = paragraph[start : match.end()]
        if paragraph[match.start()] == ".":
            # the word before the dot is within the last run of non-spaces: only that is searched
            # (searching the whole sentence so far tried every word of it)
            space = paragraph.rfind(" ", start, match.start())
            word = _WORD_BEFORE_DOT.search(
                paragraph, start if space < 0 else space + 1, match.start() + 1
            )
            token = word.group(1) if word else None
            if token and (token.lower() in ABBREVIATIONS or _INITIALISM.match(token)):
                continue
        # Closing punctuation that belongs to the quote is inside `head`; only split when the
        # quote is closed by then.
        if track_quotes and depth.open_at(match.end()):
            continue
        pieces.append(head.strip())
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        pieces.append(tail)
    return pieces


def split_sentences(text: str | Sequence[str]) -> list[Sentence]:
    """All sentences of the input, numbered from 0 across paragraphs."""
    out: list[Sentence] = []
    for p_index, paragraph in enumerate(paragraphs(text)):
        for sentence in split_paragraph(paragraph):
            out.append(Sentence(sentence, len(out), p_index))
    return out
