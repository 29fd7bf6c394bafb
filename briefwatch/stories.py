"""Stories in the store: which story an article's body belongs to, and which paragraphs are known.

The pure parts live in `dedupe.py` (hashes, the verdict) and `neardup.py` (signatures); this
module holds the queries that put them against what is stored, inside the caller's session.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from briefwatch.clock import utcnow
from briefwatch.dedupe import paragraph_hash
from briefwatch.models import Article, Paragraph, Story, StoryBand
from briefwatch.neardup import Signature, best_match, signature
from briefwatch.store import Store
from parsers.types import ParsedArticle

# Of the stories sharing a band with a body, compare at most this many (those sharing the most
# bands first): bounded work per article however large the store grows.
MAX_CANDIDATES = 20


def find_story(
    session: Session, digest: str, paragraphs: Sequence[str]
) -> tuple[Story | None, Signature | None]:
    """The story this body copies (exactly, else nearly), and the body's signature if computed.

    Every body a story carries is a candidate (its first version, revisions, copies), so a copy
    cut from a revised version still finds its story.
    """
    exact = session.exec(select(Story).where(Story.fingerprint == digest)).first()
    if exact is not None:
        return exact, None
    sig = signature(paragraphs)
    shared = func.count().label("shared")
    ranked = (
        select(StoryBand.story_id, shared)
        .where(col(StoryBand.band).in_(sig.bands()))
        .group_by(StoryBand.story_id)
        .order_by(shared.desc(), StoryBand.story_id)
        .limit(MAX_CANDIDATES)
    )
    ids = [row[0] for row in session.exec(ranked)]
    if not ids:
        return None, sig
    bodies = session.exec(
        select(Article.story_id, Article.signature, Article.shingles).where(
            col(Article.story_id).in_(ids), col(Article.signature).is_not(None)
        )
    )
    match = best_match(
        sig, ((story_id, Signature.from_bytes(raw, n)) for story_id, raw, n in bodies)
    )
    return (session.get(Story, match[0]) if match else None), sig


def new_story(store: Store, session: Session, digest: str, parsed: ParsedArticle) -> Story:
    """Store a new story (or find the one a rival worker stored a moment ago)."""
    store.insert_ignore(session, Story, [{
        "fingerprint": digest, "title": parsed.title, "first_seen_at": utcnow(),
        "published": parsed.published,
    }])  # fmt: skip
    return session.exec(select(Story).where(Story.fingerprint == digest)).one()


def index_body(store: Store, session: Session, story_id: int, sig: Signature) -> None:
    """Make a body findable: its LSH bands point at its story."""
    bands = [{"band": band, "story_id": story_id} for band in set(sig.bands())]
    store.insert_ignore(session, StoryBand, bands)


def seen_paragraphs(session: Session, paragraphs: Sequence[str]) -> set[str]:
    """The hashes of those ``paragraphs`` already stored under any story."""
    hashes = list({paragraph_hash(p) for p in paragraphs})
    if not hashes:
        return set()
    query = select(Paragraph.hash).where(col(Paragraph.hash).in_(hashes))
    return set(session.exec(query))


def record_paragraphs(
    store: Store, session: Session, story_id: int, paragraphs: Sequence[str]
) -> None:
    """Remember paragraphs as seen (the first story to carry one keeps it)."""
    now = utcnow()
    rows = {paragraph_hash(p): {"hash": paragraph_hash(p), "story_id": story_id,
                                "first_seen_at": now} for p in paragraphs}  # fmt: skip
    store.insert_ignore(session, Paragraph, list(rows.values()))
