"""Time already typed into QuickBooks, end to end over SOAP (seed rule S8, and the duplicate check).

Rule: with ``timesheets.duplicate_check`` on, a block whose entry someone already typed into QuickBooks
(same person, date, customer:job, service item and duration; names compare case-insensitively) is
linked to that entry — "matched existing" — instead of added, and one hand-typed entry is matched by one
block only. With the check off (the default) the seed rule S8 holds: qbbridge does not know the entry,
and the block is added as a second one.
"""

from __future__ import annotations

import pytest
from timesheets_kit import (
    Block,
    adds_sent,
    assert_landed_once,
    configure,
    enter_by_hand,
    entry_of,
    entry_view,
    records,
    sent,
    serving,
    submit,
)

pytestmark = pytest.mark.e2e

MATCHED = "matched existing"
TYPED = Block(employee="Jane Doe", minutes=480, customer="Acme Corp:Roof repair", item="Labor",
              notes="typed in by the office", billable="Billable")


@pytest.fixture
def bridge(database_url, mockqb_quickbooks):
    yield from serving(database_url, mockqb_quickbooks)


def test_the_duplicate_check_links_the_typed_entry_and_adds_the_others(bridge, webconnector, mockqb_company,
                                                                       mockqb_quickbooks):
    configure(bridge, duplicate_check=True)
    typed = enter_by_hand(mockqb_quickbooks, TYPED)
    same = TYPED.but(employee="jane doe", customer="ACME Corp:Roof Repair", notes="block same")
    other = TYPED.but(minutes=240, notes="block other")  # same day and job, another duration
    submit(bridge, {"same": same, "other": other})

    result = webconnector.run_update()
    assert result.ok, result.summary()
    rows = records(bridge)
    assert (rows["same"]["state"], rows["same"]["qb_id"], rows["same"]["note"]) == ("synced", typed, MATCHED)
    assert entry_view(mockqb_company, entry_of(mockqb_company, typed)) == TYPED.entry()  # left as typed
    assert_landed_once(bridge, mockqb_company, {"other": other}, also=[TYPED])
    assert rows["other"]["note"] != MATCHED
    assert adds_sent(mockqb_quickbooks) == {"block other": 1}
    (query,) = [rq for rq in sent(mockqb_quickbooks, "TimeTrackingQueryRq")
                if rq.find("TxnDateRangeFilter") is not None]
    assert query.findtext("TxnDateRangeFilter/FromTxnDate") == TYPED.date


def test_one_typed_entry_is_matched_by_one_of_two_identical_blocks(bridge, webconnector, mockqb_company,
                                                                   mockqb_quickbooks):
    configure(bridge, duplicate_check=True)
    typed = enter_by_hand(mockqb_quickbooks, TYPED)
    twin = TYPED.but(notes=None)
    submit(bridge, {"first": twin, "second": twin})

    assert webconnector.run_update().ok
    rows = records(bridge)
    linked = {key for key, row in rows.items() if row["qb_id"] == typed}
    assert len(linked) == 1 and rows[linked.pop()]["note"] == MATCHED
    assert {row["state"] for row in rows.values()} == {"synced"}
    assert rows["first"]["qb_id"] != rows["second"]["qb_id"]
    assert len(mockqb_company.records("TimeTracking")) == 2
    assert len(sent(mockqb_quickbooks, "TimeTrackingAddRq")) == 1


def test_without_the_check_a_typed_entry_is_added_again_as_seed_rule_s8_says(
        bridge, webconnector, mockqb_company, mockqb_quickbooks):
    enter_by_hand(mockqb_quickbooks, TYPED)
    block = TYPED.but(notes="block same")
    submit(bridge, {"same": block})

    assert webconnector.run_update().ok
    assert_landed_once(bridge, mockqb_company, {"same": block}, also=[TYPED])  # two entries for one day
    assert records(bridge)["same"]["note"] != MATCHED
    assert sent(mockqb_quickbooks, "TimeTrackingQueryRq") == []  # nothing was checked
