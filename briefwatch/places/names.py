"""How a place name is matched: one folded key per spelling, so variants meet.

Reporters and GeoNames spell one place many ways: accents ("Cəbrayıl", "Kraków"), apostrophes
for soft signs and glottal stops ("Pokrovs'k", "Mek'ele"), hyphens and spaces ("Nagorno-
Karabakh"), and the Arabic article written "al-", "el-", "Al " or assimilated ("ad-Damazin",
"ash-Shuhada"). `name_key` folds all of that away, so "el-Fasher", "El Fasher" and "Al-Fasher"
share a key, and so do "Mek'ele" and "Mekele". It does not fold spellings that differ in
letters ("Al-Fashir", "Mekelle"): GeoNames lists those as alternate names of their own.

Real copy spells places in ways GeoNames does not list (Umanskoye for Umanske, Bariire for
Barire, Maroun al-Ras for Marun ar Ras). `folded_key` folds those transliteration variants too
(y/i, doubled letters, kh/h, ou/u, dzh/j, Russian adjectival endings against Ukrainian ones).
It is looser, so more places share one (`bench/gazetteer.py` counts them), and the gazetteer
asks it only when a name has no exact match and the text puts the name where a place goes.

A key is ASCII letters and digits only; a name in another script has no key (its Latin
alternates are indexed instead).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters NFKD does not decompose into a base letter and a mark.
_LETTERS = str.maketrans(
    {
        "ı": "i", "İ": "I", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
        "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th",
        "ð": "d", "Ð": "D", "ħ": "h", "Ħ": "H", "ə": "e", "Ə": "E", "ǝ": "e", "Ǝ": "E",
        "ŋ": "ng", "Ŋ": "Ng", "ʃ": "sh",
    }
)  # fmt: skip
# Apostrophes and the modifier letters used for them (soft sign, ayin, hamza): dropped.
_APOSTROPHES = str.maketrans(dict.fromkeys("'’‘`´ʼʻʿʾˈ′", ""))
# "al-Balah", "ash-Shuhada", "El Fasher": the Arabic article, attached by a hyphen or alone.
_ARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|an|ar|as|ash|at|az|ed|en|er|es|et|ez|ul)-(?=\w)")
_ARTICLE_WORDS = frozenset({"al", "el"})
_NOT_KEY = re.compile(r"[^a-z0-9]+")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_APOSTROPHE = re.compile(r"['’‘`´ʼʻʿʾ′]")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_LATIN = re.compile(r"[a-z0-9\s\-.,()/&]+")


def ascii_fold(name: str) -> str:
    """``name`` with accents and special letters written in plain ASCII, apostrophes kept as
    ASCII ``'``: "Cəbrayıl" -> "Cebrayil", "Kraków" -> "Krakow", "Mek’ele" -> "Mek'ele"."""
    if name.isascii():
        return name.replace("`", "'")
    text = unicodedata.normalize("NFKD", name.translate(_LETTERS))
    return _APOSTROPHE.sub("'", _COMBINING.sub("", text))


def _folded(name: str) -> str:
    """Casefolded ASCII letters, apostrophes dropped ("" when another script remains)."""
    folded = ascii_fold(name).translate(_APOSTROPHES).casefold()
    return folded if folded.strip() and _LATIN.fullmatch(folded) else ""


def is_latin(name: str) -> bool:
    """Whether a name is written in the Latin script (after folding accents)."""
    return bool(_folded(name))


def _key_words(name: str) -> list[str]:
    """The words of a name's key, Arabic article dropped ("" words left out)."""
    folded = _folded(name)
    if not folded:
        return []
    words = []
    for word in folded.split():
        if word.rstrip("-") in _ARTICLE_WORDS:
            continue
        words.append(_NOT_KEY.sub("", _ARTICLE_PREFIX.sub("", word)))
    words = [w for w in words if w]
    return words or [_NOT_KEY.sub("", folded)]  # a name that is only an article ("El")


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The key a name is matched by: casefolded, accents, apostrophes, hyphens, spaces and the
    Arabic article folded away. "" for a name with no Latin letters."""
    return "".join(_key_words(name))


# The looser key (`folded_key`), word by word, in this order. Each folds spellings that
# transliterations of one name differ by, as GeoNames and the wires write them:
_FOLDS = (
    (re.compile(r"dzh|dj"), "j"),  # Dzhankoi / Jankoy, Djibouti
    (re.compile(r"kh"), "h"),  # Khan Younis / Han Yunis
    (re.compile(r"ou"), "u"),  # Maroun / Marun, Khan Younis / Yunis
    (re.compile(r"y"), "i"),  # Lysychansk / Lisichansk, Umanskyi / Umanskiy
    (re.compile(r"(.)\1+"), r"\1"),  # Tall / Tal, Bariire / Barire, ii / i
    # Russian adjectival endings against Ukrainian ones: -oye, -oe / -e (Umanskoye /
    # Umanske, Vostochnoye / Vostochne); "-yy"/"-iy"/"-yi" are "i" by now.
    (re.compile(r"(?<=[a-z]{3})(?:oie|oe)$"), "e"),
    (re.compile(r"(?<=[a-z]{2})aia$"), "a"),  # -aya / -a: Novaya Kakhovka / Nova Kakhovka
)


@lru_cache(maxsize=65536)
def folded_key(name: str) -> str:
    """A looser key than `name_key`, for a name no place is known by exactly: transliteration
    variants folded too (`_FOLDS`), so "Umanskoye" meets "Umanske", "Bariire" "Barire", "Tall
    Afar" "Tal Afar", "Maroun al-Ras" "Marun ar Ras". "" for a name with no Latin letters."""
    out = []
    for word in _key_words(name):
        for pattern, replacement in _FOLDS:
            word = pattern.sub(replacement, word)
        out.append(word)
    return "".join(out)


def words_of(name: str) -> list[str]:
    """The lowercase words of a name, apostrophes dropped ("Mek'ele" -> ["mekele"])."""
    return [w for w in _NOT_WORD.split(ascii_fold(name).translate(_APOSTROPHES).casefold()) if w]


def pair_similarity(a: str, b: str) -> float:
    """How alike two keys are: the Dice coefficient of their letter pairs (1.0: the same)."""
    pairs_a = {a[i : i + 2] for i in range(len(a) - 1)}
    pairs_b = {b[i : i + 2] for i in range(len(b) - 1)}
    if not pairs_a or not pairs_b:
        return 1.0 if a == b else 0.0
    return 2 * len(pairs_a & pairs_b) / (len(pairs_a) + len(pairs_b))
