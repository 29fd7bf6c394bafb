"""Small helpers for the word lists the rules are written with."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from re import _constants as _op  # the regex parser's opcodes, for `quick_start`
from re import _parser

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


_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


def quick_start(regex: str, flags: int = 0) -> str:
    """``regex`` with a look-ahead for the characters a match can begin with put first, when
    they are few and known: a search then skips at once the positions no match can start at.

    A pattern opening with ``\\b`` or a case-insensitive word has no literal prefix the engine
    can scan for, so it otherwise tries the whole pattern at every position of the sentence.
    The look-ahead matches nothing itself: the matches (spans, groups) are the same.
    (``flags``: those the pattern is compiled with.)
    """
    if _GLOBAL_FLAGS.match(regex):
        return regex  # (they must stay first)
    parsed = _parser.parse(regex, flags)
    first = _first_chars(list(parsed), parsed.state.flags)
    if first is None or first[1] or not first[0]:
        return regex
    plain = "".join(sorted(re.escape(ch) for ch, folded in first[0] if not folded))
    folded = "".join(sorted(re.escape(ch) for ch, folded in first[0] if folded))
    alternatives = ([f"[{plain}]"] if plain else []) + ([f"(?i:[{folded}])"] if folded else [])
    return f"(?={'|'.join(alternatives)})" + regex


def _first_chars(items: list, flags: int) -> tuple[set[tuple[str, bool]], bool] | None:
    """The (character, case-insensitive) pairs a match of the parsed ``items`` can begin with,
    and whether they can match nothing at all; None when that is not simply known."""
    out: set[tuple[str, bool]] = set()
    for op, av in items:
        folded = bool(flags & re.IGNORECASE)
        if op is _op.AT or op is _op.ASSERT or op is _op.ASSERT_NOT:
            continue  # (matches no character: what follows begins the match)
        if op is _op.LITERAL:
            out.add((chr(av), folded))
            return out, False
        if op is _op.IN:
            for kind, value in av:
                if kind is _op.LITERAL:
                    out.add((chr(value), folded))
                elif kind is _op.RANGE and value[1] - value[0] < 64:
                    out.update((chr(x), folded) for x in range(value[0], value[1] + 1))
                else:
                    return None
            return out, False
        if op is _op.SUBPATTERN:
            _, add, remove, sub = av
            found = _first_chars(list(sub), (flags | add) & ~remove)
        elif op is _op.BRANCH:
            found = set(), False
            for alternative in av[1]:
                one = _first_chars(list(alternative), flags)
                if one is None:
                    return None
                found = found[0] | one[0], found[1] or one[1]
        elif op is _op.MAX_REPEAT or op is _op.MIN_REPEAT:
            low, _, sub = av
            found = _first_chars(list(sub), flags)
            if found is not None and low == 0:
                found = found[0], True
        else:
            return None
        if found is None:
            return None
        out |= found[0]
        if not found[1]:
            return out, False
    return out, True
