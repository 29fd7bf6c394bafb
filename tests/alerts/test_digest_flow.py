"""The `digest` flow on a real Prefect server: a digest channel's gathered alerts go out when
the flow runs, as one message, once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from prefect.settings import PREFECT_API_URL, temporary_settings

from flows.digest import digest
from tests.support.alerting import run, serve_seed, settings
from tests.support.receiver import Receiver
from tests.support.server import LocalServer


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as hook:
        yield hook


def test_the_digest_flow_sends_what_a_digest_channel_gathered(
    tmp_path: Path, prefect_api: str, server: LocalServer, receiver: Receiver
) -> None:
    db_url = f"sqlite:///{tmp_path / 'bw.db'}"
    channel = {"name": "daily", "url": receiver.apprise_url, "mode": "digest", "digest_every": "1d"}
    config = settings(db_url, serve_seed(server), channel)
    first = run(config)
    assert first.counts()["changes"] > 1
    assert receiver.messages == []  # gathered: the day is not over

    path = tmp_path / "briefwatch.toml"
    path.write_text(
        f'[storage]\nurl = "{db_url}"\n[[channels]]\nname = "daily"\n'
        f'url = "{receiver.apprise_url}"\nmode = "digest"\ndigest_every = "1d"\n',
        encoding="utf-8",
    )
    with temporary_settings(updates={PREFECT_API_URL: prefect_api}):
        result = digest(config=str(path))
        assert result["messages"] == 1 and result["alerts_sent"] == first.counts()["changes"]
        assert len(receiver.messages) == 1
        body = receiver.messages[0]["message"]
        assert "Shusha" in body and "Crew members killed" in body
        again = digest(config=str(path))
    assert again["messages"] == 0 and len(receiver.messages) == 1  # nothing twice
