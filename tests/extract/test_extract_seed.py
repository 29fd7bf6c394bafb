"""The seed briefing yields exactly the claims the design promises, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefwatch.extract import CasualtyClaim, ControlClaim, extract, to_json

SEED = Path(__file__).parents[1] / "fixtures" / "seed" / "000_3b5ad19eb9c928a4.txt"  # as given
MOSCOW = "the Defense Ministry in Moscow"
ALIYEV = "Azerbaijani President Ilham Aliyev"
POGHOSYAN = "Vahram Poghosyan"


@pytest.fixture(scope="module")
def seed() -> str:
    return SEED.read_text(encoding="utf-8")


def _casualty(c: CasualtyClaim) -> tuple:
    return (c.outcome, c.count_low, c.count_high, c.qualifier, c.victims, c.scope, c.claimed_by)


def _control(c: ControlClaim) -> tuple:
    return (c.place, c.status, c.actor, c.claimed_by, c.count)


def test_casualties_are_exactly_these(seed: str) -> None:
    got = [_casualty(c) for c in extract(seed).casualties]
    assert got == [
        ("killed", 2, 2, "exact", "crew members", "incident", MOSCOW),
        ("injured", 1, 1, "exact", "crew member", "incident", MOSCOW),  # "it said"
        ("killed", 1000, None, "at_least", "people", "cumulative", None),
        ("killed", 24, None, "vague", "civilians", "cumulative", None),  # nested figure
        ("displaced", 2000, None, "vague", None, "cumulative", None),  # "thousands": no group
    ]
    # the groups their facts go by
    assert [c.group for c in extract(seed).casualties] == [
        "crew members", "crew members", "people", "civilians", "people",
    ]  # fmt: skip


def test_control_is_exactly_this(seed: str) -> None:
    got = [_control(c) for c in extract(seed).control]
    assert got == [
        # "battles for the town were ongoing" / "The fighting for Shushi continues": one claim
        ("Shusha", "contested", None, "Armenian officials", None),
        # "confidently defended and are defending": still holding it -> held (not contested)
        ("Shusha", "held", "separatist forces", "the Armenian government", None),
        # posted on Facebook that ...; his "completely out of our control" says it again ("our"
        # is the speaker's side, Karabakh -> Armenia): one claim, the first
        ("Shusha", "lost", "Armenian forces", POGHOSYAN, None),
        # "he said"; "the enemy" of an Armenian speaker, with Azerbaijan the one other side;
        # the claim keeps the text's spelling (GeoNames calls it Khankendi: same id)
        ("Stepanakert", "threatened", "Azerbaijani forces", POGHOSYAN, None),
        ("Shusha", "captured", "Azerbaijani forces", ALIYEV, None),  # "his forces"
    ]
    # "48 more settlements" names no place: an aggregate claim, kept apart ("Aliyev said")
    aggregates = [_control(c) for c in extract(seed).aggregates]
    assert aggregates == [("settlements", "captured", "Azerbaijani forces", ALIYEV, 48)]


def test_aliases_and_canonical_names(seed: str) -> None:
    doc = extract(seed)
    assert doc.aliases == {"Shushi": "Shusha"}
    assert "Shushi" not in {c.place for c in doc.control}


def test_claims_keep_their_sentence_and_order(seed: str) -> None:
    doc = extract(seed)
    positions = [c.position for c in doc.control]
    assert positions == sorted(positions)
    captured = next(c for c in doc.control if c.status == "captured" and c.count is None)
    assert captured.sentence.startswith("Azerbaijani President Ilham Aliyev announced")


def test_paragraph_list_gives_the_same_claims(seed: str) -> None:
    paragraphs = [p for p in seed.split("\n\n") if p.strip()]
    assert to_json(extract(paragraphs)) == to_json(extract(seed))


def test_config_alias_map_is_merged(seed: str) -> None:
    places = {"Shusha": "Şuşa"}  # a desk's names win
    doc = extract(seed, places=places)
    assert {c.place for c in doc.control} == {"Şuşa", "Stepanakert"}
    assert doc.aliases["Shushi"] == "Şuşa"
    # ... and keep the ids of the places they name
    ids = {c.place: c.place_id for c in doc.control}
    assert ids["Şuşa"] == extract(seed).control[0].place_id == 147105
    assert ids["Stepanakert"] == 146970  # Khankendi's geonameid


def test_to_json_shape(seed: str) -> None:
    doc = to_json(extract(seed))
    assert set(doc) == {"casualties", "control", "aggregates", "aliases", "cuts"}
    assert doc["cuts"] == []  # a briefing is read whole
    assert set(doc["casualties"][0]) == {
        "outcome", "count_low", "count_high", "qualifier", "victims", "group", "scope",
        "claimed_by", "claimant_side", "sentence",
    }  # fmt: skip
    assert set(doc["control"][0]) == {
        "place", "status", "actor", "claimed_by", "claimant_side", "sentence", "count",
        "place_id", "canonical",
    }  # fmt: skip
    # Real places carry their geonameid (Shusha's is 147105; Stepanakert is GeoNames' Khankendi)
    ids = {k["place"]: k["place_id"] for k in doc["control"]}
    assert ids["Shusha"] == 147105 and ids["Stepanakert"] == 146970, ids
    # ... and the one name their facts go by: GeoNames' Khankendi for the text's Stepanakert
    names = {k["place"]: k["canonical"] for k in doc["control"]}
    assert names == {"Shusha": "Shusha", "Stepanakert": "Khankendi"}
    sides = {(k["claimed_by"], k["claimant_side"]) for k in doc["control"]}
    assert ("Azerbaijani President Ilham Aliyev", "Azerbaijan") in sides
    assert ("Vahram Poghosyan", "Armenia") in sides
