"""How much of a text extraction reads: a safety net against hostile or broken pages.

Reading is linear in the text, but a 5 MB page or a 30,000-word "sentence" is no briefing: it
costs a pass seconds, and a claim read from it would quote a sentence far longer than any alert
can carry. So a text is read up to `MAX_TEXT` characters and each sentence up to
`MAX_SENTENCE`, cut at the last clause boundary (else word boundary) before the cap. Every cut is
recorded as a `Cut` on the extraction, never silent: the longest sentence of the gold and
real-dev sets is under 400 characters, the longest text under 1,000.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefwatch.extract.claims import Cut
from briefwatch.extract.sentences import Sentence

MAX_TEXT = 200_000  # characters of a text read (a long feature is ~40,000)
MAX_SENTENCE = 2_000  # characters of one sentence read (a long news sentence is ~400)

# Where a sentence may be cut and still read as a clause: after a comma, semicolon, colon or dash.
_CLAUSE_END = re.compile(r"[,;:—–]\s|\s[-—–]\s")


def _cut_point(text: str, cap: int) -> int:
    """Where to cut ``text`` to at most ``cap`` characters: after the last clause boundary in
    its second half, else at the last space, else at the cap."""
    half = cap // 2
    ends = [m.start() for m in _CLAUSE_END.finditer(text, half, cap)]
    if ends:
        return ends[-1] + 1
    space = text.rfind(" ", half, cap)
    return space if space > 0 else cap


def cap_text(text: str | Sequence[str], cap: int = MAX_TEXT) -> tuple[str | Sequence[str], int]:
    """The text to read (whole paragraphs while they fit, the last one cut) and the length it
    had, in characters."""
    if isinstance(text, str):
        if len(text) <= cap:
            return text, len(text)
        return text[: _cut_point(text, cap)], len(text)
    length = sum(map(len, text))
    if length <= cap:
        return text, length
    kept: list[str] = []
    room = cap
    for paragraph in text:
        if len(paragraph) > room:
            kept.append(paragraph[: _cut_point(paragraph, room)] if room > 1 else "")
            break
        kept.append(paragraph)
        room -= len(paragraph)
    return kept, length


def text_cut(length: int, kept: int, sentences: int, cap: int = MAX_TEXT) -> Cut:
    """The record of a text read only up to ``kept`` of its ``length`` characters."""
    return Cut("text", sentences, length, kept, f"text longer than {cap} characters")


def cap_sentences(
    sentences: list[Sentence], cap: int = MAX_SENTENCE
) -> tuple[list[Sentence], list[Cut]]:
    """Each sentence as read (cut to ``cap`` characters at a clause boundary) and the cuts."""
    if all(len(s.text) <= cap for s in sentences):
        return sentences, []
    out: list[Sentence] = []
    cuts: list[Cut] = []
    for s in sentences:
        if len(s.text) > cap:
            kept = s.text[: _cut_point(s.text, cap)].rstrip(" ,;:—–-")
            why = f"sentence longer than {cap} characters"
            cuts.append(Cut("sentence", s.position, len(s.text), len(kept), why))
            s = Sentence(kept, s.position, s.paragraph)
        out.append(s)
    return out, cuts
