"""Ordinary news must not read as war: false claims per 1,000 articles, a regression floor.

Measured on eval/news/articles.jsonl (then 134 articles of our own writing, eval/news/README.md)
when the set was made, before any rule was changed for it:

    casualty  expected 20 (crime)  found 72  expected found 14  false 58  = 432.8 per 1,000
    control   expected 0           found 58                     false 58  = 432.8 per 1,000

After the rules for ordinary news (issue 12):

    casualty  found 18  expected found 14  false 3  = 22.4 per 1,000
    control   found 0                      false 0  =  0.0 per 1,000

With six articles added for traps seen on 170 real non-war passages (election-night state
lists, the American Civil War, "dead apps", a cave-in, a ferry, monsoon rains; 140 articles):

    casualty  found 18  expected found 14  false 3  = 21.4 per 1,000
    control   found 0                      false 0  =  0.0 per 1,000

The three were protest and parade violence said with "several" (read as 3, the real-text
labels' reading): "several people were hurt" when counter-protesters attacked a camp, "left
several people dead", "several other people were injured in the rush to escape" the gunfire.
Violence done by people now is what the set labels as casualties, so they were labelled:

    casualty  found 18  expected found 17  false 0  =  0.0 per 1,000
    control   found 0                      false 0  =  0.0 per 1,000

With 40 articles added for traps seen on ~230 real non-war passages (animals, yearly rates,
fires by their flames, military crashes at home, dated history, companies named like towns,
championships, dead heats, a siege novel, a war film, a strategy game; 180 articles), before
the rules for them: casualty false 4, control false 5 on the 40 (and on all 46 of that round,
with six more for protests, police, historians, tourists, a tornado and a carmaker's retreat
that came after: 11 and 10 before any of its rules; then a NATO exercise and a bear attack:
188 articles); after:

    casualty  found 18  expected found 17  false 0  =  0.0 per 1,000
    control   found 0                      false 0  =  0.0 per 1,000

The issue's target (held-out real news, scored at review) is < 1 false control claim per 1,000
articles and no casualty figure from disease, disasters, accidents or history. These ceilings
are today's level: lower them as the rules improve, never raise them.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from briefwatch.extract.newseval import (
    DEFAULT_ARTICLES,
    TOPICS,
    evaluate,
    file_problems,
    load,
    problems,
)

# false claims per 1,000 articles, at most
FALSE_PER_1000 = {"casualty": 0.0, "control": 0.0}
# expected claims (crime's real violence) read at least once, at least: vetoing every casualty
# in ordinary news would pass the ceiling above and lose the shootings a desk wants to see
EXPECTED_FOUND = 17


@pytest.fixture(scope="module")
def articles() -> list[dict]:
    return load(DEFAULT_ARTICLES)


@pytest.fixture(scope="module")
def tallies(articles: list[dict]) -> dict:
    return evaluate(articles)


def test_false_claims_per_1000_articles_stay_under_todays_level(tallies: dict) -> None:
    for kind, ceiling in FALSE_PER_1000.items():
        t = tallies[kind]
        assert t.per_1000 <= ceiling, (kind, t.per_1000, [(f.id, f.claim) for f in t.false])


def test_crime_casualties_are_still_read(tallies: dict) -> None:
    assert tallies["casualty"].expected >= 20
    assert tallies["casualty"].expected_found >= EXPECTED_FOUND


def test_the_articles_file_is_well_formed(articles: list[dict]) -> None:
    assert file_problems(articles) == []
    assert len(articles) >= 120
    # every kind of ordinary news the issue names, several articles each
    for topic in TOPICS:
        assert sum(a["topic"] == topic for a in articles) >= 4, topic
    # nothing in ordinary news is a control claim; casualties only where crime's violence is
    assert all(a["expect"]["control"] == [] for a in articles)
    labelled = {a["topic"] for a in articles if a["expect"]["casualty"]}
    assert "crime" in labelled and not labelled & {"markets", "sport", "health", "disaster"}


def _broken(article: dict, change) -> dict:
    article = copy.deepcopy(article)
    change(article)
    return article


@pytest.mark.parametrize(
    "change",
    [
        lambda a: a.pop("traps"),
        lambda a: a.update(extra=1),
        lambda a: a.update(topic="war"),
        lambda a: a.update(published="14 May 2024"),
        lambda a: a.update(paragraphs=a["paragraphs"][:2]),
        lambda a: a.update(paragraphs=["word " * 40] * 3),
        lambda a: a.update(paragraphs=[*a["paragraphs"], ""]),
        lambda a: a.update(traps=[]),
        lambda a: a.update(id=""),
        lambda a: a["expect"].pop("control"),
        lambda a: a["expect"]["casualty"].append({"outcome": "died", "count_low": 2}),
        lambda a: a["expect"]["casualty"].append({"outcome": "killed", "count_low": "two"}),
        lambda a: a["expect"]["control"].append({"place": "Oil", "status": "fell"}),
    ],
    ids=[
        "missing-field", "unknown-field", "topic", "date", "two-paragraphs", "too-short",
        "empty-paragraph", "no-traps", "empty-id", "expect-shape", "outcome", "count", "status",
    ],
)  # fmt: skip
def test_a_malformed_article_is_caught(articles: list[dict], change) -> None:
    assert problems(articles[0]) == []
    assert problems(_broken(articles[0], change)) != []


def test_a_duplicate_id_is_caught(articles: list[dict]) -> None:
    faults = file_problems([articles[0], articles[1], copy.deepcopy(articles[0])])
    assert faults == [f"article 3 [{articles[0]['id']}]: duplicate id"]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "briefwatch.extract.newseval", *args],
        capture_output=True, text=True,
    )  # fmt: skip


def test_command_line_json_counts_agree_with_the_list(articles: list[dict]) -> None:
    out = _run("--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    for kind in ("casualty", "control"):
        part = doc[kind]
        assert part["articles"] == len(articles)
        assert part["false"] == len(part["false_claims"])
        assert part["false_per_1000"] == round(1000 * part["false"] / len(articles), 2)
        ids = {a["id"] for a in articles}
        assert all(f["id"] in ids and f["kind"] == kind for f in part["false_claims"])


def test_command_line_table_lists_each_false_claim_unless_quiet() -> None:
    loud, quiet = _run().stdout, _run("--quiet").stdout
    doc = json.loads(_run("--json").stdout)
    for kind in ("casualty", "control"):
        row = next(line.split() for line in quiet.splitlines() if line.split()[:1] == [kind])
        assert row[-2:] == [str(doc[kind]["false"]), f"{doc[kind]['false_per_1000']:.1f}"]
        for claim in doc[kind]["false_claims"]:
            assert f"{kind} false [{claim['id']} {claim['topic']}] {claim['claim']}" in loud
    assert " false [" not in quiet


def test_command_line_refuses_a_malformed_file(tmp_path: Path, articles: list[dict]) -> None:
    path = tmp_path / "articles.jsonl"
    broken = _broken(articles[1], lambda a: a.update(published="yesterday"))
    path.write_text(json.dumps(articles[0]) + "\n" + json.dumps(broken) + "\n")
    out = _run("--articles", str(path))
    assert out.returncode == 2
    assert f"article 2 [{articles[1]['id']}]: published 'yesterday'" in out.stderr
