"""Every field of a claim reaches both places a claim is written out: the store's row (read back
equal) and `briefwatch extract --json`. A field added to `CasualtyClaim` or `ControlClaim` and
forgotten by either fails here (a merge once dropped ``group`` from one of them, silently).

The text is the seed briefing: its claims between them give every field a value other than its
default (checked first, so that a forgotten field cannot go unseen by taking its default).
"""

from __future__ import annotations

from dataclasses import MISSING, fields, replace
from datetime import UTC, datetime

from sqlmodel import select

from briefwatch.extract import extract
from briefwatch.extract.claims import CasualtyClaim, ControlClaim, Extraction
from briefwatch.extract.pipeline import to_json
from briefwatch.models import Claim
from briefwatch.store import Store
from briefwatch.stories.batch import Incoming, store_articles
from parsers.types import ParsedArticle
from tests.conftest import FIXTURES

SEED = FIXTURES / "seed" / "000_3b5ad19eb9c928a4.txt"
PUBLISHED = datetime(2020, 11, 10, 9, tzinfo=UTC)
PARAGRAPHS = tuple(p.strip() for p in SEED.read_text("utf-8").split("\n\n") if p.strip())


def _seed() -> Extraction:
    return extract(list(PARAGRAPHS), published=PUBLISHED.date(), places={}, sides={})


def _every_field_has_a_value_of_its_own(claims: list, kind: type) -> None:
    assert claims
    for f in fields(kind):
        if f.default is not MISSING:
            assert any(getattr(c, f.name) != f.default for c in claims), f.name


def _without_repeats(claims: list[ControlClaim]) -> set[ControlClaim]:
    """Each control claim and each later sentence that repeats it, as a claim of its own."""
    return {replace(said, repeats=()) for k in claims for said in (k, *k.repeats)}


def test_what_the_store_keeps_of_a_claim_reads_back_as_the_same_claim(db_url: str) -> None:
    found = _seed()
    control = [*found.control, *found.aggregates]
    _every_field_has_a_value_of_its_own(found.casualties, CasualtyClaim)
    _every_field_has_a_value_of_its_own(control, ControlClaim)

    store = Store(db_url)
    parsed = ParsedArticle(
        url="https://outlet.example/shusha", title="Shusha", paragraphs=PARAGRAPHS,
        parser="generic", outlet="outlet", published=PUBLISHED,
    )  # fmt: skip
    done = store_articles(
        store, "test", [Incoming(parsed.url, parsed)], {}, {}, store.place_aliases
    )
    assert done.claims > 0
    with store.session() as session:
        rows = list(session.exec(select(Claim)))
    # a row is its columns (the sentence, its position) and its data (every other field)
    casualties = {
        CasualtyClaim(**r.data, sentence=r.sentence, position=r.position)
        for r in rows
        if r.kind == "casualty"
    }
    places = {
        ControlClaim(**r.data, sentence=r.sentence, position=r.position)
        for r in rows
        if r.kind == "control"
    }
    assert casualties == set(found.casualties)
    assert places == _without_repeats(control)


def test_the_cli_json_carries_every_field_of_a_claim_but_its_position() -> None:
    found = _seed()
    _every_field_has_a_value_of_its_own(found.casualties, CasualtyClaim)
    document = to_json(found)  # what `briefwatch extract --json` prints

    def written(claim: object, leave_out: set[str]) -> dict:
        return {f.name: getattr(claim, f.name) for f in fields(claim) if f.name not in leave_out}

    assert document["casualties"] == [written(c, {"position"}) for c in found.casualties]
    assert document["control"] == [written(k, {"position", "repeats"}) for k in found.control]
    # an aggregate names no place: its noun under "noun", and no place id or canonical name
    assert found.aggregates
    assert document["aggregates"] == [
        {"noun": k.place, **written(k, {"place", "position", "repeats", "place_id", "canonical"})}
        for k in found.aggregates
    ]
