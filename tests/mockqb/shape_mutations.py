"""The differential-testing kit for the simulator's own schema checks: the valid examples in
validation_examples.xml, the probe values per simple type, and ``mutations()``, which changes one
thing at a time in a valid request (reorder, drop, repeat, insert unknown or misplaced elements, bogus
attributes, stray text, probe values in every leaf). ``assert_same_verdicts`` checks the own checks
against libxml2 and Intuit's 13.0 and 16.0 schemas. Used by test_validation.py and test_name_lists.py.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from lxml import etree

from qbbridge.mockqb import shapes_types as types
from qbbridge.mockqb.errors import QbXmlParseError
from qbbridge.mockqb.shapes import check_message_set
from qbbridge.mockqb.shapes_data import REQUESTS
from qbbridge.mockqb.shapes_model import Complex, Type
from qbbridge.mockqb.validation import load_schema, schema_path, validate_message_set

HERE = Path(__file__).resolve().parent
XSD_DIR = HERE.parents[2] / "shared" / "reference" / "xsd"
SAMPLES = sorted((XSD_DIR.parent / "samples" / "qbxml" / "requests").glob("*.xml"))
EXAMPLES = etree.parse(str(HERE / "validation_examples.xml")).getroot()[0]
VERSIONS = ("13.0", "16.0")
QUICK = settings(max_examples=300, deadline=None, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.too_slow])

Case = tuple[str, etree._Element]


def envelope(*requests: etree._Element, **attrs: str) -> etree._Element:
    """A fresh ``QBXML`` message set holding copies of ``requests`` (``onError="stopOnError"`` unless
    other attributes are given)."""
    root = etree.Element("QBXML")
    msgs = etree.SubElement(root, "QBXMLMsgsRq", attrs or {"onError": "stopOnError"})
    msgs.extend(copy.deepcopy(request) for request in requests)
    return root


def own_verdict(root: etree._Element) -> bool:
    try:
        check_message_set(root)
    except QbXmlParseError:
        return False
    return True


def verdicts(root: etree._Element) -> tuple[bool, bool, bool]:
    """(own checks, XSD 13.0, XSD 16.0): True means valid."""
    return (own_verdict(root), *(load_schema(schema_path(XSD_DIR, v)).validate(root) for v in VERSIONS))


def detail_of(root: etree._Element, schema_dir: Path | str | None) -> str:
    with pytest.raises(QbXmlParseError) as caught:
        validate_message_set(etree.ElementTree(root), "13.0", schema_dir=schema_dir)  # type: ignore[arg-type]
    return caught.value.detail


def assert_same_verdicts(cases: Iterable[Case]) -> list[bool]:
    """Assert own == XSD 13.0 == XSD 16.0 for every case; return the own verdicts."""
    seen, wrong = [], []
    for label, root in cases:
        own, xsd13, xsd16 = verdicts(root)
        seen.append(own)
        if not own == xsd13 == xsd16:
            wrong.append(f"{label}: own={own} xsd13={xsd13} xsd16={xsd16}")
    assert not wrong, "\n".join(wrong[:25])
    return seen


GENERIC_PROBES = ["", "  ", "x", "abc def", "-1", "1.5", "1:30", "2026-13-01", "a" * 5000]
NUMBER_PROBES = ["1", "1.12345", "1.123456", "1234567890", "12345678901", "-0.5", "+3", ".5", "5.", " 1"]
PROBES_BY_TYPE = {  # probe values by shapes_types.TYPES name
    "BOOL": ["true", "false", "1", "0", "True", "yes", " true ", "\ttrue\n"],
    "DATE": ["2026-01-31", "2026-02-29", "2024-02-29", "2026-04-31", "2026-1-31", "26-01-31", "2026-01-31Z",
             "2026-01-31+14:00", "2026-01-31+14:01", "2026-01-31-09:30", "2026-01-31T10:00:00",
             " 2026-01-31 ", "0000-01-01", "10000-01-01", "02026-01-01", "-2026-01-31"],
    "DATETIME": ["2026-01-31", "2026-01-31T10", "2026-01-31T10:20", "2026-01-31T10:20:30+05:00",
                 "2026-01-31T10:20:30Z", "2026-1-3T1:2:3+1:2", " 2026-01-31", "20260131", "2026-13-45"],
    "DURATION": ["PT1H30M", "PT1H35M0S", "PT0H", "PT", "P1D", "PT1.5S", "-PT5M", "+PT5M", " PT1H ", "PT1H1H",
                 "pt1h", "PT9223372036854775807S", "PT9223372036854775808S"],
    "AMT": ["1", "1.50", "-1.00", "+2.00", "1234567890123", "12345678901234", "1234567890123.45", " 1.00",
            ".50", "1,000.00"],
    "FLOAT": ["1", ".5", "5.", "+1.0", "-0", " 1.5 ", "1e3", "1.2.3", "-", "."],
    "INT1": ["1", "0", "+1", " 5 ", "01", "1.0", "99999999999999999999999", "-0"],
    "GUID": ["0", "00", " 0", "{6B29FC40-CA47-1067-B31D-00DD010662DA}",
             "{6b29fc40-ca47-1067-b31d-00dd010662da}", "6B29FC40-CA47-1067-B31D-00DD010662DA",
             "{6B29FC40-CA47-1067-B31D-00DD010662DG}"],
    "PRICE": NUMBER_PROBES, "QUAN": NUMBER_PROBES, "PERCENT": NUMBER_PROBES,
}


def probes(typ: Type) -> list[str]:
    """Values to try in a leaf whose own type is ``typ`` (the XSD judges each of them)."""
    if isinstance(typ, Complex) and isinstance(typ.content, str):
        return ["x", "  "]  # an empty complex element: stray text
    simple = typ.content if isinstance(typ, Complex) else typ
    if isinstance(simple, types.Str):
        n = simple.max_len
        limits = [] if n is None else ["a" * n, "a" * (n + 1), "é" * n, "😀" * (n + 1), " " * (n + 1)]
        return GENERIC_PROBES + limits
    if isinstance(simple, types.Enum):
        variants = [f(value) for value in simple.values[:3] for f in (str.lower, " {}".format)]
        return [*GENERIC_PROBES, *simple.values, *variants]
    name = next(key for key, value in types.TYPES.items() if value is simple)
    return GENERIC_PROBES + PROBES_BY_TYPE[name]


@functools.cache
def xsd_enumerations() -> dict[str, list[str]]:
    """Element name → every enumeration value the 16.0 schema declares for an element of that name."""
    xs = "{http://www.w3.org/2001/XMLSchema}"
    found: dict[str, list[str]] = {}
    for element in etree.parse(str(XSD_DIR / "qbxml160" / "qbxml160.xsd")).iter(f"{xs}element"):
        simple = element.find(f"{xs}simpleType")
        if simple is not None:
            values = [e.get("value") for e in simple.iter(f"{xs}enumeration")]
            found.setdefault(element.get("name"), []).extend(values)
    return found


def own_type(element: etree._Element) -> Type:
    """The own checks' type for ``element`` inside a request in a message set."""
    chain = [element, *element.iterancestors()]
    request = next(e for e in chain if e.getparent() is not None and e.getparent().tag == "QBXMLMsgsRq")
    typ: Type = REQUESTS[request.tag]
    for step in reversed(chain[: chain.index(request)]):
        assert isinstance(typ, Complex)
        typ = typ.children[step.tag]
    return typ


#: One element of each name used in the examples below request level, to insert where it may not belong.
VOCABULARY = {e.tag: e for request in EXAMPLES for e in request.iterdescendants()}
REQUEST_ATTRIBUTE_PROBES = {"requestID": ["", "r" * 60], "metaData": ["NoMetaData", "MetaDataOnly", "nometadata"],
                       "iterator": ["Start", "Continue", "Stop", "start"], "iteratorID": ["{x}"],
                       "defMacro": ["TxnID:1"], "onError": ["stopOnError"]}


def mutations(request: etree._Element) -> Iterator[Case]:
    """One-step mutations of ``request``, each in its own fresh message set."""
    elements = list(request.iter())
    for k in range(len(elements)):
        yield from element_mutations(request, k)
    for k, element in enumerate(elements):
        if element is request or (len(element) and element.getparent() is request):
            for tag, sample in VOCABULARY.items():
                root, target = copy_with_element(request, k)
                target.append(copy.deepcopy(sample))
                yield f"{element.tag}: append {tag}", root
    for name, values in REQUEST_ATTRIBUTE_PROBES.items():
        for value in values:
            root, target = copy_with_element(request, 0)
            target.set(name, value)
            yield f"@{name}={value!r}", root


def copy_with_element(request: etree._Element, k: int) -> tuple[etree._Element, etree._Element]:
    """A message set holding a copy of ``request``, and the copy's ``k``-th element in document order."""
    root = envelope(request)
    return root, list(root[0][0].iter())[k]


def element_mutations(request: etree._Element, k: int) -> Iterator[Case]:
    root, element = copy_with_element(request, k)
    label, kids = element.tag, len(element)
    if kids == 0:
        for value in probes(own_type(element)) + xsd_enumerations().get(label, []):
            root, element = copy_with_element(request, k)
            element.text = value
            yield f"{label}={value[:30]!r}", root
    for i in range(kids):
        for action in ("drop", "repeat", "swap", "unknown-before"):
            root, element = copy_with_element(request, k)
            child = element[i]
            if action == "drop":
                element.remove(child)
            elif action == "repeat":
                child.addnext(copy.deepcopy(child))
            elif action == "swap" and i + 1 < kids and child.tag != element[i + 1].tag:
                child.addprevious(element[i + 1])
            elif action == "unknown-before":
                child.addprevious(etree.Element("Unknown"))
            else:
                continue
            yield f"{label}: {action} {child.tag}", root
    for action in ("unknown-last", "text", "attribute"):
        root, element = copy_with_element(request, k)
        if action == "unknown-last":
            etree.SubElement(element, "Unknown")
        elif action == "text" and kids:
            element[-1].tail = "stray"
        elif action == "attribute":
            element.set("bogus", "1")
        else:
            continue
        yield f"{label}: {action}", root


def envelope_cases() -> Iterator[Case]:
    query = EXAMPLES[0]
    for on_error in ("stopOnError", "continueOnError", "rollbackOnError", "stoponerror", " stopOnError", ""):
        yield f"onError={on_error!r}", envelope(query, onError=on_error)
    yield "missing onError", envelope(query, newMessageSetID="A")
    for name, value in [("responseData", "includeNone"), ("responseData", "includeSome"),
                        ("newMessageSetID", ""), ("oldMessageSetID", "ClearAllMessageSets"), ("bogus", "1")]:
        yield f"@{name}={value!r}", envelope(query, onError="stopOnError", **{name: value})
    yield "empty message set", envelope()
    yield "all examples", envelope(*EXAMPLES)
    for extra in ("<FooRq/>", "<customerQueryRq/>", "<CustomerQuery/>",
                  "<QBXMLMsgsRq onError='stopOnError'/>",
                  "<CustomerAddRq><CustomerAdd><Name>x</Name></CustomerAdd></CustomerAddRq>"):
        root = envelope(query)
        root[0].append(etree.fromstring(extra))
        yield extra, root
    root = envelope(query)
    root.append(copy.deepcopy(root[0]))
    yield "two QBXMLMsgsRq", root
    root = envelope(query)
    root[0].text = "text"
    yield "text in QBXMLMsgsRq", root
    yield "root is not QBXML", etree.fromstring("<QBXMLMsgs/>")
