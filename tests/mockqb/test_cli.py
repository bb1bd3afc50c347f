"""`qbbridge mockqb init|run|demo` from the command line: exit codes, saved company, readable errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from qbbridge.core.cli import main
from qbbridge.mockqb.company import CompanyFile
from qbbridge.mockqb.scripted_server import ScriptedServer
from qbbridge.mockqb.serving import serve_in_thread
from qbbridge.mockqb.testing import message_set

ADD_CLASS = message_set('<ClassAddRq requestID="1"><ClassAdd><Name>From CLI</Name></ClassAdd></ClassAddRq>')


@pytest.fixture
def company_file(tmp_path):
    path = tmp_path / "company.json"
    assert main(["mockqb", "init", str(path)]) == 0
    return path


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "qbbridge.core.cli", *args], capture_output=True,
                          text=True, timeout=120)


def test_init_writes_a_loadable_sample_company(company_file):
    company = CompanyFile.load(company_file)
    assert company.find_by_name(("Customer",), "Acme Corp:Roof repair") is not None


def test_init_refuses_to_overwrite(company_file, capsys):
    assert main(["mockqb", "init", str(company_file)]) == 2
    assert "--force" in capsys.readouterr().err


@pytest.mark.http
def test_run_completes_an_update_over_http_and_saves_the_company(company_file):
    server = ScriptedServer("alice", "s3cret", [ADD_CLASS])
    with serve_in_thread(server) as url:
        done = run_cli("mockqb", "run", "--url", url, "--user", "alice", "--password", "s3cret",
                       "--company", str(company_file), "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(done.stdout)
    assert result["ok"] is True and result["progress"] == 100
    assert [call["op"] for call in result["transcript"]][-1] == "closeConnection"
    assert CompanyFile.load(company_file).find_by_name(("Class",), "From CLI") is not None
    assert "<ClassAddRs" in server.responses[0]


@pytest.mark.http
@pytest.mark.parametrize("misbehave, words", [
    ("garbage-on-send", "sendRequestXML"),
    ("fault-on-receive", "receiveResponseXML"),
    ("negative-progress", "getLastError"),
])
def test_run_exits_non_zero_with_a_readable_reason_when_the_server_misbehaves(company_file, misbehave, words):
    server = ScriptedServer("alice", "s3cret", [ADD_CLASS], misbehave=misbehave)
    with serve_in_thread(server) as url:
        done = run_cli("mockqb", "run", "--url", url, "--user", "alice", "--password", "s3cret",
                       "--company", str(company_file))
    assert done.returncode == 1
    assert "Update FAILED" in done.stdout and words in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.http
def test_run_with_a_wrong_password_fails(company_file):
    with serve_in_thread(ScriptedServer("alice", "s3cret", [ADD_CLASS])) as url:
        done = run_cli("mockqb", "run", "--url", url, "--user", "alice", "--password", "nope",
                       "--company", str(company_file))
    assert done.returncode == 1 and "Invalid password for username" in done.stdout


def test_run_against_nothing_listening_is_a_readable_failure(company_file):
    done = run_cli("mockqb", "run", "--url", "http://127.0.0.1:9/qbwc", "--user", "a", "--password", "b",
                   "--company", str(company_file), "--timeout", "5")
    assert done.returncode == 1 and "serverVersion" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("args, words", [
    (["--fault", "explode@1"], "explode"),
    (["--fault", "lose-answer@zero"], "lose-answer@zero"),
    (["--url-override"], "unrecognized arguments"),
])
def test_bad_arguments_name_the_problem(company_file, args, words):
    base = ["mockqb", "run", "--url", "http://127.0.0.1:9/", "--user", "a", "--password", "b",
            "--company", str(company_file)]
    done = run_cli(*base, *args)
    assert done.returncode == 2 and words in done.stderr and "Traceback" not in done.stderr


def test_a_missing_company_file_says_how_to_create_one(tmp_path, capsys):
    code = main(["mockqb", "run", "--url", "http://127.0.0.1:9/", "--user", "a", "--password", "b",
                 "--company", str(tmp_path / "missing.json")])
    assert code == 2 and "mockqb init" in capsys.readouterr().err


def test_a_url_that_is_not_http_is_refused(company_file, capsys):
    code = main(["mockqb", "run", "--url", "ftp://example/", "--user", "a", "--password", "b",
                 "--company", str(company_file)])
    assert code == 2 and "ftp://example/" in capsys.readouterr().err


def test_the_password_can_come_from_the_environment(company_file, monkeypatch, capsys):
    monkeypatch.delenv("QBBRIDGE_MOCKQB_PASSWORD", raising=False)
    code = main(["mockqb", "run", "--url", "http://127.0.0.1:9/", "--user", "a", "--company", str(company_file)])
    assert code == 2 and "QBBRIDGE_MOCKQB_PASSWORD" in capsys.readouterr().err


@pytest.mark.http
def test_demo_recovers_the_lost_answer_without_a_duplicate():
    done = run_cli("mockqb", "demo")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "committed once" in done.stdout and "statusCode 3140" in done.stdout
    assert done.stdout.count("TimeTracking 8") == 1


def test_a_company_file_in_use_by_another_run_is_refused(company_file):
    with CompanyFile.opened(company_file):
        done = run_cli("mockqb", "run", "--url", "http://127.0.0.1:9/", "--user", "a", "--password", "b",
                       "--company", str(company_file))
    assert done.returncode == 2 and "single-user" in done.stderr


def test_opened_saves_what_was_committed_even_when_the_run_fails(company_file):
    try:
        with CompanyFile.opened(company_file) as company:
            company.add_list_element("Class", "Committed before the crash")
            raise RuntimeError("the update died")
    except RuntimeError:
        pass
    assert CompanyFile.load(company_file).find_by_name(("Class",), "Committed before the crash")


def test_python_dash_m_mockqb_reports_input_errors_and_bugs_in_one_line(tmp_path, monkeypatch, capsys):
    from qbbridge.mockqb import cli as mockqb_cli

    assert mockqb_cli.main(["run", "--url", "http://127.0.0.1:9/", "--user", "a", "--password", "b",
                            "--company", str(tmp_path / "missing.json")]) == 2
    assert "mockqb init" in capsys.readouterr().err
    monkeypatch.delenv("QBBRIDGE_DEBUG", raising=False)
    monkeypatch.setattr(mockqb_cli, "command_init", lambda args: {}["boom"])
    assert mockqb_cli.main(["init", str(tmp_path / "c.json")]) == 70
    assert "internal error: KeyError" in capsys.readouterr().err
