"""Safe parsing of qbXML text and of QuickBooks' response message sets (sans-IO).

Rule: every piece of XML from outside goes through ``parse_xml``: entities are never resolved, nothing
is fetched from the network, documents with a DOCTYPE are refused outright (so no entity can be
declared), libxml2's size and depth limits stay on. Every failure is a ``QbXmlError`` whose message
says what was wrong, including lxml's reason.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

from lxml import etree

from qbbridge.core.contract import QbResult, QbStatus
from qbbridge.core.errors import QbXmlError

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_blank_text=True)
# The XML declaration: lxml refuses str input that carries an encoding declaration, and in a str the
# text is already decoded, so the declaration says nothing and is dropped.
_XML_DECLARATION = re.compile(r"<\?xml\s[^<>]*\?>")
# A DOCTYPE can only sit in the prolog, after whitespace, comments and processing instructions.
# Possessive repetition: no backtracking, so hostile prologs cannot make the scan slow.
_DOCTYPE_IN_PROLOG = re.compile(r"(?:\s|<!--.*?-->|<\?.*?\?>)*+<!DOCTYPE", re.DOTALL)
_INTEGER = re.compile(r"\s*[+-]?[0-9]+\s*")  # INTTYPE, surrounding whitespace tolerated


def parse_xml(text: str) -> etree._Element:
    """Parse ``text`` into its root element, or raise ``QbXmlError``.

    Accepted: a leading ``<?qbxml …?>`` instruction with or without an XML declaration, an encoding
    declaration, a leading byte-order mark or whitespace. Refused: empty text, non-XML, malformed
    XML, any DOCTYPE (hence any entity declaration), nesting deeper than libxml2's limit (256).
    """
    if not isinstance(text, str):
        raise QbXmlError(f"expected XML text (str), got {type(text).__name__}")
    body = text.lstrip("\ufeff \t\r\n")
    if not body:
        raise QbXmlError("expected XML, got empty text")
    declaration = _XML_DECLARATION.match(body)
    if declaration:  # blanked, not cut, so that lxml's line and column numbers stay true
        body = re.sub(r"[^\n]", " ", declaration[0]) + body[declaration.end():]
    if _DOCTYPE_IN_PROLOG.match(body):
        raise QbXmlError("refused XML with a DOCTYPE: qbXML never carries DTDs or entity declarations")
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise QbXmlError(f"not well-formed XML: {exc}{_near(body, exc)}") from exc
    except ValueError as exc:  # characters XML cannot carry (NUL, lone surrogates)
        raise QbXmlError(f"not usable as XML text: {exc}") from exc
    if root.getroottree().docinfo.doctype:  # belt and braces: the prolog scan should have caught it
        raise QbXmlError("refused XML with a DOCTYPE: qbXML never carries DTDs or entity declarations")
    return root


def _near(body: str, exc: etree.XMLSyntaxError) -> str:
    """A short excerpt of ``body`` ending a little after the error position, for the message."""
    line_no, column = exc.position
    lines = body.split("\n")
    if not 1 <= line_no <= len(lines):
        return ""
    line = lines[line_no - 1]
    # libxml2 counts columns in UTF-8 bytes from 1; convert to a character index.
    at = len(line.encode("utf-8")[:max(column - 1, 0)].decode("utf-8", "ignore"))
    return f" near {line[max(at - 40, 0):at + 20]!r}"


@dataclass(frozen=True, slots=True)
class ParsedResponse:
    """A QuickBooks response message set: one result per request, in order, and the set's
    error-recovery attributes (present only when the request set asked for error recovery)."""

    results: tuple[QbResult, ...]
    new_message_set_id: str | None
    message_set_status_code: int | None


def parse_response(text: str) -> ParsedResponse:
    """Parse ``<QBXML><QBXMLMsgsRs>…`` into results.

    Each ``…Rs`` child becomes a ``QbResult``: ``requestID`` ("" when absent), its status, detached
    copies of its ``…Ret`` children, and the iterator attributes. Raises ``QbXmlError`` for unusable
    XML, a missing ``QBXMLMsgsRs``, a child that is not a response, or a non-integer status code or
    count.
    """
    root = parse_xml(text)
    msgs = root.find("QBXMLMsgsRs") if root.tag == "QBXML" else None
    if msgs is None:
        raise QbXmlError(f"not a qbXML response: expected <QBXML><QBXMLMsgsRs>, found <{root.tag}>"
                         f" with children {[c.tag for c in root if isinstance(c.tag, str)]}")
    results = tuple(_result(rs) for rs in msgs if isinstance(rs.tag, str))  # skips comments and PIs
    return ParsedResponse(results=results,
                          new_message_set_id=msgs.get("newMessageSetID"),
                          message_set_status_code=_int_attr(msgs, "messageSetStatusCode"))


def _result(rs: etree._Element) -> QbResult:
    if not rs.tag.endswith("Rs"):
        raise QbXmlError(f"<QBXMLMsgsRs> holds <{rs.tag}>, which is not a response (…Rs)")
    code = _int_attr(rs, "statusCode")
    if code is None:
        raise QbXmlError(f"<{rs.tag} requestID={rs.get('requestID', '')!r}> has no statusCode")
    status = QbStatus(code=code, severity=rs.get("statusSeverity", ""), message=rs.get("statusMessage", ""))
    return QbResult(request_id=rs.get("requestID", ""), tag=rs.tag, status=status,
                    rets=tuple(_detached(c) for c in rs if isinstance(c.tag, str) and c.tag.endswith("Ret")),
                    iterator_id=rs.get("iteratorID"),
                    remaining=_int_attr(rs, "iteratorRemainingCount"))


def _int_attr(node: etree._Element, name: str) -> int | None:
    raw = node.get(name)
    if raw is None:
        return None
    if not _INTEGER.fullmatch(raw):  # stricter than int(): no "1_000", no non-ASCII digits
        raise QbXmlError(f"<{node.tag}> attribute {name}={raw!r} is not an integer")
    return int(raw)


def _detached(node: etree._Element) -> etree._Element:
    copied = copy.deepcopy(node)
    copied.tail = None
    return copied


def ret_text(ret: etree._Element, path: str) -> str | None:
    """Text of the first descendant at the slash ``path`` below ``ret`` (``"CustomerRef/FullName"``):
    None when there is no such element, ``""`` when it is empty."""
    return ret.findtext(path)
