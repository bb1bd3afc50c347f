"""Parts as QuickBooks service items, end to end over SOAP (T6), and invoices held behind their parts.

Rule: a part whose name QuickBooks already has as a service item (any case) is linked to it, never added
again; a name QuickBooks cannot take is refused at submit, never cut. A part that cannot be created
this update — QuickBooks refuses it, or no income account is set — holds every invoice that uses it:
no invoice is ever sent with a broken item reference, and both go out once the cause is fixed.
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
    configure,
    invoices_by_ref,
    items_by_name,
    records,
    sent,
    serving,
    states,
    submit,
    tags_sent,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def bridge(database_url, mockqb_quickbooks):
    yield from serving(database_url, mockqb_quickbooks)


def test_a_part_named_like_a_quickbooks_item_is_linked_not_added(bridge, webconnector, mockqb_company,
                                                                 mockqb_quickbooks):
    """"labor" is QuickBooks' "Labor" (names ignore case); "Overtime" is not the sub-item
    "Labor:Overtime", so it is a new top-level item."""
    items_before = items_by_name(mockqb_company)
    submit(bridge, "parts", {"PN-L": Part("labor"), "PN-O": Part("Overtime", price="95")})
    invoice = Invoice(lines=(Line("PN-L", quantity="8", rate="60"), Line("PN-O", quantity="2", rate="95")))
    submit(bridge, "invoices", {"INV-1": invoice}, finalized=True)

    update = webconnector.run_update()
    assert update.ok, update.summary()
    assert items_by_name(mockqb_company) - items_before == {"Overtime": 1}
    assert_parts_linked(bridge, mockqb_company, {"PN-L": "Labor", "PN-O": "Overtime"})
    assert records(bridge, "parts")["PN-L"]["note"] == LINKED_NOTE
    added = [add.findtext("ItemServiceAdd/Name") for add in sent(mockqb_quickbooks, "ItemServiceAddRq")]
    assert added == ["Overtime"]
    assert_invoices_landed_once(bridge, mockqb_company, {"INV-1": invoice},
                                {"PN-L": "Labor", "PN-O": "Overtime"})


def test_a_name_quickbooks_cannot_take_is_refused_at_submit_never_cut(bridge, webconnector, mockqb_company):
    too_long = "Stainless hex bolt M8 x 40 zinc!"  # 32 characters
    fits = "Fits in 31 characters exactly!!"
    report = bridge.host.submit(COMPANY, "parts", [("PN-9", Part(too_long).payload()),
                                                   ("PN-10", Part("Sub:item").payload()),
                                                   ("PN-11", Part(fits).payload())])
    assert report.added == 1 and len(report.invalid) == 2
    long_message, colon_message = report.invalid
    assert long_message.startswith("parts 'PN-9': name: ") and repr(too_long) in long_message
    assert "32 characters" in long_message and "at most 31" in long_message and "Shorten it" in long_message
    assert colon_message.startswith("parts 'PN-10': name: ") and "':'" in colon_message
    assert set(states(bridge, "parts")) == {"PN-11"}

    submit(bridge, "invoices", {"INV-1": Invoice(lines=(Line("PN-11"),))}, finalized=True)
    update = webconnector.run_update()
    assert update.ok, update.summary()
    assert_parts_linked(bridge, mockqb_company, {"PN-11": fits})
    assert not any(name.startswith("Stainless") for name in items_by_name(mockqb_company))


@pytest.mark.parametrize("policy", ["stop", "continue"])
def test_an_invoice_whose_part_quickbooks_refused_is_held_then_both_go_out_once(
        bridge, webconnector, mockqb_company, mockqb_quickbooks, policy):
    """Under ``stop`` the update ends at the refusal; under ``continue`` it goes on, sends the invoice
    whose part is fine, and holds the other. Either way the held invoice is never sent until its part
    exists, then once."""
    bridge.restart(error_policy=policy)
    items_before = items_by_name(mockqb_company)
    submit(bridge, "parts", {"PN-G": Part("Gasket", income_account="Gasket Sales"), "PN-L": Part("Labor")})
    held, fine = Invoice(lines=(Line("PN-G", quantity="3", rate="4.50"),)), Invoice(lines=(Line("PN-L"),))
    submit(bridge, "invoices", {"INV-H": held, "INV-F": fine}, finalized=True)

    update = webconnector.run_update()
    message = records(bridge, "parts")["PN-G"]["error"]
    assert "Part PN-G (Gasket)" in message and "'Gasket Sales'" in message and "3140" in message, message
    assert "parts.income_account" in message and "update again" in message, message
    assert bridge.host.status(COMPANY)["parts"]["errors"] == [{"id": "PN-G", "message": message}]
    assert items_by_name(mockqb_company) == items_before
    sent_refs = [add.findtext("InvoiceAdd/RefNumber") for add in sent(mockqb_quickbooks, "InvoiceAddRq")]
    assert "INV-H" not in sent_refs  # never sent with a broken reference
    if policy == "stop":
        assert not update.ok and update.status == message, update.summary()
        assert states(bridge, "invoices") == {"INV-H": "pending", "INV-F": "pending"}
    else:
        assert states(bridge, "invoices") == {"INV-H": "held", "INV-F": "synced"}
        assert invoices_by_ref(mockqb_company) == {"INV-F": 1}
        reason = records(bridge, "invoices")["INV-H"]["error"]
        assert reason.startswith("Invoice INV-H") and "PN-G" in reason and "'Gasket Sales'" in reason

    submit(bridge, "parts", {"PN-G": Part("Gasket", income_account=INCOME)})  # fixed by the host
    fixed = webconnector.run_update()
    assert fixed.ok, fixed.summary()
    assert_parts_linked(bridge, mockqb_company, {"PN-G": "Gasket", "PN-L": "Labor"})
    assert_invoices_landed_once(bridge, mockqb_company, {"INV-H": held, "INV-F": fine},
                                {"PN-G": "Gasket", "PN-L": "Labor"})
    assert tags_sent(mockqb_quickbooks).count("InvoiceAddRq") == 2


def test_without_an_income_account_the_part_and_its_invoice_wait_for_the_setting(
        bridge, webconnector, mockqb_company, mockqb_quickbooks):
    configure(bridge, parts={"income_account": None})
    submit(bridge, "parts", {"PN-G": Part("Gasket")})
    invoice = Invoice(lines=(Line("PN-G"),))
    submit(bridge, "invoices", {"INV-W": invoice}, finalized=True)

    update = webconnector.run_update()
    assert not update.ok, update.summary()
    assert "company setting 'parts.income_account'" in update.status and "PN-G" in update.status
    assert "ItemServiceAddRq" not in tags_sent(mockqb_quickbooks)
    assert "InvoiceAddRq" not in tags_sent(mockqb_quickbooks)
    assert states(bridge, "parts") == {"PN-G": "pending"}

    configure(bridge, parts={"income_account": INCOME})
    fixed = webconnector.run_update()
    assert fixed.ok, fixed.summary()
    assert_parts_linked(bridge, mockqb_company, {"PN-G": "Gasket"})
    assert_invoices_landed_once(bridge, mockqb_company, {"INV-W": invoice}, {"PN-G": "Gasket"})
