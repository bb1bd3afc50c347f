"""Faults between the Web Connector, QuickBooks and the server, end to end over SOAP.

Rule: after every scenario the simulated company file holds each record exactly once (none lost, none
twice) and the store says so (``synced`` with QuickBooks' TxnID). Lists are not read here, so message
set N of an update is export batch N (batch_size 3).
"""

from __future__ import annotations

from typing import Any

import pytest
from e2e_harness import (
    COMPANY,
    PASSWORD,
    USER,
    adds_seen,
    assert_exactly_once,
    entries_by_key,
    forget_stored_answers,
)

from qbbridge.mockqb import soap
from qbbridge.mockqb.faults import FaultPlan

pytestmark = pytest.mark.e2e

KEYS = [f"b{n}" for n in range(8)]  # sets of 3, 3 and 2
SETS = {1: KEYS[0:3], 2: KEYS[3:6], 3: KEYS[6:8]}
LOOKUP_NOTE = "found in QuickBooks after a lost answer"


@pytest.fixture
def eight(bridge):
    bridge.host.update_settings(COMPANY, read_lists=False)
    bridge.submit_hours(KEYS)
    return bridge


def _states_after_losing(lost: int) -> dict[str, str]:
    """Sets before the lost one synced, the lost one still in flight, later ones never sent."""
    return {key: "synced" if n < lost else "in_flight" if n == lost else "pending"
            for n, keys in SETS.items() for key in keys}


def _status_queries(quickbooks) -> int:
    return sum("oldMessageSetID" in xml for xml in quickbooks.requests_seen)


def _lookups(quickbooks) -> int:
    return sum("TimeTrackingQueryRq" in xml for xml in quickbooks.requests_seen)


# --- 1. lost answers ------------------------------------------------------------------------------


@pytest.mark.parametrize("lost", [1, 2, 3], ids=["first", "middle", "last"])
def test_a_lost_answer_is_recovered_from_quickbooks_stored_answers(eight, webconnector, mockqb_company,
                                                                   mockqb_faults, mockqb_quickbooks, lost):
    mockqb_faults.lose_answer(lost)
    first = webconnector.run_update()
    assert not first.ok and f"already processed message set {lost}" in first.status
    assert "closeConnection" not in first.ops
    assert eight.states() == _states_after_losing(lost)
    assert eight.host.status(COMPANY)["hours"]["in_flight"] == len(SETS[lost])
    assert entries_by_key(mockqb_company) == dict.fromkeys(KEYS[:3 * lost], 1)  # QuickBooks committed it

    eight.take_over()
    second = webconnector.run_update()
    assert second.ok and second.progress == 100, second.summary()
    assert_exactly_once(eight, mockqb_company, KEYS)
    assert f"{len(SETS[lost])} recovered" in second.close_message
    assert _status_queries(mockqb_quickbooks) == 1 and _lookups(mockqb_quickbooks) == 0
    assert adds_seen(mockqb_quickbooks) == dict.fromkeys(KEYS, 1)  # nothing was sent again


def test_without_a_stored_answer_natural_key_lookups_link_what_landed(eight, webconnector, mockqb_company,
                                                                     mockqb_faults, mockqb_quickbooks):
    mockqb_faults.lose_answer(2)
    assert not webconnector.run_update().ok
    forget_stored_answers(mockqb_quickbooks)  # QuickBooks kept no answer: only lookups can tell

    eight.take_over()
    second = webconnector.run_update()
    assert second.ok, second.summary()
    assert_exactly_once(eight, mockqb_company, KEYS)
    notes = {row["id"]: row["note"] for row in eight.host.records(COMPANY, "hours")}
    assert {key: notes[key] for key in SETS[2]} == dict.fromkeys(SETS[2], LOOKUP_NOTE)
    assert _lookups(mockqb_quickbooks) == 1  # one set of three lookups
    assert adds_seen(mockqb_quickbooks) == dict.fromkeys(KEYS, 1)


def test_lookups_link_the_entries_that_landed_and_send_the_others_once(bridge, webconnector, mockqb_company,
                                                                      mockqb_faults, mockqb_quickbooks):
    """A set of three whose answer is lost after QuickBooks stopped on its second request: only the
    first landed. With no stored answer, lookups link it and the two others are sent exactly once."""
    bridge.host.update_settings(COMPANY, read_lists=False)
    bridge.submit_hours(["a"])
    bridge.submit_hours(["b"], employee="Nobody Here")
    bridge.submit_hours(["c"])
    mockqb_faults.lose_answer(1)
    assert not webconnector.run_update().ok
    assert entries_by_key(mockqb_company) == {"a": 1}
    forget_stored_answers(mockqb_quickbooks)
    mockqb_company.add_list_element("Employee", "Nobody Here", FirstName="Nobody", LastName="Here")

    bridge.take_over()
    second = webconnector.run_update()
    assert second.ok, second.summary()
    assert_exactly_once(bridge, mockqb_company, ["a", "b", "c"])
    notes = {row["id"]: row["note"] for row in bridge.host.records(COMPANY, "hours")}
    assert notes == {"a": LOOKUP_NOTE, "b": "", "c": ""}
    assert adds_seen(mockqb_quickbooks) == {"a": 1, "b": 2, "c": 2}  # b failed once; c never ran before


# --- 2. lost requests -----------------------------------------------------------------------------


@pytest.mark.parametrize("lost", [1, 3])
def test_a_lost_request_is_looked_up_and_sent_once(eight, webconnector, mockqb_company, mockqb_faults,
                                                   mockqb_quickbooks, lost):
    mockqb_faults.lose_request(lost)
    first = webconnector.run_update()
    assert not first.ok and "lost in transit" in first.status
    assert eight.states() == _states_after_losing(lost)  # written ahead, though QuickBooks never saw it
    assert entries_by_key(mockqb_company) == dict.fromkeys(KEYS[:3 * (lost - 1)], 1)

    eight.take_over()
    second = webconnector.run_update()
    assert second.ok, second.summary()
    assert_exactly_once(eight, mockqb_company, KEYS)
    assert _status_queries(mockqb_quickbooks) == 1 and _lookups(mockqb_quickbooks) == 1
    assert adds_seen(mockqb_quickbooks) == dict.fromkeys(KEYS, 1)


# --- 3. HRESULTs on receive ------------------------------------------------------------------------


def test_an_unexpected_hresult_makes_the_set_uncertain_and_the_next_update_recovers(
        eight, webconnector, mockqb_company, mockqb_faults, mockqb_quickbooks):
    mockqb_faults.hresult(2, "0x80040402")
    first = webconnector.run_update()
    assert not first.ok and "Unexpected error" in first.status and "0x80040402" in first.status
    assert first.ops[-2:] == ["getLastError", "closeConnection"]
    states = eight.states()
    assert {key: states[key] for key in SETS[2]} == dict.fromkeys(SETS[2], "uncertain")

    second = webconnector.run_update()  # the update was closed: no takeover needed
    assert second.ok, second.summary()
    assert_exactly_once(eight, mockqb_company, KEYS)
    assert _status_queries(mockqb_quickbooks) == 1 and _lookups(mockqb_quickbooks) == 1
    assert adds_seen(mockqb_quickbooks) == dict.fromkeys(KEYS, 1)


class RunsSetFirst:
    """A transport under which QuickBooks runs the N-th message set as it leaves the server — so an
    ``hresult`` fault on that set stands for "QuickBooks ran it, then reported an error"."""

    def __init__(self, inner: Any, quickbooks: Any, n: int) -> None:
        self.inner, self.quickbooks, self.n, self.sets = inner, quickbooks, n, 0

    def call(self, op: str, body: bytes, soap_action: str) -> bytes:
        data = self.inner.call(op, body, soap_action)
        if op == "sendRequestXML" and (request := soap.parse_reply(op, data)):
            self.sets += 1
            if self.sets == self.n:
                session = self.quickbooks.open_session("qbbridge")
                session.process(request)
                session.close()
        return data


def test_an_hresult_after_quickbooks_ran_the_set_is_recovered_from_its_stored_answers(
        eight, webconnector, mockqb_company, mockqb_faults, mockqb_quickbooks):
    webconnector.transport = RunsSetFirst(webconnector.transport, mockqb_quickbooks, 2)
    mockqb_faults.hresult(2, "0x80040402")
    assert not webconnector.run_update().ok
    assert entries_by_key(mockqb_company) == dict.fromkeys(KEYS[:6], 1)  # set 2 did land
    states = eight.states()
    assert {key: states[key] for key in SETS[2]} == dict.fromkeys(SETS[2], "uncertain")

    second = webconnector.run_update()
    assert second.ok, second.summary()
    assert_exactly_once(eight, mockqb_company, KEYS)
    assert "3 recovered" in second.close_message and _lookups(mockqb_quickbooks) == 0
    assert adds_seen(mockqb_quickbooks) == dict.fromkeys(KEYS, 1)


def test_a_parse_error_puts_the_set_back_to_pending_with_the_error(eight, webconnector, mockqb_company,
                                                                 mockqb_faults, mockqb_quickbooks):
    mockqb_faults.hresult(2, "0x80040400")
    first = webconnector.run_update()
    assert not first.ok and "parsing" in first.status
    records = {row["id"]: row for row in eight.host.records(COMPANY, "hours")}
    for key in SETS[2]:
        assert records[key]["state"] == "pending"
        assert "0x80040400" in records[key]["error"]
    assert eight.host.status(COMPANY)["hours"]["uncertain"] == 0

    second = webconnector.run_update()
    assert second.ok, second.summary()
    assert_exactly_once(eight, mockqb_company, KEYS)
    assert _status_queries(mockqb_quickbooks) == 0  # nothing was uncertain: no recovery needed
    assert adds_seen(mockqb_quickbooks) == dict.fromkeys(KEYS, 1)


# --- 4. connectionError -----------------------------------------------------------------------------


def test_quickbooks_unavailable_at_the_start_records_nothing(eight, webconnector, mockqb_company,
                                                             mockqb_faults):
    mockqb_faults.qb_unavailable()
    first = webconnector.run_update()
    assert not first.ok and "Could not start QuickBooks" in first.status
    assert "connectionError" in first.ops and "sendRequestXML" not in first.ops
    assert set(eight.states().values()) == {"pending"}
    assert [row["attempts"] for row in eight.host.records(COMPANY, "hours")] == [0] * len(KEYS)

    mockqb_faults.faults.clear()  # QuickBooks opens again; the company was released: no wait
    second = webconnector.run_update()
    assert second.ok, second.summary()
    assert_exactly_once(eight, mockqb_company, KEYS)


class TicketSpy:
    """A transport that remembers the ticket, so a test can make a call the Web Connector would not."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.ticket = inner, ""

    def call(self, op: str, body: bytes, soap_action: str) -> bytes:
        data = self.inner.call(op, body, soap_action)
        if op == "authenticate":
            self.ticket = soap.parse_reply(op, data)[0]
        return data

    def send(self, op: str, **args: Any) -> Any:
        return soap.parse_reply(op, self.inner.call(op, soap.request_envelope(op, args), soap.soap_action(op)))


def test_a_connection_error_mid_update_leaves_the_set_uncertain_then_recovered(
        eight, webconnector, mockqb_company, mockqb_faults, mockqb_quickbooks):
    spy = webconnector.transport = TicketSpy(webconnector.transport)
    answers = []

    def quickbooks_vanishes(op: str, n: int) -> None:  # set 2 was processed; its answer never comes
        answers.append(spy.send("connectionError", ticket=spy.ticket, hresult="0x80040401",
                                message="Could not access QuickBooks."))

    mockqb_faults.before("receiveResponseXML", 2, quickbooks_vanishes)
    first = webconnector.run_update()
    assert answers == ["done"]
    assert not first.ok and first.calls("receiveResponseXML")[-1].reply == -1  # the update had ended
    assert eight.states() == {**_states_after_losing(2), **dict.fromkeys(SETS[2], "uncertain")}

    second = webconnector.run_update()
    assert second.ok, second.summary()
    assert_exactly_once(eight, mockqb_company, KEYS)
    assert adds_seen(mockqb_quickbooks) == dict.fromkeys(KEYS, 1)


# --- 5. server restarts -----------------------------------------------------------------------------

CALLS = [("serverVersion", 1), ("clientVersion", 1), ("authenticate", 1), ("sendRequestXML", 1),
         ("receiveResponseXML", 1), ("sendRequestXML", 2), ("receiveResponseXML", 2), ("sendRequestXML", 3),
         ("receiveResponseXML", 3), ("closeConnection", 1)]


@pytest.mark.parametrize(("op", "n"), CALLS, ids=[f"{op}@{n}" for op, n in CALLS])
def test_a_server_restart_before_any_call_loses_nothing(eight, webconnector, mockqb_company, mockqb_faults,
                                                       mockqb_quickbooks, op, n):
    mockqb_faults.before(op, n, lambda *_: eight.restart())
    result = webconnector.run_update()
    assert result.ok and result.progress == 100, result.summary()
    assert eight.apps_built == 2
    assert_exactly_once(eight, mockqb_company, KEYS)
    assert adds_seen(mockqb_quickbooks) == dict.fromkeys(KEYS, 1)


RECOVERY_CALLS = [(op, n) for n in (1, 2, 3) for op in ("sendRequestXML", "receiveResponseXML")]


@pytest.mark.parametrize(("op", "n"), RECOVERY_CALLS, ids=[f"{op}@{n}" for op, n in RECOVERY_CALLS])
def test_a_server_restart_during_recovery_loses_nothing(eight, webconnector, mockqb_webconnector, mockqb_company,
                                                       mockqb_faults, mockqb_quickbooks, op, n):
    """The recovering update sends a status query (set 1), lookups (set 2), then the rest (set 3)."""
    mockqb_faults.lose_answer(2)
    assert not webconnector.run_update().ok
    forget_stored_answers(mockqb_quickbooks)
    eight.take_over()
    restarting = FaultPlan().before(op, n, lambda *_: eight.restart())
    result = mockqb_webconnector(eight.wsgi, user=USER, password=PASSWORD, faults=restarting).run_update()
    assert result.ok and result.progress == 100, result.summary()
    assert len(result.calls("sendRequestXML")) == 3 and eight.apps_built == 2
    assert_exactly_once(eight, mockqb_company, KEYS)
    assert adds_seen(mockqb_quickbooks) == dict.fromkeys(KEYS, 1)


def test_a_server_restart_before_every_call_loses_nothing(eight, webconnector, mockqb_company, mockqb_faults,
                                                          mockqb_quickbooks):
    for op in {op for op, _ in CALLS}:
        mockqb_faults.before(op, None, lambda *_: eight.restart())
    result = webconnector.run_update()
    assert result.ok and result.progress == 100, result.summary()
    assert eight.apps_built == 1 + len(CALLS)
    assert_exactly_once(eight, mockqb_company, KEYS)


# --- 6. replayed calls ------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 3])
@pytest.mark.parametrize("op", ["sendRequestXML", "receiveResponseXML"])
def test_a_replayed_call_changes_nothing(eight, webconnector, mockqb_company, mockqb_faults, mockqb_quickbooks,
                                         op, n):
    mockqb_faults.replay(op, n)
    result = webconnector.run_update()
    assert result.ok and result.progress == 100, result.summary()
    assert len(result.calls(op)) == 4  # three calls, one of them twice
    first, second = result.calls(op)[n - 1:n + 1]
    assert first.reply == second.reply  # the same set again / the same progress again
    assert_exactly_once(eight, mockqb_company, KEYS)
    assert adds_seen(mockqb_quickbooks) == dict.fromkeys(KEYS, 1)


def test_every_call_replayed_changes_nothing(eight, webconnector, mockqb_company, mockqb_faults,
                                             mockqb_quickbooks):
    for op in ("serverVersion", "clientVersion", "sendRequestXML", "receiveResponseXML", "closeConnection"):
        mockqb_faults.replay(op)
    result = webconnector.run_update()
    assert result.ok and result.progress == 100, result.summary()
    assert_exactly_once(eight, mockqb_company, KEYS)
    assert adds_seen(mockqb_quickbooks) == dict.fromkeys(KEYS, 1)


def test_a_replayed_authenticate_is_busy_until_the_orphaned_update_is_taken_over(eight, webconnector,
                                                                                mockqb_company, mockqb_faults):
    """The first copy opened an update nobody will drive; the second copy finds it live."""
    mockqb_faults.replay("authenticate", 1)
    assert webconnector.run_update().status == "Application Busy"
    assert set(eight.states().values()) == {"pending"}
    eight.take_over()
    result = webconnector.run_update()
    assert result.ok and result.progress == 100, result.summary()
    assert_exactly_once(eight, mockqb_company, KEYS)


# --- 7. stopOnError in the middle of a batch ---------------------------------------------------------


def test_stop_on_error_acknowledges_before_and_returns_after(bridge, webconnector, mockqb_company,
                                                             mockqb_quickbooks):
    bridge.host.update_settings(COMPANY, read_lists=False)
    bridge.submit_hours(["a"])
    bridge.submit_hours(["b"], employee="Nobody Here")
    bridge.submit_hours(["c"])
    first = webconnector.run_update()
    assert not first.ok and first.progress < 100
    assert first.calls("receiveResponseXML")[-1].reply < 0
    records = {row["id"]: row for row in bridge.host.records(COMPANY, "hours")}
    assert [records[key]["state"] for key in "abc"] == ["synced", "pending", "pending"]
    error = records["b"]["error"]
    assert "Time entry b (Nobody Here, 2026-11-20)" in error and "Nobody Here" in error
    assert "QuickBooks status 3140" in error
    assert records["c"]["error"] is None  # not processed, not failed
    assert first.status == error  # getLastError shows the message
    assert bridge.host.status(COMPANY)["hours"]["errors"] == [{"id": "b", "message": error}]
    assert entries_by_key(mockqb_company) == {"a": 1}

    mockqb_company.add_list_element("Employee", "Nobody Here", FirstName="Nobody", LastName="Here")
    second = webconnector.run_update()
    assert second.ok, second.summary()
    assert_exactly_once(bridge, mockqb_company, ["a", "b", "c"])
    assert adds_seen(mockqb_quickbooks) == {"a": 1, "b": 2, "c": 2}  # c's first set stopped before it
    assert bridge.host.status(COMPANY)["hours"]["errors"] == []
