"""``finalize``, ``submit --finalize``, ``importables``, ``import`` and ``ignore``: in-process, on SQLite."""

from __future__ import annotations

import json

import pytest
from ledger_cli import LEDGER, read_items, record_states, use_ledger


@pytest.fixture(autouse=True)
def ledger(cli_environment, monkeypatch):
    use_ledger(monkeypatch)


def submit_orders(run, tmp_path, *keys: str, finalize: bool = False) -> None:
    lines = "".join(json.dumps({"id": key, "total": 5}) + "\n" for key in keys)
    (tmp_path / "orders.jsonl").write_text(lines)
    result = run("submit", "orders", "orders.jsonl", *LEDGER, *(["--finalize"] if finalize else []))
    assert result.code == 0, result.err


# --- drafts --------------------------------------------------------------------------------------


def test_submitted_orders_are_drafts_and_status_counts_them(run, acme, tmp_path):
    submit_orders(run, tmp_path, "o1", "o2")
    assert record_states("orders") == {"o1": "draft", "o2": "draft"}
    lines = run("status", *LEDGER).out.splitlines()
    orders = next(line for line in lines if line.startswith("orders "))
    assert orders.split()[:4] == ["orders", "never", "2", "0"]  # 2 drafts, 0 pending


def test_submit_finalize_stores_them_due(run, acme, tmp_path):
    submit_orders(run, tmp_path, "o1", finalize=True)
    assert record_states("orders") == {"o1": "pending"}


def test_finalize_named_drafts_and_name_each_refused_one_on_stderr(run, acme, tmp_path):
    submit_orders(run, tmp_path, "o1", "o2")
    result = run("finalize", "orders", "o1", "o9", *LEDGER)
    assert result.code == 1
    assert result.out == "orders for company 'acme': 1 finalized, 1 refused\n"
    assert result.err == "orders 'o9': no such record in company 'acme'; submit it first\n"
    assert record_states("orders") == {"o1": "pending", "o2": "draft"}


def test_finalize_all_then_again_has_nothing_to_do(run, acme, tmp_path):
    submit_orders(run, tmp_path, "o1", "o2")
    first = run("finalize", "orders", "--all", *LEDGER)
    assert (first.code, first.out) == (0, "orders for company 'acme': 2 finalized, 0 refused\n")
    again = run("finalize", "orders", "--all", *LEDGER)
    assert (again.code, again.out, again.err) == (0, "orders for company 'acme': no drafts to finalize\n", "")


@pytest.mark.parametrize(("argv", "message"), [
    (["finalize", "orders"], "give the ids of the drafts to finalize, or --all for every one"),
    (["finalize", "orders", "o1", "--all"], "give the ids of the drafts to finalize or --all, not both"),
    (["finalize", "items", "--all"], "object type 'items' has no drafts"),
    (["finalize", "nope", "--all"], "unknown object type 'nope'; known: items, orders"),
    (["finalize", "orders", "--all", "--company", "globex"], "no company named 'globex' (known: acme)"),
    (["importables", "nope"], "unknown object type 'nope'; known: items, orders"),
    (["import", "items"], "give the QuickBooks ids or names to import, or --all for every one"),
    (["import", "nope", "--all"], "unknown object type 'nope'; known: items, orders"),
    (["ignore", "items", "10-1", "--all"], "give the QuickBooks ids or names to ignore or --all, not both"),
    (["ignore", "items", "--all", "--company", "globex"], "no company named 'globex'"),
])
def test_a_wrong_command_is_one_line_and_exit_2(run, acme, argv, message):
    result = run(*argv, *LEDGER)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("qbbridge: error: ") and result.err.count("\n") == 1
    assert message in result.err


# --- importables ---------------------------------------------------------------------------------


def test_importables_are_a_table_filtered_by_type_and_status(run, acme):
    read_items(("10-1", "Bolt"), ("10-2", "Anchor"))
    assert run("ignore", "items", "Bolt", *LEDGER).code == 0
    lines = run("importables", *LEDGER).out.splitlines()
    assert lines[0] == "Company 'acme'"
    assert lines[1].split("  ")[:3] == ["object type", "QuickBooks id", "name"]
    assert [line.split()[:5] for line in lines[2:]] == [["items", "10-2", "Anchor", "yes", "new"],
                                                       ["items", "10-1", "Bolt", "yes", "ignored"]]
    ignored = run("importables", "items", "--status", "ignored", *LEDGER).out.splitlines()
    assert [line.split()[2] for line in ignored[2:]] == ["Bolt"]


def test_importables_json_and_the_empty_message(run, acme):
    empty = run("importables", "items", "--status", "new", *LEDGER)
    assert (empty.code, empty.out) == (0, "Company 'acme' has no new importables of items; an update that "
                                          "reads QuickBooks brings them in.\n")
    read_items(("10-1", "Bolt"))
    data = json.loads(run("importables", "--json", *LEDGER).out)
    assert data["company"] == "acme"
    assert [(row["qb_id"], row["name"], row["status"], row["is_active"]) for row in data["importables"]] == [
        ("10-1", "Bolt", "new", True)]


def test_import_by_id_or_name_and_refusals_on_stderr(run, acme):
    read_items(("10-1", "Bolt"), ("10-2", "Nut"))
    result = run("import", "items", "10-1", "Nut", "Gear", *LEDGER)
    assert result.code == 1
    assert result.out == "items for company 'acme': 2 imported, 0 linked, 0 unchanged, 1 refused\n"
    assert result.err.startswith("items 'Gear': no importable with this QuickBooks id or name in company "
                                 "'acme'; run an update to read QuickBooks")
    assert record_states("items") == {"Bolt": "synced", "Nut": "synced"}


def test_import_all_then_again_has_nothing_to_do(run, acme):
    read_items(("10-1", "Bolt"), ("10-2", "Nut"))
    assert run("ignore", "items", "10-2", *LEDGER).out == ("items for company 'acme': 1 ignored, "
                                                           "0 unchanged, 0 refused\n")
    first = run("import", "items", "--all", *LEDGER)
    assert (first.code, first.out) == (0, "items for company 'acme': 1 imported, 0 linked, 0 unchanged, "
                                          "0 refused\n")
    again = run("import", "items", "--all", *LEDGER)
    assert again.code == 0 and again.out.startswith("items for company 'acme': no new importables to import")
    assert record_states("items") == {"Bolt": "synced"}


def test_ignore_all_with_nothing_new_says_so(run, acme):
    result = run("ignore", "items", "--all", *LEDGER)
    assert (result.code, result.out) == (0, "items for company 'acme': no new importables to ignore\n")


def test_ignoring_an_imported_one_is_refused(run, acme):
    read_items(("10-1", "Bolt"))
    run("import", "items", "Bolt", *LEDGER)
    result = run("ignore", "items", "Bolt", *LEDGER)
    assert result.code == 1 and "is imported already" in result.err
