"""T10 at export: no lines, a quantity of 0 or less, or a total below 0 is Rejected with the reason and
never sent; a zero or negative rate is allowed while the total stays at 0 or more."""

from __future__ import annotations

from decimal import Decimal

import pytest
from invoice_kit import FakeExport, export, invoice, part

from qbbridge.core.contract import QbRequest, Rejected
from qbbridge.plugins.invoices.rules import invoice_total


def line(quantity, rate, key="PN-1"):
    return {"part": key, "quantity": quantity, "rate": rate}


def exported(*lines):
    (item,) = export(FakeExport([invoice(lines=list(lines))], [part(qb_id="80000011-1")]))
    return item


def test_an_invoice_without_lines_is_rejected_with_the_reason():
    item = exported()
    assert isinstance(item, Rejected) and item.local_key == "INV-7"
    assert "Invoice INV-7 has no lines" in item.reason and "submit it again" in item.reason


@pytest.mark.parametrize("quantity", ["0", "-1", "-0.00001"])
def test_a_quantity_of_zero_or_less_is_rejected_naming_the_line(quantity):
    item = exported(line(1, 10), line(quantity, 10))
    assert isinstance(item, Rejected)
    assert f"quantity on line 2 is {Decimal(quantity).normalize():f}" in item.reason
    assert "quantities above 0" in item.reason


def test_a_total_below_zero_is_rejected_with_the_total():
    item = exported(line(2, 10), line(1, -25))
    assert isinstance(item, Rejected) and "the total is -5.00" in item.reason


def test_a_total_of_exactly_zero_is_sent():
    assert isinstance(exported(line(1, 10), line(1, -10)), QbRequest)


@pytest.mark.parametrize("rate", ["0", "-4.5"])
def test_a_zero_or_negative_rate_is_allowed_while_the_total_is_not_negative(rate):
    assert isinstance(exported(line(1, 100), line(2, rate)), QbRequest)


def test_the_total_is_the_sum_of_line_amounts_rounded_to_the_cent_as_quickbooks_does():
    record = invoice(lines=[line(3, "0.005"), line(1, "-0.004")])
    assert invoice_total(record.payload) == Decimal("0.02")  # 0.015 -> 0.02 (half up); -0.004 -> 0.00
    assert isinstance(exported(line(1, "-0.004")), QbRequest)  # QuickBooks' total is 0.00


def test_a_rejected_invoice_does_not_stop_the_next_one():
    good = invoice("INV-8")
    items = export(FakeExport([invoice(lines=[]), good], [part(qb_id="80000011-1")]))
    assert [type(i) for i in items] == [Rejected, QbRequest] and items[1].local_key == "INV-8"
