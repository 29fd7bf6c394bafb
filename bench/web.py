"""What the web view costs to read (`python -m bench.web`): p50/p95 latency of the API and the
pages over a store of 10k facts and 100k claims, served by `briefwatch web` on 127.0.0.1.

    python -m bench.web [--facts 10000] [--claims-per-fact 10] [--rounds 30] [--json]
                        [--url postgresql+psycopg://user@127.0.0.1/emptydb]

The store is generated (seeded, no text worth reading): half the facts control facts with a
place and coordinates, each with two sides' positions; half casualty series; each fact with
``--claims-per-fact`` claims from 1,000 stories, and two changes with one delivery each; in a
SQLite file, or in the empty database ``--url`` names (its tables are dropped afterwards).
Targets (issue 15): p95 < 100 ms for the API, < 300 ms for a page.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from sqlalchemy import insert, make_url, text
from sqlmodel import SQLModel

from briefwatch.models import Article, Change, Claim, Delivery, Fact, Story
from briefwatch.store import Store

BRIEFWATCH = Path(sys.executable).with_name("briefwatch")
T0 = datetime(2025, 1, 1, tzinfo=UTC)


AFTER_WRITE = " (after a write)"  # a path so marked is timed right after a fact is written


def paths(facts: int) -> list[tuple[str, str]]:
    """What is timed: (api | page, path), one control and one casualty fact mid-store."""
    place, group = (facts // 2) & ~1, (facts // 2) | 1
    return [
        ("api", "/api/facts"),
        ("api", "/api/facts?kind=control&country=UA"),
        ("api", "/api/facts?place=Place%20" + str(place)),
        ("api", f"/api/facts/control:place-{place}"),
        ("api", f"/api/facts/control:place-{place}/claims"),
        ("api", "/api/changes"),
        ("api", "/api/changes?country=UA"),
        ("api", "/api/stories"),
        ("api", "/api/control.geojson?country=UA"),  # what the map draws: 2,500 places
        # the same, built anew: the first request after a pass folds (the feed is kept until
        # a fact is written, briefwatch/web/cache.py)
        ("api", "/api/control.geojson?country=UA" + AFTER_WRITE),
        ("page", "/"),
        ("page", f"/facts/casualty:cumulative:killed:group-{group}"),
        ("page", "/changes"),
        ("page", "/timeline"),
    ]


STORIES = 1000


def _stories() -> tuple[list[dict], list[dict]]:
    """1,000 stories, each with one article."""
    stories, articles = [], []
    for i in range(1, STORIES + 1):
        when = T0 + timedelta(minutes=i)
        stories.append(
            {"id": i, "fingerprint": f"{i:064x}", "title": f"Story {i}", "first_seen_at": when}
        )
        articles.append({
            "id": i, "url": f"http://127.0.0.1/story/{i}", "story_id": i,
            "source": f"s{i % 100}", "outlet": f"Outlet {i % 100}", "title": f"Story {i}",
            "parser": "generic", "paragraphs": [], "authors": [], "body_hash": f"{i:064x}",
            "first_seen_at": when,
        })  # fmt: skip
    return stories, articles


def _claim_data(n: int, k: int, control: bool) -> dict:
    if control:
        return {"place": f"Place {n}", "status": "captured", "actor": "Russian forces",
                "claimed_by": "the ministry", "claimant_side": "Russia"}  # fmt: skip
    return {"outcome": "killed", "count_low": 10 * (k + 1), "count_high": None,
            "qualifier": "at_least", "victims": f"group {n}"}  # fmt: skip


def _position(claim_id: int, claimed_by: str, status: str) -> dict:
    return {"claim_id": claim_id, "claimed_by": claimed_by, "status": status,
            "sentence": "A sentence.", "published": T0.isoformat()}  # fmt: skip


def _state(n: int, control: bool, first: int, last: int, rng: random.Random) -> dict:
    """A fact's state as the fold leaves it: two sides' positions and a place, or a figure."""
    if not control:
        return {"count_low": 10 * (last - first + 1), "count_high": None, "qualifier": "at_least",
                "victims": f"group {n}", "outcome": "killed", "claim_id": last,
                "claimed_by": "the ministry", "sentence": "A sentence."}  # fmt: skip
    country = "UA" if n % 4 == 0 else "RU"
    lat, lon = 45 + rng.random() * 5, 30 + rng.random() * 8
    place = {"id": n, "name": f"Place {n}", "country": country, "admin1": "01", "lat": lat,
             "lon": lon}  # fmt: skip
    positions = {"Russia": _position(first, "the ministry", "captured"),
                 "Ukraine": _position(first + 1, "the army", "contested")}  # fmt: skip
    return {"status": "disputed", "holder": "Russia", "holder_actor": "Russian forces",
            "positions": positions, "place": place}  # fmt: skip


def fill(url: str, facts: int, per_fact: int, seed: int = 7) -> None:
    """A store of ``facts`` facts, ``facts * per_fact`` claims, two changes per fact."""
    rng = random.Random(seed)
    rows: dict[type, list[dict]] = {Fact: [], Claim: [], Change: [], Delivery: []}
    claim_id = 0
    for n in range(facts):
        control = n % 2 == 0
        kind = "control" if control else "casualty"
        key = f"control:place-{n}" if control else f"casualty:cumulative:killed:group-{n}"
        first = claim_id + 1
        for k in range(per_fact):
            claim_id += 1
            story = rng.randint(1, STORIES)
            rows[Claim].append({
                "id": claim_id, "key": f"{claim_id:064x}", "kind": kind, "fact_key": key,
                "story_id": story, "article_id": story, "claimed_by": "the ministry",
                "sentence": f"A sentence of claim {claim_id}.", "folded": True,
                "published": T0 + timedelta(hours=claim_id % 5000),
                "data": _claim_data(n, k, control),
            })  # fmt: skip
        state = _state(n, control, first, claim_id, rng)
        rows[Fact].append({"key": key, "kind": kind, "label": f"Fact {n}", "state": state,
                           "version": 2, "updated_at": T0 + timedelta(minutes=n)})  # fmt: skip
        for version in (1, 2):
            change = f"{key}#{version}"
            rows[Change].append({
                "key": change, "fact_key": key, "kind": kind, "version": version,
                "title": f"Fact {n} v{version}", "new_state": state, "claim_ids": [first],
                "created_at": T0 + timedelta(minutes=2 * n + version),
            })  # fmt: skip
            rows[Delivery].append({"change_key": change, "channel": "ops", "state": "sent"})
    store = Store(url)
    stories, articles = _stories()
    with store.session() as session:
        for model, batch in ((Story, stories), (Article, articles), *rows.items()):
            for start in range(0, len(batch), 5000):
                session.execute(insert(model), batch[start : start + 5000])
    if store.dialect == "postgresql":
        # a store that has lived has its statistics (autovacuum analyzes a table once a tenth
        # of it changed); one filled a moment ago has none, and the planner, guessing 34 facts
        # of a kind, sorted all 5,000 for /timeline instead of reading its index (0008)
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("ANALYZE"))
    store.close()


def _empty(url: str) -> None:
    """Drop what `fill` made in the database at ``url``."""
    store = Store(url, create=False)
    SQLModel.metadata.drop_all(store.engine)
    with store.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        if connection.dialect.name == "postgresql":
            # the triggers went with the fact table; their function (migration 0008) stays
            connection.execute(text("DROP FUNCTION IF EXISTS fact_written()"))
    store.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _write_a_fact(url: str) -> Callable[[], None]:
    """A writer that moves one fact's row (its version, to itself), as a fold's commit would:
    the count of writes moves, whatever the view kept is no longer current."""
    store = Store(url, create=False)

    def write() -> None:
        with store.engine.begin() as connection:
            connection.execute(text("UPDATE fact SET version = version WHERE id = 1"))

    return write


def measure(config: Path, url: str, facts: int, rounds: int) -> list[dict]:
    port = _free_port()
    write = _write_a_fact(url)
    process = subprocess.Popen(
        [str(BRIEFWATCH), "web", "--config", str(config), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                requests.get(f"{base}/api/sources", timeout=5)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        results = []
        with requests.Session() as http:
            for kind, named in paths(facts):
                path = named.removesuffix(AFTER_WRITE)
                http.get(base + path, timeout=60).raise_for_status()  # warm
                times = []
                for _ in range(rounds):
                    if path != named:
                        write()
                    start = time.perf_counter()
                    answer = http.get(base + path, timeout=60)
                    times.append((time.perf_counter() - start) * 1000)
                    answer.raise_for_status()
                times.sort()
                p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
                target = 100 if kind == "api" else 300
                results.append({"kind": kind, "path": named, "bytes": len(answer.content),
                                "p50_ms": statistics.median(times), "p95_ms": p95,
                                "target_ms": target, "met": p95 < target})  # fmt: skip
        return results
    finally:
        process.terminate()
        process.wait(timeout=20)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=10_000)
    parser.add_argument("--claims-per-fact", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--url", help="an empty database to fill instead of a SQLite file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-web-") as folder:
        config = Path(folder) / "briefwatch.toml"
        url = args.url or f"sqlite:///{Path(folder) / 'briefwatch.db'}"
        config.write_text(f'[storage]\nurl = "{url}"\n', encoding="utf-8")
        start = time.perf_counter()
        try:
            fill(url, args.facts, args.claims_per_fact)
            built = time.perf_counter() - start
            results = measure(config, url, args.facts, args.rounds)
        finally:
            if args.url:
                _empty(args.url)
    if args.json:
        print(json.dumps({"facts": args.facts, "claims": args.facts * args.claims_per_fact,
                          "results": results}, indent=2))  # fmt: skip
        return 0
    claims = args.facts * args.claims_per_fact
    backend = make_url(url).get_backend_name()
    print(f"web view over {args.facts:,} facts, {claims:,} claims ({backend}; store built in "
          f"{built:.0f} s), {args.rounds} requests each")  # fmt: skip
    print(f"{'':4} {'path':62} {'bytes':>9} {'p50 ms':>8} {'p95 ms':>8} {'target':>7}  met")
    for r in results:
        met = "yes" if r["met"] else "NO"
        print(f"{r['kind']:4} {r['path']:62} {r['bytes']:>9,} {r['p50_ms']:>8.1f} "
              f"{r['p95_ms']:>8.1f} {r['target_ms']:>7}  {met}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
