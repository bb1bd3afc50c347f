"""Two Web Connectors on one company, and two server workers on one database, end to end.

Rule: one live update per company — a second Web Connector gets ``busy`` while the first one's update
is live, so no record is ever sent twice — and any worker may serve any call of an update, because
every call is served from the database.
"""

from __future__ import annotations

import socketserver
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from e2e_harness import COMPANY, PASSWORD, USER, adds_seen, assert_exactly_once

from qbbridge.mockqb.faults import FaultPlan
from qbbridge.mockqb.processor import QuickBooks
from qbbridge.mockqb.sample import sample_company
from qbbridge.mockqb.serving import serve_in_thread
from qbbridge.mockqb.transports import HttpTransport
from qbbridge.mockqb.webconnector import WebConnector

pytestmark = pytest.mark.e2e

KEYS = [f"b{n}" for n in range(7)]
WAIT = 30  # seconds a thread waits for another before the test fails (never reached when all is well)


@pytest.fixture
def seven(bridge):
    bridge.host.update_settings(COMPANY, read_lists=False)
    bridge.submit_hours(KEYS)
    return bridge


def test_a_second_web_connector_in_the_middle_of_an_update_is_busy(seven, webconnector, mockqb_webconnector,
                                                                   mockqb_faults, mockqb_company,
                                                                   mockqb_quickbooks):
    seven.host.add_user("wc2", PASSWORD, COMPANY)  # a second PC, its own login, the same company file
    other = mockqb_webconnector(seven.wsgi, user="wc2", password=PASSWORD, faults=FaultPlan())
    seen = []
    for op, n in [("sendRequestXML", 1), ("receiveResponseXML", 2), ("closeConnection", 1)]:
        mockqb_faults.before(op, n, lambda *_: seen.append(other.run_update()))
    first = webconnector.run_update()
    assert first.ok and first.progress == 100, first.summary()
    # Busy while A's update is live, including after A's 100 until its closeConnection (which follows
    # at once); a finished update is taken over only after a short grace.
    assert [result.status for result in seen] == ["Application Busy"] * 3
    assert all("sendRequestXML" not in result.ops for result in seen)
    assert_exactly_once(seven, mockqb_company, KEYS)
    assert adds_seen(mockqb_quickbooks) == dict.fromkeys(KEYS, 1)
    assert other.run_update().status == "No data exchange required"  # once released: nothing left


def test_the_same_login_on_two_web_connectors_is_busy_too(seven, webconnector, mockqb_webconnector,
                                                          mockqb_faults, mockqb_company):
    other = mockqb_webconnector(seven.wsgi, user=USER, password=PASSWORD, faults=FaultPlan())
    seen = []
    mockqb_faults.before("receiveResponseXML", 1, lambda *_: seen.append(other.run_update()))
    assert webconnector.run_update().ok
    assert [result.status for result in seen] == ["Application Busy"]
    assert_exactly_once(seven, mockqb_company, KEYS)


@pytest.mark.http
def test_two_web_connectors_in_threads_over_http(seven, mockqb_webconnector, mockqb_company):
    """B authenticates while A's update is live (A waits for B before its first sendRequestXML)."""
    a_is_live, b_is_done = threading.Event(), threading.Event()
    results: dict[str, Any] = {}

    def a_waits_for_b(*_: Any) -> None:
        a_is_live.set()
        assert b_is_done.wait(WAIT), "the second Web Connector never finished"

    def run_b(url: str) -> None:
        try:
            faults = FaultPlan().before("serverVersion", 1, lambda *_: a_is_live.wait(WAIT))
            results["b"] = mockqb_webconnector(url, user=USER, password=PASSWORD, faults=faults).run_update()
        finally:
            b_is_done.set()

    with serve_in_thread(seven.wsgi) as url:
        thread = threading.Thread(target=run_b, args=(url,))
        thread.start()
        a = mockqb_webconnector(url, user=USER, password=PASSWORD,
                                faults=FaultPlan().before("sendRequestXML", 1, a_waits_for_b))
        results["a"] = a.run_update()
        thread.join(WAIT)
    assert results["a"].ok, results["a"].summary()
    assert results["b"].status == "Application Busy"
    assert_exactly_once(seven, mockqb_company, KEYS)


    assert results["a"].ok, results["a"].summary()
    assert results["b"].status == "Application Busy"
    assert_exactly_once(seven, mockqb_company, KEYS)


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # the base class's signature
        pass


@contextmanager
def _threaded_server(app: Any) -> Iterator[str]:
    """Like ``serve_in_thread``, but every request in its own thread: calls really run at once."""
    server = make_server("127.0.0.1", 0, app, server_class=_ThreadingServer, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/qbwc"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(WAIT)


@pytest.mark.http
def test_web_connectors_racing_in_threads_never_send_a_record_twice(seven, mockqb_webconnector, mockqb_company,
                                                                   mockqb_quickbooks):
    """Four Web Connectors click Update at once, repeatedly, while more records arrive: however their
    calls interleave on a threaded server, every record lands exactly once."""
    statuses: Counter[str] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(4)

    def clicks(url: str) -> None:
        connector = mockqb_webconnector(url, user=USER, password=PASSWORD, faults=FaultPlan())
        start.wait(WAIT)
        for _ in range(6):
            status = connector.run_update().status
            with lock:
                statuses[status] += 1

    seven.submit_hours([f"late{n}" for n in range(5)])
    with serve_in_thread(seven.wsgi, threaded=True) as url:
        threads = [threading.Thread(target=clicks, args=(url,)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(WAIT * 2)
    assert set(statuses) <= {"Ok", "Application Busy", "No data exchange required"}, statuses
    assert statuses["Ok"] >= 1
    keys = KEYS + [f"late{n}" for n in range(5)]
    assert_exactly_once(seven, mockqb_company, keys)
    assert adds_seen(mockqb_quickbooks) == dict.fromkeys(keys, 1)


class RoundRobin:
    """A load balancer: each SOAP call goes to the next worker in turn."""

    def __init__(self, *apps: Any) -> None:
        self.apps, self.served, self._lock = apps, Counter[int](), threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        with self._lock:
            index = sum(self.served.values()) % len(self.apps)
            self.served[index] += 1
        return self.apps[index].wsgi()(environ, start_response)


def test_two_workers_serve_alternate_calls_of_one_update(seven, mockqb_webconnector, mockqb_company,
                                                         mockqb_quickbooks):
    worker = seven.worker()
    try:
        balancer = RoundRobin(seven.app, worker)
        result = mockqb_webconnector(balancer, user=USER, password=PASSWORD).run_update()
    finally:
        worker.close()
    assert result.ok and result.progress == 100, result.summary()
    assert balancer.served[0] >= 4 and balancer.served[1] >= 4
    assert_exactly_once(seven, mockqb_company, KEYS)
    assert adds_seen(mockqb_quickbooks) == dict.fromkeys(KEYS, 1)


def test_two_workers_recover_a_lost_answer_between_them(seven, mockqb_webconnector, mockqb_faults,
                                                        mockqb_company, mockqb_quickbooks):
    worker = seven.worker()
    try:
        connector = mockqb_webconnector(RoundRobin(worker, seven.app), user=USER, password=PASSWORD)
        mockqb_faults.lose_answer(2)
        assert not connector.run_update().ok
        seven.take_over()
        result = connector.run_update()
    finally:
        worker.close()
    assert result.ok, result.summary()
    assert_exactly_once(seven, mockqb_company, KEYS)
    assert adds_seen(mockqb_quickbooks) == dict.fromkeys(KEYS, 1)


@pytest.mark.http
def test_two_workers_in_threads_update_two_companies_at_once(seven, mockqb_webconnector, mockqb_company,
                                                             mockqb_clock):
    """Two companies on one database, each with its own Web Connector and QuickBooks, each update served
    by both workers at the same time: neither company's records leak into the other's file."""
    seven.host.add_company("bakery")
    seven.host.add_user("wc-bakery", PASSWORD, "bakery")
    seven.host.update_settings("bakery", read_lists=False)
    bakery_keys = [f"k{n}" for n in range(7)]
    seven.host.submit("bakery", "hours", [(key, {"date": "2026-11-20", "employee": "John Smith", "minutes": 30})
                                          for key in bakery_keys])
    bakery_file = sample_company(clock=mockqb_clock)
    worker = seven.worker()
    results: dict[str, Any] = {}
    start = threading.Barrier(2)

    def run(name: str, url: str, user: str, company: Any) -> None:
        connector = WebConnector(HttpTransport(url), QuickBooks(company), user=user, password=PASSWORD,
                                 clock=mockqb_clock)
        start.wait(WAIT)
        results[name] = connector.run_update()

    try:
        with serve_in_thread(RoundRobin(seven.app, worker), threaded=True) as url:
            threads = [threading.Thread(target=run, args=("acme", url, USER, mockqb_company)),
                       threading.Thread(target=run, args=("bakery", url, "wc-bakery", bakery_file))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(WAIT * 2)
    finally:
        worker.close()
    assert results["acme"].ok and results["bakery"].ok, (results["acme"].summary(), results["bakery"].summary())
    assert_exactly_once(seven, mockqb_company, KEYS)
    bakery = Counter(r["Notes"].removeprefix("qbb:") for r in bakery_file.records("TimeTracking"))
    assert bakery == dict.fromkeys(bakery_keys, 1)
    assert {row["state"] for row in seven.host.records("bakery", "hours")} == {"synced"}
