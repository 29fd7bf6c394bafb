"""Text in, claims out: read sentence by sentence, carrying speakers and places along."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import date

from briefwatch.extract import casualties, control
from briefwatch.extract.claims import CasualtyClaim, ControlClaim, Extraction, Rejection
from briefwatch.extract.lexicon import sentence_words
from briefwatch.extract.places import PlaceBook
from briefwatch.extract.sentences import split_sentences
from briefwatch.extract.sides import BUILTIN, SideTable, side_table
from briefwatch.extract.speakers import Attribution, Speakers, normalise_name

_FIRST_PERSON = frozenset({"our", "we", "my", "us"})
_ATTACKING = frozenset({"captured", "recaptured", "threatened", "encircled"})
_ENEMY = re.compile(r"(?:the\s+)?enemy(?:\s+(?:forces|troops|army|units))?|enemy\s+\w+", re.I)
_POSSESSIVE = frozenset({"his", "her", "its", "their", "our", "my"})


# A speaker after the words does not reach back across a contrast: in "20 were reported killed,
# though residents put the toll at 200", the residents said only the second figure.
_CONTRAST = re.compile(r"\b(?:though|although|whereas|while|but)\b|;")


def _claimant_at(sentence: str, attributions: list[Attribution], anchor: int) -> Attribution | None:
    """The speaker of the words at ``anchor``: the closest verb before it, else the first after
    it in the same stretch of the sentence."""
    before = [a for a in attributions if a.verb_end <= anchor]
    if before:
        return before[-1]
    after = attributions[0] if attributions else None
    if after and _CONTRAST.search(sentence, anchor, after.verb_start):
        return None
    return after


def resolve_actor(
    phrase: str | None,
    status: str,
    who: Attribution | None,
    anchor: int,
    last_actor: str | None,
    possessive: bool,
    sides: SideTable = BUILTIN,
) -> str | None:
    """Turn the actor as written into who it is: "his forces" -> "Azerbaijani forces"."""
    side = who.side if who else None
    if phrase is None:
        # "Shushi is lost", said by one side, concedes the loss for that side.
        return sides.forces(side) if status == "lost" and side else None
    words = phrase.split()
    first = words[0].lower()
    if first in _FIRST_PERSON and len(words) == 1:
        return sides.forces(side) if side else "our forces"
    if first in _POSSESSIVE:
        noun = " ".join(words[1:]) or "forces"
        return sides.members(side, noun) if side else phrase
    if first in ("it", "they") and len(words) == 1:
        if who and who.verb_end <= anchor:
            return who.claimant
        return last_actor
    if first in ("he", "she"):
        return None
    if possessive:
        named = sides.side_of(phrase)
        return sides.forces(named) if named else phrase
    return normalise_name(phrase)


def extract(
    text: str | Sequence[str],
    *,
    places: Mapping[str, str] | None = None,
    published: date | None = None,
    sides: Mapping[str, str] | SideTable | None = None,
    countries: Collection[str] | None = None,
) -> Extraction:
    """All casualty and control claims in a text (plain text or a list of paragraphs).

    ``places`` maps known aliases to canonical names (from config or the store); aliases the
    text declares itself are added to it and returned in ``Extraction.aliases``. ``published``
    is the report's date: a phrase dated in its month (or the month before) is news, not history.
    ``sides`` maps a conflict's words to its parties (casefolded word or name -> side name, as
    config ``[[sides]]`` gives them: {"rsf": "Rapid Support Forces"}); they name actors,
    claimants and losers exactly as the built-in countries do. None or empty: countries only.
    ``countries`` (ISO codes, config ``[watch] countries``) decide which place a name shared by
    several is (the gazetteer prefers those countries, then the largest); a control claim on a
    place the gazetteer knows carries its geonameid in ``place_id``.
    """
    table = side_table(sides)
    book = PlaceBook(places, table.not_places, countries or ())
    speakers = Speakers(sides=table)
    found_casualties: list[CasualtyClaim] = []
    found_control: list[ControlClaim] = []
    rejected: list[Rejection] = []
    last_actor: str | None = None
    for sentence in split_sentences(text):
        s, pos = sentence.text, sentence.position
        tokens = sentence_words(s)  # for the rules' keyword pre-filters
        speakers.note_persons(s, tokens)
        speakers.note_orgs(s, tokens)
        book.learn_aliases(s)
        attributions = speakers.attributions(s, tokens)
        persons = speakers.person_names()
        mentions = book.mentions(s, persons, tokens)
        first_side = attributions[0].side if attributions else None

        items, dropped = casualties.find_casualties(s, first_side, published, tokens, table)
        rejected += [Rejection("casualty", pos, t, r) for t, r in dropped]
        for c in items:
            who = _claimant_at(s, attributions, c.anchor)
            q = c.quantity
            found_casualties.append(CasualtyClaim(
                c.outcome, q.low, q.high, q.qualifier, c.victims, c.scope,
                who.claimant if who else None, s, pos, who.side if who else None,
            ))  # fmt: skip

        claims, misses = control.find_control(s, book, mentions, persons, published, tokens, table)
        rejected += [Rejection("control", pos, m.trigger, m.reason) for m in misses]
        for k in claims:
            who = _claimant_at(s, attributions, k.anchor)
            actor = resolve_actor(
                k.actor_phrase, k.status, who, k.anchor, last_actor, k.possessive, table
            )
            if actor and k.status != "contested":
                last_actor = actor
            found_control.append(ControlClaim(
                k.place, k.status, actor, who.claimant if who else None, s, pos, k.count,
                who.side if who else None, None if k.count is not None else book.place_id(k.place),
            ))  # fmt: skip
        book.remember(mentions)
    control_claims = _resolve_enemy(found_control, table)
    return Extraction(found_casualties, control_claims, book.aliases, rejected)


def _resolve_enemy(claims: list[ControlClaim], sides: SideTable = BUILTIN) -> list[ControlClaim]:
    """Resolve "the enemy" to the other side, when the text leaves only one candidate.

    Said by a speaker whose side is known, it is the one other side among the text's control
    claims (actors and claimants). Said by a speaker of unknown side while attacking ("the enemy
    is advancing on X"), it is the one side the text shows attacking. Otherwise it stays as said.
    """
    named = {sides.side_of(k.actor) for k in claims} | {k.claimant_side for k in claims}
    attackers = {sides.side_of(k.actor) for k in claims if k.status in _ATTACKING} - {None}
    resolved = []
    for k in claims:
        if k.actor and _ENEMY.fullmatch(k.actor):
            if k.claimant_side:
                others = named - {k.claimant_side, None}
            else:
                others = attackers if k.status in _ATTACKING else set()
            if len(others) == 1:
                k = replace(k, actor=sides.forces(next(iter(others))))
        resolved.append(k)
    return resolved


def to_json(extraction: Extraction) -> dict:
    """The extraction as one JSON-ready document (the `briefwatch extract --json` output)."""
    return {
        "casualties": [
            {
                "outcome": c.outcome, "count_low": c.count_low, "count_high": c.count_high,
                "qualifier": c.qualifier, "victims": c.victims, "scope": c.scope,
                "claimed_by": c.claimed_by, "claimant_side": c.claimant_side,
                "sentence": c.sentence,
            }
            for c in extraction.casualties
        ],
        "control": [
            {
                "place": k.place, "status": k.status, "actor": k.actor,
                "claimed_by": k.claimed_by, "claimant_side": k.claimant_side,
                "sentence": k.sentence, "count": k.count, "place_id": k.place_id,
            }
            for k in extraction.control
        ],
        "aliases": dict(extraction.aliases),
    }  # fmt: skip


def trace(
    text: str | Sequence[str],
    *,
    places: Mapping[str, str] | None = None,
    sides: Mapping[str, str] | SideTable | None = None,
) -> list[Rejection]:
    """Candidates the extractor saw and dropped, each with its reason (for debugging rules)."""
    return extract(text, places=places, sides=sides).rejected
