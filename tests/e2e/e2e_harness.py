"""End-to-end harness (helpers; the fixtures are in conftest.py): qbbridge's real WSGI app (spyne SOAP) on a real store, driven by the Web Connector
simulator against the QuickBooks simulator, with the small test plugin in ``hours_plugin.py`` (or the
plugins a ``Bridge`` is given as ``plugins``).

``bridge`` runs on SQLite and on PostgreSQL (``database_url`` is parametrised in tests/conftest.py).
``bridge.restart()`` builds a new app on the same database — a server restart between any two calls —
while the Web Connector keeps talking to the same URL (``bridge.wsgi`` always routes to the live app).
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any
from wsgiref.util import setup_testing_defaults

import hours_plugin
from lxml import etree

from qbbridge.core.app import App, build_app
from qbbridge.core.config import Settings
from qbbridge.core.store.base import Base
from qbbridge.core.testing import ManualClock
from qbbridge.mockqb.company import CompanyFile
from qbbridge.mockqb.processor import QuickBooks
from qbbridge.mockqb.soap import SOAP_ENV, parse_reply, parse_request, request_envelope
from qbbridge.mockqb.testing import message_set

USER, PASSWORD, COMPANY = "wc", "correct horse battery", "acme"


@dataclass
class Bridge:
    database_url: str
    settings: Settings
    clock: ManualClock = field(default_factory=ManualClock)
    app: App | None = None
    apps_built: int = 0
    #: The plugins every app of this bridge loads, as (name, module) pairs; the test plugin by default.
    plugins: list[tuple[str, Any]] = field(default_factory=lambda: [("hours", hours_plugin)])

    def start(self, **overrides: Any) -> App:
        """(Re)build the app on the same database, as a restarted server process would."""
        if self.app is not None:
            self.app.close()
        if overrides:
            self.settings = replace(self.settings, **overrides)
        self.app = build_app(self.settings, extra_plugins=self.plugins, load_entrypoints=False,
                             clock=self.clock)
        self.apps_built += 1
        return self.app

    restart = start

    def worker(self) -> App:
        """Another server process on the same database (a second worker behind a load balancer)."""
        return build_app(self.settings, extra_plugins=self.plugins, load_entrypoints=False,
                         clock=self.clock)

    def take_over(self) -> None:
        """Let the live update go stale, so the next authenticate takes it over (a silent Web Connector)."""
        self.clock.advance(self.settings.update_timeout_seconds + 1)

    def wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        assert self.app is not None
        return self.app.wsgi()(environ, start_response)

    @property
    def host(self) -> Any:
        assert self.app is not None
        return self.app.host

    def submit_hours(self, keys: Any, *, employee: str = "Jane Doe", date: str = "2026-11-20",
                     **extra: Any) -> Any:
        records = [(key, {"date": date, "employee": employee, "minutes": 60 + n, **extra})
                   for n, key in enumerate(keys)]
        return self.host.submit(COMPANY, "hours", records)

    def states(self) -> dict[str, str]:
        return {row["id"]: row["state"] for row in self.host.records(COMPANY, "hours")}


def entries_by_key(company: CompanyFile) -> Counter[str]:
    """How many TimeTracking entries in the company file carry each record's marker."""
    return Counter(record.get("Notes", "").removeprefix("qbb:") for record in company.records("TimeTracking")
                   if str(record.get("Notes", "")).startswith("qbb:"))


_ADDED_MARKER = re.compile(r"<TimeTrackingAdd>.*?<Notes>qbb:([^<]*)</Notes>", re.DOTALL)


def adds_seen(quickbooks: QuickBooks) -> Counter[str]:
    """How many message sets handed to QuickBooks carried an Add of each record (lookups carry none)."""
    return Counter(key for xml in quickbooks.requests_seen for key in _ADDED_MARKER.findall(xml))


def assert_exactly_once(bridge: Bridge, company: CompanyFile, keys: Any) -> None:
    """Every record is in the company file exactly once, and synced with its TxnID."""
    keys = list(keys)
    assert entries_by_key(company) == dict.fromkeys(keys, 1)
    records = {row["id"]: row for row in bridge.host.records(COMPANY, "hours")}
    assert {key: records[key]["state"] for key in keys} == dict.fromkeys(keys, "synced")
    txn_ids = {record["Notes"].removeprefix("qbb:"): record["TxnID"] for record in company.records("TimeTracking")}
    assert {key: records[key]["qb_id"] for key in keys} == {key: txn_ids[key] for key in keys}


def forget_stored_answers(quickbooks: QuickBooks, app_name: str = "qbbridge") -> None:
    """Make QuickBooks drop its error-recovery record for ``app_name`` (a status query then finds none)."""
    session = quickbooks.open_session(app_name)
    try:
        session.process(message_set(oldMessageSetID="ClearAllMessageSets"))
    finally:
        session.close()


def new_bridge(database_url: str, **settings: Any) -> Bridge:
    """A started server on an empty database, with the company and the Web Connector login set up."""
    harness = Bridge(database_url=database_url,
                     settings=Settings(database_url=database_url, **{"batch_size": 3, **settings}))
    harness.start()
    harness.host.add_company(COMPANY)
    harness.host.add_user(USER, PASSWORD, COMPANY)
    return harness


# --- raw SOAP: inputs the Web Connector simulator never sends (hostile, security and tenant tests) ------


@dataclass(frozen=True, slots=True)
class RawReply:
    """One HTTP reply of the WSGI app: status code, Content-Type and body bytes."""

    status: int
    content_type: str
    body: bytes

    def fault(self) -> tuple[str, str]:
        """(faultcode, faultstring) of a SOAP Fault reply; AssertionError when it is not one."""
        root = etree.fromstring(self.body, etree.XMLParser(resolve_entities=False, no_network=True))
        fault = root.find(f"{{{SOAP_ENV}}}Body/{{{SOAP_ENV}}}Fault")
        assert fault is not None, self.body
        return fault.findtext("faultcode") or "", fault.findtext("faultstring") or ""


def post(app: Any, body: bytes, *, content_type: str = "text/xml; charset=utf-8") -> RawReply:
    """POST ``body`` to a WSGI app in-process, with the environ a WSGI server would build."""
    environ: dict[str, Any] = {}
    setup_testing_defaults(environ)
    environ.update({"REQUEST_METHOD": "POST", "CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(len(body)),
                    "wsgi.input": io.BytesIO(body)})
    started: list[tuple[str, list[tuple[str, str]]]] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        started.append((status, headers))
        return lambda data: None

    data = b"".join(app(environ, start_response))
    status, headers = started[-1]
    content = next((value for name, value in headers if name.lower() == "content-type"), "")
    return RawReply(int(status.split()[0]), content, data)


def soap_call(app: Any, op: str, **args: Any) -> Any:
    """One QBWC call in the Web Connector's exact envelope; its typed result (``list[str]`` for
    authenticate, ``int`` for receiveResponseXML, else ``str``)."""
    reply = post(app, request_envelope(op, args))
    assert reply.status == 200, reply.body
    return parse_reply(op, reply.body)


class AnswerTamper:
    """WSGI middleware between the Web Connector and the bridge that rewrites the ``response`` of chosen
    receiveResponseXML calls (numbered from 1), as a broken QuickBooks or a hostile network would.

    QuickBooks really ran the set; only what the server is told changes. ``originals`` keeps the true
    answers that were replaced; ``ticket`` is the last ticket a call carried.
    """

    def __init__(self, app: Any, rewrites: dict[int, Callable[[str], str]]) -> None:
        self.app, self.rewrites = app, rewrites
        self.received = 0
        self.originals: list[str] = []
        self.ticket: str | None = None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        op, args = parse_request(body)
        self.ticket = args.get("ticket") or self.ticket
        if op == "receiveResponseXML":
            self.received += 1
            rewrite = self.rewrites.get(self.received)
            if rewrite is not None:
                self.originals.append(args["response"] or "")
                body = request_envelope(op, {**args, "response": rewrite(args["response"] or "")})
        return self.app({**environ, "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))},
                        start_response)


def database_text(bridge: Bridge) -> str:
    """Every row of every table as text: to show that a secret never reached the store."""
    assert bridge.app is not None
    with bridge.app.engine.connect() as connection:
        tables = Base.metadata.sorted_tables
        return "\n".join(repr(connection.execute(table.select()).all()) for table in tables)
