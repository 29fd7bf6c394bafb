"""Matching words that are not events: history, denials, hypotheticals, metaphors, other figures."""

from __future__ import annotations

import pytest

from briefwatch.extract import extract, trace

NOT_EVENTS = [
    # history
    "Nagorno-Karabakh broke away from Azerbaijan's control during a bitter war in the 1990s.",
    "In 1992, Armenian forces captured Lachin.",
    "Two decades ago, rebels seized Kidal and held it for a year.",
    "The 1994 war killed some 30,000 people.",
    "The town of Lysychansk, which was captured by Russia in 2022, is being rebuilt.",
    # denied casualty figures, failed attempts, doubt (a denied change of hands is a claim:
    # tests/extract/test_extract_phrasings.py)
    "The army denied that any soldiers had been killed in the ambush.",
    "Russian forces failed to take Vuhledar in three months of assaults.",
    "There were conflicting reports of whether the army had managed to capture Shusha.",
    "The ministry rejected claims that 200 soldiers had been killed.",
    # hypotheticals and future transfers
    "Analysts say Ukraine could lose control of Kurakhove within weeks.",
    "If the ceasefire collapses, thousands could be forced to flee.",
    "Armenian troops will hand over Kalbajar by Nov. 20.",
    "Armenia agreed to return the Aghdam district by Nov. 20.",
    "Residents fear the rebels may seize Goma.",
    "Russian forces failed to capture Kyiv.",
    # metaphors, sport, elections, power
    "Barcelona captured the title with a 3-1 win.",
    "The opposition seized the initiative after the debate.",
    "The new governor took office in Donetsk on Monday.",
    "The Tories seized Hartlepool from Labour in the by-election.",
    "The party took 48 seats.",
    # figures that are not casualties
    "Anger mounted, with 17 opposition parties calling on the government to resign.",
    "Russia will deploy 1,960 peacekeepers along the contact line.",
    "Shusha lies around 15 kilometers (nine miles) from Stepanakert.",
    "The three countries helped broker a truce in 1994.",
    "Azerbaijan shot down a Russian military helicopter on Monday.",
    "Six weeks of fierce clashes with separatists for control of Nagorno-Karabakh.",
    "Call 0800 123 456 for news of missing relatives.",
    "The Mi-24 helicopter was hit close to the border.",
    "Kyiv has 3 million residents.",
    "Police arrested 14 protesters outside parliament.",
    "No one was killed in the attack, the governor said.",
]


@pytest.mark.parametrize("sentence", NOT_EVENTS)
def test_no_claims(sentence: str) -> None:
    doc = extract(sentence)
    assert doc.casualties == [] and doc.control == [], (doc.casualties, doc.control)


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("In 1992, Armenian forces captured Lachin.", "history"),
        ("The ministry rejected claims that 200 soldiers had been killed.", "denial"),
        ("Russian forces failed to take Vuhledar.", "failed"),
        ("An offensive to retake Kherson could begin within weeks.", "hypothetical"),
        ("Armenian troops will hand over Kalbajar by Nov. 20.", "hypothetical"),
        ("Reports differ on whether the army had managed to capture Shusha.", "uncertain"),
        ("Liverpool took the lead and seized Goma in the league match.", "sport"),
        ("The Tories seized Hartlepool from Labour in the by-election.", "election"),
        ("Barcelona captured the title.", "no place"),
        # a claim on "a town" the text never names is dropped, and says so
        ("Rebels seized a town in the east. Aid workers said prices doubled.", "never named"),
        ("Police detained three men after the match.", "arrest"),
        ("Three children aged 7, 9 and 12 were killed in 1995.", "history"),
    ],
)
def test_rejections_say_why(sentence: str, reason: str) -> None:
    assert reason in {r.reason for r in trace(sentence)}


def test_history_is_clause_level() -> None:
    doc = extract(
        "Aliyev said his forces had captured 48 more settlements in Nagorno-Karabakh, an enclave "
        "that broke away from Azerbaijan's control during a bitter war in the 1990s."
    )
    assert doc.control == []  # an aggregate names no place: it is not a claim about one
    assert [(c.place, c.count) for c in doc.aggregates] == [("settlements", 48)]


def test_estimates_about_the_past_are_not_hypotheses() -> None:
    (claim,) = extract("Up to 300 civilians may have been killed in the massacre.").casualties
    assert (claim.count_low, claim.count_high, claim.qualifier) == (0, 300, "at_most")
