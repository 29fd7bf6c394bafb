"""Who took a town, when wire copy puts a time between the actor and the verb."""

import pytest

from briefwatch.extract import extract


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("Government troops on Friday took control of the town of Kalemie.", "Government troops"),
        ("The rebels had earlier seized Walikale, officials said.", "the rebels"),
        ("Russian troops overnight captured the village of Pisky.", "Russian troops"),
        ("Rebel fighters on June 28 took control of Mekelle.", "Rebel fighters"),
    ],
)
def test_the_actor_is_read_past_a_time(text, actor):
    (claim,) = extract(text).control
    assert claim.actor is not None and claim.actor.lower() == actor.lower()


def test_a_speaker_before_a_time_is_not_the_actor():
    (claim,) = extract("Residents on Tuesday said the army had entered Kidal.").control
    assert (claim.actor, claim.claimed_by) == ("the army", "residents")
