"""A Web Connector played by hand: ``WebConnectorService`` methods called directly (no SOAP), with the
mockqb QuickBooks simulator answering the requests, on a real store.

Rule: the harness only calls the service's public methods and reads the store in fresh sessions, the
way another worker would; it never reaches into an update's state.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from lxml import etree
from service_plugin import ServicePlugin, marker
from sqlalchemy import orm as so

from qbbridge.core.app import App, build_app
from qbbridge.core.service import WebConnectorService
from qbbridge.core.store.models import Event, MessageSet, SyncRecord, Update
from qbbridge.core.store.uow import unit_of_work
from qbbridge.core.testing import ManualClock
from qbbridge.mockqb.processor import QbSession, QuickBooks
from qbbridge.mockqb.webconnector import hcp_request

USER, PASSWORD, COMPANY = "wc", "correct horse battery", "acme"
APP_NAME = "qbbridge"


@dataclass
class Exchange:
    """One update as the harness ran it: the request sets sent and the progress after each answer."""

    ticket: str
    requests: list[str] = field(default_factory=list)
    responses: list[str] = field(default_factory=list)
    progress: list[int] = field(default_factory=list)


@dataclass
class Harness:
    app: App
    clock: ManualClock
    quickbooks: QuickBooks
    plugin: ServicePlugin
    qb: QbSession | None = None
    workers: list[App] = field(default_factory=list)

    @property
    def service(self) -> WebConnectorService:
        return self.app.service

    def another_worker(self) -> WebConnectorService:
        """A second application on the same database, as another server process would be."""
        self.workers.append(build_app(self.app.settings, extra_plugins=[("svc", self.plugin)],
                                      load_entrypoints=False, clock=self.clock))
        return self.workers[-1].service

    def close(self) -> None:
        for app in [self.app, *self.workers]:
            app.close()

    # --- the calls -----------------------------------------------------------------------------------

    def login(self, user: str = USER, password: str = PASSWORD) -> list[str]:
        return self.service.authenticate(user, password)

    def start(self) -> str:
        """Log in (an update must start) and open a QuickBooks session for it; return the ticket."""
        ticket, status = self.login()[:2]  # busy adds a third element: seconds until the next try
        assert status not in ("nvu", "none", "busy"), status
        self.qb = self.quickbooks.open_session(APP_NAME)
        return ticket

    def send(self, ticket: str, *, first: bool = False) -> str:
        """sendRequestXML; the first of an update carries strHCPResponse, as the Web Connector's does."""
        hcp = self._qb().process(hcp_request("16.0")) if first else ""
        return self.service.send_request_xml(ticket, hcp, "", "US", 16, 0)

    def answer(self, request_xml: str) -> str:
        return self._qb().process(request_xml)

    def receive(self, ticket: str, response: str, hresult: str = "", message: str = "") -> int:
        return self.service.receive_response_xml(ticket, response, hresult, message)

    def run(self, ticket: str) -> Exchange:
        """From the first sendRequestXML, send and answer until the service reports 100, a stop (-1)
        or an empty request."""
        exchange = Exchange(ticket)
        for _ in range(100):
            request = self.send(ticket, first=not exchange.requests)
            if not request:
                return exchange
            exchange.requests.append(request)
            exchange.responses.append(self.answer(request))
            exchange.progress.append(self.receive(ticket, exchange.responses[-1]))
            if exchange.progress[-1] < 0 or exchange.progress[-1] == 100:
                return exchange
        raise AssertionError("the update never ended")

    def update(self) -> Exchange:
        """A whole update: log in, run, close."""
        exchange = self.run(self.start())
        self.service.close_connection(exchange.ticket)
        return exchange

    def _qb(self) -> QbSession:
        assert self.qb is not None, "start() opens the QuickBooks session"
        return self.qb

    # --- host and store, read as another worker would -------------------------------------------------

    def submit(self, object_type: str, records: Sequence[tuple[str, dict[str, Any]]]) -> None:
        report = self.app.host.submit(COMPANY, object_type, records)
        assert not report.invalid, report.invalid

    def submit_blocks(self, keys: Sequence[str], **extra: Any) -> None:
        self.submit("blocks", [(key, {"date": "2026-11-20", "employee": "Jane Doe", "minutes": 60 + n, **extra})
                               for n, key in enumerate(keys)])

    def records(self, object_type: str = "blocks") -> dict[str, dict[str, Any]]:
        return {row["id"]: row for row in self.app.host.records(COMPANY, object_type)}

    def states(self, object_type: str = "blocks") -> dict[str, str]:
        return {key: row["state"] for key, row in self.records(object_type).items()}

    @contextmanager
    def fresh(self) -> Iterator[so.Session]:
        with unit_of_work(self.app.session_factory) as session:
            yield session

    def message_set(self, set_id: str) -> MessageSet | None:
        with self.fresh() as session:
            return session.get(MessageSet, set_id)

    def rows_of_set(self, set_id: str) -> list[SyncRecord]:
        with self.fresh() as session:
            return list(session.scalars(sa.select(SyncRecord).where(SyncRecord.message_set_id == set_id)))

    def updates(self) -> list[Update]:
        with self.fresh() as session:
            return list(session.scalars(sa.select(Update).order_by(Update.id)))

    def events(self, kind: str) -> list[str | None]:
        """The local keys of the event log's entries of ``kind`` (``record_linked``, …), oldest first."""
        with self.fresh() as session:
            return list(session.scalars(sa.select(Event.local_key).where(Event.kind == kind).order_by(Event.id)))

    def landed(self) -> Counter[str]:
        """How many time entries in the company file carry each block's marker."""
        return Counter(str(entry.get("Notes", "")).removeprefix("svc:")
                       for entry in self.quickbooks.company.records("TimeTracking")
                       if str(entry.get("Notes", "")).startswith("svc:"))


# --- reading request message sets ---------------------------------------------------------------------


def msgs_of(xml: str) -> etree._Element:
    """The ``QBXMLMsgsRq`` (or ``QBXMLMsgsRs``) element of a request (or response) message set."""
    root = etree.fromstring(xml.encode())
    msgs = root.find("QBXMLMsgsRq") if root.find("QBXMLMsgsRq") is not None else root.find("QBXMLMsgsRs")
    assert msgs is not None, xml
    return msgs


def answers_of(response_xml: str) -> list[etree._Element]:
    return [child for child in msgs_of(response_xml) if isinstance(child.tag, str)]


def requests_of(request_xml: str) -> list[etree._Element]:
    return [child for child in msgs_of(request_xml) if isinstance(child.tag, str)]


def tags_of(request_xml: str) -> list[str]:
    return [request.tag for request in requests_of(request_xml)]


def carried(request_xml: str) -> list[str]:
    """The block keys a request set carries (by the Notes marker of each TimeTrackingAdd)."""
    return [note.removeprefix(marker("")) for note in msgs_of(request_xml).xpath(".//TimeTrackingAdd/Notes/text()")]
