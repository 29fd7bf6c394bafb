"""A small static web server on 127.0.0.1 for the demo's newsroom.

It answers like a well-behaved origin: an ETag on every page and 304 Not Modified when the
client already has it, so the demo's passes exercise conditional GET for real.
"""

from __future__ import annotations

import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Site:
    """Serve ``pages`` (path -> (content type, body)); replace them at any time with `publish`."""

    def __init__(self) -> None:
        self._pages: dict[str, tuple[str, bytes, str]] = {}
        self._lock = threading.Lock()
        self.requests = 0
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes: without this, every keep-alive
            # request waits ~40 ms on Nagle's algorithm and delayed ACKs.
            disable_nagle_algorithm = True

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                site._answer(self)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def publish(self, pages: dict[str, tuple[str, bytes]]) -> None:
        """Make ``pages`` the whole site."""
        tagged = {
            path: (ctype, body, f'"{hashlib.sha256(body).hexdigest()[:16]}"')
            for path, (ctype, body) in pages.items()
        }
        with self._lock:
            self._pages = tagged

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.requests += 1
            page = self._pages.get(handler.path.split("?", 1)[0])
        if page is None:
            body = b"not found"
            handler.send_response(404)
            handler.send_header("Content-Type", "text/plain")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
            return
        ctype, body, etag = page
        if handler.headers.get("If-None-Match") == etag:
            handler.send_response(304)
            handler.send_header("ETag", etag)
            handler.end_headers()
            return
        handler.send_response(200)
        handler.send_header("Content-Type", ctype)
        handler.send_header("ETag", etag)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def __enter__(self) -> Site:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
