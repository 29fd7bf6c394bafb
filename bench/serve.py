"""The corpus served over HTTP on 127.0.0.1, in a process of its own.

It runs apart from the pass it serves so that the pass's CPU time and peak memory are the
pass's alone (10k pages held in memory weigh ~450 MB). The parent drives it with one JSON
command per line on stdin and reads one JSON answer per line on stdout:

    {"cmd": "publish", "stop": 2000, "edition": 1}  -> {"pages": ..., "seconds": ...}
    {"cmd": "stats"}                                -> {"requests": ..., "not_modified": ..., ...}
    {"cmd": "reset"}                                -> counters back to zero
    {"cmd": "quit"}

Pages carry an ETag and get a 304 on a matching If-None-Match, like a well-behaved origin. POSTs
to /hook are alerts Apprise delivers (``json://``): counted and answered 200.

    python -m bench.serve --articles 10000 --seed 7 --sources 100
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from subprocess import PIPE, Popen
from typing import Any

from bench.corpus import (
    Corpus,
    Item,
    article_path,
    generate,
    render_listing,
    render_page,
    visible_listings,
)

HOOK_PATH = "/hook"
ROBOTS_PATH = "/robots.txt"
ROBOTS = b"User-agent: *\nAllow: /\n"  # real outlets have one; a fetcher that reads it finds it


class CorpusSite:
    """The pages of one state of the corpus: which articles are out, in which edition."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.base_url = ""
        self._lock = threading.Lock()
        self._pages: dict[str, tuple[str, bytes, str]] = {}
        self._lazy: dict[str, Item] = {}  # older pages, rendered on their first request
        self._edition = 1
        self.counters = {
            "requests": 0, "listing_requests": 0, "robots_requests": 0, "not_modified": 0,
            "not_found": 0, "alerts": 0,
        }  # fmt: skip
        self._listings: set[str] = set()

    def publish(
        self, stop: int, edition: int = 1, listing_size: int | None = None, render_from: int = 0
    ) -> dict[str, Any]:
        """Show the first ``stop`` articles; pages from ``render_from`` on are rendered now."""
        started = time.perf_counter()
        pages: dict[str, tuple[str, bytes, str]] = {}
        lazy: dict[str, Item] = {}
        for item in self.corpus.items[:stop]:
            path = article_path(item)
            if item.index >= render_from:
                pages[path] = _tagged("text/html; charset=utf-8", self._render(item, edition))
            else:
                lazy[path] = item
        for source, items in visible_listings(self.corpus, stop, listing_size).items():
            ctype, body = render_listing(source, items, self.base_url, edition)
            pages[source.path] = _tagged(ctype, body)
        pages[ROBOTS_PATH] = _tagged("text/plain", ROBOTS)
        with self._lock:
            self._pages, self._lazy, self._edition = pages, lazy, edition
            self._listings = {source.path for source in self.corpus.sources}
        return {"pages": len(pages) + len(lazy), "seconds": time.perf_counter() - started}

    def _render(self, item: Item, edition: int) -> bytes:
        return render_page(item, self.base_url, edition)

    def page(self, path: str) -> tuple[str, bytes, str] | None:
        with self._lock:
            self.counters["requests"] += 1
            if path in self._listings:
                self.counters["listing_requests"] += 1
            elif path == ROBOTS_PATH:
                self.counters["robots_requests"] += 1
            found = self._pages.get(path)
            item = self._lazy.get(path) if found is None else None
            edition = self._edition
        if item is not None:
            found = _tagged("text/html; charset=utf-8", self._render(item, edition))
            with self._lock:
                self._pages[path] = found
        return found

    def count(self, key: str) -> None:
        with self._lock:
            self.counters[key] += 1


def _tagged(ctype: str, body: bytes) -> tuple[str, bytes, str]:
    return ctype, body, f'"{hashlib.sha256(body).hexdigest()[:16]}"'


def make_server(site: CorpusSite) -> ThreadingHTTPServer:
    """An HTTP/1.1 server for ``site`` on a free port of 127.0.0.1."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes; with Nagle on, the body waits for the client's
        # delayed ACK of the headers: ~40 ms of idle time per request on loopback.
        disable_nagle_algorithm = True

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            page = site.page(self.path.split("?", 1)[0])
            if page is None:
                site.count("not_found")
                self._send(404, "text/plain", b"not found", None)
                return
            ctype, body, etag = page
            if self.headers.get("If-None-Match") == etag:
                site.count("not_modified")
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self._send(200, ctype, body, etag)

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path.startswith(HOOK_PATH):
                site.count("alerts")
                self._send(200, "application/json", b"{}", None)
            else:
                self._send(404, "text/plain", b"not found", None)

        def _send(self, status: int, ctype: str, body: bytes, etag: str | None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            if etag:
                self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = QuietServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    return server


class QuietServer(ThreadingHTTPServer):
    """A client closing a kept-alive connection at the end of a pass is not an error."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the bench corpus on 127.0.0.1.")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sources", type=int, default=100)
    args = parser.parse_args()
    site = CorpusSite(generate(args.articles, args.seed, args.sources))
    server = make_server(site)
    site.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(json.dumps({"base_url": site.base_url}), flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        name = command.pop("cmd")
        if name == "quit":
            break
        if name == "publish":
            answer = site.publish(**command)
        elif name == "stats":
            with site._lock:
                answer = dict(site.counters)
        elif name == "reset":
            with site._lock:
                site.counters = dict.fromkeys(site.counters, 0)
            answer = {}
        else:
            answer = {"error": f"unknown command {name!r}"}
        print(json.dumps(answer), flush=True)
    server.shutdown()


# -- the parent's side -------------------------------------------------------------------------


@dataclass
class ServerHandle:
    """The parent's handle on a running `bench.serve` process."""

    process: Popen[str]
    base_url: str

    def ask(self, cmd: str, **args: Any) -> dict[str, Any]:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps({"cmd": cmd, **args}) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def publish(self, stop: int, edition: int = 1, **options: Any) -> dict[str, Any]:
        return self.ask("publish", stop=stop, edition=edition, **options)

    def stats(self) -> dict[str, int]:
        return self.ask("stats")

    def reset(self) -> None:
        self.ask("reset")

    @property
    def hook_url(self) -> str:
        return "json://" + self.base_url.removeprefix("http://") + HOOK_PATH


@contextmanager
def corpus_server(articles: int, seed: int, sources: int) -> Iterator[ServerHandle]:
    """Start `bench.serve` for this corpus; stop it on exit."""
    process = Popen(
        [sys.executable, "-m", "bench.serve", "--articles", str(articles), "--seed", str(seed),
         "--sources", str(sources)],
        stdin=PIPE, stdout=PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout
        ready = json.loads(process.stdout.readline())
        yield ServerHandle(process, ready["base_url"])
    finally:
        if process.poll() is None and process.stdin:
            process.stdin.write('{"cmd": "quit"}\n')
            process.stdin.close()
            try:
                process.wait(timeout=10)
            except Exception:
                process.kill()


if __name__ == "__main__":
    main()
