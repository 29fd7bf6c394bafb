"""Documentation that cannot drift: every setting and command is in the README."""

from __future__ import annotations

import re
from pathlib import Path

import typer
from pydantic import BaseModel

from briefwatch.cli import app
from briefwatch.config import Settings

PACKAGE = Path(__file__).resolve().parents[1] / "briefwatch"

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


def _layout_map() -> dict[str, str]:
    """README's map of briefwatch/: each folder or module it names (``fetch/``, ``cli.py``)
    with the job written beside it (a line naming several shares its job)."""
    start = README.index("```\nbriefwatch/\n")
    lines = README[start : README.index("```", start + 3)].splitlines()[2:]
    entries: dict[str, str] = {}
    names: list[str] = []
    for line in lines:
        if line.startswith("   "):  # a job's next line
            for name in names:
                entries[name] += " " + line.strip()
            continue
        head, _, job = line.strip().partition("   ")
        names = [n.removesuffix(".py").removesuffix("/") for n in head.split()]
        assert all(re.fullmatch(r"[a-z_]+", n) for n in names), f"not a name: {line!r}"
        entries.update((n, job.strip()) for n in names)
    return entries


def test_the_readme_maps_every_folder_and_module_of_briefwatch() -> None:
    """Each module and subpackage of briefwatch/ is in README's map with its job, and the map
    names nothing that is not there."""
    entries = _layout_map()
    tree = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    tree |= {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert tree <= set(entries), f"missing from README.md's layout: {sorted(tree - set(entries))}"
    assert set(entries) <= tree, f"not in briefwatch/: {sorted(set(entries) - tree)}"
    jobless = sorted(name for name, job in entries.items() if len(job.split()) < 2)
    assert not jobless, f"named in README.md's layout without their job: {jobless}"


def test_where_the_readme_lists_a_subpackages_modules_it_lists_each_and_only_those() -> None:
    """A subpackage's job may end with its modules (``fetch/  the one HTTP client: client,
    transport, guard (which addresses), ...``): then that list is its modules, all of them."""
    for name, job in _layout_map().items():
        folder = PACKAGE / name
        if not (folder / "__init__.py").is_file():
            continue
        plain = re.sub(r"\([^()]*\)", "", job)  # glosses in parentheses may say anything
        _, colon, listed = plain.partition(": ")
        if not colon:
            continue  # its job alone (extract/, migrations/, demo/)
        named = [item.strip() for item in listed.split(",")]
        modules = {p.stem for p in folder.glob("*.py")} - {"__init__", "__main__"}
        modules |= {p.name for p in folder.iterdir() if (p / "__init__.py").is_file()}
        assert set(named) == modules, (
            f"README.md's layout lists {name}/ as {sorted(named)}, the tree has {sorted(modules)}"
        )
