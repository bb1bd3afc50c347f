"""``company add``, ``user add``, ``plugins``, ``status``, ``submit``: in-process, on SQLite in tmp_path."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from qbbridge.core import cli_admin
from qbbridge.core.app import build_app
from qbbridge.core.config import Settings
from qbbridge.core.records_io import SourceRecord
from qbbridge.core.security import verify_password
from qbbridge.core.store.models import WcUser
from qbbridge.core.store.uow import unit_of_work

HOURS = {"date": "2026-11-20", "employee": "Jane Doe"}
PLUGIN = ["--plugin", "hours_plugin"]  # tests/e2e/hours_plugin.py, put on sys.path by the conftest


def hours_line(key: str, minutes: object = 60, **extra: object) -> str:
    return json.dumps({"id": key, **HOURS, "minutes": minutes, **extra}) + "\n"


def stored_keys() -> list[str]:
    """The ids of the hours records in the default database (the working directory's)."""
    app = build_app(Settings(plugin_modules=("hours_plugin",)), load_entrypoints=False, migrate=False)
    try:
        return sorted(record["id"] for record in app.host.records("acme", "hours"))
    finally:
        app.close()


def password_hash(username: str) -> str:
    app = build_app(Settings(), load_entrypoints=False, migrate=False)
    try:
        with unit_of_work(app.session_factory) as session:
            return session.scalar(sa.select(WcUser.password_hash).where(WcUser.username == username))
    finally:
        app.close()


# --- company and user ----------------------------------------------------------------------------


def test_company_add_then_a_duplicate_is_refused(run):
    assert run("company", "add", "acme", "--qb-file", r"C:\Books\acme.qbw").code == 0
    again = run("company", "add", "acme")
    assert again.code == 2 and again.err == "qbbridge: error: company 'acme' already exists\n"


def test_user_add_reads_the_password_from_stdin_and_stores_only_its_hash(run, acme):
    result = run("user", "add", "clerk", "--company", "acme", "--password-stdin", stdin="pa ss\r\nignored\n")
    assert result.code == 0 and "'clerk'" in result.out
    hashed = password_hash("clerk")
    assert "pa ss" not in hashed
    assert verify_password("pa ss", hashed) and not verify_password("pa ss\r", hashed)


def test_the_prompt_asks_twice_and_refuses_a_mismatch(run, acme, monkeypatch):
    answers = iter(["one", "two"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    result = run("user", "add", "clerk", "--company", "acme")
    assert result.code == 2 and "the two passwords differ" in result.err


def test_the_prompt_accepts_a_confirmed_password(run, acme, monkeypatch):
    prompts = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: prompts.append(prompt) or "same")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    assert run("user", "add", "clerk", "--company", "acme").code == 0
    assert len(prompts) == 2


@pytest.mark.parametrize(("argv", "stdin", "message"), [
    (["--password-stdin"], "\n", "the password is empty"),
    (["--password-stdin"], "", "the password is empty"),
    ([], "", "pipe it in with --password-stdin"),  # not a terminal and no flag: never read silently
])
def test_user_add_refuses_an_empty_or_unaskable_password(run, acme, argv, stdin, message):
    result = run("user", "add", "clerk", "--company", "acme", *argv, stdin=stdin)
    assert result.code == 2 and message in result.err


def test_user_add_names_an_unknown_company_before_asking_for_a_password(run, acme, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt: pytest.fail("asked for a password"))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    result = run("user", "add", "clerk", "--company", "globex")
    assert result.code == 2 and result.err == "qbbridge: error: no company named 'globex' (known: acme)\n"


def test_a_user_name_is_taken_once(run, acme):
    result = run("user", "add", "wc", "--company", "acme", "--password-stdin", stdin="x\n")
    assert result.code == 2 and "'wc' already exists" in result.err


def test_there_is_no_password_option(run, acme):
    with pytest.raises(SystemExit) as exited:
        run("user", "add", "clerk", "--company", "acme", "--password", "x")
    assert exited.value.code == 2


# --- plugins -------------------------------------------------------------------------------------


def test_plugins_lists_each_plugin_with_its_object_types(run):
    result = run("plugins", *PLUGIN)
    assert result.code == 0
    lines = result.out.splitlines()
    start = lines.index("hours_plugin: module hours_plugin (not packaged)")
    assert lines[start + 1:start + 3] == ["    lists: QuickBooks Customer (list)",
                                          "    hours: QuickBooks TimeTracking (txn)  after lists"]
    assert "timesheets: module qbbridge.plugins.timesheets" in result.out


def test_plugins_json_shows_entities_dependencies_and_disabled_plugins(run):
    result = run("plugins", "--json", *PLUGIN, "--disable-plugins", "invoices,parts")
    rows = {row["name"]: row for row in json.loads(result.out)}
    assert rows["hours_plugin"]["object_types"] == [
        {"name": "lists", "qb_entity": "Customer", "kind": "list", "depends_on": []},
        {"name": "hours", "qb_entity": "TimeTracking", "kind": "txn", "depends_on": ["lists"]}]
    assert rows["parts"]["disabled"] is True and rows["invoices"]["disabled"] is True


def test_plugins_does_not_create_a_database(run, tmp_path):
    assert run("plugins").code == 0
    assert not (tmp_path / "qbbridge.db").exists()


@pytest.mark.parametrize(("module", "message"), [
    ("no_such_plugin_module", ("plugin 'no_such_plugin_module': module cannot be imported: "
                               "ModuleNotFoundError: No module named 'no_such_plugin_module'")),
    ("bad-name", "setting plugin_modules = [\"bad-name\"] (from option --plugin) is invalid"),
])
def test_a_plugin_module_that_cannot_load_is_named(run, module, message):
    result = run("plugins", "--plugin", module)
    assert result.code == 2 and message in result.err and "Traceback" not in result.err


def test_a_plugin_module_that_raises_on_import_is_named(run, tmp_path):
    (tmp_path / "broken_plugin.py").write_text("raise RuntimeError('half written')\n")
    result = run("plugins", "--plugin", "broken_plugin")  # found in the current directory
    assert result.code == 2
    assert "plugin 'broken_plugin': module cannot be imported: RuntimeError: half written" in result.err


# --- status --------------------------------------------------------------------------------------


def test_status_defaults_to_the_only_company_and_shows_a_row_per_type(run, acme, tmp_path):
    (tmp_path / "r.jsonl").write_text(hours_line("a") + hours_line("b", reject="no customer"))
    run("submit", "hours", "r.jsonl", *PLUGIN)
    result = run("status", *PLUGIN)
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0] == "Company 'acme'"
    assert lines[1].split("  ")[:4] == ["object type", "last sync", "draft", "pending"]
    hours = next(line for line in lines[2:] if line.startswith("hours "))  # other plugins' rows may be there
    assert hours.split() == ["hours", "never", "0", "2", "0", "0", "0", "0", "0", "0", "0"]


def test_status_json_carries_every_count(run, acme, tmp_path):
    (tmp_path / "r.jsonl").write_text(hours_line("a"))
    run("submit", "hours", "r.jsonl", *PLUGIN)
    data = json.loads(run("status", "--json", "--company", "acme", *PLUGIN).out)
    assert data["company"] == "acme"
    assert data["object_types"]["hours"] == {
        "last_sync": None, "draft": 0, "pending": 1, "in_flight": 0, "synced": 0, "rejected": 0, "held": 0,
        "uncertain": 0, "failed": 0, "changed_after_sync": 0, "errors": []}


def test_status_needs_a_company_when_there_are_none_or_several(run):
    none = run("status")
    assert none.code == 2 and "there is no company yet" in none.err
    run("company", "add", "acme")
    run("company", "add", "globex")
    several = run("status")
    assert several.code == 2
    assert "there are 2 companies (acme, globex); choose one with --company" in several.err
    unknown = run("status", "--company", "initech")
    assert unknown.code == 2 and "no company named 'initech' (known: acme, globex)" in unknown.err


def test_status_lists_the_records_with_an_error_under_the_table(run, acme, monkeypatch):
    def status(self, company):
        states = ("draft", "pending", "in_flight", "synced", "rejected", "held", "uncertain")
        counts = dict.fromkeys(states, 0)
        return {"hours": {**counts, "last_sync": "2026-11-20T17:00:00+00:00", "failed": 1, "rejected": 1,
                          "changed_after_sync": 0, "errors": [{"id": "b7", "message": "no such employee"}]}}
    monkeypatch.setattr("qbbridge.core.host.HostApi.status", status)
    lines = run("status", *PLUGIN).out.splitlines()
    assert lines[2].split()[:2] == ["hours", "2026-11-20T17:00:00+00:00"]
    assert lines[-2:] == ["Records with an error:", "  hours 'b7': no such employee"]


def test_the_table_shows_never_for_a_type_not_synced_yet():
    row = {"type": "hours", "last_sync": None, "draft": 4, "pending": 1, "in_flight": 0, "synced": 2,
           "failed": 0, "rejected": 0, "held": 0, "uncertain": 0, "changed_after_sync": 3}
    table = cli_admin.format_table([row]).splitlines()
    assert table[1].split() == ["hours", "never", "4", "1", "0", "2", "0", "0", "0", "0", "3"]
    assert table[0].index("last sync") == table[1].index("never")


# --- submit --------------------------------------------------------------------------------------


def test_submit_stores_valid_records_and_names_each_refused_one_by_line(run, acme, tmp_path):
    (tmp_path / "r.jsonl").write_text(hours_line("a") + hours_line("b", minutes="sixty") + "{oops\n"
                                      + hours_line("c"))
    result = run("submit", "hours", "r.jsonl", *PLUGIN)
    assert result.code == 1
    assert result.out == ("hours for company 'acme': 2 added, 0 updated, 0 unchanged, "
                          "0 changed after sync, 2 refused\n")
    assert result.err.splitlines() == [
        "r.jsonl:2: hours 'b': minutes: must be a whole number of minutes, 0 or more",
        "r.jsonl:3: not valid JSON: Expecting property name enclosed in double quotes (column 2)"]
    assert stored_keys() == ["a", "c"]


def test_submitting_again_counts_updates_and_unchanged_records(run, acme, tmp_path):
    (tmp_path / "r.jsonl").write_text(hours_line("a") + hours_line("b"))
    assert run("submit", "hours", "r.jsonl", *PLUGIN).code == 0
    (tmp_path / "r.jsonl").write_text(hours_line("a") + hours_line("b", minutes=90))
    result = run("submit", "hours", "r.jsonl", *PLUGIN)
    assert result.code == 0 and "0 added, 1 updated, 1 unchanged" in result.out and result.err == ""


def test_submit_csv_leaves_conversion_to_the_plugin(run, acme, tmp_path):
    (tmp_path / "r.csv").write_text("id,date,employee,minutes\na,2026-11-20,Jane Doe,60\n")
    result = run("submit", "hours", "r.csv", *PLUGIN)
    # The test plugin wants a number; CSV gives text, and the plugin's own validation says so.
    assert result.code == 1 and "r.csv:2: hours 'a': minutes: must be a whole number" in result.err


def test_submit_reads_stdin(run, acme):
    result = run("submit", "hours", "-", *PLUGIN, stdin=hours_line("a"))
    assert result.code == 0 and "1 added" in result.out


@pytest.mark.parametrize(("argv", "files", "message"), [
    (["nope", "r.jsonl"], {"r.jsonl": ""}, "unknown object type 'nope'; known: classes, lists, hours, parts, invoices, timesheets"),
    (["hours", "r.txt"], {"r.txt": ""}, "cannot tell the format of 'r.txt'"),
    (["hours", "missing.jsonl"], {}, "record file 'missing.jsonl' does not exist"),
    (["hours", "r.csv"], {"r.csv": "key,minutes\n"}, "has no 'id' column"),
    (["hours", "r.jsonl", "--company", "globex"], {"r.jsonl": ""}, "no company named 'globex'"),
])
def test_submit_input_errors_are_one_line_and_exit_2(run, acme, tmp_path, argv, files, message):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    result = run("submit", *argv, *PLUGIN)
    assert result.code == 2 and result.err.count("\n") == 1 and message in result.err


def test_refusals_are_matched_to_records_in_order_even_for_repeated_ids():
    source = (SourceRecord(1, "a", {}), SourceRecord(2, "b", {}), SourceRecord(5, "a", {}))
    messages = ["hours 'a': minutes: bad", "hours 'a': minutes: bad again", "hours 'z': id: odd"]
    assert cli_admin.locate_refusals("hours", source, messages) == [
        (1, messages[0]), (5, messages[1]), (None, messages[2])]
