"""qbXML message-set error recovery: newMessageSetID stores, a resend replays, status queries, clears."""

from __future__ import annotations

import pytest

from qbbridge.mockqb.processor import QuickBooks
from qbbridge.mockqb.testing import Response, message_set

ADD = '<ClassAddRq requestID="1"><ClassAdd><Name>{name}</Name></ClassAdd></ClassAddRq>'


def classes_named(company, name):
    return [r for r in company.records("Class") if r["Name"] == name]


def test_a_set_with_new_id_runs_once_and_is_stored(process, company):
    response = process(message_set(ADD.format(name="Alpha"), newMessageSetID="S1"))
    assert response.msgs.get("newMessageSetID") == "S1" and response.message_set_status == 0
    assert response[0].code == 0
    assert company.recovery["tests"]["id"] == "S1"


def test_resending_the_same_set_returns_the_stored_answer_without_running_it(process, company):
    first = process(message_set(ADD.format(name="Alpha"), newMessageSetID="S1"))
    again = process(message_set(ADD.format(name="Alpha"), newMessageSetID="S1"))
    assert len(classes_named(company, "Alpha")) == 1
    assert again[0].ret().findtext("ListID") == first[0].ret().findtext("ListID")


def test_same_id_with_different_requests_is_9001_and_runs_nothing(process, company):
    process(message_set(ADD.format(name="Alpha"), newMessageSetID="S1"))
    response = process(message_set(ADD.format(name="Beta"), newMessageSetID="S1"))
    assert response.message_set_status == 9001 and len(response) == 0
    assert classes_named(company, "Beta") == []


def test_status_query_returns_the_stored_responses(process):
    first = process(message_set(ADD.format(name="Alpha"), newMessageSetID="S1"))
    status = process(message_set(oldMessageSetID="S1", newMessageSetID="S1"))
    assert status.message_set_status == 0
    assert status[0].ret().findtext("ListID") == first[0].ret().findtext("ListID")


def test_status_query_for_an_unknown_set_is_9002(process):
    status = process(message_set(oldMessageSetID="NEVER", newMessageSetID="NEVER"))
    assert status.message_set_status == 9002 and len(status) == 0


def test_old_id_alone_clears_and_a_second_clear_is_600(process):
    process(message_set(ADD.format(name="Alpha"), newMessageSetID="S1"))
    assert process(message_set(oldMessageSetID="S1")).message_set_status == 0
    assert process(message_set(oldMessageSetID="S1", newMessageSetID="S1")).message_set_status == 9002
    assert process(message_set(oldMessageSetID="S1")).message_set_status == 600


def test_a_new_id_replaces_the_stored_record(process, company):
    process(message_set(ADD.format(name="Alpha"), newMessageSetID="S1"))
    process(message_set(ADD.format(name="Beta"), newMessageSetID="S2"))
    assert process(message_set(oldMessageSetID="S1", newMessageSetID="S1")).message_set_status == 9002
    assert process(message_set(oldMessageSetID="S2", newMessageSetID="S2")).message_set_status == 0


def test_clear_all_message_sets(process):
    process(message_set(ADD.format(name="Alpha"), newMessageSetID="S1"))
    assert process(message_set(oldMessageSetID="ClearAllMessageSets")).message_set_status == 0
    assert process(message_set(oldMessageSetID="S1", newMessageSetID="S1")).message_set_status == 9002


def test_an_id_longer_than_24_characters_is_9004(process, company):
    response = process(message_set(ADD.format(name="Alpha"), newMessageSetID="X" * 25))
    assert response.message_set_status == 9004 and classes_named(company, "Alpha") == []


def test_records_are_per_application(company):
    quickbooks = QuickBooks(company)
    one, other = quickbooks.open_session("app-one"), quickbooks.open_session("app-two")
    one.process(message_set(ADD.format(name="Alpha"), newMessageSetID="S1"))
    status = Response.parse(other.process(message_set(oldMessageSetID="S1", newMessageSetID="S1")))
    assert status.message_set_status == 9002


def test_the_stored_answer_survives_a_save_and_reload(tmp_path, company):
    from qbbridge.mockqb.company import CompanyFile

    QuickBooks(company).open_session("app").process(message_set(ADD.format(name="Alpha"), newMessageSetID="S1"))
    company.save(tmp_path / "c.json")
    reloaded = QuickBooks(CompanyFile.load(tmp_path / "c.json")).open_session("app")
    status = Response.parse(reloaded.process(message_set(oldMessageSetID="S1", newMessageSetID="S1")))
    assert status.message_set_status == 0 and status[0].ret().findtext("Name") == "Alpha"


def test_a_stop_on_error_set_stores_only_the_responses_that_ran(process):
    process(message_set(ADD.format(name="Alpha"), ADD.format(name="Field"), ADD.format(name="Gamma"),
                        newMessageSetID="S1"))
    status = process(message_set(oldMessageSetID="S1", newMessageSetID="S1"))
    assert [a.code for a in status] == [0, 3100]


@pytest.fixture
def intuit_samples(reference_dir):
    folder = reference_dir / "samples/qbxml/requests"
    return [(folder / f"intuit_ErrRecovery{n}.xml").read_text() for n in (1, 2, 3)]


def test_intuit_error_recovery_samples_behave_as_documented(company, intuit_samples):
    session = QuickBooks(company).open_session("intuit")
    send, ask, clear = intuit_samples
    first = Response.parse(session.process(send))
    assert first.msgs.get("newMessageSetID") == "AB1F2395" and first.message_set_status == 0
    assert first[0].tag == "CheckAddRs" and first[0].request_id == "1"
    replay = Response.parse(session.process(send))  # "may be sent a second time and status will be returned"
    assert replay.xml() == first.xml()
    status = Response.parse(session.process(ask))
    assert status.message_set_status == 0 and [a.tag for a in status] == ["CheckAddRs"]
    assert Response.parse(session.process(clear)).message_set_status == 0
    assert Response.parse(session.process(ask)).message_set_status == 9002


def test_the_same_requests_under_another_on_error_are_another_set(process):
    process(message_set(ADD.format(name="Alpha"), newMessageSetID="S1", on_error="stopOnError"))
    response = process(message_set(ADD.format(name="Alpha"), newMessageSetID="S1", on_error="continueOnError"))
    assert response.message_set_status == 9001


def test_a_resend_naming_the_set_as_old_and_new_never_runs_it_twice(process, company):
    first = process(message_set(ADD.format(name="Alpha"), newMessageSetID="S1"))
    again = process(message_set(ADD.format(name="Alpha"), oldMessageSetID="S1", newMessageSetID="S1"))
    assert len(classes_named(company, "Alpha")) == 1
    assert again[0].ret().findtext("ListID") == first[0].ret().findtext("ListID")


def test_include_none_also_applies_to_stored_answers(process):
    process(message_set(ADD.format(name="Alpha"), newMessageSetID="S1"))
    status = process(message_set(oldMessageSetID="S1", newMessageSetID="S1", responseData="includeNone"))
    assert status[0].code == 0 and status[0].rets() == []


@pytest.mark.parametrize("length, code", [(23, 0), (24, 9004)])
def test_ids_may_have_at_most_23_characters(process, length, code):
    assert process(message_set(ADD.format(name="Alpha"), newMessageSetID="X" * length)).message_set_status == code
