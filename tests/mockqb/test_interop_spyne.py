"""The Web Connector simulator against an independent SOAP stack: a tiny QBWC server written with spyne
for these tests (mockqb itself never imports spyne). If the simulator's envelopes or its reading of
replies were wrong in a way its own ScriptedServer shares, this server would not be fooled."""

from __future__ import annotations

import pytest
from spyne import Application, Array, Integer, ServiceBase, Unicode, rpc
from spyne.protocol.soap import Soap11
from spyne.server.wsgi import WsgiApplication

from qbbridge.mockqb.company import CompanyFile
from qbbridge.mockqb.processor import QuickBooks
from qbbridge.mockqb.serving import serve_in_thread
from qbbridge.mockqb.testing import Response, message_set
from qbbridge.mockqb.transports import HttpTransport, WsgiTransport
from qbbridge.mockqb.webconnector import WebConnector

TNS = "http://developer.intuit.com/"
ADD = message_set('<ClassAddRq requestID="7"><ClassAdd><Name>Via spyne</Name></ClassAdd></ClassAddRq>')


def make_spyne_server(requests: list[str]):
    """A WSGI QBWC server: serves ``requests`` in order; ``seen`` records what it received."""
    seen: dict[str, list] = {"calls": [], "responses": [], "hcp": []}
    queue = list(requests)

    class TinyQbwc(ServiceBase):
        @rpc(_returns=Unicode)
        def serverVersion(ctx):  # noqa: N802, N805 - the WSDL's names; spyne passes ctx first
            seen["calls"].append("serverVersion")
            return "spyne test server"

        @rpc(Unicode, _returns=Unicode)
        def clientVersion(ctx, strVersion):  # noqa: N802, N803, N805
            seen["calls"].append(f"clientVersion {strVersion}")
            return ""

        @rpc(Unicode, Unicode, _returns=Array(Unicode))
        def authenticate(ctx, strUserName, strPassword):  # noqa: N803, N805
            seen["calls"].append("authenticate")
            return ["ticket-1", ""] if (strUserName, strPassword) == ("alice", "pw") else ["", "nvu"]

        @rpc(Unicode, Unicode, Unicode, Unicode, Integer, Integer, _returns=Unicode)
        def sendRequestXML(ctx, ticket, strHCPResponse, strCompanyFileName, qbXMLCountry,  # noqa: N802, N803, N805
                           qbXMLMajorVers, qbXMLMinorVers):
            seen["calls"].append(f"sendRequestXML {qbXMLCountry} {qbXMLMajorVers}.{qbXMLMinorVers}")
            if strHCPResponse:
                seen["hcp"].append(strHCPResponse)
            return queue[0] if queue else ""

        @rpc(Unicode, Unicode, Unicode, Unicode, _returns=Integer)
        def receiveResponseXML(ctx, ticket, response, hresult, message):  # noqa: N802, N805
            seen["calls"].append("receiveResponseXML")
            seen["responses"].append(response)
            queue.pop(0)
            return 100 if not queue else 50

        @rpc(Unicode, _returns=Unicode)
        def getLastError(ctx, ticket):  # noqa: N802, N805
            return "nothing to do"

        @rpc(Unicode, Unicode, Unicode, _returns=Unicode)
        def connectionError(ctx, ticket, hresult, message):  # noqa: N802, N805
            return "done"

        @rpc(Unicode, _returns=Unicode)
        def closeConnection(ctx, ticket):  # noqa: N802, N805
            seen["calls"].append("closeConnection")
            return "Bye from spyne"

    app = Application([TinyQbwc], tns=TNS, in_protocol=Soap11(validator="lxml"), out_protocol=Soap11())
    return WsgiApplication(app), seen


@pytest.fixture
def quickbooks(company):
    return QuickBooks(company)


def test_an_update_through_a_spyne_server_in_process(quickbooks, company):
    app, seen = make_spyne_server([ADD, ADD.replace("Via spyne", "Second")])
    result = WebConnector(WsgiTransport(app), quickbooks, user="alice", password="pw").run_update()
    assert result.ok and result.progress == 100 and result.close_message == "Bye from spyne"
    assert seen["calls"][:3] == ["serverVersion", "clientVersion 2.3.0.215", "authenticate"]
    assert seen["calls"][3] == "sendRequestXML US 16.0" and seen["calls"][-1] == "closeConnection"
    assert Response.parse(seen["responses"][0])[0].request_id == "7"
    assert "<HostQueryRs" in seen["hcp"][0]
    assert company.find_by_name(("Class",), "Via spyne") and company.find_by_name(("Class",), "Second")


def test_a_spyne_server_sees_a_wrong_password_as_nvu(quickbooks):
    app, seen = make_spyne_server([ADD])
    result = WebConnector(WsgiTransport(app), quickbooks, user="alice", password="nope").run_update()
    assert not result.ok and result.status == "Invalid password for username"


@pytest.mark.http
def test_an_update_through_a_spyne_server_over_http(quickbooks, company):
    app, seen = make_spyne_server([ADD])
    with serve_in_thread(app) as url:
        result = WebConnector(HttpTransport(url), quickbooks, user="alice", password="pw").run_update()
    assert result.ok, result.summary()
    assert company.find_by_name(("Class",), "Via spyne")


@pytest.mark.http
def test_the_command_line_against_a_spyne_server(tmp_path):
    import subprocess
    import sys

    from qbbridge.mockqb.sample import sample_company

    path = tmp_path / "company.json"
    sample_company().save(path)
    app, seen = make_spyne_server([ADD])
    with serve_in_thread(app) as url:
        done = subprocess.run([sys.executable, "-m", "qbbridge.core.cli", "mockqb", "run", "--url", url,
                               "--user", "alice", "--password", "pw", "--company", str(path)],
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert CompanyFile.load(path).find_by_name(("Class",), "Via spyne")
