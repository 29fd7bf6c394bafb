"""Matching predicted claims to gold claims, and the tallies that come out of it.

Two ways to match, both reported by `make eval`:

- core (the issue's headline figures): a casualty matches on outcome and count range
  (count_low, count_high); a control claim on place (as the extractor writes it: the text's
  own spelling, as the labels have it) and status. Every other field is then scored on the
  matched pairs as a per-field accuracy (qualifier, victims, scope, actor, claimed_by ...), so
  one wrong field shows where it is instead of turning a hit into a miss and a false positive.
- strict: every key field must agree (casualty: outcome, count range, qualifier, scope, victims;
  control: place, status, the actor's side). The regression floors are on this one.
- review: how the real-text sets (`../shared/real-dev`, and the held-out real sets scored at
  review) are matched: a casualty on outcome and count_low; a control claim on place
  (normalised: case, accents and punctuation folded, one name containing the other allowed; or
  two spellings the gazetteer takes for one place, "Taleqan" and "Taloqan") and status group
  (captured/recaptured/lost are a change of hands; threatened/encircled a threat; held;
  contested). Victims, actor and claimed_by are then field accuracy on the matched pairs.

The actor is compared by its side (`side_of`) when either names one; otherwise by its text
(lowercase, without a leading "the"), so "the enemy" must match "the enemy" and a missing actor
a missing actor. An item with ``sides`` (config shape: {"Rapid Support Forces": ["RSF",
"paramilitaries"]}) is extracted with them, and its actors are compared by those sides too.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from briefwatch.extract.pipeline import extract
from briefwatch.extract.sides import SideTable, side_table, side_words
from briefwatch.places import Place, gazetteer

KINDS = ("casualty", "control")
MODES = ("strict", "core", "review")
GOLD_FIELD = {"casualty": "casualties", "control": "control"}
CORE = {"casualty": ("outcome", "count_low", "count_high"), "control": ("place", "status")}
# Fields scored on matched pairs, in the order they are printed.
FIELDS = {
    # (group: the normalised group a claim's fact goes by, in our gold sets only)
    "casualty": ("qualifier", "victims", "group", "scope", "claimed_by"),
    "control": ("actor", "claimed_by", "count"),
}
# The real-text sets carry no scope or count: their pairs are scored on what they label.
REVIEW_FIELDS = {
    "casualty": ("count_high", "qualifier", "victims", "claimed_by"),
    "control": ("actor", "claimed_by"),
}
# Statuses that mean the same thing to the review matching.
STATUS_GROUP = {
    "captured": "change", "recaptured": "change", "lost": "change", "held": "held",
    "contested": "contested", "threatened": "threat", "encircled": "threat",
}  # fmt: skip
STRICT_EXTRA = {"casualty": ("qualifier", "scope", "victims"), "control": ("actor",)}


def item_sides(item: Mapping[str, Any]) -> dict[str, str]:
    """A gold item's ``sides`` ({name: [aliases]}, as config ``[[sides]]``) as `extract` takes
    them: casefolded word or name -> side name. Empty when the item has none."""
    return side_words((item.get("sides") or {}).items())


def actor_key(actor: str | None, sides: SideTable | None = None) -> str | None:
    """The actor as compared: its side when it names one, else its text."""
    side = side_table(sides).side_of(actor)
    if side:
        return side
    if not actor:
        return None
    text = actor.lower().strip()
    return text[4:] if text.startswith("the ") else text


def _text_key(value: str | None) -> str:
    return (value or "").lower().strip()


# How each field is compared (anything not listed: plain equality).
_NORMALISE: dict[str, Callable[[Any], Any]] = {
    "victims": _text_key,
    "claimed_by": _text_key,
}


def field_value(name: str, claim: Mapping[str, Any], sides: SideTable | None = None) -> Any:
    """A claim's field in the form it is compared in (``sides``: the item's side table)."""
    value = claim.get(name)
    if name == "actor":
        return actor_key(value, sides)
    return _NORMALISE.get(name, lambda v: v)(value)


def key_of(
    kind: str, claim: Mapping[str, Any], mode: str = "strict", sides: SideTable | None = None
) -> tuple:
    """The fields a predicted and a gold claim must share to match (strict and core modes)."""
    names = CORE[kind] + (STRICT_EXTRA[kind] if mode == "strict" else ())
    return tuple(field_value(n, claim, sides) for n in names)


def place_key(name: str | None) -> str:
    """A place name as the review matching compares it: "El-Fasher" and "el Fasher" agree."""
    folded = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    return " ".join("".join(c if c.isalnum() else " " for c in folded.casefold()).split())


def matches(
    kind: str, predicted: Mapping[str, Any], gold: Mapping[str, Any], mode: str,
    sides: SideTable | None = None,
) -> bool:  # fmt: skip
    """Whether a predicted claim can be paired with a gold claim under ``mode``."""
    if mode != "review":
        return key_of(kind, predicted, mode, sides) == key_of(kind, gold, mode, sides)
    if kind == "casualty":
        return (predicted["outcome"], predicted["count_low"]) == (
            gold["outcome"],
            gold["count_low"],
        )
    if STATUS_GROUP.get(predicted["status"]) != STATUS_GROUP.get(gold["status"]):
        return False
    a, b = place_key(predicted["place"]), place_key(gold["place"])
    return bool(a and b) and (a in b or b in a or _same_place(a, b))


@lru_cache(maxsize=4096)
def _same_place(a: str, b: str) -> bool:
    """Whether the gazetteer takes two spellings for one place (the labels of real text spell
    a town as the labeller knows it, the text as its outlet does)."""
    found = [gazetteer().resolve(name) for name in (a, b)]
    return all(isinstance(p, Place) for p in found) and found[0].id == found[1].id


@dataclass
class FieldTally:
    """Agreement of one field over the matched pairs."""

    agree: int = 0
    total: int = 0
    wrong: list[dict] = field(default_factory=list)  # {"id", "gold", "predicted"}

    @property
    def accuracy(self) -> float:
        return self.agree / self.total if self.total else 1.0


@dataclass
class Tally:
    """Counts for one kind of claim under one way of matching."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    misses: list[dict] = field(default_factory=list)
    false_positives: list[dict] = field(default_factory=list)
    fields: dict[str, FieldTally] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def claimed_by_agree(self) -> int:
        """Matched pairs whose claimant agrees (kept for the strict table's last column)."""
        return self.fields["claimed_by"].agree if "claimed_by" in self.fields else 0

    def add(self, other: Tally) -> None:
        """Fold another tally's counts into this one (for "overall")."""
        self.gold += other.gold
        self.predicted += other.predicted
        self.matched += other.matched
        for name, f in other.fields.items():
            mine = self.fields.setdefault(name, FieldTally())
            mine.agree += f.agree
            mine.total += f.total


def _short(kind: str, claim: Mapping[str, Any]) -> dict:
    names = (
        ("outcome", "count_low", "count_high", "qualifier", "victims", "scope", "claimed_by")
        if kind == "casualty"
        else ("place", "status", "actor", "claimed_by", "count")
    )
    return {n: claim.get(n) for n in names}


def fields_for(kind: str, mode: str) -> tuple[str, ...]:
    """The fields scored on matched pairs under ``mode``."""
    return (REVIEW_FIELDS if mode == "review" else FIELDS)[kind]


def _agreement(
    kind: str, a: Mapping[str, Any], b: Mapping[str, Any], mode: str,
    sides: SideTable | None = None,
) -> int:  # fmt: skip
    names = fields_for(kind, mode)
    exact = kind == "control" and a.get("place") == b.get("place")
    return sum(field_value(n, a, sides) == field_value(n, b, sides) for n in names) + exact


def predictions(item: Mapping[str, Any]) -> dict[str, list[dict]]:
    """What the extractor finds in one gold item, as plain dicts per kind."""
    published = item.get("published")
    doc = extract(
        item["text"],
        published=date.fromisoformat(published) if published else None,
        sides=item_sides(item),
    )
    return {
        "casualty": [asdict(c) for c in doc.casualties],
        "control": [asdict(c) for c in doc.control],
    }


def _score_item(
    item: Mapping[str, Any], predicted: dict[str, list[dict]], mode: str, tallies: dict
) -> None:
    sides = side_table(item_sides(item))
    for kind in KINDS:
        tally = tallies[kind]
        gold = list(item[GOLD_FIELD[kind]])
        tally.gold += len(gold)
        tally.predicted += len(predicted[kind])
        unmatched = list(gold)
        for claim in predicted[kind]:
            candidates = [g for g in unmatched if matches(kind, claim, g, mode, sides)]
            if not candidates:
                tally.false_positives.append({"id": item["id"], "claim": _short(kind, claim)})
                continue
            # Among gold claims with the same core, pair with the one that agrees most.
            hit = max(candidates, key=lambda g: _agreement(kind, claim, g, mode, sides))
            unmatched.remove(hit)
            tally.matched += 1
            for name in fields_for(kind, mode):
                f = tally.fields.setdefault(name, FieldTally())
                f.total += 1
                if field_value(name, claim, sides) == field_value(name, hit, sides):
                    f.agree += 1
                else:
                    f.wrong.append({"id": item["id"], "gold": hit.get(name),
                                    "predicted": claim.get(name)})  # fmt: skip
        tally.misses += [{"id": item["id"], "claim": _short(kind, g)} for g in unmatched]


def score(items: Iterable[Mapping[str, Any]], mode: str = "strict") -> dict[str, Tally]:
    """Tallies per kind, plus "overall", over gold items (``mode``: one of `MODES`)."""
    return score_both(items)[mode]


def score_both(items: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Tally]]:
    """Tallies under every mode (`MODES`) from one extraction of each item."""
    out: dict[str, dict[str, Tally]] = {}
    per_mode = {mode: {kind: Tally() for kind in KINDS} for mode in MODES}
    for item in items:
        predicted = predictions(item)
        for mode, tallies in per_mode.items():
            _score_item(item, predicted, mode, tallies)
    for mode, tallies in per_mode.items():
        overall = Tally()
        for t in tallies.values():
            overall.add(t)
        out[mode] = {**tallies, "overall": overall}
    return out
