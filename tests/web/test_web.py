"""The read side as a user of the web view's API and the exports meets it: a store filled by a
real pass over pages served on 127.0.0.1 (SQLite and PostgreSQL, tests/support/webstore.py),
read through FastAPI's test client, through `briefwatch web` listening on a real port, and
through `briefwatch export`."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from fastapi.testclient import TestClient

from briefwatch.config import load_config
from briefwatch.web.app import create_app
from briefwatch.web.export import inert
from tests.alerts.test_alerts_commands import save_secret
from tests.support.prefect_server import prefect_env
from tests.support.webstore import STORIES, filled_store, running_view, view_client
from tests.test_cli import BRIEFWATCH, briefwatch

TOKEN = "a-test-token-of-some-length"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def filled(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """Shared by the module's tests, which only read."""
    with filled_store(tmp_path_factory.mktemp(f"web-{request.param}"), request.param) as config:
        yield config


@pytest.fixture
def client(filled: Path) -> Iterator[TestClient]:
    with view_client(filled) as test_client:
        yield test_client


def test_facts_are_listed_as_status_json_lists_them_and_filter_by_place_country_and_kind(
    client: TestClient, filled: Path
) -> None:
    facts = client.get("/api/facts").json()
    status = json.loads(
        briefwatch("status", "--config", str(filled), "--json", cwd=filled.parent).stdout
    )
    assert facts["facts"] == status["facts"]  # one shape for one thing
    assert facts["total"] == len(status["facts"]) and facts["next_offset"] is None

    kupiansk = client.get("/api/facts", params={"place": "kupiansk"}).json()["facts"]
    assert [f["key"] for f in kupiansk] == ["control:kupiansk"]
    assert kupiansk[0]["place"]["country"] == "UA"
    assert kupiansk[0]["outlets"][0]["url"].endswith("/north-wire/kupiansk/")

    in_ukraine = client.get("/api/facts", params={"country": "ua"}).json()["facts"]
    assert {f["key"] for f in in_ukraine} == {"control:kupiansk", "control:kreminna"}
    tolls = client.get("/api/facts", params={"kind": "casualty"}).json()["facts"]
    assert tolls and all(f["kind"] == "casualty" for f in tolls)
    assert any(f["state"].get("count_low") == 14 for f in tolls)


def test_lists_are_paged(client: TestClient) -> None:
    everything = client.get("/api/facts").json()
    first = client.get("/api/facts", params={"limit": 1}).json()
    assert first["total"] == everything["total"] >= 3
    assert len(first["facts"]) == 1 and first["next_offset"] == 1
    rest = client.get("/api/facts", params={"limit": 1000, "offset": 1}).json()
    assert first["facts"] + rest["facts"] == everything["facts"]
    assert rest["next_offset"] is None
    assert client.get("/api/facts", params={"limit": 0}).status_code == 422
    assert client.get("/api/facts", params={"kind": "weather"}).status_code == 422


def test_one_fact_has_its_history_its_claims_and_their_outlets(client: TestClient) -> None:
    fact = client.get("/api/facts/control:kupiansk").json()
    assert fact["state"]["status"] in {"disputed", "contested"}, fact["headline"]
    assert [c["version"] for c in fact["changes"]] == list(range(1, fact["version"] + 1))
    assert all(d["state"] == "sent" for c in fact["changes"] for d in c["deliveries"])

    claims = client.get("/api/facts/control:kupiansk/claims").json()
    by_status = {c["data"]["status"]: c for c in claims["claims"]}
    assert set(by_status) >= {"captured", "contested"}
    assert "Defense Ministry" in (by_status["captured"]["claimed_by"] or "")
    assert by_status["captured"]["url"].endswith("/north-wire/kupiansk/")
    assert by_status["contested"]["url"].endswith("/east-desk/kupiansk/")

    assert client.get("/api/facts/control:atlantis").status_code == 404
    assert client.get("/api/facts/control:atlantis/claims").status_code == 404


def test_changes_say_how_their_alerts_went_per_channel(client: TestClient) -> None:
    changes = client.get("/api/changes").json()["changes"]
    assert changes and all(c["deliveries"] for c in changes)
    assert {d["channel"] for c in changes for d in c["deliveries"]} == {"hook"}
    times = [c["created_at"] for c in changes]
    assert times == sorted(times, reverse=True)  # the latest first
    only = client.get("/api/changes", params={"place": "Kreminna"}).json()["changes"]
    assert only and {c["fact_key"] for c in only} == {"control:kreminna"}
    later = client.get("/api/changes", params={"since": "2999-01-01T00:00:00Z"}).json()
    assert later["changes"] == [] and later["total"] == 0


def test_every_list_the_issue_names_is_narrowed_to_a_country_and_says_so_in_its_schema(
    client: TestClient,
) -> None:
    ukraine = {"control:kupiansk", "control:kreminna"}
    changes = client.get("/api/changes", params={"country": "ua"}).json()
    assert changes["total"] >= 2 and {c["fact_key"] for c in changes["changes"]} == ukraine
    claims = client.get("/api/claims", params={"country": "UA"}).json()["claims"]
    assert claims and {c["fact_key"] for c in claims} == ukraine  # no toll: it has no place
    kreminna = client.get("/api/claims", params={"place": "kreminna"}).json()["claims"]
    assert kreminna and {c["fact_key"] for c in kreminna} == {"control:kreminna"}
    points = client.get("/api/control.geojson", params={"country": "UA"}).json()["features"]
    assert {f["properties"]["place"] for f in points} == {"Kupiansk", "Kreminna"}
    for where in ("RU", "am"):  # the store's places are all in Ukraine
        for path, things in (("/api/facts", "facts"), ("/api/changes", "changes")):
            answer = client.get(path, params={"country": where, "kind": "control"}).json()
            assert answer[things] == [] and answer["total"] == 0, (path, where)
        geojson = client.get("/api/control.geojson", params={"country": where}).json()
        assert geojson["features"] == []
    assert client.get("/api/changes", params={"country": "Ukraine"}).status_code == 422

    schema = client.get("/openapi.json").json()["paths"]
    for path in ("/api/facts", "/api/changes", "/api/claims", "/api/control.geojson"):
        country = next(p for p in schema[path]["get"]["parameters"] if p["name"] == "country")
        assert "ISO 3166-1 alpha-2" in country["description"], path


def test_stories_and_sources(client: TestClient, filled: Path) -> None:
    stories = client.get("/api/stories").json()["stories"]
    assert {s["title"] for s in stories} == {title for title, _ in STORIES.values()}
    assert all(len(s["articles"]) == 1 for s in stories)
    sources = client.get("/api/sources").json()["sources"]
    assert {s["name"] for s in sources} == {"north-wire", "east-desk"}
    assert all(s["last_success_at"] and s["articles_seen"] == 1 for s in sources)
    # the same document as `briefwatch sources --json`, health and pages waiting included
    assert all(s["health"]["state"] == "ok" and "queued" in s["pages"] for s in sources)
    said = briefwatch("sources", "--config", str(filled), "--json", cwd=filled.parent)
    assert sources == json.loads(said.stdout)["sources"]


def test_stories_are_narrowed_to_a_kind_a_place_or_a_country_by_the_claims_they_carry(
    client: TestClient,
) -> None:
    def titles(**params: str) -> set[str]:
        answer = client.get("/api/stories", params=params).json()
        assert answer["total"] == len(answer["stories"])
        return {s["title"] for s in answer["stories"]}

    moscow, kyiv = (title for title, _ in STORIES.values())
    assert titles(place="Kreminna") == {kyiv}  # Kreminna is read in Kyiv's story alone
    assert titles(place="kupiansk") == {moscow, kyiv}
    assert titles(kind="casualty") == {moscow}  # the toll is Moscow's story's
    assert titles(kind="casualty", place="kreminna") == set()
    assert titles(country="ua") == {moscow, kyiv}
    assert titles(country="RU") == set()
    assert client.get("/api/stories", params={"kind": "weather"}).status_code == 422


def test_every_list_is_paged_and_narrowed_to_what_came_since_a_time(client: TestClient) -> None:
    for path, things in (
        ("/api/facts", "facts"),
        ("/api/claims", "claims"),
        ("/api/changes", "changes"),
        ("/api/stories", "stories"),
        ("/api/facts/control:kupiansk/claims", "claims"),
    ):
        everything = client.get(path).json()
        assert everything["total"] >= 2, path
        first = client.get(path, params={"limit": 1}).json()
        second = client.get(path, params={"limit": 1, "offset": 1}).json()
        assert first[things] + second[things] == everything[things][:2], path
        assert first["next_offset"] == 1 and first["total"] == everything["total"], path
        later = client.get(path, params={"since": "2999-01-01T00:00:00Z"}).json()
        assert later[things] == [] and later["total"] == 0, path
        earlier = client.get(path, params={"since": "2000-01-01T00:00:00Z"}).json()
        assert earlier["total"] == everything["total"], path
    # claims by when they were published: Kyiv's story came out a day after Moscow's
    kyiv = client.get("/api/claims", params={"since": "2025-03-04T00:00:00Z"}).json()["claims"]
    assert kyiv and all(c["url"].endswith("/east-desk/kupiansk/") for c in kyiv)
    assert len(kyiv) < client.get("/api/claims").json()["total"]


def test_control_geojson_puts_each_known_place_at_its_coordinates(
    client: TestClient, places: object
) -> None:
    answer = client.get("/api/control.geojson")
    assert answer.headers["content-type"].startswith("application/geo+json")
    features = {f["properties"]["place"]: f for f in answer.json()["features"]}
    assert set(features) == {"Kupiansk", "Kreminna"}
    town = places.resolve("Kupiansk", ["UA"])  # type: ignore[attr-defined]
    assert features["Kupiansk"]["geometry"]["coordinates"] == [town.lon, town.lat]
    assert features["Kreminna"]["properties"]["status"] == "encircled"
    # what a marker needs, the fact's own headline and the link to its page; the claims on
    # each side are the fact's document, which a popup fetches when it opens
    kupiansk = features["Kupiansk"]["properties"]
    fact = client.get("/api/facts/control:kupiansk").json()
    assert kupiansk["key"] == "control:kupiansk" and kupiansk["country"] == "UA"
    assert kupiansk["geonameid"] == town.id and kupiansk["holder"] == fact["state"]["holder"]
    assert kupiansk["headline"] == fact["headline"]
    assert kupiansk["updated_at"] == fact["updated_at"]
    assert kupiansk["url"] == "http://testserver/facts/control:kupiansk"
    assert "positions" not in kupiansk and "outlets" not in kupiansk
    sides = {p["side"]: p for p in fact["positions"]}
    assert set(sides) == set(fact["state"]["positions"]) and len(sides) == 2
    said = next(p for p in sides.values() if p["status"] == "captured")
    assert "Defense Ministry" in said["claimed_by"] and said["sentence"]
    assert said["outlet"] and said["url"].endswith("/north-wire/kupiansk/")
    assert all("positions" not in f for f in client.get("/api/facts").json()["facts"])


def test_a_token_is_asked_of_every_request_when_set(
    tmp_path: Path, filled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFWATCH_WEB_TOKEN", TOKEN)
    config = tmp_path / "briefwatch.toml"
    web = '[web]\ntoken = "env:BRIEFWATCH_WEB_TOKEN"\n'
    config.write_text(filled.read_text(encoding="utf-8").replace("[web]\n", web), encoding="utf-8")
    app = create_app(load_config(config))
    with TestClient(app) as client:
        for path in ("/api/facts", "/api/control.geojson", "/docs", "/openapi.json"):
            assert client.get(path).status_code == 401, path
        assert (
            client.get("/api/facts", headers={"Authorization": "Bearer wrong"}).status_code == 401
        )
        assert (
            client.get(
                "/api/facts", headers={"Authorization": "Bearer ünïcode".encode()}
            ).status_code
            == 401
        )
        assert (
            client.get("/api/facts", headers={"Authorization": f"Bearer {TOKEN}"}).status_code
            == 200
        )
        assert client.get("/api/facts", params={"token": TOKEN}).status_code == 200
    app.state.store.close()


def test_briefwatch_web_serves_the_api_and_its_docs_and_writes_nothing(filled: Path) -> None:
    store_file = filled.parent / "briefwatch.db"
    sqlite = store_file.exists()
    before = store_file.stat().st_mtime_ns if sqlite else None
    with running_view(filled) as base:
        answer = requests.get(f"{base}/api/facts", timeout=5)
        assert answer.status_code == 200 and answer.json()["total"] >= 3
        schema = requests.get(f"{base}/openapi.json", timeout=5).json()
        assert {"/api/facts", "/api/changes", "/api/stories", "/api/sources"} <= set(
            schema["paths"]
        )
        assert requests.get(f"{base}/docs", timeout=5).status_code == 200
    if sqlite:
        assert store_file.stat().st_mtime_ns == before  # a reader never writes


def test_listening_beyond_loopback_needs_a_token(filled: Path) -> None:
    done = briefwatch("web", "--config", str(filled), "--host", "0.0.0.0", cwd=filled.parent)
    assert done.returncode == 2
    assert (
        "web.token: listening on 0.0.0.0 needs a token" in done.stderr
        and "Traceback" not in done.stderr
    )


def test_a_token_kept_in_a_prefect_secret_block_is_asked_of_every_request(
    tmp_path: Path, filled: Path, prefect_api: str
) -> None:
    home = tmp_path / "prefect"
    save_secret(prefect_api, home, "bw-test-web-token", TOKEN)
    config = tmp_path / "briefwatch.toml"
    web = '[web]\ntoken = "block:bw-test-web-token"\n'
    config.write_text(filled.read_text(encoding="utf-8").replace("[web]\n", web), encoding="utf-8")
    with running_view(config, env=prefect_env(home, prefect_api)) as base:
        assert requests.get(f"{base}/api/facts", timeout=10).status_code == 401
        bearer = {"Authorization": f"Bearer {TOKEN}"}
        answer = requests.get(f"{base}/api/facts", headers=bearer, timeout=10)
        assert answer.status_code == 200 and answer.json()["total"] >= 3
        # the block's name is no token
        named = {"Authorization": "Bearer block:bw-test-web-token"}
        assert requests.get(f"{base}/api/facts", headers=named, timeout=10).status_code == 401
    # a block that cannot be read: no view, the setting named, exit 2
    missing = tmp_path / "missing.toml"
    missing.write_text(
        config.read_text(encoding="utf-8").replace("bw-test-web-token", "bw-test-no-such"),
        encoding="utf-8",
    )
    done = subprocess.run(
        [BRIEFWATCH, "web", "--config", str(missing), "--port", "9"],
        env=prefect_env(home, prefect_api), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "web.token: cannot read the Prefect Secret block 'bw-test-no-such'" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_view_refuses_a_store_that_does_not_exist_without_creating_one(tmp_path: Path) -> None:
    config = tmp_path / "briefwatch.toml"
    config.write_text('[storage]\nurl = "sqlite:///nothing-here.db"\n', encoding="utf-8")
    for command in (("web",), ("export", "--format", "csv")):
        done = briefwatch(*command, "--config", str(config), cwd=tmp_path)
        assert done.returncode == 2, done.stderr
        assert "no store at" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "nothing-here.db").exists()


def test_export_writes_claims_as_csv_geojson_and_jsonl(filled: Path) -> None:
    def export(*args: str) -> str:
        done = briefwatch("export", "--config", str(filled), *args, cwd=filled.parent)
        assert done.returncode == 0, done.stderr
        return done.stdout

    rows = list(csv.DictReader(io.StringIO(export("--format", "csv"))))
    captured = next(r for r in rows if r["status"] == "captured" and r["place"] == "Kupiansk")
    assert captured["country"] == "UA" and float(captured["lat"]) > 49
    assert captured["date"] == "2025-03-03" and captured["kind"] == "control"
    assert "Defense Ministry" in captured["claimant"]
    assert captured["url"].endswith("/north-wire/kupiansk/") and "captured" in captured["sentence"]
    toll = next(r for r in rows if r["kind"] == "casualty" and r["outcome"] == "killed")
    assert (toll["count_low"], toll["qualifier"], toll["victims"]) == (
        "14",
        "at_least",
        "civilians",
    )

    jsonl = [json.loads(line) for line in export("--format", "jsonl").splitlines()]
    assert len(jsonl) == len(rows) and {c["id"] for c in jsonl} == {
        int(r["claim_id"]) for r in rows
    }
    control = export("--format", "jsonl", "--kind", "control").splitlines()
    assert 0 < len(control) < len(jsonl)

    claims = json.loads(export("--format", "geojson"))
    assert claims["type"] == "FeatureCollection"
    assert {f["properties"]["place"] for f in claims["features"]} == {"Kupiansk", "Kreminna"}
    facts = json.loads(export("--format", "geojson", "--what", "facts"))
    assert len(facts["features"]) == 2

    out = filled.parent / "facts.csv"
    export("--format", "csv", "--what", "facts", "--output", str(out))
    fact_rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {r["key"] for r in fact_rows} >= {"control:kupiansk", "control:kreminna"}


def test_export_refuses_an_unknown_format_naming_it(filled: Path) -> None:
    done = briefwatch("export", "--config", str(filled), "--format", "xlsx", cwd=filled.parent)
    assert done.returncode == 2 and "--format must be one of csv, geojson, jsonl" in done.stderr


def test_a_csv_cell_a_spreadsheet_would_run_as_a_formula_is_made_inert() -> None:
    row = {"sentence": '=HYPERLINK("http://e.x","fell")', "outlet": "@desk", "lat": -1.5, "n": 3}
    assert inert(row) == {
        "sentence": '\'=HYPERLINK("http://e.x","fell")',
        "outlet": "'@desk",
        "lat": -1.5,
        "n": 3,
    }
