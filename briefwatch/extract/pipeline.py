"""Text in, claims out: read sentence by sentence, carrying speakers and places along."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, replace
from datetime import date
from functools import partial

from briefwatch.extract import (
    backoff,
    casualties,
    contests,
    control,
    holds,
    objectless,
    relatives,
    threats,
)
from briefwatch.extract.claims import (
    CasualtyClaim,
    ControlClaim,
    Dropped,
    Extraction,
    claim_fields,
)
from briefwatch.extract.denials import find_back_denial
from briefwatch.extract.filters import (
    election_text,
    frames_a_drill,
    goes_on_in_the_past,
    history_text,
    not_conflict_text,
    not_war_text,
    old_dated,
)
from briefwatch.extract.lexicon import scanning, sentence_words
from briefwatch.extract.limits import MAX_TEXT, cap_sentences, cap_text, text_cut
from briefwatch.extract.places import PlaceBook, PlaceMention
from briefwatch.extract.scare_quotes import unquoted
from briefwatch.extract.sentences import Sentence, split_sentences
from briefwatch.extract.sides import BUILTIN, SideTable, side_table
from briefwatch.extract.speakers import Attribution, Speakers, normalise_name, speaker_at
from briefwatch.extract.unnamed import Unnamed, name_places

_FIRST_PERSON = frozenset({"our", "we", "my", "us"})
_ATTACKING = frozenset({"captured", "recaptured", "threatened", "encircled"})
_ENEMY = scanning(r"(?:the\s+)?enemy(?:\s+(?:forces|troops|army|units))?|enemy\s+\w+", re.I)
_POSSESSIVE = frozenset({"his", "her", "its", "their", "our", "my"})
_QUOTE_CLOSE = scanning(r"[”\"]")


# A speaker after the words does not reach back across a contrast: in "20 were reported killed,
# though residents put the toll at 200", the residents said only the second figure.
_SET_OFF = scanning(r"[,\"”’:;—–]|\s-\s")
# ("while" before a participle is a time: "laid down their lives while repulsing the attack")
_CONTRAST = scanning(r"\b(?:though|although|whereas|while(?!\s+[a-z]+ing\b)|but)\b|;")


def _claimant_at(sentence: str, attributions: list[Attribution], anchor: int) -> Attribution | None:
    """The speaker of the words at ``anchor``: the closest verb before it, else the first after
    it in the same stretch of the sentence."""
    before = [a for a in attributions if a.verb_end <= anchor]
    if before:
        return before[-1]
    after = attributions[0] if attributions else None
    if after and _CONTRAST.search(sentence, anchor, after.verb_start):
        return None
    # "... retreated from X hours after Moscow announced ...": a speaker after the words
    # speaks for them only from across a comma or a quote ("..., the ministry said").
    if (
        after
        and after.verb_start > anchor
        and not _SET_OFF.search(sentence, anchor, after.verb_start)
    ):
        return None
    return after


def _speaker_of_words_at(
    sentence: str, attributions: list[Attribution], at: int
) -> Attribution | None:
    """Who says the words at ``at``: inside a quotation, the speaker named after it closes
    ("... This is not true," the spokesman said); otherwise as `_claimant_at`."""
    close = _QUOTE_CLOSE.search(sentence, at)
    opened = sentence.count("“", 0, at) > sentence.count("”", 0, at) or (
        sentence.count('"', 0, at) % 2 == 1
    )
    if opened and close:
        after = [a for a in attributions if a.verb_start >= close.end()]
        if after:
            return after[0]
    return _claimant_at(sentence, attributions, at)


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


# The words without which none of the readers of shapes left over can read a claim: most
# sentences of a page have none, and are not handed to each of them
_LEFTOVER_KEYS = threats.KEYS | holds.KEYS | contests.GATE_WORDS | relatives.KEYS


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
    rejected: list[Dropped] = []
    last_actor: str | None = None
    previous: list[ControlClaim] = []  # the changes of hands the sentence before claimed
    # Read at most MAX_TEXT characters, each sentence at most MAX_SENTENCE: each cut recorded.
    text, length = cap_text(text)
    sentences, cuts = cap_sentences(split_sentences(text))
    if length > MAX_TEXT:
        kept = len(text) if isinstance(text, str) else sum(map(len, text))
        cuts.insert(0, text_cut(length, kept, len(sentences)))
    pending: list[Unnamed] = []  # claims on a place the text names only later
    named_before: set[str] = set()
    earlier: list[PlaceMention] = []  # places named by the sentences before (the passage)
    # The paragraph an earlier sentence framed as a drill ("In the war game, ..."): what troops
    # take or surround after it in that paragraph is the exercise's, not news. (A drill merely
    # named, "days after drills near the border", frames nothing.)
    drill_paragraph: int | None = None
    for index, sentence in enumerate(sentences):
        s, pos = sentence.text, sentence.position
        tokens = sentence_words(s)  # for the rules' keyword pre-filters
        speakers.note_persons(s, tokens)
        speakers.note_orgs(s, tokens)
        book.learn_aliases(s)
        attributions = speakers.attributions(s, tokens)
        persons = speakers.person_names()
        # the claims are read past a dateline ("ADEN, Yemen — ..."), which names no actor and no
        # place a claim is about; positions stay those of the sentence
        read = unquoted(_undated(s))  # (and past scare quotes: `scare_quotes`)
        mentions = book.mentions(read, persons, tokens)
        first_side = attributions[0].side if attributions else None

        items, dropped = casualties.find_casualties(s, first_side, published, tokens, table)
        if items and _tells_the_past(sentences, index, published):
            dropped += [(s[c.anchor :].split(maxsplit=1)[0], "history") for c in items]
            items = []
        rejected += [Dropped("casualty", pos, t, r) for t, r in dropped]
        for c in items:
            who = _claimant_at(s, attributions, c.anchor)
            q = c.quantity
            found_casualties.append(CasualtyClaim(
                c.outcome, q.low, q.high, q.qualifier, c.victims, c.scope,
                who.claimant if who else None, s, pos, who.side if who else None, c.group,
            ))  # fmt: skip

        claims, misses = control.find_control(
            read, book, mentions, persons, published, tokens, table
        )
        # what the phrasing rules could not parse: a control verb and a settlement in its reach
        more, missed = backoff.find_backoff(
            read, book, mentions, {k.place for k in claims}, published, tokens, table
        )
        claims, misses = [*claims, *more], [*misses, *missed]
        if not _LEFTOVER_KEYS.isdisjoint(tokens):  # (one look for four readers' words)
            for reader in (threats.find_threats, holds.find_holds, contests.find_contests):
                taken = {k.place for k in claims}  # (threats, holds, contests: shapes left over)
                claims += reader(read, book, mentions, taken, published, tokens, table)
            # what a relative clause hung on a settlement tells of it ("Goma, which the rebels
            # captured")
            claims += relatives.find_relatives(
                read, book, mentions, {(k.place, k.status) for k in claims}, published, tokens,
                table,
            )  # fmt: skip
        if not claims and objectless.wants(tokens):
            # '"The militia is in control," said a resident.': the passage's one place, when
            # the sentence names none itself
            claims = objectless.find_objectless(
                read, partial(objectless.subject_of, mentions, earlier, book), tokens,
                published, table,
            )  # fmt: skip
        earlier += mentions
        if claims and drill_paragraph == sentence.paragraph:
            misses += [control.Miss(k.place, "exercise") for k in claims]
            claims = []
        if frames_a_drill(s, tokens):
            drill_paragraph = sentence.paragraph
        rejected += [Dropped("control", pos, m.trigger, m.reason) for m in misses]
        here: list[tuple[ControlClaim, int]] = []
        for k in claims:
            who = _claimant_at(s, attributions, k.anchor)
            if k.claimant:  # a claim the sentence reports as someone else's
                who = speakers.named(k.claimant, k.anchor)
            actor = resolve_actor(
                k.actor_phrase, k.status, who, k.anchor, last_actor, k.possessive, table
            )
            if actor and k.status != "contested":
                last_actor = actor
            here.append((ControlClaim(
                k.place, k.status, actor, who.claimant if who else None, s, pos, k.count,
                who.side if who else None,
                place_id=None if k.count is not None else book.place_id(k.place),
                canonical=None if k.count is not None else book.fact_name(k.place),
            ), k.anchor))  # fmt: skip
        # "lost control of a strategic town": held until a sentence to come names it
        unnamed = [
            Unnamed(k, f.unnamed, index)
            for (k, _), f in zip(here, claims, strict=True)
            if f.unnamed
        ]
        here = [(k, at) for (k, at), f in zip(here, claims, strict=True) if not f.unnamed]
        found_control += [k for k, _ in here]
        if pending:
            claimed_here = {k.place for k, _ in here}
            named, pending, expired = name_places(
                pending, s, index, mentions, book, named_before, claimed_here
            )
            found_control += named
            rejected += [Dropped("control", p.claim.position, p.claim.sentence, "never named")
                         for p in expired]  # fmt: skip
        pending += unnamed
        named_before.update(m.name for m in mentions)
        back = find_back_denial(s, tokens)
        if back:
            # "Russia claimed ..., but Kyiv denied the claim": the denial's own verb's speaker
            own = next((a for a in attributions if a.verb_start == back.verb), None)
            denier = (
                None
                if back.reporter
                else speakers.named(by, back.start)
                if back.by is not None and (by := speaker_at(s, back.by, table))
                else own or _speaker_of_words_at(s, attributions, back.start)
            )
            denied = [*previous, *(k for k, at in here if at < back.start)]
            found_control += _contested_by(denier, denied, s, pos, [k for k, _ in here])
        previous = [k for k, _ in here if k.status in control.CHANGES]
        book.remember(mentions)
    rejected += [Dropped("control", p.claim.position, p.claim.sentence, "never named")
                 for p in pending]  # fmt: skip
    whole = " ".join(s.text for s in sentences)
    if history_text(whole):  # a page about the Second World War: all of it is history
        rejected += [Dropped(kind, k.position, k.sentence, "history")
                     for kind, found in (("casualty", found_casualties), ("control", found_control))
                     for k in found]  # fmt: skip
        found_casualties, found_control = [], []
    if found_casualties and not_conflict_text(whole):
        rejected += [Dropped("casualty", c.position, c.sentence, "not-conflict")
                     for c in found_casualties]  # fmt: skip
        found_casualties = []
    peaceful = found_control and (
        "not-conflict" if not_war_text(whole) else "election" if election_text(whole) else None
    )
    if peaceful:
        rejected += [Dropped("control", k.position, k.sentence, peaceful)
                     for k in found_control]  # fmt: skip
        found_control = []
    control_claims = _once_each(_resolve_enemy(found_control, table), table)
    places = [k for k in control_claims if k.count is None]
    aggregates = [k for k in control_claims if k.count is not None]
    return Extraction(found_casualties, places, book.aliases, aggregates, rejected, cuts)


# "BANGUI, Dec 3 (Reuters) - ", "GOMA, Congo, Nov 20 (Reuters) - ", "KYIV, Ukraine (AP) — ",
# "Damascus: "
_DATELINE = scanning(
    r"[A-Z][A-Z’'.-]+(?:\s[A-Z][A-Z’'.-]+){0,2}(?:,\s+[A-Z][\w’'.]*(?:\s[\w’'.]+){0,2}){0,2}"
    r"\s*(?:\([A-Za-z][\w .-]{0,30}\))?\s*(?:-{1,2}|—|–)\s+"
    r"|[A-Z][a-z]+(?:\s[A-Z][a-z]+)?:\s+(?=[A-Z])"
)


def _undated(sentence: str) -> str:
    """The sentence with a dateline at its start blanked out (same length)."""
    if sentence[1:2].isupper() or ":" in sentence[:30]:
        m = _DATELINE.match(sentence)
        if m:
            return " " * m.end() + sentence[m.end() :]
    return sentence


def _tells_the_past(sentences: Sequence[Sentence], index: int, published: date | None) -> bool:
    """Whether a sentence goes on telling the past of an old-dated sentence before it in its
    paragraph ("The fighters seized the centre in August 1944. About 16,000 ... were killed"),
    with no time or present tense of its own, nor any sentence in between."""
    here = sentences[index]
    if not goes_on_in_the_past(here.text):
        return False
    for before in reversed(sentences[:index]):
        if before.paragraph != here.paragraph:
            return False
        if old_dated(before.text, published):
            return True
        if not goes_on_in_the_past(before.text):
            return False
    return False


def _contested_by(
    denier: Attribution | None,
    denied: list[ControlClaim],
    sentence: str,
    position: int,
    here: list[ControlClaim],
) -> list[ControlClaim]:
    """The places of the claims a back-denial denies, contested by the denier (once each; not
    a claimant's own claim, and not a place the sentence already contests)."""
    claimant = denier.claimant if denier else None
    done = {k.place for k in here if k.status == "contested"}
    out = []
    for k in denied:
        if k.place in done or (claimant and k.claimed_by == claimant):
            continue
        done.add(k.place)
        side = denier.side if denier else None
        out.append(replace(
            k, status="contested", actor=None, claimed_by=claimant, sentence=sentence,
            position=position, count=None, claimant_side=side, repeats=(),
        ))  # fmt: skip
    return out


def _once_each(claims: list[ControlClaim], sides: SideTable = BUILTIN) -> list[ControlClaim]:
    """One claim per place, status and claimant: a text that says twice that the same speaker
    claims the same thing ("his forces had captured Shusha ... 'Shusha has been liberated,'
    Aliyev said") makes one claim, the first, with the actor the text gives it; the later
    sentences stay with it as ``repeats`` (more evidence, not another claim)."""
    first: dict[tuple[str, str, str | None], int] = {}
    out: list[ControlClaim] = []
    for k in claims:
        key = (k.place, k.status, k.claimed_by)
        if key not in first:
            told = _retold(k, out, sides)
            if told is None:
                first[key] = len(out)
                out.append(k)
                continue
            first[key] = told
        kept = out[first[key]]
        out[first[key]] = replace(kept, actor=kept.actor or k.actor, repeats=(*kept.repeats, k))
    return out


# (re.compile, not lexicon.scanning: it is only ever matched whole, never searched along a text)
_GENERIC_ACTOR = re.compile(
    r"(?:the\s+)?(?:troops|forces|soldiers|fighters|units|army|they|it)", re.I
)


def _retold(k: ControlClaim, kept: list[ControlClaim], sides: SideTable) -> int | None:
    """The earlier claim a capture retells ("... retook control of the town of X, a source
    said. The troops entered the town from two directions, the source said"): a later capture
    of a place just recaptured, by the same source, by the same side or a generic actor. ("The
    source" is the source described before: `speakers` resolves it, the one place that does.)"""
    if k.status != "captured" or k.count is not None:
        return None
    for i in range(len(kept) - 1, -1, -1):
        e = kept[i]
        if e.place != k.place or e.status != "recaptured" or e.position >= k.position:
            continue
        if e.claimed_by != k.claimed_by:
            return None
        generic = not k.actor or _GENERIC_ACTOR.fullmatch(k.actor) is not None
        same_side = sides.side_of(k.actor) is not None and (
            sides.side_of(k.actor) == sides.side_of(e.actor)
        )
        return i if generic or same_side else None
    return None


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


# What of a claim the CLI's JSON leaves out: the sentence's index in the input (the sentence
# itself is there), and a control claim's repeats (the text saying it again: more evidence for
# the store, no claim of its own). An aggregate calls its place noun "noun" and has no place id
# or canonical name (it names no place).
_CASUALTY_NOT_IN_JSON = ("position",)
_CONTROL_NOT_IN_JSON = ("position", "repeats")
_AGGREGATE_NOT_IN_JSON = ("position", "repeats", "place_id", "canonical")


def to_json(extraction: Extraction) -> dict:
    """The extraction as one JSON-ready document (the `briefwatch extract --json` output): each
    claim's fields (`claims.claim_fields`) but those left out above."""
    return {
        "casualties": [claim_fields(c, _CASUALTY_NOT_IN_JSON) for c in extraction.casualties],
        "control": [claim_fields(k, _CONTROL_NOT_IN_JSON) for k in extraction.control],
        "aggregates": [
            {("noun" if name == "place" else name): value
             for name, value in claim_fields(k, _AGGREGATE_NOT_IN_JSON).items()}
            for k in extraction.aggregates
        ],
        "aliases": dict(extraction.aliases),
        "cuts": [asdict(c) for c in extraction.cuts],
    }  # fmt: skip


def trace(
    text: str | Sequence[str],
    *,
    places: Mapping[str, str] | None = None,
    sides: Mapping[str, str] | SideTable | None = None,
) -> list[Dropped]:
    """Candidates the extractor saw and dropped, each with its reason (for debugging rules)."""
    return extract(text, places=places, sides=sides).rejected
