"""Configured sides reach the extractor: `extract(..., sides=...)`.

A conflict whose parties are not countries (two Sudanese forces, a movement against a
government) names them with words the built-in table cannot know: "the paramilitaries", "the
RSF", "the army". Given as config `[[sides]]` gives them (casefolded word or name -> side name),
they name actors, claimants and losers exactly as the countries do; without them the extractor
reads as it always has. Every sentence here is written for the test.
"""

from __future__ import annotations

import pickle
from datetime import UTC, datetime
from itertools import count
from pathlib import Path

import pytest

from briefwatch.extract import extract, to_json, trace
from briefwatch.extract.sides import BUILTIN, SideTable, side_of, side_table
from briefwatch.facts.state import fold
from briefwatch.models import Claim

SAF, RSF = "Sudan Armed Forces", "Rapid Support Forces"


def sides_of(config: dict[str, list[str]]) -> dict[str, str]:
    """Config `[[sides]]` ({name: [aliases]}) as the pipeline hands it over."""
    return {word.casefold(): name for name, aliases in config.items() for word in (name, *aliases)}


SUDAN = sides_of({SAF: ["SAF", "army", "Sudanese army"], RSF: ["RSF", "paramilitaries"]})
YEMEN = sides_of({"Ansar Allah": ["Houthis", "rebels"], "Yemen": ["government forces"]})
SEED = Path("/work/shared/seeds/000_3b5ad19eb9c928a4.txt")


def control(text: str, sides: dict[str, str] | None = SUDAN) -> list[tuple]:
    return [
        (k.place, k.status, k.actor, k.claimed_by, k.claimant_side)
        for k in extract(text, sides=sides).control
    ]


# -- control claims: actor and claimant ------------------------------------------------------


def test_a_configured_speaker_and_they_are_the_actor_and_claimant() -> None:
    text = "The paramilitaries said they had taken full control of Bara after a week of fighting."
    assert control(text, None) == [("Bara", "captured", None, None, None)]
    assert control(text) == [("Bara", "captured", "the paramilitaries", "the paramilitaries", RSF)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Bara fell to the paramilitaries late on Friday, a local official said.",
            ("Bara", "captured", "the paramilitaries", "a local official", None),
        ),
        (
            "The paramilitaries pushed the army out of Mellit on Wednesday, a commander said.",
            ("Mellit", "captured", "the paramilitaries", "a commander", None),
        ),
        (
            "Army spokesman Nabil Abdallah said the paramilitaries had been pushed out of Sinja.",
            ("Sinja", "lost", "the paramilitaries", "army spokesman Nabil Abdallah", SAF),
        ),
        (
            "The SAF said its troops had entered Umm Ruwaba.",
            ("Umm Ruwaba", "captured", "Sudan Armed Forces troops", "the SAF", SAF),
        ),
        (
            "The RSF said our forces have taken Umm Ruwaba.",
            ("Umm Ruwaba", "captured", RSF, "the RSF", RSF),
        ),
    ],
)
def test_configured_words_name_the_actor_as_countries_do(text: str, expected: tuple) -> None:
    assert control(text) == [expected]
    assert side_of(expected[2], SUDAN) == (SAF if "Armed" in expected[2] else RSF)


def test_a_configured_side_that_is_not_a_country_is_never_a_place() -> None:
    text = "Ansar Allah said its fighters had seized the town of Harib on Thursday."
    assert control(text, YEMEN) == [
        ("Harib", "captured", "Ansar Allah fighters", "Ansar Allah", "Ansar Allah")
    ]


def test_the_config_overrides_a_built_in_word_and_keeps_the_rest() -> None:
    text = "The SAF said its troops had entered Umm Ruwaba. Russian forces entered Tomsk."
    assert [k.actor for k in extract(text).control] == ["Sudanese troops", "Russian forces"]
    assert [k.actor for k in extract(text, sides=SUDAN).control] == [
        "Sudan Armed Forces troops",
        "Russian forces",
    ]


# -- two configured sides: the fold can tell them apart --------------------------------------

_ids = count(1)


def _claims(text: str, sides: dict[str, str] | None) -> list[Claim]:
    when = datetime(2024, 5, 2, 12, tzinfo=UTC)
    out = []
    for k in extract(text, sides=sides).control:
        data = {"place": k.place, "status": k.status, "actor": k.actor}
        data["claimant_side"] = k.claimant_side
        claim = Claim(
            id=next(_ids), key="", kind="control", fact_key="control:bara", story_id=1,
            article_id=1, sentence=k.sentence, claimed_by=k.claimed_by, published=when,
            data=data,
        )  # fmt: skip
        out.append(claim)
    return out


def test_one_configured_side_claims_a_town_the_other_says_it_holds_disputed() -> None:
    text = (
        "The paramilitaries said they had taken full control of Bara. "
        "The army said its troops were still defending Bara."
    )
    found = extract(text, sides=SUDAN).control
    assert [(k.status, k.claimant_side) for k in found] == [("captured", RSF), ("held", SAF)]
    assert {side_of(k.actor, SUDAN) for k in found} == {RSF, SAF}
    state = fold("control:bara", _claims(text, SUDAN), SUDAN)
    assert state["status"] == "disputed" and set(state["positions"]) == {RSF, SAF}
    assert state["holder"] == RSF
    # Without the sides in the extractor the capture has no actor and no claimant: the fold
    # cannot say whose it is.
    blind = fold("control:bara", _claims(text, None), SUDAN)
    assert RSF not in blind["positions"] and blind["holder"] == "unattributed"


def test_the_enemy_of_one_configured_side_is_the_other() -> None:
    text = (
        "The RSF said its fighters had entered Bara. "
        "The army said the enemy had withdrawn from Bara."
    )
    assert [k.actor for k in extract(text, sides=SUDAN).control] == [
        "Rapid Support Forces fighters",
        RSF,
    ]


# -- casualties: whose losses ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "victims"),
    [
        ("The RSF said the army had lost 60 soldiers in Tuesday's ambush.", f"{SAF} soldiers"),
        ("The army said the paramilitaries had lost 40 fighters on Monday.", f"{RSF} fighters"),
        ("The SAF said 12 of its soldiers were killed in a drone strike.", f"{SAF} soldiers"),
    ],
)
def test_casualty_loser_sides_resolve_to_configured_sides(text: str, victims: str) -> None:
    (claim,) = extract(text, sides=SUDAN).casualties
    assert claim.group == victims  # (the victims as written: "soldiers", "fighters")
    assert claim.claimant_side in (SAF, RSF)


# -- hard negatives --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The army of volunteers cleaned the streets of Bara on Saturday.",
        "An army of volunteers took over the cleaning of the streets in Bara on Saturday.",
        "The army of the unemployed has grown in Kosti since the factories closed.",
        "Paramilitary police took part in a parade in Port Sudan on Monday.",
        "The army band played in Omdurman as the paramilitaries' leader spoke of peace.",
        "A retired army officer said the paramilitaries would never take Kosti.",
        "If the paramilitaries take El Obeid, the road to the capital will be open.",
        "The army denied that any paramilitaries had been killed in Kosti.",
        "The paramilitaries captured Wad Madani in December 2023.",
        "Residents said the rebels of the local chess club took the title in Aden.",
    ],
)
def test_configured_words_in_another_sense_invent_no_claim(text: str) -> None:
    sides = {**SUDAN, **YEMEN}
    found = extract(text, sides=sides)
    assert not found.control and not found.casualties, to_json(found)


# -- the API: pure, and the built-in reading unchanged without config ------------------------


def test_no_sides_and_empty_sides_read_exactly_as_before() -> None:
    text = SEED.read_text(encoding="utf-8")
    plain = to_json(extract(text))
    assert to_json(extract(text, sides=None)) == plain
    assert to_json(extract(text, sides={})) == plain
    # and a config for another conflict leaves this one's claims alone
    assert to_json(extract(text, sides=SUDAN)) == plain


def test_extract_is_a_function_of_its_arguments() -> None:
    text = "The paramilitaries said they had taken full control of Bara."
    before = to_json(extract(text))
    extract(text, sides=SUDAN)
    assert to_json(extract(text)) == before
    assert to_json(extract(text, sides=SUDAN)) == to_json(extract(text, sides=dict(SUDAN)))
    assert trace(text, sides=SUDAN) == extract(text, sides=SUDAN).rejected


def test_the_side_table_is_hashable_built_once_per_config_and_picklable() -> None:
    table = side_table(SUDAN)
    again = side_table(dict(reversed(list(SUDAN.items()))))
    assert table is again and hash(table) == hash(again)
    assert side_table(None) is side_table({}) is BUILTIN
    assert side_table(table) is table and isinstance(table, SideTable)
    copy = pickle.loads(pickle.dumps(table))
    assert copy == table and copy.side_of("RSF fighters") == RSF
    assert side_of("the paramilitaries", SUDAN) == side_of("the paramilitaries", table) == RSF
    assert side_of("the paramilitaries") is None
    # a configured side's own name is one of its words, even when the mapping leaves it out
    assert side_of("Rapid Support Forces fighters", {"rsf": RSF}) == RSF
