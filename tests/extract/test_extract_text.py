"""Sentences, speakers, places and sides: the context every claim is read in."""

from __future__ import annotations

import pytest

from briefwatch.extract import extract
from briefwatch.extract.places import PlaceBook, is_place_name
from briefwatch.extract.sentences import split_sentences
from briefwatch.extract.sides import demonym, side_of
from briefwatch.extract.speakers import Speakers


def test_sentences_survive_abbreviations_and_quotes() -> None:
    text = (
        'Mr. Smith met Gen. Ivanov on Nov. 9 at a U.S. base. "It is over. We lost," he said. '
        "Then it ended."
    )
    assert [s.text for s in split_sentences(text)] == [
        "Mr. Smith met Gen. Ivanov on Nov. 9 at a U.S. base.",
        '"It is over. We lost," he said.',
        "Then it ended.",
    ]


def test_hard_wrapped_paragraphs_are_joined_and_numbered() -> None:
    sentences = split_sentences("First line\nwraps here. Second one.\n\nNew paragraph.")
    assert [(s.text, s.position, s.paragraph) for s in sentences] == [
        ("First line wraps here.", 0, 0),
        ("Second one.", 1, 0),
        ("New paragraph.", 2, 1),
    ]


def _claimants(*sentences: str) -> list[str | None]:
    speakers = Speakers()
    out = []
    for s in sentences:
        speakers.note_persons(s)
        found = speakers.attributions(s)
        out.append(found[0].claimant if found else None)
    return out


@pytest.mark.parametrize(
    ("sentence", "claimant"),
    [
        ("The Defense Ministry in Moscow said two were killed.", "the Defense Ministry in Moscow"),
        ("X fell, according to the UN migration agency.", "the UN migration agency"),
        ("The army said in a statement that X fell.", "the army"),
        ("Vahram Poghosyan, a spokesman, posted on Facebook that X fell.", "Vahram Poghosyan"),
        (
            "Azerbaijani President Ilham Aliyev announced on Sunday X.",
            ALIYEV := ("Azerbaijani President Ilham Aliyev"),
        ),
        ("X fell, said the ministry.", "the ministry"),
        ("Officials in Sumy said X.", "officials in Sumy"),
        ("General Oleksandr Syrskyi said X.", "General Oleksandr Syrskyi"),
    ],
)
def test_speaker_forms(sentence: str, claimant: str) -> None:
    assert _claimants(sentence) == [claimant]


def test_pronouns_and_surnames_resolve_to_the_fullest_mention() -> None:
    assert _claimants(
        "Azerbaijani President Ilham Aliyev announced X.",
        '"X," he said.',
        "Aliyev said on Twitter that X.",
        "The Defense Ministry in Moscow said X.",
        "X, it said.",
    ) == [
        ALIYEV,
        ALIYEV,
        ALIYEV,
        "the Defense Ministry in Moscow",
        "the Defense Ministry in Moscow",
    ]


def test_the_source_is_the_source_described_before() -> None:
    """A speaker "the (security) source" is the source a sentence before described: its figures are
    that source's, and troops entering a town it said was retaken retell that recapture (one
    claim); another side entering the town is a capture of its own."""
    told = "Government troops retook the town of Hit on Monday, a local security source said."
    (retold,) = extract(
        f"{told} The troops entered the town from the north, the security source said."
    ).control
    assert (retold.status, retold.claimed_by, len(retold.repeats)) == (
        "recaptured", "a local security source", 1,
    )  # fmt: skip
    again = extract(f"{told} The militants entered the town again, the security source said.")
    assert [(k.status, k.claimed_by) for k in again.control] == [
        ("recaptured", "a local security source"),
        ("captured", "a local security source"),
    ]
    (figure,) = extract(
        f"{told} Eleven insurgents were killed, the security source said."
    ).casualties
    assert figure.claimed_by == "a local security source"
    # a speaker of another kind is not taken for it by its last word alone
    (_, other) = extract(
        f"{told} The militants entered the town again, the army source said."
    ).control
    assert other.claimed_by == "the army source"


def test_possessive_actor_takes_the_speakers_side() -> None:
    (claim,) = extract(
        "Azerbaijani President Ilham Aliyev said his forces had taken Shusha."
    ).control
    assert claim.actor == "Azerbaijani forces"
    (claim,) = extract("Russia's Defence Ministry said its troops had captured Pisky.").control
    assert claim.actor == "Russian troops"


def test_aliases_from_text_and_config() -> None:
    book = PlaceBook({"Artemivsk": "Bakhmut"})
    book.learn_aliases("Shusha, known as Shushi in Armenian, is on a hill.")
    book.learn_aliases("The town of Kreminna, which Russians call Kremennaya, is quiet.")
    assert book.canonical("Shushi") == "Shusha"
    assert book.canonical("Kremennaya") == "Kreminna"
    assert book.canonical("Artemivsk") == "Bakhmut"
    assert book.aliases == {"Shushi": "Shusha", "Kremennaya": "Kreminna"}


def test_the_town_is_the_last_named_town() -> None:
    doc = extract(
        "Troops reached the key town of Shusha near Stepanakert. "
        "Battles for the town continue, officials said."
    )
    assert [(c.place, c.status) for c in doc.control] == [("Shusha", "contested")]


@pytest.mark.parametrize(
    "name", ["November", "Monday", "Nikol Pashinyan", "Civil Contract Party", "Dynamo Kyiv",
             "Russian", "RSF", "Facebook"],
)  # fmt: skip
def test_a_place_is_never_a_person_party_club_or_month(name: str) -> None:
    assert not is_place_name(name, persons=["Prime Minister Nikol Pashinyan"])


@pytest.mark.parametrize("name", ["Shusha", "Nagorno-Karabakh", "Deir al-Balah", "Armenia"])
def test_places_are_places(name: str) -> None:
    assert is_place_name(name)


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("Azerbaijani forces", "Azerbaijan"),
        ("Armenian officials", "Armenia"),
        ("the Defense Ministry in Moscow", "Russia"),
        ("Armenia-backed separatists", "Armenia"),
        ("a spokesman for Karabakh's separatist leader", "Armenia"),
        ("the General Staff in Kyiv", "Ukraine"),
        ("U.S. troops", "United States"),
        ("the enemy", None),
        (None, None),
    ],
)
def test_side_of(text: str | None, side: str | None) -> None:
    assert side_of(text) == side


def test_side_of_extra_words_from_config() -> None:
    assert side_of("separatist forces") is None
    assert side_of("separatist forces", {"separatist": "Armenia"}) == "Armenia"
    assert demonym("Armenia") == "Armenian"
    assert demonym("RSF") == "RSF"


def test_a_spokesman_of_a_ministry_named_before_speaks_for_its_side() -> None:
    text = (
        "Armenia's Defense Ministry rejected the claim. "
        '"The fighting for Shushi continues," ministry spokesman Artsrun Hovhannisyan said.'
    )
    (claim,) = extract(text).control
    assert claim.claimed_by == "ministry spokesman Artsrun Hovhannisyan"
    assert claim.claimant_side == "Armenia"
