"""Error policies end to end: ``continue`` sends past a failure, holds what depends on it, reports all.

Rule: under ``error_policy="continue"`` QuickBooks runs every request of a set (continueOnError); a
failing record goes back to pending with its error, a record that depends on it is held (never sent
with a broken reference), a locally rejected record never reaches QuickBooks, and the update ends with
negative progress and one getLastError listing every record that needs attention.
"""

from __future__ import annotations

import pytest
from e2e_harness import COMPANY, adds_seen, assert_exactly_once, entries_by_key

pytestmark = pytest.mark.e2e

NOBODY = "Nobody Here"


@pytest.fixture
def continuing(bridge):
    bridge.restart(error_policy="continue")
    bridge.host.update_settings(COMPANY, read_lists=False)
    bridge.submit_hours(["a"])
    bridge.submit_hours(["b"], employee=NOBODY)          # QuickBooks has no such employee: 3140
    bridge.submit_hours(["c", "d", "e"])
    bridge.submit_hours(["f"], after=["b"])              # depends on the failing one
    bridge.submit_hours(["g"], reject="no customer given")  # refused locally
    return bridge


def _records(bridge) -> dict[str, dict]:
    return {row["id"]: row for row in bridge.host.records(COMPANY, "hours")}


def test_continue_sends_past_a_failure_and_holds_its_dependants(continuing, webconnector, mockqb_company,
                                                                mockqb_quickbooks):
    result = webconnector.run_update()
    assert not result.ok and result.calls("receiveResponseXML")[-1].reply < 0
    assert entries_by_key(mockqb_company) == {"a": 1, "c": 1, "d": 1, "e": 1}
    records = _records(continuing)
    assert {key: row["state"] for key, row in records.items()} == {
        "a": "synced", "b": "pending", "c": "synced", "d": "synced", "e": "synced", "f": "held",
        "g": "rejected"}
    assert "QuickBooks status 3140" in records["b"]["error"] and NOBODY in records["b"]["error"]
    assert "needs hours b first" in records["f"]["error"]
    assert "no customer given" in records["g"]["error"]
    # one getLastError names every record that needs attention
    assert result.status.startswith("3 record(s) need attention:")
    for message in (records["b"]["error"], records["f"]["error"], records["g"]["error"]):
        assert message in result.status
    assert set(adds_seen(mockqb_quickbooks)) == set("abcde")  # f held and g rejected: never sent
    status = continuing.host.status(COMPANY)["hours"]
    assert (status["synced"], status["pending"], status["held"], status["rejected"]) == (4, 1, 1, 1)


def test_once_the_cause_is_fixed_the_failed_and_held_records_go_through_once(continuing, webconnector,
                                                                           mockqb_company, mockqb_quickbooks):
    assert not webconnector.run_update().ok
    mockqb_company.add_list_element("Employee", NOBODY, FirstName="Nobody", LastName="Here")
    result = webconnector.run_update()
    assert result.ok and result.progress == 100, result.summary()
    assert_exactly_once(continuing, mockqb_company, "abcdef")
    assert _records(continuing)["g"]["state"] == "rejected"
    assert "g" not in adds_seen(mockqb_quickbooks)


def test_a_rejected_record_goes_out_once_the_host_fixes_it(continuing, webconnector, mockqb_company):
    mockqb_company.add_list_element("Employee", NOBODY, FirstName="Nobody", LastName="Here")
    assert not webconnector.run_update().ok  # g is rejected, so the update reports it
    continuing.submit_hours(["g"])  # edited: no more "reject"
    result = webconnector.run_update()
    assert result.ok, result.summary()
    assert_exactly_once(continuing, mockqb_company, "abcdefg")


def test_stop_policy_holds_nothing_back_after_the_failing_set(bridge, webconnector, mockqb_company):
    """The default policy for contrast: the update stops at the first failure, later sets wait."""
    bridge.host.update_settings(COMPANY, read_lists=False)
    bridge.submit_hours(["a"])
    bridge.submit_hours(["b"], employee=NOBODY)
    bridge.submit_hours(["c", "d", "e"])
    result = webconnector.run_update()
    assert not result.ok
    assert entries_by_key(mockqb_company) == {"a": 1}
    assert bridge.states() == {"a": "synced", "b": "pending", "c": "pending", "d": "pending", "e": "pending"}
