"""The web view's pages as people see them: rendered by the server (FastAPI's test client) and
opened in a real headless Chromium against `briefwatch web` on a real port, over a store filled
by a real pass (tests/support/webstore.py; rendered from SQLite and PostgreSQL, and opened in the
browser from each). Screenshots are kept under the test's temp folder."""

from __future__ import annotations

import html
import random
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
import requests
from fastapi.testclient import TestClient
from sqlalchemy import insert
from sqlmodel import col, delete

from briefwatch import pipeline
from briefwatch.config import load_config
from briefwatch.fetch.client import Fetcher
from briefwatch.models import Change, Fact
from briefwatch.store import Store
from briefwatch.web.app import create_app
from tests.support.receiver import Receiver
from tests.support.server import LocalServer
from tests.support.webstore import (
    HOSTILE,
    STORIES,
    filled_store,
    running_view,
    serve_stories,
    view_client,
)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def filled(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """The pages render from either store (shared by the module's tests, which only read)."""
    folder = tmp_path_factory.mktemp(f"web-pages-{request.param}")
    with filled_store(folder, request.param) as config:
        yield config


@pytest.fixture
def client(filled: Path) -> Iterator[TestClient]:
    with view_client(filled) as test_client:
        yield test_client


def test_a_page_s_markup_in_a_claim_is_shown_as_text_never_run(client: TestClient) -> None:
    page = client.get("/facts/control:kreminna")
    assert page.status_code == 200
    assert HOSTILE not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text  # shown, as written
    for path in ("/", "/changes", "/timeline", "/stories"):
        assert HOSTILE not in client.get(path).text, path


def test_the_map_page_counts_the_places_and_lists_those_it_cannot_draw(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "2 places with a control fact" in page.text
    assert "Every place with a control fact is on the map." in page.text  # both have coordinates
    assert 'href="/api/control.geojson"' in page.text and "/static/leaflet/leaflet.js" in page.text


def test_the_fact_page_is_a_stable_link_with_claims_history_and_alerts(client: TestClient) -> None:
    page = client.get("/facts/control:kupiansk").text
    assert "Control of Kupiansk" in page and "disputed" in page
    assert page.count("<tr>") >= 4  # header + two claims, header + a change
    assert "/north-wire/kupiansk/" in page and "/east-desk/kupiansk/" in page
    assert "hook: sent" in page
    assert client.get("/facts/control:atlantis").status_code == 404


def test_the_timeline_draws_each_toll_as_a_step_chart(client: TestClient) -> None:
    page = client.get("/timeline").text
    assert re.search(r'<polyline class="series" data-claimant="[^"]+" points="[\d., ]+"', page)
    assert "civilians" in page.lower() and "14" in page
    assert "Control of Kupiansk" in page  # each place's history of statuses


def test_changes_stories_and_sources_pages(client: TestClient) -> None:
    changes = client.get("/changes").text
    assert "hook: sent" in changes and "Kupiansk" in changes
    stories = client.get("/stories").text
    assert "Moscow says Kupiansk is taken" in stories and "Kyiv denies the fall" in stories
    sources = client.get("/sources").text
    assert "north-wire" in sources and "east-desk" in sources and "never" not in sources
    assert sources.count('class="health health-ok"') == 2  # each source's health


def test_the_atom_feed_lists_changes_and_filters_by_place(client: TestClient) -> None:
    answer = client.get("/feeds/changes.atom")
    assert answer.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(answer.content)
    assert not feed.bozo and feed.entries
    assert all(e.link.startswith("http://testserver/facts/") for e in feed.entries)
    one = feedparser.parse(client.get("/feeds/changes.atom", params={"place": "Kreminna"}).content)
    assert one.entries and all("kreminna" in e.link for e in one.entries)


def test_each_kind_and_each_place_has_a_feed_of_its_own_at_a_stable_url(
    client: TestClient,
) -> None:
    def feed(**params: str) -> feedparser.FeedParserDict:
        answer = client.get("/feeds/changes.atom", params=params)
        assert answer.status_code == 200, answer.text
        parsed = feedparser.parse(answer.content)
        assert not parsed.bozo, parsed.bozo_exception
        return parsed

    everything = feed()
    tolls = feed(kind="casualty")
    assert tolls.entries and all("/facts/casualty:" in e.link for e in tolls.entries)
    control = feed(kind="control")
    assert {e.id for e in tolls.entries} | {e.id for e in control.entries} == {
        e.id for e in everything.entries
    }
    kupiansk = feed(place="kupiansk")
    assert kupiansk.entries and all(
        e.link.endswith("/facts/control:kupiansk") for e in kupiansk.entries
    )
    in_ukraine = feed(country="ua")
    assert {e.link.rsplit("/", 1)[1] for e in in_ukraine.entries} == {
        "control:kupiansk",
        "control:kreminna",
    }
    # a feed is known by what it lists: its id and self link, however it was asked for
    again = feed(place="kupiansk", kind="control")
    assert again.feed.id == "http://testserver/feeds/changes.atom?kind=control&place=kupiansk"
    assert feed(kind="control", place="kupiansk").feed.id == again.feed.id
    assert everything.feed.id != kupiansk.feed.id != tolls.feed.id
    assert "Kupiansk" in kupiansk.entries[0].title
    # the entry says who claims what, with the sentence quoted
    assert "Defense Ministry" in " ".join(e.content[0].value for e in kupiansk.entries)


def test_hostile_text_in_a_feed_entry_stays_text(client: TestClient) -> None:
    answer = client.get("/feeds/changes.atom", params={"place": "Kreminna"})
    assert HOSTILE not in answer.text  # never raw markup in the XML
    entries = feedparser.parse(answer.content).entries
    content = " ".join(e.content[0].value for e in entries)
    assert all(e.content[0].type == "text/plain" for e in entries)
    assert HOSTILE in content and "[x](http://e.x)" in content  # read back as written, as text


def test_a_change_whose_title_carries_control_characters_is_still_a_feed(
    tmp_path: Path, filled: Path
) -> None:
    # an older store (or one filled by another tool) may hold what no parser lets through now
    store = Store(load_config(filled).storage.url)
    with store.session() as session:
        session.add(
            Change(key="control:kupiansk#99", fact_key="control:kupiansk", kind="control",
                   version=99, title="Kupiansk\x0b: <b>taken</b> \x07again ]]>",
                   new_state={}, created_at=datetime(2999, 1, 1, tzinfo=UTC))
        )  # fmt: skip
    try:
        with view_client(filled) as client:
            answer = client.get("/feeds/changes.atom", params={"place": "Kupiansk"})
        assert answer.status_code == 200
        first = feedparser.parse(answer.content).entries[0]
        assert first.title == "Kupiansk : <b>taken</b> again ]]>"  # as text, the controls gone
    finally:
        with store.session() as session:
            session.exec(delete(Change).where(col(Change.key) == "control:kupiansk#99"))
        store.close()


def test_a_token_given_once_in_the_link_is_kept_for_the_pages_links(
    tmp_path: Path, filled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFWATCH_WEB_TOKEN", "a-test-token-of-some-length")
    config = tmp_path / "briefwatch.toml"
    text = filled.read_text(encoding="utf-8")
    config.write_text(text.replace("[web]\n", '[web]\ntoken = "env:BRIEFWATCH_WEB_TOKEN"\n'))
    app = create_app(load_config(config))
    with TestClient(app) as client:
        assert client.get("/changes").status_code == 401
        assert client.get("/", params={"token": "a-test-token-of-some-length"}).status_code == 200
        assert client.get("/changes").status_code == 200  # the cookie the link set
    app.state.store.close()


@pytest.fixture
def view(filled: Path) -> Iterator[str]:
    """`briefwatch web` on a free loopback port over either store, until the test ends (the
    map's feed and a popup's claims are each database's reading of the facts' JSON)."""
    with running_view(filled) as base:
        yield base


def _chromium(url: str, folder: Path, screenshot: str | None = None, seconds: int = 8) -> str:
    """The DOM of ``url`` after its scripts ran, in headless Chromium. Every address but
    loopback goes to a closed local port (the proxy), so nothing leaves the machine."""
    assert CHROMIUM is not None
    args = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--proxy-server=127.0.0.1:9", "--window-size=1200,900",
        f"--user-data-dir={folder / 'profile'}", f"--virtual-time-budget={seconds * 1000}",
    ]  # fmt: skip
    if screenshot:
        args.append(f"--screenshot={folder / screenshot}")
    else:
        args.append("--dump-dom")
    done = subprocess.run([*args, url], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")
def test_the_map_in_a_real_browser_shows_each_place_coloured_by_status(
    view: str, tmp_path: Path
) -> None:
    dom = _chromium(f"{view}/", tmp_path)
    assert 'data-markers="2"' in dom  # both places drew, though no tile could load
    kupiansk = re.search(r'<path[^>]*data-place="Kupiansk"[^>]*>', dom)
    kreminna = re.search(r'<path[^>]*data-place="Kreminna"[^>]*>', dom)
    assert kupiansk and kreminna, dom[:2000]
    assert 'fill="#e67e22"' in kupiansk.group(0) and "place-disputed" in kupiansk.group(0)
    assert "place-encircled" in kreminna.group(0)
    assert "disputed" in dom and "encircled" in dom  # the legend
    _chromium(f"{view}/", tmp_path, screenshot="map.png")
    assert (tmp_path / "map.png").stat().st_size > 10_000
    # a popup asks for the claims on each side when it opens: who, the sentence, the outlet
    opened = _chromium(f"{view}/?fact=control%3Akupiansk", tmp_path)
    popup = re.search(r'<div class="leaflet-popup-content"[^>]*>(.*?)</div></div>', opened, re.S)
    assert popup, opened[:3000]
    assert "Defense Ministry" in popup.group(1) and "<blockquote>" in popup.group(1)
    assert re.search(r'<a href="[^"]*/north-wire/kupiansk/"', popup.group(1)), popup.group(1)
    assert "loading the claims" not in popup.group(1)

    timeline = _chromium(f"{view}/timeline", tmp_path)
    assert '<polyline class="series"' in timeline
    _chromium(f"{view}/timeline", tmp_path, screenshot="timeline.png")
    changes = _chromium(f"{view}/changes", tmp_path)
    assert "hook: sent" in changes


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")
def test_open_pages_ask_for_their_content_again_every_30_seconds_without_a_reload(
    view: str, tmp_path: Path
) -> None:
    # 65 s of the browser's own (virtual) time: asked again at 30 s and at 60 s
    for path in ("/changes", "/timeline", "/sources", "/facts/control:kupiansk", "/"):
        dom = _chromium(f"{view}{path}", tmp_path, seconds=65)
        assert 'data-refreshed="2"' in dom, (path, dom[:1500])
    assert 'data-drawn="3"' in dom and 'data-markers="2"' in dom  # the map's markers redrawn too
    # fewer than 30 s open: not asked yet (the page was not reloaded meanwhile either)
    assert "data-refreshed" not in _chromium(f"{view}/changes", tmp_path, seconds=25)


MANY = 3000  # places added to the real pass's two


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The real pass's store with thousands more places west of its two (generated, each with
    coordinates and a status), as a long war leaves a store."""
    with filled_store(tmp_path_factory.mktemp("web-pages-crowded"), "sqlite") as config:
        rng = random.Random(15)
        rows = [
            {"key": f"control:hamlet-{n}", "kind": "control", "label": f"Control of Hamlet {n}",
             "version": 1, "updated_at": datetime(2025, 1, 1, tzinfo=UTC),
             "state": {"status": rng.choice(["captured", "contested", "disputed"]),
                       "holder": rng.choice(["Russia", "Ukraine"]), "positions": {},
                       "place": {"id": 10_000_000 + n, "name": f"Hamlet {n}", "country": "UA",
                                 "lat": 46 + rng.random() * 3, "lon": 28 + rng.random() * 7}}}
            for n in range(MANY)
        ]  # fmt: skip
        store = Store(load_config(config).storage.url)
        with store.session() as session:
            session.execute(insert(Fact), rows)
        store.close()
        yield config


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")
def test_thousands_of_places_are_clustered_and_each_is_found_by_its_link(
    crowded: Path, tmp_path: Path
) -> None:
    with running_view(crowded) as base:
        overview = _chromium(f"{base}/", tmp_path)
        fact_page = requests.get(f"{base}/facts/control:kupiansk", timeout=10).text
        link = re.search(r'<a href="(/\?fact=[^"]+)">on the map</a>', fact_page)
        assert link, fact_page[:3000]
        focused = _chromium(base + html.unescape(link.group(1)), tmp_path)
        _chromium(base + html.unescape(link.group(1)), tmp_path, screenshot="focused.png")
    assert f'data-markers="{MANY + 2}"' in overview  # every place was read
    clusters = re.findall(r'class="[^"]*marker-cluster[^"]*"', overview)
    drawn = re.findall(r"<path[^>]*data-place=", overview)
    assert clusters and len(drawn) < 300, (len(clusters), len(drawn))  # grouped, not 3,002 dots
    # zoomed on the town its fact page links to: the town's own marker, coloured, popup open
    kupiansk = re.search(r'<path[^>]*data-place="Kupiansk"[^>]*>', focused)
    assert kupiansk and 'fill="#e67e22"' in kupiansk.group(0), focused[:2000]
    assert "leaflet-popup-content" in focused and "Defense Ministry" in focused
    assert (tmp_path / "focused.png").stat().st_size > 10_000


def test_an_alert_links_to_its_fact_s_page_when_the_view_has_a_base_url(tmp_path: Path) -> None:
    with LocalServer() as server, Receiver() as hook:
        serve_stories(server, STORIES, datetime(2025, 3, 3, 9, tzinfo=UTC))
        config = tmp_path / "briefwatch.toml"
        config.write_text(
            f'[storage]\nurl = "sqlite:///{tmp_path / "bw.db"}"\n[watch]\ncountries = ["UA"]\n'
            '[fetch]\nallow_private = ["127.0.0.1"]\nretries = 0\n'
            '[web]\nbase_url = "https://desk.example.org/bw"\n'
            + "".join(
                f'[[sources]]\nname = "{p.split("/")[1]}"\nurl = "{server.url(p + "/feed")}"\n'
                for p in STORIES
            )
            + f'[[channels]]\nname = "hook"\nurl = "{hook.apprise_url}"\n',
            encoding="utf-8",
        )
        settings = load_config(config)
        store = Store(settings.storage.url)
        with Fetcher(settings.fetch) as fetcher:
            pipeline.run_pass(settings, store, fetcher)
        store.close()
        bodies = [m["message"] for m in hook.messages]
    links = re.findall(r"https://desk\.example\.org/bw(/facts/[^\s)\]]+)", "\n".join(bodies))
    assert "/facts/control:kupiansk" in links, bodies
    with view_client(config) as client:  # each link opens its fact's page
        for path in set(links):
            page = client.get(path)
            assert page.status_code == 200 and "<h1>" in page.text, path
