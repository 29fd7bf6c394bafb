"""The environment for tests that drive `briefwatch` as a command against a real Prefect server.

One server (`flows.server.local_prefect_server`) is started for the whole test session (~10 s),
sparing every `briefwatch run` the start of its own embedded API.
"""

from __future__ import annotations

import os
from pathlib import Path


def prefect_env(home: Path, api_url: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PREFECT_HOME=str(home),
        DO_NOT_TRACK="1",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_UI_ENABLED="false",
        PREFECT_LOGGING_LEVEL="WARNING",
    )
    if api_url:
        env["PREFECT_API_URL"] = api_url
    else:
        env.pop("PREFECT_API_URL", None)
    return env
