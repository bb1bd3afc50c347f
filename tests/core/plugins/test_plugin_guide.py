"""docs/writing_plugins.md's example plugin works: its files are copied out of the page and its tests run."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

GUIDE = Path(__file__).resolve().parents[3] / "docs" / "writing_plugins.md"
FENCE = re.compile(r"^```[a-z]*\n# file: (?P<path>\S+)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)
EXPECTED = {"pyproject.toml", "qbbridge_vendors/__init__.py", "qbbridge_vendors/handler.py",
            "tests/test_vendors.py", "tests/test_recorder.py"}


def guide_files() -> dict[str, str]:
    """Each code block of the guide that starts with ``# file: <path>``, by path."""
    return {m["path"]: m["body"] for m in FENCE.finditer(GUIDE.read_text(encoding="utf-8"))}


def test_the_guide_shows_every_file_of_the_example_package() -> None:
    assert set(guide_files()) == EXPECTED


def test_the_guide_declares_the_plugin_in_the_qbbridge_entry_point_group() -> None:
    assert '[project.entry-points.qbbridge]\nvendors = "qbbridge_vendors"' in guide_files()["pyproject.toml"]


def test_the_example_plugin_passes_its_own_tests(tmp_path: Path) -> None:
    for relative, body in guide_files().items():
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests", "-q", "-W", "error", "-p", "no:cacheprovider"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "8 passed" in result.stdout
