"""The Web Connector simulator: one update, driven through the real QBWC call sequence.

Rule: this module decides *what the Web Connector does next* (PROTOCOL.md §A.2/A.3); bytes go through a
transport, time through the injected clock, qbXML through the QuickBooks simulator, and scripted
failures come from a ``FaultPlan``. Sequence: serverVersion → clientVersion → authenticate → (open
QuickBooks, connectionError until "done" if it cannot) → sendRequestXML / receiveResponseXML until 100
or a negative answer → getLastError as needed → closeConnection. Anything the server gets wrong (a
fault, non-XML, a wrong type, a dropped connection) ends the update with an error naming the call: the
result says what happened, it never raises. The QuickBooks session is closed at the end in every case.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NoReturn

from lxml import etree

from . import soap
from .clock import Clock, SystemClock
from .errors import QbXmlParseError, QuickBooksUnavailable
from .faults import FaultPlan, hresult_message
from .soap import ServerMisbehaved, SoapFault
from .transcript import CallRecord, UpdateResult
from .transports import Transport, TransportError

if TYPE_CHECKING:  # the processor is only duck-typed here: open_session(app_name) -> session.process/close
    from .processor import QbSession, QuickBooks

NOOP_PAUSE_SECONDS = 5.0
#: connectionError answers that are not "done" make the Web Connector retry; it gives up after this many.
MAX_CONNECTION_ERRORS = 3
#: QuickBooks' error when asked for a company file other than the open one (QQube's KB, "error 80040408").
WRONG_COMPANY_HRESULT = "0x80040408"
_AUTH_STOPS = {"nvu": ("Invalid password for username", True), "none": ("No data exchange required", False),
               "busy": ("Application Busy", False)}
_HCP_REQUESTS = ("HostQueryRq", "CompanyQueryRq", "PreferencesQueryRq")


class _Ended(Exception):
    """Unwinds ``run_update`` once the outcome is recorded in the result."""


def hcp_request(version: str) -> str:
    """The HostQuery + CompanyQuery + PreferencesQuery message set behind ``strHCPResponse``."""
    root = etree.Element("QBXML")
    msgs = etree.SubElement(root, "QBXMLMsgsRq", onError="continueOnError")
    for request_id, tag in enumerate(_HCP_REQUESTS):
        etree.SubElement(msgs, tag, requestID=str(request_id))
    root.addprevious(etree.ProcessingInstruction("qbxml", f'version="{version}"'))
    return '<?xml version="1.0" encoding="utf-8"?>\n' + etree.tostring(root.getroottree(), encoding="unicode")


_VERSION = re.compile(r"([0-9]+)\.([0-9]+)")


def highest_version(versions: Iterable[str]) -> tuple[str, int, int]:
    """The highest plain ``"major.minor"`` of QuickBooks' SupportedQBXMLVersions: the text as QuickBooks
    wrote it, and its major and minor numbers. Other entries (``CA3.0``, ``13``) are passed over; with
    none left, ``ValueError``."""
    parsed = [(int(m[1]), int(m[2]), v) for v in versions if (m := _VERSION.fullmatch(v.strip()))]
    if not parsed:
        raise ValueError(f"QuickBooks lists no usable qbXML version: {list(versions)!r}")
    major, minor, text = max(parsed)
    return text.strip(), major, minor


class WebConnector:
    """Runs updates against one QBWC server, on behalf of one QuickBooks and one .qwc user.

    ``faults`` scripts failures (see ``faults``). Its counts (the N-th call of an operation, the N-th
    message set) run over the lifetime of this WebConnector, so ``lose-answer@1`` hits the first update
    and the next ``run_update()`` can show the recovery. ``max_round_trips`` caps sendRequestXML calls
    per update, since a server that never reports 100 would otherwise loop forever.
    """

    def __init__(self, transport: Transport, quickbooks: QuickBooks, *, user: str, password: str,
                 app_name: str = "qbbridge", clock: Clock | None = None, faults: FaultPlan | None = None,
                 client_version: str = "2.3.0.215", max_round_trips: int = 10000) -> None:
        self.transport = transport
        self.quickbooks = quickbooks
        self.user = user
        self.password = password
        self.app_name = app_name
        self.clock: Clock = clock or SystemClock()
        self.faults = faults or FaultPlan()
        self.client_version = client_version
        self.max_round_trips = max_round_trips
        self._counts: Counter[str] = Counter()
        self._sets = 0

    def run_update(self) -> UpdateResult:
        """One update, as clicking "Update Selected" would run it; never raises for server errors."""
        self._result = UpdateResult()
        self._session: QbSession | None = None
        try:
            self._versions()
            ticket = self._authenticate()
            self._exchange(ticket)
        except _Ended:
            pass
        finally:
            if self._session is not None:
                self._session.close()
        self._result.ok = not self._result.errors
        return self._result

    # -- the sequence ---------------------------------------------------------------------------------
    def _versions(self) -> None:
        self._result.server_version = self._call("serverVersion", {}, optional=True)
        reply = self._call("clientVersion", {"strVersion": self.client_version}, optional=True) or ""
        prefix, text = reply[:2].upper(), reply[2:].strip()
        if prefix == "W:":
            self._result.warnings.append(text)
        elif prefix == "E:":
            self._fail(text or "The web service refused this Web Connector version.")
        elif prefix == "O:":
            self._fail(f"The web service requires QuickBooks Web Connector version {text} or later "
                       f"(this is {self.client_version}).")
        elif reply:
            self._result.warnings.append(f"clientVersion answered {reply!r}, not '', W:, E: or O:; going on")

    def _authenticate(self) -> str:
        reply = self._call("authenticate", {"strUserName": self.user, "strPassword": self.password})
        if len(reply) < 2:
            self._fail(f"authenticate failed: expected [ticket, status, ...], got {reply!r}")
        if len(reply) > 4:
            self._result.warnings.append(f"authenticate returned {len(reply)} strings; only 4 are used")
        ticket, answer = reply[0], reply[1]
        self._result.ticket = ticket
        self._result.postpone_seconds = self._seconds(reply, 2)
        self._result.min_run_seconds = self._seconds(reply, 3)
        stop = _AUTH_STOPS.get(answer.strip().lower())
        if stop is not None:
            message, is_error = stop
            if is_error:
                self._result.errors.append(message)
            self._result.status = message
            self._close(ticket)
        self._open_quickbooks(ticket, answer)
        return ticket

    def _open_quickbooks(self, ticket: str, path: str) -> None:
        for _ in range(MAX_CONNECTION_ERRORS):
            failure = self._try_open(path)
            if failure is None:
                return
            hresult, message = failure
            answer = self._call("connectionError", {"ticket": ticket, "hresult": hresult, "message": message})
            if answer.strip().lower() == "done":
                self._fail(f"{message} ({hresult})")
            path = answer
        self._fail(f"QuickBooks could not be opened ({hresult}: {message}) and connectionError still did not "
                   f"answer 'done' after {MAX_CONNECTION_ERRORS} calls")

    def _try_open(self, path: str) -> tuple[str, str] | None:
        """Open a QuickBooks session on ``path`` ("" = the open company); (hresult, message) on failure."""
        unavailable = self.faults.unavailable_hresult()
        if unavailable is not None:
            return unavailable, hresult_message(unavailable)
        open_file = self.quickbooks.company.info["FilePath"]
        if path.strip() and path.strip().lower() != open_file.lower():
            self._result.warnings.append(f"the server asked for company file {path!r}; {open_file!r} is open")
            return WRONG_COMPANY_HRESULT, hresult_message(WRONG_COMPANY_HRESULT)
        try:
            self._session = self.quickbooks.open_session(self.app_name)
        except QuickBooksUnavailable as exc:
            return exc.hresult, exc.message
        return None

    def _exchange(self, ticket: str) -> None:
        info = self.quickbooks.company.info
        assert self._session is not None
        try:
            version, major, minor = highest_version(info["SupportedQBXMLVersions"])
            hcp = self._session.process(hcp_request(version))
        except (ValueError, QbXmlParseError) as exc:  # the simulated QuickBooks is misconfigured
            self._fail(f"QuickBooks could not answer the host/company/preferences query: {exc}")
        for trip in range(self.max_round_trips):
            request = self._call("sendRequestXML", {
                "ticket": ticket, "strHCPResponse": hcp if trip == 0 else "",
                "strCompanyFileName": info["FilePath"], "qbXMLCountry": info["Country"],
                "qbXMLMajorVers": major, "qbXMLMinorVers": minor})
            if request == "":
                self._after_empty_request(ticket)
                continue
            progress = self._deliver(ticket, request)
            if progress == 100:
                self._result.status = "Ok"
                self._close(ticket)
            if progress < 0:
                message = self._call("getLastError", {"ticket": ticket})
                self._fail(message or f"receiveResponseXML returned {progress}", close=ticket)
            if progress > 100:
                self._fail(f"receiveResponseXML returned {progress}; expected a negative number or 0..100",
                           close=ticket)
        self._fail(f"Stopped after {self.max_round_trips} round trips: the server never reported 100% "
                   f"(last progress {self._result.progress}%)", close=ticket)

    def _after_empty_request(self, ticket: str) -> None:
        message = self._call("getLastError", {"ticket": ticket})
        verdict = message.strip().lower()
        if verdict == "noop":
            self.clock.sleep(NOOP_PAUSE_SECONDS)
        elif verdict == "interactive mode":
            self._fail("getLastError asked for Interactive mode, which the Web Connector simulator does not "
                       "support")
        else:
            self._fail(message or "sendRequestXML returned no request and getLastError no message",
                       close=ticket)

    def _deliver(self, ticket: str, request: str) -> int:
        """Hand message set N to QuickBooks, then its response (or HRESULT) to receiveResponseXML."""
        self._sets += 1
        fault = self.faults.find("hresult", self._sets)
        if fault is not None:
            hresult = str(fault.value)
            response, message, notes = "", hresult_message(hresult), [str(fault)]
        else:
            response, hresult, message = self._process(request)
            notes = []
        progress: int = self._call("receiveResponseXML", {"ticket": ticket, "response": response,
                                                          "hresult": hresult, "message": message}, notes=notes)
        if 0 <= progress <= 100:
            self._result.progress = progress
        return progress

    def _process(self, request: str) -> tuple[str, str, str]:
        """QuickBooks' (response, hresult, message) for a message set, as ProcessRequest gives them."""
        assert self._session is not None
        try:
            return self._session.process(request), "", ""
        except (QbXmlParseError, QuickBooksUnavailable) as exc:
            return "", exc.hresult, exc.message

    # -- calls ----------------------------------------------------------------------------------------
    def _call(self, op: str, args: dict[str, Any], *, optional: bool = False, notes: Iterable[str] = ()) -> Any:
        """Make one call, applying this call's faults; a failure ends the update (``_Ended``).

        ``optional``: a SOAP Fault means "not implemented" — recorded as a warning, the call returns None.
        """
        self._counts[op] += 1
        n = self._counts[op]
        notes = [*notes, *self._before(op, n)]
        if op == "receiveResponseXML":  # a lost answer reaches the server in no copy at all
            self._lose_answer(args, notes)
        replay = self.faults.find("replay", n, op)
        if replay is not None:
            with contextlib.suppress(TransportError, ServerMisbehaved):  # recorded; the second copy counts
                self._send(op, args, [*notes, f"{replay}: first copy"])
            notes.append(f"{replay}: second copy, used")
        try:
            reply = self._send(op, args, notes)
        except SoapFault as exc:
            if not optional:
                self._fail(str(exc))
            self._result.warnings.append(f"{exc}; taken as not implemented, going on")
            return None
        except (TransportError, ServerMisbehaved) as exc:
            self._fail(str(exc))
        if op == "sendRequestXML":
            self._lose_request(n)
        return reply

    def _before(self, op: str, n: int) -> list[str]:
        notes = []
        seconds = self.faults.pause_seconds(op, n)
        if seconds:
            self.clock.sleep(seconds)
            notes.append(f"paused {seconds:g} s before the call")
        for callback in self.faults.callbacks(op, n):
            callback(op, n)
        return notes

    def _send(self, op: str, args: dict[str, Any], notes: list[str]) -> Any:
        record = CallRecord(op, dict(args), notes=list(notes))
        self._result.transcript.append(record)
        try:
            data = self.transport.call(op, soap.request_envelope(op, args), soap.soap_action(op))
            record.reply = soap.parse_reply(op, data)
        except (TransportError, ServerMisbehaved) as exc:
            record.error = str(exc)
            raise
        return record.reply

    def _lose_answer(self, args: dict[str, Any], notes: list[str]) -> None:
        fault = self.faults.find("lose-answer", self._sets)
        if fault is None:
            return
        error = (f"receiveResponseXML failed: the connection dropped before the server got the response "
                 f"(fault {fault}); QuickBooks had already processed message set {self._sets}")
        self._result.transcript.append(CallRecord("receiveResponseXML", dict(args), error=error,
                                                  notes=[*notes, f"{fault}: never delivered"]))
        self._fail(error)

    def _lose_request(self, n: int) -> None:
        fault = self.faults.find("lose-request", n)
        if fault is None:
            return
        record = self._result.transcript[-1]
        record.error = f"sendRequestXML failed: the server's reply was lost in transit (fault {fault})"
        record.notes.append(f"{fault}: reply discarded, QuickBooks never saw it")
        self._fail(record.error)

    def _close(self, ticket: str) -> NoReturn:
        self._result.close_message = self._call("closeConnection", {"ticket": ticket})
        raise _Ended

    def _fail(self, message: str, *, close: str | None = None) -> NoReturn:
        """Record ``message`` as an error (the status, if it is the first), maybe closeConnection, end."""
        self._result.errors.append(message)
        if len(self._result.errors) == 1:
            self._result.status = message
        if close is not None:
            self._close(close)
        raise _Ended

    def _seconds(self, reply: list[str], index: int) -> int | None:
        text = reply[index].strip() if len(reply) > index else ""
        if text and not re.fullmatch(r"[+-]?[0-9]+", text):
            self._result.warnings.append(f"authenticate returned {text!r} at [{index}], not a number of seconds")
            return None
        return int(text) if text else None
