"""Small helpers for the word lists the rules are written with."""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """A set of lowercase words from a whitespace-separated block (keeps the lists readable)."""
    return frozenset(text.lower().split())
