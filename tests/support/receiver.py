"""A real local endpoint that Apprise's `json://` delivers to; it keeps every message it gets.

    with Receiver() as hook:
        url = hook.apprise_url        # json://127.0.0.1:PORT/hook
        ... hook.messages             # [{"title": ..., "message": ..., "type": ...}, ...]

`fail_next(n)` answers the next n deliveries with HTTP 500, to test the outbox's retries;
`stall()` keeps each message it gets but never answers, until `release()`: a sender killed
while it waits has delivered a message it could not record.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Receiver:
    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.refused = 0
        self._fail = 0
        self._lock = threading.Lock()
        self._answer = threading.Event()
        self._answer.set()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes: without this, every keep-alive
            # request waits ~40 ms on Nagle's algorithm and delayed ACKs.
            disable_nagle_algorithm = True

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with receiver._lock:
                    failing = receiver._fail > 0
                    if failing:
                        receiver._fail -= 1
                        receiver.refused += 1
                    else:
                        receiver.messages.append(json.loads(body))
                receiver._answer.wait(timeout=120)
                self.send_response(500 if failing else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def apprise_url(self) -> str:
        return f"json://127.0.0.1:{self._httpd.server_address[1]}/hook"

    def fail_next(self, count: int) -> None:
        with self._lock:
            self._fail = count

    def stall(self) -> None:
        self._answer.clear()

    def release(self) -> None:
        self._answer.set()

    def titles(self) -> list[str]:
        with self._lock:
            return [m["title"] for m in self.messages]

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
        self._httpd.shutdown()
        self._httpd.server_close()
