"""The gazetteer: open time, memory, the cost of a lookup, and how well its names fit.

    python -m bench.gazetteer            # the table below, and the JSON on --json

Measured in a fresh interpreter each time (so nothing is warm but the OS's file cache, as for
a pass process), over the index in the cache folder (built first if need be, not timed):

- open: `Gazetteer.open` on the built index, fastest of 5 processes (target < 150 ms);
- memory: the process's resident set after importing briefwatch.places, opening the index and
  answering 2,000 lookups, and how much of it the gazetteer added (target < 80 MB resident);
- lookup: `resolve` on 2,000 different names (each a query) and the same names again (the
  LRU cache), µs per call;
- canonical names: of the place labels in eval/gold/*.jsonl and the real-dev set
  (``BRIEFWATCH_REAL_DEV``, default ../shared/real-dev/claims.jsonl, when present), how many
  `resolve(label).name` reproduces, which it names otherwise, and which it does not know
  (those the extractor keeps as written, so they come out as labelled too);
- common words: of the 5,000 most frequent English words (wordfreq), capitalised, how many
  resolve to a place (cities such as London and Paris are among them), and how many of the
  others the folded key would make places (`resolve_folded`; the goal is none);
- folded key: its rows and keys, how many keys name more than one place (against the exact
  keys), how many of the labels unknown to the exact key it resolves, and how many places of
  population 0 the index sizes by their names.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGET_OPEN_MS = 150.0
TARGET_RSS_MB = 80.0

_PROBE = r"""
import json, os, sys, time
def rss():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
base = rss()
started = time.perf_counter()
from briefwatch.places import Gazetteer
imported = time.perf_counter()
g = Gazetteer.open()
opened = time.perf_counter()
names = json.loads(sys.stdin.read())
t0 = time.perf_counter()
for n in names:
    g.resolve(n, ("UA", "RU"))
t1 = time.perf_counter()
for n in names:
    g.resolve(n, ("UA", "RU"))
t2 = time.perf_counter()
print(json.dumps({
    "import_ms": (imported - started) * 1000, "open_ms": (opened - imported) * 1000,
    "lookup_us": (t1 - t0) / len(names) * 1e6, "cached_lookup_us": (t2 - t1) / len(names) * 1e6,
    "rss_base_mb": base, "rss_mb": rss(),
}))
"""


def _names(count: int = 2000) -> list[str]:
    """Place names and words, as an extractor asks: every tenth GeoNames place's primary name,
    and capitalised English words."""
    import sqlite3

    from briefwatch.places.index import index_path

    with sqlite3.connect(index_path()) as connection:
        rows = connection.execute(
            "SELECT name FROM places WHERE id % 10 = 0 ORDER BY id LIMIT ?", (count // 2,)
        ).fetchall()
    connection.close()
    from wordfreq import top_n_list

    words = [w.capitalize() for w in top_n_list("en", count) if w.isalpha()]
    return [r[0] for r in rows] + words[: count - len(rows)]


def _probe(names: list[str]) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], input=json.dumps(names), capture_output=True,
        text=True, cwd=ROOT, check=True, timeout=300,
    )  # fmt: skip
    return json.loads(done.stdout)


def _labels() -> dict[str, set[str]]:
    """Control place labels (not aggregates) of the gold sets and real-dev, with their files."""
    files = sorted((ROOT / "eval" / "gold").glob("*.jsonl"))
    real_dev = Path(
        os.environ.get("BRIEFWATCH_REAL_DEV", ROOT.parent.parent / "shared/real-dev/claims.jsonl")
    )
    if real_dev.exists():
        files.append(real_dev)
    labels: dict[str, set[str]] = {}
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            for claim in json.loads(line).get("control") or []:
                if claim.get("count") is None:
                    labels.setdefault(claim["place"], set()).add(path.name)
    return labels


def _collisions(path: Path) -> dict[str, int]:
    """How many keys, exact and folded, name more than one place, and how many places those
    are (the folded key's share is what folding adds to what countries and size must break)."""
    import sqlite3

    out: dict[str, int] = {}
    with sqlite3.connect(path) as connection:
        for table, where in (("names", "WHERE reason = ''"), ("folded", "")):
            shared = f"SELECT key FROM {table} {where} GROUP BY key HAVING count(*) > 1"
            out[f"{table}_keys"] = connection.execute(
                f"SELECT count(DISTINCT key) FROM {table} {where}"
            ).fetchone()[0]
            out[f"{table}_shared_keys"] = connection.execute(
                f"SELECT count(*) FROM ({shared})"
            ).fetchone()[0]
            out[f"{table}_shared_places"] = connection.execute(
                f"SELECT count(DISTINCT place) FROM {table} {where} "
                f"{'AND' if where else 'WHERE'} key IN ({shared})"
            ).fetchone()[0]
        out["folded_rows"] = connection.execute("SELECT count(*) FROM folded").fetchone()[0]
        out["sized_population_0"] = connection.execute(
            "SELECT count(*) FROM places WHERE population = 0 AND size > 0"
        ).fetchone()[0]
    connection.close()
    return out


def measure(repeat: int = 5) -> dict[str, Any]:
    """Every figure of the module docstring, as one JSON-ready document."""
    from wordfreq import top_n_list

    from briefwatch.places import Place, gazetteer

    places = gazetteer()  # built here if missing: not timed
    names = _names()
    probes = [_probe(names) for _ in range(repeat)]
    best = min(probes, key=lambda p: p["open_ms"])
    labels = _labels()
    missed, unknown, folded = {}, [], {}
    for label in sorted(labels):
        found = places.resolve(label)
        if not isinstance(found, Place):
            unknown.append(f"{label} ({found.reason})")
            loose = places.resolve_folded(label)
            if isinstance(loose, Place):
                folded[label] = f"{loose.name} ({loose.country})"
        elif found.name != label:
            missed[label] = found.name
    words = [w for w in top_n_list("en", 5000) if w.isalpha()]
    resolving = [w for w in words if isinstance(places.resolve(w.capitalize()), Place)]
    folding = [
        w
        for w in words
        if w not in resolving and isinstance(places.resolve_folded(w.capitalize()), Place)
    ]
    meta = places.meta()
    return {
        "open_ms": best["open_ms"],
        "open_ms_all": [p["open_ms"] for p in probes],
        "import_ms": best["import_ms"],
        "rss_mb": max(p["rss_mb"] for p in probes),
        "rss_added_mb": max(p["rss_mb"] - p["rss_base_mb"] for p in probes),
        "lookup_us": min(p["lookup_us"] for p in probes),
        "cached_lookup_us": min(p["cached_lookup_us"] for p in probes),
        "index_mb": places.path.stat().st_size / 1e6 if places.path else None,
        "places": int(meta["places"]),
        "names": int(meta["names"]),
        "labels": len(labels),
        "labels_reproduced": len(labels) - len(missed) - len(unknown),
        "labels_missed": missed,
        "labels_unknown": unknown,
        "common_words": len(words),
        "common_words_resolving": len(resolving),
        "common_words_resolving_sample": resolving[:40],
        "common_words_folding": folding,
        "labels_folded": folded,
        **(_collisions(places.path) if places.path else {}),
        "targets": {
            "open < 150 ms": best["open_ms"] < TARGET_OPEN_MS,
            "< 80 MB resident": max(p["rss_mb"] for p in probes) < TARGET_RSS_MB,
        },
    }


def table(g: dict[str, Any]) -> str:
    """The gazetteer's lines of the bench table."""
    sample = ", ".join(g["common_words_resolving_sample"][:8])
    lines = [
        f"gazetteer: {g['places']:,} places, {g['names']:,} names, index {g['index_mb']:.0f} MB",
        f"  open (fastest of {len(g['open_ms_all'])} processes){g['open_ms']:>20.1f} ms"
        f"   (import {g['import_ms']:.0f} ms; goal < {TARGET_OPEN_MS:.0f} ms)",
        f"  resident after 2,000 lookups{g['rss_mb']:>23.1f} MB   (gazetteer's own "
        f"{g['rss_added_mb']:.1f} MB; goal < {TARGET_RSS_MB:.0f} MB)",
        f"  lookup, uncached / cached{g['lookup_us']:>26.1f} / {g['cached_lookup_us']:.1f} µs",
        f"  canonical names of the {g['labels']} gold and real-dev place labels: "
        f"{g['labels_reproduced']} reproduced, {len(g['labels_missed'])} named otherwise, "
        f"{len(g['labels_unknown'])} not places to the gazetteer (kept as written)",
        f"  common words: {g['common_words_resolving']} of the {g['common_words']:,} most "
        f"frequent English words resolve (e.g. {sample}); "
        f"{len(g['common_words_folding'])} more by the folded key",
        f"  folded key: {g.get('folded_rows', 0):,} rows, {g.get('folded_keys', 0):,} keys; "
        f"{g.get('folded_shared_keys', 0):,} name more than one place "
        f"({g.get('folded_shared_places', 0):,} places; exact keys: "
        f"{g.get('names_shared_keys', 0):,}, {g.get('names_shared_places', 0):,} places)",
        f"  folded key resolves {len(g['labels_folded'])} of the labels unknown to the exact "
        f"key; {g.get('sized_population_0', 0):,} population-0 places sized by their names",
    ]
    if g["labels_folded"]:
        lines.append("  folded: " + ", ".join(f"{k} -> {v}" for k, v in g["labels_folded"].items()))
    if g["labels_missed"]:
        missed = ", ".join(f"{k} -> {v}" for k, v in g["labels_missed"].items())
        lines.append(f"  named otherwise: {missed}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Measure the gazetteer (bench/gazetteer.py).")
    parser.add_argument("--json", action="store_true", help="print the JSON document")
    parser.add_argument("--repeat", type=int, default=5, help="processes to time the open in")
    args = parser.parse_args(argv)
    result = measure(args.repeat)
    print(json.dumps(result, indent=2) if args.json else table(result))


if __name__ == "__main__":
    main()
