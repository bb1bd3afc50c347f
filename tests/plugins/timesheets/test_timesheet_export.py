"""``export``: what each due block becomes — an Add, a Mod, a re-read, ``Waiting`` for missing names,
``Linked`` to time already in QuickBooks, ``Rejected`` — decided from the settings and this update's
facts (a fake ``ExportContext``; no database)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from timesheet_kit import HANDLER, Outbox, block, company, export

from qbbridge.core import Linked, Purpose, QbRequest, Rejected, Waiting

FOUND = "found after a lost answer"
MATCHED = "matched existing"


def tags(items) -> list[str]:
    return [item.body.tag if isinstance(item, QbRequest) else type(item).__name__ for item in items]


def test_each_unsent_block_becomes_one_add():
    items = export(block("1"), block("2", employee="John Smith"))
    assert tags(items) == ["TimeTrackingAddRq", "TimeTrackingAddRq"]
    assert [item.local_key for item in items] == ["1", "2"]


def test_only_blocks_inside_the_period_are_sent_the_others_stay_due():
    records = (block("before", date="2026-10-31"), block("first", date="2026-11-01"),
               block("last", date="2026-11-30"), block("after", date="2026-12-01"))
    items = export(*records, company=company(period_start="2026-11-01", period_end="2026-11-30"))
    assert [item.local_key for item in items] == ["first", "last"]
    items = export(*records, company=company(period_end="2026-10-31"))
    assert [item.local_key for item in items] == ["before"]


def test_export_is_lazy_so_the_engine_can_stop_after_a_batch():
    pulled = []

    def due():
        for n in range(1000):
            pulled.append(n)
            yield block(str(n))

    outbox = Outbox()
    outbox.due = due
    produced = HANDLER.export(outbox)
    first = [next(produced) for _ in range(3)]
    assert [item.local_key for item in first] == ["0", "1", "2"] and len(pulled) == 3


# --- preflight facts: Waiting ---------------------------------------------------------------------------
PREFLIGHT = {
    "asked:employee": ["jane doe", "jane roe", "former worker", "acme corp", "80000099-1"],
    "found:employee": ["jane doe", "80000005-1"], "inactive:employee": ["former worker"],
    "other:employee": ["acme corp"],
    "asked:customer": ["acme corp:gutters", "closed co", "acme corp"], "found:customer": ["acme corp"],
    "inactive:customer": ["closed co"], "other:customer": [],
    "asked:item": ["painting"], "found:item": [], "inactive:item": [],
    "asked:class": ["field:east"], "asked:payroll_item": ["holiday pay"],
}


@pytest.mark.parametrize(("fields", "needs"), [
    ({"employee": "Jane Roe"}, (("employee", "Jane Roe"),)),
    ({"employee": "FORMER WORKER"}, (("inactive employee", "FORMER WORKER"),)),
    ({"employee": None, "employee_id": "80000099-1"}, (("employee with ListID", "80000099-1"),)),
    ({"customer": "Acme Corp:Gutters", "item": "Painting"},
     (("customer/job", "Acme Corp:Gutters"), ("service item", "Painting"))),
    ({"customer": "Closed Co"}, (("inactive customer/job", "Closed Co"),)),
    ({"class": "Field:East", "payroll_item": "Holiday Pay"},
     (("class", "Field:East"), ("payroll item", "Holiday Pay"))),
    ({"employee": "Jane Roe", "customer": "closed co"},
     (("employee", "Jane Roe"), ("inactive customer/job", "closed co"))),
])
def test_a_block_naming_what_quickbooks_lacks_waits_naming_every_missing_name(fields, needs):
    (item,) = export(block("12", **fields), facts=PREFLIGHT)
    assert item == Waiting("12", needs)


@pytest.mark.parametrize("fields", [
    {}, {"customer": "ACME CORP"}, {"employee": "Acme Corp"},  # a customer's name: QuickBooks explains it
    {"employee": "Never Asked"}, {"item": "Labor"},  # not asked (submitted after the preflight): sent
])
def test_a_block_whose_names_were_found_or_never_asked_about_is_sent(fields):
    assert tags(export(block("1", **fields), facts=PREFLIGHT)) == ["TimeTrackingAddRq"]


def test_without_preflight_facts_nothing_waits():
    assert tags(export(block("1", employee="Jane Roe"))) == ["TimeTrackingAddRq"]


# --- duplicate check and recovery: Linked without a request ---------------------------------------
def entry(txn_id: str, **fields) -> dict:
    base = {"txn_id": txn_id, "edit_sequence": "100", "date": "2026-11-20", "minutes": 480, "notes": None,
            "billable_status": "NotBillable", "entity_id": "80000005-1", "entity": "jane doe",
            "customer_id": None, "customer": None, "item_id": None, "item": None, "class_id": None,
            "class": None, "payroll_item_id": None, "payroll_item": None}
    return {**base, **fields}


ROOF = {"customer": "acme corp:roof repair", "customer_id": "8000000C-1", "item": "labor",
        "item_id": "80000013-1"}
DUP_ON = company(duplicate_check=True)


def test_the_duplicate_check_links_time_typed_into_quickbooks():
    facts = {"existing": [entry("T-1", **ROOF, notes="typed by hand")]}
    record = block("1", customer="Acme Corp:Roof repair", item="Labor", notes="from the app")
    assert export(record, facts=facts, company=DUP_ON) == [Linked("1", "T-1", "100", note=MATCHED)]


def test_the_duplicate_check_compares_by_list_id_when_the_block_gave_ids():
    facts = {"existing": [entry("T-1", **ROOF)]}
    record = block("1", employee=None, employee_id="80000005-1", customer_id="8000000C-1",
                   item_id="80000013-1")
    assert export(record, facts=facts, company=DUP_ON) == [Linked("1", "T-1", "100", note=MATCHED)]


@pytest.mark.parametrize("difference", [
    {"minutes": 450}, {"date": "2026-11-21"}, {"entity": "john smith", "entity_id": "80000006-1"},
    {"customer": "baker bakery", "customer_id": "8000000E-1"}, {"item": None, "item_id": None},
])
def test_an_entry_differing_in_person_date_customer_item_or_duration_is_not_a_duplicate(difference):
    facts = {"existing": [entry("T-1", **{**ROOF, **difference})]}
    record = block("1", customer="Acme Corp:Roof repair", item="Labor")
    assert tags(export(record, facts=facts, company=DUP_ON)) == ["TimeTrackingAddRq"]


def test_one_entry_is_matched_by_one_block_only_and_never_one_already_linked():
    facts = {"existing": [entry("T-1"), entry("T-2")]}
    items = export(block("a"), block("b"), block("c"), facts=facts, company=DUP_ON, links={"T-1": "old"})
    assert items[:1] == [Linked("a", "T-2", "100", note=MATCHED)]
    assert tags(items[1:]) == ["TimeTrackingAddRq", "TimeTrackingAddRq"]


def test_without_the_duplicate_check_existing_time_is_added_again():
    facts = {"existing": [entry("T-1")]}
    assert tags(export(block("1"), facts=facts)) == ["TimeTrackingAddRq"]


def test_a_lookup_s_candidates_are_shared_out_so_identical_blocks_get_their_own_entries():
    facts = {"recovered": {"t1": [entry("T-1"), entry("T-2")], "t2": [entry("T-1"), entry("T-2")],
                           "t3": [entry("T-1")]}}
    items = export(block("t1"), block("t2"), block("t3"), facts=facts)
    assert items[:2] == [Linked("t1", "T-1", "100", note=FOUND), Linked("t2", "T-2", "100", note=FOUND)]
    assert tags(items[2:]) == ["TimeTrackingAddRq"]  # its only candidate was the other twin's: not sent


def test_a_block_sent_before_is_linked_only_to_an_entry_with_every_field_of_it():
    facts = {"existing": [entry("T-1", notes="other notes"), entry("T-2", notes="mine")]}
    retried = block("1", notes="mine", attempts=2)
    assert export(retried, facts=facts) == [Linked("1", "T-2", "100", note=FOUND)]
    assert tags(export(replace(retried, attempts=0), facts=facts)) == ["TimeTrackingAddRq"]


# --- synced blocks edited under edits=update ------------------------------------------------------------
def synced(**fields):
    before = {"employee": "Jane Doe", "date": "2026-11-20", "minutes": 480, "customer": "Acme Corp",
              "item": "Labor", "notes": "before"}
    return block("18", qb_id="T-18", edit_sequence="7", synced=before,
                 **{"customer": "Acme Corp", "item": "Labor", "notes": "after", **fields})


def test_an_edited_synced_block_becomes_a_mod_with_its_txn_id_and_edit_sequence():
    (item,) = export(synced(hours=7))
    mod = item.body.find("TimeTrackingMod")
    assert (item.body.tag, item.local_key, item.purpose) == ("TimeTrackingModRq", "18", Purpose.EXPORT)
    assert [mod.findtext(tag) for tag in ("TxnID", "EditSequence", "Duration", "Notes")] == [
        "T-18", "7", "PT7H0M", "after"]


def test_a_synced_block_without_edit_sequence_is_re_read_first():
    (item,) = export(replace(synced(), edit_sequence=None))
    assert (item.purpose, item.local_key, item.body.tag, item.body.findtext("TxnID")) == (
        Purpose.LOOKUP, "18", "TimeTrackingQueryRq", "T-18")


def test_a_mod_waits_for_missing_names_too():
    facts = {"asked:customer": ["baker bakery:gone"], "found:customer": []}
    (item,) = export(synced(customer="Baker Bakery:Gone"), facts=facts)
    assert item == Waiting("18", (("customer/job", "Baker Bakery:Gone"),))


@pytest.mark.parametrize(("removed", "what", "value"), [
    ({"customer": None, "item": None}, "customer/job", "Acme Corp"),
    ({"item": None}, "service item", "Labor")])
def test_removing_a_reference_quickbooks_cannot_clear_is_rejected_with_the_fix(removed, what, value):
    (item,) = export(synced(**removed))
    assert isinstance(item, Rejected) and item.local_key == "18"
    assert item.reason == (
        f"Work block 18 (Jane Doe, 2026-11-20, 8h00): its {what} '{value}' was removed after the block was "
        "sent, and QuickBooks cannot clear it through qbbridge. Clear it on the entry in QuickBooks by "
        f"hand, or put the {what} back on the block, then submit it again.")


def test_a_stored_payload_that_no_longer_validates_is_rejected_not_sent():
    record = replace(block("5"), payload={"employee": "Jane Doe", "date": "2026-11-20", "minutes": 2000})
    (item,) = export(record)
    assert item == Rejected("5", "Work block 5: duration: 33h20 is more than a day. Correct the block and "
                                 "submit it again.")
