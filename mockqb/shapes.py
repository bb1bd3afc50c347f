"""The simulator's own qbXML schema checks: walk a request message set against ``shapes_data``.

They make the simulator strict even without Intuit's XSD files: the envelope and every supported
request are checked for element order, required and repeated elements, unknown elements and attributes,
stray text, and simple-type values (lengths, enums, dates, durations, numbers, GUIDs), with the same
verdict libxml2 gives against the XSD. Requests that ``shapes_data`` does not describe pass unexamined.
Deliberate differences from the XSD: the envelope must be exactly ``QBXML`` > ``QBXMLMsgsRq`` (see
``shapes_data.QBXML``), and of the ``xsi:`` attributes only ``xsi:schemaLocation`` and
``xsi:noNamespaceSchemaLocation`` are tolerated.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NoReturn

from lxml import etree

from .errors import QbXmlParseError
from .shapes_data import QBXML
from .shapes_model import Complex, Mismatch, Type, Unchecked
from .shapes_types import Enum, SimpleType

_XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
_IGNORED_ATTRIBUTES = {f"{_XSI}schemaLocation", f"{_XSI}noNamespaceSchemaLocation"}
_ENVELOPE = {"QBXML", "QBXMLMsgsRq"}
_XML_SPACE = " \t\n\r"
_NO_ATTRIBUTES = Complex("")


def check_message_set(root: etree._Element) -> None:
    """Raise ``QbXmlParseError`` naming the element and the problem at the first place where the message
    set ``root`` (the ``QBXML`` element) breaks the described shapes; return None if there is none."""
    if root.tag != "QBXML":
        _fail(root, f"the root element is <{root.tag}>, not <QBXML>")
    _check(root, QBXML, "QBXML")


def _check(element: etree._Element, typ: Type, path: str) -> None:
    if isinstance(typ, Unchecked):
        return
    if not isinstance(typ, Complex):
        _check_attributes(element, _NO_ATTRIBUTES, path)
        _check_value(element, typ, path)
        return
    _check_attributes(element, typ, path)
    if isinstance(typ.content, str):
        _check_children(element, typ, path)
    else:
        _check_value(element, typ.content, path)


def _check_attributes(element: etree._Element, typ: Complex, path: str) -> None:
    for name, value in element.attrib.items():
        if name in _IGNORED_ATTRIBUTES:
            continue
        if name not in typ.attrs:
            _fail(element, f"{path}: attribute {name!r} is not allowed")
        problem = typ.attrs[name].problem(value)
        if problem:
            _fail(element, f"{path}/@{name}: {_quote(value)} {problem}")
    for name in sorted(typ.required.difference(element.attrib.keys())):
        _fail(element, f"{path}: the required attribute {name!r} is missing")


def _check_children(element: etree._Element, typ: Complex, path: str) -> None:
    for text in _texts(element):
        if text and text.strip(_XML_SPACE):
            _fail(element, f"{path}: text {_quote(text)} is not allowed here, only child elements")
    children = [child for child in element if isinstance(child.tag, str)]
    mismatch = typ.mismatch([child.tag for child in children])
    if mismatch is not None:
        _report(element, children, typ, mismatch, path)
    for child in children:
        child_path = child.tag if element.tag in _ENVELOPE else f"{path}/{child.tag}"
        _check(child, typ.children[child.tag], child_path)


def _report(element: etree._Element, children: Sequence[etree._Element], typ: Complex, mismatch: Mismatch,
            path: str) -> None:
    expected = _names(mismatch.expected)
    if mismatch.index is None:
        _fail(element, f"{path}: a required child element is missing (expected {expected})")
    child = children[mismatch.index]
    if child.tag not in typ.children:
        _fail(child, f"{path}: <{child.tag}> is not an element qbXML allows in <{element.tag}>")
    previous = children[mismatch.index - 1].tag
    where = f"expected {expected}" if mismatch.expected else f"nothing may follow <{previous}>"
    _fail(child, f"{path}: <{child.tag}> is out of order, repeated or excluded by a choice ({where})")


def _check_value(element: etree._Element, typ: SimpleType, path: str) -> None:
    for child in element:
        if isinstance(child.tag, str):
            _fail(child, f"{path}: <{child.tag}> is not allowed; <{element.tag}> holds a value")
    texts = _texts(element)
    if isinstance(typ, Enum) and typ.default is not None and all(text is None for text in texts):
        return  # an empty element takes the schema's default value
    value = "".join(text or "" for text in texts)
    problem = typ.problem(value)
    if problem:
        _fail(element, f"{path}: {_quote(value)} {problem}")


def _texts(element: etree._Element) -> list[str | None]:
    """The element's own text nodes: its text and the tails of its children (comments included)."""
    return [element.text, *(child.tail for child in element)]


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(f"<{name}>" for name in names[:8])
    return ("one of " if len(names) > 1 else "") + shown + (", …" if len(names) > 8 else "")


def _quote(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:40] + "…")


def _fail(element: etree._Element, detail: str) -> NoReturn:
    line = f" (line {element.sourceline})" if element.sourceline else ""
    raise QbXmlParseError(detail + line)
