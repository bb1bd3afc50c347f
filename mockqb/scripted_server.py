"""A minimal QBWC server as a WSGI app: it serves scripted qbXML message sets and records what it gets.

Rule: it is a test tool, not a product — no persistence, no spyne, nothing from ``qbbridge.core``; SOAP
goes through ``soap``. It answers the way a plain, correct server would (PROTOCOL.md §A.3): ``nvu`` for
wrong credentials, ``none`` when it has nothing to send, each message set in order from sendRequestXML,
progress 100 after the last response, ``-101`` (Intuit's sample) when a response carries an HRESULT,
``done`` from connectionError, ``OK`` from closeConnection. It is idempotent the way an exactly-once
server must be: a repeated sendRequestXML re-serves the outstanding set, a repeated receiveResponseXML
does not advance. ``misbehave`` switches on one kind of server bug for tests (see ``MISBEHAVIOURS``).
GET (e.g. ``?wsdl``) gets a plain 404; a request that is not a QBWC SOAP call gets a SOAP Fault (500).
"""

from __future__ import annotations

import hmac
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from . import soap
from .soap import SoapRequestError

#: Misbehaviour switches: each one makes the Web Connector simulator end the update with a readable error.
MISBEHAVIOURS = {
    "fault-on-receive": "receiveResponseXML answers with a SOAP Fault (HTTP 500)",
    "garbage-on-send": "sendRequestXML answers HTTP 200 text/xml with a body that is not XML",
    "html-500-on-send": "sendRequestXML answers HTTP 500 with an HTML error page",
    "wrong-type-on-receive": "receiveResponseXMLResult is not an int",
    "negative-progress": "receiveResponseXML answers -1; getLastError explains",
    "never-finishes": "receiveResponseXML always answers 50, so the same set is served again and again",
}


@dataclass(frozen=True)
class ReceivedCall:
    """One call as the server got it: the operation, its arguments (``None`` = absent) and SOAPAction."""

    op: str
    args: dict[str, str | None]
    soap_action: str


@dataclass(frozen=True)
class Receipt:
    """One receiveResponseXML: which scripted set it answered (None if none was outstanding)."""

    set_index: int | None
    response: str
    hresult: str
    message: str


class _Reply(Exception):
    """Short-circuits a handler with a raw HTTP reply (faults and misbehaviour)."""

    def __init__(self, status: str, content_type: str, body: bytes) -> None:
        super().__init__(status)
        self.status, self.content_type, self.body = status, content_type, body


def _fault(code: str, message: str) -> _Reply:
    return _Reply("500 Internal Server Error", soap.CONTENT_TYPE, soap.fault_envelope(code, message))


class ScriptedServer:
    """Serves ``message_sets`` (qbXML request strings) in order to the user ``user``/``password``.

    ``company_file`` is authenticate's [1] when there is work; ``auth_reply`` replaces everything after
    the ticket for valid credentials (e.g. ``["busy", "60"]``). ``empty_sends`` are getLastError answers
    for that many "" replies from sendRequestXML before the first set (``["NoOp", "NoOp"]``).
    ``connection_error_replies`` are connectionError's answers in turn (the last one repeats).
    """

    def __init__(self, user: str, password: str, message_sets: Sequence[str], company_file: str = "",
                 client_version_reply: str = "", *, server_version: str = "ScriptedServer 1.0",
                 auth_reply: Sequence[str] | None = None, empty_sends: Iterable[str] = (),
                 connection_error_replies: Sequence[str] = ("done",), hresult_progress: int = -101,
                 misbehave: str | None = None) -> None:
        if misbehave is not None and misbehave not in MISBEHAVIOURS:
            raise ValueError(f"unknown misbehave={misbehave!r}; choose one of {sorted(MISBEHAVIOURS)}")
        self.user, self.password = user, password
        self.message_sets = list(message_sets)
        self.company_file = company_file
        self.client_version_reply = client_version_reply
        self.server_version = server_version
        self.auth_reply = None if auth_reply is None else list(auth_reply)
        self.empty_sends = list(empty_sends)
        self.connection_error_replies = list(connection_error_replies) or ["done"]
        self.hresult_progress = hresult_progress
        self.misbehave = misbehave
        #: Every call received, in order; every receiveResponseXML; strHCPResponse values received.
        self.calls: list[ReceivedCall] = []
        self.receipts: list[Receipt] = []
        self.hcp_responses: list[str] = []
        self.tickets: list[str] = []
        self.closed: list[str] = []
        self._ticket_numbers = itertools.count(1)
        self._next_set = 0
        self._outstanding: int | None = None
        self._last_error = ""
        self._connection_errors = 0

    @property
    def ops(self) -> list[str]:
        return [call.op for call in self.calls]

    @property
    def responses(self) -> list[str]:
        """The qbXML responses received, in order (duplicates included; "" when an HRESULT came instead)."""
        return [receipt.response for receipt in self.receipts]

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        """The WSGI entry point."""
        try:
            body = self._serve(environ)
        except _Reply as reply:
            start_response(reply.status, [("Content-Type", reply.content_type),
                                          ("Content-Length", str(len(reply.body)))])
            return [reply.body]
        start_response("200 OK", [("Content-Type", soap.CONTENT_TYPE), ("Content-Length", str(len(body)))])
        return [body]

    def _serve(self, environ: dict[str, Any]) -> bytes:
        if environ.get("REQUEST_METHOD") != "POST":
            raise _Reply("404 Not Found", "text/plain; charset=utf-8", b"Not Found")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        data = environ["wsgi.input"].read(length)
        try:
            op, args = soap.parse_request(data)
        except SoapRequestError as exc:
            raise _fault("soap:Client", str(exc)) from exc
        action = environ.get("HTTP_SOAPACTION", "")
        if action.strip().strip('"') != f"{soap.NS}{op}":
            raise _fault("soap:Client", f"Server did not recognize the value of HTTP Header SOAPAction: {action}.")
        self.calls.append(ReceivedCall(op, args, action))
        if op not in ("serverVersion", "clientVersion", "authenticate") and args.get("ticket") not in self.tickets:
            raise _fault("soap:Client", f"unknown ticket {args.get('ticket')!r}")
        handler = getattr(self, f"_on_{op}")
        return soap.response_envelope(op, handler(args))

    # -- operations -----------------------------------------------------------------------------------
    def _on_serverVersion(self, args: dict[str, str | None]) -> str:
        return self.server_version

    def _on_clientVersion(self, args: dict[str, str | None]) -> str:
        return self.client_version_reply

    def _on_authenticate(self, args: dict[str, str | None]) -> list[str]:
        ticket = f"scripted-ticket-{next(self._ticket_numbers)}"
        self.tickets.append(ticket)
        valid = (hmac.compare_digest((args["strUserName"] or "").encode(), self.user.encode())
                 and hmac.compare_digest((args["strPassword"] or "").encode(), self.password.encode()))
        if not valid:
            return [ticket, "nvu"]
        if self.auth_reply is not None:
            return [ticket, *self.auth_reply]
        return [ticket, self.company_file if self._has_work() else "none"]

    def _has_work(self) -> bool:
        """True while a scripted set is unsent or unacknowledged."""
        return self._outstanding is not None or self._next_set < len(self.message_sets)

    def _on_sendRequestXML(self, args: dict[str, str | None]) -> str:
        if args["strHCPResponse"]:
            self.hcp_responses.append(args["strHCPResponse"] or "")
        if self.misbehave == "garbage-on-send":
            raise _Reply("200 OK", soap.CONTENT_TYPE, b"<br />\n<b>Fatal error</b>: Call to undefined function")
        if self.misbehave == "html-500-on-send":
            raise _Reply("500 Internal Server Error", "text/html", b"<html><body>Internal error</body></html>")
        if self.empty_sends:
            self._last_error = self.empty_sends.pop(0)
            return ""
        if self._outstanding is None:
            if self._next_set >= len(self.message_sets):
                self._last_error = "ScriptedServer has no more message sets"
                return ""
            self._outstanding = self._next_set
        return self.message_sets[self._outstanding]

    def _on_receiveResponseXML(self, args: dict[str, str | None]) -> int | str:
        self.receipts.append(Receipt(self._outstanding, args["response"] or "", args["hresult"] or "",
                                     args["message"] or ""))
        if self.misbehave == "fault-on-receive":
            raise _fault("soap:Server", "ScriptedServer: scripted failure in receiveResponseXML")
        if self.misbehave == "wrong-type-on-receive":
            return "fifty percent"
        if self.misbehave == "negative-progress":
            self._last_error = "ScriptedServer: scripted failure (negative progress)"
            return -1
        if args["hresult"]:
            self._last_error = f"QuickBooks reported {args['hresult']}: {args['message']}"
            return self.hresult_progress
        if self.misbehave == "never-finishes":
            self._outstanding = None
            return 50
        return self._acknowledge()

    def _acknowledge(self) -> int:
        if self._outstanding is not None:
            self._next_set = self._outstanding + 1
            self._outstanding = None
        if self._next_set >= len(self.message_sets):
            return 100
        return min(99, self._next_set * 100 // len(self.message_sets))

    def _on_connectionError(self, args: dict[str, str | None]) -> str:
        replies = self.connection_error_replies
        self._connection_errors += 1
        return replies[min(self._connection_errors, len(replies)) - 1]

    def _on_getLastError(self, args: dict[str, str | None]) -> str:
        return self._last_error

    def _on_closeConnection(self, args: dict[str, str | None]) -> str:
        self.closed.append(args["ticket"] or "")
        return "OK"
