"""Lost answers after QuickBooks committed time entries, end to end over SOAP: exactly once.

Rule: whatever QuickBooks committed before an answer was lost is linked by the next update — from
QuickBooks' stored answer, or, when it kept none, by the plugin's natural-key lookup (person and date,
then the block's fields) — and never sent again; whatever it did not commit is sent exactly once.
The preflight is off here, so message set N of an update is export batch N (batch_size 3).
"""

from __future__ import annotations

import pytest
from e2e_harness import forget_stored_answers
from timesheets_kit import (
    Block,
    adds_sent,
    assert_landed_once,
    configure,
    records,
    sent,
    serving,
    states,
    submit,
)

pytestmark = pytest.mark.e2e

FOUND_NOTE = "found after a lost answer"
BLOCKS = {
    "b0": Block(notes="b0"),
    "b1": Block(employee="John Smith", customer="Acme Corp:Roof repair", item="Labor", notes="b1"),
    "b2": Block(employee="Maria Garcia", minutes=30, notes="b2"),
    "b3": Block(employee="Pat Contractor", customer="Baker Bakery", item="Consulting", billable="Billable",
                notes="b3"),
    "b4": Block(date="2026-11-21", minutes=450, klass="Office", payroll_item="Regular Pay", notes="b4"),
    "b5": Block(employee="Lee Partner", minutes=15, notes="b5"),
    "b6": Block(employee="John Smith", date="2026-11-22", notes="b6"),
    "b7": Block(customer="Baker Bakery:Kitchen remodel", item="Installation", billable="NotBillable",
                notes="b7"),
}
SECOND_SET = ["b3", "b4", "b5"]


@pytest.fixture
def bridge(database_url, mockqb_quickbooks):
    yield from serving(database_url, mockqb_quickbooks)


@pytest.fixture(autouse=True)
def _no_preflight(bridge):
    configure(bridge, preflight=False)


def _lookups(quickbooks) -> list:
    """Natural-key lookups: TimeTrackingQuery by date range (not by TxnID)."""
    return [rq for rq in sent(quickbooks, "TimeTrackingQueryRq") if rq.find("TxnDateRangeFilter") is not None]


@pytest.mark.parametrize("stored_answer", [True, False], ids=["stored-answer", "natural-key-lookup"])
def test_a_lost_answer_after_quickbooks_committed_a_batch_leaves_each_entry_once(
        bridge, webconnector, mockqb_company, mockqb_quickbooks, mockqb_faults, stored_answer):
    submit(bridge, BLOCKS)
    mockqb_faults.lose_answer(2)
    first = webconnector.run_update()
    assert not first.ok
    assert [key for key, state in states(bridge).items() if state == "in_flight"] == SECOND_SET
    assert len(mockqb_company.records("TimeTracking")) == 6  # QuickBooks committed sets 1 and 2
    if not stored_answer:
        forget_stored_answers(mockqb_quickbooks)

    bridge.take_over()
    second = webconnector.run_update()
    assert second.ok and second.progress == 100, second.summary()
    assert_landed_once(bridge, mockqb_company, BLOCKS)
    assert adds_sent(mockqb_quickbooks) == dict.fromkeys(BLOCKS, 1)  # nothing was sent twice
    notes = {key: row["note"] for key, row in records(bridge).items() if key in SECOND_SET}
    if stored_answer:
        assert "3 recovered" in second.close_message and _lookups(mockqb_quickbooks) == []
    else:
        assert notes == dict.fromkeys(SECOND_SET, FOUND_NOTE)
        assert len(_lookups(mockqb_quickbooks)) == len(SECOND_SET)


def test_lookups_tell_identical_blocks_of_a_lost_set_apart(bridge, webconnector, mockqb_company,
                                                           mockqb_quickbooks, mockqb_faults):
    """Two one-hour blocks of the same person, day and job without notes look the same in QuickBooks;
    each must be linked to its own entry, never both to one (which would leave one entry unlinked)."""
    twin = Block(minutes=60, customer="Acme Corp:Roof repair", item="Labor", billable="Billable")
    blocks = {"t1": twin, "t2": twin, "t3": Block(employee="John Smith", notes="t3")}
    submit(bridge, blocks)
    mockqb_faults.lose_answer(1)
    assert not webconnector.run_update().ok
    assert len(mockqb_company.records("TimeTracking")) == 3
    forget_stored_answers(mockqb_quickbooks)

    bridge.take_over()
    second = webconnector.run_update()
    assert second.ok, second.summary()
    assert_landed_once(bridge, mockqb_company, blocks)
    assert len(sent(mockqb_quickbooks, "TimeTrackingAddRq")) == 3


def test_lookups_link_what_landed_before_a_refusal_and_send_the_rest_once(bridge, webconnector,
                                                                          mockqb_company, mockqb_quickbooks,
                                                                          mockqb_faults):
    """One set of three whose answer is lost after QuickBooks stopped at its second request (an unknown
    employee): only the first landed. With no stored answer, lookups link it — the lookup of the block
    naming the unknown employee finds nothing rather than failing — and the two others are sent once
    the employee exists."""
    blocks = {"a": Block(notes="a"), "b": Block(employee="Jane Roe", notes="b"),
              "c": Block(employee="John Smith", notes="c")}
    submit(bridge, blocks)
    mockqb_faults.lose_answer(1)
    assert not webconnector.run_update().ok
    assert [entry["Notes"] for entry in mockqb_company.records("TimeTracking")] == ["a"]
    forget_stored_answers(mockqb_quickbooks)

    bridge.take_over()
    second = webconnector.run_update()
    assert not second.ok and "'Jane Roe'" in second.status, second.summary()
    assert records(bridge)["a"]["note"] == FOUND_NOTE
    assert states(bridge) == {"a": "synced", "b": "pending", "c": "pending"}

    mockqb_company.add_list_element("Employee", "Jane Roe", FirstName="Jane", LastName="Roe")
    third = webconnector.run_update()
    assert third.ok, third.summary()
    assert_landed_once(bridge, mockqb_company, blocks)
    assert adds_sent(mockqb_quickbooks)["a"] == 1
