"""``acknowledge`` of InvoiceAdd and of the RefNumber lookup, with the QuickBooks simulator's real answers:
Linked, Failed (3140 per list, 3250) with messages naming the invoice, the value and the fix, Absent."""

from __future__ import annotations

import pytest
from invoice_kit import FakeExport, export, invoice, list_id, part, round_trip, sent

from qbbridge.core.contract import Absent, Failed, Linked, QbRequest, QbResult, QbStatus
from qbbridge.plugins.invoices.answers import FOUND_NOTE
from qbbridge.plugins.invoices.handler import InvoiceHandler

CLASS = {"name": "class", "type": "custom"}


def add_request(quickbooks, record, item="Consulting", **company) -> QbRequest:
    """The InvoiceAddRq export yields for ``record`` with PN-1 linked to the sample ``item``."""
    parts = [part(qb_id=list_id(quickbooks, "ItemService", item))]
    (request,) = export(FakeExport([record], parts))
    assert isinstance(request, QbRequest)
    return request


def failed(quickbooks, record, **kwargs) -> Failed:
    (outcome,) = round_trip(quickbooks, add_request(quickbooks, record, **kwargs))
    assert isinstance(outcome, Failed) and outcome.local_key == record.local_key, outcome
    return outcome


def test_an_added_invoice_is_linked_to_its_txnid_and_lands_as_sent(mockqb_quickbooks):
    record = invoice(ref_number="1007", dimensions=[{**CLASS, "value": "Field:North"}],
                     lines=[{"part": "PN-1", "quantity": "1.5", "rate": "-10", "description": "Credit"},
                            {"part": "PN-1", "quantity": 2, "rate": "125.5"}])
    (outcome,) = round_trip(mockqb_quickbooks, add_request(mockqb_quickbooks, record))
    (stored,) = mockqb_quickbooks.company.records("Invoice")
    assert outcome == Linked("INV-7", stored["TxnID"], stored["EditSequence"])
    assert (stored["RefNumber"], stored["TxnDate"], stored["Subtotal"]) == ("1007", "2026-11-20", "236.00")
    assert [(line["Desc"], line["Quantity"], line["Rate"]) for line in stored["InvoiceLineRet"]] == [
        ("Credit", "1.5", "-10.00"), ("Consulting", "2", "125.50")]


def test_a_customer_quickbooks_lacks_fails_naming_it_and_the_fix(mockqb_quickbooks):
    outcome = failed(mockqb_quickbooks, invoice(customer="Nobody Inc"))
    assert outcome.status.code == 3140
    assert outcome.message.startswith("Invoice INV-7 (Nobody Inc, 2026-11-20, 250.00) was not sent: ")
    assert "no active customer/job 'Nobody Inc'" in outcome.message and "Add it" in outcome.message


def test_an_inactive_customer_fails_the_same_way(mockqb_quickbooks):
    outcome = failed(mockqb_quickbooks, invoice(customer="Closed Co"))
    assert "customer/job 'Closed Co'" in outcome.message and "make it active" in outcome.message


def test_an_inactive_item_fails_naming_the_line_and_its_part(mockqb_quickbooks):
    record = invoice(lines=[{"part": "PN-2", "quantity": 1, "rate": 1},
                            {"part": "PN-1", "quantity": 3, "rate": 1}])
    parts = [part("PN-2", qb_id=list_id(mockqb_quickbooks, "ItemService", "Consulting")),
             part("PN-1", qb_id=list_id(mockqb_quickbooks, "ItemService", "Discontinued service"))]
    (request,) = export(FakeExport([record], parts))
    (outcome,) = round_trip(mockqb_quickbooks, request)
    assert isinstance(outcome, Failed) and outcome.status.code == 3140
    name = parts[1].payload["name"]
    assert f"item of line 2 (part PN-1, '{name}') is missing or inactive" in outcome.message


def test_a_class_quickbooks_lacks_fails_naming_the_class_and_the_fix(mockqb_quickbooks):
    outcome = failed(mockqb_quickbooks, invoice(dimensions=[{**CLASS, "value": "Nowhere"}]))
    assert "no active class 'Nowhere'" in outcome.message and "class dimension" in outcome.message


def test_class_tracking_off_fails_with_the_preference_to_turn_on(mockqb_quickbooks):
    mockqb_quickbooks.company.info["IsUsingClassTracking"] = False
    outcome = failed(mockqb_quickbooks, invoice(dimensions=[{**CLASS, "value": "Field"}]))
    assert outcome.status.code == 3250
    assert "uses class 'Field', but class tracking is off" in outcome.message
    assert "Use class tracking" in outcome.message


def built(record) -> QbRequest:
    (request,) = export(FakeExport([record], [part(qb_id="80000011-1")]))
    return request


def test_any_other_refusal_quotes_quickbooks_and_names_the_invoice():
    request = built(invoice())
    status = QbStatus(3180, "Error", "There was an error when saving a Invoice.  It is closed.")
    (outcome,) = InvoiceHandler().acknowledge(sent(request), QbResult("1", "InvoiceAddRs", status))
    expected = (f"{request.label} was not sent: QuickBooks answered status 3180: There was an error when "
                "saving a Invoice.  It is closed. Fix the invoice or QuickBooks, then click Update Selected "
                "again.")
    assert outcome == Failed("INV-7", expected, status)


def test_an_answer_without_an_invoice_gives_no_outcome_so_the_engine_looks_it_up():
    request = built(invoice())
    ok = QbResult("1", "InvoiceAddRs", QbStatus(0, "Info", "Status OK"))
    assert list(InvoiceHandler().acknowledge(sent(request), ok)) == []


# -- the RefNumber lookup ---------------------------------------------------------------------------------
def test_the_lookup_finds_an_invoice_that_landed_and_links_it(mockqb_quickbooks):
    record = invoice()
    (added,) = round_trip(mockqb_quickbooks, add_request(mockqb_quickbooks, record))
    (found,) = round_trip(mockqb_quickbooks, InvoiceHandler().lookup(record))
    assert found == Linked("INV-7", added.qb_id, added.edit_sequence, note=FOUND_NOTE)


def test_the_lookup_answers_absent_when_nothing_landed(mockqb_quickbooks):
    assert round_trip(mockqb_quickbooks, InvoiceHandler().lookup(invoice())) == [Absent("INV-7")]


@pytest.mark.parametrize("other", [{"date": "2026-11-21"}, {"customer": "Baker Bakery"},
                                   {"ref_number": "INV-70"}])
def test_an_invoice_with_another_date_customer_or_number_is_not_a_match(mockqb_quickbooks, other):
    round_trip(mockqb_quickbooks, add_request(mockqb_quickbooks, invoice()))
    looked = invoice(**other)
    assert round_trip(mockqb_quickbooks, InvoiceHandler().lookup(looked)) == [Absent("INV-7")]


def test_the_lookup_by_customer_listid_matches_on_the_listid(mockqb_quickbooks):
    acme = list_id(mockqb_quickbooks, "Customer", "Acme Corp")
    record = invoice(customer=None, customer_id=acme)
    (added,) = round_trip(mockqb_quickbooks, add_request(mockqb_quickbooks, record))
    (found,) = round_trip(mockqb_quickbooks, InvoiceHandler().lookup(record))
    assert isinstance(found, Linked) and found.qb_id == added.qb_id


def test_a_refused_lookup_gives_no_outcome_so_the_record_stays_uncertain():
    request = InvoiceHandler().lookup(invoice())
    refused = QbResult("1", "InvoiceQueryRs", QbStatus(1000, "Error", "Internal error"))
    assert list(InvoiceHandler().acknowledge(sent(request), refused)) == []
