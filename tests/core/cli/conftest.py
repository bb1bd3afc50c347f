"""Command-line tests: every command runs in-process through ``cli.main`` on a SQLite file in tmp_path.

The working directory is tmp_path (so the default ``sqlite:///qbbridge.db`` lands there), no
``QBBRIDGE_*`` variable leaks in (the suite's own ``QBBRIDGE_TEST_*`` stay), and tests/e2e is importable
so that ``--plugin hours_plugin`` loads the end-to-end test plugin ("hours" and "lists").
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from qbbridge.core import cli

E2E_DIR = Path(__file__).resolve().parents[2] / "e2e"


@dataclass(frozen=True, slots=True)
class Result:
    code: int
    out: str
    err: str


@pytest.fixture(autouse=True)
def cli_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("QBBRIDGE_") and not name.startswith("QBBRIDGE_TEST_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(E2E_DIR))  # also restores sys.path after the test


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """``run(*argv, stdin=None)``: the exit status and what the command printed."""

    def invoke(*argv: str, stdin: str | None = None) -> Result:
        capsys.readouterr()
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")),
                                                              encoding="utf-8"))
        code = cli.main(list(argv))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def acme(run: Callable[..., Result]) -> str:
    """A company "acme" with the Web Connector user "wc", in the default database of tmp_path."""
    assert run("company", "add", "acme").code == 0
    assert run("user", "add", "wc", "--company", "acme", "--password-stdin", stdin="s3cret\n").code == 0
    return "acme"
