"""Figures: digits, number words, vague amounts, ranges, qualifiers; never a made-up number."""

from __future__ import annotations

import pytest

from briefwatch.extract import extract
from briefwatch.extract.numbers import find_quantities, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2,317", 2317),
        ("40,005", 40005),
        ("two", 2),
        ("forty-eight", 48),
        ("one hundred and twelve", 112),
        ("two hundred thousand", 200_000),
        ("a thousand", 1000),
        ("1.5 million", 1_500_000),
        ("11 million", 11_000_000),
        ("three million", 3_000_000),
        ("banana", None),
    ],
)
def test_parse_number(text: str, value: int | None) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("more than 1,000 people", (1000, None, "at_least")),
        ("at least 14 people", (14, None, "at_least")),
        ("over 300 people", (300, None, "at_least")),
        ("up to 400 soldiers", (0, 400, "at_most")),
        ("fewer than 10 people", (0, 10, "at_most")),
        ("about 250 people", (250, 250, "approx")),
        ("nearly two million people", (2_000_000, 2_000_000, "approx")),
        ("some 3,000 people", (3000, 3000, "approx")),
        ("an estimated 150,000 people", (150_000, 150_000, "approx")),
        ("dozens of civilians", (24, None, "vague")),
        ("scores of people", (40, None, "vague")),
        ("hundreds of soldiers", (200, None, "vague")),
        ("thousands of people", (2000, None, "vague")),
        ("tens of thousands of people", (20_000, None, "vague")),
        ("between 10 and 15 people", (10, 15, "exact")),
        ("10 to 15 soldiers", (10, 15, "exact")),
        ("about a dozen people", (12, 12, "approx")),
        ("two to three dozen people", (24, 36, "exact")),
        ("several dozen people", (24, None, "vague")),  # as "dozens", the real-text labels' reading
    ],
)
def test_quantity_ranges_and_qualifiers(text: str, expected: tuple) -> None:
    q = find_quantities(text)[0]
    assert (q.low, q.high, q.qualifier) == expected


@pytest.mark.parametrize(
    "text",
    [
        "the Mi-24 helicopter",  # model name
        "a 3-1 win",  # score
        "a 45-year-old man",  # age
        "$250 million",  # money is not a count of anything
        "the 17th-minute goal",  # ordinal with a suffix
    ],
)
def test_not_figures(text: str) -> None:
    assert find_quantities(text) == []


def test_ordinal_adds_one() -> None:
    (claim,) = extract("A third crew member was injured and evacuated.").casualties
    assert (claim.outcome, claim.count_low, claim.count_high, claim.victims, claim.group) == (
        "injured", 1, 1, "crew member", "crew members",
    )  # fmt: skip


def test_coordinated_figures_share_the_group() -> None:
    doc = extract("Forty-eight soldiers were killed and one hundred and twelve wounded.")
    assert [(c.outcome, c.count_low, c.victims) for c in doc.casualties] == [
        ("killed", 48, "soldiers"),
        ("injured", 112, "soldiers"),
    ]


def test_qualifier_does_not_spread_to_the_next_figure() -> None:
    doc = extract("At least 14 people were killed and 52 injured.")
    assert [(c.count_low, c.count_high, c.qualifier) for c in doc.casualties] == [
        (14, None, "at_least"),
        (52, 52, "exact"),
    ]


def test_nested_figure_is_its_own_claim() -> None:
    doc = extract("Air strikes killed 11 people, including four children, officials said.")
    assert [(c.count_low, c.victims, c.claimed_by) for c in doc.casualties] == [
        (11, "people", "officials"),
        (4, "children", "officials"),
    ]


@pytest.mark.parametrize(
    ("text", "scope"),
    [
        ("Five soldiers were killed in a drone strike on Tuesday.", "incident"),
        ("More than 10,000 civilians have been killed since the invasion began.", "cumulative"),
        ("The death toll from Saturday's strike rose to 45.", "incident"),
        ("The death toll has risen to 40,005 since October 7.", "cumulative"),
        ("Nearly 500 soldiers were killed in the first month of the offensive.", "cumulative"),
    ],
)
def test_scope(text: str, scope: str) -> None:
    (claim,) = extract(text).casualties
    assert claim.scope == scope


@pytest.mark.parametrize(
    "figure",
    [
        "9" * 300,  # once `OverflowError: cannot convert float infinity to integer` (issue 16)
        "9" * 400,
        "9" * 5000,  # past Python's int-from-string digit limit
        "1-" + "9" * 5000,  # a dash range with a giant end
        "half a" + " billion" * 50,  # number words that multiply past any float
        "2,000,000,000,000",  # more people than live on Earth
    ],
)
def test_a_figure_larger_than_any_group_is_no_casualty_and_no_crash(figure: str) -> None:
    doc = extract(f"Rebels killed {figure} soldiers on Monday. Shelling killed 12 civilians.")
    assert [(c.outcome, c.count_low, c.victims) for c in doc.casualties] == [
        ("killed", 12, "civilians")
    ]


def test_the_largest_real_figures_are_still_read() -> None:
    assert parse_number("1.5 billion") == 1_500_000_000
    (claim,) = extract("The war has displaced 12 million people.").casualties
    assert (claim.outcome, claim.count_low) == ("displaced", 12_000_000)
