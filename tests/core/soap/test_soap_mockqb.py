"""The Web Connector simulator runs whole updates against make_wsgi_app(service): in process, and once
over real HTTP on 127.0.0.1."""

from __future__ import annotations

import pytest
from soap_fakes import FakeService

from qbbridge.core.soap import make_wsgi_app
from qbbridge.mockqb.serving import serve_in_thread
from qbbridge.mockqb.testing import Response, message_set

ADD = message_set('<ClassAddRq requestID="1"><ClassAdd><Name>Via qbbridge</Name></ClassAdd></ClassAddRq>')


class ScriptedService(FakeService):
    """Serves ``ADD`` once to alice/pw, then reports 100; records what QuickBooks answered."""

    def __init__(self) -> None:
        super().__init__(authenticate=self._authenticate, send_request_xml=self._send,
                         receive_response_xml=self._receive)
        self.sent = False
        self.responses: list[str] = []

    def _authenticate(self, user, password):
        return ["ticket-7", ""] if (user, password) == ("alice", "pw") else ["", "nvu"]

    def _send(self, *args):
        self.sent = True
        return ADD

    def _receive(self, ticket, response, hresult, message):
        self.responses.append(response)
        return 100


def test_a_whole_update_in_process(mockqb_webconnector, mockqb_company):
    service = ScriptedService()
    result = mockqb_webconnector(make_wsgi_app(service), user="alice", password="pw").run_update()
    assert result.ok, result.summary()
    assert result.ops == ["serverVersion", "clientVersion", "authenticate", "sendRequestXML",
                          "receiveResponseXML", "closeConnection"]
    assert result.progress == 100 and result.close_message == "OK" and result.server_version == "fake 1.0"
    ops = [name for name, _ in service.calls]
    assert ops[:3] == ["server_version", "client_version", "authenticate"] and ops[-1] == "close_connection"
    (_, send_args) = next(call for call in service.calls if call[0] == "send_request_xml")
    assert send_args[0] == "ticket-7" and "<HostQueryRs" in send_args[1] and send_args[4:] == (16, 0)
    assert Response.parse(service.responses[0])[0].code == 0
    assert mockqb_company.find_by_name(("Class",), "Via qbbridge")


def test_bad_credentials_end_the_update_as_nvu(mockqb_webconnector, mockqb_company):
    service = ScriptedService()
    result = mockqb_webconnector(make_wsgi_app(service), user="alice", password="nope").run_update()
    assert result.status == "Invalid password for username" and not service.sent
    assert not mockqb_company.find_by_name(("Class",), "Via qbbridge")


def test_a_service_crash_reaches_the_web_connector_as_a_soap_fault(mockqb_webconnector):
    service = ScriptedService()
    service.replies["receive_response_xml"] = RuntimeError("boom")
    result = mockqb_webconnector(make_wsgi_app(service), user="alice", password="pw").run_update()
    assert not result.ok and "SOAP Fault" in result.status and "boom" not in result.status


@pytest.mark.http
def test_a_whole_update_over_http(mockqb_webconnector, mockqb_company):
    with serve_in_thread(make_wsgi_app(ScriptedService())) as url:
        result = mockqb_webconnector(url, user="alice", password="pw").run_update()
    assert result.ok, result.summary()
    assert mockqb_company.find_by_name(("Class",), "Via qbbridge")
