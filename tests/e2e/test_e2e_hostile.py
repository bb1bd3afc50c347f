"""Hostile and broken input, end to end: the real WSGI app on a real store, against the simulators.

Rule: every hostile input gets a clear answer (a SOAP Fault naming the problem, or the Web Connector's
documented reply), never a crash or a traceback, and loses or duplicates no record: an answer the server
cannot trust makes its records uncertain (pending only when QuickBooks provably ran nothing), the update
stops with a clear getLastError, and the next, normal update settles each record exactly once.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from e2e_harness import COMPANY, PASSWORD, USER, AnswerTamper, database_text, entries_by_key, post, soap_call

from qbbridge.mockqb.faults import FaultPlan
from qbbridge.mockqb.soap import SOAP_ENV, request_envelope

pytestmark = pytest.mark.e2e

KEYS = ("h1", "h2", "h3")
TNS = "http://developer.intuit.com/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
# Nine levels of ten references: 10**9 "lol"s if anything ever expanded it.
LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
          + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)) + "]>")


def start(bridge, keys=KEYS):
    """Three records, one write set (batch_size 3), no reads: receiveResponseXML 1 answers the write."""
    bridge.host.update_settings(COMPANY, read_lists=False)
    bridge.submit_hours(keys)


def assert_recovered_once(bridge, mockqb_webconnector, mockqb_company, keys=KEYS):
    """The next update, with nothing tampered and no fault, leaves each record synced and in QuickBooks
    exactly once."""
    result = mockqb_webconnector(bridge.wsgi, user=USER, password=PASSWORD, faults=FaultPlan()).run_update()
    assert result.ok, result.summary()
    assert entries_by_key(mockqb_company) == dict.fromkeys(keys, 1)
    assert bridge.states() == dict.fromkeys(keys, "synced")


def assert_clean(result):
    """No call of the update failed at the transport or SOAP level, and no reply leaked a traceback."""
    assert all(call.error is None for call in result.transcript), result.summary()
    assert "Traceback" not in result.summary(brief=False)


# --- malformed SOAP ---------------------------------------------------------------------------------

ENVELOPE = f'<soap:Envelope xmlns:soap="{SOAP_ENV}">{{}}</soap:Envelope>'
AUTH = f'<authenticate xmlns="{TNS}"><strUserName>{USER}</strUserName></authenticate>'
LOGIN = request_envelope("authenticate", {"strUserName": USER, "strPassword": PASSWORD})


@pytest.mark.parametrize(("body", "words"), [
    (b"this is not XML", "not well-formed XML"),
    (LOGIN[:-30], "not well-formed"),
    (AUTH.encode(), "not a SOAP 1.1 Envelope"),
    (f'<e:Envelope xmlns:e="{SOAP12}"><e:Body>{AUTH}</e:Body></e:Envelope>'.encode(), "SOAP 1.2"),
    (ENVELOPE.format("<soap:Header/>").encode(), "no operation"),
    (ENVELOPE.format(f'<soap:Body><dropTables xmlns="{TNS}"/></soap:Body>').encode(), "Unknown operation"),
    (b"", "empty"),
], ids=["not-xml", "truncated", "wrong-root", "soap12", "no-body", "unknown-op", "empty"])
def test_malformed_soap_gets_a_clear_client_fault_and_changes_nothing(bridge, body, words):
    before = database_text(bridge)
    reply = post(bridge.wsgi, body)
    code, message = reply.fault()
    assert (reply.status, code) == (500, "soap:Client") and words.lower() in message.lower(), message
    assert b"Traceback" not in reply.body
    assert database_text(bridge) == before


def test_hostile_envelopes_between_the_calls_of_a_live_update_change_nothing(bridge, mockqb_webconnector,
                                                                           mockqb_company, mockqb_faults):
    start(bridge)
    spy, attacks = AnswerTamper(bridge.wsgi, {}), []

    def attack(op, n):  # the live update's own ticket, in envelopes that must never reach the service
        ticket = {"ticket": spy.ticket}
        for body in (request_envelope("closeConnection", ticket)[:-40],
                     LAUGHS.encode() + request_envelope("connectionError", ticket).split(b"?>", 1)[1],
                     request_envelope("closeConnection", ticket).replace(SOAP_ENV.encode(), SOAP12.encode())):
            reply = post(bridge.wsgi, body)
            assert reply.fault()[0] == "soap:Client" and b"Traceback" not in reply.body
        assert set(bridge.states().values()) == {"in_flight"}
        assert soap_call(bridge.wsgi, "getLastError", ticket=spy.ticket) == ""  # the update goes on
        attacks.append(n)

    mockqb_faults.before("receiveResponseXML", 1, attack)
    result = mockqb_webconnector(spy, user=USER, password=PASSWORD).run_update()
    assert result.ok and attacks == [1], result.summary()
    assert entries_by_key(mockqb_company) == dict.fromkeys(KEYS, 1)
    assert bridge.states() == dict.fromkeys(KEYS, "synced")


# --- malformed qbXML answers --------------------------------------------------------------------------


def drop_answer(request_id):
    answer = re.compile(rf'<(\w+Rs) requestID="{request_id}".*?</\1>', re.DOTALL)
    return lambda xml: answer.sub("", xml, count=1)


UNREADABLE = [
    (lambda xml: "Bonjour, QuickBooks is having a bad day", "not well-formed XML"),
    (lambda xml: xml[: len(xml) // 2], "not well-formed XML"),
    (lambda xml: xml.replace("<QBXML>", "<QBXMLX>").replace("</QBXML>", "</QBXMLX>"), "not a qbXML response"),
    (lambda xml: xml.replace('statusCode="0"', 'statusCode="zero"', 1), "is not an integer"),
    (lambda xml: "", "empty text"),
]


@pytest.mark.parametrize(("rewrite", "words"), UNREADABLE,
                         ids=["garbage", "truncated", "wrong-root", "non-integer-status", "empty"])
def test_an_unreadable_answer_makes_the_set_uncertain_and_the_next_update_recovers(
        bridge, mockqb_webconnector, mockqb_company, rewrite, words):
    start(bridge)
    tamper = AnswerTamper(bridge.wsgi, {1: rewrite})
    first = mockqb_webconnector(tamper, user=USER, password=PASSWORD).run_update()
    assert not first.ok and "could not be read" in first.status and words in first.status, first.summary()
    assert first.calls("receiveResponseXML")[0].reply == -1 and first.close_message is not None
    assert_clean(first)
    assert entries_by_key(mockqb_company) == dict.fromkeys(KEYS, 1)  # QuickBooks did run the set
    assert bridge.states() == dict.fromkeys(KEYS, "uncertain")
    assert_recovered_once(bridge, mockqb_webconnector, mockqb_company)


def test_an_unreadable_recovery_answer_keeps_the_records_uncertain(bridge, mockqb_webconnector,
                                                                   mockqb_company):
    start(bridge)
    garbage = UNREADABLE[0][0]
    connector = mockqb_webconnector(AnswerTamper(bridge.wsgi, {1: garbage, 2: garbage}), user=USER,
                                    password=PASSWORD)
    assert not connector.run_update().ok
    second = connector.run_update()  # its first answer is the status query's, and it is garbage too
    assert not second.ok and "could not be read" in second.status, second.summary()
    assert_clean(second)
    assert bridge.states() == dict.fromkeys(KEYS, "uncertain")
    assert entries_by_key(mockqb_company) == dict.fromkeys(KEYS, 1)
    assert_recovered_once(bridge, mockqb_webconnector, mockqb_company)


@pytest.mark.parametrize(("rewrite", "uncertain"), [
    (drop_answer("r2"), {"h2"}),
    (lambda xml: xml.replace('requestID="r', 'requestID="x'), set(KEYS)),
], ids=["one-answer-missing", "requestids-never-sent"])
def test_requests_left_without_an_answer_become_uncertain_not_pending(bridge, mockqb_webconnector,
                                                                    mockqb_company, rewrite, uncertain):
    start(bridge)
    tamper = AnswerTamper(bridge.wsgi, {1: rewrite})
    first = mockqb_webconnector(tamper, user=USER, password=PASSWORD).run_update()
    assert not first.ok and "holds no answer for request" in first.status, first.summary()
    assert_clean(first)
    assert bridge.states() == {key: "uncertain" if key in uncertain else "synced" for key in KEYS}
    assert_recovered_once(bridge, mockqb_webconnector, mockqb_company)


def test_a_forged_answer_to_a_request_never_sent_is_ignored(bridge, mockqb_webconnector, mockqb_company):
    start(bridge)
    forged = ('<TimeTrackingAddRs requestID="r99" statusCode="0" statusSeverity="Info" '
              'statusMessage="Status OK"><TimeTrackingRet><TxnID>FORGED-1</TxnID><Notes>qbb:h1</Notes>'
              "</TimeTrackingRet></TimeTrackingAddRs>")
    end = "</QBXMLMsgsRs>"
    tamper = AnswerTamper(bridge.wsgi, {1: lambda xml: xml.replace(end, forged + end)})
    result = mockqb_webconnector(tamper, user=USER, password=PASSWORD).run_update()
    assert result.ok, result.summary()
    assert bridge.states() == dict.fromkeys(KEYS, "synced")
    assert "FORGED-1" not in {row["qb_id"] for row in bridge.host.records(COMPANY, "hours")}
    assert entries_by_key(mockqb_company) == dict.fromkeys(KEYS, 1)


def test_a_parse_error_hresult_means_quickbooks_ran_nothing_so_records_stay_pending(
        bridge, mockqb_webconnector, mockqb_company, mockqb_faults):
    start(bridge)
    mockqb_faults.hresult(1, "0x80040400")
    first = mockqb_webconnector(bridge.wsgi, user=USER, password=PASSWORD).run_update()
    assert not first.ok and "0x80040400" in first.status, first.summary()
    assert entries_by_key(mockqb_company) == {}
    assert bridge.states() == dict.fromkeys(KEYS, "pending")
    assert_recovered_once(bridge, mockqb_webconnector, mockqb_company)


def test_requests_after_a_failure_under_stop_on_error_go_back_to_pending(bridge, mockqb_webconnector,
                                                                        mockqb_company):
    bridge.host.update_settings(COMPANY, read_lists=False)
    bridge.submit_hours(["h1"])
    bridge.submit_hours(["h2"], employee="Nobody Known")
    bridge.submit_hours(["h3"])
    first = mockqb_webconnector(bridge.wsgi, user=USER, password=PASSWORD).run_update()
    assert not first.ok and "h2" in first.status and "3140" in first.status, first.summary()
    assert bridge.states() == {"h1": "synced", "h2": "pending", "h3": "pending"}
    assert entries_by_key(mockqb_company) == {"h1": 1}
    bridge.submit_hours(["h2"])  # the host fixes the employee
    assert_recovered_once(bridge, mockqb_webconnector, mockqb_company)


# --- entity expansion and external entities -----------------------------------------------------------


@pytest.fixture
def secret(tmp_path: Path) -> tuple[str, str]:
    """A file only an external entity could read: (its URL, its content)."""
    content = f"TOP-SECRET-{uuid.uuid4().hex}"
    path = tmp_path / "secret.txt"
    path.write_text(content)
    return path.as_uri(), content


def entity_doctypes(secret_url):
    """(DOCTYPE, entity reference) pairs: expansion, a local file, /etc/passwd, a URL."""
    return [(LAUGHS, "&lol9;"),
            (f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "{secret_url}">]>', "&xxe;"),
            ('<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"),
            ('<!DOCTYPE x [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/qbbridge-xxe">]>', "&xxe;")]


def passwd_line() -> str:
    path = Path("/etc/passwd")
    return path.read_text().splitlines()[0] if path.exists() else "root:x:0:0"


def test_entities_in_the_soap_envelope_are_refused_never_expanded(bridge, secret):
    url, content = secret
    before = database_text(bridge)
    for doctype, reference in entity_doctypes(url):
        call = request_envelope("authenticate", {"strUserName": "@@", "strPassword": "@@"}).decode()
        body = '<?xml version="1.0"?>' + doctype + call.split("?>", 1)[1].replace("@@", reference)
        reply = post(bridge.wsgi, body.encode())
        code, message = reply.fault()
        assert (reply.status, code) == (500, "soap:Client") and "DOCTYPE" in message, message
        for leaked in (content, passwd_line(), "lollol"):
            assert leaked.encode() not in reply.body
    assert database_text(bridge) == before  # no login attempt, no update, nothing stored


@pytest.mark.parametrize("which", range(4), ids=["laughs", "local-file", "etc-passwd", "url"])
def test_entities_in_quickbooks_answer_are_refused_never_expanded(bridge, mockqb_webconnector, mockqb_company,
                                                                   secret, which):
    url, content = secret
    doctype, reference = entity_doctypes(url)[which]
    start(bridge)

    def hostile(xml):
        return xml.replace("<QBXML>", doctype + "<QBXML>", 1).replace("<Notes>", f"<Notes>{reference}", 1)

    tamper = AnswerTamper(bridge.wsgi, {1: hostile})
    result = mockqb_webconnector(tamper, user=USER, password=PASSWORD).run_update()
    assert not result.ok and "DOCTYPE" in result.status, result.summary()
    assert_clean(result)
    for leaked in (content, passwd_line(), "lollol"):
        assert leaked not in result.summary(brief=False) and leaked not in database_text(bridge)
    assert bridge.states() == dict.fromkeys(KEYS, "uncertain")
    assert_recovered_once(bridge, mockqb_webconnector, mockqb_company)


# --- size limit -------------------------------------------------------------------------------------


def test_an_oversized_body_gets_413(bridge):
    bridge.restart(max_body_bytes=4096)
    body = request_envelope("receiveResponseXML", {"ticket": "t", "response": "x" * 5000})
    reply = post(bridge.wsgi, body)
    code, message = reply.fault()
    assert (reply.status, code) == (413, "soap:Client") and "limit of 4096 bytes" in message


def test_an_answer_over_the_limit_is_refused_and_recovered_once_the_limit_is_raised(
        bridge, mockqb_webconnector, mockqb_company):
    keys = [f"h{n}" for n in range(12)]
    bridge.restart(batch_size=12, max_body_bytes=8000)
    start(bridge, keys)
    first = mockqb_webconnector(bridge.wsgi, user=USER, password=PASSWORD).run_update()
    assert not first.ok and "HTTP 413" in first.status, first.summary()
    assert first.calls("sendRequestXML")  # the calls before it were within the limit
    assert entries_by_key(mockqb_company) == dict.fromkeys(keys, 1)
    assert set(bridge.states().values()) == {"in_flight"}  # the Web Connector went silent
    bridge.restart(max_body_bytes=bridge.settings.max_body_bytes * 100)
    bridge.clock.advance(bridge.settings.update_timeout_seconds + 1)
    assert_recovered_once(bridge, mockqb_webconnector, mockqb_company, keys)
