"""A generic SOAP client (zeep) driven by Intuit's WSDLs, and by ours, calls every operation they declare.

zeep talks to the WSGI app in process through a ``requests`` adapter (no socket). Intuit's classic WSDL
declares six operations, its test service and consolibyte's eight; ours declares all eleven.
"""

from __future__ import annotations

import io
import urllib.parse
from pathlib import Path

import pytest
import requests
import zeep
from requests.adapters import BaseAdapter
from soap_fakes import TNS, FakeService

from qbbridge.core.soap import OPERATIONS, make_wsgi_app

WSDL_DIR = Path(__file__).resolve().parents[4] / "shared" / "reference" / "wsdl"
ADDRESS = "http://qbbridge.test/qbwc"

# Keyword arguments zeep sends, and the arguments the service must receive.
CALLS = {
    "serverVersion": ({}, ()),
    "clientVersion": ({"strVersion": "2.3.0.215"}, ("2.3.0.215",)),
    "authenticate": ({"strUserName": "alice", "strPassword": "pw"}, ("alice", "pw")),
    "sendRequestXML": ({"ticket": "T", "strHCPResponse": "<QBXML/>", "strCompanyFileName": "C:\\Co.qbw",
                        "qbXMLCountry": "US", "qbXMLMajorVers": 16, "qbXMLMinorVers": 0},
                       ("T", "<QBXML/>", "C:\\Co.qbw", "US", 16, 0)),
    "receiveResponseXML": ({"ticket": "T", "response": "<QBXML/>", "hresult": "0x0", "message": "m"},
                           ("T", "<QBXML/>", "0x0", "m")),
    "connectionError": ({"ticket": "T", "hresult": "0x80040408", "message": "m"}, ("T", "0x80040408", "m")),
    "getLastError": ({"ticket": "T"}, ("T",)),
    "closeConnection": ({"ticket": "T"}, ("T",)),
    "getInteractiveURL": ({"wcTicket": "T", "sessionID": "S"}, ("T", "S")),
    "interactiveDone": ({"wcTicket": "T"}, ("T",)),
    "interactiveRejected": ({"wcTicket": "T", "reason": "no"}, ("T", "no")),
}
METHODS = dict(zip(OPERATIONS, ("server_version", "client_version", "authenticate", "send_request_xml",
                                "receive_response_xml", "connection_error", "get_last_error",
                                "close_connection", "get_interactive_url", "interactive_done",
                                "interactive_rejected"), strict=True))


class WsgiAdapter(BaseAdapter):
    """A ``requests`` transport adapter that hands each request to a WSGI app in process."""

    def __init__(self, app) -> None:
        super().__init__()
        self.app = app

    def send(self, request, **kwargs) -> requests.Response:
        url = urllib.parse.urlsplit(request.url)
        body = request.body or b""
        body = body.encode() if isinstance(body, str) else body
        environ = {"REQUEST_METHOD": request.method, "SCRIPT_NAME": "", "PATH_INFO": url.path,
                   "QUERY_STRING": url.query, "SERVER_NAME": url.hostname, "SERVER_PORT": "80",
                   "SERVER_PROTOCOL": "HTTP/1.1", "CONTENT_LENGTH": str(len(body)), "wsgi.version": (1, 0),
                   "wsgi.url_scheme": url.scheme, "wsgi.input": io.BytesIO(body),
                   "wsgi.errors": io.StringIO()}
        for name, value in request.headers.items():
            key = name.upper().replace("-", "_")
            environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"] = value
        started = []
        content = b"".join(self.app(environ, lambda status, headers, exc_info=None: started.append(
            (status, headers))))
        response = requests.Response()
        response.status_code = int(started[0][0].split()[0])
        response.headers.update(started[0][1])
        response._content = content
        response.url, response.request, response.encoding = request.url, request, "utf-8"
        return response

    def close(self) -> None:
        pass


@pytest.fixture
def fake():
    return FakeService(authenticate=["ticket-1", "", "30"])


@pytest.fixture
def transport(fake):
    session = requests.Session()
    session.mount("http://qbbridge.test/", WsgiAdapter(make_wsgi_app(fake)))
    return zeep.Transport(session=session)


def call_every_operation(service, operations, fake: FakeService) -> dict:
    answers = {}
    for op in operations:
        kwargs, expected = CALLS[op]
        fake.calls.clear()
        answers[op] = getattr(service, op)(**kwargs)
        assert fake.calls == [(METHODS[op], expected)], op
    return answers


def check_answers(answers: dict, fake: FakeService) -> None:
    """zeep reads an empty string element as None (.NET reads it as ""), hence ``or ""``."""
    for op, answer in answers.items():
        expected = fake.replies[METHODS[op]]
        if op == "authenticate":
            assert [item or "" for item in answer] == expected
        elif isinstance(expected, str):
            assert (answer or "") == expected, op
        else:
            assert answer == expected, op
    assert type(answers["receiveResponseXML"]) is int


@pytest.mark.parametrize(("wsdl_file", "binding", "count"), [
    ("QBWebConnectorSvc.wsdl", "QBWebConnectorSvcSoap", 6),
    ("QBWebConnectorSvc.consolibyte-quickbooks-php.wsdl", "QBWebConnectorSvcSoap", 8),
    ("TroubleshootWebServiceFS.intuit-test-service.wsdl", "TroubleshootWebServiceFSSoap", 8),
])
def test_intuits_wsdls_drive_our_service(transport, fake, wsdl_file, binding, count):
    client = zeep.Client(str(WSDL_DIR / wsdl_file), transport=transport)
    service = client.create_service(f"{{{TNS}}}{binding}", ADDRESS)
    operations = list(client.wsdl.bindings[f"{{{TNS}}}{binding}"]._operations)
    assert len(operations) == count
    check_answers(call_every_operation(service, operations, fake), fake)


def test_our_served_wsdl_drives_every_operation(transport, fake):
    client = zeep.Client(f"{ADDRESS}?wsdl", transport=transport)
    (port,) = [port for svc in client.wsdl.services.values() for port in svc.ports.values()]
    assert sorted(port.binding._operations) == sorted(OPERATIONS)
    check_answers(call_every_operation(client.service, OPERATIONS, fake), fake)


def test_a_service_error_reaches_zeep_as_a_fault(transport, fake):
    fake.replies["close_connection"] = RuntimeError("db down")
    client = zeep.Client(str(WSDL_DIR / "QBWebConnectorSvc.wsdl"), transport=transport)
    service = client.create_service(f"{{{TNS}}}QBWebConnectorSvcSoap", ADDRESS)
    with pytest.raises(zeep.exceptions.Fault) as info:
        service.closeConnection(ticket="T")
    assert "db down" not in info.value.message and "log" in info.value.message
