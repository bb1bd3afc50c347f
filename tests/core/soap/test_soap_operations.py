"""Every QBWC operation round-trips through the WSGI app: exact names, namespaces and types out, the
service called once with the arguments in its own order; a service exception becomes a generic fault."""

from __future__ import annotations

import logging

import pytest
from soap_fakes import TNS, FakeService, call_xml, envelope, fault_of, result_of, wsgi_call

from qbbridge.core.soap import OPERATIONS, make_wsgi_app
from qbbridge.mockqb import soap as wc

HCP = "<?xml version=\"1.0\" ?><QBXML><QBXMLMsgsRs><HostQueryRs requestID=\"0\"/></QBXMLMsgsRs></QBXML>"

# (operation, request children, service method, the arguments the service must get)
CASES = [
    ("serverVersion", {}, "server_version", ()),
    ("clientVersion", {"strVersion": "2.3.0.215"}, "client_version", ("2.3.0.215",)),
    ("authenticate", {"strUserName": "alice", "strPassword": "s3cret"}, "authenticate", ("alice", "s3cret")),
    ("sendRequestXML", {"ticket": "T", "strHCPResponse": HCP, "strCompanyFileName": r"C:\Books\Co.qbw",
                        "qbXMLCountry": "US", "qbXMLMajorVers": 16, "qbXMLMinorVers": 0},
     "send_request_xml", ("T", HCP, r"C:\Books\Co.qbw", "US", 16, 0)),
    ("receiveResponseXML", {"ticket": "T", "response": "<QBXML/>", "hresult": "", "message": ""},
     "receive_response_xml", ("T", "<QBXML/>", "", "")),
    ("connectionError", {"ticket": "T", "hresult": "0x80040408", "message": "Could not start QuickBooks."},
     "connection_error", ("T", "0x80040408", "Could not start QuickBooks.")),
    ("getLastError", {"ticket": "T"}, "get_last_error", ("T",)),
    ("closeConnection", {"ticket": "T"}, "close_connection", ("T",)),
]
INTERACTIVE = [
    ("getInteractiveURL", {"wcTicket": "T", "sessionID": "S-1"}, "get_interactive_url", ("T", "S-1")),
    ("interactiveDone", {"wcTicket": "T"}, "interactive_done", ("T",)),
    ("interactiveRejected", {"wcTicket": "T", "reason": "user declined"}, "interactive_rejected",
     ("T", "user declined")),
]


def test_the_tables_cover_every_operation():
    assert [op for op, *_ in CASES + INTERACTIVE] == list(OPERATIONS)


@pytest.mark.parametrize(("op", "args", "method", "expected"), CASES, ids=[c[0] for c in CASES])
def test_web_connector_envelopes_reach_the_service(app, fake, op, args, method, expected):
    reply = wsgi_call(app, wc.request_envelope(op, args), HTTP_SOAPACTION=wc.soap_action(op))
    assert fake.calls == [(method, expected)]
    # The simulator's reader is as strict as the Web Connector's .NET proxy.
    answer = wc.parse_reply(op, reply.body)
    assert answer == fake.replies[method]


@pytest.mark.parametrize(("op", "args", "method", "expected"), INTERACTIVE, ids=[c[0] for c in INTERACTIVE])
def test_interactive_operations_reach_the_service(app, fake, op, args, method, expected):
    reply = wsgi_call(app, envelope(call_xml(op, **args)))
    assert fake.calls == [(method, expected)]
    assert result_of(op, reply).text == fake.replies[method]


def test_authenticate_answers_an_array_of_string_in_tns(app, fake):
    fake.replies["authenticate"] = ["ticket-9", "", "30", "600"]
    result = result_of("authenticate", wsgi_call(app, envelope(call_xml("authenticate", strUserName="a"))))
    assert [item.tag for item in result] == [f"{{{TNS}}}string"] * 4
    assert [item.text or "" for item in result] == ["ticket-9", "", "30", "600"]


@pytest.mark.parametrize("progress", [0, 42, 100, -101])
def test_receive_response_xml_answers_an_int(app, fake, progress):
    fake.replies["receive_response_xml"] = progress
    reply = wsgi_call(app, envelope(call_xml("receiveResponseXML", ticket="T", response="<QBXML/>")))
    assert result_of("receiveResponseXML", reply).text == str(progress)


def test_qbxml_text_travels_escaped_and_comes_back_intact(app, fake):
    qbxml = '<?qbxml version="16.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"/></QBXML> & more'
    fake.replies["send_request_xml"] = qbxml
    body = wc.request_envelope("sendRequestXML", {"ticket": "T", "strHCPResponse": qbxml,
                                                  "qbXMLMajorVers": 16, "qbXMLMinorVers": 0})
    assert b"&lt;QBXML&gt;" in body
    reply = wsgi_call(app, body)
    assert fake.calls[0][1][1] == qbxml
    assert wc.parse_reply("sendRequestXML", reply.body) == qbxml


def test_a_service_exception_is_logged_and_becomes_a_generic_server_fault(app, fake, caplog):
    fake.replies["get_last_error"] = RuntimeError("password=hunter2 in /srv/secret/db.sqlite")
    with caplog.at_level(logging.ERROR, logger="qbbridge.core.soap"):
        reply = wsgi_call(app, envelope(call_xml("getLastError", ticket="T")))
    assert reply.status == 500
    code, message = fault_of(reply)
    assert code.endswith("Server") and "log" in message
    for leak in (b"hunter2", b"Traceback", b"RuntimeError"):
        assert leak not in reply.body
    ours = [r for r in caplog.records if r.name == "qbbridge.core.soap"]
    assert len(ours) == 1 and ours[0].exc_info and "getLastError" in ours[0].getMessage()


def test_two_apps_serve_their_own_services():
    first, second = FakeService(server_version="first"), FakeService(server_version="second")
    body = wc.request_envelope("serverVersion", {})
    assert wc.parse_reply("serverVersion", wsgi_call(make_wsgi_app(first), body).body) == "first"
    assert wc.parse_reply("serverVersion", wsgi_call(make_wsgi_app(second), body).body) == "second"
    assert len(first.calls) == len(second.calls) == 1
