"""A real HTTP server on 127.0.0.1 for tests: routes are set per test, every request is logged.

    with LocalServer() as server:
        server.route("/feed", body=feed_bytes, content_type="application/rss+xml", etag='"v1"')
        url = server.url("/feed")

A route answers 304 on a matching If-None-Match / If-Modified-Since, like a well-behaved origin.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0  # seconds to wait before answering (for timeouts)
    # statuses to answer before the real one, one per request: [500, 500] fails twice, then serves
    fail_first: list[int] = field(default_factory=list)


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]


class LocalServer:
    """A threaded HTTP server on a free loopback port with a mutable route table."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:
                server._handle(self)

            def do_HEAD(self) -> None:
                server._handle(self, head=True)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, body: bytes | str = b"", **kwargs: object) -> Route:
        if isinstance(body, str):
            body = body.encode("utf-8")
        route = Route(body=body, **kwargs)  # type: ignore[arg-type]
        with self._lock:
            self.routes[path] = route
        return route

    def route_file(self, path: str, file: Path, **kwargs: object) -> Route:
        return self.route(path, file.read_bytes(), **kwargs)

    def hits(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def _handle(self, handler: BaseHTTPRequestHandler, head: bool = False) -> None:
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self._lock:
            self.requests.append(Request(handler.command, handler.path, headers))
            route = self.routes.get(handler.path)
            forced = route.fail_first.pop(0) if route and route.fail_first else None
        if route is None:
            return self._send(handler, 404, b"not found", {"Content-Type": "text/plain"}, head)
        if route.delay:
            time.sleep(route.delay)
        if forced is not None:
            return self._send(handler, forced, b"failure", {"Content-Type": "text/plain"}, head)
        out = {"Content-Type": route.content_type, **route.headers}
        if route.etag:
            out["ETag"] = route.etag
        if route.last_modified:
            out["Last-Modified"] = route.last_modified
        not_modified = (route.etag and headers.get("if-none-match") == route.etag) or (
            route.last_modified and headers.get("if-modified-since") == route.last_modified
        )
        if not_modified:
            return self._send(handler, 304, b"", out, head)
        self._send(handler, route.status, route.body, out, head)

    @staticmethod
    def _send(
        handler: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        headers: dict[str, str],
        head: bool,
    ) -> None:
        handler.send_response(status)
        for key, value in headers.items():
            handler.send_header(key, value)
        if status != 304:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if not head and status != 304:
            handler.wfile.write(body)

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
