"""Every third-party package our code imports is declared in pyproject.toml: an install by any
installer (`pip install .`) then brings what we import, not only what our dependencies happen to
bring along today (issue 16: pip left lxml_html_clean out, and every page failed to parse)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OURS = ("briefwatch", "parsers", "flows")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()  # PEP 503


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {
        _normal(re.split(r"[\s\[<>=!~;]", spec, maxsplit=1)[0]) for spec in project["dependencies"]
    }


def imported(root: Path) -> dict[str, set[str]]:
    """Third-party top-level modules imported anywhere in our packages under ``root`` (lazy
    imports inside functions too), each with the files that import it."""
    found: dict[str, set[str]] = {}
    for package in OURS:
        for path in (root / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                else:
                    continue
                for module in modules:
                    top = module.partition(".")[0]
                    if top not in sys.stdlib_module_names and top not in OURS:
                        found.setdefault(top, set()).add(str(path.relative_to(root)))
    return found


def undeclared(root: Path) -> dict[str, set[str]]:
    """Each imported module whose distribution pyproject.toml does not declare, with its files."""
    distributions = packages_distributions()
    wanted = declared()
    missing: dict[str, set[str]] = {}
    for module, files in imported(root).items():
        names = {_normal(d) for d in distributions.get(module, [module])}
        if not names & wanted:
            missing[module] = files
    return missing


def test_every_package_we_import_is_declared() -> None:
    assert undeclared(ROOT) == {}


def test_an_import_of_an_undeclared_package_is_found(tmp_path: Path) -> None:
    for package in OURS:
        (tmp_path / package).mkdir()
    # datasketch is installed (a dev dependency) but not one of the project's dependencies
    (tmp_path / "parsers" / "odd.py").write_text(
        "import json\n\ndef f():\n    from datasketch import MinHash\n", encoding="utf-8"
    )
    (tmp_path / "flows" / "fine.py").write_text("import prefect\nfrom briefwatch import cli\n")
    assert undeclared(tmp_path) == {"datasketch": {"parsers/odd.py"}}


def test_what_our_dependencies_need_through_an_extra_is_declared() -> None:
    # justext (trafilatura's) imports lxml.html.clean, asked for as lxml[html_clean], which the
    # pip bundled with Python 3.11 drops when lxml is also asked for plainly.
    assert "lxml-html-clean" in declared()
