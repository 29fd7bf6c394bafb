"""Several workers at once: two `briefwatch run` passes over the same sources at the same time,
on the machine's PostgreSQL, store each story once and send each alert once. (Since the pass
lease, `briefwatch.lease`, the one that starts second usually finds the first's lease and does
nothing; whichever way they meet, nothing is stored or sent twice.)"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from briefwatch.demo.newsroom import FEED_PATH, INDEX_PATH, load_newsroom
from briefwatch.demo.server import Site
from tests.support.prefect_server import prefect_env
from tests.support.receiver import Receiver

BRIEFWATCH = str(Path(sys.executable).with_name("briefwatch"))


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as hook:
        yield hook


def test_two_passes_at_once_store_once_and_alert_once(
    tmp_path: Path, pg_url: str, prefect_api: str, receiver: Receiver
) -> None:
    newsroom = load_newsroom()
    with Site() as site:
        site.publish(newsroom.pages(4, site.base_url))  # every article of the demo at once
        config = tmp_path / "briefwatch.toml"
        config.write_text(
            f'[storage]\nurl = "{pg_url}"\n[fetch]\nallow_private = ["127.0.0.1"]\n'
            f'[[sources]]\nname = "mt"\nurl = "{site.base_url}{FEED_PATH}"\n'
            f'[[sources]]\nname = "wire"\nurl = "{site.base_url}{INDEX_PATH}"\n'
            f'[[channels]]\nname = "hook"\nurl = "{receiver.apprise_url}"\n',
            encoding="utf-8",
        )
        workers = [
            subprocess.Popen(
                [BRIEFWATCH, "run", "--config", str(config)],
                env=prefect_env(tmp_path / f"prefect-{i}", prefect_api),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for i in range(2)
        ]
        outputs = [w.communicate(timeout=240)[0] for w in workers]
    assert [w.returncode for w in workers] == [0, 0], "\n=====\n".join(outputs)

    engine = create_engine(pg_url)
    with engine.connect() as db:
        articles = db.execute(text("select url from article")).scalars().all()
        changes = db.execute(text("select key, title from change")).all()
        deliveries = db.execute(text("select change_key, state from delivery")).all()
    engine.dispose()
    assert len(articles) == len(set(articles)) == 7  # every page stored once, by either worker
    assert len(deliveries) == len(changes) and {s for _, s in deliveries} == {"sent"}
    # Each change reached the channel exactly once, whichever worker sent it.
    assert Counter(receiver.titles()) == Counter(title for _, title in changes)
    assert json.dumps(receiver.titles()).count("Crew members killed: 3") == 1
