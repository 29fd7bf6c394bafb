"""Near-duplicate bodies: one story however many outlets carry it.

A body is reduced to the set of its word 5-shingles, after stripping what differs between copies
of one wire story (datelines, bylines, copyright lines, "Read more", newsletter prompts). A
MinHash signature of that set (datasketch; 128 permutations) estimates the Jaccard similarity of
two bodies, and 32 bands of 2 values (from its first 64 values) are the keys of a
locality-sensitive index: two bodies that share a band are candidates, compared on their full
signatures.

Copies of one story are cut short, lengthened by a paragraph or given another ending, so the
decision also estimates *containment* (how much of the shorter body the longer one holds): a
copy cut to half its length has Jaccard ~0.5 but containment ~1. Two daily briefings on the same
war share a few background paragraphs, which keeps both measures low.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from types import ModuleType

import numpy as np

from briefwatch.dedupe import normalise
from parsers.boilerplate import clean_paragraphs

NUM_PERM = 128
SCHEME = "affine32"  # datasketch 2's collision-free permutations; values are uint32
# The LSH index: bodies sharing any band are compared. A band of r values is shared with
# probability J^r, so 32 bands find a body of Jaccard J with probability 1 - (1 - J^r)^32. A copy
# cut to 40% of the story has J ~0.4: with r = 4 it is found 56% of the time (the containment test
# below never sees it), with r = 2 99.6%. Measured on eval/stories over 30 permutation seeds:
# recall 0.912 (min 0.768) with 32x4, 0.965 (min 0.947) with 32x2, no loss of precision; 64x2 is
# no better and doubles the story_band rows. See eval/stories/README.md.
BANDS = 32
ROWS = 2
assert BANDS * ROWS <= NUM_PERM
SHINGLE = 5
# Same-story thresholds, measured on eval/stories (make eval): see eval/stories/README.md.
MIN_JACCARD = 0.5
MIN_CONTAINMENT = 0.8
MIN_SHINGLES_FOR_CONTAINMENT = 30  # a tiny body is "contained" in anything; do not trust it

_WORD = re.compile(r"\w+")
_BYLINE = re.compile(r"^by\s+[\w .,'’-]{2,80}$", re.IGNORECASE)


@dataclass(frozen=True)
class Signature:
    """A body's MinHash values and how many distinct shingles it had."""

    values: np.ndarray  # uint32, NUM_PERM long
    shingles: int

    def to_bytes(self) -> bytes:
        return self.values.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes, shingles: int) -> Signature:
        return cls(np.frombuffer(data, dtype="<u4").copy(), shingles)

    def bands(self) -> list[int]:
        """The LSH keys: one signed 64-bit hash per band, tagged with the band's index.

        Bands read the first ``BANDS * ROWS`` values; the similarity reads all ``NUM_PERM``.
        """
        raw = self.values.astype("<u4")
        return [_band_key(i, raw[i * ROWS : (i + 1) * ROWS].tobytes()) for i in range(BANDS)]


def _band_key(index: int, values: bytes) -> int:
    digest = hashlib.blake2b(values, digest_size=8, person=index.to_bytes(2, "little") * 8)
    return int.from_bytes(digest.digest(), "little", signed=True)  # fits a BIGINT column


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    # Generated once per process (datasketch would regenerate them for every MinHash).
    return _datasketch().MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations


def _datasketch() -> ModuleType:
    # Imported on first use: datasketch pulls in scipy (~1.6 s), which every `briefwatch`
    # command would otherwise pay on start whether or not a new article arrives.
    import datasketch

    return datasketch


def comparable_text(paragraphs: Sequence[str]) -> list[str]:
    """The body as compared across outlets: boilerplate, datelines and bylines removed."""
    # Bylines go first: builds that open with "By AFP - Agence France Presse" would otherwise hide
    # the dateline from clean_paragraphs, which strips it from the first paragraph only
    # (eval/stories: 10 of 42 true pairs had such leftovers; with this order their full copies
    # compare identical).
    kept = [p for p in paragraphs if not _BYLINE.match(p.strip())]
    return [normalise(p) for p in clean_paragraphs(kept)]


def shingles(paragraphs: Sequence[str]) -> set[bytes]:
    words = _WORD.findall(" ".join(comparable_text(paragraphs)))
    if len(words) < SHINGLE:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


def signature(paragraphs: Sequence[str]) -> Signature:
    """The MinHash signature of a body."""
    found = shingles(paragraphs)
    sketch = _datasketch()
    minhash = sketch.MinHash(num_perm=NUM_PERM, permutations=_permutations(), scheme=SCHEME)
    minhash.update_batch(list(found))
    return Signature(sketch.LeanMinHash(minhash).hashvalues.copy(), len(found))


@dataclass(frozen=True)
class Similarity:
    jaccard: float
    containment: float

    @property
    def same_story(self) -> bool:
        return self.jaccard >= MIN_JACCARD or self.containment >= MIN_CONTAINMENT


def similarity(a: Signature, b: Signature) -> Similarity:
    """Estimated Jaccard similarity and containment of two bodies."""
    if not a.shingles or not b.shingles:
        return Similarity(0.0, 0.0)
    jaccard = float(np.count_nonzero(a.values == b.values)) / NUM_PERM
    smaller = min(a.shingles, b.shingles)
    # |A ∩ B| = J (|A| + |B|) / (1 + J); containment = |A ∩ B| / min(|A|, |B|)
    overlap = jaccard * (a.shingles + b.shingles) / (1 + jaccard)
    contained = overlap / smaller if smaller >= MIN_SHINGLES_FOR_CONTAINMENT else 0.0
    return Similarity(jaccard, min(contained, 1.0))


def best_match(
    candidate: Signature, stored: Iterable[tuple[int, Signature]]
) -> tuple[int, Similarity] | None:
    """Of stored (story id, signature) pairs, the most similar one that is the same story."""
    best: tuple[int, Similarity] | None = None
    for story_id, other in stored:
        found = similarity(candidate, other)
        if found.same_story and (best is None or found.jaccard > best[1].jaccard):
            best = (story_id, found)
    return best


class StoryIndex:
    """An in-memory LSH index of the bodies stories carry (the store keeps the same bands in its
    story_band table and the signatures on its articles)."""

    def __init__(self) -> None:
        self._bands: dict[int, set[int]] = {}
        self._signatures: dict[int, list[Signature]] = {}

    def add(self, story_id: int, sig: Signature) -> None:
        """Index one more body of a story (its first version, a revision, a copy)."""
        self._signatures.setdefault(story_id, []).append(sig)
        for band in sig.bands():
            self._bands.setdefault(band, set()).add(story_id)

    def match(self, sig: Signature) -> tuple[int, Similarity] | None:
        """The stored story this body is a copy of, if any."""
        ids = set().union(*(self._bands.get(band, set()) for band in sig.bands()))
        bodies = ((i, body) for i in sorted(ids) for body in self._signatures[i])
        return best_match(sig, bodies)
