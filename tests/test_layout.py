"""The project layout of DESIGN.md §2: folders mapped into one ``qbbridge`` namespace, nothing generic."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
TOP_LEVEL = {"core": "qbbridge.core", "plugins": "qbbridge.plugins", "mockqb": "qbbridge.mockqb"}


def package_folders() -> set[str]:
    """Every folder holding an __init__.py under the mapped roots, by its import name."""
    names = set()
    for folder, prefix in TOP_LEVEL.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(ROOT / folder).parts
            names.add(".".join((prefix, *relative)))
    return names


def loaded_by(module: str, prefixes: tuple[str, ...]) -> list[str]:
    """The modules starting with ``prefixes`` that importing ``module`` loads, in a fresh interpreter."""
    code = (f"import json, sys, {module}; "
            f"print(json.dumps(sorted(m for m in sys.modules if m.startswith({prefixes!r}))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT.parent)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_top_level_folders_map_into_the_qbbridge_namespace():
    assert PYPROJECT["tool"]["setuptools"]["package-dir"] == {v: k for k, v in TOP_LEVEL.items()}


def test_every_package_folder_is_listed_for_the_wheel():
    assert set(PYPROJECT["tool"]["setuptools"]["packages"]) == package_folders()


def test_the_four_builtin_plugin_folders_exist():
    assert {p.name for p in (ROOT / "plugins").iterdir() if (p / "__init__.py").exists()} == {
        "timesheets", "invoices", "parts", "classes"}


def test_no_generic_top_level_package_is_installed():
    for generic in ("core", "plugins", "mockqb"):
        assert generic not in PYPROJECT["tool"]["setuptools"]["packages"]


def test_console_script_and_pytest_plugin_are_declared():
    assert PYPROJECT["project"]["scripts"]["qbbridge"] == "qbbridge.core.cli:main"
    assert PYPROJECT["project"]["entry-points"]["pytest11"]["qbbridge-mockqb"] == "qbbridge.mockqb.pytest_plugin"


@pytest.mark.parametrize("module", ["qbbridge.mockqb.processor", "qbbridge.mockqb.webconnector",
                                    "qbbridge.mockqb.company", "qbbridge.mockqb.validation"])
def test_mockqb_never_imports_core_or_spyne(module):
    assert loaded_by(module, ("qbbridge.core", "spyne")) == []


def test_no_bare_imports_of_the_mapped_folders():
    offenders = []
    for path in ROOT.glob("**/*.py"):
        if ".git" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            stripped = line.strip()
            for name in TOP_LEVEL:
                if stripped.startswith((f"import {name}", f"from {name} ", f"from {name}.")):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {stripped}")
    assert offenders == []


@pytest.mark.parametrize("module", ["qbbridge.core", "qbbridge.core.contract", "qbbridge.core.engine.states",
                                    "qbbridge.core.engine.plan", "qbbridge.core.engine.calls",
                                    "qbbridge.core.qbxml.build", "qbbridge.core.qbxml.parse",
                                    "qbbridge.core.qbxml.hcp", "qbbridge.core.hookspecs"])
def test_sans_io_core_modules_load_neither_sqlalchemy_nor_spyne(module):
    assert loaded_by(module, ("sqlalchemy", "spyne")) == []


def test_spyne_is_imported_by_the_soap_adapter_only():
    sources = [path for folder in ("core", "plugins") for path in (ROOT / folder).rglob("*.py")]
    importers = [path.relative_to(ROOT) for path in sources
                 if "import spyne" in path.read_text() or "from spyne" in path.read_text()]
    assert importers == [Path("core/soap.py")]
