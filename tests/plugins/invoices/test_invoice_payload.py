"""Submit-time checks of an invoice (``InvoiceHandler.validate``): types and QuickBooks' limits only."""

from __future__ import annotations

from datetime import date

import pytest
from invoice_kit import payload

from qbbridge.core.contract import InvalidRecord
from qbbridge.plugins.invoices.handler import InvoiceHandler


def clean(key: str = "INV-7", **fields):
    return InvoiceHandler().validate(key, payload(**fields))


def refused(key: str = "INV-7", **fields) -> InvalidRecord:
    with pytest.raises(InvalidRecord) as caught:
        clean(key, **fields)
    return caught.value


def test_a_valid_invoice_is_stored_normalised():
    stored = clean(customer="  Acme Corp:Roof repair ", ref_number=" 1007 ", memo=" thanks ",
                   lines=[{"part": " PN-1 ", "quantity": "2.50", "rate": 125, "description": " Roof "}])
    assert stored == {"customer": "Acme Corp:Roof repair", "date": "2026-11-20", "ref_number": "1007",
                      "memo": "thanks", "dimensions": [],
                      "lines": [{"part": "PN-1", "quantity": "2.5", "rate": "125", "description": "Roof",
                                 "dimensions": []}]}


def test_cleaning_a_stored_payload_again_changes_nothing():
    stored = clean(lines=[{"part": "PN-1", "quantity": 0.1, "rate": "-3.00000",
                           "dimensions": [{"name": "class", "type": "custom", "value": " Field "}]}])
    assert InvoiceHandler().validate("INV-7", stored) == stored


def test_csv_cells_carry_lines_and_dimensions_as_json_text():
    stored = clean(lines='[{"part": "PN-1", "quantity": "1", "rate": "9.99"}]',
                   dimensions='[{"name": "class", "type": "custom", "value": "Office"}]')
    assert stored["lines"][0]["rate"] == "9.99"
    assert stored["dimensions"] == [{"name": "class", "type": "custom", "value": "Office"}]


def test_floats_become_their_shortest_decimal_text_never_binary_noise():
    stored = clean(lines=[{"part": "PN-1", "quantity": 0.1, "rate": 19.99}])
    assert (stored["lines"][0]["quantity"], stored["lines"][0]["rate"]) == ("0.1", "19.99")


@pytest.mark.parametrize("fields", [{"customer": None}, {"customer": "   "}])
def test_a_customer_is_required(fields):
    problem = refused(**fields)
    assert problem.field_name == "customer" and "customer_id" in problem.problem


def test_a_customer_listid_alone_is_enough():
    stored = clean(customer=None, customer_id="80000005-1795194000")
    assert "customer" not in stored and stored["customer_id"] == "80000005-1795194000"


def test_a_customer_name_longer_than_quickbooks_holds_is_refused():
    problem = refused(customer="A" * 210)
    assert problem.field_name == "customer"
    assert "210 characters" in problem.problem and "at most 209" in problem.problem


@pytest.mark.parametrize("value", [None, "", "2026-13-01", "20261120", "2026-02-30", "20 Nov 2026", 20261120])
def test_the_date_must_be_a_real_yyyy_mm_dd_date(value):
    problem = refused(date=value)
    assert problem.field_name == "date" and "YYYY-MM-DD" in problem.problem


def test_a_date_object_is_accepted():
    assert clean(date=date(2026, 2, 28))["date"] == "2026-02-28"


def test_the_ref_number_defaults_to_the_invoice_id_when_it_fits():
    assert clean("INV-2026-01")["ref_number"] == "INV-2026-01"


def test_an_invoice_id_too_long_for_a_ref_number_asks_for_one():
    problem = refused("INV-2026-001")
    assert problem.field_name == "ref_number"
    assert "'INV-2026-001' is 12 characters" in problem.problem and "at most 11" in problem.problem
    assert clean("INV-2026-001", ref_number="2026-001")["ref_number"] == "2026-001"


def test_a_ref_number_longer_than_11_characters_is_refused_never_cut():
    problem = refused(ref_number="123456789012")
    assert problem.field_name == "ref_number" and "12 characters" in problem.problem
    assert clean(ref_number="12345678901")["ref_number"] == "12345678901"


def test_a_whole_number_ref_number_is_taken_as_its_digits():
    assert clean(ref_number=1007)["ref_number"] == "1007"


@pytest.mark.parametrize("value", [True, 10.5, ["1"], {"n": 1}])
def test_a_ref_number_that_is_not_text_is_refused(value):
    assert refused(ref_number=value).field_name == "ref_number"


def test_the_memo_holds_at_most_4095_characters():
    assert len(clean(memo="m" * 4095)["memo"]) == 4095
    problem = refused(memo="m" * 4096)
    assert problem.field_name == "memo" and "4096 characters" in problem.problem


def test_text_xml_cannot_carry_is_refused():
    problem = refused(memo="line\x07bell")
    assert problem.field_name == "memo" and "remove it" in problem.problem


def test_no_lines_is_accepted_while_a_draft():
    assert clean(lines=None)["lines"] == [] and clean(lines=[])["lines"] == []


@pytest.mark.parametrize("lines", ["not json", {"part": "PN-1"}, 7])
def test_lines_must_be_a_list(lines):
    assert refused(lines=lines).field_name == "lines"


@pytest.mark.parametrize(("line", "field"), [
    ("PN-1", "line 1"),
    ({"quantity": 1, "rate": 1}, "line 1 part"),
    ({"part": "PN-1", "rate": 1}, "line 1 quantity"),
    ({"part": "PN-1", "quantity": "two", "rate": 1}, "line 1 quantity"),
    ({"part": "PN-1", "quantity": True, "rate": 1}, "line 1 quantity"),
    ({"part": "PN-1", "quantity": "NaN", "rate": 1}, "line 1 quantity"),
    ({"part": "PN-1", "quantity": 1, "rate": "1.123456"}, "line 1 rate"),
    ({"part": "PN-1", "quantity": "12345678901", "rate": 1}, "line 1 quantity"),
    ({"part": "PN-1", "quantity": 1, "rate": 1, "description": "d" * 4096}, "line 1 description"),
])
def test_each_line_field_is_checked_by_type_and_limit(line, field):
    good = {"part": "PN-0", "quantity": 1, "rate": 1}
    problem = refused(lines=[good, line])
    assert problem.field_name == field.replace("line 1", "line 2")


def test_numbers_at_the_edge_of_quantype_and_pricetype_are_accepted():
    line = clean(lines=[{"part": "PN-1", "quantity": "1234567890", "rate": "0.00001"}])["lines"][0]
    assert (line["quantity"], line["rate"]) == ("1234567890", "0.00001")


def test_zero_and_negative_numbers_pass_submit_t10_is_checked_at_export():
    lines = clean(lines=[{"part": "PN-1", "quantity": 0, "rate": -5}])["lines"]
    assert (lines[0]["quantity"], lines[0]["rate"]) == ("0", "-5")


def test_a_line_amount_beyond_what_quickbooks_can_carry_is_refused():
    problem = refused(lines=[{"part": "PN-1", "quantity": "9999999999", "rate": "9999999999"}])
    assert problem.field_name == "line 1" and "too large" in problem.problem


def test_other_dimensions_are_kept_exactly_as_given():
    dims = [{"name": "Class", "type": "custom", "value": 7, "color": "red"},
            {"name": "department", "type": "standard", "value": "  Ops "}]
    assert clean(dimensions=dims)["dimensions"] == dims


def test_two_class_dimensions_in_one_place_are_refused():
    class_dim = {"name": "class", "type": "custom", "value": "Field"}
    problem = refused(dimensions=[class_dim, {**class_dim, "value": "Office"}])
    assert problem.field_name == "dimensions" and "one class" in problem.problem


@pytest.mark.parametrize("value", [None, "  "])
def test_a_class_dimension_needs_a_value(value):
    problem = refused(dimensions=[{"name": "class", "type": "custom", "value": value}])
    assert "no value" in problem.problem


def test_a_class_value_longer_than_a_classref_holds_is_refused():
    dims = [{"name": "class", "type": "custom", "value": "C" * 160}]
    problem = refused(lines=[{"part": "PN-1", "quantity": 1, "rate": 1, "dimensions": dims}])
    assert problem.field_name == "line 1 dimensions 1 value" and "160 characters" in problem.problem


@pytest.mark.parametrize("dims", ["[oops", [{"type": "custom"}], ["class"]])
def test_malformed_dimensions_are_refused(dims):
    assert refused(dimensions=dims).field_name.startswith("dimensions")
