"""Message-set validation: Intuit's XSDs plus the simulator's own checks, which must agree with the XSDs.

The differential tests take the valid requests in validation_examples.xml (every supported request type,
every choice branch), mutate them one step at a time (reorder, drop, repeat, insert unknown or misplaced
elements, bogus attributes, stray text, probe values in every leaf) and assert that the own checks'
verdict equals libxml2's verdict against both the 13.0 and the 16.0 schema (the supported requests have
the same shape in both). Hypothesis adds random leaf values and random child lists.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from shape_mutations import (
    EXAMPLES,
    PROBES_BY_TYPE,
    QUICK,
    SAMPLES,
    VERSIONS,
    VOCABULARY,
    XSD_DIR,
    assert_same_verdicts,
    copy_with_element,
    detail_of,
    envelope,
    envelope_cases,
    mutations,
    own_verdict,
    verdicts,
)

from qbbridge.mockqb.errors import QbXmlParseError
from qbbridge.mockqb.shapes_data import REQUESTS
from qbbridge.mockqb.shapes_model import Complex, Type
from qbbridge.mockqb.validation import (
    ENV_VAR,
    find_schema_dir,
    load_schema,
    schema_path,
    validate_message_set,
)

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

@pytest.mark.parametrize("index", range(len(EXAMPLES)), ids=lambda i: f"{i}-{EXAMPLES[i].tag}")
def test_own_checks_agree_with_xsd_on_mutations(index: int) -> None:
    seen = assert_same_verdicts(mutations(EXAMPLES[index]))
    assert len(seen) >= 100 and True in seen and False in seen


def test_own_checks_agree_with_xsd_on_envelopes() -> None:
    seen = assert_same_verdicts(envelope_cases())
    assert seen.count(True) >= 6 and seen.count(False) >= 10


_ELEMENTS = [(i, k, len(e)) for i, request in enumerate(EXAMPLES) for k, e in enumerate(request.iter())]
_CHARACTERS = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn")) | st.sampled_from(" \t\n\r")


@QUICK
@given(st.sampled_from([(i, k) for i, k, kids in _ELEMENTS if k and not kids]),
       st.text(_CHARACTERS, max_size=40) | st.sampled_from([v for vs in PROBES_BY_TYPE.values() for v in vs]))
def test_own_checks_agree_with_xsd_on_random_values(leaf: tuple[int, int], value: str) -> None:
    root, element = copy_with_element(EXAMPLES[leaf[0]], leaf[1])
    element.text = value
    assert_same_verdicts([(repr(value), root)])


@QUICK
@given(st.sampled_from([(i, k) for i, k, kids in _ELEMENTS if kids]), st.data())
def test_own_checks_agree_with_xsd_on_random_child_lists(parent: tuple[int, int], data: st.DataObject) \
        -> None:
    root, element = copy_with_element(EXAMPLES[parent[0]], parent[1])
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
