"""Folding claims into facts, and which moves of a fact are news."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import count

from briefwatch.facts import fact_key, figure, fold, headline, is_change
from briefwatch.models import Claim

_ids = count(1)
NOV8 = datetime(2020, 11, 8, 15, tzinfo=UTC)
NOV9 = datetime(2020, 11, 9, 17, tzinfo=UTC)
NOV12 = datetime(2020, 11, 12, 9, tzinfo=UTC)


def control(status: str, actor: str | None, by: str | None, when: datetime = NOV9) -> Claim:
    return Claim(
        id=next(_ids), key="", kind="control", fact_key="control:shusha", story_id=1,
        article_id=1, sentence=f"{by}: {actor} {status} Shusha", claimed_by=by,
        published=when, data={"place": "Shusha", "status": status, "actor": actor},
    )  # fmt: skip


def casualty(low: int, qualifier: str = "exact", when: datetime = NOV9, **data: object) -> Claim:
    fields = {"outcome": "killed", "count_low": low, "count_high": None, "qualifier": qualifier,
              "victims": "people", "scope": "cumulative", **data}  # fmt: skip
    return Claim(
        id=next(_ids), key="", kind="casualty", fact_key="", story_id=1, article_id=1,
        sentence=f"{low} killed", claimed_by=None, published=when, data=fields,
    )  # fmt: skip


ALIYEV = "Azerbaijani President Ilham Aliyev"
SIDES: dict[str, str] = {}


def test_a_capture_denied_by_the_other_side_is_disputed() -> None:
    claims = [
        control("captured", "Azerbaijani forces", ALIYEV),
        control("contested", None, "Armenian officials"),
    ]
    state = fold("control:shusha", claims, SIDES)
    assert state["status"] == "disputed" and state["holder"] == "Azerbaijan"
    assert set(state["positions"]) == {"Azerbaijan", "Armenia"}
    assert headline("control:shusha", "Control of Shusha", state) == (
        "Shusha: captured by Azerbaijani forces — disputed"
    )


def test_a_concession_the_same_day_settles_it_whatever_order_the_reports_came_in() -> None:
    claims = [
        control("lost", "Armenian forces", "Vahram Poghosyan"),
        control("captured", "Azerbaijani forces", ALIYEV),
        control("contested", None, "Armenian officials"),  # published later, same day
    ]
    claims[2].published = NOV9.replace(hour=23)
    state = fold("control:shusha", claims, SIDES)
    assert state["status"] == "captured" and state["conceded_by"] == ["Armenia"]
    assert headline("control:shusha", "Control of Shusha", state) == (
        "Shusha: captured by Azerbaijani forces — conceded by Armenia"
    )


def test_fighting_claimed_on_a_later_day_reopens_the_dispute() -> None:
    claims = [
        control("captured", "Azerbaijani forces", ALIYEV),
        control("lost", "Armenian forces", "Vahram Poghosyan"),
        control("contested", "Armenian forces", "the Armenian Defense Ministry", when=NOV12),
    ]
    old = fold("control:shusha", claims[:2], SIDES)
    new = fold("control:shusha", claims, SIDES)
    assert new["status"] == "disputed"
    assert is_change("control:shusha", old, new)


def test_the_claimants_own_side_stands_in_for_an_actor_without_one() -> None:
    claims = [
        control("captured", "Azerbaijani forces", ALIYEV),
        control("held", "separatist forces", "The Armenian government"),
    ]
    state = fold("control:shusha", claims, SIDES)
    assert state["positions"]["Armenia"]["status"] == "held"
    assert state["status"] == "disputed"


def test_the_enemy_is_never_the_speakers_own_side() -> None:
    state = fold("control:stepanakert", [control("threatened", "the enemy", "Poghosyan")], SIDES)
    assert state["status"] == "threatened" and "the enemy" in state["positions"]


def test_config_sides_resolve_words_the_built_in_table_cannot_know() -> None:
    claim = control("held", "the Fedayi brigades", None)
    assert fold("control:shusha", [claim], {"fedayi": "Armenia"})["holder"] == "Armenia"


def test_more_evidence_for_the_same_state_is_not_a_change() -> None:
    one = fold("control:shusha", [control("captured", "Azerbaijani forces", ALIYEV)], SIDES)
    both = [
        control("captured", "Azerbaijani forces", ALIYEV),
        control("captured", "Azerbaijani army", "Baku"),
    ]
    two = fold("control:shusha", both, SIDES)
    assert not is_change("control:shusha", one, two)


def test_a_running_toll_is_news_only_when_it_grows() -> None:
    key = "casualty:cumulative:killed:people"
    first = fold(key, [casualty(900, "at_least", when=NOV8)], SIDES)
    grown = fold(key, [casualty(900, "at_least", when=NOV8), casualty(1000, "at_least")], SIDES)
    lower = fold(key, [casualty(1000, "at_least"), casualty(800, "approx", when=NOV12)], SIDES)
    assert is_change(key, None, first)
    assert is_change(key, first, grown) and figure(grown) == "at least 1,000"
    assert lower["count_low"] == 1000 and not is_change(key, grown, lower)


def test_an_incident_figure_follows_its_latest_report_up_or_down() -> None:
    key = "casualty:incident:2020-11-09:killed:crew-members"
    two = fold(key, [casualty(2, scope="incident")], SIDES)
    three = fold(
        key, [casualty(2, scope="incident"), casualty(3, scope="incident", when=NOV12)], SIDES
    )
    assert is_change(key, two, three) and three["count_low"] == 3


def test_vague_amounts_read_as_words_not_made_up_numbers() -> None:
    assert figure({"count_low": 24, "count_high": None, "qualifier": "vague"}) == "dozens"
    assert figure({"count_low": 10, "count_high": 15, "qualifier": "exact"}) == "10-15"
    assert figure({"count_low": 0, "count_high": 400, "qualifier": "at_most"}) == "up to 400"


def test_fact_keys_fold_aliases_places_and_keep_series_apart() -> None:
    place = {"place": "Shusha", "status": "captured", "actor": "Azerbaijani forces"}
    assert fact_key("control", place, "2020-11-09", SIDES) == "control:shusha"
    toll = {"outcome": "killed", "victims": "people", "scope": "cumulative"}
    crew = {"outcome": "killed", "victims": "crew members", "scope": "incident"}
    assert fact_key("casualty", toll, "2020-11-09", SIDES) == "casualty:cumulative:killed:people"
    assert fact_key("casualty", crew, "2020-11-09", SIDES) == (
        "casualty:incident:2020-11-09:killed:crew-members"
    )
    aggregate = {**place, "place": "settlements", "count": 48, "claimed_by": ALIYEV}
    assert fact_key("control", aggregate, "2020-11-09", SIDES) == (
        "control:aggregate:azerbaijan:settlements"
    )
