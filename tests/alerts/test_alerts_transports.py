"""Alerts delivered for real over the transports people use: e-mail to an SMTP server on
127.0.0.1 and MQTT to the machine's Mosquitto (127.0.0.1:1883), read back by a subscriber."""

from __future__ import annotations

import socket
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.alerting import HIGH, SEED_PATH, later, run, serve_seed, settings, sqlite
from tests.support.server import LocalServer
from tests.support.smtp import SmtpReceiver

MOSQUITTO = ("127.0.0.1", 1883)


@pytest.fixture
def seed(server: LocalServer) -> LocalServer:
    return serve_seed(server)


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    with SmtpReceiver() as receiver:
        yield receiver


def test_alerts_arrive_as_mail(tmp_path: Path, seed: LocalServer, smtp: SmtpReceiver) -> None:
    config = settings(
        sqlite(tmp_path),
        seed,
        {"name": "desk", "url": smtp.apprise_url("desk@example.org"), "min_importance": "high"},
    )
    run(config)
    assert set(smtp.subjects()) == HIGH
    assert {tuple(to) for _, to in smtp.envelopes} == {("<desk@example.org>",)}
    shusha = next(m for m in smtp.mails if str(m["Subject"]).startswith("Shusha"))
    text = shusha.get_body(preferencelist=("plain",)).get_content()
    assert "Ilham Aliyev" in text and "completely out of our control" in text
    html = shusha.get_body(preferencelist=("html",)).get_content()  # the markdown, as HTML
    assert f'href="{seed.url(SEED_PATH)}"' in html


def test_a_mail_server_down_for_a_pass_gets_every_alert_once_it_is_back(
    tmp_path: Path, seed: LocalServer
) -> None:
    with socket.socket() as probe:  # a free port, where nothing listens yet
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"mailto://127.0.0.1:{port}?from=news@example.com&to=desk@example.org"
    config = settings(sqlite(tmp_path), seed, {"name": "desk", "url": url})
    first = run(config)
    assert len(first.alerts.failed) == 8  # refused: every alert stays in the outbox

    with SmtpReceiver(port) as back:
        report = later(config, 5)
        assert len(report.sent) == 8 and report.messages == 8
        assert later(config, 600, force=True).messages == 0
    assert sorted(back.subjects()) == sorted(first.changes)


def _mosquitto_up() -> bool:
    try:
        socket.create_connection(MOSQUITTO, timeout=1).close()
    except OSError:
        return False
    return True


def test_alerts_arrive_over_mqtt(tmp_path: Path, seed: LocalServer) -> None:
    # Apprise's MQTT plugin needs paho-mqtt (>= 2.1); the subscriber uses it too.
    mqtt = pytest.importorskip("paho.mqtt.client", reason="paho-mqtt is not installed")
    if not _mosquitto_up():
        pytest.skip("no MQTT broker at 127.0.0.1:1883")
    topic = f"briefwatch/test/{uuid.uuid4().hex[:8]}"
    got: list[str] = []
    subscribed = threading.Event()
    subscriber = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    subscriber.on_connect = lambda client, *_: client.subscribe(topic, qos=1)
    subscriber.on_subscribe = lambda *_: subscribed.set()
    subscriber.on_message = lambda _c, _u, message: got.append(message.payload.decode())
    subscriber.connect(*MOSQUITTO)
    subscriber.loop_start()
    try:
        assert subscribed.wait(10), "the subscriber could not subscribe"
        config = settings(
            sqlite(tmp_path),
            seed,
            {"name": "bus", "url": f"mqtt://127.0.0.1:1883/{topic}", "min_importance": "high"},
        )
        summary = run(config)
        assert len(summary.alerts.sent) == 4, summary.alerts.failed
        for _ in range(50):
            if len(got) >= 4:
                break
            threading.Event().wait(0.1)
    finally:
        subscriber.loop_stop()
        subscriber.disconnect()
    assert len(got) == 4
    # MQTT has no title: Apprise puts it on the payload's first line, above the body.
    assert {payload.splitlines()[0] for payload in got} == HIGH
    assert any("completely out of our control" in payload for payload in got)
