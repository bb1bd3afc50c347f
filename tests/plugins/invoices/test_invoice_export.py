"""``export``: the InvoiceAddRq per due invoice (T8 descriptions, T9 classes, parts as dependencies), and
Rejected / Waiting for what must not or cannot be sent yet."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from invoice_kit import FakeExport, company, export, invoice, part

from qbbridge.core.contract import QbRequest, RecordRef, Rejected, Waiting
from qbbridge.plugins.invoices.handler import InvoiceHandler
from qbbridge.plugins.invoices.preflight import CLASS_TRACKING, INACTIVE_CLASS, INACTIVE_CUSTOMER

CLASS = {"name": "class", "type": "custom"}


def ln(key: str = "PN-1", quantity=1, rate=1, **extra):
    return {"part": key, "quantity": quantity, "rate": rate, **extra}


def only(ctx: FakeExport):
    (item,) = export(ctx)
    return item


def body_of(ctx: FakeExport):
    item = only(ctx)
    assert isinstance(item, QbRequest), item
    return item.body


def lines(body):
    return body.findall("InvoiceAdd/InvoiceLineAdd")


# -- the request ----------------------------------------------------------------------------------------
def test_the_request_carries_the_header_and_lines_in_schema_order():
    record = invoice(ref_number="1007", memo="Thanks", dimensions=[{**CLASS, "value": "Field:North"}])
    item = only(FakeExport([record], [part(qb_id="80000011-1")]))
    add = item.body.find("InvoiceAdd")
    assert item.body.tag == "InvoiceAddRq" and item.local_key == "INV-7"
    assert [c.tag for c in add] == ["CustomerRef", "ClassRef", "TxnDate", "RefNumber", "Memo",
                                    "InvoiceLineAdd"]
    assert (add.findtext("CustomerRef/FullName"), add.findtext("ClassRef/FullName"), add.findtext("TxnDate"),
            add.findtext("RefNumber"), add.findtext("Memo")) == ("Acme Corp", "Field:North", "2026-11-20",
                                                                  "1007", "Thanks")
    (line,) = lines(item.body)
    assert [c.tag for c in line] == ["ItemRef", "Desc", "Quantity", "Rate"]
    assert (line.findtext("ItemRef/ListID"), line.findtext("Quantity"), line.findtext("Rate")) == (
        "80000011-1", "2", "125")
    assert item.label == "Invoice INV-7 (Acme Corp, 2026-11-20, 250.00)"
    assert item.body.get("requestID") is None  # the engine numbers requests


def test_a_customer_listid_is_sent_as_the_customer_reference():
    record = invoice(customer=None, customer_id="80000005-1")
    assert body_of(FakeExport([record], [part(qb_id="8-1")])).findtext("InvoiceAdd/CustomerRef/ListID") == (
        "80000005-1")


def test_the_invoice_depends_on_each_of_its_parts_once_in_order():
    record = invoice(lines=[ln("PN-2"), ln("PN-1"), ln("PN-2", 2)])
    item = only(FakeExport([record], [part("PN-1", qb_id="8-1"), part("PN-2", "Labor")]))
    assert item.depends_on == (RecordRef("parts", "PN-2"), RecordRef("parts", "PN-1"))


def test_a_synced_part_is_referenced_by_its_listid_an_unsynced_one_by_its_name():
    record = invoice(lines=[ln("PN-1"), ln("PN-2")])
    body = body_of(FakeExport([record], [part("PN-1", qb_id="8-1"), part("PN-2", "Labor")]))
    first, second = lines(body)
    assert (first.findtext("ItemRef/ListID"), first.findtext("ItemRef/FullName")) == ("8-1", None)
    assert (second.findtext("ItemRef/ListID"), second.findtext("ItemRef/FullName")) == (None, "Labor")


def test_a_part_that_was_never_submitted_rejects_the_invoice_naming_it():
    record = invoice(lines=[ln("PN-1"), ln("PN-9")])
    item = only(FakeExport([record], [part("PN-1", qb_id="8-1")]))
    assert isinstance(item, Rejected)
    assert "line 2 uses part 'PN-9', which was never submitted" in item.reason


# -- T8: descriptions -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("with_name", "with_description", "expected"), [
    (True, True, "Roof work\nRepairs to the roof"),
    (True, False, "Roof work"),
    (False, True, "Repairs to the roof"),
    (False, False, ""),  # an empty Desc: QuickBooks adds no text of its own
])
def test_the_line_description_follows_the_settings(with_name, with_description, expected):
    ctx = FakeExport([invoice()], [part(name="Roof work", description="Repairs to the roof", qb_id="8-1")],
                     company=company(**{"invoices.include_part_name": with_name,
                                        "invoices.include_part_description": with_description}))
    (line,) = lines(body_of(ctx))
    assert line.find("Desc") is not None and line.findtext("Desc") == expected


def test_both_settings_are_on_by_default_and_read_from_stored_words():
    parts = [part(name="Roof work", description="Repairs", qb_id="8-1")]
    (line,) = lines(body_of(FakeExport([invoice()], parts)))
    assert line.findtext("Desc") == "Roof work\nRepairs"
    off = company(**{"invoices.include_part_name": "off"})
    (line,) = lines(body_of(FakeExport([invoice()], parts, company=off)))
    assert line.findtext("Desc") == "Repairs"


def test_a_part_without_a_description_gives_just_its_name():
    (line,) = lines(body_of(FakeExport([invoice()], [part(name="Roof work", qb_id="8-1")])))
    assert line.findtext("Desc") == "Roof work"


@pytest.mark.parametrize("flag", [True, False])
def test_a_line_description_of_its_own_always_wins(flag):
    record = invoice(lines=[ln(description="Saturday call-out")])
    settings = {"invoices.include_part_name": flag, "invoices.include_part_description": flag}
    ctx = FakeExport([record], [part(description="Repairs", qb_id="8-1")], company=company(**settings))
    (line,) = lines(body_of(ctx))
    assert line.findtext("Desc") == "Saturday call-out"


def test_a_built_description_is_cut_to_what_quickbooks_holds():
    ctx = FakeExport([invoice()], [part(name="Roof work", description="d" * 4095, qb_id="8-1")])
    (line,) = lines(body_of(ctx))
    assert len(line.findtext("Desc")) == 4095 and line.findtext("Desc").startswith("Roof work\nd")


# -- T9: the class dimension ------------------------------------------------------------------------------
def test_a_line_class_goes_on_that_line_after_the_rate():
    record = invoice(lines=[ln(dimensions=[{**CLASS, "value": "Office"}]), ln()])
    body = body_of(FakeExport([record], [part(qb_id="8-1")]))
    first, second = lines(body)
    assert [c.tag for c in first][-1] == "ClassRef" and first.findtext("ClassRef/FullName") == "Office"
    assert second.find("ClassRef") is None and body.find("InvoiceAdd/ClassRef") is None


@pytest.mark.parametrize("dimension", [
    {"name": "Class", "type": "custom", "value": "Field"},
    {"name": "class", "type": "standard", "value": "Field"},
    {"name": "class", "value": "Field"},
    {"name": "department", "type": "custom", "value": "Field"},
])
def test_only_a_dimension_named_exactly_class_of_type_custom_is_the_class(dimension):
    record = invoice(dimensions=[dimension],
                     lines=[ln(dimensions=[dimension])])
    body = body_of(FakeExport([record], [part(qb_id="8-1")], company=company(class_tracking=False)))
    assert body.find(".//ClassRef") is None


# -- Waiting and Rejected from the preflight's facts ------------------------------------------------------
def test_a_customer_quickbooks_lacks_makes_the_invoice_wait_for_it():
    facts = {"customers_asked": ["nobody inc"], "customers": {}}
    item = only(FakeExport([invoice(customer="Nobody Inc")], [part(qb_id="8-1")], facts))
    assert item == Waiting("INV-7", (("customer/job", "Nobody Inc"),))


def test_a_customer_found_in_any_case_is_fine_and_an_inactive_one_waits():
    facts = {"customers_asked": ["acme corp", "closed co"],
             "customers": {"acme corp": True, "closed co": False}}
    parts = [part(qb_id="8-1")]
    assert isinstance(only(FakeExport([invoice(customer="ACME corp")], parts, facts)), QbRequest)
    item = only(FakeExport([invoice(customer="Closed Co")], parts, facts))
    assert item == Waiting("INV-7", ((INACTIVE_CUSTOMER, "Closed Co"),))


def test_a_customer_id_quickbooks_lacks_waits_naming_the_id():
    facts = {"customer_ids_asked": ["8-404"], "customer_ids": {}}
    item = only(FakeExport([invoice(customer=None, customer_id="8-404")], [part(qb_id="8-1")], facts))
    assert item == Waiting("INV-7", (("customer/job", "ListID 8-404"),))


def test_missing_and_inactive_classes_make_the_invoice_wait_listing_each():
    record = invoice(dimensions=[{**CLASS, "value": "Nowhere"}],
                     lines=[ln(dimensions=[{**CLASS, "value": "Old Projects"}])])
    facts = {"classes_asked": ["Nowhere", "Old Projects"], "classes": {"Old Projects": False}}
    item = only(FakeExport([record], [part(qb_id="8-1")], facts))
    assert item == Waiting("INV-7", (("class", "Nowhere"), (INACTIVE_CLASS, "Old Projects")))


def test_a_class_spelled_differently_from_quickbooks_is_rejected_naming_both_spellings():
    facts = {"classes_asked": ["field:north"], "classes": {"Field:North": True}}
    record = invoice(dimensions=[{**CLASS, "value": "field:north"}])
    item = only(FakeExport([record], [part(qb_id="8-1")], facts))
    assert isinstance(item, Rejected)
    assert "class 'field:north' does not match the QuickBooks class 'Field:North' exactly" in item.reason


def test_class_tracking_off_makes_an_invoice_with_a_class_wait_naming_the_class_and_the_fix():
    record = invoice(dimensions=[{**CLASS, "value": "Field"}])
    item = only(FakeExport([record], [part(qb_id="8-1")], company=company(class_tracking=False)))
    assert item == Waiting("INV-7", ((CLASS_TRACKING, "Field"),))
    assert "Use class tracking" in CLASS_TRACKING


@pytest.mark.parametrize("tracking", [True, None])
def test_class_tracking_on_or_not_yet_known_does_not_hold_the_invoice(tracking):
    record = invoice(dimensions=[{**CLASS, "value": "Field"}])
    ctx = FakeExport([record], [part(qb_id="8-1")], company=company(class_tracking=tracking))
    assert isinstance(only(ctx), QbRequest)


def test_names_the_preflight_did_not_ask_about_are_not_judged():
    record = invoice(customer="Nobody Inc", dimensions=[{**CLASS, "value": "Nowhere"}])
    facts = {"classes_asked": ["Field"], "classes": {"Field": True}}
    assert isinstance(only(FakeExport([record], [part(qb_id="8-1")], facts)), QbRequest)


def test_t10_is_judged_before_missing_names():
    facts = {"customers_asked": ["nobody inc"], "customers": {}}
    item = only(FakeExport([invoice(customer="Nobody Inc", lines=[])], [], facts))
    assert isinstance(item, Rejected)


# -- laziness ---------------------------------------------------------------------------------------------
def test_export_claims_records_only_as_it_is_iterated():
    taken: list[str] = []

    class Counting(FakeExport):
        def due(self) -> Iterator:
            for record in self.invoices:
                taken.append(record.local_key)
                yield record

    ctx = Counting([invoice("INV-1"), invoice("INV-2"), invoice("INV-3")], [part(qb_id="8-1")])
    produced = iter(InvoiceHandler().export(ctx))
    assert next(produced).local_key == "INV-1" and taken == ["INV-1"]


def test_each_part_is_read_once_per_export_call_however_many_invoices_use_it():
    asked: list[RecordRef] = []

    class Counting(FakeExport):
        def record(self, ref):
            asked.append(ref)
            return super().record(ref)

    ctx = Counting([invoice("INV-1"), invoice("INV-2", lines=[ln("PN-1"), ln("PN-2")])],
                   [part("PN-1", qb_id="8-1"), part("PN-2", qb_id="8-2")])
    assert all(isinstance(item, QbRequest) for item in export(ctx))
    assert asked == [RecordRef("parts", "PN-1"), RecordRef("parts", "PN-2")]
