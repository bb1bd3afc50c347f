"""The application layer: one method per Web Connector call, one database transaction per call.

Rule: every call loads the update from the database, lets the engine decide, and commits before the
reply leaves, so any worker can serve any call and a restart loses nothing (DESIGN.md §3). Protocol
situations — an unknown ticket, a call out of order — get the Web Connector's documented answers,
never an exception. The SOAP adapter (``soap.py``) only translates envelopes to these methods.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from importlib.metadata import version as package_version

from sqlalchemy import orm as so

from . import sessions
from .config import Settings
from .engine.calls import (
    Call,
    CloseConnection,
    ConnectionErrorReported,
    GetLastError,
    ReceiveResponseXml,
    SendRequestXml,
)
from .engine.states import UpdateState
from .errors import ClientProtocolError
from .plugins import Hooks
from .registry import ObjectTypeRegistry
from .store.base import utcnow
from .store.uow import unit_of_work

logger = logging.getLogger(__name__)

SERVER_VERSION = f"qbbridge {package_version('qbbridge')}"  # shown in the Web Connector's details
NO_UPDATE = ("qbbridge has no open update for this ticket: it ended, expired or was taken over by another "
             "Web Connector. Click Update Selected to start a new update.")
OUT_OF_ORDER = ("The Web Connector called {call} at an unexpected point ({state}); "
                "the update was ended safely.")

#: The Web Connector's names of the calls, for messages it shows.
_OP_NAMES = {SendRequestXml: "sendRequestXML", ReceiveResponseXml: "receiveResponseXML",
             ConnectionErrorReported: "connectionError", GetLastError: "getLastError",
             CloseConnection: "closeConnection"}

#: What each call answers when its ticket is unknown or the call is out of order: the update ends
#: gracefully (an empty request makes the Web Connector ask getLastError, which explains).
GRACEFUL = {SendRequestXml: "", ReceiveResponseXml: -1, ConnectionErrorReported: "done",
            GetLastError: NO_UPDATE, CloseConnection: "OK"}


class WebConnectorService:
    """Serves the QBWC operations for every company in one database."""

    def __init__(self, session_factory: so.sessionmaker[so.Session], registry: ObjectTypeRegistry,
                 hooks: Hooks, settings: Settings, clock: Callable[[], datetime] = utcnow) -> None:
        self._factory, self._clock = session_factory, clock
        self._deps = sessions.Dependencies(registry=registry, hooks=hooks, settings=settings)

    # --- calls without a ticket --------------------------------------------------------------------

    def server_version(self) -> str:
        return SERVER_VERSION

    def client_version(self, version: str | None) -> str:
        """Every Web Connector 2.x may proceed; the version is only logged."""
        logger.info("Web Connector version %s", version or "(not given)")
        return ""

    def authenticate(self, username: str | None, password: str | None) -> list[str]:
        with unit_of_work(self._factory) as session:
            answer, emitted = sessions.authenticate(session, self._deps, username or "", password or "",
                                                    self._clock())
        for event in emitted:
            self._deps.hooks.track_event(event)
        return answer

    # --- calls on an update ------------------------------------------------------------------------

    def send_request_xml(self, ticket: str | None, hcp_response: str | None, company_file: str | None,
                         country: str | None, major: int | None, minor: int | None) -> str:
        call = SendRequestXml(hcp_response or "", company_file or "", country or "", major, minor)
        return str(self._call(ticket, call))

    def receive_response_xml(self, ticket: str | None, response: str | None, hresult: str | None,
                             message: str | None) -> int:
        return int(self._call(ticket, ReceiveResponseXml(response or "", hresult or "", message or "")))

    def connection_error(self, ticket: str | None, hresult: str | None, message: str | None) -> str:
        return str(self._call(ticket, ConnectionErrorReported(hresult or "", message or "")))

    def get_last_error(self, ticket: str | None) -> str:
        return str(self._call(ticket, GetLastError()))

    def close_connection(self, ticket: str | None) -> str:
        return str(self._call(ticket, CloseConnection()))

    # --- interactive mode: qbbridge never asks for it ------------------------------------------------

    def get_interactive_url(self, ticket: str | None, session_id: str | None) -> str:
        return ""

    def interactive_done(self, ticket: str | None) -> str:
        return "Done"

    def interactive_rejected(self, ticket: str | None, reason: str | None) -> str:
        return "qbbridge does not use interactive mode; nothing was changed."

    # --- one transaction per call --------------------------------------------------------------------

    def _call(self, ticket: str | None, call: Call) -> str | int:
        try:
            return self._apply(ticket, call)
        except Exception as exc:  # a bug (ours or a plugin's): the call's transaction was rolled back
            logger.exception("%s failed", type(call).__name__)
            return self._end_after_bug(ticket, call, exc)

    def _apply(self, ticket: str | None, call: Call) -> str | int:
        with unit_of_work(self._factory) as session:
            run = sessions.load(session, self._deps, ticket or "", self._clock())
            if run is None:
                return GRACEFUL[type(call)]
            try:
                reply = sessions.handle(run, call)
            except ClientProtocolError as exc:
                logger.warning("update %s: %s", run.update.id, exc)
                state = UpdateState(run.update.state).name
                # left STOPPED, not closed: the getLastError that follows "" or -1 must still explain
                reply = sessions.end_out_of_order(run, call, OUT_OF_ORDER.format(call=_OP_NAMES[type(call)],
                                                                                  state=state), close=False)
            run.flush_log()
        for event in run.emitted:  # committed: auditors never see an event that was rolled back
            self._deps.hooks.track_event(event)
        return reply

    def _end_after_bug(self, ticket: str | None, call: Call, exc: Exception) -> str | int:
        """Stop the update in a fresh transaction; a set in flight becomes uncertain, nothing is lost."""
        message = (f"qbbridge stopped this update because of an internal error "
                   f"({type(exc).__name__}: {exc}). "
                   "Nothing was lost; the next update resumes safely. Details are in the server log.")
        with unit_of_work(self._factory) as session:
            run = sessions.load(session, self._deps, ticket or "", self._clock())
            if run is None:
                return GRACEFUL[type(call)]
            reply = sessions.end_out_of_order(run, call, message, close=False)
            run.flush_log()
            return reply
