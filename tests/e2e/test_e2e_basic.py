"""The happy path and the first exactly-once guarantee, end to end over SOAP."""

from __future__ import annotations

import pytest
from e2e_harness import COMPANY, entries_by_key

pytestmark = pytest.mark.e2e


def test_an_update_sends_every_record_once_and_reads_with_an_iterator(bridge, webconnector, mockqb_company):
    bridge.submit_hours([f"b{n}" for n in range(7)])
    result = webconnector.run_update()
    assert result.ok and result.progress == 100, result.summary()
    assert entries_by_key(mockqb_company) == {f"b{n}": 1 for n in range(7)}
    assert set(bridge.states().values()) == {"synced"}
    customers = {row["name"] for row in bridge.host.importables(COMPANY, "lists")}
    assert customers == {record["FullName"] for record in mockqb_company.records("Customer")}


def test_a_lost_answer_is_recovered_by_the_next_update_without_a_duplicate(bridge, webconnector,
                                                                           mockqb_company, mockqb_faults):
    bridge.host.update_settings(COMPANY, read_lists=False)
    bridge.submit_hours([f"b{n}" for n in range(5)])
    mockqb_faults.lose_answer(2)  # the second write set: QuickBooks commits it, its answer never arrives
    first = webconnector.run_update()
    assert not first.ok
    # The Web Connector went silent: the set stays in flight until the update is taken over.
    assert sorted(bridge.states().values()) == ["in_flight"] * 2 + ["synced"] * 3
    assert webconnector.run_update().status == "Application Busy"
    bridge.clock.advance(bridge.settings.update_timeout_seconds + 1)
    second = webconnector.run_update()
    assert second.ok, second.summary()
    assert entries_by_key(mockqb_company) == {f"b{n}": 1 for n in range(5)}
    assert set(bridge.states().values()) == {"synced"}


@pytest.mark.parametrize("class_tracking", [True, False])
def test_plugins_learn_what_quickbooks_said_in_the_hcp_response(bridge, webconnector, mockqb_company,
                                                                class_tracking):
    from hours_plugin import ListsHandler

    mockqb_company.info["IsUsingClassTracking"] = class_tracking
    ListsHandler.seen.clear()
    assert webconnector.run_update().ok
    company = ListsHandler.seen[-1].company  # the context of the update's real plan (after the HCP)
    assert (company.class_tracking, company.country, company.qbxml_version) == (class_tracking, "US", "16.0")
    assert "QuickBooks" in company.product
