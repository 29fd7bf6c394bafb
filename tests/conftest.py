"""Shared fixtures: a real HTTP server on 127.0.0.1 and the paths of fixture files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.server import LocalServer

FIXTURES = Path(__file__).parent / "fixtures"
SEED = Path(__file__).resolve().parents[1] / "briefwatch" / "demo" / "newsroom"


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A fresh local HTTP server; set routes with ``server.route(path, body, ...)``."""
    with LocalServer() as srv:
        yield srv


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
