"""A real HTTP server on 127.0.0.1 for tests: routes are set per test, every request is logged.

    with LocalServer() as server:
        server.route("/feed", body=feed_bytes, content_type="application/rss+xml", etag='"v1"')
        url = server.url("/feed")

A route answers 304 on a matching If-None-Match / If-Modified-Since, like a well-behaved origin.
Faults for the fetcher's tests are route options too: ``redirect()``, ``gzip=True`` (compress the
body), ``chunked=True`` (no Content-Length), ``repeat=N`` (send the body N times, lazily, for very
large bodies), ``content_length=`` (declare any length), ``chunk_delay=`` (stall between pieces),
``header_delay=`` (stall between header lines), ``close_delimited=True`` (no length at all: the
body ends when the server hangs up) and ``fail_headers=`` (headers on the ``fail_first`` answers,
e.g. Retry-After).

Every request is logged with its arrival time, and the server counts how many it held at once
(``max_in_flight``), so pacing can be measured from the server's side. A request counts from
its arrival until its answer starts: the last bytes of an answer may reach the client, and its
next request the server, before the thread that sent them has counted itself out. ``tls=`` serves
HTTPS with a given certificate and records the SNI names clients sent.
"""

from __future__ import annotations

import gzip
import socket
import ssl
import sys
import threading
import time
from collections.abc import Iterator
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
    fail_headers: dict[str, str] = field(default_factory=dict)  # sent with the fail_first answers
    gzip: bool = False  # send the body gzip-compressed, with Content-Encoding: gzip
    chunked: bool = False  # Transfer-Encoding: chunked, so no Content-Length
    repeat: int = 1  # send the body this many times over (a 50 MB body without 50 MB in memory)
    content_length: int | None = None  # declare this Content-Length instead of the real one
    chunk_delay: float = 0.0  # seconds to stall before each piece of the body (after the headers)
    header_delay: float = 0.0  # seconds to stall before each header line (a drip before the body)
    close_delimited: bool = False  # send no length; the body ends when the connection closes

    def wire_body(self) -> bytes:
        """One copy of the body as it goes on the wire (compressed when ``gzip``)."""
        return gzip.compress(self.body) if self.gzip else self.body

    def pieces(self, body: bytes) -> Iterator[bytes]:
        for _ in range(self.repeat):
            if self.chunk_delay:
                time.sleep(self.chunk_delay)
            yield body


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    at: float = 0.0  # time.monotonic() when it arrived


class _QuietServer(ThreadingHTTPServer):
    """A client that hangs up mid-request (size cap, deadline) is expected, not worth a trace."""

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class _QuietServer6(_QuietServer):
    address_family = socket.AF_INET6


class LocalServer:
    """A threaded HTTP server on a free loopback port with a mutable route table.

    ``host`` may be any 127.0.0.0/8 address (e.g. 127.0.0.2, to show nothing reached it), or
    ``::1``, the IPv6 loopback.
    """

    def __init__(self, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.server_names: list[str | None] = []  # SNI of each TLS handshake
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._scheme = "https" if tls else "http"
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes: without this, every keep-alive
            # request waits ~40 ms on Nagle's algorithm and delayed ACKs.
            disable_nagle_algorithm = True

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:
                server._handle(self)

            def do_HEAD(self) -> None:
                server._handle(self, head=True)

        if ":" in host:  # an IPv6 loopback address ("::1")
            self._httpd = _QuietServer6((host, 0), Handler)
        else:
            self._httpd = _QuietServer((host, 0), Handler)
        self._httpd.daemon_threads = True
        if tls is not None:
            tls.sni_callback = lambda _sock, name, _ctx: self.server_names.append(name)
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
        # A short poll interval keeps shutdown (once per test) at ~50 ms instead of up to 0.5 s.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def url(self, path: str = "/") -> str:
        host = str(self._httpd.server_address[0])
        host = f"[{host}]" if ":" in host else host
        return f"{self._scheme}://{host}:{self.port}{path}"

    def route(self, path: str, body: bytes | str = b"", **kwargs: object) -> Route:
        if isinstance(body, str):
            body = body.encode("utf-8")
        route = Route(body=body, **kwargs)  # type: ignore[arg-type]
        with self._lock:
            self.routes[path] = route
        return route

    def redirect(self, path: str, location: str, status: int = 302) -> Route:
        """Answer ``path`` with a redirect to ``location`` (absolute, or a path on this server)."""
        return self.route(path, status=status, headers={"Location": location})

    def route_file(self, path: str, file: Path, **kwargs: object) -> Route:
        return self.route(path, file.read_bytes(), **kwargs)

    def hits(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def _handle(self, handler: BaseHTTPRequestHandler, head: bool = False) -> None:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        handler.held = True  # type: ignore[attr-defined]
        try:
            self._answer(handler, head)
        finally:
            self._answering(handler)

    def _answering(self, handler: BaseHTTPRequestHandler) -> None:
        """The request's answer starts (or it ended without one): it is no longer held."""
        with self._lock:
            if handler.held:  # type: ignore[attr-defined]
                handler.held = False  # type: ignore[attr-defined]
                self.in_flight -= 1

    def _answer(self, handler: BaseHTTPRequestHandler, head: bool) -> None:
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self._lock:
            self.requests.append(Request(handler.command, handler.path, headers, time.monotonic()))
            route = self.routes.get(handler.path)
            forced = route.fail_first.pop(0) if route and route.fail_first else None
        if route is None:
            return self._send(handler, 404, b"not found", {"Content-Type": "text/plain"}, head)
        if route.delay:
            time.sleep(route.delay)
        if forced is not None:
            out = {"Content-Type": "text/plain", **route.fail_headers}
            return self._send(handler, forced, b"failure", out, head)
        out = {"Content-Type": route.content_type, **route.headers}
        if route.gzip:
            out["Content-Encoding"] = "gzip"
        if route.etag:
            out["ETag"] = route.etag
        if route.last_modified:
            out["Last-Modified"] = route.last_modified
        not_modified = (route.etag and headers.get("if-none-match") == route.etag) or (
            route.last_modified and headers.get("if-modified-since") == route.last_modified
        )
        if not_modified:
            return self._send(handler, 304, b"", out, head)
        self._send_route(handler, route, out, head)

    def _send(
        self,
        handler: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        headers: dict[str, str],
        head: bool,
    ) -> None:
        self._answering(handler)
        try:
            handler.send_response(status)
            for key, value in headers.items():
                handler.send_header(key, value)
            if status != 304:
                handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            if not head and status != 304:
                handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
            handler.close_connection = True

    def _send_route(
        self, handler: BaseHTTPRequestHandler, route: Route, headers: dict[str, str], head: bool
    ) -> None:
        """Send a route's own answer piece by piece; a client that hangs up early (size cap,
        timeout) is expected, not an error."""
        self._answering(handler)
        body = route.wire_body()
        try:
            handler.send_response(route.status)
            for key, value in headers.items():
                if route.header_delay:
                    handler.flush_headers()
                    time.sleep(route.header_delay)
                handler.send_header(key, value)
            if route.chunked:
                handler.send_header("Transfer-Encoding", "chunked")
            elif route.close_delimited:
                handler.send_header("Connection", "close")
                handler.close_connection = True
            elif route.content_length is not None:
                handler.send_header("Content-Length", str(route.content_length))
                handler.close_connection = True  # a short body then ends in a hang-up
            else:
                handler.send_header("Content-Length", str(len(body) * route.repeat))
            handler.end_headers()
            handler.wfile.flush()
            if head:
                return
            for piece in route.pieces(body):
                if route.chunked:
                    handler.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                else:
                    handler.wfile.write(piece)
                handler.wfile.flush()
            if route.chunked:
                handler.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def tls_for(names: list[str], directory: Path) -> tuple[ssl.SSLContext, Path]:
    """A server TLS context with a certificate for ``names``, signed by a fresh test CA; and the
    CA's PEM file, for a client to trust. Needs the ``cryptography`` package."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)

    def issue(subject: str, key: ec.EllipticCurvePrivateKey, issuer: x509.Name, signer, *, ca):
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(issuer)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(hours=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if not ca:
            sans = [x509.DNSName(n) for n in names]
            builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
        return builder.sign(signer, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "briefwatch test CA")])
    ca_cert = issue("briefwatch test CA", ca_key, ca_name, ca_key, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = issue(names[0], key, ca_name, ca_key, ca=False)
    pem = serialization.Encoding.PEM
    ca_file, cert_file, key_file = (directory / n for n in ("ca.pem", "cert.pem", "key.pem"))
    ca_file.write_bytes(ca_cert.public_bytes(pem))
    cert_file.write_bytes(cert.public_bytes(pem))
    key_file.write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context, ca_file
