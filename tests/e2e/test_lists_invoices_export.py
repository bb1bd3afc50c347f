"""Export of a finalized invoice with its parts, end to end over SOAP (T3, T4).

Rule: a finalized invoice that uses a part QuickBooks does not have yet lands once, in the same update
as the service item created for the part, which QuickBooks runs first; both are linked (their
QuickBooks ids stored). Whatever stops a record from landing — QuickBooks refusing it, or a name it
lacks — is shown where people look: the Web Connector's message (getLastError), ``host.status`` and
``qbbridge status``, naming the invoice, the value and the fix.
"""

from __future__ import annotations

import pytest
from e2e_harness import COMPANY
from invoices_kit import (
    INCOME,
    LINKED_NOTE,
    Invoice,
    Line,
    Part,
    assert_invoices_landed_once,
    assert_parts_linked,
    invoices_by_ref,
    item_named,
    items_by_name,
    line_descriptions,
    records,
    run_cli,
    serving,
    states,
    submit,
    tags_sent,
)

pytestmark = pytest.mark.e2e

BOLT = Part("Hex bolt M8", description="Stainless hex bolt", price="0.35")
INVOICE = Invoice(lines=(Line("PN-100", quantity="40", rate="0.35"),
                         Line("PN-100", quantity="2", rate="-1.00")),
                  customer="Acme Corp:Roof repair", klass="Field:North", memo="Roof bolts")


@pytest.fixture
def bridge(database_url, mockqb_quickbooks):
    yield from serving(database_url, mockqb_quickbooks)


def _counter(object_id: str) -> int:
    """QuickBooks' ids share one counter, so they tell which of two objects was created first."""
    return int(object_id.split("-")[0], 16)


def test_an_invoice_with_a_new_part_and_an_existing_class_lands_once_after_its_item(
        bridge, webconnector, mockqb_company, mockqb_quickbooks):
    items_before = items_by_name(mockqb_company)
    submit(bridge, "parts", {"PN-100": BOLT})
    submit(bridge, "invoices", {"INV-1": INVOICE}, finalized=True)

    update = webconnector.run_update()
    assert update.ok and update.progress == 100, update.summary()
    assert items_by_name(mockqb_company) - items_before == {"Hex bolt M8": 1}
    assert_parts_linked(bridge, mockqb_company, {"PN-100": "Hex bolt M8"})
    item = item_named(mockqb_company, "Hex bolt M8")
    income = mockqb_company.find_by_name(("Account",), INCOME)[1]["ListID"]
    assert item["SalesOrPurchase"] == {"Desc": "Stainless hex bolt", "Price": "0.35", "AccountRef": income}
    assert_invoices_landed_once(bridge, mockqb_company, {"INV-1": INVOICE}, {"PN-100": "Hex bolt M8"})

    tags = tags_sent(mockqb_quickbooks)
    assert tags.count("ItemServiceAddRq") == 1 and tags.count("InvoiceAddRq") == 1
    assert tags.index("ItemServiceAddRq") < tags.index("InvoiceAddRq")
    invoice = mockqb_company.records("Invoice")[0]
    assert _counter(item["ListID"]) < _counter(invoice["TxnID"])
    assert item["TimeCreated"] <= invoice["TimeCreated"]
    assert invoice["Subtotal"] == "12.00"  # 40 x 0.35 - 2 x 1.00: a negative rate is sent as it is

    again = webconnector.run_update()  # nothing is due: nothing is sent twice
    assert again.ok and again.status == "No data exchange required", again.summary()
    assert tags_sent(mockqb_quickbooks) == tags
    assert states(bridge, "parts") == {"PN-100": "synced"}
    assert states(bridge, "invoices") == {"INV-1": "synced"}


def test_a_part_used_by_several_invoices_is_created_once(bridge, webconnector, mockqb_company,
                                                         mockqb_quickbooks):
    submit(bridge, "parts", {"PN-100": BOLT, "PN-200": Part("Washer M8")})
    invoices = {f"INV-{n}": Invoice(lines=(Line("PN-100", quantity=str(n)), Line("PN-200")),
                                    customer="Baker Bakery") for n in range(1, 6)}
    submit(bridge, "invoices", invoices, finalized=True)

    update = webconnector.run_update()
    assert update.ok, update.summary()
    assert_parts_linked(bridge, mockqb_company, {"PN-100": "Hex bolt M8", "PN-200": "Washer M8"})
    assert_invoices_landed_once(bridge, mockqb_company, invoices,
                                {"PN-100": "Hex bolt M8", "PN-200": "Washer M8"})
    assert tags_sent(mockqb_quickbooks).count("ItemServiceAddRq") == 2


# --- T4: errors are shown ---------------------------------------------------------------------------


def test_a_quickbooks_refusal_names_the_invoice_the_value_and_the_fix_everywhere(
        bridge, webconnector, mockqb_company):
    consulting = mockqb_company.find_by_name(("ItemService",), "Consulting")[1]
    consulting["IsActive"] = False  # the bookkeeper retired the item the part is linked to
    submit(bridge, "parts", {"PN-C": Part("Consulting")})
    submit(bridge, "invoices", {"INV-4": Invoice(lines=(Line("PN-C"),), customer="Baker Bakery")},
           finalized=True)

    update = webconnector.run_update()
    assert not update.ok and update.ops[-2:] == ["getLastError", "closeConnection"], update.summary()
    message = update.status
    assert "Invoice INV-4" in message and "line 1" in message and consulting["ListID"] in message
    assert "Make the item active in QuickBooks" in message and "Update Selected" in message
    assert "3140" in message and "Traceback" not in message
    assert invoices_by_ref(mockqb_company) == {}
    assert records(bridge, "parts")["PN-C"]["note"] == f"{LINKED_NOTE} (inactive in QuickBooks)"

    row = records(bridge, "invoices")["INV-4"]
    assert row["state"] != "synced" and row["error"] == message
    status = bridge.host.status(COMPANY)["invoices"]
    assert status["errors"] == [{"id": "INV-4", "message": message}]
    shown = run_cli(bridge, "status")
    assert shown.code == 0 and f"invoices 'INV-4': {message}" in shown.out

    consulting["IsActive"] = True  # fixed in QuickBooks: the next update sends it, once
    fixed = webconnector.run_update()
    assert fixed.ok, fixed.summary()
    assert invoices_by_ref(mockqb_company) == {"INV-4": 1}
    assert bridge.host.status(COMPANY)["invoices"]["errors"] == []


def test_a_customer_quickbooks_lacks_is_reported_and_the_invoice_waits_for_it(bridge, webconnector,
                                                                              mockqb_company):
    submit(bridge, "parts", {"PN-100": BOLT})
    invoices = {"INV-5": Invoice(lines=(Line("PN-100"),), customer="Nobody Inc"),
                "INV-6": Invoice(lines=(Line("PN-100"),))}
    submit(bridge, "invoices", invoices, finalized=True)

    update = webconnector.run_update()
    assert not update.ok, update.summary()
    message = update.status
    assert "customer/job 'Nobody Inc'" in message and "INV-5" in message, message
    assert "in QuickBooks" in message and "Update Selected" in message, message
    assert records(bridge, "invoices")["INV-5"]["state"] == "pending"
    error = records(bridge, "invoices")["INV-5"]["error"]
    assert "INV-5" in error and "'Nobody Inc'" in error and "in QuickBooks" in error, error
    assert bridge.host.status(COMPANY)["invoices"]["errors"] == [{"id": "INV-5", "message": error}]
    assert invoices_by_ref(mockqb_company)["INV-5"] == 0

    mockqb_company.add_list_element("Customer", "Nobody Inc", Balance="0.00", TotalBalance="0.00")
    fixed = webconnector.run_update()
    assert fixed.ok, fixed.summary()
    assert_invoices_landed_once(bridge, mockqb_company, invoices, {"PN-100": "Hex bolt M8"})
    assert line_descriptions(mockqb_company, records(bridge, "invoices")["INV-5"]["qb_id"]) == [
        "Hex bolt M8\nStainless hex bolt"]
