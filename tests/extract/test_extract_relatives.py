"""What a relative clause hung on a town tells of it: "Goma, which the rebels captured"."""

from briefwatch.extract import extract


def _control(text: str) -> set[tuple[str, str, str | None]]:
    return {(k.place, k.status, k.actor) for k in extract(text).control}


def test_an_object_relative_names_who_took_the_town():
    assert _control("Shells fell on Goma, which the rebels captured last week.") == {
        ("Goma", "captured", "the rebels")
    }


def test_a_town_taken_by_one_side_and_left_by_the_other_is_two_claims():
    found = _control("Ukrainian soldiers raised a flag in Kherson, which Russian forces left.")
    assert ("Kherson", "lost", "Russian forces") in found
    assert ("Kherson", "captured", "Ukrainian soldiers") in found


def test_a_reduced_relative_reads_the_doer_after_by():
    assert _control("Mortar fire struck Kupiansk, retaken by Ukrainian forces, on Tuesday.") == {
        ("Kupiansk", "recaptured", "Ukrainian forces")
    }


def test_the_city_in_a_relative_is_the_town_the_text_is_about():
    found = _control(
        "The paramilitaries entered El Fasher on Sunday. Their commanders toured the city, "
        "which the paramilitaries had besieged for eighteen months."
    )
    assert ("El Fasher", "encircled", "the paramilitaries") in found


def test_no_claim_from_residents_a_meeting_or_an_ended_hold():
    for text in (
        "Shops reopened in Kidal, which residents left when the fighting began.",
        "The summit in Geneva, which the minister left early, ended without a deal.",
        "Shelling hit Kupiansk, previously controlled by Russian forces, on Monday.",
        "Kherson, which was occupied by Russian forces until last autumn, is shelled daily.",
        "Officials said that Russian forces captured no town this week.",
    ):
        assert _control(text) == set(), text
