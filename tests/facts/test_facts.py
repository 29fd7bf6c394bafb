"""Folding claims into facts, and which moves of a fact are news."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from itertools import count

from briefwatch.facts.records import ControlState
from briefwatch.facts.state import evidence_claim_ids, fact_key, figure, fold, headline, is_change
from briefwatch.models import Claim

_ids = count(1)
NOV8 = datetime(2020, 11, 8, 15, tzinfo=UTC)
NOV9 = datetime(2020, 11, 9, 17, tzinfo=UTC)
NOV12 = datetime(2020, 11, 12, 9, tzinfo=UTC)


def control(
    status: str, actor: str | None, by: str | None, when: datetime = NOV9, story: int = 1
) -> Claim:
    return Claim(
        id=next(_ids), key="", kind="control", fact_key="control:shusha", story_id=story,
        article_id=story, sentence=f"{by}: {actor} {status} Shusha", claimed_by=by,
        published=when, data={"place": "Shusha", "status": status, "actor": actor},
    )  # fmt: skip


def casualty(
    low: int, qualifier: str = "exact", when: datetime = NOV9, by: str | None = None,
    **data: object,
) -> Claim:  # fmt: skip
    fields = {"outcome": "killed", "count_low": low, "count_high": None, "qualifier": qualifier,
              "victims": "people", "scope": "cumulative", **data}  # fmt: skip
    return Claim(
        id=next(_ids), key="", kind="casualty", fact_key="", story_id=1, article_id=1,
        sentence=f"{low} killed", claimed_by=by, published=when, data=fields,
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


def test_one_toll_is_one_fact_however_its_victims_are_written() -> None:
    """Claims keep their victims as the text writes them ("others", "person", none at all);
    the fact goes by their normalised group, so one series is one fact with one name. The
    claims are read as the store keeps them (`records.claim_data`, the row's data column)."""
    from briefwatch.extract import extract
    from briefwatch.facts.records import claim_data
    from briefwatch.facts.state import fact_label

    said = [
        "Fifteen others were injured in the shelling of the market, the hospital said.",
        "Fifteen people were injured in the shelling of the market, officials said.",
        "The shelling of the market caused 15 injuries, medics said.",
    ]
    claims = [claim_data(c) for text in said for c in extract(text).casualties]
    assert [c["victims"] for c in claims] == ["others", "people", None]
    keys = {fact_key("casualty", c, "2020-11-09", SIDES) for c in claims}
    assert keys == {"casualty:incident:2020-11-09:injured:people"}
    assert fact_label(next(iter(keys)), "casualty", claims[0]) == "People injured on 2020-11-09"
    rows = [casualty(15, by=c["claimed_by"], **c) for c in claims]
    state = fold(next(iter(keys)), rows, SIDES)
    assert state["victims"] == "people" and state["count_low"] == 15
    assert headline(next(iter(keys)), "People injured", state).startswith("People injured: 15")
    # a claim stored before claims carried a group: its victims were the group already
    old = {"outcome": "injured", "victims": "crew members", "scope": "incident"}
    assert fact_key("casualty", old, "2020-11-09", SIDES).endswith(":injured:crew-members")
    # the side of whoever lost them stays in the fact ("soldiers" as written)
    lost = claim_data(
        extract("Ukraine had lost 400 soldiers since May, officials said.").casualties[0]
    )
    assert (lost["victims"], lost["group"]) == ("soldiers", "Ukrainian soldiers")
    assert fact_key("casualty", lost, "2020-11-09", SIDES).endswith(":killed:ukrainian-soldiers")


TOLL = "casualty:cumulative:killed:people"


def test_a_lower_figure_from_another_claimant_is_kept_beside_the_toll_not_alerted() -> None:
    afp = casualty(1000, "at_least", when=NOV8, by="AFP")
    baku = casualty(700, "approx", by="the Azerbaijani government")
    first = fold(TOLL, [afp], SIDES)
    both = fold(TOLL, [afp, baku], SIDES)
    assert (both["count_low"], both["claimed_by"]) == (1000, "AFP")
    assert [(o["claimed_by"], o["count_low"]) for o in both["others"]] == [
        ("the Azerbaijani government", 700)
    ]
    assert not is_change(TOLL, first, both)  # not a drop, not news
    assert headline(TOLL, "People killed (running toll)", both) == (
        "People killed: at least 1,000, says AFP (the Azerbaijani government says about 700)"
    )
    assert set(evidence_claim_ids(both)) == {afp.id, baku.id}  # the alert quotes both


def test_a_higher_figure_from_another_claimant_grows_the_toll_and_keeps_the_first_beside() -> None:
    afp = casualty(1000, "at_least", when=NOV8, by="AFP")
    un = casualty(1200, "at_least", by="the UN")
    old, new = fold(TOLL, [afp], SIDES), fold(TOLL, [afp, un], SIDES)
    assert is_change(TOLL, old, new) and new["claimed_by"] == "the UN"
    assert [o["claimed_by"] for o in new["others"]] == ["AFP"]


def test_an_incident_follows_each_claimants_latest_report_and_keeps_the_others_beside() -> None:
    key = "casualty:incident:2020-11-09:killed:crew-members"
    moscow = casualty(2, scope="incident", by="the Defense Ministry in Moscow")
    revised = casualty(3, scope="incident", when=NOV12, by="the Defense Ministry in Moscow")
    lower = casualty(1, scope="incident", when=NOV12, by="Armenian media")
    two = fold(key, [moscow], SIDES)
    three = fold(key, [moscow, revised, lower], SIDES)
    assert is_change(key, two, three) and three["count_low"] == 3
    assert [o["count_low"] for o in three["others"]] == [1]
    assert not is_change(key, three, fold(key, [moscow, revised, lower], SIDES))


def test_a_late_copy_of_an_older_report_does_not_roll_a_figure_back() -> None:
    key = "casualty:incident:2020-11-09:killed:crew-members"
    revised = casualty(3, scope="incident", when=NOV12, by="the Defense Ministry in Moscow")
    old_copy = casualty(2, scope="incident", when=NOV9, by="the Defense Ministry in Moscow")
    state = fold(key, [revised, old_copy], SIDES)  # the old copy was folded last
    assert state["count_low"] == 3 and state["others"] == []


def test_a_position_older_than_the_capture_does_not_dispute_it() -> None:
    claims = [
        control("held", "Armenian forces", "the Armenian Defense Ministry", when=NOV8),
        control("captured", "Azerbaijani forces", ALIYEV, when=NOV9),
    ]
    state = fold("control:shusha", claims, SIDES)
    assert state["status"] == "captured" and state["positions"]["Armenia"]["stale"]
    assert headline("control:shusha", "Control of Shusha", state) == (
        "Shusha: captured by Azerbaijani forces"
    )
    # ... but the same statement made the day of the capture, or after it, does.
    claims.append(control("held", "Armenian forces", "the Armenian Defense Ministry"))
    assert fold("control:shusha", claims, SIDES)["status"] == "disputed"


def test_independent_outlets_agreeing_settle_a_dispute() -> None:
    dispute = [
        control("captured", "Azerbaijani forces", ALIYEV, story=1),
        control("contested", None, "Armenian officials", story=2),
    ]
    reuters = control("held", "Azerbaijani forces", "Reuters reporters in Shusha", NOV12, story=3)
    monitor = control("captured", "Azerbaijani troops", "a war monitor", NOV12, story=4)
    outlets = {1: "AFP", 2: "AFP", 3: "Reuters", 4: "The Monitor"}
    one = fold("control:shusha", [*dispute, reuters], SIDES, outlets)
    assert one["status"] == "disputed"  # one independent report is not enough
    two = fold("control:shusha", [*dispute, reuters, monitor], SIDES, outlets)
    assert two["status"] == "captured" and len(two["confirmed_by"]) == 2
    assert is_change("control:shusha", one, two)
    assert headline("control:shusha", "Control of Shusha", two) == (
        "Shusha: captured by Azerbaijani troops — confirmed by 2 independent reports"
    )
    assert {reuters.id, monitor.id} <= set(evidence_claim_ids(two))


def test_copies_of_one_story_or_a_partys_own_voice_do_not_count_as_independent() -> None:
    dispute = [
        control("captured", "Azerbaijani forces", ALIYEV, story=1),
        control("contested", None, "Armenian officials", story=2),
    ]
    copy_a = control("held", "Azerbaijani forces", "AFP", NOV12, story=3)
    copy_b = control("held", "Azerbaijani forces", "AFP", NOV12, story=3)  # same story again
    baku = control("held", "Azerbaijani forces", "the Azerbaijani Defense Ministry", NOV12, 5)
    state = fold("control:shusha", [*dispute, copy_a, copy_b, baku], SIDES, {3: "AFP", 5: "AZ"})
    assert state["status"] == "disputed"


def test_evidence_puts_the_claims_that_moved_a_fact_first() -> None:
    afp = casualty(1000, "at_least", when=NOV8, by="AFP")
    un = casualty(1200, "at_least", by="the UN")
    state = fold(TOLL, [afp, un], SIDES)
    assert evidence_claim_ids(state, moved_by=[afp.id]) == [afp.id, un.id]


def test_a_stored_control_state_is_worded_as_its_typed_state_is() -> None:
    """`headline` words a stored state from its dict (the map titles thousands of places): the
    same words as the typed state's, whatever the state holds."""
    rng = random.Random(15)
    statuses = ["captured", "recaptured", "held", "disputed", "contested", "encircled", "lost"]
    for _ in range(2000):
        positions = {
            side: {"claim_id": 1, "claimed_by": "x", "sentence": "s.", "published": None,
                   "status": rng.choice(statuses), "actor": None}
            for side in rng.sample(["Russia", "Ukraine"], rng.randint(0, 2))
        }  # fmt: skip
        row: dict = {"status": rng.choice(statuses), "positions": positions,
                     "holder": rng.choice([None, "Russia", "Ukraine"]),
                     "holder_actor": rng.choice([None, "Russian forces"])}  # fmt: skip
        if rng.random() < 0.5:
            row["conceded_by"] = rng.sample(["Ukraine", "Russia"], rng.randint(0, 2))
        if rng.random() < 0.3:
            report = {"claim_id": 2, "claimed_by": "y", "sentence": "t.", "published": None,
                      "outlet": "o"}  # fmt: skip
            row["confirmed_by"] = [report] * rng.randint(0, 3)
        if rng.random() < 0.3:
            row["attack"] = "attacked"
        label = rng.choice(["Control of Kupiansk", "Kreminna"])
        typed = ControlState.from_row(row)
        assert headline("control:k", label, row) == headline("control:k", label, typed), row
