"""Test doubles and helpers for the SOAP adapter's tests (imported by basename; no package here).

- ``FakeService``: a ``WebConnectorApi`` that records every call and answers from ``replies``.
- ``wsgi_call``: one in-process WSGI request; returns ``Reply(status, headers, body)``.
- ``envelope``: a SOAP 1.1 request envelope around the given body XML text.
- ``result_of`` / ``fault_of``: read a reply envelope strictly.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from lxml import etree

TNS = "http://developer.intuit.com/"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"

#: The fake's default answers, one per service method.
DEFAULT_REPLIES: dict[str, Any] = {
    "server_version": "fake 1.0",
    "client_version": "",
    "authenticate": ["ticket-1", ""],
    "send_request_xml": "<?qbxml version=\"16.0\"?><QBXML/>",
    "receive_response_xml": 100,
    "connection_error": "done",
    "get_last_error": "NoOp",
    "close_connection": "OK",
    "get_interactive_url": "https://example.test/interactive",
    "interactive_done": "Done",
    "interactive_rejected": "Sorry",
}


class FakeService:
    """Records ``(method, args)`` in ``calls`` and answers ``replies[method]``: an exception is raised, a
    callable is called with the arguments, anything else is returned."""

    def __init__(self, **replies: Any) -> None:
        unknown = set(replies) - set(DEFAULT_REPLIES)
        assert not unknown, f"FakeService has no method(s) {unknown}"
        self.replies = {**DEFAULT_REPLIES, **replies}
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name not in DEFAULT_REPLIES:
            raise AttributeError(name)

        def method(*args: Any) -> Any:
            self.calls.append((name, args))
            reply = self.replies[name]
            if isinstance(reply, BaseException):
                raise reply
            return reply(*args) if callable(reply) else reply

        return method


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


def wsgi_call(app: Any, body: bytes | Iterable[bytes] = b"", *, method: str = "POST", query: str = "",
              content_type: str | None = "text/xml; charset=utf-8", length: str | None = "auto",
              **extra: Any) -> Reply:
    """Call ``app`` in process. ``length="auto"`` sends ``len(body)``; ``None`` sends no Content-Length."""
    data = body if isinstance(body, bytes) else b"".join(body)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method, "SCRIPT_NAME": "", "PATH_INFO": "/qbwc", "QUERY_STRING": query,
        "SERVER_NAME": "localhost", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost", "wsgi.version": (1, 0), "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(data), "wsgi.errors": io.StringIO(), "wsgi.multithread": False,
        "wsgi.multiprocess": False, "wsgi.run_once": False,
    }
    if content_type is not None:
        environ["CONTENT_TYPE"] = content_type
    if length is not None:
        environ["CONTENT_LENGTH"] = str(len(data)) if length == "auto" else length
    environ.update(extra)
    started: list[tuple[str, list[tuple[str, str]]]] = []
    chunks = app(environ, lambda status, headers, exc_info=None: started.append((status, headers)))
    reply = b"".join(chunks)
    assert len(started) == 1, "the app must call start_response exactly once"
    status, headers = started[0]
    return Reply(int(status.split()[0]), {k.lower(): v for k, v in headers}, reply)


def envelope(call_xml: str, *, declaration: bool = True) -> bytes:
    """A SOAP 1.1 request envelope whose Body holds ``call_xml`` (text, inserted as is)."""
    head = '<?xml version="1.0" encoding="utf-8"?>' if declaration else ""
    return (f'{head}<soap:Envelope xmlns:soap="{SOAP_ENV}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
            f' xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>{call_xml}</soap:Body>'
            "</soap:Envelope>").encode()


def call_xml(op: str, **children: str | None) -> str:
    """``<op xmlns=tns><child>text</child>…</op>`` in the order given; ``None`` writes ``<child />``."""
    inner = "".join(f"<{name} />" if text is None else f"<{name}>{text}</{name}>"
                    for name, text in children.items())
    return f'<{op} xmlns="{TNS}">{inner}</{op}>'


def _parse(body: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(body, parser)
    assert root.tag == f"{{{SOAP_ENV}}}Envelope"
    assert root.getroottree().docinfo.doctype == ""
    return root


def result_of(op: str, reply: Reply) -> etree._Element:
    """The ``<opResult>`` element of a 200 reply, after checking ``<opResponse>`` (both in tns)."""
    assert reply.status == 200, reply.body
    assert reply.content_type.startswith("text/xml")
    body = _parse(reply.body).find(f"{{{SOAP_ENV}}}Body")
    (response,) = list(body)
    assert response.tag == f"{{{TNS}}}{op}Response"
    (result,) = list(response)
    assert result.tag == f"{{{TNS}}}{op}Result"
    return result


def fault_of(reply: Reply) -> tuple[str, str]:
    """``(faultcode, faultstring)`` of a SOAP 1.1 Fault reply (the only element in the Body)."""
    assert reply.content_type.startswith("text/xml"), reply.headers
    body = _parse(reply.body).find(f"{{{SOAP_ENV}}}Body")
    (fault,) = list(body)
    assert fault.tag == f"{{{SOAP_ENV}}}Fault"
    return fault.findtext("faultcode"), fault.findtext("faultstring")
