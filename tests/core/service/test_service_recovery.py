"""Recovery through the service: the status query of an uncertain set, QuickBooks' stored answers,
natural-key lookups when it kept none, and plugins that break in the middle of a call."""

from __future__ import annotations

import pytest
from service_kit import COMPANY, Harness, carried, msgs_of, requests_of, tags_of
from service_plugin import FOUND_NOTE

from qbbridge.mockqb.testing import message_set


@pytest.fixture
def svc(make_svc):
    """Exports only (no customer reads), batch_size 3."""
    harness = make_svc()
    harness.app.host.update_settings(COMPANY, read_lists=False)
    return harness


def lose_answer(svc: Harness, keys: list[str], *, quickbooks_ran_it: bool) -> str:
    """One update whose first write set is sent and its answer lost; return the set's id."""
    svc.submit_blocks(keys)
    ticket = svc.start()
    request = svc.send(ticket, first=True)
    assert carried(request) == keys
    if quickbooks_ran_it:
        svc.answer(request)  # committed in QuickBooks; the answer never comes back
    assert svc.service.connection_error(ticket, "0x80040422", "The connection was lost.") == "done"
    assert set(svc.states().values()) == {"uncertain"}
    return msgs_of(request).get("newMessageSetID")


def adds_seen(svc: Harness, since: int = 0) -> list[str]:
    """The block keys of every TimeTrackingAdd QuickBooks received (from request ``since`` on)."""
    return [key for xml in svc.quickbooks.requests_seen[since:] if "QBXMLMsgsRq" in xml for key in carried(xml)]


def test_the_next_update_first_asks_quickbooks_about_the_uncertain_set(svc):
    set_id = lose_answer(svc, ["b1", "b2"], quickbooks_ran_it=True)
    request = svc.send(svc.start(), first=True)
    msgs = msgs_of(request)
    assert msgs.get("oldMessageSetID") == msgs.get("newMessageSetID") == set_id
    assert requests_of(request) == []


def test_quickbooks_stored_answers_are_applied_and_nothing_is_sent_twice(svc):
    set_id = lose_answer(svc, ["b1", "b2"], quickbooks_ran_it=True)
    exchange = svc.update()
    assert exchange.progress[-1] == 100 and len(exchange.requests) == 1  # the status query was enough
    records = svc.records()
    assert {record["state"] for record in records.values()} == {"synced"}
    assert all(record["qb_id"] for record in records.values())
    assert svc.message_set(set_id).state == "resolved"
    assert svc.landed() == {"b1": 1, "b2": 1} and adds_seen(svc) == ["b1", "b2"]
    assert svc.updates()[-1].summary == "2 recovered"


def test_when_quickbooks_kept_no_answer_each_uncertain_record_is_looked_up(svc):
    lose_answer(svc, ["b1", "b2", "b3"], quickbooks_ran_it=False)
    ticket = svc.start()
    status = svc.answer(svc.send(ticket, first=True))
    assert msgs_of(status).get("messageSetStatusCode") == "9002"
    assert 0 <= svc.receive(ticket, status) < 100
    lookups = svc.send(ticket)
    assert tags_of(lookups) == ["TimeTrackingQueryRq"] * 3


def test_absent_records_are_sent_again_in_the_same_update_exactly_once(svc):
    lose_answer(svc, ["b1", "b2", "b3"], quickbooks_ran_it=False)
    before = len(svc.quickbooks.requests_seen)
    exchange = svc.update()
    assert exchange.progress[-1] == 100
    assert [tags_of(xml)[:1] for xml in exchange.requests] == [[], ["TimeTrackingQueryRq"], ["TimeTrackingAddRq"]]
    assert adds_seen(svc, before) == ["b1", "b2", "b3"]
    assert svc.landed() == {"b1": 1, "b2": 1, "b3": 1}
    assert set(svc.states().values()) == {"synced"}


def test_a_record_found_by_its_lookup_is_linked_with_a_note_and_not_sent_again(svc):
    lose_answer(svc, ["b1", "b2"], quickbooks_ran_it=False)
    # QuickBooks has b1 after all, but no stored answer for us (another application's session added it).
    other = svc.quickbooks.open_session("another-app")
    other.process(message_set(
        "<TimeTrackingAddRq><TimeTrackingAdd><TxnDate>2026-11-20</TxnDate>"
        "<EntityRef><FullName>Jane Doe</FullName></EntityRef><Duration>PT1H0M</Duration>"
        "<Notes>svc:b1</Notes></TimeTrackingAdd></TimeTrackingAddRq>", version="13.0"))
    before = len(svc.quickbooks.requests_seen)
    svc.update()
    records = svc.records()
    entry = next(e for e in svc.quickbooks.company.records("TimeTracking") if e.get("Notes") == "svc:b1")
    assert records["b1"]["state"] == "synced" and records["b1"]["note"] == FOUND_NOTE
    assert records["b1"]["qb_id"] == entry["TxnID"]
    assert records["b2"]["state"] == "synced" and records["b2"]["note"] == ""
    assert adds_seen(svc, before) == ["b2"]  # b1 was found, b2 was absent and sent again
    assert svc.landed() == {"b1": 1, "b2": 1}


def test_a_record_its_handler_cannot_look_up_stays_uncertain_and_is_reported(svc):
    lose_answer(svc, ["b1", "b2"], quickbooks_ran_it=False)
    svc.plugin.behaviour.no_lookup.add("b1")
    for _ in range(2):  # reported by every update until a person settles it
        exchange = svc.run(svc.start())  # ends with -1, or with "" when nothing else was to be sent
        assert exchange.progress[-1:] in ([-1], [])
        assert svc.updates()[-1].state == "stopped"
        assert "blocks b1: the answer to it was lost" in svc.service.get_last_error(exchange.ticket)
        svc.service.close_connection(exchange.ticket)
        assert svc.states() == {"b1": "uncertain", "b2": "synced"}
    assert svc.landed() == {"b2": 1}


def test_a_plugin_raising_in_export_stops_the_update_and_loses_nothing(svc):
    svc.submit_blocks(["b1", "b2"])
    svc.plugin.behaviour.raise_in.add("export")
    ticket = svc.start()
    assert svc.send(ticket, first=True) == ""
    message = svc.service.get_last_error(ticket)
    assert "internal error" in message and "the blocks plugin broke while exporting" in message
    assert svc.updates()[0].state == "stopped"
    assert svc.states() == {"b1": "pending", "b2": "pending"}
    svc.service.close_connection(ticket)
    svc.plugin.behaviour.raise_in.clear()
    assert svc.update().progress[-1] == 100
    assert svc.landed() == {"b1": 1, "b2": 1}


def test_a_plugin_raising_in_acknowledge_stops_the_update_and_its_set_becomes_uncertain(svc):
    svc.submit_blocks(["b1", "b2"])
    svc.plugin.behaviour.raise_in.add("acknowledge")
    ticket = svc.start()
    request = svc.send(ticket, first=True)
    assert svc.receive(ticket, svc.answer(request)) == -1
    assert "the blocks plugin broke while acknowledging" in svc.service.get_last_error(ticket)
    assert svc.updates()[0].state == "stopped"
    assert svc.states() == {"b1": "uncertain", "b2": "uncertain"}
    assert svc.message_set(msgs_of(request).get("newMessageSetID")).state == "uncertain"
    svc.service.close_connection(ticket)
    svc.plugin.behaviour.raise_in.clear()
    assert svc.update().progress[-1] == 100  # QuickBooks' stored answers settle both
    assert set(svc.states().values()) == {"synced"} and svc.landed() == {"b1": 1, "b2": 1}
