"""Work blocks reach QuickBooks' timesheets, end to end over SOAP (seed rules S1, S2, S4, S6; the period).

Rule: every block inside the selected period goes out as its own TimeTrackingAdd once, lands with every
field it gave, is linked to its TxnID and is never sent again; the company file is the judge.
"""

from __future__ import annotations

import pytest
from e2e_harness import COMPANY
from timesheets_kit import (
    FULL,
    TYPE,
    Block,
    adds_sent,
    assert_landed_once,
    configure,
    entry_of,
    entry_view,
    records,
    sent,
    serving,
    states,
    status,
    submit,
)

pytestmark = pytest.mark.e2e

ADD_FIELDS = ["TxnDate", "EntityRef", "CustomerRef", "ItemServiceRef", "Duration", "ClassRef",
              "PayrollItemWageRef", "Notes", "BillableStatus"]


@pytest.fixture
def bridge(database_url, mockqb_quickbooks):
    yield from serving(database_url, mockqb_quickbooks)


def _add_for(quickbooks, notes: str):
    (add,) = [rq.find("TimeTrackingAdd") for rq in sent(quickbooks, "TimeTrackingAddRq")
              if rq.findtext("TimeTrackingAdd/Notes") == notes]
    return add


# --- S1: the Web Connector starts the update ------------------------------------------------------


def test_with_nothing_due_authenticate_answers_none(bridge, webconnector, mockqb_quickbooks):
    result = webconnector.run_update()
    assert result.ok and result.status == "No data exchange required", result.summary()
    assert result.calls("authenticate")[0].reply[1] == "none"
    assert "sendRequestXML" not in result.ops and sent(mockqb_quickbooks) == []


def test_an_update_from_the_web_connector_sends_the_due_blocks_and_says_so(bridge, webconnector,
                                                                           mockqb_company):
    blocks = {f"w{n}": Block(minutes=60 * (n + 1), notes=f"block w{n}") for n in range(4)}
    submit(bridge, blocks)
    result = webconnector.run_update()
    assert result.ok and result.progress == 100, result.summary()
    assert result.ops[-1] == "closeConnection" and "4 synced" in result.close_message
    assert_landed_once(bridge, mockqb_company, blocks)
    assert status(bridge)["last_sync"] is not None and status(bridge)["synced"] == 4


# --- S2: one TimeTrackingAdd per block, every field ------------------------------------------------


def test_each_block_goes_out_as_one_time_tracking_add_with_every_field(bridge, webconnector, mockqb_company,
                                                                       mockqb_quickbooks):
    blocks = {
        "full": FULL,
        "vendor": Block(employee="Pat Contractor", minutes=90, customer="Baker Bakery:Kitchen remodel",
                        item="Installation", klass="Office", notes="Subcontracted tiling",
                        billable="NotBillable", duration_as="clock"),
        "other": Block(employee="Lee Partner", minutes=45, notes="Partner review", duration_as="iso"),
        "bare": Block(employee="John Smith", date="2026-11-21", minutes=30, notes="no customer, no item"),
    }
    submit(bridge, blocks)
    result = webconnector.run_update()
    assert result.ok, result.summary()
    assert_landed_once(bridge, mockqb_company, blocks)
    assert adds_sent(mockqb_quickbooks) == {block.notes: 1 for block in blocks.values()}

    full = _add_for(mockqb_quickbooks, FULL.notes)
    assert [child.tag for child in full] == ADD_FIELDS  # the schema's order, no ExternalGUID
    assert full.findtext("Duration") == "PT7H30M" and full.findtext("EntityRef/FullName") == "Jane Doe"
    assert _add_for(mockqb_quickbooks, "Partner review").findtext("Duration") == "PT0H45M"
    bare = _add_for(mockqb_quickbooks, "no customer, no item")
    assert [child.tag for child in bare] == ["TxnDate", "EntityRef", "Duration", "Notes"]


def test_blocks_naming_quickbooks_list_ids_land_on_those_names(bridge, webconnector, mockqb_company,
                                                               mockqb_quickbooks):
    def list_id(kind: str, full_name: str) -> str:
        return mockqb_company.find_by_name((kind,), full_name)[1]["ListID"]

    payload = {"employee_id": list_id("Employee", "Maria Garcia"),
               "customer_id": list_id("Customer", "Acme Corp:Roof repair:Phase 2"),
               "item_id": list_id("ItemService", "Consulting"), "date": "2026-11-19", "minutes": 75,
               "notes": "by ids", "billable": "yes"}
    report = bridge.host.submit(COMPANY, TYPE, [("ids", payload)])
    assert report.added == 1 and report.invalid == []
    assert webconnector.run_update().ok
    expected = Block(employee="Maria Garcia", date="2026-11-19", minutes=75,
                     customer="Acme Corp:Roof repair:Phase 2", item="Consulting", notes="by ids",
                     billable="Billable")
    assert_landed_once(bridge, mockqb_company, {"ids": expected})
    add = _add_for(mockqb_quickbooks, "by ids")
    assert add.findtext("EntityRef/ListID") == payload["employee_id"]
    assert add.find("EntityRef/FullName") is None


# --- S4 and S6: linked once, never again; later blocks go out later ---------------------------------


def test_a_synced_block_keeps_its_txn_id_and_is_never_sent_again(bridge, webconnector, mockqb_company,
                                                                 mockqb_quickbooks):
    blocks = {"a": Block(notes="block a"), "b": FULL}
    submit(bridge, blocks)
    assert webconnector.run_update().ok
    txn_ids = {key: row["qb_id"] for key, row in records(bridge).items()}
    assert {key: entry_view(mockqb_company, entry_of(mockqb_company, txn))
            for key, txn in txn_ids.items()} == {key: block.entry() for key, block in blocks.items()}

    bridge.restart()  # what was stored survives a server restart
    again = webconnector.run_update()
    assert again.ok and again.status == "No data exchange required", again.summary()
    assert_landed_once(bridge, mockqb_company, blocks)
    assert {key: row["qb_id"] for key, row in records(bridge).items()} == txn_ids
    assert adds_sent(mockqb_quickbooks) == {"block a": 1, FULL.notes: 1}


def test_blocks_added_after_an_update_go_out_on_the_next_one(bridge, webconnector, mockqb_company,
                                                             mockqb_quickbooks):
    first = {"a": Block(notes="block a"), "b": Block(employee="John Smith", notes="block b")}
    submit(bridge, first)
    assert webconnector.run_update().ok
    later = {"c": Block(date="2026-11-23", minutes=120, notes="block c"),
             "d": Block(employee="Maria Garcia", minutes=15, notes="block d")}
    submit(bridge, later)
    assert states(bridge) == {"a": "synced", "b": "synced", "c": "pending", "d": "pending"}
    result = webconnector.run_update()
    assert result.ok and "2 synced" in result.close_message, result.summary()
    assert_landed_once(bridge, mockqb_company, {**first, **later})
    assert adds_sent(mockqb_quickbooks) == {f"block {key}": 1 for key in "abcd"}


# --- the selected period ----------------------------------------------------------------------------


def test_only_blocks_inside_the_selected_period_are_sent(bridge, webconnector, mockqb_company,
                                                         mockqb_quickbooks):
    configure(bridge, period_start="2026-11-16", period_end="2026-11-22")
    inside = {"first-day": Block(date="2026-11-16", notes="first day"),
              "last-day": Block(date="2026-11-22", notes="last day")}
    outside = {"before": Block(date="2026-11-15", notes="before"),
               "after": Block(date="2026-11-23", notes="after")}
    submit(bridge, {**inside, **outside})
    assert webconnector.run_update().ok
    assert_landed_once(bridge, mockqb_company, inside)
    rows = records(bridge)
    assert {key: (rows[key]["state"], rows[key]["error"]) for key in outside} == dict.fromkeys(
        outside, ("pending", None))
    assert set(adds_sent(mockqb_quickbooks)) == {"first day", "last day"}

    configure(bridge, period_start=None, period_end=None)  # the default: every unsent block
    assert webconnector.run_update().ok
    assert_landed_once(bridge, mockqb_company, {**inside, **outside})
