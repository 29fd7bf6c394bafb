"""Near-duplicate bodies: one story however many outlets carry it.

A body is reduced to the set of its word 5-shingles, after stripping what differs between copies
of one wire story (datelines, bylines, copyright lines, "Read more", newsletter prompts). A
MinHash signature of that set (128 permutations, datasketch's values: see `_minhash`) estimates
the Jaccard similarity of two bodies, and 32 bands of 2 values (from its first 64 values) are the
keys of a locality-sensitive index: two bodies that share a band are candidates, compared on
their full signatures.

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
from functools import cache, cached_property

import numpy as np

from briefwatch.stories.dedupe import normalise
from parsers.boilerplate import clean_paragraphs

NUM_PERM = 128
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

    def bands(self) -> tuple[int, ...]:
        """The LSH keys: one signed 64-bit hash per band, tagged with the band's index.

        Bands read the first ``BANDS * ROWS`` values; the similarity reads all ``NUM_PERM``.
        """
        return self._bands

    @cached_property  # a batch asks for a body's bands several times
    def _bands(self) -> tuple[int, ...]:
        raw = self.values.astype("<u4")
        return tuple(_band_key(i, raw[i * ROWS : (i + 1) * ROWS].tobytes()) for i in range(BANDS))


def _band_key(index: int, values: bytes) -> int:
    digest = hashlib.blake2b(values, digest_size=8, person=index.to_bytes(2, "little") * 8)
    return int.from_bytes(digest.digest(), "little", signed=True)  # fits a BIGINT column


# The MinHash below gives datasketch's values bit for bit (`MinHash(num_perm=128, seed=1,
# scheme="affine32")`, pinned by tests/stories/test_neardup.py against datasketch itself) without
# importing it: datasketch's package import pulls in scipy for its LSH classes, which we do not
# use - 1.3-1.5 s of CPU and ~60 MB in every pass process and page worker that signs a body, on
# every pass of a Prefect deployment (a process per flow run). The index is ours (story_band).
SEED = 1
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The affine permutations h -> a*h + b (mod 2^32), a odd: datasketch's, from its seed."""
    generator = np.random.RandomState(SEED)
    a = generator.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def _minhash(items: Iterable[bytes]) -> np.ndarray:
    """The NUM_PERM minimum hash values of ``items`` (all 2^32 - 1 for none)."""
    hashed = np.array(
        [int.from_bytes(hashlib.sha1(item).digest()[:4], "little") for item in items],
        dtype=np.uint32,
    )
    if not hashed.size:
        return np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
    # The MurmurHash3 finaliser spreads the input hashes once; uint32 arithmetic wraps, which is
    # the modulo 2^32 of the permutations.
    shift1, multiply1, shift2, multiply2 = _FMIX32
    hashed ^= hashed >> shift1
    hashed *= multiply1
    hashed ^= hashed >> shift2
    hashed *= multiply2
    hashed ^= hashed >> shift1
    a, b = _permutations()
    return (np.outer(hashed, a) + b).min(axis=0)


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
    return Signature(_minhash(found), len(found))


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
