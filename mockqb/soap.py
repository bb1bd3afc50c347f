"""SOAP 1.1 envelopes of the QuickBooks Web Connector protocol, built and parsed with lxml.

Rule: the request side writes exactly what the real Web Connector (a .NET ``SoapHttpClientProtocol``) puts
on the wire, as captured in ``reference/samples/soap/flowlink_receiveResponseXML_invoice_add_rs.xml``:
``<?xml version="1.0" encoding="utf-8"?>``, an Envelope declaring ``soap``/``xsi``/``xsd``, a body element
``<op xmlns="http://developer.intuit.com/">`` whose unprefixed children follow the WSDL's order and names,
empty strings written ``<hresult />``, SOAPAction ``"http://developer.intuit.com/<op>"`` in quotes.

The reply side is as strict as the Web Connector's generated proxy: ``<opResponse><opResult>`` in the
``http://developer.intuit.com/`` namespace; anything else — a SOAP Fault, text that is not XML, a
DOCTYPE, the wrong element, a non-integer where the WSDL says ``int`` — raises ``ServerMisbehaved``
naming the operation. The server-side helpers (``parse_request``, ``response_envelope``,
``fault_envelope``) exist for ``scripted_server``; mockqb never imports spyne or ``qbbridge.core``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from lxml import etree

from .errors import MockQbError

NS = "http://developer.intuit.com/"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12_ENV = "http://www.w3.org/2003/05/soap-envelope"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XSD = "http://www.w3.org/2001/XMLSchema"
CONTENT_TYPE = "text/xml; charset=utf-8"
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>'

#: Each operation's request children, in the WSDL's order (PROTOCOL.md §A.1).
REQUEST_FIELDS: dict[str, tuple[str, ...]] = {
    "serverVersion": (),
    "clientVersion": ("strVersion",),
    "authenticate": ("strUserName", "strPassword"),
    "sendRequestXML": ("ticket", "strHCPResponse", "strCompanyFileName", "qbXMLCountry",
                       "qbXMLMajorVers", "qbXMLMinorVers"),
    "receiveResponseXML": ("ticket", "response", "hresult", "message"),
    "connectionError": ("ticket", "hresult", "message"),
    "getLastError": ("ticket",),
    "closeConnection": ("ticket",),
}
OPERATIONS = tuple(REQUEST_FIELDS)
_INT32 = range(-(2**31), 2**31)

#: What ``parse_reply`` returns: ``list[str]`` for authenticate, ``int`` for receiveResponseXML, else ``str``.
Reply = str | int | list[str]

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
_EMPTY_TAG = re.compile(rb"(<[^<>]*?[^<> ])/>")


class ServerMisbehaved(MockQbError):
    """A reply the Web Connector cannot use; ``str()`` names the operation and what was wrong."""

    def __init__(self, op: str, reason: str) -> None:
        super().__init__(f"{op} failed: {reason}")
        self.op = op
        self.reason = reason


class SoapFault(ServerMisbehaved):
    """The server answered with a SOAP Fault (``faultcode``, ``faultstring``)."""

    def __init__(self, op: str, faultcode: str, faultstring: str) -> None:
        super().__init__(op, f"the server answered with a SOAP Fault: {faultstring} [{faultcode}]")
        self.faultcode = faultcode
        self.faultstring = faultstring


class SoapRequestError(MockQbError):
    """(Server side) a request that is not a QBWC SOAP 1.1 call; ``faultcode`` is ``soap:Client``."""


def soap_action(op: str) -> str:
    """The SOAPAction header value, quoted as .NET sends it: ``"http://developer.intuit.com/<op>"``."""
    _check_op(op)
    return f'"{NS}{op}"'


def request_envelope(op: str, args: Mapping[str, object]) -> bytes:
    """The request envelope for ``op``; ``args`` are keyed by WSDL child name.

    Children are written in WSDL order whatever the mapping's order; a missing or ``None`` argument is
    left out (minOccurs=0), ``""`` becomes an empty element, ints are written in decimal. An unknown
    argument name raises ``ValueError``.
    """
    fields = _check_op(op)
    unknown = set(args) - set(fields)
    if unknown:
        raise ValueError(f"{op} has no parameter(s) {sorted(unknown)}; it takes {list(fields)}")
    body = _envelope()
    call = etree.SubElement(body, f"{{{NS}}}{op}", nsmap={None: NS})
    for name in fields:
        value = args.get(name)
        if value is not None:
            _text_child(call, name, value)
    return _serialise(body)


def parse_reply(op: str, data: bytes) -> Reply:
    """Extract ``<op>Result`` from a reply envelope, typed per the WSDL (see ``Reply``).

    A missing or ``xsi:nil`` string result reads as ``""`` and ``authenticate`` without a result as ``[]``
    (the simulator's choice: the .NET proxy would hand QBWC a null, and QBWC documents null like "" only
    for clientVersion). Raises
    ``ServerMisbehaved`` for a SOAP Fault and for anything that is not the expected response.
    """
    _check_op(op)
    body = _body_of(op, _parse(op, data))
    response = _first_element(body)
    if response is None:
        raise ServerMisbehaved(op, "the reply's SOAP Body is empty")
    if response.tag == f"{{{SOAP_ENV}}}Fault":
        raise SoapFault(op, (response.findtext("faultcode") or "").strip(),
                        (response.findtext("faultstring") or "").strip())
    if response.tag != f"{{{NS}}}{op}Response":
        raise ServerMisbehaved(op, f'expected <{op}Response xmlns="{NS}">, got {_name(response)}')
    return _result_of(op, response.find(f"{{{NS}}}{op}Result"))


def parse_request(data: bytes) -> tuple[str, dict[str, str | None]]:
    """(Server side) the operation and its arguments; absent children are ``None``, empty ones ``""``.

    Raises ``SoapRequestError`` when ``data`` is not a SOAP 1.1 envelope holding one QBWC operation.
    """
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise SoapRequestError(f"the request is not well-formed XML: {exc}") from exc
    if root.tag != f"{{{SOAP_ENV}}}Envelope" or root.getroottree().docinfo.doctype:
        raise SoapRequestError(f"the request is not a SOAP 1.1 Envelope (root {_name(root)})")
    body = root.find(f"{{{SOAP_ENV}}}Body")
    call = _first_element(body) if body is not None else None
    if call is None or etree.QName(call).namespace != NS or etree.QName(call).localname not in REQUEST_FIELDS:
        raise SoapRequestError(f"no QBWC operation in the SOAP Body (found {_name(call)})")
    op = etree.QName(call).localname
    args: dict[str, str | None] = {}
    for name in REQUEST_FIELDS[op]:
        child = call.find(f"{{{NS}}}{name}")
        args[name] = None if child is None else (child.text or "")
    return op, args


def response_envelope(op: str, result: Reply) -> bytes:
    """(Server side) ``<opResponse><opResult>`` with ``result`` (a list becomes ``<string>`` items)."""
    _check_op(op)
    body = _envelope()
    response = etree.SubElement(body, f"{{{NS}}}{op}Response", nsmap={None: NS})
    if isinstance(result, list):
        array = etree.SubElement(response, f"{{{NS}}}{op}Result")
        for item in result:
            _text_child(array, "string", item)
    else:
        _text_child(response, f"{op}Result", result)
    return _serialise(body)


def fault_envelope(faultcode: str, faultstring: str) -> bytes:
    """(Server side) a SOAP 1.1 Fault; ``faultcode`` is ``soap:Client`` or ``soap:Server``."""
    body = _envelope()
    fault = etree.SubElement(body, f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(fault, "faultcode").text = faultcode
    etree.SubElement(fault, "faultstring").text = faultstring
    return _serialise(body)


# -- helpers --------------------------------------------------------------------------------------------
def _check_op(op: str) -> tuple[str, ...]:
    try:
        return REQUEST_FIELDS[op]
    except KeyError:
        raise ValueError(f"unknown QBWC operation {op!r}; known: {', '.join(OPERATIONS)}") from None


def _envelope() -> etree._Element:
    envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soap": SOAP_ENV, "xsi": XSI, "xsd": XSD})
    return etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body")


def _text_child(parent: etree._Element, name: str, value: object) -> None:
    child = etree.SubElement(parent, f"{{{NS}}}{name}")
    text = str(value)
    if text:
        child.text = text


def _serialise(body: etree._Element) -> bytes:
    """One line, double-quoted declaration, ``<tag />`` for empty elements (as .NET writes them).

    The regex is safe: lxml escapes ``<`` and ``>`` in text and attributes, so ``/>`` only ends tags.
    """
    xml = etree.tostring(body.getparent(), encoding="utf-8")
    return XML_DECLARATION + _EMPTY_TAG.sub(rb"\1 />", xml)


def _parse(op: str, data: bytes) -> etree._Element:
    if not data.strip():
        raise ServerMisbehaved(op, "the reply is empty (Response is not well-formed XML)")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        snippet = data[:80].decode("utf-8", "replace")
        raise ServerMisbehaved(op, f"Response is not well-formed XML ({exc}); it starts {snippet!r}") from exc
    if root.getroottree().docinfo.doctype:
        raise ServerMisbehaved(op, "the reply has a DOCTYPE, which the Web Connector refuses")
    return root


def _body_of(op: str, root: etree._Element) -> etree._Element:
    if root.tag == f"{{{SOAP12_ENV}}}Envelope":
        raise ServerMisbehaved(op, "the reply is a SOAP 1.2 envelope; the Web Connector speaks SOAP 1.1")
    if root.tag != f"{{{SOAP_ENV}}}Envelope":
        raise ServerMisbehaved(op, f"the reply is not a SOAP 1.1 Envelope (root {_name(root)})")
    body = root.find(f"{{{SOAP_ENV}}}Body")
    if body is None:
        raise ServerMisbehaved(op, "the reply's SOAP Envelope has no Body")
    return body


def _result_of(op: str, result: etree._Element | None) -> Reply:
    nil = result is not None and result.get(f"{{{XSI}}}nil") in ("true", "1")
    if op == "authenticate":
        if result is None or nil:
            return []
        return [item.text or "" for item in result if item.tag == f"{{{NS}}}string"]
    if op == "receiveResponseXML":
        return _int_result(op, None if result is None or nil else (result.text or ""))
    return "" if result is None or nil else (result.text or "")


def _int_result(op: str, text: str | None) -> int:
    if text is None:
        raise ServerMisbehaved(op, f"<{op}Result> is missing; the WSDL requires an int")
    value = text.strip()
    if not re.fullmatch(r"[+-]?[0-9]+", value) or int(value) not in _INT32:
        raise ServerMisbehaved(op, f"<{op}Result> is {text!r}, not an int")
    return int(value)


def _first_element(parent: etree._Element) -> etree._Element | None:
    return next((child for child in parent if isinstance(child.tag, str)), None)


def _name(element: etree._Element | None) -> str:
    if element is None:
        return "nothing"
    qname = etree.QName(element)
    return f"<{qname.localname}>" + (f" in namespace {qname.namespace}" if qname.namespace else "")
