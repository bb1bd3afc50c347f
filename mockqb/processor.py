"""The QuickBooks simulator: ``QbSession.process(request_xml) -> response_xml``, like QBXMLRP2's
ProcessRequest against one open company file.

Rule: sans-IO. No sockets, no files, no wall clock: the company (with its injected clock) is the only
state, and the caller decides when to load or save it. A message set that breaks the qbXML schema raises
``QbXmlParseError`` before anything runs; otherwise each request gets one ``…Rs`` in order, echoing its
``requestID``, and ``onError`` decides what happens after a failed request:
``stopOnError`` — later requests get no response and are not run (earlier ones stay committed);
``continueOnError`` — run them all; ``rollbackOnError`` — refused by QuickBooks Desktop: every request is
answered with an error and none runs.
"""

from __future__ import annotations

import random
import threading
from pathlib import Path
from typing import Literal

from lxml import etree

from . import recovery, status
from .company import CompanyFile
from .errors import QbXmlParseError, RequestFailed
from .qbxml import Element, message_set_response, parse_message_set, parse_response, requests_in
from .requests import HANDLERS, Context, Reply, SessionState
from .status import ERROR, Status
from .validation import validate_message_set

SchemaDir = Path | None | Literal["auto"]
MAX_REQUEST_ID = 50


class QuickBooks:
    """QuickBooks Desktop with ``company`` open. Each Web Connector update opens one session."""

    def __init__(self, company: CompanyFile, *, schema_dir: SchemaDir = "auto") -> None:
        self.company = company
        self.schema_dir = schema_dir
        self._sessions = 0
        # QuickBooks runs one request at a time; sessions served from several threads (two Web
        # Connectors on one company) must not interleave their changes.
        self.lock = threading.RLock()
        #: Every request message set received, in order (a fake that records, for test assertions).
        self.requests_seen: list[str] = []

    def open_session(self, app_name: str = "qbbridge") -> QbSession:
        """Begin a session for ``app_name`` (error-recovery records and iterators belong to it)."""
        with self.lock:
            self._sessions += 1
            rng = random.Random(f"{self.company.seed}:{self._sessions}")
        return QbSession(self, SessionState(app_name=app_name, rng=rng))

    def supports_version(self, version: str) -> bool:
        return version in self.company.info["SupportedQBXMLVersions"]


class QbSession:
    """One open QuickBooks session; ``close()`` ends its iterators."""

    def __init__(self, quickbooks: QuickBooks, state: SessionState) -> None:
        self.quickbooks = quickbooks
        self.state = state
        self.closed = False

    @property
    def company(self) -> CompanyFile:
        return self.quickbooks.company

    def close(self) -> None:
        self.state.iterators.clear()
        self.closed = True

    def process(self, request_xml: str) -> str:
        """Process one request message set and return QuickBooks' response message set.

        Thread-safe: message sets from several sessions run one after another, never interleaved.
        """
        if self.closed:
            raise RuntimeError("this QuickBooks session is closed")
        with self.quickbooks.lock:
            return self._process(request_xml)

    def _process(self, request_xml: str) -> str:
        self.quickbooks.requests_seen.append(request_xml)
        tree, version = parse_message_set(request_xml)
        if not self.quickbooks.supports_version(version):
            raise QbXmlParseError(f"qbXML version {version} is not supported by {self.company.info['ProductName']}")
        validate_message_set(tree, version, schema_dir=self.quickbooks.schema_dir)
        msgs_rq = _messages_element(tree.getroot())
        plan = recovery.plan(self.company.recovery, self.state.app_name, msgs_rq)
        if plan.run:
            replies = self._run(msgs_rq, version)
            recovery.remember(self.company.recovery, self.state.app_name, plan, replies)
        else:
            replies = [parse_response(text) for text in plan.stored_responses]
        if msgs_rq.get("responseData") == "includeNone":
            replies = [_without_data(reply) for reply in replies]
        return message_set_response(replies, plan.attrs)

    def _run(self, msgs_rq: Element, version: str) -> list[Element]:
        on_error = msgs_rq.get("onError")
        ctx = Context(self.company, self.state, version)
        if on_error == "rollbackOnError":
            failure = status.unsupported_on_error()
            return [_rs(rq, Reply(status=_failed(failure))) for rq in requests_in(msgs_rq)]
        replies = []
        for rq in requests_in(msgs_rq):
            rs = _rs(rq, self._answer(ctx, rq))
            replies.append(rs)
            if on_error == "stopOnError" and rs.get("statusSeverity") == ERROR:
                break
        return replies

    def _answer(self, ctx: Context, rq: Element) -> Reply:
        if len(rq.get("requestID", "")) > MAX_REQUEST_ID:
            return Reply(status=_failed(status.request_id_too_long()))
        handler = HANDLERS.get(rq.tag)
        if handler is None:
            return Reply(status=_failed(status.unsupported(rq.tag)))
        try:
            return handler(ctx, rq)
        except RequestFailed as failure:
            return Reply(status=_failed(failure))


def _messages_element(root: Element) -> Element:
    msgs = root.find("QBXMLMsgsRq")
    if msgs is None:
        raise QbXmlParseError("QBXML has no QBXMLMsgsRq element")
    return msgs


def _failed(failure: RequestFailed) -> Status:
    return Status(failure.code, status.severity_of(failure.code), failure.message)


def _rs(rq: Element, reply: Reply) -> Element:
    """Wrap a handler's reply in the ``…Rs`` element that answers ``rq``."""
    rs = etree.Element(rq.tag[:-2] + "Rs")
    if rq.get("requestID") is not None:
        rs.set("requestID", rq.get("requestID"))
    rs.set("statusCode", str(reply.status.code))
    rs.set("statusSeverity", reply.status.severity)
    rs.set("statusMessage", reply.status.message)
    for name, value in reply.attrs.items():
        rs.set(name, value)
    rs.extend(reply.rets)
    return rs


def _without_data(rs: Element) -> Element:
    """``responseData="includeNone"``: keep the status, drop the Ret elements."""
    for child in list(rs):
        rs.remove(child)
    return rs

