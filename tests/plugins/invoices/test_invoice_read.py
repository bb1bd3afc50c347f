"""``read``: the preflight of the customers and classes due invoices use, and its answers as Facts that
``export`` judges — run against the QuickBooks simulator's sample company."""

from __future__ import annotations

from invoice_kit import FakeExport, FakeRead, export, invoice, part, round_trip, sent

from qbbridge.core.contract import Facts, Purpose, QbRequest, QbResult, QbStatus, Waiting
from qbbridge.plugins.invoices.handler import InvoiceHandler
from qbbridge.plugins.invoices.preflight import INACTIVE_CLASS, INACTIVE_CUSTOMER

CLASS = {"name": "class", "type": "custom"}


def reads(*records):
    return list(InvoiceHandler().read(FakeRead(list(records))))


def asked(request: QbRequest) -> tuple[str, list[str]]:
    return request.body.tag, [f"{child.tag}={child.text}" for child in request.body]


def merged(quickbooks, requests) -> dict:
    """The facts of every answer, merged as the engine merges them (dicts update, lists extend)."""
    facts: dict = {}
    for request in requests:
        for outcome in round_trip(quickbooks, request):
            assert isinstance(outcome, Facts)
            for key, value in outcome.values.items():
                if isinstance(value, list):
                    facts.setdefault(key, []).extend(value)
                else:
                    facts.setdefault(key, {}).update(value)
    return facts


def test_nothing_is_read_when_no_invoice_is_due():
    assert reads() == []


def test_the_preflight_asks_once_per_name_by_fullname_or_listid():
    first = invoice("INV-1", dimensions=[{**CLASS, "value": "Field"}],
                    lines=[{"part": "PN-1", "quantity": 1, "rate": 1,
                            "dimensions": [{**CLASS, "value": "Office"}]}])
    second = invoice("INV-2", customer=None, customer_id="8-9", dimensions=[{**CLASS, "value": "Field"}])
    third = invoice("INV-3", customer="Acme Corp")
    requests = reads(first, second, third)
    assert all(r.purpose is Purpose.READ and not r.iterate and r.local_key is None for r in requests)
    assert [asked(r) for r in requests] == [
        ("ClassQueryRq", ["FullName=Field", "FullName=Office"]),
        ("CustomerQueryRq", ["FullName=Acme Corp"]),
        ("CustomerQueryRq", ["ListID=8-9"]),
    ]


def test_no_class_query_when_no_due_invoice_uses_a_class():
    assert [r.body.tag for r in reads(invoice())] == ["CustomerQueryRq"]


def test_the_answers_tell_found_missing_and_inactive_names_apart(mockqb_quickbooks):
    record = invoice(customer="closed co", dimensions=[{**CLASS, "value": "Old Projects"}],
                     lines=[{"part": "PN-1", "quantity": 1, "rate": 1,
                             "dimensions": [{**CLASS, "value": "Nowhere"}]},
                            {"part": "PN-1", "quantity": 1, "rate": 1,
                             "dimensions": [{**CLASS, "value": "Field:North"}]}])
    facts = merged(mockqb_quickbooks, reads(record))
    assert facts["classes"] == {"Old Projects": False, "Field:North": True}
    assert facts["customers"] == {"closed co": False}
    (item,) = export(FakeExport([record], [part(qb_id="8-1")], facts))
    assert item == Waiting("INV-7", ((INACTIVE_CUSTOMER, "closed co"), (INACTIVE_CLASS, "Old Projects"),
                                     ("class", "Nowhere")))


def test_a_customer_and_classes_quickbooks_has_let_the_invoice_go(mockqb_quickbooks):
    record = invoice(customer="acme corp:roof repair", dimensions=[{**CLASS, "value": "Field:South"}])
    facts = merged(mockqb_quickbooks, reads(record))
    (item,) = export(FakeExport([record], [part(qb_id="8-1")], facts))
    assert isinstance(item, QbRequest)


def test_a_customer_listid_is_checked_by_listid(mockqb_quickbooks):
    acme = mockqb_quickbooks.company.find_by_name(("Customer",), "Acme Corp")[1]["ListID"]
    known = invoice("INV-1", customer=None, customer_id=acme)
    unknown = invoice("INV-2", customer=None, customer_id="80000999-1")
    facts = merged(mockqb_quickbooks, reads(known, unknown))
    items = export(FakeExport([known, unknown], [part(qb_id="8-1")], facts))
    assert isinstance(items[0], QbRequest)
    assert items[1] == Waiting("INV-2", (("customer/job", "ListID 80000999-1"),))


def test_a_refused_preflight_gives_no_facts_so_quickbooks_decides():
    (request,) = reads(invoice())
    refused = QbResult("1", "CustomerQueryRs", QbStatus(3000, "Error", "invalid"))
    assert list(InvoiceHandler().acknowledge(sent(request), refused)) == []
