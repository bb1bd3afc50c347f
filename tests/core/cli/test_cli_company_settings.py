"""``company set`` and ``company show``: settings the plugins declare, parsed and checked."""

from __future__ import annotations

import json

import pytest
from ledger_cli import LEDGER, use_ledger


@pytest.fixture(autouse=True)
def ledger(cli_environment, monkeypatch):
    use_ledger(monkeypatch)


def shown(run) -> dict:
    result = run("company", "show", "acme", "--json", *LEDGER)
    assert result.code == 0, result.err
    return {row["key"]: row for row in json.loads(result.out)["settings"]}


def test_set_parses_declared_settings_and_takes_json_for_free_keys(run, acme):
    result = run("company", "set", "acme", "orders.copies=3", "orders.prefix= SH ", "read_lists=false",
                 "note=hello", *LEDGER)
    assert result.code == 0, result.err
    assert result.out.splitlines() == ["Company 'acme':", "  orders.copies = 3", '  orders.prefix = "SH"',
                                       "  read_lists = false", '  note = "hello"']
    settings = shown(run)
    assert (settings["orders.copies"]["value"], settings["orders.copies"]["is_set"]) == (3, True)
    assert settings["read_lists"]["value"] is False and settings["note"]["value"] == "hello"


def test_an_empty_value_unsets_back_to_the_default(run, acme):
    run("company", "set", "acme", "orders.copies=3", *LEDGER)
    result = run("company", "set", "acme", "orders.copies=", *LEDGER)
    assert result.out.splitlines() == ["Company 'acme':", "  orders.copies unset (default 1)"]
    assert shown(run)["orders.copies"] == {"key": "orders.copies", "value": 1, "default": 1, "is_set": False,
                                           "help": "How many copies QuickBooks prints."}


def test_show_lists_every_declared_setting_with_its_help(run, acme):
    run("company", "set", "acme", "orders.copies=2", *LEDGER)
    lines = run("company", "show", "acme", *LEDGER).out.splitlines()
    assert lines[0] == "Company 'acme' settings:"
    assert lines[1:] == ['  items.filter = ""  (default)', "      Only items whose name starts with this.",
                         '  orders.prefix = ""  (default)', "      Text put before every order number.",
                         "  orders.copies = 2  (default 1)", "      How many copies QuickBooks prints."]


@pytest.mark.parametrize(("argv", "message"), [
    (["set", "acme", "orders.copies=lots"], "setting 'orders.copies': 'lots' is not valid: invalid literal"),
    (["set", "acme", "orders.colour=red"], "object type 'orders' has no setting 'colour'; its settings are "
                                           "orders.prefix, orders.copies"),
    (["set", "acme", "parts.filter=x"], "names object type 'parts', which no plugin registered"),
    (["set", "acme", "orders.copies"], "'orders.copies' is not KEY=VALUE"),
    (["set", "globex", "orders.copies=2"], "no company named 'globex' (known: acme)"),
    (["show", "globex"], "no company named 'globex' (known: acme)"),
])
def test_a_setting_or_company_that_does_not_exist_is_one_line_and_exit_2(run, acme, argv, message):
    result = run("company", *argv, *LEDGER)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("qbbridge: error: ") and result.err.count("\n") == 1
    assert message in result.err


def test_a_refused_setting_changes_nothing(run, acme):
    assert run("company", "set", "acme", "orders.copies=2", "orders.prefix=toolong", *LEDGER).code == 2
    assert shown(run)["orders.copies"]["is_set"] is False
