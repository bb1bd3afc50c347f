"""Every request the invoices plugin builds is valid qbXML 13.0 and 16.0 (Intuit's XSDs), and the
simulator answers it in both versions."""

from __future__ import annotations

import pytest
from invoice_kit import (
    VERSIONS,
    FakeExport,
    FakeRead,
    answer,
    assert_valid_qbxml,
    company,
    export,
    invoice,
    list_id,
    part,
    round_trip,
)
from lxml import etree

from qbbridge.core.contract import Linked, QbRequest
from qbbridge.mockqb.errors import QbXmlParseError
from qbbridge.plugins.invoices.handler import InvoiceHandler

CLASS = {"name": "class", "type": "custom"}
NO_PART_TEXT = {"invoices.include_part_name": False, "invoices.include_part_description": False}
FULL = invoice(customer="Acme Corp:Roof repair", customer_id="80000005-1", ref_number="12345678901",
               memo="m" * 4095, dimensions=[{**CLASS, "value": "Field:North"}, {"name": "x", "value": "y"}],
               lines=[{"part": "PN-1", "quantity": "1234567890", "rate": "-0.00001",
                       "description": "d" * 4095, "dimensions": [{**CLASS, "value": "Office"}]},
                      {"part": "PN-2", "quantity": "0.5", "rate": "9999999999"}])


def every_request() -> list[tuple[str, QbRequest]]:
    parts = [part("PN-1", qb_id="80000011-1795194016"), part("PN-2", "Labor", description="Hourly")]
    off = FakeExport([invoice("INV-8")], [part(qb_id="80000011-1")], company=company(**NO_PART_TEXT))
    handler = InvoiceHandler()
    requests = [("add, every field at its limit", export(FakeExport([FULL], parts))[0]),
                ("add, empty description", export(off)[0]),
                ("lookup by customer name", handler.lookup(invoice())),
                ("lookup by customer ListID", handler.lookup(invoice(customer=None, customer_id="8-1")))]
    requests += [(f"preflight {r.body.tag}", r) for r in handler.read(FakeRead([FULL, invoice("INV-9")]))]
    return requests


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(("what", "request_"), every_request(), ids=lambda v: v if isinstance(v, str) else "")
def test_the_request_is_valid_qbxml(what, request_, version):
    assert_valid_qbxml(request_, version)


def test_the_check_refuses_a_request_out_of_schema_order():
    (request,) = export(FakeExport([invoice(memo="m")], [part(qb_id="8-1")]))
    add = request.body.find("InvoiceAdd")
    add.insert(0, add.find("Memo"))  # Memo before CustomerRef
    with pytest.raises(QbXmlParseError):
        assert_valid_qbxml(request, "16.0")


@pytest.mark.parametrize("version", VERSIONS)
def test_the_simulator_takes_the_add_and_the_lookup_in_both_versions(mockqb_quickbooks, version):
    record = invoice(dimensions=[{**CLASS, "value": "Field"}])
    labor = part(qb_id=list_id(mockqb_quickbooks, "ItemService", "Labor"))
    (request,) = export(FakeExport([record], [labor]))
    (added,) = round_trip(mockqb_quickbooks, request, version)
    (found,) = round_trip(mockqb_quickbooks, InvoiceHandler().lookup(record), version)
    assert isinstance(added, Linked) and found.qb_id == added.qb_id


def test_an_empty_description_leaves_the_line_without_text_in_quickbooks(mockqb_quickbooks):
    ctx = FakeExport([invoice()], [part(qb_id=list_id(mockqb_quickbooks, "ItemService", "Consulting"))],
                     company=company(**NO_PART_TEXT))
    (request,) = export(ctx)
    assert etree.tostring(request.body.find(".//Desc")) == b"<Desc></Desc>"
    result = answer(mockqb_quickbooks, request)
    assert result.status.code == 0 and result.rets[0].find("InvoiceLineRet/Desc") is None
