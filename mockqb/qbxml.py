"""mockqb's own small qbXML reader and writer (plain lxml).

Rule: this module shares no code with ``qbbridge.core``. The simulator and the server are two independent
implementations of one protocol, so a bug in one side's builder or parser cannot cancel itself out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lxml import etree

from .errors import QbXmlParseError

# Entities, DTDs and network access off: a request can never make the simulator read a file or a URL.
QBXML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                               remove_blank_text=True)
_TEXT_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                               remove_blank_text=True, encoding="utf-8")

Element = etree._Element


def parse_message_set(request_xml: str | bytes) -> tuple[etree._ElementTree, str]:
    """Parse a request message set and return it with its ``<?qbxml version?>``.

    Raises ``QbXmlParseError`` for text that is not well-formed, has a DOCTYPE, or lacks the version
    instruction — QuickBooks rejects all of these before looking at any request.
    """
    data, parser = _as_bytes(request_xml)
    if not data.strip():
        raise QbXmlParseError("the request is empty")
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser))
    except etree.XMLSyntaxError as exc:
        raise QbXmlParseError(f"not well-formed XML: {exc}") from exc
    if tree.docinfo.doctype:
        raise QbXmlParseError("a DOCTYPE is not allowed in qbXML")
    return tree, _qbxml_version(tree.getroot())


def _as_bytes(request_xml: str | bytes) -> tuple[bytes, etree.XMLParser]:
    """Text arrives decoded (the Web Connector hands QuickBooks a string), so its ``encoding=``
    declaration no longer applies: parse it as the UTF-8 we encode it to. Bytes follow their declaration."""
    if isinstance(request_xml, bytes):
        return request_xml, QBXML_PARSER
    try:
        return request_xml.encode("utf-8"), _TEXT_PARSER
    except UnicodeEncodeError as exc:
        raise QbXmlParseError(f"the text cannot be encoded: {exc.reason} at position {exc.start}") from exc


def _qbxml_version(root: Element) -> str:
    node = root.getprevious()
    while node is not None:
        if isinstance(node, etree._ProcessingInstruction) and node.target == "qbxml":
            version = node.get("version")
            if version:
                return version
        node = node.getprevious()
    raise QbXmlParseError('the <?qbxml version="X.Y"?> instruction is missing')


def requests_in(msgs_rq: Element) -> list[Element]:
    """The request elements of a ``QBXMLMsgsRq``, without comments or processing instructions
    (Intuit's own samples put comments between requests)."""
    return list(msgs_rq.iterchildren(tag=etree.Element))


def text(parent: Element, path: str) -> str | None:
    """Text of the first element at ``path`` (``a/b``), or None."""
    found = parent.find(path)
    return None if found is None else (found.text or "")


def texts(parent: Element, tag: str) -> list[str]:
    return [child.text or "" for child in parent.findall(tag)]


def sub(parent: Element, tag: str, value: Any = None) -> Element:
    """Append ``<tag>value</tag>``; booleans become ``true``/``false`` as in qbXML."""
    child = etree.SubElement(parent, tag)
    if value is not None:
        child.text = _text_of(value)
    return child


def _text_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def message_set_response(replies: Iterable[Element], attrs: dict[str, str] | None = None) -> str:
    """Serialise a response message set the way QuickBooks writes it."""
    root = etree.Element("QBXML")
    msgs = etree.SubElement(root, "QBXMLMsgsRs")
    for name, value in (attrs or {}).items():
        msgs.set(name, value)
    msgs.extend(replies)
    body = etree.tostring(root, encoding="unicode", pretty_print=True)
    return f'<?xml version="1.0" ?>\n{body}'


def parse_response(response_xml: str) -> Element:
    """Parse a response produced by ``message_set_response`` (for tests and replays)."""
    return etree.fromstring(response_xml.encode("utf-8"), QBXML_PARSER)
