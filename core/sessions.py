"""The life of one update: load it by ticket, apply one call through the state table, save it.

Rule: every state change of an update passes ``check_transition``; the plan is saved back into the
update row in the same transaction as the call's outcomes. A message set still in flight when the update
ends (connectionError, closeConnection, takeover) becomes uncertain — recovered by the next update.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm as so

from . import closing, receiving, sending
from .config import Settings
from .engine.calls import (
    Call,
    CloseConnection,
    ConnectionErrorReported,
    GetLastError,
    ReceiveResponseXml,
    SendRequestXml,
)
from .engine.plan import Plan
from .engine.states import UpdateState, allowed_targets, check_transition
from .errors import QbXmlError
from .login import authenticate  # noqa: F401 - re-exported: the service calls sessions.authenticate
from .plugins import Hooks
from .qbxml import hcp
from .registry import ObjectTypeRegistry
from .run import Run
from .security import ticket_digest
from .store.models import Company, MessageSet, Update

S = UpdateState
NOOP_REQUEST = "HostQueryRq"  # sent when work ran out between calls, so the update can end with 100


@dataclass(frozen=True)
class Dependencies:
    registry: ObjectTypeRegistry
    hooks: Hooks
    settings: Settings


def load(session: so.Session, deps: Dependencies, ticket: str, now: datetime) -> Run | None:
    """The open update with this ticket, or None (unknown, closed: the caller answers gracefully)."""
    if not ticket:
        return None
    digest = ticket_digest(ticket)
    company_id = session.scalar(sa.select(Update.company_id).where(Update.ticket_hash == digest))
    if company_id is None:
        return None
    # Locks in one order everywhere — the company row, then the update row — so that authenticate (which
    # may take over this update) and this call never deadlock on PostgreSQL; and two calls for one update
    # (a client retrying while the first is served) run one at a time.
    company = session.scalar(sa.select(Company).where(Company.id == company_id).with_for_update())
    update = session.scalar(sa.select(Update).where(Update.ticket_hash == digest).with_for_update())
    if company is None or update is None or update.state == S.CLOSED.value:
        return None
    update.last_call_at = now
    return Run(session=session, company=company, update=update, plan=Plan.from_dict(update.engine_state),
               registry=deps.registry, hooks=deps.hooks, settings=deps.settings, now=now)


def handle(run: Run, call: Call) -> str | int:
    """Apply one call; return the Web Connector's answer. Raises ClientProtocolError if out of order."""
    state = UpdateState(run.update.state)
    allowed_targets(state, call)
    handler = _HANDLERS[type(call)]
    reply, target = handler(run, state, call)
    run.update.state = check_transition(state, call, target).value
    run.update.engine_state = run.plan.to_dict()
    run.update.progress = reply if isinstance(reply, int) else run.update.progress
    return reply


def end_out_of_order(run: Run, call: Call, message: str, *, close: bool = True) -> str | int:
    """End the update safely — a forbidden call, or a bug — answering what makes the Web Connector stop.

    With ``close`` false the update stays STOPPED, so the getLastError the Web Connector sends next still
    finds the message; otherwise it is closed at once.
    """
    receiving.abandon(run, message)
    run.plan.stop_message = run.plan.stop_message or message
    if isinstance(call, GetLastError):
        reply: str | int = run.plan.stop_message
    else:
        reply = {SendRequestXml: "", ReceiveResponseXml: -1, ConnectionErrorReported: "done",
                 CloseConnection: "OK"}[type(call)]
    if close and not isinstance(call, GetLastError) or isinstance(call, (CloseConnection,
                                                                          ConnectionErrorReported)):
        closing.close_update(run)
        run.update.state = UpdateState.CLOSED.value
    else:
        run.update.state = UpdateState.STOPPED.value
    run.update.engine_state = run.plan.to_dict()
    return reply


# --- one function per call ------------------------------------------------------------------------


def _send(run: Run, state: UpdateState, call: SendRequestXml) -> tuple[str, UpdateState]:
    if state is S.AWAITING_RESPONSE:  # a replay: the same set, so QuickBooks never runs it twice
        return run.session.get_one(MessageSet, run.plan.in_flight).request_xml, S.AWAITING_RESPONSE
    if state is S.AUTHENTICATED and not _start(run, call):
        return "", S.STOPPED
    outgoing = sending.next_message_set(run)
    if outgoing is None:
        if run.plan.has_failures() or run.plan.stop_message:
            return "", S.STOPPED
        outgoing = sending.noop(run)
    return outgoing.xml, S.AWAITING_RESPONSE


def _start(run: Run, call: SendRequestXml) -> bool:
    """First sendRequestXML: pick the qbXML version from strHCPResponse, check the file, plan the reads."""
    try:
        run.plan.qbxml_version = _version_from(run, call)
    except QbXmlError as exc:
        run.plan.stop_message = f"qbbridge cannot talk to this QuickBooks: {exc}"
        return False
    expected = run.company.qb_file
    if expected and call.company_file and expected.lower() != call.company_file.lower():
        run.plan.stop_message = (f"The Web Connector opened '{call.company_file}', but this login is for "
                                 f"'{expected}'. Open the right company file, then click Update Selected.")
        return False
    run.plan.company_file = call.company_file
    sending.plan_reads(run)
    return True


def _version_from(run: Run, call: SendRequestXml) -> str:
    """The qbXML version for this update; remembers what strHCPResponse says about QuickBooks."""
    if call.hcp_response.strip():
        try:
            info = hcp.parse_hcp(call.hcp_response)
            run.plan.host = {"product": info.product_name, "country": info.country or call.country,
                             "class_tracking": info.is_using_class_tracking}
            return hcp.choose_version(info.supported_versions)
        except QbXmlError:
            if call.major is None:
                raise
    if call.major is None:
        return "13.0"
    return hcp.choose_version([f"{call.major}.{call.minor or 0}"])


def _receive(run: Run, state: UpdateState, call: ReceiveResponseXml) -> tuple[int, UpdateState]:
    if state is not S.AWAITING_RESPONSE:  # a replayed answer: already applied
        return (run.update.progress if state is not S.STOPPED else -1), state
    receiving.apply_answer(run, call.response, call.hresult, call.message)
    if run.plan.stop_message:
        return -1, S.STOPPED
    if sending.has_more(run):
        return run.plan.progress(), S.READY
    if run.plan.has_failures():
        return -1, S.STOPPED
    return 100, S.DONE


def _connection_error(run: Run, state: UpdateState, call: ConnectionErrorReported) -> tuple[str, UpdateState]:
    reason = f"The Web Connector could not reach QuickBooks: {call.message or 'no message'} ({call.hresult})"
    receiving.abandon(run, reason)
    run.plan.stop_message = run.plan.stop_message or reason
    closing.close_update(run)
    return "done", S.CLOSED


def _last_error(run: Run, state: UpdateState, call: GetLastError) -> tuple[str, UpdateState]:
    return closing.last_error_text(run.plan), state


def _close_call(run: Run, state: UpdateState, call: CloseConnection) -> tuple[str, UpdateState]:
    if state is S.AWAITING_RESPONSE:
        receiving.abandon(run, "the update was closed before QuickBooks' answer arrived")
    closing.close_update(run)
    return run.update.summary or "OK", S.CLOSED


_HANDLERS = {SendRequestXml: _send, ReceiveResponseXml: _receive, ConnectionErrorReported: _connection_error,
             GetLastError: _last_error, CloseConnection: _close_call}
