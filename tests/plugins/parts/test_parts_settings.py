"""The parts plugin's company settings: what each accepts, stores and means."""

from __future__ import annotations

import pytest

from qbbridge.plugins.parts.settings import name_filter, parse_import_filter, parse_income_account


def test_the_handler_declares_its_three_settings_with_defaults_and_help(handler):
    declared = {s.name: s for s in handler.company_settings}
    assert sorted(declared) == ["import_filter", "income_account", "read_every_minutes"]
    assert (declared["import_filter"].default, declared["income_account"].default,
            declared["read_every_minutes"].default) == ("", "", 60)
    assert "Items into Part Numbers Filter" in declared["import_filter"].help
    assert declared["read_every_minutes"].parse("15") == 15


@pytest.mark.parametrize(("typed", "stored", "criterion"), [
    ("", "", None), (None, "", None), ("  ", "", None),
    ("Labor", "Labor", ("StartsWith", "Labor")),
    ("Labor:", "Labor:", ("StartsWith", "Labor:")),  # sub-items of Labor: a prefix that holds a colon
    (" Contains : bolt ", "contains:bolt", ("Contains", "bolt")),
    ("ENDSWITH:-M8", "endswith:-M8", ("EndsWith", "-M8")),
    ("startswith:contains:x", "startswith:contains:x", ("StartsWith", "contains:x")),
])
def test_import_filter_forms(typed, stored, criterion):
    assert parse_import_filter(typed) == stored
    assert parse_import_filter(stored) == stored  # a stored value parses again unchanged
    assert name_filter(stored) == criterion


@pytest.mark.parametrize(("typed", "words"), [
    ("contains:", "no text after 'contains:'"), ("endswith:  ", "no text after 'endswith:'"),
    (12, "not a usable filter"), ("Lab\nor", "not a usable filter"), ("x" * 160, "160 characters"),
    ("contains:" + "x" * 160, "at most 159"),
])
def test_import_filters_quickbooks_cannot_use_are_refused(typed, words):
    with pytest.raises(ValueError, match=words):
        parse_import_filter(typed)


def test_income_account_is_a_trimmed_full_name_and_empty_unsets_it():
    assert parse_income_account(" Income:Services ") == "Income:Services"
    assert parse_income_account("") == parse_income_account(None) == ""
    for bad in (5, "Sales\tIncome", "a" * 160):
        with pytest.raises(ValueError):
            parse_income_account(bad)
