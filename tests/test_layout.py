"""The folder layout is the architecture: the dependency rule between the stages holds, every
top-level module of briefwatch/ has its place in it, and a module in the wrong place fails."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _layered() -> set[str]:
    layers = next(c for c in CONTRACTS["contracts"] if c["type"] == "layers")["layers"]
    return {name.strip() for layer in layers for name in layer.split("|")}


def _top_level() -> set[str]:
    package = ROOT / "briefwatch"
    modules = {p.stem for p in package.glob("*.py") if p.stem != "__init__"}
    modules |= {p.name for p in package.iterdir() if (p / "__init__.py").is_file()}
    return {f"briefwatch.{name}" for name in modules}


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache"],
        cwd=root,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_module_of_briefwatch_has_a_layer() -> None:
    missing = sorted(_top_level() - _layered())
    assert not missing, f"give these a layer in pyproject.toml's import-linter contract: {missing}"
    assert {"flows", "parsers"} <= _layered()


def test_the_dependency_rule_holds() -> None:
    done = _lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_a_module_that_imports_upwards_breaks_the_rule(tmp_path: Path) -> None:
    for folder in ("briefwatch", "flows", "parsers"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    # The fetcher reaching up into the pass, and the fold reaching Prefect.
    (tmp_path / "briefwatch" / "fetch" / "upwards.py").write_text(
        "from briefwatch.pipeline import run_pass\n"
    )
    (tmp_path / "briefwatch" / "facts" / "orchestrated.py").write_text("import prefect\n")
    done = _lint_imports(tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    out = " ".join(done.stdout.split())
    assert "briefwatch.fetch is not allowed to import briefwatch.pipeline" in out
    assert "briefwatch.facts.orchestrated -> prefect" in out


def test_a_stage_s_tests_live_in_the_stage_s_folder() -> None:
    # tests/ mirrors briefwatch/: "test_fetch_guard.py" belongs in tests/fetch/, so a reader
    # finds a stage's tests where its code is; tests of what crosses stages stay at the top.
    stages = {p.name for p in (ROOT / "briefwatch").iterdir() if (p / "__init__.py").is_file()}
    stages.add("parsers")
    misplaced = [
        p.name
        for p in (ROOT / "tests").glob("test_*.py")
        if p.stem.removeprefix("test_").split("_")[0] in stages
    ]
    assert not misplaced, f"move these into tests/<stage>/: {misplaced}"
    for stage in stages:
        folder = ROOT / "tests" / stage
        if folder.is_dir():
            assert (folder / "__init__.py").is_file(), f"{folder} needs an __init__.py"
            strays = [
                p.name
                for p in folder.glob("test_*.py")
                if p.stem.removeprefix("test_").split("_")[0] in stages - {stage}
            ]
            assert not strays, f"tests of another stage in tests/{stage}/: {strays}"
