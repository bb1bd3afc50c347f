"""The transcript's readable forms: one line per call, qbXML shown as requests and statuses."""

from __future__ import annotations

from qbbridge.mockqb.testing import message_set
from qbbridge.mockqb.transcript import CallRecord, UpdateResult


def test_brief_names_requests_and_statuses_not_raw_xml(session):
    request = message_set('<ClassAddRq requestID="1"><ClassAdd><Name>Field</Name></ClassAdd></ClassAddRq>',
                          newMessageSetID="S1")
    response = session.process(request)
    sent = CallRecord("sendRequestXML", {"ticket": "t"}, reply=request)
    received = CallRecord("receiveResponseXML", {"ticket": "t", "response": response}, reply=50)
    assert sent.brief() == "sendRequestXML -> newMessageSetID=S1, ClassAddRq"
    assert received.brief() == ("receiveResponseXML(newMessageSetID=S1, messageSetStatusCode=0, "
                                "ClassAddRs 3100) -> 50")


def test_brief_shows_errors_and_fault_notes():
    record = CallRecord("receiveResponseXML", {"response": ""}, error="connection dropped",
                        notes=["lose-answer@1: never delivered"])
    assert record.brief() == "receiveResponseXML !! connection dropped  [lose-answer@1: never delivered]"


def test_summary_does_not_repeat_the_status_as_an_error():
    result = UpdateResult(ok=False, status="boom", errors=["boom", "and then"], progress=40)
    lines = result.summary().splitlines()
    assert lines[0] == "Update FAILED: boom (progress 40%)" and lines[1:] == ["error: and then"]
