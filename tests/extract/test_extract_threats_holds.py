"""The approach reader (`extract.threats`) and the hold reader (`extract.holds`): each shape
with sentences it must read and sentences of the same words it must not."""

from __future__ import annotations

import pytest

from briefwatch.extract import extract


def _control(text: str) -> list[tuple]:
    return [(k.place, k.status, k.actor) for k in extract(text).control]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a motion verb, a direction, a settlement: the mover threatens it
        (
            "Government soldiers were pushing towards the city of Kadugli on Friday.",
            [("Kadugli", "threatened", "government soldiers")],
        ),
        (
            "Militants advancing on the district capital, Mocimboa da Praia, burned a bridge.",
            [("Mocimboa da Praia", "threatened", "militants")],
        ),
        (
            "Russian forces advanced to within 3 kilometres of Siversk overnight.",
            [("Siversk", "threatened", "Russian forces")],
        ),
        (
            "Rebel fighters have almost reached the southern outskirts of Goma.",
            [("Goma", "threatened", "rebel fighters")],
        ),
        # the approach as a noun owned by a side; the place under threat as the subject
        (
            "Kyiv's new offensive toward Tokmak began at dawn.",
            [("Tokmak", "threatened", "Kyiv")],
        ),
        (
            "Siversk is in danger of encirclement, the brigade said.",
            [("Siversk", "threatened", None)],
        ),
        ("Tesla's push toward Berlin's car market stalled.", []),
        ("Grenoble is at risk of being cut off by the floods.", []),
        # the same words with no armed mover, a modal, a past year, a border as the target
        ("Holiday crowds pushed towards the beach in Odesa.", []),
        ("Rebel fighters could push towards Goma within days, a diplomat warned.", []),
        ("Rebel fighters advanced to within 3 kilometres of Goma in 2012.", []),
        ("Russian forces pushed toward the frontier near Belgorod.", []),
    ],
)
def test_an_approach_is_a_threat_by_an_armed_mover(text: str, expected: list[tuple]) -> None:
    assert _control(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "under X control" said of a settlement through an apposition, a relative clause, or
        # a noun phrase after "remains"
        (
            "Aid reached Timbuktu, a city still under jihadist control, on Monday.",
            [("Timbuktu", "held", "jihadist")],
        ),
        (
            "The town of Bunia, which remains under army control, took in families overnight.",
            [("Bunia", "held", "army")],
        ),
        (
            "Kadugli remains the last town in the state under military control.",
            [("Kadugli", "held", "military")],
        ),
        # the same links with a holder that is no armed side, or in a year range
        ("Bunia, a town under Catholic control for a century, built a cathedral.", []),
        ("The brewery in Kadugli, which is under family control, opened a new line.", []),
        ("Timbuktu was under jihadist control from 2012 to 2013.", []),
    ],
)
def test_a_hold_said_through_a_modifier(text: str, expected: list[tuple]) -> None:
    assert _control(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # unsettled control said outright: contested, no holder
        (
            "Control of Vuhledar is still unclear after the Russian offensive.",
            [("Vuhledar", "contested", None)],
        ),
        (
            "Ukrainian troops were holding out in the ruined town of Pisky.",
            [("Pisky", "contested", None)],
        ),
        # a back-denial naming the change itself: the capture and its contest
        (
            "Russia said its troops had taken Ugledar, but Kyiv denied any such gain.",
            [("Ugledar", "captured", "Russian troops"), ("Ugledar", "contested", None)],
        ),
        # the same words in a vote, by no force, or dated
        ("Control of the Lyon council is still unclear after the vote.", []),
        ("Pensioners were holding out in Nice for a better price.", []),
        ("Control of Vuhledar was still unclear in the winter of 1942.", []),
    ],
)
def test_unsettled_control_and_a_denial_of_the_change(text: str, expected: list[tuple]) -> None:
    assert _control(text) == expected
