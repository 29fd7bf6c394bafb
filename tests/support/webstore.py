"""A store filled by one real pass over two outlets served on 127.0.0.1, for the web view's
tests (tests/web/test_web.py, tests/web/test_web_pages.py): a town claimed and denied, a village
encircled (its sentence carrying markup a page could hold), a toll."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from fastapi.testclient import TestClient

from briefwatch import pipeline
from briefwatch.config import load_config
from briefwatch.demo.pages import DemoArticle, render_article
from briefwatch.fetch.client import Fetcher
from briefwatch.store import Store
from briefwatch.web.app import create_app
from tests.conftest import pg_database
from tests.support.receiver import Receiver
from tests.support.server import LocalServer
from tests.test_cli import BRIEFWATCH

# Written for these tests.
STORIES = {
    "/north-wire/kupiansk": (
        "Moscow says Kupiansk is taken",
        ["Russian forces have captured the town of Kupiansk, the Defense Ministry in Moscow "
         "said on Monday.",
         "At least 14 civilians were killed in the shelling of the district, regional "
         "officials said.",
         "Residents described a night of heavy artillery fire on the eastern bank of the river."],
    ),
    "/east-desk/kupiansk": (
        "Kyiv denies the fall of Kupiansk",
        ["The Ukrainian army denied that Kupiansk had fallen and said its units were still "
         "fighting in the town.",
         "Russian troops have encircled the village of Kreminna <script>alert(1)</script> "
         "[x](http://e.x), the ministry said.",
         "Both sides have traded claims about the front line for several weeks now."],
    ),
}  # fmt: skip
HOSTILE = "<script>alert(1)</script>"


def serve_stories(
    server: LocalServer, stories: Mapping[str, tuple[str, list[str]]], first: datetime
) -> None:
    """Serve each story as a wire-build article at its path, one a day from ``first``, each
    with an RSS feed of its own at ``<path>/feed``."""
    for day, (path, (title, paragraphs)) in enumerate(stories.items()):
        article = DemoArticle(
            slug=path.strip("/"), outlet_build="wire", title=title, paragraphs=paragraphs,
            published=first + timedelta(days=day),
        )  # fmt: skip
        server.route(path, render_article(article, server.url("/")))
        item = (
            f"<item><title>{title}</title><link>{server.url(path)}</link>"
            f"<guid>{server.url(path)}</guid></item>"
        )
        rss = f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{item}'
        server.route(f"{path}/feed", rss + "</channel></rss>", content_type="application/rss+xml")


@contextmanager
def running_view(config: Path, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """`briefwatch web` over ``config``'s store on a free loopback port, as its base URL, once
    it answers; stopped when the block ends. ``env``: its environment (by default ours)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [BRIEFWATCH, "web", "--config", str(config), "--port", str(port)],
        cwd=config.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env=dict(env) if env is not None else None,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                requests.get(f"{base}/api/sources", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


@contextmanager
def view_client(config: Path) -> Iterator[TestClient]:
    """FastAPI's test client on the web view of ``config``'s store."""
    app = create_app(load_config(config))
    try:
        with TestClient(app) as client:
            yield client
    finally:
        app.state.store.close()


def _config(folder: Path, db_url: str, server: LocalServer, hook: Receiver) -> Path:
    sources = "".join(
        f'[[sources]]\nname = "{path.split("/")[1]}"\nurl = "{server.url(path + "/feed")}"\n'
        for path in STORIES
    )
    text = (
        f'[storage]\nurl = "{db_url}"\n[watch]\ncountries = ["UA", "RU"]\n'
        '[fetch]\nallow_private = ["127.0.0.1"]\nretries = 0\n'
        # a tile server that answers nothing: the map must stand without tiles
        f'[web]\ntiles = "{server.url("/tiles/{z}/{x}/{y}.png")}"\n'
        f"{sources}"
        f'[[channels]]\nname = "hook"\nurl = "{hook.apprise_url}"\n'
    )
    path = folder / "briefwatch.toml"
    path.write_text(text, encoding="utf-8")
    return path


@contextmanager
def filled_store(folder: Path, backend: str) -> Iterator[Path]:
    """The config of a store (``backend``: sqlite or postgresql) holding one real pass over the
    two outlets, with its alerts delivered to a local receiver."""
    with ExitStack() as stack:
        if backend == "sqlite":
            db_url = f"sqlite:///{folder / 'briefwatch.db'}"
        else:
            db_url = stack.enter_context(pg_database())
        server = stack.enter_context(LocalServer())
        hook = stack.enter_context(Receiver())
        serve_stories(server, STORIES, datetime(2025, 3, 3, 9, tzinfo=UTC))
        config = _config(folder, db_url, server, hook)
        settings = load_config(config)
        store = Store(settings.storage.url)
        with Fetcher(settings.fetch) as fetcher:
            pipeline.run_pass(settings, store, fetcher)
        store.close()
        assert hook.messages, "the pass delivered its alerts"
        yield config
