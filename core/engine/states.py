"""The states of one Web Connector update and the legal transitions between them, as data.

Rule 1: everything that decides whether a call is legal in a state lives in ``TRANSITIONS``; code never
tests states ad hoc. Rule 2: ``STOPPED`` is sticky: only ``getLastError`` (which repeats the recorded
message), ``connectionError`` and ``closeConnection`` are accepted after it. Replays are legal where the
Web Connector may repeat a call after a lost reply: a repeated ``sendRequestXML`` while a set awaits its
answer returns the same set (same ``newMessageSetID``, so QuickBooks never runs it twice), and a repeated
``receiveResponseXML`` is recognised and answered with the current progress.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from ..errors import ClientProtocolError, ServerProtocolError
from .calls import (
    Call,
    CloseConnection,
    ConnectionErrorReported,
    GetLastError,
    ReceiveResponseXml,
    SendRequestXml,
)


class UpdateState(enum.Enum):
    AUTHENTICATED = "authenticated"          # ticket issued; no message set yet
    AWAITING_RESPONSE = "awaiting_response"  # a message set is with QuickBooks
    READY = "ready"                          # answers applied; more to send
    DONE = "done"                            # the plan is finished; progress 100 was returned
    STOPPED = "stopped"                      # the update must end; getLastError explains why
    CLOSED = "closed"                        # closeConnection or connectionError ended it


S = UpdateState
_OPEN = (S.AUTHENTICATED, S.AWAITING_RESPONSE, S.READY, S.DONE, S.STOPPED)

TRANSITIONS: Mapping[tuple[UpdateState, type], frozenset[UpdateState]] = {
    (S.AUTHENTICATED, SendRequestXml): frozenset({S.AWAITING_RESPONSE, S.STOPPED}),
    (S.READY, SendRequestXml): frozenset({S.AWAITING_RESPONSE, S.STOPPED}),
    (S.AWAITING_RESPONSE, SendRequestXml): frozenset({S.AWAITING_RESPONSE}),  # replay: same set again
    (S.AWAITING_RESPONSE, ReceiveResponseXml): frozenset({S.READY, S.DONE, S.STOPPED}),
    (S.READY, ReceiveResponseXml): frozenset({S.READY}),      # a replayed answer: progress repeated
    (S.DONE, ReceiveResponseXml): frozenset({S.DONE}),        # a replayed final answer
    (S.STOPPED, ReceiveResponseXml): frozenset({S.STOPPED}),  # a replayed answer after the stop
    **{(state, GetLastError): frozenset({state}) for state in _OPEN},
    **{(state, ConnectionErrorReported): frozenset({S.CLOSED}) for state in _OPEN},
    **{(state, CloseConnection): frozenset({S.CLOSED}) for state in _OPEN},
}


def allowed_targets(state: UpdateState, call: Call | type) -> frozenset[UpdateState]:
    """The states ``call`` may lead to from ``state``; ``ClientProtocolError`` if it is illegal there."""
    call_type = call if isinstance(call, type) else type(call)
    try:
        return TRANSITIONS[(state, call_type)]
    except KeyError:
        raise ClientProtocolError(
            f"can't handle {call_type.__name__} in state {state.name}") from None


def check_transition(state: UpdateState, call: Call | type, target: UpdateState) -> UpdateState:
    """Return ``target`` if the table allows it; a target the table forbids is our own bug."""
    targets = allowed_targets(state, call)
    if target not in targets:
        name = call.__name__ if isinstance(call, type) else type(call).__name__
        raise ServerProtocolError(f"{name} in state {state.name} may not lead to {target.name}")
    return target
