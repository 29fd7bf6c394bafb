"""Stories in the store: which story a body belongs to, and which paragraphs are known.

The pure parts live in `dedupe.py` (hashes, the verdict) and `neardup.py` (signatures); this
module puts them against what is stored. A batch of articles is decided one article at a time,
in order, exactly as if each were stored alone; but what the store holds for the whole batch is
read in a few queries up front (`StoryLookup`), and what the batch adds is kept in step in memory
and written at the end (`StoryLookup.flush`), inside the caller's one transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from sqlmodel import Session, col, select

from briefwatch.clock import utcnow
from briefwatch.models import Article, Paragraph, Story, StoryBand
from briefwatch.store import Store, chunks
from briefwatch.stories.neardup import Signature, best_match, signature

# Of the stories sharing a band with a body, compare at most this many (those sharing the most
# bands first, then the oldest): bounded work per article however large the store grows.
MAX_CANDIDATES = 20
# A band more stories than this carry is not counted: a text fragment most stories repeat (a
# background paragraph, a template phrase) says nothing about which story a body copies, and
# counting its stories would make every lookup grow with the store. A copy still shares its
# story's other bands. Reading a band stops at this many stories plus one.
MAX_BAND_STORIES = 64
_BANDS_PER_QUERY = 400  # members of one UNION ALL (SQLite allows 500)


class StoryLookup:
    """What the store knows of a batch's bodies and paragraphs, read once for the batch.

    The `read_*` methods take every fingerprint, body and paragraph hash the batch may ask
    about; each `add_*` keeps the answers current for the articles after it, as if the store
    had been asked again. Stories and articles are written by the caller as it goes (their ids
    are needed at once); bands and paragraphs are kept back and written by `flush`.
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._fingerprints: dict[str, int] = {}
        # band -> the stories the store has under it, or None for a band over MAX_BAND_STORIES
        self._bands: dict[int, frozenset[int] | None] = {}
        self._added: dict[int, set[int]] = {}  # band -> stories, added by the batch
        self._seen: set[str] = set()
        self._bodies: dict[int, list[Signature]] = {}  # per story, read on first need
        self._new_paragraphs: dict[str, int] = {}

    # -- what the store holds, read once per batch ---------------------------------------------

    def read_fingerprints(self, digests: Iterable[str]) -> None:
        """The stories whose first body has one of these fingerprints."""
        for chunk in chunks(sorted(set(digests))):
            query = select(Story.fingerprint, Story.id).where(col(Story.fingerprint).in_(chunk))
            self._fingerprints.update(self._session.exec(query).all())

    def read_candidates(self, signatures: Iterable[Signature]) -> None:
        """The stories under every band of these bodies, and the stored bodies of those each
        body would be compared to now (one query each for the batch)."""
        signatures = list(signatures)
        wanted = sorted({band for sig in signatures for band in sig.bands()} - self._bands.keys())
        found: dict[int, set[int]] = {band: set() for band in wanted}
        # Straight through the driver: a batch reads thousands of (band, story) pairs, and
        # SQLAlchemy's result rows would cost more than the query.
        cursor = self._session.connection().connection.cursor()
        for start in range(0, len(wanted), _BANDS_PER_QUERY):
            # One index range per band, cut at MAX_BAND_STORIES + 1 rows by the database. The
            # bands are inlined as integer literals (ints we computed, never text).
            query = " UNION ALL ".join(
                f"SELECT * FROM (SELECT band, story_id FROM story_band WHERE band = {int(band)} "
                f"LIMIT {MAX_BAND_STORIES + 1}) AS b{n}"
                for n, band in enumerate(wanted[start : start + _BANDS_PER_QUERY])
            )
            cursor.execute(query)
            for band, story in cursor.fetchall():
                found[band].add(story)
        cursor.close()
        for band, stories in found.items():
            self._bands[band] = frozenset(stories) if len(stories) <= MAX_BAND_STORIES else None
        self._load_bodies(story for sig in signatures for story in self._candidates(sig))

    def read_paragraphs(self, hashes: Iterable[str]) -> None:
        """Which of these paragraph hashes are stored."""
        for chunk in chunks(sorted(set(hashes))):
            query = select(Paragraph.hash).where(col(Paragraph.hash).in_(chunk))
            self._seen.update(self._session.exec(query))

    # -- questions, in the batch's order ------------------------------------------------------

    def exact(self, digest: str) -> int | None:
        """The story whose first body has this fingerprint."""
        return self._fingerprints.get(digest)

    def near(self, sig: Signature) -> int | None:
        """The story ``sig`` (read by `read_candidates`) is a near copy of: the most similar
        body among its candidates'."""
        if not self._bands.keys() >= set(sig.bands()):
            self.read_candidates([sig])
        ids = self._candidates(sig)
        if not ids:
            return None
        self._load_bodies(ids)
        match = best_match(sig, ((story, body) for story in ids for body in self._bodies[story]))
        return match[0] if match else None

    def _candidates(self, sig: Signature) -> list[int]:
        """The stories sharing the most bands with ``sig`` (ties: the oldest first), stored or
        added by the batch; a band over `MAX_BAND_STORIES` is not counted."""
        shared: Counter[int] = Counter()
        for band in set(sig.bands()):
            stored = self._bands[band]
            if stored is None:
                continue
            stories = stored | self._added[band] if band in self._added else stored
            if len(stories) <= MAX_BAND_STORIES:
                shared.update(stories)
        ranked = sorted(shared.items(), key=lambda item: (-item[1], item[0]))
        return [story for story, _ in ranked[:MAX_CANDIDATES]]

    def seen(self, hashes: Iterable[str]) -> set[str]:
        """Those paragraph hashes already stored (or stored earlier in the batch)."""
        return {h for h in hashes if h in self._seen}

    # -- what the batch adds --------------------------------------------------------------------

    def add_story(self, digest: str, story: int) -> None:
        self._fingerprints.setdefault(digest, story)

    def add_body(self, story: int, sig: Signature, *, replaced: bool = False) -> None:
        """A body the story now carries (its article row holds the signature): findable by its
        bands from here on. ``replaced``: it took the place of its article's earlier body (a
        revision), which the story's bodies are read again without."""
        for band in set(sig.bands()):
            self._added.setdefault(band, set()).add(story)
        if replaced:
            self._bodies.pop(story, None)
        elif story in self._bodies:  # else read from the article rows when first needed
            self._bodies[story].append(sig)

    def add_paragraphs(self, story: int, hashes: Iterable[str]) -> None:
        """Paragraphs now seen; the first story to carry one keeps it."""
        for digest in hashes:
            if digest not in self._seen:
                self._seen.add(digest)
                self._new_paragraphs[digest] = story

    def flush(self, store: Store) -> None:
        """Write the bands and paragraphs the batch added."""
        now = utcnow()
        bands = [
            {"band": band, "story_id": story}
            for band, stories in self._added.items()
            for story in sorted(stories)
        ]
        store.insert_ignore(self._session, StoryBand, bands)
        paragraphs = [
            {"hash": digest, "story_id": story, "first_seen_at": now}
            for digest, story in self._new_paragraphs.items()
        ]
        store.insert_ignore(self._session, Paragraph, paragraphs)
        self._added.clear()
        self._new_paragraphs.clear()

    def _load_bodies(self, stories: Iterable[int]) -> None:
        missing = sorted(set(stories) - self._bodies.keys())
        for story in missing:
            self._bodies[story] = []
        for chunk in chunks(missing):
            query = select(Article.story_id, Article.signature, Article.shingles).where(
                col(Article.story_id).in_(chunk), col(Article.signature).is_not(None)
            )
            for story, raw, count in self._session.exec(query):
                self._bodies[story].append(Signature.from_bytes(raw, count))


def find_story(
    session: Session, digest: str, paragraphs: Sequence[str]
) -> tuple[Story | None, Signature | None]:
    """The story one body copies (exactly, else nearly), and its signature if computed.

    Every body a story carries is a candidate (its first version, revisions, copies), so a copy
    cut from a revised version still finds its story. (A batch asks a `StoryLookup`.)
    """
    lookup = StoryLookup(session)
    lookup.read_fingerprints([digest])
    exact = lookup.exact(digest)
    if exact is not None:
        return session.get(Story, exact), None
    sig = signature(paragraphs)
    lookup.read_candidates([sig])
    story = lookup.near(sig)
    return (session.get(Story, story) if story is not None else None), sig
