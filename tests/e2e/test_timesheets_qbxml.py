"""Every request the timesheets plugin sends is valid qbXML 13.0 and 16.0, end to end over SOAP.

Rule: each module's ``bridge`` fixture checks, after its test, every request that test handed to
QuickBooks against both of Intuit's schemas (``timesheets_kit.serving``). Here one scenario makes the
plugin send every kind of request it has — preflight queries, the duplicate check, Add, Mod, the re-read
of a stale entry and the natural-key lookup — so that check covers them all; and a QuickBooks that
speaks qbXML 13.0 at most gets 13.0 message sets, which it validates itself before running them.
"""

from __future__ import annotations

import pytest
from e2e_harness import forget_stored_answers
from timesheets_kit import (
    FULL,
    Block,
    assert_landed_once,
    assert_valid_in_both_schemas,
    configure,
    edit_by_hand,
    message_sets,
    records,
    sent,
    serving,
    submit,
)

pytestmark = pytest.mark.e2e

EVERY_KIND = {"EntityQueryRq", "CustomerQueryRq", "ItemServiceQueryRq", "ClassQueryRq",
              "PayrollItemWageQueryRq", "TimeTrackingQueryRq", "TimeTrackingAddRq", "TimeTrackingModRq"}


@pytest.fixture
def bridge(database_url, mockqb_quickbooks):
    yield from serving(database_url, mockqb_quickbooks)


def test_every_kind_of_request_the_plugin_sends_is_valid_in_both_schemas(
        bridge, webconnector, mockqb_company, mockqb_quickbooks, mockqb_faults):
    configure(bridge, duplicate_check=True, edits="update")
    submit(bridge, {"full": FULL})
    first = webconnector.run_update()  # preflight queries, the duplicate check, the Add
    assert first.ok, first.summary()
    txn_id = records(bridge)["full"]["qb_id"]

    edit_by_hand(mockqb_quickbooks, txn_id, notes="changed in QuickBooks")
    edited = FULL.but(minutes=420, notes="edited")
    submit(bridge, {"full": edited})
    second = webconnector.run_update()  # a stale Mod, the re-read by TxnID, the Mod again
    assert second.ok, second.summary()

    later = Block(employee="Pat Contractor", date="2026-11-24", minutes=20, notes="later")
    submit(bridge, {"later": later})
    configure(bridge, preflight=False, duplicate_check=False)  # so the next update's first set is the Add
    mockqb_faults.lose_answer(message_sets(first, second) + 1)
    assert not webconnector.run_update().ok
    forget_stored_answers(mockqb_quickbooks)
    bridge.take_over()
    third = webconnector.run_update()  # the natural-key lookup of the lost Add
    assert third.ok, third.summary()
    assert_landed_once(bridge, mockqb_company, {"full": edited, "later": later})

    requests = sent(mockqb_quickbooks)
    assert EVERY_KIND <= {request.tag for request in requests}
    by_txn_id = [rq for rq in sent(mockqb_quickbooks, "TimeTrackingQueryRq") if rq.findtext("TxnID")]
    by_date = [rq for rq in sent(mockqb_quickbooks, "TimeTrackingQueryRq")
               if rq.find("TxnDateRangeFilter") is not None]
    assert by_txn_id and len(by_date) >= 2  # the duplicate check and the lookup
    assert assert_valid_in_both_schemas(requests) == len(requests)


def test_a_quickbooks_speaking_qbxml_13_gets_valid_13_0_message_sets(bridge, webconnector, mockqb_company,
                                                                     mockqb_quickbooks):
    versions = mockqb_company.info["SupportedQBXMLVersions"]
    mockqb_company.info["SupportedQBXMLVersions"] = versions[:versions.index("13.0") + 1]
    configure(bridge, duplicate_check=True)
    blocks = {"full": FULL, "vendor": Block(employee="Pat Contractor", customer="Baker Bakery",
                                            item="Consulting", billable="NotBillable", notes="vendor")}
    submit(bridge, blocks)
    result = webconnector.run_update()  # the simulator refuses a set that is not valid qbXML 13.0
    assert result.ok, result.summary()
    assert_landed_once(bridge, mockqb_company, blocks)
    assert all('<?qbxml version="13.0"?>' in xml for xml in mockqb_quickbooks.requests_seen)
    assert sent(mockqb_quickbooks, "TimeTrackingAddRq") and sent(mockqb_quickbooks, "EntityQueryRq")
