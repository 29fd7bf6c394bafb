"""A source's ``include`` and ``exclude`` words: which read articles it keeps."""

from __future__ import annotations

import re
from functools import lru_cache

from briefwatch.config import SourceSettings
from briefwatch.sources.skips import Skipped
from parsers.types import ParsedArticle


def keyword_skip(source: SourceSettings, url: str, parsed: ParsedArticle) -> Skipped | None:
    """Why a source's ``include`` / ``exclude`` words keep ``parsed`` out, or ``None``.

    Words match whole words, case-insensitively, in the title and the body; ``exclude`` wins.
    """
    text = " ".join((parsed.title, *parsed.paragraphs))
    excluded = next((w for w in source.exclude if _word(w).search(text)), None)
    if excluded:
        return Skipped(url, "filtered-out", f"mentions {excluded!r}, which the source excludes")
    if source.include and not any(_word(w).search(text) for w in source.include):
        return Skipped(url, "filtered-out", f"mentions none of: {', '.join(source.include)}")
    return None


@lru_cache(maxsize=256)
def _word(word: str) -> re.Pattern[str]:
    """A whole word or phrase, case-insensitively ("Armenia" is not found in "Armenian")."""
    return re.compile(rf"(?<!\w){re.escape(word.strip())}(?!\w)", re.IGNORECASE)
