"""Message-set validation: Intuit's XSDs plus the simulator's own checks, which must agree with the XSDs.

The differential tests take the valid requests in validation_examples.xml (every supported request type,
every choice branch), mutate them one step at a time (reorder, drop, repeat, insert unknown or misplaced
elements, bogus attributes, stray text, probe values in every leaf) and assert that the own checks'
verdict equals libxml2's verdict against both the 13.0 and the 16.0 schema (the supported requests have
the same shape in both). Hypothesis adds random leaf values and random child lists.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from qbbridge.mockqb import shapes_types as types
from qbbridge.mockqb.errors import QbXmlParseError
from qbbridge.mockqb.shapes import check_message_set
from qbbridge.mockqb.shapes_data import REQUESTS
from qbbridge.mockqb.shapes_model import Complex, Type
from qbbridge.mockqb.validation import (
    ENV_VAR,
    find_schema_dir,
    load_schema,
    schema_path,
    validate_message_set,
)

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


# ---- 1. reference samples and examples ------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.name)
def test_reference_samples_pass_xsd_and_own_checks(sample: Path, version: str) -> None:
    tree = etree.parse(str(sample))
    validate_message_set(tree, version, schema_dir=XSD_DIR)
    validate_message_set(tree, version, schema_dir=None)


def test_reference_samples_exercise_supported_and_other_request_types() -> None:
    tags = {element.tag for sample in SAMPLES for element in etree.parse(str(sample)).iter(etree.Element)}
    assert len(tags & set(REQUESTS)) >= 9 and {"CheckAddRq", "CustomerAddRq", "AccountAddRq"} <= tags


def test_examples_cover_every_supported_request_and_are_valid() -> None:
    assert {request.tag for request in EXAMPLES} == set(REQUESTS)
    assert verdicts(EXAMPLES.getparent()) == (True, True, True)


def test_every_shape_resolves_its_children() -> None:
    def walk(typ: Type) -> int:
        if not isinstance(typ, Complex) or not isinstance(typ.content, str):
            return 1
        typ.mismatch([])
        return 1 + sum(walk(child) for child in typ.children.values())

    assert sum(walk(shape) for shape in REQUESTS.values()) > 500


# ---- 2. differential: own checks vs. XSD ------------------------------------------------------------

_GENERIC = ["", "  ", "x", "abc def", "-1", "1.5", "1:30", "2026-13-01", "a" * 5000]
_NUMBER = ["1", "1.12345", "1.123456", "1234567890", "12345678901", "-0.5", "+3", ".5", "5.", " 1"]
_BY_TYPE = {  # probe values by shapes_types.TYPES name
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
    "PRICE": _NUMBER, "QUAN": _NUMBER, "PERCENT": _NUMBER,
}


def probes(typ: Type) -> list[str]:
    """Values to try in a leaf whose own type is ``typ`` (the XSD judges each of them)."""
    if isinstance(typ, Complex) and isinstance(typ.content, str):
        return ["x", "  "]  # an empty complex element: stray text
    simple = typ.content if isinstance(typ, Complex) else typ
    if isinstance(simple, types.Str):
        n = simple.max_len
        limits = [] if n is None else ["a" * n, "a" * (n + 1), "é" * n, "😀" * (n + 1), " " * (n + 1)]
        return _GENERIC + limits
    if isinstance(simple, types.Enum):
        variants = [f(value) for value in simple.values[:3] for f in (str.lower, " {}".format)]
        return [*_GENERIC, *simple.values, *variants]
    name = next(key for key, value in types.TYPES.items() if value is simple)
    return _GENERIC + _BY_TYPE[name]


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
_REQUEST_ATTRIBUTES = {"requestID": ["", "r" * 60], "metaData": ["NoMetaData", "MetaDataOnly", "nometadata"],
                       "iterator": ["Start", "Continue", "Stop", "start"], "iteratorID": ["{x}"],
                       "defMacro": ["TxnID:1"], "onError": ["stopOnError"]}


def mutations(request: etree._Element) -> Iterator[Case]:
    """One-step mutations of ``request``, each in its own fresh message set."""
    elements = list(request.iter())
    for k in range(len(elements)):
        yield from _element_mutations(request, k)
    for k, element in enumerate(elements):
        if element is request or (len(element) and element.getparent() is request):
            for tag, sample in VOCABULARY.items():
                root, target = _copy(request, k)
                target.append(copy.deepcopy(sample))
                yield f"{element.tag}: append {tag}", root
    for name, values in _REQUEST_ATTRIBUTES.items():
        for value in values:
            root, target = _copy(request, 0)
            target.set(name, value)
            yield f"@{name}={value!r}", root


def _copy(request: etree._Element, k: int) -> tuple[etree._Element, etree._Element]:
    """A message set holding a copy of ``request``, and the copy's ``k``-th element in document order."""
    root = envelope(request)
    return root, list(root[0][0].iter())[k]


def _element_mutations(request: etree._Element, k: int) -> Iterator[Case]:
    root, element = _copy(request, k)
    label, kids = element.tag, len(element)
    if kids == 0:
        for value in probes(own_type(element)) + xsd_enumerations().get(label, []):
            root, element = _copy(request, k)
            element.text = value
            yield f"{label}={value[:30]!r}", root
    for i in range(kids):
        for action in ("drop", "repeat", "swap", "unknown-before"):
            root, element = _copy(request, k)
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
        root, element = _copy(request, k)
        if action == "unknown-last":
            etree.SubElement(element, "Unknown")
        elif action == "text" and kids:
            element[-1].tail = "stray"
        elif action == "attribute":
            element.set("bogus", "1")
        else:
            continue
        yield f"{label}: {action}", root


def _envelope_cases() -> Iterator[Case]:
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


@pytest.mark.parametrize("index", range(len(EXAMPLES)), ids=lambda i: f"{i}-{EXAMPLES[i].tag}")
def test_own_checks_agree_with_xsd_on_mutations(index: int) -> None:
    seen = assert_same_verdicts(mutations(EXAMPLES[index]))
    assert len(seen) >= 100 and True in seen and False in seen


def test_own_checks_agree_with_xsd_on_envelopes() -> None:
    seen = assert_same_verdicts(_envelope_cases())
    assert seen.count(True) >= 6 and seen.count(False) >= 10


_ELEMENTS = [(i, k, len(e)) for i, request in enumerate(EXAMPLES) for k, e in enumerate(request.iter())]
_CHARACTERS = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn")) | st.sampled_from(" \t\n\r")


@QUICK
@given(st.sampled_from([(i, k) for i, k, kids in _ELEMENTS if k and not kids]),
       st.text(_CHARACTERS, max_size=40) | st.sampled_from([v for vs in _BY_TYPE.values() for v in vs]))
def test_own_checks_agree_with_xsd_on_random_values(leaf: tuple[int, int], value: str) -> None:
    root, element = _copy(EXAMPLES[leaf[0]], leaf[1])
    element.text = value
    assert_same_verdicts([(repr(value), root)])


@QUICK
@given(st.sampled_from([(i, k) for i, k, kids in _ELEMENTS if kids]), st.data())
def test_own_checks_agree_with_xsd_on_random_child_lists(parent: tuple[int, int], data: st.DataObject) \
        -> None:
    root, element = _copy(EXAMPLES[parent[0]], parent[1])
    strangers = data.draw(st.lists(st.sampled_from(list(VOCABULARY.values())), max_size=2))
    pool = [*element, etree.Element("Unknown"), *strangers]
    chosen = data.draw(st.lists(st.sampled_from(range(len(pool))), max_size=len(pool) + 2))
    element[:] = [copy.deepcopy(pool[i]) for i in chosen]
    assert_same_verdicts([(str([child.tag for child in element]), root)])


# ---- 3. messages ------------------------------------------------------------------------------------


def _class_add(name: str) -> etree._Element:
    return envelope(etree.fromstring(f"<ClassAddRq><ClassAdd><Name>{name}</Name></ClassAdd></ClassAddRq>"))


def _time_add(duration: str) -> etree._Element:
    return envelope(etree.fromstring(
        "<TimeTrackingAddRq><TimeTrackingAdd><EntityRef><FullName>Dan</FullName></EntityRef>"
        f"<Duration>{duration}</Duration></TimeTrackingAdd></TimeTrackingAddRq>"))


def test_own_message_for_a_long_class_name() -> None:
    detail = detail_of(_class_add("N" * 32), None)
    assert detail.startswith("ClassAddRq/ClassAdd/Name: 'NNNN")
    assert "32 characters long; the maximum is 31" in detail


def test_own_message_for_a_bad_duration() -> None:
    assert detail_of(_time_add("1:30"), None) == (
        "TimeTrackingAddRq/TimeTrackingAdd/Duration: '1:30' is not a qbXML duration like PT1H30M (line 1)")


def test_own_message_for_missing_on_error() -> None:
    detail = detail_of(envelope(newMessageSetID="A"), None)
    assert detail == "QBXMLMsgsRq: the required attribute 'onError' is missing"


def test_own_messages_give_the_line() -> None:
    tree = etree.ElementTree(etree.fromstring(b'<QBXML>\n<QBXMLMsgsRq onError="stopOnError">\n'
                                              b"<ClassQueryRq>\n<Max>1</Max></ClassQueryRq></QBXMLMsgsRq></QBXML>"))
    expected = r"ClassQueryRq: <Max> is not an element qbXML allows in <ClassQueryRq> \(line 4\)"
    with pytest.raises(QbXmlParseError, match=expected):
        validate_message_set(tree, "16.0", schema_dir=None)


@pytest.mark.parametrize(("root", "words"), [
    (_class_add("N" * 32), ["'Name'", "32", "31"]),
    (_time_add("1:30"), ["'Duration'", "'1:30'"]),
    (envelope(newMessageSetID="A"), ["QBXMLMsgsRq", "onError"]),
])
def test_xsd_messages_name_the_element(root: etree._Element, words: list[str]) -> None:
    detail = detail_of(root, XSD_DIR)
    assert all(word in detail for word in words) and "(line " in detail and "qbxmlops130.xsd" in detail


# ---- 4. without the XSDs, and finding them ------------------------------------------------------------


@pytest.mark.parametrize("root", [
    _class_add("N" * 32),
    _time_add("1:30"),
    envelope(newMessageSetID="A"),
    envelope(etree.fromstring("<ClassQueryRq><MaxReturned>0</MaxReturned></ClassQueryRq>")),
    envelope(etree.fromstring("<InvoiceAddRq><InvoiceAdd><CustomerRef/><RefNumber>123456789012</RefNumber>"
                              "</InvoiceAdd></InvoiceAddRq>")),
])
def test_own_checks_alone_reject_invalid_requests(root: etree._Element) -> None:
    assert detail_of(root, None)


def test_find_schema_dir_finds_the_checkout_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    expected = Path(__file__).resolve().parents[3] / "shared" / "reference" / "xsd"
    assert find_schema_dir().resolve() == XSD_DIR.resolve() == expected.resolve()
    assert "qbxmlops130.xsd" in detail_of(_class_add("N" * 32), "auto")


def test_environment_variable_overrides_and_must_exist(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) \
        -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    assert find_schema_dir() == tmp_path
    with pytest.raises(ValueError, match="qbXML schema not found"):
        validate_message_set(etree.ElementTree(envelope()), "13.0")
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "missing"))
    with pytest.raises(ValueError, match=ENV_VAR):
        find_schema_dir()


def test_version_picks_the_schema_and_schemas_are_loaded_once() -> None:
    assert schema_path(XSD_DIR, "8.0").name == schema_path(XSD_DIR, "13.0").name == "qbxmlops130.xsd"
    assert schema_path(XSD_DIR, "13.1").name == schema_path(XSD_DIR, "16.0").name == "qbxmlops160.xsd"
    assert load_schema(schema_path(XSD_DIR, "16.0")) is load_schema(schema_path(XSD_DIR, "16.0"))
    newer = etree.ElementTree(envelope(etree.fromstring("<PayrollItemQueryRq/>")))  # a 16.0-only request
    validate_message_set(newer, "16.0", schema_dir=XSD_DIR)
    with pytest.raises(QbXmlParseError, match="PayrollItemQueryRq"):
        validate_message_set(newer, "13.0", schema_dir=XSD_DIR)
    with pytest.raises(QbXmlParseError, match="not a qbXML version"):
        validate_message_set(newer, "latest", schema_dir=XSD_DIR)


def test_other_request_types_are_left_to_the_xsd() -> None:
    check_add = envelope(etree.fromstring("<CheckAddRq><CheckAdd><Nonsense/></CheckAdd></CheckAddRq>"))
    assert verdicts(check_add) == (True, False, False)
    assert "Nonsense" in detail_of(check_add, XSD_DIR)


def test_envelope_is_stricter_than_the_xsd_on_purpose() -> None:
    assert verdicts(etree.fromstring("<QBXML/>")) == (False, True, True)
    signon = etree.fromstring("<QBXML><SignonMsgsRq/><QBXMLMsgsRq onError='stopOnError'/></QBXML>")
    assert own_verdict(signon) is False
