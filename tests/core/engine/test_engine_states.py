"""The update state machine: every (state, call) pair against a table written out here independently.

``EXPECTED`` is the specification (docs/engine.md in words); ``TRANSITIONS`` is the implementation. A
change to either without the other fails these tests.
"""

from __future__ import annotations

import pytest

from qbbridge.core.engine.calls import (
    ALL_CALLS,
    CloseConnection,
    ConnectionErrorReported,
    GetLastError,
    ReceiveResponseXml,
    SendRequestXml,
)
from qbbridge.core.engine.states import TRANSITIONS, UpdateState, allowed_targets, check_transition
from qbbridge.core.errors import ClientProtocolError, ServerProtocolError

S = UpdateState
OPEN = (S.AUTHENTICATED, S.AWAITING_RESPONSE, S.READY, S.DONE, S.STOPPED)

EXPECTED: dict[tuple[UpdateState, type], set[UpdateState]] = {
    (S.AUTHENTICATED, SendRequestXml): {S.AWAITING_RESPONSE, S.STOPPED},
    (S.READY, SendRequestXml): {S.AWAITING_RESPONSE, S.STOPPED},
    (S.AWAITING_RESPONSE, SendRequestXml): {S.AWAITING_RESPONSE},
    (S.AWAITING_RESPONSE, ReceiveResponseXml): {S.READY, S.DONE, S.STOPPED},
    (S.READY, ReceiveResponseXml): {S.READY},
    (S.DONE, ReceiveResponseXml): {S.DONE},
    (S.STOPPED, ReceiveResponseXml): {S.STOPPED},
    **{(state, GetLastError): {state} for state in OPEN},
    **{(state, ConnectionErrorReported): {S.CLOSED} for state in OPEN},
    **{(state, CloseConnection): {S.CLOSED} for state in OPEN},
}
PAIRS = [(state, call) for state in UpdateState for call in ALL_CALLS]


def pair_id(pair: tuple[UpdateState, type]) -> str:
    return f"{pair[0].name}-{pair[1].__name__}"


def test_the_table_has_exactly_the_expected_pairs():
    assert set(TRANSITIONS) == set(EXPECTED)


@pytest.mark.parametrize("pair", PAIRS, ids=pair_id)
def test_every_pair_is_allowed_with_its_targets_or_refused_naming_state_and_call(pair):
    state, call = pair
    if pair in EXPECTED:
        assert allowed_targets(state, call) == EXPECTED[pair]
        assert allowed_targets(state, call()) == EXPECTED[pair]  # an instance or its type
    else:
        with pytest.raises(ClientProtocolError) as refused:
            allowed_targets(state, call())
        assert state.name in str(refused.value) and call.__name__ in str(refused.value)


@pytest.mark.parametrize("pair", sorted(EXPECTED, key=pair_id), ids=pair_id)
def test_check_transition_accepts_the_allowed_targets_and_calls_any_other_a_server_bug(pair):
    state, call = pair
    for target in UpdateState:
        if target in EXPECTED[pair]:
            assert check_transition(state, call(), target) is target
        else:
            with pytest.raises(ServerProtocolError) as bug:
                check_transition(state, call, target)
            assert state.name in str(bug.value) and target.name in str(bug.value)


@pytest.mark.parametrize("pair", [p for p in PAIRS if p not in EXPECTED], ids=pair_id)
def test_check_transition_of_a_forbidden_call_blames_the_client(pair):
    state, call = pair
    with pytest.raises(ClientProtocolError):
        check_transition(state, call, S.CLOSED)


def test_stopped_accepts_only_last_error_connection_error_close_and_a_replayed_answer():
    accepted = {call for call in ALL_CALLS if (S.STOPPED, call) in TRANSITIONS}
    assert accepted == {GetLastError, ConnectionErrorReported, CloseConnection, ReceiveResponseXml}
    # Sticky: nothing but the end of the update leaves STOPPED.
    assert allowed_targets(S.STOPPED, ReceiveResponseXml) == {S.STOPPED}
    assert allowed_targets(S.STOPPED, GetLastError) == {S.STOPPED}


@pytest.mark.parametrize("call", ALL_CALLS, ids=lambda call: call.__name__)
def test_closed_accepts_nothing(call):
    with pytest.raises(ClientProtocolError):
        allowed_targets(S.CLOSED, call)


@pytest.mark.parametrize("state", OPEN, ids=lambda state: state.name)
def test_every_open_state_can_be_closed_and_can_explain_itself(state):
    assert allowed_targets(state, CloseConnection) == {S.CLOSED}
    assert allowed_targets(state, ConnectionErrorReported) == {S.CLOSED}
    assert allowed_targets(state, GetLastError) == {state}  # asking never changes the state


def test_only_send_request_xml_hands_quickbooks_a_set_and_only_an_answer_finishes():
    into_awaiting = {call for (state, call), targets in TRANSITIONS.items()
                     if S.AWAITING_RESPONSE in targets and state is not S.AWAITING_RESPONSE}
    into_done = {call for (state, call), targets in TRANSITIONS.items()
                 if S.DONE in targets and state is not S.DONE}
    assert into_awaiting == {SendRequestXml}
    assert into_done == {ReceiveResponseXml}


def test_every_state_is_reachable_from_authenticated_and_every_one_can_reach_closed():
    graph: dict[UpdateState, set[UpdateState]] = {state: set() for state in UpdateState}
    for (state, _), targets in TRANSITIONS.items():
        graph[state] |= targets

    def reachable(start: UpdateState) -> set[UpdateState]:
        seen, todo = {start}, [start]
        while todo:
            for target in graph[todo.pop()] - seen:
                seen.add(target)
                todo.append(target)
        return seen

    assert reachable(S.AUTHENTICATED) == set(UpdateState)
    assert all(S.CLOSED in reachable(state) for state in UpdateState)
    assert graph[S.CLOSED] == set()
