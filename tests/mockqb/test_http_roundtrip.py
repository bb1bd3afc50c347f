"""The Web Connector simulator over real HTTP on 127.0.0.1, against the ScriptedServer in wsgiref."""

from __future__ import annotations

import socket
import threading
import urllib.error
import urllib.request
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

from qbbridge.mockqb.clock import SimulatedClock
from qbbridge.mockqb.company import CompanyFile
from qbbridge.mockqb.scripted_server import ScriptedServer
from qbbridge.mockqb.transports import HttpTransport, TransportError, check_reply
from qbbridge.mockqb.webconnector import WebConnector

pytestmark = pytest.mark.http

SETS = ['<?qbxml version="16.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><ClassQueryRq/></QBXMLMsgsRq></QBXML>']


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass


class FakeQuickBooks:
    def __init__(self) -> None:
        self.company = CompanyFile()
        self.processed: list[str] = []
        self.closed = False

    def open_session(self, app_name: str) -> FakeQuickBooks:
        return self

    def process(self, request_xml: str) -> str:
        self.processed.append(request_xml)
        return "<QBXML><QBXMLMsgsRs><ClassQueryRs statusCode=\"0\"/></QBXMLMsgsRs></QBXML>"

    def close(self) -> None:
        self.closed = True


class Served:
    """A ScriptedServer behind wsgiref on an ephemeral port; ``app`` can be swapped between tests."""

    def __init__(self) -> None:
        self.app: ScriptedServer = ScriptedServer("u", "p", SETS)
        self.httpd: WSGIServer = make_server("127.0.0.1", 0, lambda env, sr: self.app(env, sr),
                                             handler_class=QuietHandler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/qbwc"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def served(request):
    server = Served()
    request.addfinalizer(server.stop)
    return server


def run(url: str, **options):
    quickbooks = FakeQuickBooks()
    connector = WebConnector(HttpTransport(url, timeout=5), quickbooks, user="u", password="p",
                             clock=SimulatedClock(), **options)
    return connector.run_update(), quickbooks


def test_full_update_over_http(served):
    result, quickbooks = run(served.url)
    assert result.ok, result.summary()
    assert served.app.ops == ["serverVersion", "clientVersion", "authenticate", "sendRequestXML",
                              "receiveResponseXML", "closeConnection"]
    assert [call.soap_action for call in served.app.calls][2] == '"http://developer.intuit.com/authenticate"'
    assert quickbooks.processed[1:] == SETS and quickbooks.closed


def test_soap_fault_over_http_500_is_read_as_a_fault(served):
    served.app = ScriptedServer("u", "p", SETS, misbehave="fault-on-receive")
    result, _ = run(served.url)
    assert result.status == ("receiveResponseXML failed: the server answered with a SOAP Fault: "
                             "ScriptedServer: scripted failure in receiveResponseXML [soap:Server]")


def test_html_error_page_is_a_transport_error(served):
    served.app = ScriptedServer("u", "p", SETS, misbehave="html-500-on-send")
    result, _ = run(served.url)
    assert result.status == ("sendRequestXML failed: the server answered HTTP 500 (Internal Server Error) "
                             "with a text/html body")


def test_get_and_wsdl_are_answered_404(served):
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(served.url + "?wsdl", timeout=5)
    with caught.value:
        assert caught.value.code == 404


@pytest.mark.parametrize(("status", "content_type", "expected"), [
    (404, "text/plain", "the server answered HTTP 404 (Not Found) with a text/plain body"),
    (302, "", "the server answered HTTP 302 (Found) with an untyped body"),
    (200, "text/html", "Client found response content type of 'text/html', but expected 'text/xml'"),
])
def test_http_replies_other_than_soap_are_transport_errors(status, content_type, expected):
    with pytest.raises(TransportError) as caught:
        check_reply("getLastError", status, content_type, b"<html/>")
    assert str(caught.value) == f"getLastError failed: {expected}"
    assert check_reply("getLastError", 500, "text/xml; charset=utf-8", b"<fault/>") == b"<fault/>"


def test_malformed_soap_gets_a_soap_fault_with_http_500(served):
    request = urllib.request.Request(served.url, data=b"<not-soap/>", method="POST",
                                     headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=5)
    with caught.value as error:
        assert error.code == 500 and b"<faultcode>soap:Client</faultcode>" in error.read()


def test_connection_refused_is_a_readable_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result, quickbooks = run(f"http://127.0.0.1:{port}/qbwc")
    assert not result.ok and result.status.startswith(f"serverVersion failed: cannot reach http://127.0.0.1:{port}")
    assert quickbooks.processed == []


def test_a_server_that_never_answers_times_out():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        transport = HttpTransport(f"http://127.0.0.1:{silent.getsockname()[1]}/", timeout=0.2)
        with pytest.raises(TransportError, match=r"^authenticate failed: no answer from .* within 0.2 s"):
            transport.call("authenticate", b"<x/>", '"http://developer.intuit.com/authenticate"')


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/qbwc", "file:///etc/passwd", "127.0.0.1:8080/qbwc", "http://"])
def test_http_transport_refuses_other_urls(url):
    with pytest.raises(ValueError, match="http:// or https://"):
        HttpTransport(url)
