"""Lost answers in an update that creates a part and its invoice, and the qbXML these plugins send.

Rule: whatever QuickBooks committed before an answer was lost is linked by the next update — from
QuickBooks' stored answer, or, when it kept none, by the plugin's natural-key lookup (the item's name;
the invoice's RefNumber, customer and date) — and never sent again, so the item and the invoice are each
in the company file exactly once. Every request the three plugins send is valid qbXML 13.0 and 16.0 (the
``bridge`` fixture checks each test's requests; one scenario here makes them send every kind).
"""

from __future__ import annotations

import pytest
from e2e_harness import COMPANY, forget_stored_answers
from invoices_kit import (
    FOUND_NOTE,
    Invoice,
    Line,
    Part,
    assert_invoices_landed_once,
    assert_parts_linked,
    configure,
    importables,
    invoices_by_ref,
    items_by_name,
    lose_answer_to_set_with,
    records,
    sent,
    serving,
    submit,
    tags_sent,
)

pytestmark = pytest.mark.e2e

PARTS = {"PN-100": Part("Hex bolt M8", description="Stainless hex bolt", price="0.35")}
INVOICE = Invoice(lines=(Line("PN-100", quantity="40", rate="0.35"),), customer="Acme Corp:Roof repair",
                  klass="Field:North")
LOST = {"ItemServiceAddRq": ("parts", "PN-100"), "InvoiceAddRq": ("invoices", "INV-1")}


@pytest.fixture
def bridge(database_url, mockqb_quickbooks):
    yield from serving(database_url, mockqb_quickbooks)


def _lookups(quickbooks) -> dict[str, int]:
    """Natural-key lookups sent: the item by name after the update's same-name check, the invoice by
    RefNumber."""
    by_ref = [rq for rq in sent(quickbooks, "InvoiceQueryRq") if rq.find("RefNumberRangeFilter") is not None]
    by_name = [rq for rq in sent(quickbooks, "ItemServiceQueryRq")
               if rq.findtext("FullName") == "Hex bolt M8"]
    return {"invoices": len(by_ref), "parts": len(by_name)}


@pytest.mark.parametrize("stored_answer", [True, False], ids=["stored-answer", "natural-key-lookup"])
@pytest.mark.parametrize("lost_tag", list(LOST), ids=["part-set", "invoice-set"])
def test_a_lost_answer_mid_update_leaves_the_item_and_the_invoice_once(
        bridge, webconnector, mockqb_company, mockqb_quickbooks, mockqb_faults, lost_tag, stored_answer):
    items_before = items_by_name(mockqb_company)
    submit(bridge, "parts", PARTS)
    submit(bridge, "invoices", {"INV-1": INVOICE}, finalized=True)
    lose_answer_to_set_with(mockqb_faults, mockqb_quickbooks, lost_tag)
    object_type, key = LOST[lost_tag]

    first = webconnector.run_update()
    assert not first.ok, first.summary()
    assert items_by_name(mockqb_company) - items_before == {"Hex bolt M8": 1}  # QuickBooks committed it
    assert invoices_by_ref(mockqb_company) == ({"INV-1": 1} if lost_tag == "InvoiceAddRq" else {})
    assert records(bridge, object_type)[key]["state"] in ("in_flight", "uncertain")
    lookups_before = _lookups(mockqb_quickbooks)
    if not stored_answer:
        forget_stored_answers(mockqb_quickbooks)

    bridge.take_over()
    second = webconnector.run_update()
    assert second.ok and second.progress == 100, second.summary()
    assert items_by_name(mockqb_company) - items_before == {"Hex bolt M8": 1}
    assert_parts_linked(bridge, mockqb_company, {"PN-100": "Hex bolt M8"})
    assert_invoices_landed_once(bridge, mockqb_company, {"INV-1": INVOICE}, {"PN-100": "Hex bolt M8"})
    tags = tags_sent(mockqb_quickbooks)
    assert (tags.count("ItemServiceAddRq"), tags.count("InvoiceAddRq")) == (1, 1)  # nothing sent twice
    lookups = _lookups(mockqb_quickbooks)
    if stored_answer:
        assert "1 recovered" in second.close_message, second.close_message
        assert lookups == lookups_before
    else:
        assert records(bridge, object_type)[key]["note"] == FOUND_NOTE
        assert lookups[object_type] == lookups_before[object_type] + 1


# --- qbXML ----------------------------------------------------------------------------------------------


EVERY_KIND = {"ClassQueryRq", "ItemServiceQueryRq", "CustomerQueryRq", "ItemServiceAddRq", "InvoiceAddRq",
              "InvoiceQueryRq"}


def _add_items(company, count: int) -> None:
    income = company.find_by_name(("Account",), "Services Income")[1]["ListID"]
    for n in range(count):
        company.add_list_element("ItemService", f"Bolt size {n:03d}", SalesOrPurchase={
            "Desc": f"Bolt {n}", "Price": "1.00", "AccountRef": income})


def test_every_kind_of_request_is_valid_in_both_schemas(bridge, webconnector, mockqb_company,
                                                        mockqb_quickbooks, mockqb_faults):
    """The importables read in pages with a name filter, every preflight (classes, customers by name
    and by ListID), the same-name check, both Adds with every field, and both lookups; the fixture then
    validates each request against qbXML 13.0 and 16.0."""
    _add_items(mockqb_company, 120)  # more than a page of the iterator
    configure(bridge, parts={"import_filter": "contains:SIZE"})
    baker = mockqb_company.find_by_name(("Customer",), "Baker Bakery")[1]["ListID"]
    submit(bridge, "parts", PARTS | {"PN-L": Part("labor")})
    invoices = {"INV-1": INVOICE.but(memo="Every field", lines=(
                    Line("PN-100", quantity="40", rate="0.35", klass="Office", description="Bolts"),
                    Line("PN-L", quantity="1.5", rate="-2.5")), ref_number="R-1"),
                "INV-2": Invoice(lines=(Line("PN-100"),), customer="")}
    report = bridge.host.submit(COMPANY, "invoices", [
        ("INV-1", invoices["INV-1"].payload()),
        ("INV-2", {**invoices["INV-2"].payload(), "customer": None, "customer_id": baker})], finalized=True)
    assert report.invalid == [], report.invalid
    lose_answer_to_set_with(mockqb_faults, mockqb_quickbooks, "ItemServiceAddRq")
    assert not webconnector.run_update().ok
    forget_stored_answers(mockqb_quickbooks)
    bridge.take_over()
    assert webconnector.run_update().ok  # the item's lookup; the invoices go out

    submit(bridge, "invoices", {"INV-3": Invoice(lines=(Line("PN-L"),))}, finalized=True)
    lose_answer_to_set_with(mockqb_faults, mockqb_quickbooks, "InvoiceAddRq")
    assert not webconnector.run_update().ok
    forget_stored_answers(mockqb_quickbooks)
    bridge.take_over()
    last = webconnector.run_update()  # the invoice's RefNumber lookup
    assert last.ok, last.summary()

    assert invoices_by_ref(mockqb_company) == {"R-1": 1, "INV-2": 1, "INV-3": 1}
    assert EVERY_KIND <= set(tags_sent(mockqb_quickbooks))
    reads = [rq for rq in sent(mockqb_quickbooks, "ItemServiceQueryRq") if rq.find("NameFilter") is not None]
    assert [rq.get("iterator") for rq in reads[:2]] == ["Start", "Continue"]  # pages of 100
    assert set(importables(bridge, "parts")) == {f"Bolt size {n:03d}" for n in range(120)}
    assert any(rq.find("ListID") is not None for rq in sent(mockqb_quickbooks, "CustomerQueryRq"))


def test_a_quickbooks_speaking_qbxml_13_gets_valid_13_0_message_sets(bridge, webconnector, mockqb_company,
                                                                     mockqb_quickbooks):
    versions = mockqb_company.info["SupportedQBXMLVersions"]
    mockqb_company.info["SupportedQBXMLVersions"] = versions[:versions.index("13.0") + 1]
    submit(bridge, "parts", PARTS)
    submit(bridge, "invoices", {"INV-1": INVOICE}, finalized=True)
    update = webconnector.run_update()  # the simulator refuses a set that is not valid qbXML 13.0
    assert update.ok, update.summary()
    assert_invoices_landed_once(bridge, mockqb_company, {"INV-1": INVOICE}, {"PN-100": "Hex bolt M8"})
    assert all('<?qbxml version="13.0"?>' in xml for xml in mockqb_quickbooks.requests_seen)
