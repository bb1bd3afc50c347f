"""WSGI middleware that stands between the network and the SOAP stack: size, shape and safety checks.

Rule: nothing reaches the wrapped app unless it is a POST of at most ``max_body_bytes`` bytes of
well-formed XML without a DOCTYPE (SOAP 1.1 §3 forbids DTDs, which is also how billion-laughs and XXE
payloads arrive), sent as ``text/xml`` or ``application/xml``; the one exception is ``GET ?wsdl``. Every
refusal is a SOAP 1.1 Fault with a clear ``faultstring``: ``soap:Client`` for the caller's mistakes
(HTTP 405, 411, 413, 415, 400, or 500 for a body that is not usable XML, as SOAP 1.1 puts faults on 500),
``soap:Server`` (HTTP 500) when the wrapped app raises. The wrapped app's reply is buffered, so an
exception escaping it is logged and answered with a generic fault, never a traceback. The body is
parsed here with entity resolution, DTD loading and network access off, then handed on unchanged.
This module knows HTTP and XML, not the Web Connector; it never imports spyne.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable
from typing import Any

from lxml import etree

logger = logging.getLogger(__name__)

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
CONTENT_TYPE = "text/xml; charset=utf-8"
#: Media types a SOAP 1.1 call may carry (the Web Connector sends ``text/xml; charset=utf-8``).
ACCEPTED_MEDIA_TYPES = frozenset({"text/xml", "application/xml"})
#: lxml refuses text nodes larger than this unless ``huge_tree`` is on.
LXML_TEXT_LIMIT = 10_000_000
_CHUNK = 64 * 1024
_DTD_REFUSED = ("The request contains a DOCTYPE (a DTD or entity declarations), which SOAP 1.1 forbids; "
                "it was refused.")
#: ``<!DOCTYPE``/``<!ENTITY`` as they appear in ASCII-compatible encodings and in UTF-16/32.
_DTD_MARKERS = tuple(marker.encode(codec) for marker in ("<!DOCTYPE", "<!ENTITY")
                     for codec in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"))


class Refusal(Exception):
    """A request refused before the wrapped app sees it: HTTP ``status``, SOAP ``faultcode``, message."""

    def __init__(self, status: str, faultcode: str, faultstring: str) -> None:
        super().__init__(faultstring)
        self.status = status
        self.faultcode = faultcode
        self.faultstring = faultstring


def refuse(faultstring: str, status: str = "500 Internal Server Error") -> Refusal:
    """A ``soap:Client`` refusal; HTTP 500 unless the fault is about the HTTP layer."""
    return Refusal(status, "soap:Client", faultstring)


def fault_body(faultcode: str, faultstring: str) -> bytes:
    """A SOAP 1.1 Fault envelope (UTF-8, with an XML declaration)."""
    envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soap": SOAP_ENV})
    fault = etree.SubElement(etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body"), f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(fault, "faultcode").text = faultcode
    etree.SubElement(fault, "faultstring").text = faultstring
    return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")


def is_wsdl_request(environ: dict[str, Any]) -> bool:
    """``GET`` whose query string starts with ``wsdl`` (``?wsdl``, ``?WSDL``, ``?wsdl=``)."""
    query = environ.get("QUERY_STRING", "").split("&")[0].split("=")[0]
    return environ.get("REQUEST_METHOD", "GET").upper() == "GET" and query.lower() == "wsdl"


class RequestLimits:
    """Wrap ``app`` (see the module rule). ``max_body_bytes`` must be positive.

    ``inspect``, when given, is called with the parsed root element of every POSTed body that passed the
    checks; it may raise ``Refusal`` (see ``refuse``) to answer with that fault instead. The wrapped app
    gets a copy of the environ whose ``wsgi.input`` holds exactly the checked body and whose
    ``CONTENT_LENGTH`` is its length (a chunked request arrives there as a plain one).
    """

    def __init__(self, app: WsgiApp, *, max_body_bytes: int,
                 inspect: Callable[[etree._Element], None] | None = None) -> None:
        if max_body_bytes <= 0:
            raise ValueError(f"max_body_bytes must be a positive number of bytes, not {max_body_bytes!r}")
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.inspect = inspect

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        try:
            inner = environ if is_wsdl_request(environ) else self._checked(environ)
        except Refusal as refusal:
            headers = [("Allow", "POST, GET")] if refusal.status.startswith("405") else []
            return _reply(start_response, refusal.status, fault_body(refusal.faultcode, refusal.faultstring),
                          headers)
        return self._call_app(inner, start_response)

    def _checked(self, environ: dict[str, Any]) -> dict[str, Any]:
        """The environ to pass on, or ``Refusal``; the checks run cheapest first."""
        if environ.get("REQUEST_METHOD", "").upper() != "POST":
            raise refuse("Send SOAP calls with POST; GET serves only the WSDL (append ?wsdl to the URL).",
                         "405 Method Not Allowed")
        _check_content_type(environ.get("CONTENT_TYPE", ""))
        body = self._read_body(environ)
        _check_charset(environ.get("CONTENT_TYPE", ""), body)
        root = check_xml(body, huge_tree=self.max_body_bytes > LXML_TEXT_LIMIT)
        if self.inspect is not None:
            self.inspect(root)
        inner = dict(environ)
        inner.pop("HTTP_TRANSFER_ENCODING", None)
        inner["wsgi.input"] = io.BytesIO(body)
        inner["CONTENT_LENGTH"] = str(len(body))
        return inner

    def _read_body(self, environ: dict[str, Any]) -> bytes:
        """The request body, read at most ``max_body_bytes + 1`` bytes far."""
        length = _content_length(environ.get("CONTENT_LENGTH", ""))
        if length is not None and length > self.max_body_bytes:
            raise self._too_large()
        stream = environ["wsgi.input"]
        if length is None:
            chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
            if not (chunked or environ.get("wsgi.input_terminated")):
                raise refuse("The request has no Content-Length header.", "411 Length Required")
            length = self.max_body_bytes + 1  # read to the end of the stream, but no further than this
        body = _read_up_to(stream, length)
        if len(body) > self.max_body_bytes:
            raise self._too_large()
        return body

    def _too_large(self) -> Refusal:
        return refuse(f"The request body is larger than the server's limit of {self.max_body_bytes} bytes.",
                      "413 Request Entity Too Large")

    def _call_app(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        """Run the wrapped app to completion; an exception becomes a generic ``soap:Server`` fault."""
        started: list[tuple[str, list[tuple[str, str]]]] = []
        written: list[bytes] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[..., None]:
            started[:] = [(status, headers)]  # a later call (with exc_info) replaces the first
            return written.append  # the legacy write() callable

        try:
            chunks = self.app(environ, capture)
            try:
                written.extend(chunks)
            finally:
                getattr(chunks, "close", lambda: None)()
            if not started:
                raise RuntimeError("the wrapped WSGI app returned without calling start_response")
        except Exception:
            logger.exception("the SOAP application failed on %s %s", environ.get("REQUEST_METHOD"),
                             environ.get("PATH_INFO"))
            return _reply(start_response, "500 Internal Server Error", fault_body(
                "soap:Server", "The server failed to process the request; the details are in its log."))
        status, headers = started[0]
        start_response(status, headers)
        return [b"".join(written)]


def check_xml(body: bytes, *, huge_tree: bool = False) -> etree._Element:
    """The root element of ``body``; ``Refusal`` unless it is well-formed XML without any DOCTYPE.

    Parsing never resolves entities, loads a DTD or touches the network, so a hostile body costs no
    more than its size.
    """
    if not body.strip():
        raise refuse("The request body is empty; expected a SOAP 1.1 envelope.")
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=huge_tree)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        # libxml2 may stop a hostile DTD itself ("amplification factor exceeded"); name the real cause
        raise refuse(_DTD_REFUSED if _mentions_dtd(body) else f"The request is not well-formed XML: {exc}") \
            from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise refuse(_DTD_REFUSED)
    return root



def _mentions_dtd(body: bytes) -> bool:
    """Whether ``body`` holds ``<!DOCTYPE`` or ``<!ENTITY`` in any letter case, in an ASCII-compatible
    encoding or in UTF-16/32 (``bytes.upper`` changes ASCII letters only)."""
    upper = body.upper()
    return any(marker in upper for marker in _DTD_MARKERS)


def _check_content_type(content_type: str) -> None:
    media_type = content_type.split(";")[0].strip().lower()
    if media_type not in ACCEPTED_MEDIA_TYPES:
        shown = f"Content-Type {content_type!r}" if content_type else "no Content-Type"
        raise refuse(f"The request has {shown}; send SOAP 1.1 as text/xml; charset=utf-8.",
                     "415 Unsupported Media Type")


def _check_charset(content_type: str, body: bytes) -> None:
    """A ``charset`` parameter must name a codec that decodes ``body`` (the SOAP stack decodes with it)."""
    params = (part.strip().split("=", 1) for part in content_type.split(";")[1:] if "=" in part)
    charset = next((value.strip().strip('"') for name, value in params if name.strip().lower() == "charset"),
                   None)
    if charset is None:
        return
    try:
        body.decode(charset)
    except LookupError:
        unknown = f"The Content-Type names an unknown charset {charset!r}."
        raise refuse(unknown, "415 Unsupported Media Type") from None
    except UnicodeDecodeError as exc:
        raise refuse(f"The request body is not valid {charset} as its Content-Type says: {exc.reason} "
                     f"at byte {exc.start}.") from None


def _content_length(value: str) -> int | None:
    """``None`` when the header is absent; ``Refusal`` (400) when it is not a non-negative integer."""
    if not value.strip():
        return None
    if not (value.strip().isascii() and value.strip().isdigit()):
        raise refuse(f"The Content-Length header {value!r} is not a number of bytes.", "400 Bad Request")
    return int(value)


def _read_up_to(stream: Any, limit: int) -> bytes:
    """Read until ``limit`` bytes or the end of ``stream``, in chunks (servers may return short reads)."""
    parts: list[bytes] = []
    remaining = limit
    while remaining > 0:
        chunk = stream.read(min(_CHUNK, remaining))
        if not chunk:
            break
        parts.append(chunk)
        remaining -= len(chunk)
    return b"".join(parts)


def _reply(start_response: Callable[..., Any], status: str, body: bytes,
           extra_headers: list[tuple[str, str]] | None = None) -> list[bytes]:
    headers = [("Content-Type", CONTENT_TYPE), ("Content-Length", str(len(body))), *(extra_headers or [])]
    start_response(status, headers)
    return [body]
