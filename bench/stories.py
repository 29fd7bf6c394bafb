"""The cost of deciding one article's story as the store grows (`python -m bench.stories`).

    python -m bench.stories [--sizes 10000 100000] [--million] [--no-postgres] [--json]
                            [--family 100] [--family-jaccard 0.3] [--profile]

For each store size N it measures `stories.find_story` end to end (the exact-hash lookup, signing
the body, the band query, loading and comparing at most MAX_CANDIDATES signatures) on a SQLite
file and on the machine's PostgreSQL (a fresh database, dropped afterwards), and the in-memory
`neardup.StoryIndex` (match time and the memory the index takes). Decisions are timed one by one
in a fresh session; p50/p95 are over all of them.

What is stored (generated in seconds, no text):

- the first article of each story in eval/stories whose first article is an original: real
  signatures, the targets the queries must find;
- a *family* of ``--family`` synthetic same-topic stories per target, whose MinHash values agree
  with the target's at rate ``--family-jaccard`` (the closest false pairs in eval/stories are at
  J 0.2-0.36): they share bands with the queries, so the band query returns dozens of candidates
  and the MAX_CANDIDATES cap and the ranking are exercised, as in a store of daily briefings;
- filler: random MinHash values and random band keys. That is exactly what an unrelated body
  gives (the band key is a blake2b hash of values that share nothing with the query), and it
  avoids 32 Python-level hashes per filler row.

The queries are the other articles of eval/stories (wire copies, revisions, hard negatives);
each decision is checked against the label ("right" column), so a cap that loses the true match
at scale shows up.

The machine may be shared (the header prints its load average): besides p50/p95 of every
decision's wall time, "best" takes each query's fastest of ``--rounds`` decisions (preemption only
ever adds time) and "cpu" this process's CPU time (PostgreSQL's own work is in its server).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import create_engine, text

from briefwatch.store import Store
from briefwatch.stories import lookup as stories
from briefwatch.stories.dedupe import body_hash
from briefwatch.stories.evaluate import DEFAULT_ARTICLES, load
from briefwatch.stories.neardup import BANDS, NUM_PERM, ROWS, Signature, StoryIndex, signature

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CHUNK = 50_000  # filler rows generated and inserted at a time: bounded memory at 10^6


@dataclass(frozen=True)
class Query:
    """One article to decide, and the stored story id it should land in (None: a new story)."""

    id: str
    digest: str
    paragraphs: list[str]
    expected: int | None


@dataclass
class Row:
    """One line of the table."""

    backend: str
    stories: int
    p50_ms: float  # wall, every decision
    p95_ms: float
    best_p50_ms: float  # wall, each query's fastest round
    best_p95_ms: float
    cpu_p50_ms: float  # this process's CPU time
    right: str
    load_s: float
    size_mb: float  # database file / index memory


@dataclass(frozen=True)
class Corpus:
    """The real stories to store (id -> signature, fingerprint) and the queries against them."""

    targets: dict[int, tuple[Signature, str]]
    queries: list[Query]


def corpus() -> Corpus:
    """Targets: the first article of each story unless it is a hard negative; queries: the rest.

    A query whose story has no stored target (a hard negative, or a copy of one) should start a
    new story: its expected id is None.
    """
    articles = load(DEFAULT_ARTICLES)
    first: dict[str, dict] = {}
    for article in articles:
        first.setdefault(article["story"], article)
    heads = [h for h in first.values() if h["kind"] != "same-topic"]
    story_ids = {h["story"]: n + 1 for n, h in enumerate(heads)}
    targets = {
        story_ids[h["story"]]: (signature(h["paragraphs"]), body_hash(h["paragraphs"]))
        for h in heads
    }
    stored = {h["id"] for h in heads}
    queries = [
        Query(a["id"], body_hash(a["paragraphs"]), a["paragraphs"], story_ids.get(a["story"]))
        for a in articles
        if a["id"] not in stored
    ]
    return Corpus(targets, queries)


def _family(base: Signature, count: int, agree: float, rng: np.random.Generator) -> np.ndarray:
    """``count`` signatures whose values equal ``base``'s at rate ``agree``, else random."""
    values = rng.integers(0, 2**32, size=(count, NUM_PERM), dtype=np.uint32)
    same = rng.random((count, NUM_PERM)) < agree
    values[same] = np.broadcast_to(base.values, values.shape)[same]
    return values


def _random_bands(count: int, rng: np.random.Generator) -> np.ndarray:
    return rng.integers(-(2**63), 2**63 - 1, size=(count, BANDS), dtype=np.int64)


def stored_rows(
    size: int, data: Corpus, family: int, agree: float, seed: int = 7
) -> Iterator[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
    """Chunks of (first id, signatures, shingle counts, band keys) making ``size`` stories."""
    rng = np.random.default_rng(seed)
    ids = sorted(data.targets)
    sigs = np.stack([data.targets[i][0].values for i in ids])
    counts = np.array([data.targets[i][0].shingles for i in ids])
    bands = np.array([data.targets[i][0].bands() for i in ids], dtype=np.int64)
    yield ids[0], sigs, counts, bands
    next_id = ids[-1] + 1
    for story in ids:  # families: real band keys, they must collide with the queries' bands
        base = data.targets[story][0]
        values = _family(base, family, agree, rng)
        keys = np.array([Signature(v, base.shingles).bands() for v in values], dtype=np.int64)
        yield next_id, values, np.full(family, base.shingles), keys
        next_id += family
    while next_id <= size:
        count = min(CHUNK, size - next_id + 1)
        values = rng.integers(0, 2**32, size=(count, NUM_PERM), dtype=np.uint32)
        yield next_id, values, rng.integers(80, 400, size=count), _random_bands(count, rng)
        next_id += count


def _story_rows(
    first: int, values: np.ndarray, counts: np.ndarray, data: Corpus
) -> tuple[list[tuple], list[tuple]]:
    """Rows of the story table, and of the article table: one article per story, carrying the
    story's body signature (signatures live on articles: every body a story carries)."""
    stories, articles = [], []
    for offset, (row, shingles) in enumerate(zip(values, counts, strict=True)):
        story_id = first + offset
        known = data.targets.get(story_id)
        fingerprint = known[1] if known else f"{story_id:064x}"
        stories.append((story_id, fingerprint, "synthetic"))
        articles.append((story_id, f"https://bench.example/{story_id}", story_id, "bench",
                         "bench", "synthetic", "generic", "[]", "[]", fingerprint,
                         row.astype("<u4").tobytes(), int(shingles)))  # fmt: skip
    return stories, articles


def _band_rows(first: int, keys: np.ndarray) -> list[tuple[int, int]]:
    # A body's 32 keys are distinct in practice; the store inserts set(bands) and so do we.
    return [(int(k), first + i) for i, row in enumerate(keys) for k in set(row.tolist())]


def fill_sqlite(url: str, size: int, data: Corpus, family: int, agree: float) -> float:
    """Migrate a SQLite store and bulk-insert ``size`` stories with their bands; seconds taken."""
    Store(url)  # creates the schema through the migrations, as a real store
    start = time.perf_counter()
    engine = create_engine(url)  # no foreign_keys pragma: the bench's ids are consistent
    with engine.begin() as conn:
        raw = conn.connection.driver_connection
        # Bands go through an unindexed table and into story_band sorted by its key: B-tree
        # appends instead of 32 random inserts per story (~10x faster at 10^6).
        raw.execute("CREATE TEMP TABLE staged_band (band INTEGER, story_id INTEGER)")
        for first, values, counts, keys in stored_rows(size, data, family, agree):
            story_rows, article_rows = _story_rows(first, values, counts, data)
            raw.executemany(
                "INSERT INTO story (id, fingerprint, title) VALUES (?, ?, ?)", story_rows
            )
            raw.executemany(
                "INSERT INTO article (id, url, story_id, source, outlet, title, parser, authors, "
                "paragraphs, body_hash, signature, shingles) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", article_rows,
            )  # fmt: skip
            raw.executemany("INSERT INTO staged_band VALUES (?, ?)", _band_rows(first, keys))
        raw.execute(
            "INSERT INTO story_band (band, story_id) "
            "SELECT band, story_id FROM staged_band ORDER BY band, story_id"
        )
        raw.execute("DROP TABLE staged_band")
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # so the file size is the data
    engine.dispose()
    return time.perf_counter() - start


def fill_postgres(url: str, size: int, data: Corpus, family: int, agree: float) -> float:
    """Migrate a PostgreSQL store and COPY ``size`` stories with their bands; seconds taken."""
    Store(url)
    start = time.perf_counter()
    engine = create_engine(url)
    with engine.begin() as conn:
        raw = conn.connection.driver_connection
        with raw.cursor() as cursor:
            # A throwaway database: load without the key and the foreign-key triggers, then
            # build the key once by sorting (the same index the migrations define).
            cursor.execute("SET session_replication_role = replica")
            cursor.execute("ALTER TABLE story_band DROP CONSTRAINT story_band_pkey")
            articles = (
                "article (id, url, story_id, source, outlet, title, parser, authors, paragraphs, "
                "body_hash, signature, shingles)"
            )
            for first, values, counts, keys in stored_rows(size, data, family, agree):
                story_rows, article_rows = _story_rows(first, values, counts, data)
                with cursor.copy("COPY story (id, fingerprint, title) FROM STDIN") as copy:
                    for row in story_rows:
                        copy.write_row(row)
                with cursor.copy(f"COPY {articles} FROM STDIN") as copy:
                    for row in article_rows:
                        copy.write_row(row)
                with cursor.copy("COPY story_band (band, story_id) FROM STDIN") as copy:
                    for row in _band_rows(first, keys):
                        copy.write_row(row)
            cursor.execute("SET maintenance_work_mem = '512MB'")
            cursor.execute("ALTER TABLE story_band ADD PRIMARY KEY (band, story_id)")
            cursor.execute("SET session_replication_role = DEFAULT")
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in ("story", "article", "story_band"):
            conn.exec_driver_sql(f"VACUUM ANALYZE {table}")
    engine.dispose()
    return time.perf_counter() - start


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh database on the machine's PostgreSQL, dropped afterwards."""
    name = f"bench_stories_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@dataclass
class Timings:
    """Wall and CPU milliseconds of each decision, per round and query, and how many were right."""

    wall: list[list[float]]  # [round][query]
    cpu: list[float]
    right: int


def time_find_story(
    url: str, queries: Sequence[Query], rounds: int, profile: cProfile.Profile | None = None
) -> Timings:
    """Milliseconds per `find_story` decision (fresh session each) and how many were right.

    With ``profile``, one more round runs under cProfile after the timed ones: a profiler
    slows Python code 2-3x, so it must not touch the figures.
    """
    store = Store(url)
    for query in queries[:5]:  # warm the connection pool, the page cache and numpy
        with store.session() as session:
            stories.find_story(session, query.digest, query.paragraphs)
    found = Timings([], [], 0)
    for _ in range(rounds):
        found.wall.append([])
        for query in queries:
            with store.session() as session:
                cpu, start = time.thread_time(), time.perf_counter()
                story, _sig = stories.find_story(session, query.digest, query.paragraphs)
                found.wall[-1].append((time.perf_counter() - start) * 1000)
                found.cpu.append((time.thread_time() - cpu) * 1000)
                found.right += (story.id if story else None) == query.expected
    for query in queries if profile else ():
        with store.session() as session:
            profile.enable()
            stories.find_story(session, query.digest, query.paragraphs)
            profile.disable()
    store.engine.dispose()
    return found


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def bench_memory_index(
    size: int, data: Corpus, family: int, agree: float, queries: Sequence[Query], rounds: int
) -> Row:
    """The in-memory index: build it, then time `match` (signing excluded, reported apart)."""
    gc.collect()
    before = _rss_mb()
    start = time.perf_counter()
    index = StoryIndex()
    for first, values, counts, _keys in stored_rows(size, data, family, agree):
        for offset, (row, shingles) in enumerate(zip(values, counts, strict=True)):
            index.add(first + offset, Signature(row.copy(), int(shingles)))
    load_s = time.perf_counter() - start
    gc.collect()
    memory = _rss_mb() - before
    sigs = [(q, signature(q.paragraphs)) for q in queries]
    found = Timings([], [], 0)
    for _ in range(rounds):
        found.wall.append([])
        for query, sig in sigs:
            cpu, start = time.thread_time(), time.perf_counter()
            match = index.match(sig)
            found.wall[-1].append((time.perf_counter() - start) * 1000)
            found.cpu.append((time.thread_time() - cpu) * 1000)
            found.right += (match[0] if match else None) == query.expected
    del index
    gc.collect()
    return _row("memory", size, found, load_s, memory)


def _p(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[int(q * (len(ordered) - 1) + 0.5)], 3)


def _row(backend: str, size: int, t: Timings, load_s: float, mb: float) -> Row:
    every = [ms for one_round in t.wall for ms in one_round]
    best = [min(per_query) for per_query in zip(*t.wall, strict=True)]
    return Row(
        backend, size, _p(every, 0.5), _p(every, 0.95), _p(best, 0.5), _p(best, 0.95),
        _p(t.cpu, 0.5), f"{t.right}/{len(every)}", round(load_s, 1), round(mb, 1),
    )  # fmt: skip


def signing_ms(queries: Sequence[Query]) -> float:
    """Median milliseconds to sign one body: part of every near-duplicate decision."""
    times = []
    for query in queries:
        start = time.perf_counter()
        signature(query.paragraphs)
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 3)


def table(rows: Sequence[Row], sign_ms: float, args: argparse.Namespace) -> str:
    """The results as an aligned text table."""
    lines = [
        f"find_story per decision (ms), {BANDS} bands x {ROWS} rows, MAX_CANDIDATES "
        f"{stories.MAX_CANDIDATES}; families of {args.family} at J~{args.family_jaccard} per "
        f"target; signing alone: {sign_ms} ms (memory rows exclude it)",
        f"machine load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on "
        f"{os.cpu_count()} cores",
        f"  {'backend':<9} {'stories':>9} {'p50':>7} {'p95':>7} {'best p50':>9} {'best p95':>9} "
        f"{'cpu p50':>8} {'right':>8} {'load s':>7} {'MB':>8}",
    ]
    for r in rows:
        lines.append(
            f"  {r.backend:<9} {r.stories:>9,} {r.p50_ms:>7.2f} {r.p95_ms:>7.2f} "
            f"{r.best_p50_ms:>9.2f} {r.best_p95_ms:>9.2f} {r.cpu_p50_ms:>8.2f} {r.right:>8} "
            f"{r.load_s:>7.1f} {r.size_mb:>8.1f}"
        )
    lines.append("  MB: database file (sqlite), database size (postgresql), RSS growth (memory)")
    memory = [r for r in rows if r.backend == "memory"]
    if memory:
        per_story = memory[-1].size_mb * 2**20 / memory[-1].stories
        lines.append(
            f"  in-memory index: {per_story:,.0f} bytes per story, ~{per_story * 1e6 / 2**30:.1f} "
            f"GB projected at 1,000,000 stories"
        )
    return "\n".join(lines)


def _postgres_size_mb(url: str) -> float:
    engine = create_engine(url)
    with engine.connect() as conn:
        size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
    engine.dispose()
    return size / 2**20


def run(args: argparse.Namespace) -> tuple[list[Row], float, str]:
    """Every backend at every size; the profile of the largest SQLite run when asked."""
    data = corpus()
    sizes = [*args.sizes, *([1_000_000] if args.million else [])]
    rows: list[Row] = []
    profile_text = ""
    for size in sizes:
        profile = cProfile.Profile() if args.profile and size == sizes[-1] else None
        with tempfile.TemporaryDirectory(prefix="bench-stories-") as tmp:
            url = f"sqlite:///{Path(tmp) / 'stories.db'}"
            load_s = fill_sqlite(url, size, data, args.family, args.family_jaccard)
            timings = time_find_story(url, data.queries, args.rounds, profile)
            mb = sum(f.stat().st_size for f in Path(tmp).iterdir()) / 2**20
            rows.append(_row("sqlite", size, timings, load_s, mb))
        if profile:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(25)
            profile_text = out.getvalue()
        if args.postgres:
            with postgres_database() as url:
                load_s = fill_postgres(url, size, data, args.family, args.family_jaccard)
                timings = time_find_story(url, data.queries, args.rounds)
                mb = _postgres_size_mb(url)
                rows.append(_row("postgres", size, timings, load_s, mb))
        if size <= args.max_memory_index:
            rows.append(
                bench_memory_index(
                    size, data, args.family, args.family_jaccard, data.queries, args.rounds
                )
            )
        print(f"done: {size:,} stories", file=sys.stderr)  # progress: 10^6 takes minutes
    return rows, signing_ms(data.queries), profile_text


def main(argv: list[str] | None = None) -> int:
    """Command line: print the table (or one JSON document with --json)."""
    parser = argparse.ArgumentParser(prog="python -m bench.stories")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--million", action="store_true", help="add 1,000,000 stored stories")
    parser.add_argument("--no-postgres", dest="postgres", action="store_false",
                        help=f"skip PostgreSQL ({POSTGRES})")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=5, help="times each query is decided")
    parser.add_argument("--family", type=int, default=100, help="same-topic stories per target")
    parser.add_argument("--family-jaccard", type=float, default=0.3)
    parser.add_argument("--max-memory-index", type=int, default=100_000,
                        help="largest size for the in-memory index (~1 GB at 10^5)")  # fmt: skip
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the largest SQLite size (one more, untimed)")  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    rows, sign_ms, profile_text = run(args)
    if args.json:
        doc = {"rows": [asdict(r) for r in rows], "signing_ms": sign_ms, "bands": BANDS,
               "rows_per_band": ROWS, "max_candidates": stories.MAX_CANDIDATES,
               "family": args.family, "family_jaccard": args.family_jaccard,
               "load_average": list(os.getloadavg())}  # fmt: skip
        json.dump(doc, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(table(rows, sign_ms, args))
        if profile_text:
            print(profile_text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
