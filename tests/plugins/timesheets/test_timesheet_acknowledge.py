"""``acknowledge``: QuickBooks' answers — from the QuickBooks simulator wherever it can give them — become
Linked, Failed (naming the block, the value and the fix), Stale, Absent or Facts."""

from __future__ import annotations

import dataclasses

import pytest
from timesheet_kit import HANDLER, acknowledge, block, entries, export, list_id, send

from qbbridge.core import Absent, Facts, Failed, Linked, Purpose, QbResult, QbStatus, SentRequest, Stale
from qbbridge.mockqb import by_hand

LABEL = "Work block 18 (Jane Doe, 2026-11-20, 8h00)"
AGAIN = "then click Update Selected again."


def add(quickbooks, record, **options):
    (request,) = export(record)
    return acknowledge(quickbooks, request, **options)


@pytest.mark.parametrize("version", ["13.0", "16.0"])
def test_an_added_block_is_linked_to_its_new_entry(mockqb_quickbooks, version):
    record = block("18", customer="Acme Corp:Roof repair", item="Labor", **{"class": "Field:North"},
                   payroll_item="Regular Pay", notes="Framing", billable=True)
    (outcome,) = add(mockqb_quickbooks, record, version=version)
    (stored,) = entries(mockqb_quickbooks)
    assert outcome == Linked("18", stored["TxnID"], stored["EditSequence"])
    assert (stored["Duration"], stored["Notes"], stored["BillableStatus"]) == (
        "PT8H0M0S", "Framing", "Billable")
    assert stored["ClassRef"] == list_id(mockqb_quickbooks, "Class", "Field:North")


def test_a_block_given_by_list_ids_lands_on_those_names(mockqb_quickbooks):
    vendor = list_id(mockqb_quickbooks, "Vendor", "Pat Contractor")
    job = list_id(mockqb_quickbooks, "Customer", "Baker Bakery:Kitchen remodel")
    record = block("v", employee=None, employee_id=vendor, customer_id=job, item="Installation")
    (outcome,) = add(mockqb_quickbooks, record)
    (stored,) = entries(mockqb_quickbooks)
    assert isinstance(outcome, Linked) and (stored["EntityRef"], stored["CustomerRef"]) == (vendor, job)


# --- refusals -------------------------------------------------------------------------------------------
def failure(quickbooks, record) -> Failed:
    (outcome,) = add(quickbooks, record)
    assert isinstance(outcome, Failed) and outcome.local_key == record.local_key
    assert entries(quickbooks) == []
    return outcome


@pytest.mark.parametrize(("fields", "named", "where"), [
    ({"employee": "Jane Roe"}, "employee 'Jane Roe'",
     "Add the employee in QuickBooks (Employee Center), or the vendor (Vendor Center) or other name "
     "(Lists > Other Names List) the time belongs to"),
    ({"employee": "Former Worker"}, "employee 'Former Worker'", "Add the employee in QuickBooks"),
    ({"customer": "Acme Corp:Gutters"}, "customer/job 'Acme Corp:Gutters'",
     "Add it in QuickBooks (Customer Center)"),
    ({"customer": "Closed Co"}, "customer/job 'Closed Co'", "Add it in QuickBooks (Customer Center)"),
    ({"customer": "Acme Corp", "item": "Painting"}, "service item 'Painting'",
     "Add it in QuickBooks as a service item (Lists > Item List)"),
    ({"class": "Field:East"}, "class 'Field:East'", "Add it in QuickBooks (Lists > Class List)"),
    ({"payroll_item": "Holiday Pay"}, "payroll item 'Holiday Pay'",
     "Add it in QuickBooks as a wage payroll item (Lists > Payroll Item List)"),
    ({"employee": None, "employee_id": "80000099-1"}, "employee with ListID '80000099-1'",
     "Add the employee in QuickBooks"),
])
def test_a_name_quickbooks_lacks_fails_naming_the_block_the_name_and_where_to_add_it(
        mockqb_quickbooks, fields, named, where):
    outcome = failure(mockqb_quickbooks, block("18", **fields))
    assert outcome.status.code == 3140
    assert outcome.message.startswith("Work block 18 (")
    assert f": QuickBooks has no {named}, or it is inactive. " in outcome.message
    assert where in outcome.message
    assert outcome.message.endswith(f", or make it active, or correct the work block, {AGAIN}")


def test_the_exact_message_for_a_missing_job(mockqb_quickbooks):
    outcome = failure(mockqb_quickbooks, block("18", customer="Acme Corp:Gutters"))
    assert outcome.message == (
        f"{LABEL}: QuickBooks has no customer/job 'Acme Corp:Gutters', or it is inactive. Add it in "
        f"QuickBooks (Customer Center), or make it active, or correct the work block, {AGAIN}")


@pytest.mark.parametrize(("fields", "text"), [
    ({"employee": "Acme Corp"},
     "the name 'Acme Corp' in QuickBooks is a customer or job, and time is recorded only for an employee, a "
     "vendor or an other name. Correct the block's employee"),
    ({"customer": "Pat Contractor"},
     "the name 'Pat Contractor' in QuickBooks is an employee, a vendor or an other name, not a customer/job. "
     "Correct the block's customer/job"),
])
def test_a_name_of_the_wrong_kind_fails_saying_what_it_is(mockqb_quickbooks, fields, text):
    outcome = failure(mockqb_quickbooks, block("18", **fields))
    assert outcome.message.endswith(f": {text}, {AGAIN}"), outcome.message


def test_a_vendor_s_time_with_a_payroll_item_fails_saying_to_remove_it(mockqb_quickbooks):
    outcome = failure(mockqb_quickbooks, block("18", employee="Pat Contractor", payroll_item="Regular Pay"))
    assert outcome.status.code == 3180
    assert outcome.message == (
        "Work block 18 (Pat Contractor, 2026-11-20, 8h00): 'Pat Contractor' is not an employee (a vendor or "
        "other name), so the time cannot carry payroll item 'Regular Pay'. Remove the payroll item from the "
        f"block, or record the time for an employee, {AGAIN}")


def test_a_class_while_class_tracking_is_off_fails_saying_how_to_turn_it_on(mockqb_quickbooks):
    mockqb_quickbooks.company.info["IsUsingClassTracking"] = False
    outcome = failure(mockqb_quickbooks, block("18", **{"class": "Office"}))
    assert outcome.status.code == 3250
    assert outcome.message.startswith(f"{LABEL}: class tracking is turned off in QuickBooks, so it cannot "
                                      "take the block's class 'Office'. Turn on class tracking")


def test_a_date_in_a_closed_period_fails_naming_the_date(mockqb_quickbooks):
    mockqb_quickbooks.company.info["ClosingDate"] = "2026-11-30"
    outcome = failure(mockqb_quickbooks, block("18"))
    assert outcome.message.startswith(f"{LABEL}: its date 2026-11-20 is on or before the company file's "
                                      "closing date")


def fabricated(code: int, message: str, tag: str = "TimeTrackingAddRs") -> list:
    (request,) = export(block("18"))
    sent = SentRequest("r1", "timesheets", Purpose.EXPORT, request.body, "18", request.label)
    return list(HANDLER.acknowledge(sent, QbResult("r1", tag, QbStatus(code, "Error", message))))


def test_an_unknown_refusal_gets_the_generic_message_and_keeps_quickbooks_status():
    (outcome,) = fabricated(3210, 'The "Duration" field has an invalid value "PT99H".')
    assert outcome == Failed("18", f"{LABEL}: QuickBooks refused the work block. Correct it if QuickBooks' "
                                   f"reason below points at one of its fields, {AGAIN}",
                             QbStatus(3210, "Error", 'The "Duration" field has an invalid value "PT99H".'))


def test_a_busy_list_says_there_is_nothing_to_fix():
    (outcome,) = fabricated(3170, "There was an error when saving a TimeTracking.  QuickBooks error message: "
                                  "This list has been modified by another user.")
    assert outcome.message == (f"{LABEL}: QuickBooks was busy (someone was changing the same list). "
                               f"Nothing to fix: {AGAIN}")


# --- Mod, stale, deleted --------------------------------------------------------------------------------
def linked(quickbooks, **edits):
    """Block 18 added to QuickBooks, then edited by the host: the synced record due again."""
    first = block("18", customer="Acme Corp", item="Labor", notes="before")
    (added,) = add(quickbooks, first)
    edited = block("18", qb_id=added.qb_id, edit_sequence=added.edit_sequence, synced=first.payload,
                   customer="Acme Corp", item="Labor", **{"notes": "after", **edits})
    return added, edited


def test_an_edit_is_sent_as_a_mod_and_linked_with_the_new_edit_sequence(mockqb_quickbooks):
    added, edited = linked(mockqb_quickbooks, hours=6)
    (outcome,) = add(mockqb_quickbooks, edited)
    (stored,) = entries(mockqb_quickbooks)
    assert outcome == Linked("18", added.qb_id, stored["EditSequence"])
    assert stored["EditSequence"] != added.edit_sequence
    assert (stored["Duration"], stored["Notes"]) == ("PT6H0M0S", "after")


def test_a_mod_after_a_change_in_quickbooks_is_stale_and_the_re_read_gives_the_new_edit_sequence(
        mockqb_quickbooks):
    added, edited = linked(mockqb_quickbooks)
    by_hand.change_time(mockqb_quickbooks.company, added.qb_id, notes="changed by hand")
    assert add(mockqb_quickbooks, edited) == [Stale("18", (
        f"{LABEL}: the time entry was changed in QuickBooks since qbbridge last read it; it is read again "
        "and the edit sent once more."))]
    (stored,) = entries(mockqb_quickbooks)
    assert stored["Notes"] == "changed by hand"
    assert acknowledge(mockqb_quickbooks, HANDLER.lookup(edited)) == [Absent("18", stored["EditSequence"])]


def test_a_re_read_of_an_entry_already_as_the_block_says_links_it(mockqb_quickbooks):
    added, _ = linked(mockqb_quickbooks)
    unchanged = block("18", qb_id=added.qb_id, customer="acme corp", item="LABOR", notes="before")
    assert acknowledge(mockqb_quickbooks, HANDLER.lookup(unchanged)) == [
        Linked("18", added.qb_id, added.edit_sequence, note="QuickBooks already had this version")]


@pytest.mark.parametrize("how", ["mod", "re-read"])
def test_an_entry_deleted_in_quickbooks_fails_saying_so(mockqb_quickbooks, how):
    gone = block("18", qb_id="8000FFFF-1", edit_sequence="1", synced={"employee": "Jane Doe"})
    request = export(gone)[0] if how == "mod" else HANDLER.lookup(gone)
    (outcome,) = acknowledge(mockqb_quickbooks, request)
    assert isinstance(outcome, Failed) and outcome.status.code == (3120 if how == "mod" else 500)
    assert outcome.message == (
        f"{LABEL}: the QuickBooks time entry 8000FFFF-1 this block was sent as no longer exists (it was "
        "deleted in QuickBooks), so the edit cannot be sent. Enter the time in QuickBooks again, or submit "
        "the block under a new id to add it as a new entry.")


# --- natural-key lookups ----------------------------------------------------------------------------------
def test_a_lookup_that_finds_the_block_hands_its_entries_to_export(mockqb_quickbooks):
    record = block("18", customer="Acme Corp:Roof repair", item="Labor", notes="lost")
    (added,) = add(mockqb_quickbooks, record)
    by_hand.enter_time(mockqb_quickbooks.company, entity="Jane Doe", duration="PT8H", date="2026-11-20",
                       customer="Acme Corp:Roof repair", item="Labor", notes="other")
    facts, absent = acknowledge(mockqb_quickbooks, HANDLER.lookup(record))
    assert absent == Absent("18")
    assert isinstance(facts, Facts)
    ((key, found),) = facts.values["recovered"].items()
    assert key == "18" and [entry["txn_id"] for entry in found] == [added.qb_id]


@pytest.mark.parametrize("version", ["13.0", "16.0"])
def test_a_lookup_that_finds_nothing_is_absent(mockqb_quickbooks, version):
    add(mockqb_quickbooks, block("other", notes="not this one"))
    assert acknowledge(mockqb_quickbooks, HANDLER.lookup(block("18")), version=version) == [Absent("18")]
    vendor = block("19", employee=None, employee_id=list_id(mockqb_quickbooks, "Vendor", "Pat Contractor"))
    assert acknowledge(mockqb_quickbooks, HANDLER.lookup(vendor), version=version) == [Absent("19")]


def test_a_lookup_that_cannot_tell_leaves_the_block_as_it_is(mockqb_quickbooks):
    request = HANDLER.lookup(block("18"))
    sent, _ = send(mockqb_quickbooks, request)
    error = QbResult("r1", "TimeTrackingQueryRs", QbStatus(1000, "Error", "Internal error"))
    assert HANDLER.acknowledge(sent, error) == []
    blind = dataclasses.replace(request, context={})  # without the block it asks about, nothing compares
    assert acknowledge(mockqb_quickbooks, blind) == []


@pytest.mark.parametrize(("code", "severity"), [(0, "Info"), (1000, "Error")])
def test_a_re_read_answer_without_the_entry_or_its_absence_settles_nothing(code, severity):
    request = HANDLER.lookup(block("18", qb_id="8000001D-1", edit_sequence="1"))
    sent = SentRequest("r1", "timesheets", Purpose.LOOKUP, request.body, "18", request.label)
    result = QbResult("r1", "TimeTrackingQueryRs", QbStatus(code, severity, "no entry returned"))
    assert HANDLER.acknowledge(sent, result) == []
