"""Ukrainian place names in the Latin letters Ukraine itself uses (and so the wires, since 2019).

The official romanization (Resolution of the Cabinet of Ministers of Ukraine No. 55, 2010) is
what turns "Авдіївка" into "Avdiivka", "Куп'янськ" into "Kupiansk" and "Ізюм" into "Izium",
where GeoNames' primary names often follow an older system ("Avdiyivka", "Kupyansk",
"Izyum"). It is a plain letter table, with four letters written differently at the start of a
word, and "зг" written "zgh" so that it is not read as "ж".

GeoNames does not tag its alternate names by language, so `is_ukrainian` tells a Ukrainian
spelling from a Russian, Belarusian or South Slavic one by the letters only those languages use.
"""

from __future__ import annotations

import re

_TABLE = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu",
    "я": "ia", "'": "", "’": "", "ʼ": "",
}  # fmt: skip
# At the start of a word: є ї й ю я are written with a leading y.
_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
# Letters only Ukrainian uses; the apostrophe too (Russian writes ъ where Ukrainian writes ').
_UKRAINIAN_ONLY = frozenset("іїєґ'’ʼ")
# Letters Ukrainian does not have: Russian (ы э ъ ё), Belarusian (ў), South Slavic (ј љ њ ...).
_NOT_UKRAINIAN = frozenset("ыэъёўјљњћђџѓќѕ")
_CYRILLIC = re.compile(r"[\u0400-\u04ff'’ʼ\s-]+")
# Adjective endings Russian has and Ukrainian does not ("Новенькое" / "Новеньке",
# "Новая" / "Нова").
_RUSSIAN_ENDING = re.compile(r"(?:ое|ая)\b")


def is_ukrainian(name: str) -> bool:
    """Whether a Cyrillic name is spelt as only Ukrainian spells: it has a letter only
    Ukrainian uses (і ї є ґ, the apostrophe) and none that Ukrainian lacks."""
    return could_be_ukrainian(name) and bool(set(name.casefold()) & _UKRAINIAN_ONLY)


def could_be_ukrainian(name: str) -> bool:
    """Whether a name is Cyrillic with no letter or ending Ukrainian lacks ("Бахмут" is spelt
    alike in Ukrainian and Russian; "Харьков" too, so this alone is weak evidence)."""
    low = name.casefold()
    if _CYRILLIC.fullmatch(low) is None or set(low) & _NOT_UKRAINIAN:
        return False
    return _RUSSIAN_ENDING.search(low) is None


def romanize(name: str) -> str:
    """``name`` (Ukrainian Cyrillic) in the official Latin letters, capitalised as written."""
    out: list[str] = []
    start = True
    low = name.casefold()
    for i, (char, lower) in enumerate(zip(name, low, strict=True)):
        if lower == "г" and i > 0 and low[i - 1] == "з":
            latin = "gh"
        elif start and lower in _INITIAL:
            latin = _INITIAL[lower]
        else:
            latin = _TABLE.get(lower, char)
        if char != lower and latin:
            latin = latin[0].upper() + latin[1:]
        out.append(latin)
        start = not lower.isalpha() and lower not in "'’ʼ"
    return "".join(out)
