"""Small helpers for the word lists the rules are written with."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_WORD = re.compile(r"[a-z]+")


@lru_cache(maxsize=256)  # several rules ask for the words of the sentence being read
def sentence_words(sentence: str) -> frozenset[str]:
    """The lowercase words of a sentence, for the rules' keyword pre-filters."""
    return frozenset(_WORD.findall(sentence.lower()))


def trie_pattern(alternatives: Iterable[str]) -> str:
    """One regex alternation for many literal words, factored by common prefixes.

    ``a|ab|abc`` becomes ``a(?:b(?:c)?)?``: the engine then tests each character once instead
    of trying every word at every position (the side table has ~300 words). Longer words are
    tried first, as in an alternation sorted by length.
    """
    trie: dict[str, dict] = {}
    for word in alternatives:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a word ends here: the rest is optional
            return f"(?:{body})?"
        return body

    return "(?:" + emit(trie) + ")"


def words(text: str) -> frozenset[str]:
    """A set of lowercase words from a whitespace-separated block (keeps the lists readable)."""
    return frozenset(text.lower().split())


# Head nouns of an armed group: what an actor of a control claim ends in ("separatist forces").
FORCE_NOUNS = words(
    """forces force troops army soldiers fighters rebels units militants military separatists
    insurgents allies mercenaries police navy marines paratroopers brigade regiment enemy
    militia militias side group junta government jihadists guerrillas servicemen
    commanders attackers assailants raiders regime coalition alliance movement front
    militiamen gunmen combatants battalion battalions brigades divisions garrison garrisons
    peacekeepers invaders occupiers aggressors extremists paramilitaries"""
)
