"""Lenient input (PROTOCOL.md §A.1): requests from clients that differ from the WSDL still reach the
service with sensible arguments; the answer stays exact."""

from __future__ import annotations

import pytest
from lxml import etree
from soap_fakes import TNS, call_xml, envelope, result_of, wsgi_call

from qbbridge.core.soap import make_wsgi_app, normalise_call
from qbbridge.core.wsgi_limits import LXML_TEXT_LIMIT


def send(app, **children):
    return result_of("sendRequestXML", wsgi_call(app, envelope(call_xml("sendRequestXML", **children))))


def test_missing_optional_elements_read_as_none(app, fake):
    send(app, ticket="T")
    assert fake.calls == [("send_request_xml", ("T", None, None, None, None, None))]


def test_empty_elements_read_as_empty_strings(app, fake):
    wsgi_call(app, envelope(call_xml("receiveResponseXML", ticket="T", response=None, hresult=None,
                                     message=None)))
    assert fake.calls == [("receive_response_xml", ("T", "", "", ""))]


def test_the_lower_case_company_filename_alias_is_accepted(app, fake):
    send(app, ticket="T", strCompanyFilename=r"C:\Co.qbw", qbXMLMajorVers="13", qbXMLMinorVers="0")
    assert fake.calls == [("send_request_xml", ("T", None, r"C:\Co.qbw", None, 13, 0))]


def test_the_exact_name_wins_over_an_alias(app, fake):
    send(app, strCompanyFileName="exact", strCompanyFilename="alias")
    assert fake.calls[0][1][2] == "exact"


@pytest.mark.parametrize(("major", "minor", "expected"), [
    ("", "", (None, None)),
    (None, None, (None, None)),          # <qbXMLMajorVers />
    ("13.0", "x", (None, None)),
    (" 16 ", "+0", (16, 0)),
    ("99999999999", "-1", (None, -1)),   # beyond a 32-bit int
])
def test_version_numbers_that_are_not_ints_read_as_none(app, fake, major, minor, expected):
    send(app, ticket="T", qbXMLMajorVers=major, qbXMLMinorVers=minor)
    assert fake.calls[0][1][4:] == expected


def test_unknown_elements_are_ignored_and_order_does_not_matter(app, fake):
    send(app, qbXMLMinorVers="1", extra="x", qbXMLMajorVers="16", ticket="T", strHCPResponse="hcp")
    assert fake.calls == [("send_request_xml", ("T", "hcp", None, None, 16, 1))]


def test_unqualified_children_are_read_as_the_wsdl_names(app, fake):
    call = f'<authenticate xmlns="{TNS}"><strUserName xmlns="">alice</strUserName><strPassword xmlns="">pw' \
           "</strPassword></authenticate>"
    wsgi_call(app, envelope(call))
    assert fake.calls == [("authenticate", ("alice", "pw"))]


def test_a_prefixed_operation_element_is_accepted(app, fake):
    call = f'<i:getLastError xmlns:i="{TNS}"><i:ticket>T</i:ticket></i:getLastError>'
    assert result_of("getLastError", wsgi_call(app, envelope(call))).text == "NoOp"
    assert fake.calls == [("get_last_error", ("T",))]


@pytest.mark.parametrize("action", [None, "", '"http://developer.intuit.com/authenticate"',
                                    "http://developer.intuit.com/authenticate", '"wrong"'])
def test_the_soapaction_header_may_be_missing_quoted_or_wrong(app, fake, action):
    extra = {} if action is None else {"HTTP_SOAPACTION": action}
    reply = wsgi_call(app, envelope(call_xml("authenticate", strUserName="a", strPassword="b")), **extra)
    assert [item.text for item in result_of("authenticate", reply)] == ["ticket-1", None]
    assert fake.calls == [("authenticate", ("a", "b"))]


@pytest.mark.parametrize("content_type", ["text/xml", "TEXT/XML; charset=UTF-8", "application/xml"])
def test_xml_content_types_are_accepted(app, fake, content_type):
    wsgi_call(app, envelope(call_xml("getLastError", ticket="T")), content_type=content_type)
    assert fake.calls == [("get_last_error", ("T",))]


def test_no_xml_declaration_and_other_encodings_are_accepted(app, fake):
    body = envelope(call_xml("getLastError", ticket="Zoë"), declaration=False).decode()
    wsgi_call(app, ('<?xml version="1.0" encoding="utf-16"?>' + body).encode("utf-16"),
              content_type="text/xml; charset=utf-16")
    wsgi_call(app, body.encode())
    assert fake.calls == [("get_last_error", ("Zoë",))] * 2


def test_normalise_call_renames_in_place_and_drops_bad_ints():
    call = etree.fromstring(f'<sendRequestXML xmlns="{TNS}"><STRCOMPANYFILENAME>c</STRCOMPANYFILENAME>'
                            '<qbXMLMajorVers>sixteen</qbXMLMajorVers><other/></sendRequestXML>')
    normalise_call(call)
    assert [child.tag for child in call] == [f"{{{TNS}}}strCompanyFileName", f"{{{TNS}}}other"]


def test_a_response_larger_than_lxmls_default_text_limit_is_served(fake):
    response = "<QBXML>" + "x" * LXML_TEXT_LIMIT + "</QBXML>"  # one text node, escaped on the wire
    body = envelope(call_xml("receiveResponseXML", ticket="T", response=response.replace("<", "&lt;")))
    reply = wsgi_call(make_wsgi_app(fake, max_body_bytes=2 * len(body)), body)
    assert result_of("receiveResponseXML", reply).text == "100"
    assert fake.calls[0][1][1] == response


def test_the_default_limit_serves_bodies_beyond_spynes_own_2_mib_default(app, fake):
    response = "x" * (5 * 1024 * 1024)
    reply = wsgi_call(app, envelope(call_xml("receiveResponseXML", ticket="T", response=response)))
    assert result_of("receiveResponseXML", reply).text == "100"
    assert len(fake.calls[0][1][1]) == len(response)
