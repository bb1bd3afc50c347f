"""Logins, lockout, tickets and calls that carry no valid update, end to end over SOAP.

Rule: a bad login of any kind answers ``nvu``; a locked user gets ``nvu`` even with the right password
until the lock ends on the server's clock; secrets are stored only as hashes or digests; a call whose
ticket names no open update (unknown, empty, closed, taken over) or that comes out of order gets the
Web Connector's graceful answer and changes nothing a later update depends on.
"""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa
from e2e_harness import COMPANY, PASSWORD, USER, database_text, entries_by_key, post, soap_call

from qbbridge.core.store.models import Update, WcUser
from qbbridge.mockqb.faults import FaultPlan
from qbbridge.mockqb.soap import request_envelope

pytestmark = pytest.mark.e2e

KEYS = ("h1", "h2", "h3")


def login(bridge, user=USER, password=PASSWORD) -> str:
    """authenticate's status string: "nvu", "none", "busy" or "" (an update started)."""
    return soap_call(bridge.wsgi, "authenticate", strUserName=user, strPassword=password)[1]


def rows(bridge, model):
    with bridge.app.session_factory() as session:
        return list(session.scalars(sa.select(model)))


def run(bridge, mockqb_webconnector, **options):
    return mockqb_webconnector(bridge.wsgi, user=options.pop("user", USER),
                               password=options.pop("password", PASSWORD), faults=FaultPlan(), **options)


def nothing_due(bridge):
    bridge.host.update_settings(COMPANY, read_lists=False)


# --- passwords and lockout ----------------------------------------------------------------------------


@pytest.mark.parametrize(("user", "password"), [(USER, "wrong"), ("nobody", PASSWORD), (USER, ""), ("", "")],
                         ids=["wrong-password", "unknown-user", "empty-password", "empty-both"])
def test_bad_credentials_get_nvu(bridge, mockqb_webconnector, user, password):
    result = run(bridge, mockqb_webconnector, user=user, password=password).run_update()
    assert result.status == "Invalid password for username" and not result.ok
    assert result.ops == ["serverVersion", "clientVersion", "authenticate", "closeConnection"]


def test_absent_credentials_get_nvu(bridge):
    assert soap_call(bridge.wsgi, "authenticate")[1] == "nvu"
    assert soap_call(bridge.wsgi, "authenticate", strUserName=USER)[1] == "nvu"


def test_five_failures_lock_the_user_until_the_lock_expires(bridge):
    nothing_due(bridge)
    for _ in range(bridge.settings.login.max_failures):
        assert login(bridge, password="guess") == "nvu"
    assert login(bridge) == "nvu"  # the right password, but locked
    (user,) = rows(bridge, WcUser)
    assert user.failed_logins == bridge.settings.login.max_failures and user.locked_until is not None
    bridge.clock.advance(bridge.settings.login.lock_seconds - 1)
    assert login(bridge) == "nvu"
    bridge.clock.advance(2)
    assert login(bridge) == "none"
    (user,) = rows(bridge, WcUser)
    assert (user.failed_logins, user.locked_until) == (0, None)


def test_a_good_login_resets_the_failure_count(bridge):
    nothing_due(bridge)
    for _ in range(2):
        for _ in range(bridge.settings.login.max_failures - 1):
            assert login(bridge, password="guess") == "nvu"
        assert login(bridge) == "none"
    assert rows(bridge, WcUser)[0].failed_logins == 0


def test_an_unknown_user_locks_nobody(bridge):
    nothing_due(bridge)
    for _ in range(bridge.settings.login.max_failures + 2):
        assert login(bridge, user=USER.upper(), password="guess") == "nvu"
    assert login(bridge) == "none"


def test_passwords_are_never_stored_in_clear(bridge, mockqb_webconnector):
    bridge.submit_hours(KEYS)
    login(bridge, password="wrong-but-secret")
    assert run(bridge, mockqb_webconnector).run_update().ok
    (user,) = rows(bridge, WcUser)
    assert user.password_hash.startswith("scrypt$") and PASSWORD not in user.password_hash
    text = database_text(bridge)
    assert PASSWORD not in text and "wrong-but-secret" not in text


def test_tickets_are_stored_only_as_digests(bridge, mockqb_webconnector):
    bridge.submit_hours(KEYS)
    result = run(bridge, mockqb_webconnector).run_update()
    assert result.ok, result.summary()
    (update,) = rows(bridge, Update)
    assert update.ticket_hash != result.ticket
    assert update.ticket_hash == hashlib.sha256(result.ticket.encode()).hexdigest()
    assert result.ticket not in database_text(bridge)


# --- tickets that name no open update -----------------------------------------------------------------

GRACEFUL = {"sendRequestXML": "", "receiveResponseXML": -1, "connectionError": "done",
            "closeConnection": "OK"}
BAD_TICKETS = ["00000000-0000-0000-0000-000000000000", "", "' OR '1'='1", "x" * 5000, "ticket\u202e"]


def send(bridge, ticket):
    """sendRequestXML as the Web Connector sends it after the first call (qbXML 13.0, no HCP response)."""
    return soap_call(bridge.wsgi, "sendRequestXML", ticket=ticket, strHCPResponse="", strCompanyFileName="",
                     qbXMLCountry="US", qbXMLMajorVers=13, qbXMLMinorVers=0)


def call_every_operation(bridge, ticket) -> dict[str, object]:
    args = {"ticket": ticket}
    return {"sendRequestXML": send(bridge, ticket),
            "getLastError": soap_call(bridge.wsgi, "getLastError", **args),
            "receiveResponseXML": soap_call(bridge.wsgi, "receiveResponseXML", **args, response="<QBXML/>",
                                            hresult="", message=""),
            "connectionError": soap_call(bridge.wsgi, "connectionError", **args, hresult="0x80040408",
                                         message="boom"),
            "closeConnection": soap_call(bridge.wsgi, "closeConnection", **args)}


def assert_graceful(replies):
    assert {op: replies[op] for op in GRACEFUL} == GRACEFUL
    assert "no open update" in replies["getLastError"]


@pytest.mark.parametrize("ticket", BAD_TICKETS, ids=["unknown", "empty", "sql", "huge", "unicode"])
def test_unknown_tickets_get_graceful_answers_and_change_nothing(bridge, ticket):
    bridge.submit_hours(KEYS)
    before = database_text(bridge)
    assert_graceful(call_every_operation(bridge, ticket))
    assert database_text(bridge) == before


def test_a_missing_ticket_element_is_graceful_too(bridge):
    for op, answer in GRACEFUL.items():
        assert soap_call(bridge.wsgi, op) == answer
    reply = post(bridge.wsgi, request_envelope("getLastError", {}))
    assert reply.status == 200 and b"no open update" in reply.body


def test_a_closed_updates_ticket_cannot_be_reused(bridge, mockqb_webconnector, mockqb_company):
    bridge.submit_hours(KEYS)
    result = run(bridge, mockqb_webconnector).run_update()
    assert result.ok, result.summary()
    before = database_text(bridge)
    assert_graceful(call_every_operation(bridge, result.ticket))
    assert database_text(bridge) == before
    assert entries_by_key(mockqb_company) == dict.fromkeys(KEYS, 1)


def test_a_late_answer_on_a_taken_over_ticket_is_not_applied(bridge, mockqb_webconnector, mockqb_quickbooks,
                                                             mockqb_company):
    bridge.host.update_settings(COMPANY, read_lists=False)
    bridge.submit_hours(KEYS)
    ticket = soap_call(bridge.wsgi, "authenticate", strUserName=USER, strPassword=PASSWORD)[0]
    request = send(bridge, ticket)
    session = mockqb_quickbooks.open_session("qbbridge")
    answer = session.process(request)  # QuickBooks adds the entries; this Web Connector then hangs
    session.close()
    bridge.clock.advance(bridge.settings.update_timeout_seconds + 1)
    takeover = run(bridge, mockqb_webconnector).run_update()
    assert takeover.ok and takeover.close_message == "3 recovered", takeover.summary()
    before = database_text(bridge)
    assert soap_call(bridge.wsgi, "receiveResponseXML", ticket=ticket, response=answer, hresult="",
                     message="") == -1
    assert "no open update" in soap_call(bridge.wsgi, "getLastError", ticket=ticket)
    assert database_text(bridge) == before
    assert entries_by_key(mockqb_company) == dict.fromkeys(KEYS, 1)


# --- calls out of order -------------------------------------------------------------------------------


def test_receive_before_any_send_stops_gracefully_and_loses_nothing(bridge, mockqb_webconnector,
                                                                   mockqb_company):
    bridge.submit_hours(KEYS)
    ticket = soap_call(bridge.wsgi, "authenticate", strUserName=USER, strPassword=PASSWORD)[0]
    assert soap_call(bridge.wsgi, "receiveResponseXML", ticket=ticket, response="<QBXML/>", hresult="",
                     message="") == -1
    message = soap_call(bridge.wsgi, "getLastError", ticket=ticket)
    assert "called receiveResponseXML at an unexpected point" in message, message
    assert soap_call(bridge.wsgi, "closeConnection", ticket=ticket)
    assert set(bridge.states().values()) == {"pending"}
    assert all(row["attempts"] == 0 for row in bridge.host.records(COMPANY, "hours"))
    result = run(bridge, mockqb_webconnector).run_update()  # the company is free again at once
    assert result.ok, result.summary()
    assert entries_by_key(mockqb_company) == dict.fromkeys(KEYS, 1)
    assert bridge.states() == dict.fromkeys(KEYS, "synced")


def test_send_after_the_plan_is_done_stops_gracefully(bridge, mockqb_quickbooks):
    bridge.host.update_settings(COMPANY, read_lists=False)
    bridge.submit_hours(["h1"])
    ticket = soap_call(bridge.wsgi, "authenticate", strUserName=USER, strPassword=PASSWORD)[0]
    session = mockqb_quickbooks.open_session("qbbridge")
    answer = session.process(send(bridge, ticket))
    session.close()
    assert soap_call(bridge.wsgi, "receiveResponseXML", ticket=ticket, response=answer, hresult="",
                     message="") == 100
    assert send(bridge, ticket) == ""  # the Web Connector should have closed the update by now
    message = soap_call(bridge.wsgi, "getLastError", ticket=ticket)
    assert "called sendRequestXML at an unexpected point" in message, message
    assert bridge.states() == {"h1": "synced"}
