"""Canonical URLs and body fingerprints: deciding whether an article is new.

An article is one of

    new story   a body never seen before, at a URL never seen before
    copy        a body (nearly) the same as a story stored under another URL (a wire story)
    revision    a URL already stored whose body changed; only its new paragraphs are read
    duplicate   a URL already stored with the same body: nothing to do

Near-duplicate copies (cut short, lengthened, another ending) are found by `neardup.py`; the
caller passes the story they copy to `decide`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection, Sequence
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
    if ":" in host:  # an IPv6 literal: `hostname` drops its brackets, the URL needs them
        host = f"[{host}]"
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


def paragraph_hashes(paragraphs: Sequence[str]) -> tuple[str, ...]:
    """Each paragraph's hash, in order."""
    return tuple(paragraph_hash(p) for p in paragraphs)


def body_hash(paragraphs: Sequence[str]) -> str:
    """Fingerprint of a body: the same text under other markup or spacing hashes the same."""
    joined = "\n".join(normalise(p) for p in paragraphs if p.strip())
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Decision:
    """What to do with a parsed article, and why."""

    verdict: Verdict
    body_hash: str
    paragraphs_to_read: tuple[str, ...]  # what extraction should read: text never seen before
    hashes_to_read: tuple[str, ...] = ()  # their `paragraph_hash`es, in the same order


def decide(
    paragraphs: Sequence[str],
    stored_hash: str | None,
    copy_of: int | None,
    seen: Collection[str],
    *,
    digest: str | None = None,
    hashes: Sequence[str] | None = None,
) -> Decision:
    """Classify an article against what the store holds.

    ``stored_hash`` is the body hash of the article already stored at the same canonical URL
    (None when the URL is new); ``copy_of`` the story this body is an exact or near copy of;
    ``seen`` the hashes of paragraphs already stored under any story. Only paragraphs never seen
    are read for claims: a revision's new text, a copy's extra paragraph, a briefing's news
    without the background paragraphs repeated from earlier days. ``digest`` and ``hashes``:
    the body's `body_hash` and `paragraph_hashes`, when the caller has them already.
    """
    digest = body_hash(paragraphs) if digest is None else digest
    if stored_hash == digest:
        return Decision("duplicate", digest, ())
    hashes = paragraph_hashes(paragraphs) if hashes is None else hashes
    unseen = [(p, h) for p, h in zip(paragraphs, hashes, strict=True) if h not in seen]
    texts, unseen_hashes = tuple(p for p, _ in unseen), tuple(h for _, h in unseen)
    if stored_hash is not None:
        return Decision("revision", digest, texts, unseen_hashes)
    if copy_of is not None:
        return Decision("copy", digest, texts, unseen_hashes)
    return Decision("new-story", digest, texts, unseen_hashes)
