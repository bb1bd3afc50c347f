"""Fault specs and what each fault does to a simulated update."""

from __future__ import annotations

import pytest

from qbbridge.mockqb.clock import SimulatedClock
from qbbridge.mockqb.company import CompanyFile
from qbbridge.mockqb.faults import Fault, FaultPlan, FaultSpecError, hresult_message, parse_fault
from qbbridge.mockqb.scripted_server import ScriptedServer
from qbbridge.mockqb.transports import WsgiTransport
from qbbridge.mockqb.webconnector import WebConnector

SETS = [f'<?qbxml version="16.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><ClassQueryRq requestID="{n}"/>'
        "</QBXMLMsgsRq></QBXML>" for n in (1, 2, 3)]


class RecordingQuickBooks:
    """A fake QuickBooks: every session's process() answers by echoing which set it got."""

    def __init__(self) -> None:
        self.company = CompanyFile()
        self.processed: list[str] = []
        self.sessions_closed: list[bool] = []

    def open_session(self, app_name: str) -> RecordingQuickBooks:
        self.sessions_closed.append(False)
        return self

    def process(self, request_xml: str) -> str:
        self.processed.append(request_xml)
        return f"<QBXML><QBXMLMsgsRs><Answer>{len(self.processed)}</Answer></QBXMLMsgsRs></QBXML>"

    def close(self) -> None:
        self.sessions_closed[-1] = True

    @property
    def message_sets(self) -> list[str]:
        return [xml for xml in self.processed if "HostQueryRq" not in xml]


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock()


@pytest.fixture
def quickbooks() -> RecordingQuickBooks:
    return RecordingQuickBooks()


def run(server, quickbooks, clock, faults, *, transport=None):
    connector = WebConnector(transport or WsgiTransport(server), quickbooks, user="u", password="p", clock=clock,
                             faults=faults if isinstance(faults, FaultPlan) else FaultPlan.parse(faults))
    return connector.run_update()


# -- the grammar ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("spec", "fault"), [
    ("lose-answer@2", Fault("lose-answer", n=2)),
    ("lose-request@1", Fault("lose-request", n=1)),
    ("hresult@3=0x80040401", Fault("hresult", n=3, value="0x80040401")),
    ("hresult@3", Fault("hresult", n=3, value="0x80040402")),
    ("HResult@1=0x8004040d", Fault("hresult", n=1, value="0x8004040D")),
    ("replay:receiveresponsexml@2", Fault("replay", op="receiveResponseXML", n=2)),
    ("replay:sendRequestXML", Fault("replay", op="sendRequestXML")),
    ("qb-unavailable", Fault("qb-unavailable", value="0x80040408")),
    ("qb-unavailable=0x80040401", Fault("qb-unavailable", value="0x80040401")),
    ("pause:sendRequestXML@2=30", Fault("pause", op="sendRequestXML", n=2, value="30")),
    (" pause:closeConnection=0.5 ", Fault("pause", op="closeConnection", value="0.5")),
])
def test_specs_parse_to_faults_and_print_canonically(spec, fault):
    assert parse_fault(spec) == fault
    assert parse_fault(str(fault)) == fault


@pytest.mark.parametrize(("spec", "problem"), [
    ("lose-everything@1", "unknown kind 'lose-everything'"),
    ("replay@2", "OP is required; write replay:OP@N"),
    ("lose-answer:sendRequestXML@2", "this kind takes no OP; write lose-answer@N"),
    ("lose-answer@0", "N must be a whole number from 1, not '0'"),
    ("lose-answer@two", "N must be a whole number from 1, not 'two'"),
    ("lose-answer@", "N must be a whole number from 1, not ''"),
    ("replay:sendRequestXML@1=2", "this kind takes no =VALUE; write replay:OP@N"),
    ("replay:sendRequest@1", "unknown operation 'sendRequest'"),
    ("hresult@1=80040402", "HRESULT must look like 0x80040402, not '80040402'"),
    ("qb-unavailable@2", "this kind takes no @N"),
    ("pause:sendRequestXML@1", "=VALUE is required; write pause:OP@N=SECONDS"),
    ("pause:sendRequestXML@1=-3", "SECONDS must be a number >= 0, not '-3'"),
    ("pause:sendRequestXML@1=soon", "SECONDS must be a number >= 0, not 'soon'"),
    ("", "unknown kind ''"),
])
def test_bad_specs_name_the_spec_and_the_problem(spec, problem):
    with pytest.raises(FaultSpecError) as caught:
        parse_fault(spec)
    message = str(caught.value)
    assert message.startswith(f"bad fault spec {spec!r}: {problem}")
    assert "KIND[:OP][@N][=VALUE]" in message and "lose-request@N" in message
    assert isinstance(caught.value, ValueError)


def test_builders_make_the_same_plan_as_specs():
    built = (FaultPlan().lose_answer(2).lose_request(1).hresult(3, "0x80040401").replay("sendRequestXML", 1)
             .qb_unavailable().pause("getLastError", 5, n=2))
    parsed = FaultPlan.parse(["lose-answer@2", "lose-request@1", "hresult@3=0x80040401", "replay:sendRequestXML@1",
                              "qb-unavailable", "pause:getLastError@2=5.0"])
    assert built.faults == parsed.faults
    assert str(FaultPlan.parse("lose-answer@2")) == "lose-answer@2"
    with pytest.raises(FaultSpecError, match="unknown operation 'nope'"):
        FaultPlan().before("nope", 1, lambda op, n: None)
    with pytest.raises(FaultSpecError, match="N must be a whole number"):
        FaultPlan().before("sendRequestXML", 0, lambda op, n: None)


def test_standard_hresult_messages():
    assert hresult_message("0x80040402") == ("Unexpected error. Check the qbsdklog.txt file for possible, "
                                             "additional information.")
    assert hresult_message("0x80040416").startswith("If QuickBooks is not running")
    assert "0x8004FFFF" in hresult_message("0x8004FFFF")


# -- the faults in an update ----------------------------------------------------------------------------
def test_lose_answer_quickbooks_committed_the_set_but_the_server_never_heard(quickbooks, clock):
    server = ScriptedServer("u", "p", SETS)
    result = run(server, quickbooks, clock, ["lose-answer@2"])
    assert quickbooks.message_sets == SETS[:2]  # QuickBooks processed set 2 ...
    assert [receipt.set_index for receipt in server.receipts] == [0]  # ... the server only heard about set 1
    assert server.ops[-1] == "sendRequestXML" and "closeConnection" not in server.ops
    last = result.transcript[-1]
    assert last.op == "receiveResponseXML" and last.error and "lose-answer@2" in last.notes[0]
    assert last.args["response"].endswith("<Answer>3</Answer></QBXMLMsgsRs></QBXML>")  # HCP was answer 1
    assert not result.ok and "QuickBooks had already processed message set 2" in result.status
    assert quickbooks.sessions_closed == [True]


def test_lose_request_the_server_sent_the_set_but_quickbooks_never_saw_it(quickbooks, clock):
    server = ScriptedServer("u", "p", SETS)
    result = run(server, quickbooks, clock, ["lose-request@1"])
    assert server.ops[-1] == "sendRequestXML" and server.receipts == []
    assert quickbooks.message_sets == []
    assert result.transcript[-1].reply == SETS[0]  # the transcript keeps what was lost
    assert not result.ok and result.status.startswith("sendRequestXML failed: the server's reply was lost")
    assert "closeConnection" not in result.ops


def test_hresult_fault_skips_quickbooks_and_reports_the_hresult(quickbooks, clock):
    server = ScriptedServer("u", "p", SETS, hresult_progress=40)
    result = run(server, quickbooks, clock, ["hresult@2=0x80040401"])
    assert [r.hresult for r in server.receipts] == ["", "0x80040401", "", ""]
    assert server.receipts[1].response == "" and server.receipts[1].message == "Could not access QuickBooks."
    assert quickbooks.message_sets == [SETS[0], SETS[1], SETS[2]]  # set 2 only after the server re-sent it
    assert result.ok and "hresult@2=0x80040401" in result.calls("receiveResponseXML")[1].notes


def test_hresult_fault_default_is_unexpected_error_and_ends_with_get_last_error(quickbooks, clock):
    server = ScriptedServer("u", "p", SETS)
    result = run(server, quickbooks, clock, ["hresult@1"])
    assert server.receipts[0].hresult == "0x80040402" and quickbooks.message_sets == []
    assert result.ops[-3:] == ["receiveResponseXML", "getLastError", "closeConnection"]
    assert not result.ok and "0x80040402" in result.status


def test_replayed_send_request_is_seen_twice_by_the_server_and_processed_once(quickbooks, clock):
    server = ScriptedServer("u", "p", SETS)
    result = run(server, quickbooks, clock, ["replay:sendRequestXML@2"])
    assert server.ops[5:8] == ["sendRequestXML", "sendRequestXML", "receiveResponseXML"]
    assert server.calls[5].args == server.calls[6].args
    assert quickbooks.message_sets == SETS and result.ok
    first, second = result.calls("sendRequestXML")[1:3]
    assert "first copy" in first.notes[0] and "second copy, used" in second.notes[0]


def test_replayed_receive_response_reaches_the_server_twice(quickbooks, clock):
    server = ScriptedServer("u", "p", SETS)
    result = run(server, quickbooks, clock, ["replay:receiveResponseXML@1"])
    assert server.responses[0] == server.responses[1]
    assert [r.set_index for r in server.receipts] == [0, None, 1, 2]
    assert result.ok and quickbooks.message_sets == SETS


def test_replayed_authenticate_uses_the_second_ticket(quickbooks, clock):
    server = ScriptedServer("u", "p", SETS)
    result = run(server, quickbooks, clock, ["replay:authenticate@1"])
    assert server.ops[2:4] == ["authenticate", "authenticate"]
    assert result.ticket == "scripted-ticket-2"
    assert {call.args["ticket"] for call in server.calls[4:]} == {"scripted-ticket-2"}


def test_qb_unavailable_calls_connection_error_until_done(quickbooks, clock):
    server = ScriptedServer("u", "p", SETS, connection_error_replies=["", "", "DONE"])
    result = run(server, quickbooks, clock, ["qb-unavailable=0x80040401"])
    assert server.ops == ["serverVersion", "clientVersion", "authenticate"] + ["connectionError"] * 3
    assert server.calls[-1].args == {"ticket": "scripted-ticket-1", "hresult": "0x80040401",
                                     "message": "Could not access QuickBooks."}
    assert quickbooks.processed == [] and quickbooks.sessions_closed == []
    assert not result.ok and result.status == "Could not access QuickBooks. (0x80040401)"


def test_qb_unavailable_gives_up_when_the_server_never_says_done(quickbooks, clock):
    server = ScriptedServer("u", "p", SETS, connection_error_replies=[""])
    result = run(server, quickbooks, clock, ["qb-unavailable"])
    assert server.ops.count("connectionError") == 3 and "closeConnection" not in server.ops
    assert "did not answer 'done' after 3 calls" in result.status
    assert server.calls[-1].args["hresult"] == "0x80040408"


def test_pause_waits_on_the_clock_before_that_call(quickbooks, clock):
    server = ScriptedServer("u", "p", SETS)
    seen = []
    plan = FaultPlan.parse(["pause:receiveResponseXML@2=3600"])
    plan.before("receiveResponseXML", 2, lambda op, n: seen.append((op, n, clock.now(), len(server.receipts))))
    start = clock.now()
    result = run(server, quickbooks, clock, plan)
    assert result.ok
    (op, n, at, receipts_before), = seen
    assert (op, n, receipts_before) == ("receiveResponseXML", 2, 1)
    assert (at - start).total_seconds() >= 3600
    assert "paused 3600 s before the call" in result.calls("receiveResponseXML")[1].notes


def test_a_fault_without_n_applies_to_every_occurrence(quickbooks, clock):
    plan = FaultPlan().pause("receiveResponseXML", 10)
    calls = []
    plan.before("sendRequestXML", None, lambda op, n: calls.append(n))
    start = clock.now()
    result = run(ScriptedServer("u", "p", SETS), quickbooks, clock, plan)
    assert calls == [1, 2, 3] and (clock.now() - start).total_seconds() >= 30
    assert all("paused 10 s" in " ".join(r.notes) for r in result.calls("receiveResponseXML"))


def test_before_hook_can_restart_the_server_between_calls(quickbooks, clock):
    server = ScriptedServer("u", "p", SETS)
    transport = WsgiTransport(server)

    def restart(op: str, n: int) -> None:
        transport.app = ScriptedServer("u", "p", SETS)  # a fresh process: in-memory tickets are gone

    plan = FaultPlan().before("receiveResponseXML", 1, restart)
    result = run(server, quickbooks, clock, plan, transport=transport)
    assert not result.ok
    assert result.status == ("receiveResponseXML failed: the server answered with a SOAP Fault: "
                             "unknown ticket 'scripted-ticket-1' [soap:Client]")
    assert server.receipts == [] and quickbooks.message_sets == SETS[:1]


def test_fault_counts_run_over_the_connector_so_the_next_update_recovers(quickbooks, clock):
    server = ScriptedServer("u", "p", SETS[:1])
    connector = WebConnector(WsgiTransport(server), quickbooks, user="u", password="p", clock=clock,
                             faults=FaultPlan.parse("lose-answer@1"))
    first, second = connector.run_update(), connector.run_update()
    assert not first.ok and second.ok, second.summary()
    assert second.ticket == "scripted-ticket-2" and len(server.receipts) == 1
    assert quickbooks.sessions_closed == [True, True]


def test_lose_answer_with_the_real_simulator_leaves_the_write_committed(clock):
    processor = pytest.importorskip("qbbridge.mockqb.processor")
    sample = pytest.importorskip("qbbridge.mockqb.sample")
    company = sample.sample_company(clock=clock)
    add = ('<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="16.0"?>\n<QBXML>'
           '<QBXMLMsgsRq onError="stopOnError"><ClassAddRq><ClassAdd><Name>Roofing</Name></ClassAdd>'
           "</ClassAddRq></QBXMLMsgsRq></QBXML>")
    server = ScriptedServer("u", "p", [add])
    result = run(server, processor.QuickBooks(company), clock, ["lose-answer@1"])
    assert not result.ok and server.receipts == []
    assert company.find_by_name(("Class",), "Roofing") is not None
