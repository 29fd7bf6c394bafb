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
    if _GLOBAL_FLAGS.match(regex) or flags & re.VERBOSE:
        return regex  # (global flags must stay first; a comment would swallow the ")" below)
    parsed = _parser.parse(regex, flags)
    if _scanned_fast(list(parsed), parsed.state.flags):
        return regex
    first = _first_chars(list(parsed), parsed.state.flags)
    if first is None or first[1] or not first[0]:
        return regex
    plain = "".join(sorted(item for item, folded in first[0] if not folded))
    folded = "".join(sorted(item for item, folded in first[0] if folded))
    alternatives = ([f"[{plain}]"] if plain else []) + ([f"(?i:[{folded}])"] if folded else [])
    return f"(?={'|'.join(alternatives)})(?:{regex})"


_CATEGORIES = {
    _op.CATEGORY_DIGIT: r"\d",
    _op.CATEGORY_NOT_DIGIT: r"\D",
    _op.CATEGORY_SPACE: r"\s",
    _op.CATEGORY_NOT_SPACE: r"\S",
    _op.CATEGORY_WORD: r"\w",
    _op.CATEGORY_NOT_WORD: r"\W",
}


def _scanned_fast(items: list, flags: int) -> bool:
    """Whether the engine scans for the pattern's first character itself: it opens with a
    literal or a character class, or with one of several literals, none of them cased under
    IGNORECASE (a look-ahead would only slow it)."""
    while items and items[0][0] is _op.SUBPATTERN:
        _, add, remove, sub = items[0][1]
        items, flags = list(sub), (flags | add) & ~remove
    if not items:
        return False
    op, av = items[0]
    folded = bool(flags & re.IGNORECASE)

    def uncased(code: int) -> bool:
        return not folded or chr(code).lower() == chr(code).upper()

    if op is _op.LITERAL:
        return uncased(av)
    if op is _op.IN:
        return all(
            kind is _op.CATEGORY
            or (kind is _op.LITERAL and uncased(value))
            or (kind is _op.RANGE and all(uncased(x) for x in range(value[0], value[1] + 1)))
            for kind, value in av
        )
    if op is _op.BRANCH:
        return all(
            alternative and alternative[0][0] is _op.LITERAL and uncased(alternative[0][1])
            for alternative in (list(a) for a in av[1])
        )
    return False


def _first_chars(items: list, flags: int) -> tuple[set[tuple[str, bool]], bool] | None:
    """The (character, case-insensitive) pairs a match of the parsed ``items`` can begin with
    (each as written in a character class), and whether they can match nothing at all; None
    when that is not simply known."""
    out: set[tuple[str, bool]] = set()
    for op, av in items:
        folded = bool(flags & re.IGNORECASE)
        if op is _op.AT or op is _op.ASSERT or op is _op.ASSERT_NOT:
            continue  # (matches no character: what follows begins the match)
        if op is _op.LITERAL:
            out.add((re.escape(chr(av)), folded))
            return out, False
        if op is _op.IN:
            for kind, value in av:
                if kind is _op.LITERAL:
                    out.add((re.escape(chr(value)), folded))
                elif kind is _op.RANGE and value[1] - value[0] < 64:
                    out.update((re.escape(chr(x)), folded) for x in range(value[0], value[1] + 1))
                elif kind is _op.CATEGORY and value in _CATEGORIES:
                    out.add((_CATEGORIES[value], folded))
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


def scanning(regex: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile`` for a pattern searched for along a sentence: with its `quick_start`."""
    return re.compile(quick_start(regex, flags), flags)
