"""The message-set envelope: version, onError, requestID echo, responseData, unsupported requests."""

from __future__ import annotations

import pytest

from qbbridge.mockqb.errors import QbXmlParseError
from qbbridge.mockqb.testing import message_set

CLASS_ADD = '<ClassAddRq requestID="{rid}"><ClassAdd><Name>{name}</Name></ClassAdd></ClassAddRq>'
EMPLOYEE_QUERY = '<EmployeeQueryRq requestID="{rid}"><FullName>{name}</FullName></EmployeeQueryRq>'


def test_each_request_gets_one_response_in_order_with_its_request_id(process):
    response = process(message_set(
        EMPLOYEE_QUERY.format(rid="a", name="Jane Doe"),
        '<HostQueryRq requestID="b"/>',
        EMPLOYEE_QUERY.format(rid="c", name="John Smith"),
    ))
    assert [(a.tag, a.request_id) for a in response] == [
        ("EmployeeQueryRs", "a"), ("HostQueryRs", "b"), ("EmployeeQueryRs", "c")]
    assert response[2].ret().findtext("Name") == "John Smith"


def test_a_request_without_request_id_gets_none_back(process):
    response = process(message_set("<HostQueryRq/>"))
    assert response[0].request_id is None and response[0].code == 0


def test_stop_on_error_keeps_earlier_work_and_skips_the_rest(process, company):
    response = process(message_set(
        CLASS_ADD.format(rid="1", name="Alpha"),
        CLASS_ADD.format(rid="2", name="field"),  # "Field" exists: 3100, case-insensitively
        CLASS_ADD.format(rid="3", name="Gamma"),
        on_error="stopOnError",
    ))
    assert [a.code for a in response] == [0, 3100]
    names = {r["FullName"] for r in company.records("Class")}
    assert "Alpha" in names and "Gamma" not in names


def test_continue_on_error_runs_every_request(process, company):
    response = process(message_set(
        CLASS_ADD.format(rid="1", name="Alpha"),
        CLASS_ADD.format(rid="2", name="Field"),
        CLASS_ADD.format(rid="3", name="Gamma"),
        on_error="continueOnError",
    ))
    assert [a.code for a in response] == [0, 3100, 0]
    assert {"Alpha", "Gamma"} <= {r["FullName"] for r in company.records("Class")}


def test_rollback_on_error_is_refused_and_nothing_runs(process, company):
    before = len(company.records("Class"))
    response = process(message_set(CLASS_ADD.format(rid="1", name="Alpha"), on_error="rollbackOnError"))
    assert response[0].severity == "Error" and "rollbackOnError" in response[0].message
    assert len(company.records("Class")) == before


def test_include_none_drops_ret_elements_but_keeps_status(process, company):
    request = message_set(CLASS_ADD.format(rid="1", name="Alpha")).replace(
        'onError="stopOnError"', 'onError="stopOnError" responseData="includeNone"')
    response = process(request)
    assert response[0].code == 0 and response[0].rets() == []
    assert company.find_by_name(("Class",), "Alpha") is not None


def test_request_id_longer_than_50_characters_is_status_1060(process):
    response = process(message_set(EMPLOYEE_QUERY.format(rid="x" * 51, name="Jane Doe")))
    assert response[0].code == 1060


@pytest.mark.parametrize("request_xml, detail", [
    ("", "empty"),
    ("<QBXML><QBXMLMsgsRq", "not well-formed"),
    ('<?xml version="1.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"/></QBXML>', "qbxml version"),
    ('<?xml version="1.0"?><!DOCTYPE QBXML [<!ENTITY x "y">]><?qbxml version="13.0"?>'
     '<QBXML><QBXMLMsgsRq onError="stopOnError"/></QBXML>', "DOCTYPE"),
])
def test_unparseable_message_sets_are_rejected_whole(session, request_xml, detail):
    with pytest.raises(QbXmlParseError) as caught:
        session.process(request_xml)
    assert caught.value.hresult == "0x80040400"
    assert detail.lower() in caught.value.detail.lower()


def test_a_version_the_product_does_not_support_is_a_parse_error(company, quickbooks):
    company.info["SupportedQBXMLVersions"] = ["1.0", "13.0"]
    with pytest.raises(QbXmlParseError, match="16.0"):
        quickbooks.open_session("t").process(message_set("<HostQueryRq/>", version="16.0"))


def test_a_schema_violation_runs_nothing(session, company):
    before = len(company.records("Class"))
    bad = message_set(CLASS_ADD.format(rid="1", name="Alpha"),
                      '<ClassAddRq><ClassAdd><IsActive>true</IsActive><Name>B</Name></ClassAdd></ClassAddRq>')
    with pytest.raises(QbXmlParseError):
        session.process(bad)
    assert len(company.records("Class")) == before


def test_a_request_the_simulator_does_not_model_is_answered_not_ignored(process):
    response = process(message_set('<SalesTaxCodeQueryRq requestID="1"/>'))
    assert response[0].tag == "SalesTaxCodeQueryRs" and response[0].code == 1030
    assert "does not simulate" in response[0].message


def test_the_quickbooks_object_records_every_message_set(quickbooks, session):
    session.process(message_set("<HostQueryRq/>"))
    assert len(quickbooks.requests_seen) == 1 and "HostQueryRq" in quickbooks.requests_seen[0]


def test_a_closed_session_refuses_work(session):
    session.close()
    with pytest.raises(RuntimeError):
        session.process(message_set("<HostQueryRq/>"))
