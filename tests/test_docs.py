"""Documentation that cannot drift: every setting and command is in the README."""

from __future__ import annotations

from pathlib import Path

import typer
from pydantic import BaseModel

from briefwatch.cli import app
from briefwatch.config import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _setting_paths(model: type[BaseModel], prefix: str = "") -> list[str]:
    paths = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        inner = getattr(annotation, "__args__", (annotation,))[0]
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            paths += _setting_paths(annotation, f"{prefix}{name}.")
        elif isinstance(inner, type) and issubclass(inner, BaseModel):
            paths += _setting_paths(inner, f"{prefix}{name}[].")
        else:
            paths.append(prefix + name)
    return paths


def test_every_setting_is_documented_in_the_readme() -> None:
    paths = _setting_paths(Settings)
    assert "fetch.allow_private" in paths and "sources[].include" in paths
    missing = [p for p in paths if f"`{p}`" not in README]
    assert not missing, f"settings missing from README.md's table: {missing}"


def test_every_command_is_documented_in_the_readme() -> None:
    names = [c.name or c.callback.__name__ for c in typer.main.get_command(app).commands.values()]
    names = list(typer.main.get_command(app).commands)
    assert {"run", "status", "alerts", "sources", "extract", "demo", "init", "serve"} <= set(names)
    missing = [n for n in names if f"`briefwatch {n}" not in README]
    assert not missing, f"commands missing from README.md: {missing}"
