"""Pairwise precision and recall of story clustering on a labelled set of articles.

    python -m briefwatch.stories.evaluate [--articles eval/stories/articles.jsonl] [--json]
        [--quiet]

The articles are fed in file order through what the pipeline does for a new URL (no database):
an exact body hash of a stored story first, else the near match of `neardup.StoryIndex`, else a
new story whose signature is indexed (a copy adds no signature: the store keeps one per story).
A pair of articles is *predicted* together when they end in the same story and *gold* together
when they carry the same ``story`` label; precision, recall and F1 are over those pairs.

Then every wrong merge and missed join (with the Jaccard/containment estimate the decision used
and the exact figure from the shingle sets), and the distributions behind the thresholds: each
article against the first article of every earlier gold story — the comparison the pipeline
makes when every earlier decision was right — split into true pairs (same story) and false ones.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from briefwatch.stories.dedupe import body_hash
from briefwatch.stories.neardup import (
    MIN_CONTAINMENT,
    MIN_JACCARD,
    Signature,
    StoryIndex,
    shingles,
    signature,
    similarity,
)

__all__ = ["DEFAULT_ARTICLES", "Result", "evaluate", "load", "main"]

DEFAULT_ARTICLES = Path(__file__).resolve().parents[2] / "eval" / "stories" / "articles.jsonl"


def load(path: Path) -> list[dict]:
    """Labelled articles from a JSONL file (blank lines skipped)."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@dataclass(frozen=True)
class Decision:
    """What the pipeline would do with one article."""

    article: str
    verdict: str  # "new-story", "exact" (body hash of a stored story) or "near"
    story: str  # id of the article that started the predicted story
    jaccard: float | None = None  # of the near match, when there was one
    containment: float | None = None


@dataclass(frozen=True)
class PairRow:
    """Two articles and how alike they are: MinHash estimates and exact shingle-set figures."""

    a: str
    b: str
    jaccard: float
    containment: float
    exact_jaccard: float
    exact_containment: float
    bands: int  # LSH bands shared: 0 means the index never offered one to the other


@dataclass
class Result:
    """Pairwise scores, the decisions, the errors and the threshold evidence."""

    articles: int
    gold_stories: int
    predicted_stories: int
    true_positives: int
    false_positives: int
    false_negatives: int
    decisions: list[Decision]
    wrong_merges: list[PairRow]
    missed_joins: list[PairRow]
    right_by_kind: dict[str, tuple[int, int]]  # kind -> (decided right, articles)
    true_pairs: list[PairRow] = field(default_factory=list)
    false_pairs: list[PairRow] = field(default_factory=list)

    @property
    def precision(self) -> float:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        gold = self.true_positives + self.false_negatives
        return self.true_positives / gold if gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def cluster(articles: Sequence[dict], signatures: dict[str, Signature]) -> list[Decision]:
    """Each article's story, decided in order as `articles.store_articles` would: exact body,
    else near match against every body indexed so far, else a new story."""
    index = StoryIndex()
    by_hash: dict[str, int] = {}  # Story.fingerprint: the body hash of the story's first article
    ids = [a["id"] for a in articles]
    decisions = []
    for n, article in enumerate(articles):
        digest = body_hash(article["paragraphs"])
        if digest in by_hash:
            decisions.append(Decision(article["id"], "exact", ids[by_hash[digest]]))
            continue
        match = index.match(signatures[article["id"]])
        if match is not None:
            story, found = match
            index.add(story, signatures[article["id"]])  # every body a story carries is indexed
            decisions.append(
                Decision(article["id"], "near", ids[story], found.jaccard, found.containment)
            )
            continue
        index.add(n, signatures[article["id"]])
        by_hash[digest] = n
        decisions.append(Decision(article["id"], "new-story", article["id"]))
    return decisions


def _pair(a: dict, b: dict, sigs: dict[str, Signature], sets: dict[str, set[bytes]]) -> PairRow:
    sa, sb = sigs[a["id"]], sigs[b["id"]]
    estimate = similarity(sa, sb)
    x, y = sets[a["id"]], sets[b["id"]]
    common = len(x & y)
    union = len(x | y)
    smaller = min(len(x), len(y))
    return PairRow(
        a["id"], b["id"], estimate.jaccard, estimate.containment,
        common / union if union else 0.0, common / smaller if smaller else 0.0,
        len(set(sa.bands()) & set(sb.bands())),
    )  # fmt: skip


def evaluate(articles: Sequence[dict]) -> Result:
    """Cluster ``articles`` and score the clusters against their ``story`` labels."""
    sigs = {a["id"]: signature(a["paragraphs"]) for a in articles}
    sets = {a["id"]: shingles(a["paragraphs"]) for a in articles}
    decisions = cluster(articles, sigs)
    predicted = {d.article: d.story for d in decisions}
    gold = {a["id"]: a["story"] for a in articles}
    tp = fp = fn = 0
    wrong, missed = [], []
    for a, b in combinations(articles, 2):
        same_gold = gold[a["id"]] == gold[b["id"]]
        same_predicted = predicted[a["id"]] == predicted[b["id"]]
        tp += same_gold and same_predicted
        if same_predicted and not same_gold:
            fp += 1
            wrong.append(_pair(a, b, sigs, sets))
        elif same_gold and not same_predicted:
            fn += 1
            missed.append(_pair(a, b, sigs, sets))
    # Per article: right when it joined the story of the first earlier article of its gold story,
    # or started a new one when it is the first of its gold story.
    first: dict[str, str] = {}
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for article in articles:
        expected_first = first.setdefault(article["story"], article["id"])
        total[article["kind"]] += 1
        right[article["kind"]] += predicted[article["id"]] == predicted[expected_first]
    true_pairs, false_pairs = _decision_pairs(articles, sigs, sets)
    return Result(
        articles=len(articles), gold_stories=len(set(gold.values())),
        predicted_stories=len(set(predicted.values())), true_positives=tp, false_positives=fp,
        false_negatives=fn, decisions=decisions, wrong_merges=wrong, missed_joins=missed,
        right_by_kind={k: (right[k], total[k]) for k in sorted(total)},
        true_pairs=true_pairs, false_pairs=false_pairs,
    )  # fmt: skip


def _decision_pairs(
    articles: Sequence[dict], sigs: dict[str, Signature], sets: dict[str, set[bytes]]
) -> tuple[list[PairRow], list[PairRow]]:
    """Each article against the first article of every earlier gold story: (true, false)."""
    firsts: dict[str, dict] = {}
    true_pairs, false_pairs = [], []
    for article in articles:
        for story, head in firsts.items():
            row = _pair(article, head, sigs, sets)
            (true_pairs if story == article["story"] else false_pairs).append(row)
        firsts.setdefault(article["story"], article)
    return true_pairs, false_pairs


def _quantiles(values: Sequence[float]) -> dict[str, float]:
    ordered = sorted(values)
    if not ordered:
        return {}

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1) + 0.5))]

    return {"min": ordered[0], "p10": at(0.1), "p50": at(0.5), "p90": at(0.9), "max": ordered[-1]}


def distributions(result: Result) -> dict[str, dict[str, dict[str, float]]]:
    """Quantiles of the estimated Jaccard and containment of true and false decision pairs.

    Most false pairs are stories on other wars with nothing in common; "false-sharing" keeps
    those that share at least one shingle (same war, same outlet), where the thresholds matter.
    """
    groups = (
        ("true", result.true_pairs),
        ("false", result.false_pairs),
        ("false-sharing", [r for r in result.false_pairs if r.exact_jaccard > 0]),
    )
    return {
        name: {
            "jaccard": _quantiles([r.jaccard for r in rows]),
            "containment": _quantiles([r.containment for r in rows]),
            "count": {"pairs": len(rows)},
        }
        for name, rows in groups
    }


def _row(r: PairRow) -> str:
    return (
        f"  {r.a} ~ {r.b}: jaccard {r.jaccard:.2f} (exact {r.exact_jaccard:.2f}) "
        f"containment {r.containment:.2f} (exact {r.exact_containment:.2f}) bands {r.bands}"
    )


def report(result: Result, *, details: bool = True) -> str:
    """The table, the per-kind decisions, the errors and the distributions, as text."""
    r = result
    lines = [
        f"articles: {r.articles}  gold stories: {r.gold_stories}  "
        f"predicted stories: {r.predicted_stories}  "
        f"(thresholds: jaccard >= {MIN_JACCARD}, containment >= {MIN_CONTAINMENT})",
        f"  {'pairs':<8} {'gold':>5} {'pred':>5} {'match':>6} {'precision':>9} {'recall':>7} "
        f"{'F1':>6}",
        f"  {'same':<8} {r.true_positives + r.false_negatives:>5} "
        f"{r.true_positives + r.false_positives:>5} {r.true_positives:>6} {r.precision:>9.3f} "
        f"{r.recall:>7.3f} {r.f1:>6.3f}",
        "decided right, by kind: "
        + "  ".join(f"{kind} {ok}/{n}" for kind, (ok, n) in r.right_by_kind.items()),
    ]
    dist = distributions(r)
    lines.append("decision pairs (each article vs the first article of each earlier gold story):")
    for name, pairs in dist.items():
        for measure in ("jaccard", "containment"):
            cells = "  ".join(f"{k} {v:.2f}" for k, v in pairs[measure].items())
            lines.append(f"  {name:<13} ({pairs['count']['pairs']:>4}) {measure:<11} {cells}")
    if details:
        lines += [f"wrong merges ({len(r.wrong_merges)} pairs):", *map(_row, r.wrong_merges)]
        lines += [f"missed joins ({len(r.missed_joins)} pairs):", *map(_row, r.missed_joins)]
        hardest = sorted(r.false_pairs, key=lambda p: -max(p.jaccard, p.containment))[:5]
        weakest = sorted(r.true_pairs, key=lambda p: max(p.jaccard, p.containment))[:5]
        lines += ["closest false pairs:", *map(_row, hardest)]
        lines += ["farthest true pairs:", *map(_row, weakest)]
    return "\n".join(lines)


def as_json(result: Result, source: Path) -> dict:
    """One JSON document: the scores, the errors and the distributions."""
    r = result
    return {
        "articles_file": str(source), "articles": r.articles, "gold_stories": r.gold_stories,
        "predicted_stories": r.predicted_stories,
        "thresholds": {"jaccard": MIN_JACCARD, "containment": MIN_CONTAINMENT},
        "pairs": {"true_positives": r.true_positives, "false_positives": r.false_positives,
                  "false_negatives": r.false_negatives},
        "precision": round(r.precision, 4), "recall": round(r.recall, 4), "f1": round(r.f1, 4),
        "right_by_kind": {k: {"right": ok, "articles": n}
                          for k, (ok, n) in r.right_by_kind.items()},
        "wrong_merges": [vars(p) for p in r.wrong_merges],
        "missed_joins": [vars(p) for p in r.missed_joins],
        "decisions": [vars(d) for d in r.decisions],
        "distributions": distributions(r),
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Command line: print the evaluation (or one JSON document with --json)."""
    parser = argparse.ArgumentParser(prog="python -m briefwatch.stories.evaluate")
    parser.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES, help="labelled JSONL")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--quiet", action="store_true", help="tables only, no per-pair lines")
    args = parser.parse_args(argv)
    result = evaluate(load(args.articles))
    if args.json:
        json.dump(as_json(result, args.articles), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(report(result, details=not args.quiet))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
