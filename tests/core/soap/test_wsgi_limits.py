"""RequestLimits on its own, around a tiny echo app: what passes, what is refused, and how."""

from __future__ import annotations

import io
import logging

import pytest
from soap_fakes import fault_of, wsgi_call

from qbbridge.core.wsgi_limits import Refusal, RequestLimits, check_xml, fault_body, is_wsdl_request, refuse

DOC = b'<?xml version="1.0"?><doc>hello</doc>'


class Echo:
    """Answers 200 with the body it read; records the environs it saw."""

    def __init__(self) -> None:
        self.seen: list[dict] = []

    def __call__(self, environ, start_response):
        self.seen.append(environ)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length)
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [body]


class ShortReads(io.BytesIO):
    """A stream that returns at most 7 bytes per read, as some servers do."""

    def read(self, size=-1):
        return super().read(7 if size is None or size < 0 else min(size, 7))


@pytest.fixture
def echo():
    return Echo()


def test_a_good_post_passes_through_unchanged(echo):
    reply = wsgi_call(RequestLimits(echo, max_body_bytes=100), DOC)
    assert (reply.status, reply.body) == (200, DOC)
    assert echo.seen[0]["CONTENT_LENGTH"] == str(len(DOC))


def test_short_reads_are_completed(echo):
    reply = wsgi_call(RequestLimits(echo, max_body_bytes=100), DOC, **{"wsgi.input": ShortReads(DOC)})
    assert reply.body == DOC


def test_a_chunked_body_arrives_as_a_plain_one(echo):
    reply = wsgi_call(RequestLimits(echo, max_body_bytes=100), DOC, length=None,
                      HTTP_TRANSFER_ENCODING="chunked")
    assert reply.body == DOC
    assert echo.seen[0]["CONTENT_LENGTH"] == str(len(DOC)) and "HTTP_TRANSFER_ENCODING" not in echo.seen[0]


def test_a_terminated_input_without_length_is_read_to_its_end(echo):
    reply = wsgi_call(RequestLimits(echo, max_body_bytes=100), DOC, length=None,
                      **{"wsgi.input_terminated": True})
    assert reply.body == DOC


@pytest.mark.parametrize("limit", [len(DOC) - 1, 1])
def test_declared_length_over_the_limit_is_refused_without_reading(echo, limit):
    stream = io.BytesIO(DOC)
    reply = wsgi_call(RequestLimits(echo, max_body_bytes=limit), DOC, **{"wsgi.input": stream})
    assert reply.status == 413 and str(limit) in fault_of(reply)[1]
    assert stream.tell() == 0 and echo.seen == []


def test_a_chunked_body_is_read_no_further_than_the_limit(echo):
    stream = io.BytesIO(DOC + b" " * 10_000)
    reply = wsgi_call(RequestLimits(echo, max_body_bytes=50), b"", length=None,
                      HTTP_TRANSFER_ENCODING="chunked", **{"wsgi.input": stream})
    assert reply.status == 413 and stream.tell() == 51 and echo.seen == []


def test_a_body_longer_than_its_declared_length_is_cut_at_that_length(echo):
    reply = wsgi_call(RequestLimits(echo, max_body_bytes=100), DOC + b"<junk/>", length=str(len(DOC)))
    assert reply.body == DOC


@pytest.mark.parametrize(("length", "status"), [(None, 411), ("-5", 400), ("12abc", 400), ("", 411)])
def test_missing_or_bad_content_length(echo, length, status):
    reply = wsgi_call(RequestLimits(echo, max_body_bytes=100), DOC, length=length)
    assert reply.status == status and fault_of(reply)[0] == "soap:Client" and echo.seen == []


def test_an_unknown_charset_is_refused(echo):
    reply = wsgi_call(RequestLimits(echo, max_body_bytes=100), DOC, content_type="text/xml; charset=klingon")
    assert reply.status == 415 and "klingon" in fault_of(reply)[1]


def test_get_wsdl_passes_without_a_body(echo):
    reply = wsgi_call(RequestLimits(echo, max_body_bytes=100), method="GET", query="wsdl", content_type=None,
                      length=None)
    assert reply.status == 200 and len(echo.seen) == 1


@pytest.mark.parametrize(("method", "query", "expected"), [
    ("GET", "wsdl", True), ("GET", "WSDL", True), ("GET", "wsdl=&x=1", True), ("GET", "", False),
    ("GET", "wsdlx", False), ("POST", "wsdl", False), ("HEAD", "wsdl", False)])
def test_is_wsdl_request(method, query, expected):
    assert is_wsdl_request({"REQUEST_METHOD": method, "QUERY_STRING": query}) is expected


def test_the_inspector_sees_the_parsed_root_and_may_refuse(echo):
    seen = []

    def inspect(root):
        seen.append(root.tag)
        if root.text == "hello":
            raise refuse("no greetings here")

    middleware = RequestLimits(echo, max_body_bytes=100, inspect=inspect)
    reply = wsgi_call(middleware, DOC)
    assert reply.status == 500 and fault_of(reply) == ("soap:Client", "no greetings here")
    assert wsgi_call(middleware, b"<doc>bye</doc>").status == 200
    assert seen == ["doc", "doc"] and len(echo.seen) == 1


def test_an_exception_in_the_app_becomes_a_generic_server_fault(caplog):
    def broken(environ, start_response):
        raise KeyError("internal detail 42")

    with caplog.at_level(logging.ERROR, logger="qbbridge.core.wsgi_limits"):
        reply = wsgi_call(RequestLimits(broken, max_body_bytes=100), DOC)
    assert reply.status == 500 and fault_of(reply)[0] == "soap:Server"
    assert b"internal detail" not in reply.body and b"KeyError" not in reply.body
    assert any(record.exc_info for record in caplog.records)


def test_an_exception_while_iterating_the_reply_is_caught_and_close_is_called():
    closed = []

    class Body:
        def __iter__(self):
            yield b"partial"
            raise ValueError("boom")

        def close(self):
            closed.append(True)

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/xml")])
        return Body()

    reply = wsgi_call(RequestLimits(app, max_body_bytes=100), DOC)
    assert reply.status == 500 and b"partial" not in reply.body and closed == [True]


def test_an_app_that_never_starts_a_response_is_caught():
    reply = wsgi_call(RequestLimits(lambda environ, start_response: [b"x"], max_body_bytes=100), DOC)
    assert reply.status == 500 and fault_of(reply)[0] == "soap:Server"


@pytest.mark.parametrize("limit", [0, -1])
def test_the_limit_must_be_positive(echo, limit):
    with pytest.raises(ValueError, match="max_body_bytes"):
        RequestLimits(echo, max_body_bytes=limit)


@pytest.mark.parametrize("body", [
    '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>'.encode("utf-16"),
    '<?xml version="1.0" encoding="utf-16le"?><!doctype a><a/>'.encode("utf-16-le"),
    b'<?xml version="1.0" encoding="ISO-8859-1"?><!DOCTYPE a SYSTEM "http://example.invalid/a.dtd"><a/>',
])
def test_check_xml_refuses_doctypes_in_any_encoding(body):
    with pytest.raises(Refusal, match="DOCTYPE") as info:
        check_xml(body)
    assert info.value.faultcode == "soap:Client"


def test_check_xml_accepts_escaped_doctype_text():
    root = check_xml(b"<a>&lt;!DOCTYPE x&gt;</a>")
    assert root.text == "<!DOCTYPE x>"


def test_fault_body_escapes_its_text():
    reply_body = fault_body("soap:Client", "bad <tag> & more")
    assert b"bad &lt;tag&gt; &amp; more" in reply_body
