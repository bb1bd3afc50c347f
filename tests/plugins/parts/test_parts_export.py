"""PartsHandler.export: which due parts go to QuickBooks, and as what."""

from __future__ import annotations

from parts_kit import ExportCtx, company, invoice, part

from qbbridge.core import Linked, Purpose, QbRequest, Record
from qbbridge.plugins.parts.handler import LINKED_NOTE

WITH_ACCOUNT = company(parts__income_account="Services Income")


def labor_fact(qb_id: str = "80000003-1", *, active: bool = True) -> dict:
    return {"items": {"labor": {"list_id": qb_id, "full_name": "Labor", "edit_sequence": "17",
                                "is_active": active}}}


def test_only_parts_a_due_invoice_uses_are_exported(handler):
    ctx = ExportCtx(WITH_ACCOUNT, records=[part("PN-1", "Bolt"), part("PN-2", "Nut"), part("PN-3", "Washer")],
                    invoices=[invoice("INV-1", "PN-3"), invoice("INV-2", "PN-1", "PN-9")])
    items = list(handler.export(ctx))
    assert [(i.local_key, i.purpose) for i in items] == [("PN-1", Purpose.EXPORT), ("PN-3", Purpose.EXPORT)]
    assert ctx.asked_for == ["invoices"]


def test_no_part_is_exported_while_no_invoice_is_due(handler):
    assert list(handler.export(ExportCtx(WITH_ACCOUNT, records=[part("PN-1", "Bolt")]))) == []


def test_invoice_lines_without_a_part_are_ignored(handler):
    odd = Record("invoices", "INV-1", {"lines": [{"quantity": "1"}, "junk", {"part": ""}]}, "pending")
    no_lines = Record("invoices", "INV-2", {"lines": None}, "pending")
    ctx = ExportCtx(WITH_ACCOUNT, records=[part("PN-1", "Bolt")], invoices=[odd, no_lines])
    assert list(handler.export(ctx)) == []


def test_a_new_part_becomes_an_item_service_add_with_its_description_price_and_account(handler):
    ctx = ExportCtx(WITH_ACCOUNT, records=[part("PN-1", "Hex bolt", description="M8 x 40", price="0.35")],
                    invoices=[invoice("INV-1", "PN-1")])
    (request,) = handler.export(ctx)
    assert isinstance(request, QbRequest) and request.label == "Part PN-1 (Hex bolt)"
    add = request.body.find("ItemServiceAdd")
    assert [child.tag for child in add] == ["Name", "SalesOrPurchase"]
    assert add.findtext("Name") == "Hex bolt"
    sales = add.find("SalesOrPurchase")
    assert [(c.tag, c.findtext("FullName") if c.tag == "AccountRef" else c.text) for c in sales] == [
        ("Desc", "M8 x 40"), ("Price", "0.35"), ("AccountRef", "Services Income")]
    assert request.body.get("requestID") is None  # the engine sets it


def test_the_part_s_own_income_account_wins_over_the_setting(handler):
    ctx = ExportCtx(WITH_ACCOUNT, records=[part("PN-1", "Bolt", income_account="Parts Income")],
                    invoices=[invoice("INV-1", "PN-1")])
    (request,) = handler.export(ctx)
    assert request.body.findtext("ItemServiceAdd/SalesOrPurchase/AccountRef/FullName") == "Parts Income"
    assert request.body.find("ItemServiceAdd/SalesOrPurchase/Price") is None


def test_without_any_income_account_a_part_that_must_be_created_waits_for_the_setting(handler):
    ctx = ExportCtx(company(), records=[part("PN-1", "Bolt"), part("PN-2", "Labor")],
                    invoices=[invoice("INV-1", "PN-1", "PN-2")], facts=labor_fact())
    waiting, linked = handler.export(ctx)
    assert waiting.local_key == "PN-1" and waiting.needs == (("company setting", "parts.income_account"),)
    assert "qbbridge company set" in waiting.fix and "parts.income_account=" in waiting.fix
    assert isinstance(linked, Linked)  # an existing item needs no account


def test_a_part_named_like_an_existing_service_item_is_linked_never_added(handler):
    ctx = ExportCtx(WITH_ACCOUNT, records=[part("PN-1", "LABOR")], invoices=[invoice("INV-1", "PN-1")],
                    facts=labor_fact())
    assert list(handler.export(ctx)) == [Linked("PN-1", "80000003-1", "17", note=LINKED_NOTE)]


def test_linking_to_an_inactive_item_says_so(handler):
    ctx = ExportCtx(WITH_ACCOUNT, records=[part("PN-1", "Labor")], invoices=[invoice("INV-1", "PN-1")],
                    facts=labor_fact(active=False))
    (linked,) = handler.export(ctx)
    assert linked.note == f"{LINKED_NOTE} (inactive in QuickBooks)"


def test_a_same_named_sub_item_is_another_name(handler):
    facts = {"items": {"labor:overtime": {"list_id": "80000004-1", "full_name": "Labor:Overtime",
                                          "edit_sequence": "3", "is_active": True}}}
    ctx = ExportCtx(WITH_ACCOUNT, records=[part("PN-1", "Overtime")], invoices=[invoice("INV-1", "PN-1")],
                    facts=facts)
    (request,) = handler.export(ctx)
    assert request.body.findtext("ItemServiceAdd/Name") == "Overtime"


def test_two_new_parts_of_one_name_give_one_add_and_the_other_waits_for_its_answer(handler):
    records = [part("PN-1", "Bolt"), part("PN-2", "BOLT"), part("PN-3", "Nut")]
    invoices = [invoice("INV-1", "PN-1", "PN-2", "PN-3")]
    first = list(handler.export(ExportCtx(WITH_ACCOUNT, records=records, invoices=invoices)))
    assert [i.local_key for i in first] == ["PN-1", "PN-3"]
    # The Add's answer adds the item to the facts; the next batch links the second part to it.
    facts = {"items": {"bolt": {"list_id": "8000000A-1", "full_name": "Bolt", "edit_sequence": "1",
                                "is_active": True}}}
    next_batch = ExportCtx(WITH_ACCOUNT, records=records[1:2], invoices=invoices, facts=facts)
    later = list(handler.export(next_batch))
    assert later == [Linked("PN-2", "8000000A-1", "1", note=LINKED_NOTE)]


def test_an_exported_part_lands_in_quickbooks_once_with_its_account(handler, qb):
    ctx = ExportCtx(WITH_ACCOUNT, records=[part("PN-1", "Hex bolt", description="M8", price="0.35")],
                    invoices=[invoice("INV-1", "PN-1")])
    (request,) = handler.export(ctx)
    (linked, _facts) = qb.acknowledged(request)
    _, item = qb.company.find_by_name(("ItemService",), "Hex bolt")
    account = qb.company.find_by_name(("Account",), "Services Income")[1]["ListID"]
    assert linked == Linked("PN-1", item["ListID"], item["EditSequence"])
    assert item["SalesOrPurchase"] == {"Desc": "M8", "Price": "0.35", "AccountRef": account}


def test_lookup_asks_for_the_item_of_the_part_s_name(handler):
    request = handler.lookup(part("PN-1", "Hex bolt"))
    assert (request.purpose, request.local_key) == (Purpose.LOOKUP, "PN-1")
    assert [n.text for n in request.body.iter("FullName")] == ["Hex bolt"]


def test_parts_of_an_invoice_that_will_be_rejected_are_not_created(handler):
    records = [part("PN-1", "Gasket")]
    refused = invoice("INV-1", "PN-1")
    refused = Record("invoices", "INV-1", {**refused.payload, "lines": [
        {"part": "PN-1", "quantity": "-2", "rate": "10"}]}, "pending")
    assert list(handler.export(ExportCtx(company(parts__income_account="Services Income"), records=records,
                                         invoices=[refused]))) == []
