"""Documentation that cannot drift: every setting and command is in the README."""

from __future__ import annotations

import re
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


def test_every_environment_variable_is_documented_in_the_readme() -> None:
    root = Path(__file__).resolve().parents[1]
    folders = [root / "briefwatch", root / "flows", root / "parsers"]
    code = [path for folder in folders for path in folder.rglob("*.py")]
    code.append(root / "tests" / "conftest.py")
    # The variables the code reads (not example names such as env:BRIEFWATCH_OPS_URL).
    read = re.compile(r"(?:environ\.get\(|getenv\(|environ\[|envvar=)\s*\"(BRIEFWATCH_[A-Z_]+)\"")
    names = {m for path in code for m in read.findall(path.read_text())}
    assert {"BRIEFWATCH_CONFIG", "BRIEFWATCH_WORKERS"} <= names
    missing = sorted(n for n in names if f"| `{n}` |" not in README)
    assert not missing, f"environment variables missing from README.md's table: {missing}"


def test_the_readme_maps_every_folder_and_module_of_briefwatch() -> None:
    start = README.index("```\nbriefwatch/\n")
    layout = README[start : README.index("```", start + 3)]
    named = set(re.findall(r"\b([a-z_]+)(?:\.py|/)", layout)) - {"briefwatch"}
    package = Path(__file__).resolve().parents[1] / "briefwatch"
    tree = {p.stem for p in package.glob("*.py") if p.stem != "__init__"}
    tree |= {p.name for p in package.iterdir() if (p / "__init__.py").is_file()}
    assert tree <= named, f"missing from README.md's layout: {sorted(tree - named)}"
    assert named <= tree, f"not in briefwatch/: {sorted(named - tree)}"
