"""Every captured request sample in ../shared/reference/samples/qbxml/requests is processed the way
QuickBooks would: no parse error, one response per request in order with its requestID, and a response
that is valid qbXML 16.0."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from qbbridge.mockqb.processor import QuickBooks
from qbbridge.mockqb.qbxml import requests_in
from qbbridge.mockqb.sample import sample_company
from qbbridge.mockqb.testing import Response

SAMPLES = sorted((Path(__file__).resolve().parents[3] / "shared/reference/samples/qbxml/requests").glob("*.xml"))
#: Samples whose requests the sample company can answer with data (status 0).
ANSWERED_WITH_DATA = {
    "intuit_HostQueryRq.xml", "intuit_CompanyQueryRq.xml", "intuit_PreferencesQueryRq.xml",
    "intuit_EmployeeQueryRq.xml", "intuit_CustomerQuery.xml", "intuit_ItemServiceQueryRq.xml",
    "intuit_PayrollItemWageQueryRq.xml", "qbwc-qbxml_customer_query_iterator_rq.xml",
}


def test_the_samples_are_there():
    assert len(SAMPLES) >= 20


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_each_sample_is_answered_request_by_request(sample, schema16):
    request = etree.parse(str(sample)).getroot().find("QBXMLMsgsRq")
    sent = [(rq.tag, rq.get("requestID")) for rq in requests_in(request)]
    response_xml = QuickBooks(sample_company()).open_session("samples").process(sample.read_text())
    assert schema16.validate(etree.fromstring(response_xml.encode())), schema16.error_log
    answers = Response.parse(response_xml).answers
    if request.get("onError") == "continueOnError" or all(a.severity != "Error" for a in answers):
        assert [(a.tag, a.request_id) for a in answers] == [(t[:-2] + "Rs", rid) for t, rid in sent]
    if sample.name in ANSWERED_WITH_DATA:
        assert [a.code for a in answers] == [0] * len(sent) and all(a.rets() for a in answers)
