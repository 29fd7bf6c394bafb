"""The web view's application: the API (`briefwatch.web.api`) behind one token check, over a
store opened without migrating it (a reader never writes; it may run as a read-only user)."""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from briefwatch.config import Settings, WebSettings
from briefwatch.errors import ConfigError, StoreError
from briefwatch.store import Store, sqlite_file
from briefwatch.web.api import router as api_router
from briefwatch.web.cache import FactCache
from briefwatch.web.pages import router as pages_router


def is_loopback(host: str) -> bool:
    """Whether ``host`` (as given to ``--host``) listens on this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve anywhere


def check_binding(host: str, web: WebSettings) -> None:
    """Refuse to listen beyond loopback without a token: the view shows every claim stored."""
    if not is_loopback(host) and web.token is None:
        raise ConfigError(
            f"web.token: listening on {host} needs a token (set web.token, as env:NAME to keep "
            "it out of the file); without one, listen on 127.0.0.1"
        )


def open_reader(url: str) -> Store:
    """The store at ``url`` for reading: never created, never migrated (a reader may run as a
    user who cannot write); a store that is not at the current schema is refused, saying why."""
    path = sqlite_file(url)
    if path is not None and not path.is_file():  # opening it would create an empty file
        # the config names a store that is not there: a wrong path as often as a new desk
        raise ConfigError(f"storage.url: no store at {path}; run `briefwatch run` first")
    store = Store(url, create=False, readonly=True)  # SQLite at the current schema: read-only
    if not store.schema_current():
        store.close()
        raise StoreError(
            f"storage.url: {url} holds no briefwatch store at the current schema; "
            "run `briefwatch run` once (it creates and migrates the store), then the view"
        )
    return store


TOKEN_COOKIE = "briefwatch_token"
STATIC = Path(__file__).parent / "static"


def _presented(request: Request) -> str:
    """The token a request carries: a bearer header, ``?token=`` (a link from an alert), or the
    cookie a page opened with ``?token=`` set (so its links and refreshes need no token)."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    return request.query_params.get("token") or request.cookies.get(TOKEN_COOKIE, "")


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    """The view over ``store`` (by default the config's store, opened without migrating)."""
    app = FastAPI(
        title="briefwatch",
        summary="What the monitored outlets say: facts, claims, changes, stories, sources.",
        version="1",
    )
    if settings.web.token_block is not None:
        # never the words "block:NAME" taken for the token: whoever read the config knows them
        raise ConfigError(
            f"web.token: the Prefect Secret block {settings.web.token_block!r} is read by "
            "`briefwatch web` (flows/secrets.py); resolve it before creating the view"
        )
    app.state.settings = settings
    app.state.store = store if store is not None else open_reader(settings.storage.url)
    app.state.fact_cache = FactCache()  # answers built from facts, until a fact is written
    # bytes: compare_digest refuses str with non-ASCII characters, which a client may send
    token = settings.web.token.get_secret_value().encode() if settings.web.token else None

    @app.middleware("http")
    async def require_token(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if token is not None and not secrets.compare_digest(_presented(request).encode(), token):
            return JSONResponse(
                {"detail": "a token is needed: Authorization: Bearer <token>, or ?token="},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        answer = await call_next(request)
        if token is not None and "token" in request.query_params:
            answer.set_cookie(
                TOKEN_COOKIE, request.query_params["token"], httponly=True, samesite="strict"
            )
        return answer

    app.include_router(api_router)
    app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
