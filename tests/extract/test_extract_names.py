"""Place names as real copy spells them."""

from briefwatch.extract import extract


def test_an_apostrophe_inside_a_name_keeps_the_whole_name_and_its_place():
    (quoted,) = extract("Houthi fighters seized the city of Ma'rib on Tuesday.").control
    (plain,) = extract("Houthi fighters seized the city of Marib on Tuesday.").control
    assert quoted.place == "Ma'rib"
    # one place to the gazetteer, so one fact whichever way an outlet spells it
    assert quoted.place_id is not None and quoted.place_id == plain.place_id


def test_a_possessive_is_not_part_of_the_name():
    (claim,) = extract("Russia's forces captured Avdiivka on Saturday.").control
    assert claim.place == "Avdiivka"
    assert claim.actor is not None and "Russia" in claim.actor
