"""What a control claim can be about: a town, city or village, not a country, a region or a word.

One test for every reader that looks for the place of a control verb (the backoff, the threat,
hold and relative-clause readers): the text typed it ("the town of X", "A and B towns"), config
names it, or the gazetteer knows a populated place of that name above a small size (any size in
a country the desk watches).
"""

from __future__ import annotations

import re

from briefwatch.extract.backoff_lexicon import REGION_AFTER, REGION_NAME, SETTLEMENT_KINDS, SMALLEST
from briefwatch.extract.places import PlaceBook, PlaceMention
from briefwatch.extract.sides import is_country

__all__ = ["settlement"]

_TYPED_LIST_AFTER = re.compile(
    r"(?:\s*(?:,|\band\b)\s*(?:[A-Z][\w’'-]*)(?:\s+[A-Z][\w’'-]*)?)+\s+(?:towns|villages|cities|"
    r"settlements)\b"
)


def settlement(sentence: str, p: PlaceMention, book: PlaceBook) -> bool:
    """Whether a mention in ``sentence`` is a town, city or village. (For a mention from an
    earlier sentence pass ``sentence=""``: the words after it are not this sentence's.)"""
    if is_country(p.name) or REGION_AFTER.match(sentence, p.end) or REGION_NAME.search(p.name):
        return False
    if p.kind is not None:
        return p.kind in SETTLEMENT_KINDS
    if _TYPED_LIST_AFTER.match(sentence, p.end):
        return True  # "A and B towns": the list's type noun
    if book.configured(p.name):
        return True
    size = book.population(p.name)
    return size is not None and (size >= SMALLEST or book.in_countries(p.name))
