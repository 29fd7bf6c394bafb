"""A pass beside hostile sources (`python -m bench.hostile`, last part of `make bench`).

    python -m bench.hostile [--sources 100] [--hostile 10] [--json]

100 sources on 127.0.0.1, 10 of them hostile, one in each fetch group: a slow drip (one byte a
second, for ever), a stall (accepts, never answers), a redirect loop, a 429 and a 500, twice
each. Every good source is an RSS feed with two short articles of our own words. One direct
pass (`pipeline.run_pass`, no Prefect) on a fresh SQLite store, with the defaults a user gets
except `fetch.deadline` (20 s, so the figure before the pass deadline existed stays minutes,
not a quarter of an hour) and `fetch.pass_deadline` (30 s) where the code has one.

It prints the pass's wall time, how many good sources were read and how many hostile ones were
recorded with a reason. Everything talks to 127.0.0.1 only, in a temporary directory.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from briefwatch import pipeline
from briefwatch.config import FetchSettings, parse_config
from briefwatch.fetch.client import Fetcher
from briefwatch.store import Store

KINDS = ("drip", "stall", "loop", "429", "500")
REQUEST_DEADLINE = 20.0
PASS_DEADLINE = 30.0
ARTICLE = (
    "<html><head><title>Convoy reaches Varenka {n}</title></head><body><article>"
    "<h1>Convoy reaches Varenka {n}</h1>"
    "<p>A relief convoy of {n} lorries reached the hill town of Varenka on Tuesday after two "
    "days on the mountain road, the regional office said.</p>"
    "<p>Drivers said the road was open again and that more lorries would follow this week, "
    "carrying flour, fuel and medicine for the town's clinic.</p></article></body></html>"
)


class _Quiet(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hang up on the drip and the stall: expected


def _feed(base: str, n: int) -> bytes:
    items = "".join(
        f"<item><title>a {n}-{k}</title><link>{base}/a/{n}/{k}</link></item>" for k in (1, 2)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>f{n}</title>{items}'
        "</channel></rss>"
    ).encode()


@contextmanager
def hostile_server() -> Iterator[str]:
    """Good feeds at /feed/N and articles at /a/N/K; /drip, /stall, /loop, /429, /500.

    Each hostile source gets a server of its own: pacing is per host and port, so a 429 would
    otherwise hold back every source on the port, and the bench would measure that instead."""
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _send(self, status: int, body: bytes, kind: str, **headers: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            if path.startswith("/drip"):
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                while not stop.wait(1.0):
                    self.wfile.write(b"x")
                    self.wfile.flush()
            elif path.startswith("/stall"):
                stop.wait()
            elif path.startswith("/loop"):
                self._send(302, b"", "text/plain", Location=path)
            elif path.startswith("/429"):
                self._send(429, b"slow down", "text/plain")
            elif path.startswith("/500"):
                self._send(500, b"boom", "text/plain")
            elif path.startswith("/feed/"):
                self._send(200, _feed(base, int(path.rsplit("/", 1)[1])), "application/rss+xml")
            elif path.startswith("/a/"):
                n = int(path.split("/")[2])
                self._send(200, ARTICLE.format(n=n).encode(), "text/html; charset=utf-8")
            else:
                self._send(404, b"not found", "text/plain")

    httpd = _Quiet(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        stop.set()
        httpd.shutdown()
        httpd.server_close()


def sources(
    base: str, hostile_bases: list[str], count: int
) -> tuple[list[dict[str, str]], set[str]]:
    """``count`` sources, one hostile per base in ``hostile_bases``, spread one per fetch group
    (the middle one)."""
    hostile = len(hostile_bases)
    step = max(count // max(hostile, 1), 1)
    bad = {i * step + step // 2 for i in range(hostile)}
    out, names = [], set()
    for n in range(count):
        if n in bad:
            kind = KINDS[len(names) % len(KINDS)]
            name = f"hostile-{kind}-{n}"
            url = f"{hostile_bases[len(names)]}/{kind}/{n}"
            out.append({"name": name, "url": url, "kind": "feed"})
            names.add(name)
        else:
            out.append({"name": f"good-{n}", "url": f"{base}/feed/{n}"})
    return out, names


def measure(count: int, hostile: int) -> dict[str, Any]:
    fetch: dict[str, Any] = {"allow_private": ["127.0.0.1"], "deadline": REQUEST_DEADLINE}
    bounded = "pass_deadline" in FetchSettings.model_fields
    if bounded:
        fetch["pass_deadline"] = PASS_DEADLINE
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as servers:
        base = servers.enter_context(hostile_server())
        others = [servers.enter_context(hostile_server()) for _ in range(hostile)]
        listed, bad = sources(base, others, count)
        settings = parse_config(
            {
                "storage": {"url": f"sqlite:///{Path(tmp) / 'bw.db'}"},
                "fetch": fetch,
                "sources": listed,
            }
        )
        store = Store(settings.storage.url)
        started = time.perf_counter()
        with Fetcher(settings.fetch) as fetcher:
            summary = pipeline.run_pass(settings, store, fetcher)
        wall = time.perf_counter() - started
        store.close()
    # Recorded with a reason: failed, or left for the next pass by the pass's time.
    failed = {line.split(":", 1)[0] for line in summary.failed_sources + summary.timed_out}
    read = sum(1 for b in summary.batches if b.source not in bad and b.new_stories + b.copies)
    return {
        "sources": count,
        "hostile": hostile,
        "pass_deadline": PASS_DEADLINE if bounded else None,
        "request_deadline": REQUEST_DEADLINE,
        "wall_seconds": round(wall, 1),
        "good_read": read,
        "good": count - hostile,
        "hostile_recorded": len(failed & bad),
        "failed_sources": summary.failed_sources,
        "timed_out": summary.timed_out,
    }


def table(result: dict[str, Any]) -> str:
    deadline = result["pass_deadline"]
    bound = f"{deadline:g} s" if deadline is not None else "none"
    rows = [
        ("sources (hostile)", f"{result['sources']} ({result['hostile']})"),
        ("pass deadline / request deadline", f"{bound} / {result['request_deadline']:g} s"),
        ("pass wall time", f"{result['wall_seconds']:.1f} s"),
        ("good sources read", f"{result['good_read']} of {result['good']}"),
        ("hostile sources recorded", f"{result['hostile_recorded']} of {result['hostile']}"),
    ]
    width = max(len(name) for name, _ in rows)
    lines = ["pass beside hostile sources (bench.hostile)"]
    lines += [f"  {name:<{width}}  {value}" for name, value in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=100)
    parser.add_argument("--hostile", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    result = measure(args.sources, args.hostile)
    print(json.dumps(result) if args.json else table(result))


if __name__ == "__main__":
    main()
