"""Spellings GeoNames does not list, places it counts no people in, and districts of a city.

Over the real index (the ``places`` fixture): the folded key (`folded_key`,
`Gazetteer.resolve_folded`) that real copy's transliterations meet at, asked only where the text
puts a name in a place's position; the size GeoNames' population-0 places are given by how
many ways they are named; and "the X district of Y", resolved within Y.
"""

from __future__ import annotations

import pytest

from briefwatch.extract import extract
from briefwatch.extract.places import PlaceBook
from briefwatch.places import Gazetteer, Place, Unresolved
from briefwatch.places.names import folded_key, name_key


def _resolved(result: Place | Unresolved) -> Place:
    assert isinstance(result, Place), result
    return result


def _control(text: str, countries: tuple[str, ...] = ("UA", "RU")) -> list[tuple]:
    return [
        (k.place, k.status, k.place_id, k.canonical)
        for k in extract(text, countries=countries).control
    ]


# -- the folded key --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Umanskoye", "Umanske"),  # Russian -oye, Ukrainian -e
        ("Umanskoe", "Umanske"),
        ("Umanskiy", "Umanskyi"),  # -iy / -yi
        ("Bariire", "Barire"),  # doubled letters
        ("Tall 'Afar", "Tal Afar"),
        ("Maroun al-Ras", "Marun ar-Ras"),  # ou / u, the article assimilated
        ("Khan Younis", "Han Yunis"),  # kh / h, ou / u, y / i
        ("Dzhankoi", "Jankoy"),  # dzh / j
        ("Novaya Kakhovka", "Nova Kakhovka"),  # -aya / -a
        ("Lysychansk", "Lisichansk"),
    ],
)
def test_transliterations_of_one_name_share_a_folded_key(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)
    assert folded_key(a) == folded_key(b)


@pytest.mark.parametrize(
    ("a", "b"), [("Mariupol", "Marupol"), ("Kherson", "Herson Bay"), ("Soul", "Seoul")]
)
def test_different_names_keep_different_folded_keys(a: str, b: str) -> None:
    assert folded_key(a) != folded_key(b)


@pytest.mark.parametrize(
    ("written", "canonical", "country"),
    [
        ("Novaya Kakhovka", "Nova Kakhovka", "UA"),
        ("Marjayun", "Marjayoun", "LB"),
        ("Chasov Yarr", "Chasiv Yar", "UA"),
    ],
)
def test_a_spelling_geonames_lacks_resolves_by_its_folded_key(
    places: Gazetteer, written: str, canonical: str, country: str
) -> None:
    assert isinstance(places.resolve(written, (country,)), Unresolved)  # exact: none
    place = _resolved(places.resolve_folded(written, (country,)))
    assert (place.name, place.country) == (canonical, country)
    assert places.resolve_folded(written) == place


def test_a_folded_match_outside_the_watched_countries_is_none(places: Gazetteer) -> None:
    # "Halgan" (a Somali village GeoNames does not list) folds to Khalgan, an old name of
    # Zhangjiakou: a desk watching Somalia gets no Chinese city for it
    found = places.resolve_folded("Halgan", ("SO",))
    assert isinstance(found, Unresolved) and found.reason == "elsewhere", found
    assert _resolved(places.resolve_folded("Marjayun", ("LB", "IL"))).country == "LB"


def test_places_sharing_a_folded_key_are_told_apart_by_the_watched_countries(
    places: Gazetteer,
) -> None:
    # "Artiomovsk": Bakhmut's old name (Artemivsk) and Russian towns of that name, in a
    # spelling GeoNames lists for none of them
    assert isinstance(places.resolve("Artiomovsk"), Unresolved)
    assert _resolved(places.resolve_folded("Artiomovsk", ["UA"])).name == "Bakhmut"
    assert _resolved(places.resolve_folded("Artiomovsk", ["RU"])).country == "RU"
    assert _resolved(places.resolve_folded("Artiomovsk")).name == "Bakhmut"  # the larger


@pytest.mark.parametrize(
    "name",
    ["Rivals", "Prosecutors", "Police", "Kremlin", "Pentagon", "Dow Jones", "Green Hill",
     "Putin", "Netanyahu", "Zelenskyy", "Aliyev", "Shoigu", "Hemedti", "Bac", "Lal"],
)  # fmt: skip
def test_words_names_of_people_and_short_names_are_never_folded_into_places(
    places: Gazetteer, name: str
) -> None:
    assert isinstance(places.resolve_folded(name, ("UA", "RU", "SD", "IL")), Unresolved)


def test_a_folded_spelling_is_one_fact_with_the_listed_spelling() -> None:
    ((_, status, folded_id, folded_name),) = _control("Russian forces captured Novaya Kakhovka.")
    ((_, _, listed_id, listed_name),) = _control("Russian forces captured Nova Kakhovka.")
    assert status == "captured"
    assert (folded_id, folded_name) == (listed_id, listed_name) == (699839, "Nova Kakhovka")


def test_only_a_name_in_a_place_position_is_folded() -> None:
    book = PlaceBook(countries=("LB",))
    (mention,) = book.mentions("Marjayun residents gathered in the square.")
    assert book.place_id(mention.name) is None  # merely named: no folding
    book.mentions("Rebels entered the town of Marjayun.")
    assert book.place_id("Marjayun") == 271226  # "the town of": a place's position


def test_an_unknown_name_in_a_place_position_stays_as_written() -> None:
    ((place, status, place_id, _),) = _control("Rebels captured the town of Kvorblinsk.")
    assert (place, status, place_id) == ("Kvorblinsk", "captured", None)


# -- places GeoNames counts no people in ------------------------------------------------------


def test_a_well_known_place_of_population_zero_is_a_place(places: Gazetteer) -> None:
    # Tall Afar (Iraq): GeoNames counts 0 people but lists 25 names for it
    for written in ("Tal Afar", "Tall Afar", "Tall 'Afar"):
        place = _resolved(places.resolve(written, ("IQ",)))
        assert (place.id, place.name, place.population) == (90393, "Tall Afar", 0)
        assert place.size >= 10_000
    assert _control("Militants seized Tal Afar.", ("IQ",))[0][2:] == (90393, "Tall Afar")


@pytest.mark.parametrize("word", ["Andreas", "Angelica", "Alp", "Abs"])
def test_a_population_zero_place_of_few_names_stays_the_word_it_is(
    places: Gazetteer, word: str
) -> None:
    found = places.resolve(word)
    assert isinstance(found, Unresolved) and found.reason == "common-word", found


# -- districts of a city ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Russian forces captured the Vostochny district of Mariupol on Monday.",
        "Russian forces captured Mariupol's Vostochny district on Monday.",
    ],
)
def test_a_district_of_a_city_is_located_in_that_city_not_at_a_far_namesake(text: str) -> None:
    ((place, status, place_id, fact),) = _control(text)
    assert (place, status) == ("Vostochny", "captured")
    assert place_id == 701822  # Mariupol, not the Russian village Vostochny
    assert fact == "Vostochny, Mariupol"  # a fact of its own, not Mariupol's


def test_a_district_geonames_lists_near_its_city_is_that_place() -> None:
    ((place, status, place_id, fact),) = _control(
        "The army recaptured Khartoum's Bahri district.", ("SD",)
    )
    assert (place, status, place_id, fact) == ("Bahri", "recaptured", 379251, "Khartoum North")


def test_the_name_alone_still_means_the_place_of_that_name() -> None:
    ((place, _, place_id, _),) = _control("Russian forces captured Vostochny on Monday.")
    assert (place, place_id) == ("Vostochny", 797241)  # no city named: the gazetteer's place


def test_a_district_of_a_city_the_gazetteer_does_not_know_is_located_nowhere() -> None:
    ((place, _, place_id, _),) = _control("Rebels took the Vostochny district of Kvorblinsk.")
    assert (place, place_id) == ("Vostochny", None)
