"""Edge cases a review found: odd authenticate numbers, odd fault counts, odd version lists, and text
whose encoding declaration no longer applies."""

from __future__ import annotations

import pytest

from qbbridge.mockqb import soap
from qbbridge.mockqb.faults import FaultPlan, FaultSpecError
from qbbridge.mockqb.processor import QuickBooks
from qbbridge.mockqb.testing import Response, message_set
from qbbridge.mockqb.transports import WsgiTransport
from qbbridge.mockqb.webconnector import WebConnector, highest_version


def authenticate_answering(*answer: str):
    """A WSGI app that answers authenticate with ``answer`` and every other call with a SOAP Fault."""

    def app(environ, start_response):
        op, _ = soap.parse_request(environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"])))
        if op == "authenticate":
            body = soap.response_envelope(op, list(answer))
            start_response("200 OK", [("Content-Type", soap.CONTENT_TYPE)])
        else:
            body = soap.fault_envelope("soap:Server", "not here")
            start_response("500 Internal Server Error", [("Content-Type", soap.CONTENT_TYPE)])
        return [body]

    return app


@pytest.mark.parametrize("seconds", ["--5", "²", "5s", "1e3"])
def test_authenticate_seconds_that_are_not_numbers_are_a_warning(quickbooks, seconds):
    connector = WebConnector(WsgiTransport(authenticate_answering("t", "none", seconds)), quickbooks,
                             user="u", password="p")
    result = connector.run_update()
    assert result.postpone_seconds is None
    assert any(seconds in warning for warning in result.warnings)


def test_authenticate_seconds_with_a_sign(quickbooks):
    connector = WebConnector(WsgiTransport(authenticate_answering("t", "none", "+30", "-1")), quickbooks,
                             user="u", password="p")
    result = connector.run_update()
    assert (result.postpone_seconds, result.min_run_seconds) == (30, -1)


@pytest.mark.parametrize("spec", ["lose-answer@²", "lose-answer@0", "lose-answer@-1"])
def test_fault_counts_must_be_plain_whole_numbers(spec):
    with pytest.raises(FaultSpecError, match="whole number"):
        FaultPlan.parse(spec)


def test_the_highest_plain_version_is_used_as_quickbooks_wrote_it():
    assert highest_version(["CA3.0", "13", "12.0", "13.0 "]) == ("13.0", 13, 0)
    with pytest.raises(ValueError, match="no usable"):
        highest_version(["13", "CA16.0"])


def test_a_company_listing_no_usable_version_ends_the_update_with_a_message(company, quickbooks):
    from qbbridge.mockqb.scripted_server import ScriptedServer

    company.info["SupportedQBXMLVersions"] = ["CA16.0"]
    result = WebConnector(WsgiTransport(ScriptedServer("u", "p", ["<x/>"])), quickbooks,
                          user="u", password="p").run_update()
    assert not result.ok and "no usable qbXML version" in result.status


@pytest.mark.parametrize("declared", ["ISO-8859-1", "windows-1252", "UTF-16", "us-ascii"])
def test_text_is_read_as_text_whatever_encoding_it_declares(session, declared):
    request = message_set('<ClassAddRq><ClassAdd><Name>Café</Name></ClassAdd></ClassAddRq>').replace(
        'encoding="utf-8"', f'encoding="{declared}"')
    answer = Response.parse(session.process(request))[0]
    assert answer.code == 0 and answer.ret().findtext("Name") == "Café"


def test_text_that_cannot_be_encoded_is_a_parse_error(session):
    from qbbridge.mockqb.errors import QbXmlParseError

    with pytest.raises(QbXmlParseError, match="cannot be encoded"):
        session.process(message_set("<ClassAddRq><ClassAdd><Name>\ud800</Name></ClassAdd></ClassAddRq>"))


def test_bytes_follow_their_declaration(company):
    request = message_set('<ClassAddRq><ClassAdd><Name>Café</Name></ClassAdd></ClassAddRq>').replace(
        'encoding="utf-8"', 'encoding="ISO-8859-1"').encode("iso-8859-1")
    answer = Response.parse(QuickBooks(company).open_session("t").process(request))[0]
    assert answer.ret().findtext("Name") == "Café"
