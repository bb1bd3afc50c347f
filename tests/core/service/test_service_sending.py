"""``sendRequestXML`` through the service: batching, write-ahead, request ids, replays, iterators,
dependency order, and what must never be sent."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from service_kit import COMPANY, answers_of, carried, msgs_of, requests_of, tags_of

from qbbridge.core.store.models import MessageSet

KEYS = [f"b{n}" for n in range(7)]


@pytest.fixture
def exports_only(svc):
    """The harness without the customer reads, so every set is a write set."""
    svc.app.host.update_settings(COMPANY, read_lists=False)
    return svc


@pytest.mark.parametrize("batch_size", [1, 3, 7])
def test_exports_go_out_in_sets_of_batch_size(make_svc, batch_size):
    svc = make_svc(batch_size=batch_size)
    svc.app.host.update_settings(COMPANY, read_lists=False)
    svc.submit_blocks(KEYS)
    exchange = svc.update()
    assert [carried(request) for request in exchange.requests] == [
        KEYS[start:start + batch_size] for start in range(0, len(KEYS), batch_size)]
    assert exchange.progress[-1] == 100 and svc.landed() == dict.fromkeys(KEYS, 1)


def test_every_write_set_is_committed_with_its_records_in_flight_before_it_is_returned(exports_only):
    svc = exports_only
    svc.submit("tags", [("t1", {"name": "Roofing"})])
    svc.submit_blocks(KEYS[:4])
    ticket, progress, sets = svc.start(), 0, 0
    while progress != 100:
        request = svc.send(ticket, first=not sets)
        set_id = msgs_of(request).get("newMessageSetID")
        assert set_id and len(set_id) <= 23
        stored = svc.message_set(set_id)  # read in a fresh session, as another worker would
        assert stored is not None and stored.state == "in_flight" and stored.request_xml == request
        rows = svc.rows_of_set(set_id)
        assert len(rows) == len(requests_of(request))
        assert {row.state for row in rows} == {"in_flight"}
        assert sorted(row.local_key for row in rows if row.object_type == "blocks") == sorted(carried(request))
        progress = svc.receive(ticket, svc.answer(request))
        assert svc.message_set(set_id).state == "answered"
        sets += 1
    assert sets == 3  # the tag, then two sets of blocks


def test_request_ids_are_unique_within_the_update(svc):
    svc.submit("tags", [("t1", {"name": "Roofing"}), ("t2", {"name": "Siding"})])
    svc.submit_blocks(KEYS)
    exchange = svc.update()
    ids = [request.get("requestID") for xml in exchange.requests for request in requests_of(xml)]
    assert len(ids) == 3 + 2 + 7 and None not in ids  # 3 customer pages, 2 tags, 7 blocks
    assert len(ids) == len(set(ids))


def test_a_replayed_send_while_the_answer_is_awaited_returns_the_identical_set(exports_only):
    svc = exports_only
    svc.submit_blocks(KEYS[:2])
    ticket = svc.start()
    first = svc.send(ticket, first=True)
    replayed = svc.send(ticket, first=True)  # the Web Connector repeats the call after a lost reply
    assert replayed == first
    assert svc.another_worker().send_request_xml(ticket, "", "", "US", 16, 0) == first  # any worker
    with svc.fresh() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(MessageSet)) == 1
    assert svc.receive(ticket, svc.answer(replayed)) == 100
    assert svc.landed() == {"b0": 1, "b1": 1}


def test_reads_run_the_iterator_from_start_until_nothing_remains(svc):
    exchange = svc.update()
    customers = svc.quickbooks.company.records("Customer")
    pages = [requests_of(xml)[0] for xml in exchange.requests]
    answers = [answers_of(xml)[0] for xml in exchange.responses]
    assert len(pages) == -(-len(customers) // 2)  # two per page
    assert pages[0].get("iterator") == "Start" and pages[0].get("iteratorID") is None
    for page, previous in zip(pages[1:], answers):
        assert page.get("iterator") == "Continue"
        assert page.get("iteratorID") == previous.get("iteratorID")
    assert [answer.get("iteratorRemainingCount") for answer in answers][-1] == "0"
    imported = {row["name"] for row in svc.app.host.importables(COMPANY, "lists")}
    assert imported == {customer["FullName"] for customer in customers}


def test_exports_follow_declared_dependencies_not_registration_submission_or_name_order(exports_only):
    svc = exports_only
    svc.submit_blocks(["b1", "b2"])  # submitted first; "blocks" also sorts before "tags" and registers first
    svc.submit("tags", [("t1", {"name": "Roofing"})])
    exchange = svc.update()
    assert [set(tags_of(xml)) for xml in exchange.requests] == [{"ClassAddRq"}, {"TimeTrackingAddRq"}]


def test_a_dependency_in_the_same_batch_goes_first_and_its_dependant_follows_in_a_later_set(exports_only):
    svc = exports_only
    svc.submit_blocks(["a"])
    svc.submit_blocks(["b"], after=["a"])
    exchange = svc.update()
    assert [carried(xml) for xml in exchange.requests] == [["a"], ["b"]]
    assert exchange.progress[-1] == 100 and svc.states() == {"a": "synced", "b": "synced"}


def test_rejected_records_never_appear_in_any_request(exports_only):
    svc = exports_only
    svc.submit_blocks(["b1"], reject="no customer given")
    svc.submit_blocks(["b2", "b3"])
    exchange = svc.update()
    assert sorted(key for xml in exchange.requests for key in carried(xml)) == ["b2", "b3"]
    assert exchange.progress[-1] == -1  # the update reports what needs attention
    assert "no customer given" in svc.app.host.records(COMPANY, "blocks")[0]["error"]
    assert svc.states() == {"b1": "rejected", "b2": "synced", "b3": "synced"}
    assert svc.login()[1] == "none"  # not due again until the host edits it
    assert "svc:b1" not in "".join(svc.quickbooks.requests_seen)


@pytest.mark.parametrize("how", ["rejected", "failed"])
def test_held_records_never_appear_in_any_request(make_svc, how):
    svc = make_svc(batch_size=1, error_policy="continue")
    svc.app.host.update_settings(COMPANY, read_lists=False)
    if how == "rejected":
        svc.submit_blocks(["a"], reject="no customer given")
    else:
        svc.submit_blocks(["a"], employee="Nobody Known")  # QuickBooks refuses the reference
    svc.submit_blocks(["b"], after=["a"])
    svc.submit_blocks(["c"])
    for _ in range(2):  # held records get another chance in every update, and are held again
        svc.update()
        assert svc.states()["b"] == "held" and svc.states()["c"] == "synced"
        assert "needs blocks a first" in svc.records()["b"]["error"]
    assert "svc:b" not in "".join(svc.quickbooks.requests_seen)
    assert svc.landed() == {"c": 1}


def test_a_request_for_a_record_export_was_not_given_stops_the_update_safely(exports_only):
    svc = exports_only
    svc.submit_blocks(["b1", "b2"])
    svc.plugin.behaviour.claim["b1"] = "b2"  # a buggy plugin: b1's request claims to be b2
    ticket = svc.start()
    assert svc.send(ticket, first=True) == ""
    assert "ctx.due() did not give" in svc.service.get_last_error(ticket)
    assert svc.updates()[0].state == "stopped"
    assert svc.states() == {"b1": "pending", "b2": "pending"}  # the call's work was rolled back
    with svc.fresh() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(MessageSet)) == 0
    assert svc.service.close_connection(ticket)
    assert svc.quickbooks.requests_seen[1:] == []  # only the HCP query ever reached QuickBooks
