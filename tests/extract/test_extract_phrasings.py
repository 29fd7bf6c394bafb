"""The phrasings issue 3 added: each rule with a sentence it must read and one it must not."""

from __future__ import annotations

from datetime import date

import pytest

from briefwatch.extract import extract, trace


def _control(text: str, **kwargs: object) -> list[tuple]:
    return [(k.place, k.status, k.actor) for k in extract(text, **kwargs).control]


def _casualties(text: str, **kwargs: object) -> list[tuple]:
    """Each figure with its group (the normalised victims its fact goes by)."""
    return [
        (c.outcome, c.count_low, c.count_high, c.group, c.claimed_by)
        for c in extract(text, **kwargs).casualties
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # claimed to have <verb>: the claimant is also the actor
        ("The militia claimed to have seized Kamina.", [("Kamina", "captured", "the militia")]),
        # pushed / drove X out of Y: Y is taken by the subject; passive: lost by the subject
        (
            "Ukrainian troops pushed Russian forces out of Robotyne.",
            [("Robotyne", "captured", "Ukrainian troops")],
        ),
        ("Army units drove the militants out of Palma.", [("Palma", "captured", "army units")]),
        ("Russian forces were pushed out of Lyman.", [("Lyman", "lost", "Russian forces")]),
        # abandoned their positions in Y
        (
            "Separatist fighters abandoned their positions in Martakert.",
            [("Martakert", "lost", "separatist fighters")],
        ),
        # a denial of a change of hands is a claim: the place is contested
        (
            "The brigade has not abandoned its positions in Chasiv Yar.",
            [("Chasiv Yar", "contested", None)],
        ),
        # two places joined by "and", and a list
        (
            "Jihadist fighters seized Djibo and Arbinda.",
            [
                ("Djibo", "captured", "Jihadist fighters"),
                ("Arbinda", "captured", "Jihadist fighters"),  # as written; its id is Aribinda's
            ],
        ),
        (
            "Ukrainian forces liberated Balakliia, Izium and Kupiansk.",
            [(p, "captured", "Ukrainian forces") for p in ("Balakliia", "Izium", "Kupiansk")],
        ),
        # ... but a name with its own verb starts a new clause, and "X, Y" alone is no list
        (
            "Rebels seized Walikale and Kinshasa condemned the attack.",
            [("Walikale", "captured", "rebels")],
        ),
        ("Russian troops entered Pisky, Donetsk.", [("Pisky", "captured", "Russian troops")]),
    ],
)
def test_control_phrasings(text: str, expected: list[tuple]) -> None:
    assert _control(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a denial is a claim: the place is contested, said by the denier
        (
            "The ministry denied that its forces had withdrawn from Avdiivka.",
            [("Avdiivka", "contested", None, "the ministry")],
        ),
        (
            "Rebels have not taken Bunia, the army insisted.",
            [("Bunia", "contested", None, "the army")],
        ),
        # ... and the claim it names is read as its author's
        (
            "Armenia's defence ministry rejected President Ilham Aliyev's claim that Azerbaijani "
            "troops had captured the village of Talish.",
            [
                ("Talish", "contested", None, "Armenia's defence ministry"),
                ("Talish", "captured", "Azerbaijani troops", "President Ilham Aliyev"),
            ],
        ),
        # a denial that refers back contests what was claimed before it
        (
            '"The enemy says it has taken Ivanivske. That is a lie," a brigade spokesman said.',
            [
                ("Ivanivske", "captured", "the enemy", "the enemy"),
                ("Ivanivske", "contested", None, "a brigade spokesman"),
            ],
        ),
        (
            "The militia said it had seized the town of Kalehe. "
            "The claim was rejected by the provincial governor.",
            [
                ("Kalehe", "captured", "the militia", "the militia"),
                ("Kalehe", "contested", None, "the provincial governor"),
            ],
        ),
    ],
)
def test_denials_are_contested_claims_by_the_denier(
    text: str, expected: list[tuple[str, str, str | None, str]]
) -> None:
    found = [(k.place, k.status, k.actor, k.claimed_by) for k in extract(text).control]
    assert sorted(found, key=str) == sorted(expected, key=str)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("The rebels claimed to have shot down a helicopter near Bunia.", None),
        ("Floods forced Ukrainians out of Kherson.", "no armed actor"),
        ("The party pushed its leader out of office.", None),
        # a facility changes hands without its town
        ("Al-Shabaab fighters seized the airport in Baidoa.", "a facility, not a town"),
        ("The army retook Mopti's airport.", "a facility, not a town"),
        ("The army lost control of Mopti's airport road.", "part of a place"),
        ("Protesters occupied the main square in Bishkek.", None),
        ("Holidaymakers crowded the airport in Antalya.", None),
    ],
)
def test_control_lookalikes_are_not_claims(text: str, reason: str | None) -> None:
    assert extract(text).control == []
    if reason:
        assert reason in {r.reason for r in trace(text)}


def test_the_enemy_is_the_other_side_when_the_text_shows_one() -> None:
    text = (
        "Ukraine's army said Russian forces had entered Pishchane. "
        '"The enemy is on the outskirts of Kupiansk," the army said.'
    )
    assert _control(text)[1] == ("Kupiansk", "threatened", "Russian forces")


@pytest.mark.parametrize(
    "text",
    [
        # no other side in the text
        '"The enemy is on the outskirts of Kupiansk," a Ukrainian officer said.',
        # two other sides: which one is meant is not for us to guess
        "Ukrainian officials said Russian forces had seized Avdiivka and Belarusian troops had "
        'entered Sumy. "The enemy is on the outskirts of Kupiansk," a Ukrainian officer said.',
    ],
)
def test_the_enemy_stays_as_said_when_it_cannot_be_resolved(text: str) -> None:
    assert _control(text)[-1] == ("Kupiansk", "threatened", "the enemy")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "A woman and her two children were killed when a shell hit their house.",
            [("killed", 1, 1, "women", None), ("killed", 2, 2, "children", None)],
        ),
        (
            "An elderly man and his wife died in the fire after the strike.",
            [("killed", 1, 1, "men", None), ("killed", 1, 1, "women", None)],
        ),
        # the possessor's side goes to the group
        (
            "Moscow said Ukraine had lost up to 400 soldiers in the failed assault.",
            [("killed", 0, 400, "Ukrainian soldiers", "Moscow")],
        ),
        (
            "Armenia lost 27 servicemen in the clashes.",
            [("killed", 27, 27, "Armenian servicemen", None)],
        ),
        # "put the toll at" is an attribution, and a tally names its outcome
        (
            "Local officials put the death toll at 14 after the strike on the market.",
            [("killed", 14, 14, "people", "local officials")],
        ),
        (
            "The UN put the number of people displaced by the fighting at more than 200,000.",
            [("displaced", 200_000, None, "people", "the UN")],
        ),
        # a speaker after a contrast speaks only for what follows it
        (
            "Around 20 civilians were reported killed in the attack, though residents put the "
            "toll at more than 200.",
            [("killed", 20, 20, "civilians", None), ("killed", 200, None, "people", "residents")],
        ),
        # numbers: half a million, a dash range, a range with "from"
        (
            "Half a million people have been displaced.",
            [("displaced", 500_000, 500_000, "people", None)],
        ),
        (
            "Officials said 25-30 soldiers were killed.",
            [("killed", 25, 30, "soldiers", "officials")],
        ),
        ("From 40 to 60 villagers were abducted.", [("captured", 40, 60, "villagers", None)]),
        ("A fourth soldier died of his wounds.", [("killed", 1, 1, "soldiers", None)]),
    ],
)
def test_casualty_phrasings(text: str, expected: list[tuple]) -> None:
    assert _casualties(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "A woman and her two children were pulled alive from the rubble.",
        "Ukraine lost 40 percent of its power generation in the strikes.",
        "Analysts put the cost of rebuilding the city at $40 billion.",
        "The team lost 1-3 to England in the final.",  # a score is not a range of casualties
        "A third round of talks was held in Istanbul.",
        "Rescuers said 45 people died in the landslide.",
        "The health ministry said 120 people had died of cholera since January.",
    ],
)
def test_casualty_lookalikes_are_not_claims(text: str) -> None:
    assert extract(text).casualties == []


SOLEDAR = "Russian forces captured Soledar in January 2023, the Defence Ministry in Moscow said."


@pytest.mark.parametrize(
    ("published", "claims"),
    [
        (date(2023, 1, 14), 1),  # the report's own month: news
        (date(2023, 2, 2), 1),  # the month before: still news
        (date(2024, 5, 10), 0),  # over a year later: history
        (None, 0),  # no date to judge by: history, as before
    ],
)
def test_a_dated_report_is_history_only_when_its_date_is_old(
    published: date | None, claims: int
) -> None:
    assert len(extract(SOLEDAR, published=published).control) == claims


def test_decades_stay_history_whatever_the_date() -> None:
    text = "In the 1990s, Armenian forces captured Kalbajar."
    assert extract(text, published=date(1995, 3, 1)).control == []
