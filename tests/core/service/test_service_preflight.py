"""The contract's preflight and edit parts, through the real service and store (``preflight_plugin.py``):
``Facts`` from reads reach ``export``; ``Waiting`` records make one message and stay unsent; ``Linked``
from ``export`` links without a request; ``resend_edits`` turns an edit into a Mod; ``Stale`` re-reads and
sends the Mod again, once per update."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from preflight_plugin import PreflightPlugin
from service_kit import COMPANY, Harness, tags_of

WAIT_FIX = "Add them in QuickBooks, then click Update Selected again."


@pytest.fixture
def make_pre(make_svc: Callable[..., Harness]) -> Callable[..., Harness]:
    return lambda **overrides: make_svc(PreflightPlugin(), **overrides)


def entry(employee: str = "Jane Doe", minutes: int = 60, **extra: Any) -> dict[str, Any]:
    return {"date": "2026-11-20", "employee": employee, "minutes": minutes, **extra}


def entries_in_quickbooks(harness: Harness) -> list[dict[str, Any]]:
    return harness.quickbooks.company.records("TimeTracking")


def states(harness: Harness) -> dict[str, str]:
    return harness.states("entries")


def last_error(harness: Harness, ticket: str) -> str:
    return harness.service.get_last_error(ticket)


def submit(harness: Harness, **entries: dict[str, Any]) -> None:
    harness.submit("entries", list(entries.items()))


def synced_under_update_policy(pre: Harness) -> None:
    """Edits after sync are sent (``entries.edits=update``); block b1 (notes "first") has synced."""
    pre.app.host.update_settings(COMPANY, **{"entries.edits": "update"})
    submit(pre, b1=entry(notes="first"))
    pre.update()


def test_every_missing_name_is_reported_in_one_message_and_nothing_is_sent_under_stop(make_pre) -> None:
    pre = make_pre()
    submit(pre, b1=entry("Jane Roe"), b2=entry("Jane Roe", 30), b3=entry("Pat Nobody"), b4=entry())
    ticket = pre.start()
    exchange = pre.run(ticket)  # ends with an empty sendRequestXML: the Web Connector asks getLastError
    assert exchange.progress[-1] not in (-1, 100)
    assert last_error(pre, ticket) == ("3 work blocks wait for: employee 'Jane Roe' (blocks b1, b2); "
                                       f"employee 'Pat Nobody' (block b3). {WAIT_FIX}")
    assert [tags_of(xml) for xml in exchange.requests] == [["EmployeeQueryRq"]]
    assert entries_in_quickbooks(pre) == []
    assert states(pre) == dict.fromkeys(["b1", "b2", "b3", "b4"], "pending")
    assert "Jane Roe" in pre.records("entries")["b1"]["error"]


def test_under_continue_the_others_land_and_the_waiting_ones_stay_pending(make_pre) -> None:
    pre = make_pre(error_policy="continue")
    submit(pre, b1=entry("Jane Roe"), b2=entry(minutes=45))
    ticket = pre.start()
    exchange = pre.run(ticket)
    assert exchange.progress[-1] == -1
    expected = f"1 work block waits for: employee 'Jane Roe' (block b1). {WAIT_FIX}"
    assert last_error(pre, ticket).endswith(expected)
    assert states(pre) == {"b1": "pending", "b2": "synced"}
    assert [e["Duration"] for e in entries_in_quickbooks(pre)] == ["PT0H45M0S"]


def test_once_the_name_exists_the_next_update_sends_the_waiting_record(make_pre) -> None:
    pre = make_pre()
    submit(pre, b1=entry("Jane Roe"))
    pre.service.close_connection(pre.run(pre.start()).ticket)
    pre.quickbooks.company.add_list_element("Employee", "Jane Roe")
    exchange = pre.update()
    assert exchange.progress[-1] == 100
    assert states(pre) == {"b1": "synced"}
    assert len(entries_in_quickbooks(pre)) == 1


def test_a_record_export_links_to_an_existing_entry_is_synced_without_a_request(make_pre) -> None:
    pre = make_pre()
    submit(pre, b1=entry(existing="TXN-BY-HAND"))
    exchange = pre.update()
    assert exchange.progress[-1] == 100
    assert not any("TimeTrackingAddRq" in tags_of(xml) for xml in exchange.requests)
    record = pre.records("entries")["b1"]
    assert (record["state"], record["qb_id"], record["note"]) == ("synced", "TXN-BY-HAND", "matched existing")


def test_an_edit_after_sync_stays_unsent_by_default(make_pre) -> None:
    pre = make_pre()
    submit(pre, b1=entry(notes="first"))
    pre.update()
    submit(pre, b1=entry(notes="second"))
    assert pre.login()[1] == "none"
    record = pre.records("entries")["b1"]
    assert (record["state"], record["changed_after_sync"]) == ("synced", True)
    assert [e["Notes"] for e in entries_in_quickbooks(pre)] == ["first"]


def test_with_the_update_policy_an_edit_is_sent_as_a_mod_of_the_same_entry(make_pre) -> None:
    pre = make_pre()
    synced_under_update_policy(pre)
    txn_id = pre.records("entries")["b1"]["qb_id"]
    submit(pre, b1=entry(notes="second", minutes=90))
    exchange = pre.update()
    assert [tags_of(xml) for xml in exchange.requests] == [["TimeTrackingModRq"]]
    [only] = entries_in_quickbooks(pre)
    assert (only["TxnID"], only["Notes"], only["Duration"]) == (txn_id, "second", "PT1H30M0S")
    record = pre.records("entries")["b1"]
    assert (record["state"], record["changed_after_sync"], record["qb_id"]) == ("synced", False, txn_id)


def test_a_stale_edit_sequence_is_re_read_and_the_mod_lands_in_the_same_update(make_pre) -> None:
    pre = make_pre()
    synced_under_update_policy(pre)
    [qb_entry] = entries_in_quickbooks(pre)
    pre.quickbooks.company.touch(qb_entry)  # someone edited it in QuickBooks: the stored EditSequence is old
    submit(pre, b1=entry(notes="second"))
    exchange = pre.update()
    assert [tags_of(xml) for xml in exchange.requests] == [
        ["TimeTrackingModRq"], ["TimeTrackingQueryRq"], ["TimeTrackingModRq"]]
    assert exchange.progress[-1] == 100
    assert [e["Notes"] for e in entries_in_quickbooks(pre)] == ["second"]
    assert states(pre) == {"b1": "synced"}


def test_a_second_stale_answer_in_one_update_is_a_failure_not_a_loop(make_pre) -> None:
    pre = make_pre()
    synced_under_update_policy(pre)
    [qb_entry] = entries_in_quickbooks(pre)
    submit(pre, b1=entry(notes="second"))
    ticket, progress, tags = pre.start(), 0, []
    while progress not in (-1, 100):
        request = pre.send(ticket, first=not tags)
        tags.append(tags_of(request))
        if tags[-1] == ["TimeTrackingModRq"]:
            pre.quickbooks.company.touch(qb_entry)  # edited again in QuickBooks before every Mod arrives
        progress = pre.receive(ticket, pre.answer(request))
    assert tags == [["TimeTrackingModRq"], ["TimeTrackingQueryRq"], ["TimeTrackingModRq"]]
    assert progress == -1
    assert "changed in QuickBooks meanwhile" in last_error(pre, ticket)
    record = pre.records("entries")["b1"]
    assert (record["state"], record["changed_after_sync"]) == ("pending", True)
    assert [e["Notes"] for e in entries_in_quickbooks(pre)] == ["first"]


def test_a_mod_whose_answer_was_lost_is_settled_by_the_next_update_and_lands_once(make_pre) -> None:
    pre = make_pre()
    synced_under_update_policy(pre)
    submit(pre, b1=entry(notes="second"))
    ticket = pre.start()
    request = pre.send(ticket, first=True)
    pre.answer(request)  # QuickBooks ran the Mod; its answer never reaches qbbridge
    assert pre.receive(ticket, "", "0x80040402", "Unexpected error") == -1
    pre.service.close_connection(ticket)
    assert states(pre) == {"b1": "uncertain"}
    exchange = pre.update()
    assert exchange.progress[-1] == 100
    [only] = entries_in_quickbooks(pre)
    record = pre.records("entries")["b1"]
    assert (record["state"], only["Notes"]) == ("synced", "second")
    assert record["edit_sequence"] == only["EditSequence"]


def test_a_lost_answer_to_the_re_read_after_a_stale_mod_is_settled_by_the_next_update(make_pre) -> None:
    pre = make_pre()
    synced_under_update_policy(pre)
    [qb_entry] = entries_in_quickbooks(pre)
    pre.quickbooks.company.touch(qb_entry)
    submit(pre, b1=entry(notes="second"))
    ticket = pre.start()
    mod = pre.send(ticket, first=True)
    assert pre.receive(ticket, pre.answer(mod)) not in (-1, 100)  # 3200: stale, re-read next
    reread = pre.send(ticket)
    assert tags_of(reread) == ["TimeTrackingQueryRq"]
    pre.answer(reread)
    assert pre.receive(ticket, "", "0x80040402", "Unexpected error") == -1  # the re-read's answer is lost
    pre.service.close_connection(ticket)
    assert states(pre) == {"b1": "uncertain"}
    exchange = pre.update()
    assert exchange.progress[-1] == 100
    assert [e["Notes"] for e in entries_in_quickbooks(pre)] == ["second"]
    assert states(pre) == {"b1": "synced"}
