"""Declared dependencies are the direct ones, and the venv holds what requirements.lock pins."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
FIRST_PARTY = {"pipelines", "dashboard", "tests"}


def _name(requirement: str) -> str:
    """`pydantic-settings>=2.16,<3` -> `pydantic-settings` (PEP 503 normalised)."""
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9_.-]+", requirement)[0]).lower()


def _imported_distributions(*folders: str) -> set[str]:
    """Distributions that provide a top-level module imported by the files under `folders`."""
    providers = importlib.metadata.packages_distributions()
    paths = [path for folder in folders for path in (ROOT / folder).rglob("*.py")]
    local = {path.stem for path in paths}  # a script importing its neighbour (bench/)
    modules = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules.add(node.module.split(".")[0])
    third_party = modules - FIRST_PARTY - local - set(sys.stdlib_module_names) - {"__future__"}
    return {_name(providers[module][0]) for module in third_party}


def _locked() -> dict[str, str]:
    lines = (ROOT / "requirements.lock").read_text().splitlines()
    pins = [line.split("==") for line in lines if line and not line.startswith("#")]
    return {_name(name): version for name, version in pins}


RUNTIME = {_name(req) for req in PYPROJECT["dependencies"]}
DEV = {_name(req) for req in PYPROJECT["optional-dependencies"]["dev"]}


def test_the_app_declares_exactly_what_it_imports():
    assert _imported_distributions("pipelines", "dashboard") == RUNTIME


def test_tests_and_benchmarks_import_only_declared_distributions():
    assert _imported_distributions("tests", "bench") <= RUNTIME | DEV


def test_the_lock_pins_every_declared_dependency():
    assert RUNTIME | DEV <= set(_locked())


def test_the_installed_versions_are_the_locked_ones():
    """Fails when the venv was installed some other way than `make` (or the lock is stale)."""
    installed = {name: importlib.metadata.version(name) for name in _locked()}
    assert installed == _locked()
