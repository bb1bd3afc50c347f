"""Random fault schedules against a server that simply resends what was not acknowledged.

With qbXML error recovery on (a newMessageSetID per set), whatever the Web Connector loses, replays or
fails, QuickBooks runs each message set once: after enough updates every class exists exactly once,
and every answer the server received for a set names the same ListID.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from qbbridge.mockqb.clock import SimulatedClock
from qbbridge.mockqb.faults import FaultPlan
from qbbridge.mockqb.processor import QuickBooks
from qbbridge.mockqb.sample import sample_company
from qbbridge.mockqb.scripted_server import ScriptedServer
from qbbridge.mockqb.testing import Response, message_set
from qbbridge.mockqb.transports import WsgiTransport
from qbbridge.mockqb.webconnector import WebConnector

MAX_UPDATES = 12

faults = st.lists(st.one_of(
    st.builds(lambda n: f"lose-answer@{n}", st.integers(1, 6)),
    st.builds(lambda n: f"lose-request@{n}", st.integers(1, 8)),
    st.builds(lambda n: f"hresult@{n}", st.integers(1, 6)),
    st.builds(lambda op, n: f"replay:{op}@{n}", st.sampled_from(["sendRequestXML", "receiveResponseXML"]),
              st.integers(1, 8)),
    st.builds(lambda n: f"pause:sendRequestXML@{n}=30", st.integers(1, 8)),
), max_size=5)


def class_sets(count: int) -> list[str]:
    return [message_set(f'<ClassAddRq requestID="{i}"><ClassAdd><Name>C{i}</Name></ClassAdd></ClassAddRq>',
                        newMessageSetID=f"set-{i}") for i in range(count)]


@settings(max_examples=75, deadline=None)
@given(count=st.integers(1, 4), specs=faults)
@example(count=1, specs=["lose-answer@1", "replay:receiveResponseXML@1"])  # a lost answer has no copies
def test_every_set_runs_once_whatever_is_lost(count, specs):
    company = sample_company()
    server = ScriptedServer("u", "p", class_sets(count))
    connector = WebConnector(WsgiTransport(server), QuickBooks(company), user="u", password="p",
                             clock=SimulatedClock(), faults=FaultPlan.parse(specs))
    results = []
    while len(results) < MAX_UPDATES and not (results and results[-1].ok):
        results.append(connector.run_update())
    assert results[-1].ok, [r.status for r in results]
    for i in range(count):
        assert [r["FullName"] for r in company.records("Class")].count(f"C{i}") == 1
    answered = {}
    for receipt in server.receipts:
        if receipt.response and receipt.set_index is not None:  # a replay after the ack names no set
            list_id = Response.parse(receipt.response)[0].ret().findtext("ListID")
            assert answered.setdefault(receipt.set_index, list_id) == list_id
    assert sorted(answered) == list(range(count))


def test_a_scripted_server_with_everything_acknowledged_has_nothing_to_do():
    server = ScriptedServer("u", "p", class_sets(1))
    connector = WebConnector(WsgiTransport(server), QuickBooks(sample_company()), user="u", password="p")
    assert connector.run_update().status == "Ok"
    again = connector.run_update()
    assert again.ok and again.status == "No data exchange required"
