"""What reading claims costs: extraction per 1,000 words.

    python -m bench.extraction [--rounds 30] [--json] [--instructions]

Measured in a fresh Python process, so that nothing is warm that a page worker's first article
would not find warm (the gazetteer's own figures are `bench.gazetteer`'s, in `bench.run`'s table):

- **extraction, seed**: CPU per 1,000 words over the seed briefing (735 words), best of
  ``--rounds`` (the machine may be shared: preemption only ever adds time).
- **extraction, briefings**: CPU per 1,000 words over every briefing bundled with the demo and
  the gold set's texts, read once each in order (so the gazetteer answers cold for every new
  name, as in a pass), then again (warm).

- **instructions** (``--instructions``, needs valgrind): instructions per extraction under
  callgrind, which counts rather than times, so the figures repeat on a loaded machine: of the
  seed briefing (6 rounds minus 1, over 5) and per article of a pass-like mix, eval/news's
  ordinary articles and the demo briefings (3 rounds minus 1, over 2 and the article count):
  start-up, imports and the cold round cancel out. Issue 12 allows 1.5x the figures before it.

The pass's own figure, extraction CPU per article in a 1,000-page cold pass, is in
``python -m bench.run``'s per-stage table ("extract"); the target there is at most 1.5x the
~2 ms measured before issue 12.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "000_3b5ad19eb9c928a4.txt"
NEWSROOM = ROOT / "briefwatch" / "demo" / "newsroom"
GOLD = ROOT / "eval" / "gold" / "claims.jsonl"

# Run in a fresh interpreter: prints one JSON document.
_PROBE = r"""
import json, os, resource, sys, time
from pathlib import Path

def rss_mb():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

rounds = int(sys.argv[1])
seed_path, newsroom, gold = Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
from briefwatch.extract import extract
texts = []
if seed_path.is_file():
    seed = [p for p in seed_path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
else:
    seed = []
for path in sorted(newsroom.glob("*.txt")):
    texts.append([p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()])
for line in gold.read_text(encoding="utf-8").splitlines():
    if line.strip():
        text = json.loads(line)["text"]  # a gold item is one paragraph or a list of them
        texts.append(text if isinstance(text, list) else [text])
words = lambda paras: sum(len(p.split()) for p in paras)

def cpu_ms(fn):
    t = time.process_time()
    fn()
    return (time.process_time() - t) * 1000

all_words = sum(words(t) for t in texts)
cold = cpu_ms(lambda: [extract(t) for t in texts])
warm = cpu_ms(lambda: [extract(t) for t in texts])
seed_best = None
if seed:
    extract(seed)
    seed_best = min(cpu_ms(lambda: extract(seed)) for _ in range(rounds))
print(json.dumps({
    "rss_after_mb": rss_mb(),
    "seed_words": words(seed),
    "seed_ms": seed_best,
    "seed_ms_per_1000_words": seed_best * 1000 / words(seed) if seed else None,
    "briefings": len(texts),
    "briefing_words": all_words,
    "briefings_cold_ms_per_1000_words": cold * 1000 / all_words,
    "briefings_warm_ms_per_1000_words": warm * 1000 / all_words,
}))
"""


def measure(rounds: int = 30) -> dict[str, Any]:
    """Run the probe in a fresh interpreter; its figures."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(rounds), str(SEED), str(NEWSROOM), str(GOLD)],
        check=True, capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


# One process of N rounds of extractions under callgrind: of the seed ("seed"), or of every
# article of eval/news and every demo briefing ("articles", the mix a pass reads: ordinary news
# and war briefings). The first round warms the gazetteer.
_COUNT_PROBE = r"""
import json, sys
from pathlib import Path
from briefwatch.extract import extract
rounds, what, seed, news, newsroom = int(sys.argv[1]), sys.argv[2], *map(Path, sys.argv[3:6])
if what == "seed":
    texts = [[p for p in seed.read_text(encoding="utf-8").split("\n\n") if p.strip()]]
else:
    lines = news.read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["paragraphs"] for line in lines if line.strip()]
    for path in sorted(newsroom.glob("*.txt")):
        texts.append([p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()])
for _ in range(rounds):
    for text in texts:
        extract(text)
print(len(texts))
"""
NEWS = ROOT / "eval" / "news" / "articles.jsonl"
# Instructions before issue 12 (commit da61a70, callgrind): per seed extraction, and per
# article of the mix (188 eval/news articles and 7 demo briefings, as they stood on 2026-12-07).
BEFORE_ISSUE_12 = {"seed": 33.8e6, "articles": 5.93e6}


def _callgrind_total(rounds: int, what: str, out: Path) -> tuple[int, int]:
    """Instructions of one probe process, and how many texts a round extracts."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, "-c",
         _COUNT_PROBE, str(rounds), what, str(SEED), str(NEWS), str(NEWSROOM)],
        check=True, capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    for line in out.read_text().splitlines():
        if line.startswith("summary:") or line.startswith("totals:"):
            return int(line.split()[1]), int(done.stdout.strip().splitlines()[-1])
    raise RuntimeError(f"no instruction total in {out}")


def count_instructions() -> dict[str, Any]:
    """Instructions per seed extraction ((6 rounds - 1) / 5) and per article ((3 - 1) / 2 /
    articles), so that start-up and the first, cold round cancel out."""
    import tempfile

    r: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for what, many in (("seed", 6), ("articles", 3)):
            one, texts = _callgrind_total(1, what, Path(tmp) / f"{what}1.out")
            more, _ = _callgrind_total(many, what, Path(tmp) / f"{what}{many}.out")
            per = (more - one) / (many - 1) / texts
            r[f"{what}_instructions"] = per
            r[f"{what}_instructions_vs_before"] = per / BEFORE_ISSUE_12[what]
    return r


def table(r: dict[str, Any]) -> str:
    """The figures as the table `make bench` prints."""
    seed = (
        f"{r['seed_ms']:.2f} ms for {r['seed_words']} words = "
        f"{r['seed_ms_per_1000_words']:.2f} ms per 1,000 words"
        if r["seed_ms"] is not None
        else "seed briefing not found (../shared/seeds): skipped"
    )
    lines = [
        "extraction (fresh process)",
        f"  seed (best of rounds)      {seed}",
        f"  {r['briefings']} briefings ({r['briefing_words']:,} words): "
        f"{r['briefings_cold_ms_per_1000_words']:.2f} ms per 1,000 words cold, "
        f"{r['briefings_warm_ms_per_1000_words']:.2f} warm",
    ]
    for what, label in (
        ("seed", "seed, callgrind           "),
        ("articles", "per article, callgrind    "),
    ):
        if f"{what}_instructions" in r:
            before = BEFORE_ISSUE_12[what] / 1e6
            lines.append(
                f"  {label} {r[f'{what}_instructions'] / 1e6:.2f} M instructions per extraction"
                f" = {r[f'{what}_instructions_vs_before']:.2f}x the {before:.2f} M before issue 12"
                " (goal <= 1.5x)"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Command line: print the table (or the figures as JSON)."""
    parser = argparse.ArgumentParser(prog="python -m bench.extraction")
    parser.add_argument("--rounds", type=int, default=30, help="seed extractions, best taken")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count instructions under callgrind (seed, per article)",
    )
    args = parser.parse_args(argv)
    r = measure(args.rounds)
    if args.instructions and SEED.is_file():
        r |= count_instructions()
    print(json.dumps(r, indent=2) if args.json else table(r))


if __name__ == "__main__":
    main()
