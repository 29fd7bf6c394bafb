"""Canonical URLs and body fingerprints: deciding whether an article is new.

First cut: exact hashes of the normalised body. An article is one of

    new story   a body never seen before, at a URL never seen before
    copy        a body already stored under another URL (a syndicated wire story)
    revision    a URL already stored whose body changed; only its new paragraphs are read
    duplicate   a URL already stored with the same body: nothing to do

Near-duplicate matching (MinHash over shingles) comes later and slots in behind `decide`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

Verdict = Literal["new-story", "copy", "revision", "duplicate"]

# Query parameters that only say where a reader came from; dropping them makes one URL per page.
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref", "ref_src",
     "cmpid", "ncid", "ocid", "_ga", "yclid", "spm", "at_medium", "at_campaign"}
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_")

_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def canonical_url(url: str, declared: str | None = None) -> str:
    """The one URL an article is stored under.

    ``declared`` is the page's rel=canonical (used when it points to the same site, so a page
    cannot claim another outlet's identity); tracking parameters and fragments are dropped, the
    scheme and host lowercased, default ports removed and query parameters sorted.
    """
    chosen = url
    if declared:
        absolute = urljoin(url, declared.strip())
        if _site(absolute) == _site(url):
            chosen = absolute
    parts = urlsplit(chosen)
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not (
        (parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)
    ):
        host = f"{host}:{port}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in TRACKING_PARAMS and not key.lower().startswith(TRACKING_PREFIXES)
    ]
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), host, path, urlencode(sorted(query)), ""))


def _site(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def normalise(text: str) -> str:
    """Text as compared: Unicode NFKC, typographic quotes and dashes folded, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _SPACE.sub(" ", text).strip().casefold()


def paragraph_hash(paragraph: str) -> str:
    return hashlib.sha256(normalise(paragraph).encode("utf-8")).hexdigest()


def body_hash(paragraphs: Sequence[str]) -> str:
    """Fingerprint of a body: the same text under other markup or spacing hashes the same."""
    joined = "\n".join(normalise(p) for p in paragraphs if p.strip())
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def new_paragraphs(old: Sequence[str], new: Sequence[str]) -> list[str]:
    """The paragraphs of ``new`` not in ``old``: what a revision added or edited."""
    seen = {paragraph_hash(p) for p in old}
    return [p for p in new if paragraph_hash(p) not in seen]


@dataclass(frozen=True)
class Decision:
    """What to do with a parsed article, and why."""

    verdict: Verdict
    body_hash: str
    paragraphs_to_read: tuple[str, ...]  # what extraction should read (empty for copy/duplicate)


def decide(
    paragraphs: Sequence[str],
    stored_paragraphs: Sequence[str] | None,
    stored_hash: str | None,
    story_with_same_body: bool,
) -> Decision:
    """Classify an article against what the store holds for its URL and its body.

    ``stored_paragraphs``/``stored_hash`` describe the article already stored at the same
    canonical URL (None when the URL is new); ``story_with_same_body`` says whether any story
    already has this exact body.
    """
    digest = body_hash(paragraphs)
    if stored_hash is not None:
        if stored_hash == digest:
            return Decision("duplicate", digest, ())
        added = new_paragraphs(stored_paragraphs or (), paragraphs)
        return Decision("revision", digest, tuple(added))
    if story_with_same_body:
        return Decision("copy", digest, ())
    return Decision("new-story", digest, tuple(paragraphs))
