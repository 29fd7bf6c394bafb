"""A real SMTP server on 127.0.0.1 that keeps every mail it is given, for `mailto://` channels.

    with SmtpReceiver() as smtp:                     # or SmtpReceiver(port) to come back on one
        url = smtp.apprise_url("ops@example.org")   # mailto://127.0.0.1:PORT?from=...&to=...
        ... smtp.mails                               # [email.message.EmailMessage, ...]

Standard library only (socketserver + email), so the tests need no SMTP package: it speaks the
part of RFC 5321 that a plain, unauthenticated submission uses (EHLO/HELO, MAIL, RCPT, DATA,
RSET, NOOP, QUIT) and offers no STARTTLS or AUTH, so clients send in the clear, as they do to
a local relay.
"""

from __future__ import annotations

import socketserver
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage


class SmtpReceiver:
    def __init__(self, port: int = 0) -> None:
        self.mails: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []  # (MAIL FROM, RCPT TOs) per mail
        self._lock = threading.Lock()
        receiver = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")
                self.wfile.flush()

            def handle(self) -> None:
                sender, recipients = "", []
                self.reply("220 127.0.0.1 briefwatch test SMTP")
                while line := self.rfile.readline():
                    verb = line[:4].decode("ascii", "replace").upper()
                    if verb == "EHLO":
                        self.reply("250-127.0.0.1\r\n250-8BITMIME\r\n250 SMTPUTF8")
                    elif verb in ("HELO", "NOOP"):
                        self.reply("250 OK")
                    elif verb == "RSET":
                        sender, recipients = "", []
                        self.reply("250 OK")
                    elif verb == "MAIL":
                        sender = line.decode().split(":", 1)[1].strip()
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        recipients.append(line.decode().split(":", 1)[1].strip())
                        self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 End data with <CR><LF>.<CR><LF>")
                        receiver._keep(self._data(), sender, recipients)
                        sender, recipients = "", []
                        self.reply("250 OK: queued")
                    elif verb == "QUIT":
                        self.reply("221 Bye")
                        return
                    else:
                        self.reply("502 Command not implemented")

            def _data(self) -> bytes:
                lines = []
                while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    lines.append(line[1:] if line.startswith(b"..") else line)  # dot-stuffing
                return b"".join(lines)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def apprise_url(self, to: str, sender: str = "news@example.com") -> str:
        return f"mailto://127.0.0.1:{self.port}?from={sender}&to={to}"

    def _keep(self, data: bytes, sender: str, recipients: list[str]) -> None:
        mail = message_from_bytes(data, policy=policy.default)
        with self._lock:
            self.mails.append(mail)  # type: ignore[arg-type]
            self.envelopes.append((sender, recipients))

    def subjects(self) -> list[str]:
        with self._lock:
            return [str(mail["Subject"]) for mail in self.mails]

    def __enter__(self) -> SmtpReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
