"""A fold reads only the claims that can move a fact, and gets the same facts as reading them all.

Long random histories (sides taking, holding, losing and contesting places; independent
outlets; figures from claimants spelt two ways; times with and without an offset, and none),
folded pass by pass on SQLite and on PostgreSQL: after every pass each fact's state is the one
`facts.fold` gives over every claim of the fact, as the fold did before it chose its claims.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from itertools import count
from typing import Any

from sqlmodel import Session, select

from briefwatch import names, pipeline
from briefwatch.config import Settings, parse_config
from briefwatch.facts import queries as foldquery
from briefwatch.facts import state as facts
from briefwatch.models import Article, Claim, Fact, Story
from briefwatch.store import Store

PLACES = ("Shusha", "Lachin", "Hadrut")
# (claimed_by, actor, claimant_side) and what each tends to say: parties and their officials,
# independent reporters, nobody in particular; any of them may say anything now and then.
TAKING, DEFENDING = ("captured", "held", "recaptured"), ("contested", "encircled", "lost", "held")
CONTROL_SPEAKERS = (
    (("Azerbaijani President Ilham Aliyev", "Azerbaijani forces", "Azerbaijan"), TAKING),
    (("the Azerbaijani Defense Ministry", "Azerbaijani troops", None), TAKING),
    (("Armenian officials", "Armenian forces", "Armenia"), DEFENDING),
    (("the separatists", None, None), DEFENDING),
    (("Vahram Poghosyan", "the enemy", "Armenia"), ("threatened", "encircled", "lost")),
    (("AFP", "Azerbaijani forces", None), TAKING),
    (("Reuters", "Azerbaijani forces", None), TAKING),
    (("a local journalist", "Armenian forces", None), DEFENDING),
    ((None, "Azerbaijani forces", None), TAKING),
    ((None, None, None), tuple(facts.PRECEDENCE)),
)
CLAIMANTS = ("the Defense Ministry", "The Defense Ministry", "Armenian officials", None, "")
OUTLETS = ("AFP", "The Moscow Times", "Reuters", "Azatutyun", "")
ZONES = (UTC, timezone(timedelta(hours=4)), timezone(timedelta(hours=-5)))


def settings_for(db_url: str) -> Settings:
    return parse_config(
        {
            "storage": {"url": db_url},
            "sources": [{"name": "s", "url": "http://127.0.0.1/feed"}],
            "sides": [{"name": "Armenia", "aliases": ["separatist", "separatists"]}],
        }
    )


class History:
    """Random claims on a few subjects, stored like a pass stores them."""

    def __init__(self, store: Store, seed: int) -> None:
        self.store, self.rng, self.keys = store, random.Random(seed), count(1)
        with store.session() as session:
            for n in range(40):
                session.add(Story(id=n + 1, fingerprint=f"f{n}", title=f"story {n}"))
            session.flush()
            for n in range(120):  # up to three copies of a story, at different outlets
                outlet = OUTLETS[n % len(OUTLETS)]
                session.add(
                    Article(
                        id=n + 1, url=f"http://x/{n}", story_id=n % 40 + 1, source="s",
                        outlet=outlet, title="t", parser="generic", body_hash=f"h{n}",
                    )
                )  # fmt: skip

    def when(self) -> datetime | None:
        if self.rng.random() < 0.05:
            return None
        day = datetime(2020, 10, 1, tzinfo=UTC) + timedelta(minutes=self.rng.randrange(12 * 1440))
        return day.astimezone(self.rng.choice(ZONES))

    def control(self) -> dict[str, Any]:
        (claimed_by, actor, claimant_side), says = self.rng.choice(CONTROL_SPEAKERS)
        status = self.rng.choice(says if self.rng.random() < 0.85 else tuple(facts.PRECEDENCE))
        aggregate = self.rng.random() < 0.1
        data = {
            "place": "villages" if aggregate else self.rng.choice(PLACES),
            "status": status,
            "actor": actor,
            "claimed_by": claimed_by,
            "count": self.rng.randrange(2, 50) if aggregate else None,
            "claimant_side": claimant_side,
        }
        return self.row("control", data, "")

    def casualty(self) -> dict[str, Any]:
        low = self.rng.choice((2, 3, 10, 24, 200, 1000, 1200))
        data = {
            "outcome": self.rng.choice(("killed", "wounded")),
            "count_low": low,
            "count_high": self.rng.choice((None, None, low, low + 5)),
            "qualifier": self.rng.choice(("exact", "at_least", "approx", "vague")),
            "victims": "people",
            "scope": self.rng.choice(("cumulative", "incident")),
            "claimed_by": self.rng.choice(CLAIMANTS),
            "claimant_side": None,
        }
        return self.row("casualty", data, self.rng.choice(("2020-10-02", "2020-10-03")))

    def row(self, kind: str, data: dict[str, Any], incident: str) -> dict[str, Any]:
        article = self.rng.randrange(1, 121)
        n = next(self.keys)
        return {
            "key": f"k{n}", "kind": kind,
            "fact_key": facts.fact_key(kind, data, incident, {"separatists": "Armenia"}),
            "story_id": (article - 1) % 40 + 1, "article_id": article, "sentence": f"s{n}",
            "claimed_by": data["claimed_by"], "position": self.rng.randrange(5),
            "published": self.when(), "data": data, "folded": False,
        }  # fmt: skip

    def add(self, n: int) -> None:
        rows = [self.control() if self.rng.random() < 0.7 else self.casualty() for _ in range(n)]
        with self.store.session() as session:
            self.store.insert_ignore(session, Claim, rows)


def every_claim(session: Session) -> tuple[dict[str, list[Claim]], dict[int, str]]:
    """Every stored claim by fact key (facts in the order of their first claim), and the
    outlet of every article."""
    outlets = dict(session.exec(select(Article.id, Article.outlet)).all())
    grouped: dict[str, list[Claim]] = {}
    for claim in session.exec(select(Claim).order_by(Claim.id)):
        grouped.setdefault(claim.fact_key, []).append(claim)
    return grouped, outlets


def folded_over_every_claim(store: Store, settings: Settings) -> dict[str, dict]:
    """Each fact's state as `facts.fold` gives it over all of its claims (the fold before)."""
    sides = names.sides_map(settings)
    with store.session() as session:
        grouped, outlets = every_claim(session)
    return {key: facts.fold(key, group, sides, outlets) for key, group in grouped.items()}


def stored_states(store: Store) -> dict[str, dict]:
    with store.session() as session:
        return {fact.key: fact.state for fact in session.exec(select(Fact))}


def test_a_long_random_history_folds_to_the_same_facts_pass_by_pass(db_url: str) -> None:
    store = Store(db_url)
    settings = settings_for(db_url)
    history = History(store, seed=1)
    seen: Counter[str] = Counter()
    for _ in range(12):
        history.add(120)
        pipeline.fold_facts(store, settings)
        expected, stored = folded_over_every_claim(store, settings), stored_states(store)
        assert stored == expected
        # The same order too: it decides the order of the sides in an alert and its evidence.
        assert {k: list(v.get("positions", v)) for k, v in stored.items()} == {
            k: list(v.get("positions", v)) for k, v in expected.items()
        }
        for state in expected.values():
            seen.update(
                k for k in ("confirmed_by", "conceded_by", "others", "count") if state.get(k)
            )
            seen[state.get("status", "")] += 1
            seen.update("stale" for p in state.get("positions", {}).values() if "stale" in p)
    # The history went through the cases the fold decides differently.
    for case in ("disputed", "confirmed_by", "conceded_by", "stale", "others", "count", "held"):
        assert seen[case], f"the random history never produced {case!r}: {seen}"


def test_repeating_the_same_statements_does_not_grow_what_a_fold_reads(db_url: str) -> None:
    store = Store(db_url)
    History(store, seed=3).add(200)
    with store.session() as session:
        originals = [c.model_dump(exclude={"id"}) for c in session.exec(select(Claim))]
    keys = {c["fact_key"] for c in originals}
    read = []
    for copy in range(3):
        with store.session() as session:  # five more copies of every statement
            rows = [{**c, "key": f"{c['key']}-{copy}-{n}"} for c in originals for n in range(5)]
            store.insert_ignore(session, Claim, rows)
        with store.session() as session:
            read.append(sum(map(len, foldquery.needed_claims(session, keys).values())))
    assert read[0] == read[1] == read[2]  # of 1,200, 2,200 and 3,200 claims


def test_the_claims_the_store_ranks_first_are_the_ones_the_fold_rests_on(db_url: str) -> None:
    """The SQL ranking (`facts.queries`) against the Python rule (`facts.state`), on the same
    claims: every claim a fold over all of a fact's claims rests on (each side's position, the
    chosen figure and those beside it) is among the claims the store picks, and the fold over
    the store's picks, with the store's confirmations, is the same fact."""
    store = Store(db_url)
    sides = names.sides_map(settings_for(db_url))
    History(store, seed=7).add(900)
    seen: Counter[str] = Counter()
    with store.session() as session:
        grouped, outlets = every_claim(session)
        picked = foldquery.needed_claims(session, grouped)
        assert list(picked) == list(grouped)  # facts in the order of their first claim
        for key, claims in grouped.items():
            by_python = facts.fold_state(key, claims, sides, outlets)
            confirming = foldquery.confirming(session, key, picked[key], sides)
            by_store = facts.fold_state(key, picked[key], sides, outlets, confirming)
            assert by_store.to_json() == by_python.to_json(), key
            confirmed = getattr(by_python, "confirmed_by", None) or []
            rests_on = set(facts.evidence_claim_ids(by_python)) - {r.claim_id for r in confirmed}
            assert rests_on <= {c.id for c in picked[key]}, key
            seen.update(["confirmed"] if confirmed else [])
            seen.update(["others"] if getattr(by_python, "others", None) else [])
            seen["picked fewer"] += len(picked[key]) < len(claims)
    # The history reached the cases where the store must rank as the fold does.
    assert seen["confirmed"] and seen["others"] and seen["picked fewer"], seen
