"""``receiveResponseXML`` (and the calls that end an update) through the service: stopOnError pairs,
failures, outcomes the engine must not trust, lost or unreadable answers, replays, progress, close."""

from __future__ import annotations

import pytest
from service_kit import COMPANY, carried, msgs_of

PARSE_ERROR = "0x80040400"


@pytest.fixture
def svc(make_svc):
    """Exports only (no customer reads), batch_size 3."""
    harness = make_svc()
    harness.app.host.update_settings(COMPANY, read_lists=False)
    return harness


def test_under_stop_on_error_answered_requests_are_acknowledged_and_later_ones_stay_pending(svc):
    svc.submit_blocks(["b1"])
    svc.submit_blocks(["b2"], employee="Nobody Known")
    svc.submit_blocks(["b3"])
    ticket = svc.start()
    request = svc.send(ticket, first=True)
    assert msgs_of(request).get("onError") == "stopOnError" and carried(request) == ["b1", "b2", "b3"]
    assert svc.receive(ticket, svc.answer(request)) == -1
    records = svc.records()
    assert records["b1"]["state"] == "synced" and records["b1"]["qb_id"]
    assert records["b2"]["state"] == "pending" and "Work block b2" in records["b2"]["error"]
    assert records["b3"]["state"] == "pending" and records["b3"]["error"] is None  # never run: no error
    assert svc.service.get_last_error(ticket) == records["b2"]["error"]
    assert svc.landed() == {"b1": 1}


def test_a_failure_under_continue_lets_the_rest_through_then_reports_every_failure(make_svc):
    svc = make_svc(error_policy="continue")
    svc.app.host.update_settings(COMPANY, read_lists=False)
    svc.submit_blocks(["b1"])
    svc.submit_blocks(["b2"], employee="Nobody Known")
    svc.submit_blocks(["b3"])
    exchange = svc.run(svc.start())
    assert msgs_of(exchange.requests[0]).get("onError") == "continueOnError"
    assert exchange.progress == [-1]  # nothing more to send, but a failure to report
    assert svc.states() == {"b1": "synced", "b2": "pending", "b3": "synced"}
    message = svc.service.get_last_error(exchange.ticket)
    assert message.startswith("1 record(s) need attention") and svc.records()["b2"]["error"] in message


def test_an_outcome_naming_another_record_is_ignored(svc):
    svc.submit_blocks(["ghost"], reject="kept back")
    svc.submit_blocks(["b1"])
    svc.plugin.behaviour.speak_for["b1"] = "ghost"  # b1's answer comes back as an outcome about ghost
    svc.update()
    ghost = svc.records()["ghost"]
    assert ghost["state"] == "rejected" and ghost["qb_id"] is None
    assert svc.states()["b1"] == "uncertain"  # its own answer was not interpreted


def test_an_export_answer_the_plugin_does_not_interpret_leaves_the_record_uncertain(svc):
    svc.submit_blocks(["b1", "b2"])
    svc.plugin.behaviour.mute.add("b1")
    svc.update()
    record = svc.records()["b1"]
    assert record["state"] == "uncertain" and record["qb_id"] is None  # neither synced nor pending
    assert "did not interpret" in record["error"]
    assert svc.states()["b2"] == "synced"
    svc.plugin.behaviour.mute.clear()
    svc.update()  # the next update looks it up instead of adding it again
    assert svc.states()["b1"] == "synced" and svc.landed() == {"b1": 1, "b2": 1}


@pytest.mark.parametrize("garbage", ["<QBXML><QBXMLMsgsRs>", "<html><body>Bad gateway</body></html>", ""],
                         ids=["truncated", "not qbXML", "empty"])
def test_an_unreadable_answer_makes_the_set_uncertain_and_stops(svc, garbage):
    svc.submit_blocks(["b1", "b2"])
    ticket = svc.start()
    request = svc.send(ticket, first=True)
    svc.answer(request)  # QuickBooks ran it; what reached us is garbage
    assert svc.receive(ticket, garbage) == -1
    assert svc.states() == {"b1": "uncertain", "b2": "uncertain"}
    assert svc.message_set(msgs_of(request).get("newMessageSetID")).state == "uncertain"
    assert "could not be read" in svc.service.get_last_error(ticket)


def test_hresult_parse_error_means_quickbooks_ran_nothing_so_the_records_are_pending(svc):
    svc.submit_blocks(["b1", "b2"])
    ticket = svc.start()
    request = svc.send(ticket, first=True)
    assert svc.receive(ticket, "", PARSE_ERROR, "QuickBooks found an error when parsing the XML") == -1
    records = svc.records()
    assert {record["state"] for record in records.values()} == {"pending"}
    assert all(PARSE_ERROR in record["error"] for record in records.values())
    assert svc.message_set(msgs_of(request).get("newMessageSetID")).state == "unsent"
    assert PARSE_ERROR in svc.service.get_last_error(ticket)


def test_another_hresult_leaves_the_set_uncertain(svc):
    svc.submit_blocks(["b1"])
    ticket = svc.start()
    request = svc.send(ticket, first=True)
    assert svc.receive(ticket, "", "0x8004041D", "QuickBooks is busy") == -1
    assert svc.states() == {"b1": "uncertain"}
    assert svc.message_set(msgs_of(request).get("newMessageSetID")).state == "uncertain"


def test_a_replayed_answer_gets_the_same_progress_and_is_applied_once(svc):
    keys = [f"b{n}" for n in range(5)]
    svc.submit_blocks(keys)
    ticket = svc.start()
    request = svc.send(ticket, first=True)
    response = svc.answer(request)
    progress = svc.receive(ticket, response)
    assert 0 <= progress < 100
    assert svc.receive(ticket, response) == progress  # the Web Connector repeated the call
    final = svc.answer(svc.send(ticket))
    assert svc.receive(ticket, final) == 100
    assert svc.receive(ticket, final) == 100
    assert sorted(svc.events("record_linked")) == keys  # each record linked once
    assert svc.service.close_connection(ticket) == "5 synced"


def test_a_replayed_answer_after_a_stop_still_says_stop(svc):
    svc.submit_blocks(["b1"], employee="Nobody Known")
    ticket = svc.start()
    response = svc.answer(svc.send(ticket, first=True))
    assert svc.receive(ticket, response) == -1
    assert svc.receive(ticket, response) == -1
    assert svc.events("record_failed") == ["b1"]


def test_progress_reaches_100_only_at_the_end(make_svc):
    svc = make_svc(batch_size=2)  # with the customer reads: several phases, iterator pages included
    svc.submit("tags", [("t1", {"name": "Roofing"})])
    svc.submit_blocks([f"b{n}" for n in range(5)])
    exchange = svc.run(svc.start())
    assert len(exchange.progress) == 3 + 1 + 3
    assert all(0 <= progress <= 99 for progress in exchange.progress[:-1]) and exchange.progress[-1] == 100


def test_close_connection_returns_the_summary_and_sets_the_last_sync_dates(make_svc):
    svc = make_svc(error_policy="continue")
    svc.submit("tags", [("t1", {"name": "Roofing"})])
    svc.submit_blocks(["b1"])
    svc.submit_blocks(["b2"], employee="Nobody Known")
    assert {status["last_sync"] for status in svc.app.host.status(COMPANY).values()} == {None}
    exchange = svc.run(svc.start())
    summary = svc.service.close_connection(exchange.ticket)
    assert summary == "2 synced, 1 failed, 6 imported"
    assert svc.updates()[0].summary == summary and svc.updates()[0].state == "closed"
    status = svc.app.host.status(COMPANY)
    assert status["tags"]["last_sync"] and status["lists"]["last_sync"]
    assert status["blocks"]["last_sync"] is None  # one of its records did not go through


def test_connection_error_answers_done_and_leaves_the_set_in_flight_uncertain(svc):
    svc.submit_blocks(["b1", "b2"])
    ticket = svc.start()
    request = svc.send(ticket, first=True)
    assert svc.service.connection_error(ticket, "0x80040408", "Could not start QuickBooks.") == "done"
    assert svc.states() == {"b1": "uncertain", "b2": "uncertain"}
    assert svc.message_set(msgs_of(request).get("newMessageSetID")).state == "uncertain"
    update = svc.updates()[0]
    assert update.state == "closed" and "Could not start QuickBooks." in update.last_error
    assert svc.login()[1] not in ("busy", "none", "nvu")  # the company is free, and recovery is due


def test_a_call_out_of_order_ends_the_update_safely(svc):
    svc.submit_blocks(["b1"])
    ticket = svc.start()
    assert svc.receive(ticket, "<QBXML/>") == -1  # an answer before any request was sent
    assert svc.updates()[0].state == "stopped"
    assert "unexpected point" in svc.service.get_last_error(ticket)
    assert svc.send(ticket, first=True) == ""  # stopped is sticky: nothing more is sent
    assert svc.service.close_connection(ticket)
    assert svc.states() == {"b1": "pending"}
    assert svc.login()[1] not in ("busy", "none", "nvu")


def test_an_answer_served_by_another_worker_is_applied_the_same(svc):
    svc.submit_blocks(["b1", "b2", "b3", "b4"])
    ticket = svc.start()
    request = svc.send(ticket, first=True)
    other = svc.another_worker()  # the next call lands on another server process
    assert 0 <= other.receive_response_xml(ticket, svc.answer(request), "", "") < 100
    assert carried(other.send_request_xml(ticket, "", "", "US", 16, 0)) == ["b4"]
    assert svc.states() == {"b1": "synced", "b2": "synced", "b3": "synced", "b4": "in_flight"}
