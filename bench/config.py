"""The briefwatch config file a benchmark pass runs with: the corpus's sources on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from bench.corpus import Source


def write_config(
    path: Path,
    db: Path,
    base_url: str,
    sources: Sequence[Source],
    hook_url: str,
    *,
    revisit_hours: float = 6.0,
) -> Path:
    """Write a config for ``sources`` served at ``base_url``; alerts go to ``hook_url``.

    The per-source cap is lifted so that one pass takes every new article the listings offer
    (the default of 50 would spread a cold start over several passes); everything else is the
    default a user gets.
    """
    lines = [
        "# Written by bench/: the benchmark corpus on 127.0.0.1.",
        "[storage]",
        f'url = "sqlite:///{db}"',
        "",
        "[fetch]",
        'allow_private = ["127.0.0.1"]',
        "max_articles_per_source = 100000",
        f"revisit_hours = {revisit_hours}",
        "",
    ]
    for source in sources:
        lines += [
            "[[sources]]",
            f'name = "{source.name}"',
            f'url = "{base_url}{source.path}"',
        ]
        if source.outlet.include:
            lines.append(f"include = {json.dumps(list(source.outlet.include))}")
        lines.append("")
    lines += [
        "[[channels]]",
        'name = "hook"',
        f'url = "{hook_url}"',
        "",
        "[[sides]]",
        'name = "Armenia"',
        'aliases = ["separatist", "separatists"]',
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
