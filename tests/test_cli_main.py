"""The ``qbbridge`` front end: usage errors, handled errors, and bugs reported without a traceback."""

from __future__ import annotations

import pytest

from qbbridge.core import cli
from qbbridge.core.errors import HandledError


def test_no_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main([])
    assert exited.value.code == 2 and "COMMAND" in capsys.readouterr().err


def fake_command(monkeypatch, failure: Exception) -> None:
    def broken(args):
        raise failure

    monkeypatch.setattr(cli.mockqb_cli, "command_init", broken)


def test_a_handled_error_prints_its_message(monkeypatch, capsys, tmp_path):
    fake_command(monkeypatch, HandledError("the company file is locked; close QuickBooks", exit_code=3))
    assert cli.main(["mockqb", "init", str(tmp_path / "c.json")]) == 3
    assert capsys.readouterr().err == "qbbridge: error: the company file is locked; close QuickBooks\n"


def test_a_bug_is_one_line_without_a_traceback(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("QBBRIDGE_DEBUG", raising=False)
    fake_command(monkeypatch, KeyError("oops"))
    assert cli.main(["mockqb", "init", str(tmp_path / "c.json")]) == 70
    err = capsys.readouterr().err
    assert "internal error: KeyError" in err and "Traceback" not in err


def test_debug_shows_the_traceback(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("QBBRIDGE_DEBUG", "1")
    fake_command(monkeypatch, KeyError("oops"))
    assert cli.main(["mockqb", "init", str(tmp_path / "c.json")]) == 70
    assert "Traceback" in capsys.readouterr().err
