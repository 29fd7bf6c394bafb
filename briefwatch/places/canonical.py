"""One canonical name per place: the spelling a wire reporter would write.

GeoNames' primary name is usually it, but not always: it spells Ukrainian towns by an older
system ("Avdiyivka", "Kupyansk", "Izyum"; the wires write Avdiivka, Kupiansk, Izium), keeps
national letters English copy does not use ("Laçın": Lachin; "Bāra": Bara) and marks an Arabic
ayn with an apostrophe ("Ma'rib": Marib). Rules, tried in order, each choosing only a spelling
GeoNames itself lists among the place's names, so no name is made up:

1. **Ukraine**: the official romanization (`romanize`) of the place's Ukrainian Cyrillic name,
   when GeoNames lists that Latin spelling and it spells the primary name (so a renamed town
   keeps its new name: Bakhmut, not Artemivsk; Pokrovsk, not Krasnoarmiisk).
2. **Azerbaijan**: the Azerbaijani Latin name with English letters for its own ("Laçın" ->
   Lachin, "Naxçıvan" -> Nakhchivan), when GeoNames lists that spelling.
3. Otherwise GeoNames' primary name.

The name is then written in plain ASCII letters, as wire copy writes names ("Bara", not "Bāra"),
without the apostrophes inside words that mark an Arabic ayn or hamza ("Ma'rib": Marib,
"Rufā‘a": Rufaa); an elision after one letter stays ("N'Djamena").

English word frequencies were tried as a fourth rule ("the spelling English text uses most")
and dropped: a short name's frequency is mostly another word's ("Moti" over Mopti, "Marca"
over Marka, "Susi" over Shusha). `bench/gazetteer.py` measures how many gold labels the rules
reproduce.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from briefwatch.places.names import ascii_fold, name_key, pair_similarity
from briefwatch.places.romanize import could_be_ukrainian, is_ukrainian, romanize

SPELLING_SIMILARITY = 0.5  # Dice coefficient of letter pairs: a spelling of the same name

# Azerbaijani Latin letters as English copy writes them.
_AZERBAIJANI = str.maketrans(
    {"ç": "ch", "Ç": "Ch", "ş": "sh", "Ş": "Sh", "ğ": "gh", "Ğ": "Gh", "x": "kh", "X": "Kh",
     "c": "j", "C": "J", "ə": "a", "Ə": "A", "ı": "i", "İ": "I", "ö": "o", "Ö": "O",
     "ü": "u", "Ü": "U"}
)  # fmt: skip
_AZERBAIJANI_ONLY = frozenset("çşğəıöüÇŞĞƏİÖÜ")
# (and one opening a word after a space, an ayn: "Tall 'Afar" -> "Tall Afar")
_INNER_APOSTROPHE = re.compile(r"(?<=[A-Za-z]{2})'(?=[a-z])|(?<=[a-z])'(?=[a-z])|(?<= )'(?=[A-Z])")


def is_spelling_of(key: str, other: str) -> bool:
    """Whether two name keys spell one name: the same first letter and most letter pairs
    shared ("kupiansk" / "kupyansk", "novodarovka" / "novodarivka"; not "oil" / "bandonkaeo",
    not "artemivsk" / "bakhmut")."""
    return (
        bool(key and other)
        and key[0] == other[0]
        and (pair_similarity(key, other) >= SPELLING_SIMILARITY)
    )


def ukrainian_name(primary: str, alternates: Iterable[str], names: Mapping[str, str]) -> str | None:
    """The official romanization of the place's Ukrainian name, if GeoNames lists it among the
    place's Latin names (``names``: key -> spelling) and it spells the primary name. A spelling
    only Ukrainian uses is tried before one Russian shares ("Харків" before "Харьков")."""
    primary_key = name_key(primary)
    cyrillic = [a for a in alternates if could_be_ukrainian(a)]
    ukrainian = [a for a in cyrillic if is_ukrainian(a)]
    for tier in (ukrainian, [a for a in cyrillic if a not in ukrainian]):
        found = [
            (pair_similarity(key, primary_key), latin)
            for latin in dict.fromkeys(romanize(a) for a in tier)
            if (key := name_key(latin)) in names and is_spelling_of(key, primary_key)
        ]
        if found:
            return max(found)[1]
    return None


def azerbaijani_name(
    primary: str, alternates: Iterable[str], names: Mapping[str, str]
) -> str | None:
    """The place's Azerbaijani Latin name in English letters, if GeoNames lists that spelling."""
    for written in (primary, *alternates):
        if _AZERBAIJANI_ONLY.isdisjoint(written):
            continue
        english = written.translate(_AZERBAIJANI)
        if names.get(name_key(english)) == english:
            return english
    return None


def without_apostrophes(name: str) -> str:
    """``name`` without the apostrophes inside its words, which mark an ayn, a hamza or a soft
    sign ("Ma'rib" -> "Marib", "Sana'a" -> "Sanaa"); an elision after one letter stays
    ("N'Djamena", "L'Aquila")."""
    return _INNER_APOSTROPHE.sub("", ascii_fold(name))


def canonical_name(
    primary: str, country: str, alternates: Iterable[str], names: Mapping[str, str]
) -> str:
    """The canonical name of one place (see the module docstring for the rules), in ASCII.

    ``names`` maps the key of each of the place's usable Latin names to its spelling.
    """
    alternates = list(alternates)
    chosen = None
    if country == "UA":
        chosen = ukrainian_name(primary, alternates, names)
    elif country == "AZ":
        chosen = azerbaijani_name(primary, alternates, names)
    return without_apostrophes(chosen or primary)
