"""The Web Connector simulator's call sequence against the ScriptedServer, in process (WSGI)."""

from __future__ import annotations

import io
import json
from wsgiref.validate import validator

import pytest
from lxml import etree

from qbbridge.mockqb import soap
from qbbridge.mockqb.clock import SimulatedClock
from qbbridge.mockqb.company import CompanyFile
from qbbridge.mockqb.errors import QbXmlParseError
from qbbridge.mockqb.scripted_server import ScriptedServer
from qbbridge.mockqb.transports import WsgiTransport
from qbbridge.mockqb.webconnector import WebConnector, hcp_request, highest_version

OK_RESPONSE = '<?xml version="1.0" ?>\n<QBXML><QBXMLMsgsRs><ClassAddRs statusCode="0"/></QBXMLMsgsRs></QBXML>'
SETS = [f'<?qbxml version="16.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><ClassQueryRq requestID="{n}"/>'
        "</QBXMLMsgsRq></QBXML>" for n in (1, 2)]


class FakeSession:
    """Records what QuickBooks processed; "BROKEN" in a message set makes it a parse error."""

    def __init__(self, quickbooks: FakeQuickBooks) -> None:
        self.quickbooks = quickbooks
        self.closed = False

    def process(self, request_xml: str) -> str:
        assert not self.closed, "processing after the session was closed"
        self.quickbooks.processed.append(request_xml)
        if "BROKEN" in request_xml:
            raise QbXmlParseError("scripted parse error")
        return OK_RESPONSE

    def close(self) -> None:
        self.closed = True


class FakeQuickBooks:
    def __init__(self, **info: object) -> None:
        self.company = CompanyFile(info=info)
        self.processed: list[str] = []
        self.sessions: list[FakeSession] = []

    def open_session(self, app_name: str = "qbbridge") -> FakeSession:
        self.sessions.append(FakeSession(self))
        self.app_name = app_name
        return self.sessions[-1]

    @property
    def message_sets(self) -> list[str]:
        """What QuickBooks processed apart from the Web Connector's own HCP query."""
        return [xml for xml in self.processed if "HostQueryRq" not in xml]


class Override:
    """A transport that answers some operations itself (raw reply bytes) and passes the rest on."""

    def __init__(self, inner: WsgiTransport, **replies: bytes) -> None:
        self.inner = inner
        self.replies = replies

    def call(self, op: str, body: bytes, soap_action: str) -> bytes:
        if op in self.replies:
            return self.replies[op]
        return self.inner.call(op, body, soap_action)


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock()


@pytest.fixture
def quickbooks() -> FakeQuickBooks:
    return FakeQuickBooks()


def run(server: ScriptedServer, quickbooks: FakeQuickBooks, clock: SimulatedClock, *, password: str = "pw",
        transport=None, **options):
    connector = WebConnector(transport or WsgiTransport(server), quickbooks, user="alice", password=password,
                             clock=clock, app_name="tests-app", **options)
    return connector.run_update()


def test_a_full_update_makes_the_documented_calls_in_order(quickbooks, clock):
    server = ScriptedServer("alice", "pw", SETS)
    result = run(server, quickbooks, clock)
    assert result.ok and result.status == "Ok" and result.progress == 100 and not result.errors
    expected = ["serverVersion", "clientVersion", "authenticate", "sendRequestXML", "receiveResponseXML",
                "sendRequestXML", "receiveResponseXML", "closeConnection"]
    assert result.ops == expected and server.ops == expected
    assert quickbooks.message_sets == SETS
    assert server.responses == [OK_RESPONSE, OK_RESPONSE]
    assert result.close_message == "OK" and result.server_version == "ScriptedServer 1.0"
    assert quickbooks.app_name == "tests-app"
    assert [r.reply for r in result.calls("receiveResponseXML")] == [50, 100]


def test_send_request_arguments_carry_hcp_company_country_and_highest_version(clock):
    quickbooks = FakeQuickBooks(FilePath="C:\\Co\\Acme.qbw", Country="CA",
                                SupportedQBXMLVersions=["2.0", "13.0", "9.0", "10.0"])
    server = ScriptedServer("alice", "pw", SETS)
    run(server, quickbooks, clock)
    first, second = [call.args for call in server.calls if call.op == "sendRequestXML"]
    assert first == {"ticket": "scripted-ticket-1", "strHCPResponse": OK_RESPONSE,
                     "strCompanyFileName": "C:\\Co\\Acme.qbw", "qbXMLCountry": "CA", "qbXMLMajorVers": "13",
                     "qbXMLMinorVers": "0"}
    assert second["strHCPResponse"] == "" and second["strCompanyFileName"] == "C:\\Co\\Acme.qbw"
    assert quickbooks.processed[0] == hcp_request("13.0")


def test_hcp_request_is_host_company_and_preferences_query_continuing_on_error():
    xml = hcp_request("16.0")
    assert '<?qbxml version="16.0"?>' in xml
    msgs = etree.fromstring(xml.encode()).find("QBXMLMsgsRq")
    assert msgs.get("onError") == "continueOnError"
    assert [(rq.tag, rq.get("requestID")) for rq in msgs] == [
        ("HostQueryRq", "0"), ("CompanyQueryRq", "1"), ("PreferencesQueryRq", "2")]
    assert highest_version(["1.0", "16.0", "2.1", "13.0"]) == ("16.0", 16, 0)


# -- authenticate ---------------------------------------------------------------------------------------
def test_wrong_password_gets_nvu_then_close_connection(quickbooks, clock):
    server = ScriptedServer("alice", "pw", SETS)
    result = run(server, quickbooks, clock, password="wrong")
    assert not result.ok and result.status == "Invalid password for username"
    assert result.ops == ["serverVersion", "clientVersion", "authenticate", "closeConnection"]
    assert quickbooks.sessions == []


@pytest.mark.parametrize("answer", ["none", "NONE"])
def test_none_means_no_data_exchange(quickbooks, clock, answer):
    server = ScriptedServer("alice", "pw", SETS, auth_reply=[answer, "", "600"])
    result = run(server, quickbooks, clock)
    assert result.ok and result.status == "No data exchange required"
    assert result.ops[-2:] == ["authenticate", "closeConnection"]
    assert result.min_run_seconds == 600 and result.postpone_seconds is None


def test_server_with_no_message_sets_answers_none(quickbooks, clock):
    result = run(ScriptedServer("alice", "pw", []), quickbooks, clock)
    assert result.status == "No data exchange required" and quickbooks.processed == []


def test_busy_records_postpone_seconds(quickbooks, clock):
    server = ScriptedServer("alice", "pw", SETS, auth_reply=["Busy", "45"])
    result = run(server, quickbooks, clock)
    assert result.status == "Application Busy" and result.postpone_seconds == 45
    assert "sendRequestXML" not in result.ops and quickbooks.sessions == []


def test_authenticate_with_too_few_strings_is_a_readable_error(quickbooks, clock):
    server = ScriptedServer("alice", "pw", SETS)
    transport = Override(WsgiTransport(server), authenticate=soap.response_envelope("authenticate", ["t"]))
    result = run(server, quickbooks, clock, transport=transport)
    assert not result.ok and "expected [ticket, status" in result.status


def test_company_path_differing_only_in_case_is_the_open_company(quickbooks, clock):
    path = quickbooks.company.info["FilePath"].upper()
    result = run(ScriptedServer("alice", "pw", SETS, company_file=path), quickbooks, clock)
    assert result.ok and "connectionError" not in result.ops


def test_another_company_file_goes_through_connection_error(quickbooks, clock):
    server = ScriptedServer("alice", "pw", SETS, company_file="C:\\Other.qbw")
    result = run(server, quickbooks, clock)
    assert result.ops == ["serverVersion", "clientVersion", "authenticate", "connectionError"]
    args = server.calls[-1].args
    assert args == {"ticket": "scripted-ticket-1", "hresult": "0x80040408", "message": "Could not start QuickBooks."}
    assert not result.ok and result.status == "Could not start QuickBooks. (0x80040408)"
    assert quickbooks.sessions == []


def test_connection_error_answer_other_than_done_is_a_company_file_to_retry(quickbooks, clock):
    server = ScriptedServer("alice", "pw", SETS, company_file="C:\\Other.qbw", connection_error_replies=[""])
    result = run(server, quickbooks, clock)
    assert result.ok and result.ops.count("connectionError") == 1
    assert result.ops[3:5] == ["connectionError", "sendRequestXML"]


# -- versions -------------------------------------------------------------------------------------------
def test_client_version_warning_is_recorded_and_the_update_goes_on(quickbooks, clock):
    result = run(ScriptedServer("alice", "pw", SETS, client_version_reply="W:Please upgrade soon"), quickbooks, clock)
    assert result.ok and result.warnings == ["Please upgrade soon"]


@pytest.mark.parametrize(("reply", "status"), [
    ("E:This server is closed for maintenance", "This server is closed for maintenance"),
    ("O:2.3.0.300", ("The web service requires QuickBooks Web Connector version 2.3.0.300 or later "
                     "(this is 2.3.0.215).")),
])
def test_client_version_error_or_old_version_stops_before_authenticate(quickbooks, clock, reply, status):
    server = ScriptedServer("alice", "pw", SETS, client_version_reply=reply)
    result = run(server, quickbooks, clock)
    assert not result.ok and result.status == status
    assert server.ops == ["serverVersion", "clientVersion"]
    assert server.calls[1].args == {"strVersion": "2.3.0.215"}


def test_version_calls_answered_with_a_soap_fault_count_as_not_implemented(quickbooks, clock):
    server = ScriptedServer("alice", "pw", SETS)
    fault = soap.fault_envelope("soap:Client", "Server did not recognize the value of HTTP Header SOAPAction")
    transport = Override(WsgiTransport(server), serverVersion=fault, clientVersion=fault)
    result = run(server, quickbooks, clock, transport=transport)
    assert result.ok and result.server_version is None and len(result.warnings) == 2
    assert "clientVersion failed" in result.warnings[1]


# -- the exchange loop ----------------------------------------------------------------------------------
def test_noop_pauses_five_seconds_on_the_clock_then_asks_again(quickbooks, clock):
    server = ScriptedServer("alice", "pw", SETS, empty_sends=["NoOp", "noop"])
    before = clock.now()
    result = run(server, quickbooks, clock)
    assert result.ok
    assert result.ops[3:8] == ["sendRequestXML", "getLastError", "sendRequestXML", "getLastError",
                               "sendRequestXML"]
    assert (clock.now() - before).total_seconds() >= 10
    hcp = [call.args["strHCPResponse"] for call in server.calls if call.op == "sendRequestXML"]
    assert hcp[0] == OK_RESPONSE and set(hcp[1:]) == {""}


def test_get_last_error_text_ends_the_update_with_that_message_then_closes(quickbooks, clock):
    server = ScriptedServer("alice", "pw", SETS, empty_sends=["Work block 1842 was not sent: fix it"])
    result = run(server, quickbooks, clock)
    assert not result.ok and result.status == "Work block 1842 was not sent: fix it"
    assert result.ops[-3:] == ["sendRequestXML", "getLastError", "closeConnection"]


def test_interactive_mode_is_recorded_as_unsupported(quickbooks, clock):
    result = run(ScriptedServer("alice", "pw", SETS, empty_sends=["Interactive mode"]), quickbooks, clock)
    assert not result.ok and "Interactive mode" in result.status
    assert result.ops[-1] == "getLastError"


def test_negative_progress_calls_get_last_error_then_close_connection(quickbooks, clock):
    server = ScriptedServer("alice", "pw", SETS, misbehave="negative-progress")
    result = run(server, quickbooks, clock)
    assert result.ops[-3:] == ["receiveResponseXML", "getLastError", "closeConnection"]
    assert not result.ok and result.status == "ScriptedServer: scripted failure (negative progress)"


def test_parse_error_goes_to_receive_response_with_hresult_and_empty_response(quickbooks, clock):
    server = ScriptedServer("alice", "pw", ['<?qbxml version="16.0"?><BROKEN>'])
    result = run(server, quickbooks, clock)
    assert server.receipts[0].response == ""
    assert server.receipts[0].hresult == "0x80040400"
    assert server.receipts[0].message == "QuickBooks found an error when parsing the provided XML text stream."
    assert result.calls("receiveResponseXML")[0].reply == -101
    assert result.ops[-2:] == ["getLastError", "closeConnection"]
    assert result.status == ("QuickBooks reported 0x80040400: QuickBooks found an error when parsing the provided "
                             "XML text stream.")


def test_round_trip_cap_stops_a_server_that_never_finishes(quickbooks, clock):
    server = ScriptedServer("alice", "pw", SETS, misbehave="never-finishes")
    result = run(server, quickbooks, clock, max_round_trips=7)
    assert not result.ok and result.status.startswith("Stopped after 7 round trips")
    assert result.ops.count("sendRequestXML") == 7 and result.ops[-1] == "closeConnection"
    assert result.progress == 50


# -- server misbehaviour --------------------------------------------------------------------------------
@pytest.mark.parametrize(("misbehave", "op", "expected"), [
    ("fault-on-receive", "receiveResponseXML", "SOAP Fault: ScriptedServer: scripted failure"),
    ("garbage-on-send", "sendRequestXML", "Response is not well-formed XML"),
    ("html-500-on-send", "sendRequestXML", "HTTP 500"),
    ("wrong-type-on-receive", "receiveResponseXML", "'fifty percent', not an int"),
])
def test_server_misbehaviour_ends_the_update_with_a_readable_error(quickbooks, clock, misbehave, op, expected):
    server = ScriptedServer("alice", "pw", SETS, misbehave=misbehave)
    result = run(server, quickbooks, clock)
    assert not result.ok and result.status.startswith(f"{op} failed: ") and expected in result.status
    assert result.ops[-1] == op and "closeConnection" not in result.ops
    assert result.transcript[-1].error == result.status
    assert all(session.closed for session in quickbooks.sessions) and quickbooks.sessions


def test_a_crashing_wsgi_app_is_a_readable_transport_error(quickbooks, clock):
    def crashing_app(environ, start_response):
        raise RuntimeError("database is gone")

    result = run(ScriptedServer("a", "b", []), quickbooks, clock, transport=WsgiTransport(crashing_app))
    assert result.status == "serverVersion failed: the server crashed: RuntimeError: database is gone"
    assert result.ops == ["serverVersion"]


def test_unknown_misbehaviour_is_refused():
    with pytest.raises(ValueError, match="fault-on-receive"):
        ScriptedServer("a", "b", [], misbehave="explode")


# -- the result -----------------------------------------------------------------------------------------
def test_quickbooks_session_is_closed_after_a_successful_update(quickbooks, clock):
    run(ScriptedServer("alice", "pw", SETS), quickbooks, clock)
    assert len(quickbooks.sessions) == 1 and quickbooks.sessions[0].closed


def test_result_serialises_to_json_and_summarises(quickbooks, clock):
    result = run(ScriptedServer("alice", "pw", SETS, client_version_reply="W:old"), quickbooks, clock)
    data = json.loads(json.dumps(result.to_json()))
    assert data["status"] == "Ok" and data["transcript"][2]["op"] == "authenticate"
    assert data["transcript"][2]["reply"] == ["scripted-ticket-1", ""]
    summary = result.summary()
    assert summary.splitlines()[0] == "Update OK: Ok (progress 100%)"
    assert "warning: old" in summary and "closeConnection(ticket='scripted-ticket-1') -> 'OK'" in summary


def test_real_quickbooks_simulator_end_to_end(clock):
    processor = pytest.importorskip("qbbridge.mockqb.processor")
    sample = pytest.importorskip("qbbridge.mockqb.sample")
    quickbooks = processor.QuickBooks(sample.sample_company(clock=clock))
    add = ('<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="16.0"?>\n<QBXML>'
           '<QBXMLMsgsRq onError="stopOnError"><ClassAddRq requestID="7"><ClassAdd><Name>Roofing</Name>'
           "</ClassAdd></ClassAddRq></QBXMLMsgsRq></QBXML>")
    server = ScriptedServer("alice", "pw", [add])
    result = run(server, quickbooks, clock)
    assert result.ok, result.summary()
    assert "<HostRet>" in server.hcp_responses[0]
    rs = etree.fromstring(server.responses[0].encode()).find("QBXMLMsgsRs/ClassAddRs")
    assert rs.get("statusCode") == "0" and rs.get("requestID") == "7"
    assert rs.findtext("ClassRet/Name") == "Roofing"


def test_progress_above_100_is_server_misbehaviour(quickbooks, clock):
    server = ScriptedServer("alice", "pw", SETS)
    transport = Override(WsgiTransport(server),
                         receiveResponseXML=soap.response_envelope("receiveResponseXML", 150))
    result = run(server, quickbooks, clock, transport=transport)
    assert not result.ok and "returned 150" in result.status and result.ops[-1] == "closeConnection"


# -- the in-process transport ---------------------------------------------------------------------------
def test_wsgi_transport_passes_a_compliant_environ_and_the_real_envelope(quickbooks, clock):
    server = ScriptedServer("alice", "pw", SETS)
    seen = []

    def spy(environ, start_response):
        body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
        seen.append((environ["REQUEST_METHOD"], environ["CONTENT_TYPE"], environ["HTTP_SOAPACTION"], body))
        environ["wsgi.input"] = io.BytesIO(body)
        return server(environ, start_response)

    result = run(server, quickbooks, clock, transport=WsgiTransport(validator(spy), path="/qbwc"))
    assert result.ok, result.summary()
    method, content_type, action, body = seen[2]
    assert (method, content_type, action) == ("POST", "text/xml; charset=utf-8",
                                              '"http://developer.intuit.com/authenticate"')
    assert body == soap.request_envelope("authenticate", {"strUserName": "alice", "strPassword": "pw"})
