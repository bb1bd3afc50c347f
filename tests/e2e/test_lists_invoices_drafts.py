"""Drafts and finalizing (T7), and the invoice rules checked before sending (T10), end to end over SOAP.

Rule: a submitted invoice is a draft and never reaches QuickBooks — nor do the parts only drafts use;
finalizing one (the "play") sends exactly that one with the next update, finalizing all (the "double
play") sends the rest, each once. A finalized invoice with no lines, a quantity of 0 or less, or a total
below 0 is rejected with the reason and never sent; a zero or negative rate is sent as it is.
"""

from __future__ import annotations

import pytest
from e2e_harness import COMPANY
from invoices_kit import (
    Invoice,
    Line,
    Part,
    assert_invoices_landed_once,
    invoices_by_ref,
    records,
    run_cli,
    sent,
    serving,
    states,
    submit,
    tags_sent,
)

pytestmark = pytest.mark.e2e

PARTS = {"PN-1": Part("Hex bolt M8"), "PN-2": Part("Washer M8"), "PN-3": Part("Gasket")}
ITEMS = {key: part.name for key, part in PARTS.items()}
DRAFTS = {f"INV-{n}": Invoice(lines=(Line(f"PN-{n}", quantity=str(n)),), customer="Baker Bakery")
          for n in (1, 2, 3)}


@pytest.fixture
def bridge(database_url, mockqb_quickbooks):
    yield from serving(database_url, mockqb_quickbooks)


def _items_added(quickbooks) -> list[str]:
    return [add.findtext("ItemServiceAdd/Name") for add in sent(quickbooks, "ItemServiceAddRq")]


def test_drafts_never_sync_play_sends_one_and_double_play_the_rest(bridge, webconnector, mockqb_company,
                                                                    mockqb_quickbooks):
    submit(bridge, "parts", PARTS)
    submit(bridge, "invoices", DRAFTS)
    edited = DRAFTS["INV-3"].but(memo="edited while a draft")
    submit(bridge, "invoices", {"INV-3": edited})
    assert states(bridge, "invoices") == dict.fromkeys(DRAFTS, "draft")
    assert bridge.host.status(COMPANY)["invoices"]["draft"] == 3

    first = webconnector.run_update()  # reads the lists; drafts stay home
    assert first.ok, first.summary()
    assert {"InvoiceAddRq", "ItemServiceAddRq"}.isdisjoint(tags_sent(mockqb_quickbooks))
    assert states(bridge, "invoices") == dict.fromkeys(DRAFTS, "draft")

    play = bridge.host.finalize(COMPANY, "invoices", ["INV-2"])
    assert (play.finalized, play.refused) == (["INV-2"], [])
    second = webconnector.run_update()
    assert second.ok, second.summary()
    assert invoices_by_ref(mockqb_company) == {"INV-2": 1}
    assert _items_added(mockqb_quickbooks) == ["Washer M8"]  # only the part the sent invoice uses
    assert states(bridge, "invoices") == {"INV-1": "draft", "INV-2": "synced", "INV-3": "draft"}
    assert states(bridge, "parts") == {"PN-1": "pending", "PN-2": "synced", "PN-3": "pending"}

    again = bridge.host.finalize(COMPANY, "invoices", ["INV-2"])
    assert again.finalized == [] and "not a draft" in again.refused[0] and "'INV-2'" in again.refused[0]
    double_play = run_cli(bridge, "finalize", "invoices", "--all")
    assert double_play.code == 0 and "2 finalized" in double_play.out, double_play
    third = webconnector.run_update()
    assert third.ok, third.summary()
    assert_invoices_landed_once(bridge, mockqb_company, {**DRAFTS, "INV-3": edited}, ITEMS)
    assert sorted(_items_added(mockqb_quickbooks)) == sorted(ITEMS.values())


# --- T10 ------------------------------------------------------------------------------------------------


REJECTED = {
    "NO-LINES": (Invoice(lines=()), "has no lines"),
    "QTY-0": (Invoice(lines=(Line("PN-1"), Line("PN-2", quantity="0"))), "quantity on line 2 is 0"),
    "QTY-NEG": (Invoice(lines=(Line("PN-3", quantity="-2"),)), "quantity on line 1 is -2"),
    "TOTAL-NEG": (Invoice(lines=(Line("PN-1", quantity="1", rate="10"),
                                 Line("PN-2", quantity="2", rate="-5.01"))), "the total is -0.02"),
}
SENT = {
    "RATE-NEG": Invoice(lines=(Line("PN-1", quantity="3", rate="10"), Line("PN-2", rate="-25"))),
    "RATE-0": Invoice(lines=(Line("PN-1", quantity="2", rate="0"),)),
    "TOTAL-0": Invoice(lines=(Line("PN-1", rate="7.5"), Line("PN-2", rate="-7.5"))),
}


def test_invoices_breaking_t10_are_rejected_with_the_reason_and_never_reach_quickbooks(
        bridge, webconnector, mockqb_company, mockqb_quickbooks):
    submit(bridge, "parts", PARTS)
    submit(bridge, "invoices", {key: invoice for key, (invoice, _) in REJECTED.items()} | SENT,
           finalized=True)
    update = webconnector.run_update()

    rows = records(bridge, "invoices")
    for key, (_, reason) in REJECTED.items():
        assert rows[key]["state"] == "rejected", (key, rows[key])
        assert rows[key]["error"].startswith(f"Invoice {key}") and reason in rows[key]["error"], rows[key]
        assert "Fix the invoice" in rows[key]["error"]
    refs_sent = [add.findtext("InvoiceAdd/RefNumber") for add in sent(mockqb_quickbooks, "InvoiceAddRq")]
    assert sorted(refs_sent) == sorted(SENT)
    assert_invoices_landed_once(bridge, mockqb_company, SENT, ITEMS)
    errors = {error["id"] for error in bridge.host.status(COMPANY)["invoices"]["errors"]}
    assert errors == set(REJECTED)
    assert not update.ok and update.status.startswith("4 record(s) need attention"), update.summary()
    assert all(rows[key]["error"] in update.status for key in REJECTED)  # shown in the Web Connector
