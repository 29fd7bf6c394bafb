"""Places are real in the facts: two spellings of one town are one fact, and the fact says
where the town is. Real passes over pages served on 127.0.0.1, on SQLite and PostgreSQL,
read back with `briefwatch status --json` as a user would.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from briefwatch import pipeline
from briefwatch.config import load_config
from briefwatch.fetch.client import Fetcher
from briefwatch.models import Claim
from briefwatch.places import Gazetteer
from briefwatch.store import Store
from tests.support.receiver import Receiver
from tests.support.server import LocalServer
from tests.support.webstore import serve_stories
from tests.test_cli import briefwatch

# Written for this test: three outlets spell the town three ways.
STORIES = {
    "/moscow-wire/avdeyevka": (
        "Russia says Avdeyevka is taken",
        ["Russian forces have captured the town of Avdeyevka, the Defense Ministry in Moscow "
         "said on Saturday."],
    ),
    "/kyiv-desk/avdiivka": (
        "Troops pull back from Avdiivka",
        ["Ukrainian troops withdrew from Avdiivka overnight to save lives, the army said."],
    ),
    "/field-notes/avdiyivka": (
        "Quiet after the fall",
        ["Smoke still rose over Avdiyivka on Sunday, local officials said.",
         "The town of Avdiyivka is now under Russian control, they said."],
    ),
}  # fmt: skip


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as hook:
        yield hook


def _config(tmp_path: Path, db_url: str, server: LocalServer, hook: Receiver) -> Path:
    sources = "".join(
        f'[[sources]]\nname = "{path.split("/")[1]}"\nurl = "{server.url(path + "/feed")}"\n'
        for path in STORIES
    )
    text = (
        f'[storage]\nurl = "{db_url}"\n'
        '[watch]\ncountries = ["UA", "RU"]\n'
        '[fetch]\nallow_private = ["127.0.0.1"]\nretries = 0\n'
        f'{sources}[[channels]]\nname = "hook"\nurl = "{hook.apprise_url}"\n'
    )
    path = tmp_path / "briefwatch.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_two_spellings_of_one_town_are_one_fact_that_says_where_it_is(
    tmp_path: Path, db_url: str, server: LocalServer, receiver: Receiver, places: Gazetteer
) -> None:
    serve_stories(server, STORIES, datetime(2024, 2, 17, 9, tzinfo=UTC))
    config = _config(tmp_path, db_url, server, receiver)
    settings = load_config(config)
    store = Store(settings.storage.url)
    with Fetcher(settings.fetch) as fetcher:
        summary = pipeline.run_pass(settings, store, fetcher)
    store.close()
    assert summary.counts()["new_stories"] == 3

    done = briefwatch("status", "--config", str(config), "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    control = [f for f in json.loads(done.stdout)["facts"] if f["kind"] == "control"]
    assert len(control) == 1, [f["label"] for f in control]  # three spellings, one fact
    fact = control[0]
    town = places.resolve("Avdiivka", ["UA"])
    assert fact["label"] == "Control of Avdiivka"
    assert fact["place"] == {
        "id": town.id, "name": "Avdiivka", "country": "UA", "admin1": town.admin1,
        "lat": town.lat, "lon": town.lon,
    }  # fmt: skip
    assert 47.5 < fact["place"]["lat"] < 48.5 and 37 < fact["place"]["lon"] < 38.5
    assert fact["state"]["place"] == fact["place"]
    # one alert about the town, under its canonical name; the fact's claims keep their
    # sentences as written, in all three spellings
    assert [t for t in receiver.titles() if "Avdiivka" in t] == [fact["headline"]]
    store = Store(settings.storage.url)
    with store.session() as session:
        claims = session.exec(select(Claim).where(Claim.fact_key == fact["key"])).all()
    store.close()
    quoted = " ".join(c.sentence for c in claims)
    assert all(s in quoted for s in ("Avdeyevka", "Avdiivka", "Avdiyivka")), quoted
    assert {c.data["place_id"] for c in claims} == {town.id}

    table = briefwatch("status", "--config", str(config), cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    # the table's first row of the fact (rich wraps "Control of Avdiivka") shows the country
    lines = table.stdout.splitlines()
    assert "country" in next(line for line in lines if "┃ fact" in line), table.stdout
    assert " UA " in next(line for line in lines if "Control of" in line), table.stdout
