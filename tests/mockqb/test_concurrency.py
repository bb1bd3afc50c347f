"""Two sessions on one company from two threads (two Web Connectors, say) never interleave changes."""

from __future__ import annotations

import sys
import threading

from qbbridge.mockqb.processor import QuickBooks
from qbbridge.mockqb.scripted_server import ScriptedServer
from qbbridge.mockqb.testing import Response, message_set
from qbbridge.mockqb.transports import WsgiTransport
from qbbridge.mockqb.webconnector import WebConnector

ADD = '<ClassAddRq requestID="{n}"><ClassAdd><Name>{name}</Name></ClassAdd></ClassAddRq>'


def run_in_threads(*targets):
    """Run ``targets`` at once, switching threads as often as the interpreter allows, so that an
    unguarded check-then-write in the simulator would interleave."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=target) for target in targets]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        sys.setswitchinterval(previous)
    assert not any(thread.is_alive() for thread in threads)


def test_racing_adds_of_the_same_names_succeed_once_each(company):
    quickbooks = QuickBooks(company, schema_dir=None)
    names = [f"Shared {n}" for n in range(300)]
    outcomes: dict[str, list[int]] = {"a": [], "b": []}

    def worker(label: str):
        session = quickbooks.open_session(label)
        for n, name in enumerate(names):
            response = Response.parse(session.process(message_set(ADD.format(n=n, name=name))))
            outcomes[label].append(response[0].code)

    run_in_threads(lambda: worker("a"), lambda: worker("b"))
    assert sorted(outcomes["a"] + outcomes["b"]) == [0] * 300 + [3100] * 300
    ids = [r["ListID"] for r in company.records("Class")]
    assert len(ids) == len(set(ids))


def test_two_web_connectors_on_one_company_at_once(company):
    quickbooks = QuickBooks(company)
    servers = [ScriptedServer("u", "p", [message_set(ADD.format(n=i, name=f"{who} {i}")) for i in range(10)])
               for who in ("Left", "Right")]
    results = []

    def update(server):
        connector = WebConnector(WsgiTransport(server), quickbooks, user="u", password="p")
        results.append(connector.run_update())

    run_in_threads(*(lambda s=server: update(s) for server in servers))
    assert [r.ok for r in results] == [True, True]
    names = {r["FullName"] for r in company.records("Class")}
    assert {f"{who} {i}" for who in ("Left", "Right") for i in range(10)} <= names
