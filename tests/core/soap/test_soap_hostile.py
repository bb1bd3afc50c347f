"""Hostile and broken requests get a clear SOAP 1.1 Fault, never reach the service, never crash."""

from __future__ import annotations

import pytest
from soap_fakes import SOAP_ENV, TNS, call_xml, envelope, fault_of, wsgi_call

from qbbridge.core.soap import make_wsgi_app

AUTH = call_xml("authenticate", strUserName="alice", strPassword="pw")
# The classic: nine levels of ten references each, 10**9 "lol"s if expanded.
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">'
          + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)) + "]>")


def body_with_doctype(doctype: str, user: str) -> bytes:
    call = envelope(call_xml("authenticate", strUserName=user), declaration=False).decode()
    return (doctype + call).encode()


def assert_client_fault(reply, status: int, *words: str) -> str:
    assert reply.status == status, reply.body
    code, message = fault_of(reply)
    assert code.split(":")[-1].startswith("Client"), code
    for word in words:
        assert word.lower() in message.lower(), message
    assert b"Traceback" not in reply.body
    return message


def test_malformed_xml(app, fake):
    assert_client_fault(wsgi_call(app, envelope(AUTH)[:-20]), 500, "not well-formed XML")
    assert fake.calls == []


def test_billion_laughs_is_refused_unexpanded(app, fake):
    reply = wsgi_call(app, body_with_doctype(LAUGHS, "&lol9;"))
    assert_client_fault(reply, 500, "DOCTYPE")
    assert b"lollol" not in reply.body and fake.calls == []


def test_xxe_reads_no_file(app, fake, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    doctype = f'<?xml version="1.0"?><!DOCTYPE e [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    reply = wsgi_call(app, body_with_doctype(doctype, "&xxe;"))
    assert_client_fault(reply, 500, "DOCTYPE")
    assert b"TOP-SECRET-MARKER" not in reply.body and fake.calls == []


def test_xxe_against_etc_passwd(app, fake):
    doctype = '<!DOCTYPE e [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    reply = wsgi_call(app, body_with_doctype(doctype, "&xxe;"))
    assert_client_fault(reply, 500, "DOCTYPE")
    assert b"root:" not in reply.body and fake.calls == []


def test_a_plain_doctype_is_refused_too(app, fake):
    assert_client_fault(wsgi_call(app, body_with_doctype("<!DOCTYPE Envelope>", "alice")), 500, "DOCTYPE")
    assert fake.calls == []


def test_an_oversized_body_gets_413_before_it_is_read(fake):
    app = make_wsgi_app(fake, max_body_bytes=1000)
    body = envelope(call_xml("receiveResponseXML", ticket="T", response="x" * 2000))
    reply = wsgi_call(app, body)
    assert_client_fault(reply, 413, "1000 bytes")
    assert fake.calls == []


def test_an_oversized_chunked_body_gets_413(fake):
    app = make_wsgi_app(fake, max_body_bytes=1000)
    body = envelope(call_xml("receiveResponseXML", ticket="T", response="x" * 2000))
    reply = wsgi_call(app, body, length=None, HTTP_TRANSFER_ENCODING="chunked")
    assert_client_fault(reply, 413, "limit")
    assert fake.calls == []


def test_a_body_at_the_limit_is_served(fake):
    body = envelope(call_xml("getLastError", ticket="T"))
    app = make_wsgi_app(fake, max_body_bytes=len(body))
    assert wsgi_call(app, body).status == 200 and fake.calls == [("get_last_error", ("T",))]


def test_an_empty_body(app, fake):
    assert_client_fault(wsgi_call(app, b""), 500, "empty")
    assert_client_fault(wsgi_call(app, b"  \n"), 500, "empty")
    assert fake.calls == []


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", "application/soap+xml", None])
def test_a_wrong_content_type(app, fake, content_type):
    message = assert_client_fault(wsgi_call(app, envelope(AUTH), content_type=content_type), 415, "text/xml")
    assert ("no Content-Type" in message) == (content_type is None)
    assert fake.calls == []


def test_a_body_that_does_not_match_its_charset(app, fake):
    body = envelope(AUTH).replace(b"alice", "Zoë".encode("latin-1"))
    assert_client_fault(wsgi_call(app, body), 500, "not valid utf-8")
    assert fake.calls == []


def test_a_soap_12_envelope(app, fake):
    body = f'<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body>{AUTH}</e:Body></e:Envelope>'
    assert_client_fault(wsgi_call(app, body.encode()), 500, "SOAP 1.2")
    assert fake.calls == []


@pytest.mark.parametrize(("body", "words"), [
    (b"<authenticate/>", ("not a SOAP 1.1 Envelope", "<authenticate>")),
    (f'<soap:Envelope xmlns:soap="{SOAP_ENV}"/>'.encode(), ("no operation",)),
    (envelope(""), ("no operation", "sendRequestXML")),
    (envelope(f'<dropTables xmlns="{TNS}"/>'), ("Unknown operation", "<dropTables>", TNS)),
    (envelope("<authenticate><strUserName>a</strUserName></authenticate>"), ("Unknown operation",)),
])
def test_an_envelope_without_a_qbwc_operation(app, fake, body, words):
    assert_client_fault(wsgi_call(app, body), 500, *words)
    assert fake.calls == []


@pytest.mark.parametrize("call", [
    call_xml("authenticate", strUserName='<x href="#a"/>') + '<y id="a">admin</y>',
    # 1500 levels above an id: spyne's recursive href resolution would overflow the stack
    call_xml("authenticate", strUserName="<x>" * 1500 + '<y id="a"/>' + "</x>" * 1500),
])
def test_soap_encoding_references_are_refused(app, fake, call):
    assert_client_fault(wsgi_call(app, envelope(call)), 500, "id or href")
    assert fake.calls == []


def test_deep_nesting_is_refused_by_the_parser(app, fake):
    call = call_xml("authenticate", strUserName="<x>" * 3000 + "</x>" * 3000)
    assert_client_fault(wsgi_call(app, envelope(call)), 500, "not well-formed", "depth")
    assert fake.calls == []


@pytest.mark.parametrize(("method", "query"), [("GET", ""), ("PUT", ""), ("DELETE", "wsdl")])
def test_other_methods_are_refused(app, fake, method, query):
    reply = wsgi_call(app, envelope(AUTH), method=method, query=query)
    assert_client_fault(reply, 405, "POST")
    assert reply.headers["allow"] == "POST, GET" and fake.calls == []


def test_a_major_version_of_the_wrong_shape_inside_a_valid_call_does_not_fault(app, fake):
    # the lenient rule, seen from the hostile side: junk in an int field never becomes a fault
    wsgi_call(app, envelope(call_xml("sendRequestXML", qbXMLMajorVers="<![CDATA[1e309]]>")))
    assert fake.calls[0][1][4] is None
