"""PartsHandler.validate: what a submitted part must be, and the messages when it is not."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from qbbridge.core import InvalidRecord


def refusal(handler, payload: dict) -> InvalidRecord:
    with pytest.raises(InvalidRecord) as caught:
        handler.validate("PN-7", payload)
    return caught.value


def test_a_31_character_name_is_kept_whole_and_trimmed(handler):
    name = "B" * 31
    assert handler.validate("PN-7", {"name": f"  {name} "}) == {"name": name}


def test_a_32_character_name_is_refused_with_its_length_and_the_limit_never_cut(handler):
    error = refusal(handler, {"name": "Stainless hex bolt M8 x 40 zinc!"})
    assert (error.local_key, error.field_name) == ("PN-7", "name")
    assert "'Stainless hex bolt M8 x 40 zinc!' is 32 characters" in str(error)
    assert "at most 31" in error.problem and "Shorten" in error.problem


@pytest.mark.parametrize("payload", [{}, {"name": ""}, {"name": "   "}, {"name": None}, {"name": True}])
def test_a_missing_name_is_refused(handler, payload):
    error = refusal(handler, payload)
    assert error.field_name == "name" and error.problem.startswith("is required")


def test_a_colon_is_refused_because_quickbooks_keeps_it_for_sub_items(handler):
    error = refusal(handler, {"name": "Labor:Overtime"})
    assert "contains ':'" in error.problem and "sub-items" in error.problem


@pytest.mark.parametrize("name", ["Hex\tbolt", "Hex\nbolt", "Hex\x00bolt", "Hex\x1bbolt"])
def test_tabs_line_breaks_and_control_characters_are_refused_in_names(handler, name):
    assert "control character" in refusal(handler, {"name": name}).problem


def test_a_numeric_name_from_json_becomes_text(handler):
    assert handler.validate("PN-7", {"name": 1001}) == {"name": "1001"}


@pytest.mark.parametrize(("given", "stored"), [
    ("12.5", "12.5"), (" 12.50 ", "12.50"), (12, "12"), (12.5, "12.5"), (0.1, "0.1"),
    (Decimal("7.25"), "7.25"),
    ("0", "0"), ("-0", "0"), (".5", "0.5"), ("0.00001", "0.00001"), ("12.5000000", "12.50000"),
    ("9999999999.99999", "9999999999.99999"),
])
def test_price_forms_become_pricetype_text(handler, given, stored):
    payload = handler.validate("PN-7", {"name": "Bolt", "price": given})
    assert payload["price"] == stored
    assert re.fullmatch(r"[+\-]?[0-9]{1,10}(\.[0-9]{1,5})?", payload["price"])  # PRICETYPE (XSD)


@pytest.mark.parametrize(("given", "words"), [
    ("-1", "is below 0"), (-0.5, "is below 0"), ("0.000001", "more than 5 decimals"),
    ("10000000000", "more than 10 digits"), ("abc", "is not a price"), ("1,000.00", "is not a price"),
    ("$12", "is not a price"), ("1e3", "is not a price"), ("1_000", "is not a price"),
    ("NaN", "is not a price"),
    (float("inf"), "is not a price"), (True, "is not a price"), ([12], "is not a price"),
])
def test_prices_quickbooks_cannot_take_are_refused_with_the_fix(handler, given, words):
    error = refusal(handler, {"name": "Bolt", "price": given})
    assert error.field_name == "price" and words in error.problem


def test_blank_optional_fields_from_a_csv_count_as_absent(handler):
    payload = {"name": "Bolt", "price": "", "description": "  ", "income_account": None}
    assert handler.validate("PN-7", payload) == {"name": "Bolt"}


def test_description_and_income_account_are_trimmed_and_kept(handler):
    payload = handler.validate("PN-7", {"name": "Bolt", "description": " Hex bolt\nM8 ",
                                        "income_account": " Income:Parts "})
    assert payload == {"name": "Bolt", "description": "Hex bolt\nM8", "income_account": "Income:Parts"}


@pytest.mark.parametrize(("field", "limit"), [("description", 4095), ("income_account", 159)])
def test_description_and_income_account_limits(handler, field, limit):
    assert handler.validate("PN-7", {"name": "Bolt", field: "d" * limit})[field] == "d" * limit
    error = refusal(handler, {"name": "Bolt", field: "d" * (limit + 1)})
    assert error.field_name == field and f"at most {limit}" in error.problem


@pytest.mark.parametrize(("field", "value"), [("description", 12), ("income_account", ["Sales"]),
                                              ("income_account", "Sales\nIncome"), ("description", "a\x00b")])
def test_description_and_income_account_must_be_plain_text(handler, field, value):
    assert refusal(handler, {"name": "Bolt", field: value}).field_name == field


def test_fields_qbbridge_does_not_use_are_kept(handler):
    payload = {"name": "Bolt", "vendor_sku": "X-1"}
    assert handler.validate("PN-7", payload) == payload
