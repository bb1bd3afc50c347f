"""Tests for qbbridge.core.qbxml.build: message sets, request attributes, elements and value formats."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from qbbridge.core.qbxml.build import (
    ITERATOR_QUERIES,
    child,
    element,
    iterator_continue,
    iterator_start,
    message_set,
    qb_amount,
    qb_bool,
    qb_date,
    qb_duration,
    ref,
    status_query,
    with_request_id,
)
from qbbridge.core.qbxml.parse import parse_xml
from qbbridge.mockqb.processor import QuickBooks
from qbbridge.mockqb.sample import sample_company

XSD = "{http://www.w3.org/2001/XMLSchema}"


def time_tracking_add() -> etree._Element:
    rq = element("TimeTrackingAddRq")
    add = etree.SubElement(rq, "TimeTrackingAdd")
    child(add, "TxnDate", qb_date(date(2026, 11, 20)))
    add.append(ref("EntityRef", full_name="Jane Doe"))
    add.append(ref("CustomerRef", full_name="Acme Corp:Roof repair"))
    add.append(ref("ItemServiceRef", list_id="80000001-1416570432"))
    child(add, "Duration", qb_duration(8, 0))
    add.append(ref("ClassRef", full_name="Crew A", list_id="80000002-1416570432"))
    child(add, "Notes", 'Fixed <the> "roof" & gutters')
    child(add, "BillableStatus", "Billable")
    return rq


def invoice_add() -> etree._Element:
    rq = element("InvoiceAddRq")
    add = etree.SubElement(rq, "InvoiceAdd")
    add.append(ref("CustomerRef", full_name="Acme Corp"))
    add.append(ref("ClassRef", full_name="Crew A"))
    child(add, "TxnDate", qb_date(date(2026, 11, 20)))
    child(add, "RefNumber", "INV-1042")
    child(add, "Memo", None)  # optional and absent: not written
    child(add, "IsToBePrinted", qb_bool(False))
    line = etree.SubElement(add, "InvoiceLineAdd")
    line.append(ref("ItemRef", full_name="Labor"))
    child(line, "Desc", "P-100: roof panel")
    child(line, "Quantity", "2")
    child(line, "Rate", qb_amount(Decimal(45)))
    child(line, "Amount", qb_amount(Decimal("90.004")))
    return rq


def class_query() -> etree._Element:
    rq = element("ClassQueryRq")
    child(rq, "ActiveStatus", "All")
    name_filter = etree.SubElement(rq, "NameFilter")
    child(name_filter, "MatchCriterion", "StartsWith")
    child(name_filter, "Name", "Crew")
    return rq


@pytest.mark.parametrize("version", ["13.0", "16.0"])
def test_built_requests_validate_against_both_schemas(schemas, version):
    requests = [with_request_id(time_tracking_add(), "1"), with_request_id(invoice_add(), "2"),
                with_request_id(class_query(), "3")]
    text = message_set(requests, version=version, new_message_set_id="qbb-7f3a9c")
    for schema in schemas.values():
        schema.assertValid(etree.ElementTree(parse_xml(text)))
    assert text.startswith(f'<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="{version}"?>\n<QBXML>')


def test_message_set_copies_requests_and_keeps_order():
    first, second = class_query(), with_request_id(time_tracking_add(), "9")
    before = [etree.tostring(first), etree.tostring(second)]
    msgs = parse_xml(message_set([first, second], version="16.0")).find("QBXMLMsgsRq")
    assert [rq.tag for rq in msgs] == ["ClassQueryRq", "TimeTrackingAddRq"]
    assert [etree.tostring(first), etree.tostring(second)] == before
    assert first.getparent() is None and second.getparent() is None
    assert msgs.get("onError") == "stopOnError"
    assert msgs.get("newMessageSetID") is None and msgs.get("oldMessageSetID") is None


def test_message_set_attributes():
    msgs = parse_xml(message_set([class_query()], version="16.0", on_error="continueOnError",
                                 new_message_set_id="N" * 23, old_message_set_id="O1")).find("QBXMLMsgsRq")
    assert dict(msgs.attrib) == {"onError": "continueOnError", "newMessageSetID": "N" * 23,
                                 "oldMessageSetID": "O1"}


@pytest.mark.parametrize("kwargs", [
    {"on_error": "rollbackOnError"}, {"on_error": "stoponerror"},
    {"new_message_set_id": "N" * 24}, {"old_message_set_id": "O" * 24}, {"new_message_set_id": ""},
    {"version": "16"}, {"version": '16.0"?><evil'}, {"version": 16.0},
])
def test_message_set_refuses_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        message_set([class_query()], **{"version": "16.0", **kwargs})


def test_message_set_refuses_non_requests_and_duplicate_request_ids():
    with pytest.raises(ValueError, match="request element"):
        message_set([element("ClassQuery")], version="16.0")
    with pytest.raises(ValueError, match="request element"):
        message_set(["<ClassQueryRq/>"], version="16.0")
    with pytest.raises(ValueError, match="used twice"):
        message_set([with_request_id(class_query(), "1"), with_request_id(class_query(), "1")],
                    version="16.0")


def test_status_query_is_empty_set_with_old_equal_new(schemas):
    text = status_query("qbb-000042", version="13.0")
    root = parse_xml(text)
    msgs = root.find("QBXMLMsgsRq")
    assert len(msgs) == 0
    assert msgs.get("oldMessageSetID") == msgs.get("newMessageSetID") == "qbb-000042"
    assert msgs.get("onError") in ("stopOnError", "continueOnError")
    schemas["13.0"].assertValid(etree.ElementTree(root))
    with pytest.raises(ValueError):
        status_query("x" * 24, version="13.0")


def test_with_request_id_copies():
    original = class_query()
    tagged = with_request_id(original, "r-1")
    assert tagged.get("requestID") == "r-1" and original.get("requestID") is None
    assert with_request_id(tagged, "r-2").get("requestID") == "r-2"
    assert with_request_id(original, "x" * 50).get("requestID") == "x" * 50
    for bad in ("", "x" * 51):
        with pytest.raises(ValueError):
            with_request_id(original, bad)


def customer_query() -> etree._Element:
    rq = element("CustomerQueryRq")
    child(rq, "MaxReturned", "10")
    return rq


def test_iterators(schemas):
    started = iterator_start(iterator_continue(customer_query(), "{old}"))
    assert started.get("iterator") == "Start" and started.get("iteratorID") is None
    original = customer_query()
    continued = iterator_continue(original, "{eb05f701-e727-472f-8ade-6753c4f67a46}")
    assert (continued.get("iterator"), continued.get("iteratorID")) == (
        "Continue", "{eb05f701-e727-472f-8ade-6753c4f67a46}")
    assert original.get("iterator") is None
    text = message_set([with_request_id(started, "1"), with_request_id(continued, "2")], version="16.0")
    schemas["16.0"].assertValid(etree.ElementTree(parse_xml(text)))
    with pytest.raises(ValueError, match="ClassQueryRq does not accept an iterator"):
        iterator_start(class_query())
    with pytest.raises(ValueError):
        iterator_continue(customer_query(), "")


@pytest.mark.parametrize("version", ["130", "160"])
def test_iterator_queries_match_the_schema(reference, version):
    xsd = etree.parse(str(reference / f"xsd/qbxml{version}/qbxmlops{version}.xsd"))
    types = {ct.get("name") for ct in xsd.iter(f"{XSD}complexType")
             if any(a.get("name") == "iterator" for a in ct.iter(f"{XSD}attribute"))}
    elements = {e.get("name") for e in xsd.iter(f"{XSD}element") if e.get("type") in types}
    assert elements == ITERATOR_QUERIES


def test_element_child_and_ref():
    made = element("InvoiceLineAdd", None, defMacro="TxnID:x", missing=None)
    assert dict(made.attrib) == {"defMacro": "TxnID:x"} and made.text is None
    assert child(made, "Desc", None) is None and len(made) == 0
    assert etree.tostring(child(made, "Desc", "")) == b"<Desc></Desc>"  # "" is a value: an empty field
    reference_ = ref("CustomerRef", full_name="Acme:Roof", list_id="8000-1")
    assert [(c.tag, c.text) for c in reference_] == [("ListID", "8000-1"), ("FullName", "Acme:Roof")]
    assert [c.tag for c in ref("ClassRef", full_name="A")] == ["FullName"]
    with pytest.raises(ValueError):
        ref("ClassRef")
    with pytest.raises(TypeError, match="qb_amount"):
        element("Amount", Decimal("1.00"))
    with pytest.raises(TypeError):
        child(made, "IsActive", True)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60))
def test_text_is_data_never_markup(text):
    rq = element("ClassQueryRq")
    child(rq, "FullName", text)
    parsed = parse_xml(message_set([rq], version="16.0")).find("QBXMLMsgsRq/ClassQueryRq")
    assert len(parsed) == 1 and (parsed[0].text or "") == text


def test_qb_duration():
    assert qb_duration(8, 0) == "PT8H0M"
    assert qb_duration(1, 30) == "PT1H30M"
    assert qb_duration(0, 59) == "PT0H59M"
    for bad in ((-1, 0), (1, 60), (1, -1), (True, 0), (1.5, 0)):
        with pytest.raises(ValueError):
            qb_duration(*bad)


def test_qb_date_and_bool():
    assert qb_date(date(2026, 11, 20)) == "2026-11-20"
    assert qb_date(date(5, 1, 2)) == "0005-01-02"
    with pytest.raises(TypeError):
        qb_date(datetime(2026, 11, 20, 23, 30))
    with pytest.raises(TypeError):
        qb_date("2026-11-20")
    assert (qb_bool(True), qb_bool(False)) == ("true", "false")
    with pytest.raises(TypeError):
        qb_bool(1)


@pytest.mark.parametrize(("value", "text"), [
    (Decimal("12.5"), "12.50"), (Decimal("12.345"), "12.35"), (Decimal("-12.345"), "-12.35"),
    (Decimal("-0.004"), "0.00"), (7, "7.00"), (Decimal("1E+3"), "1000.00"),
    (Decimal("9999999999999.994"), "9999999999999.99"),
])
def test_qb_amount(value, text):
    assert qb_amount(value) == text


@pytest.mark.parametrize(("value", "error"), [
    (1.5, TypeError), (True, TypeError), ("1.00", TypeError), (Decimal("NaN"), ValueError),
    (Decimal("Infinity"), ValueError), (Decimal("9999999999999.995"), ValueError),
    (Decimal("1E+30"), ValueError),
])
def test_qb_amount_refuses(value, error):
    with pytest.raises(error):
        qb_amount(value)


AMTTYPE = re.compile(r"[+\-]?[0-9]{1,13}(\.[0-9]{2})?")  # qbxmltypes160.xsd


@given(st.decimals(min_value=Decimal("-9999999999999.99"), max_value=Decimal("9999999999999.99"),
                   allow_nan=False, allow_infinity=False))
def test_qb_amount_is_schema_text_within_half_a_cent(value):
    text = qb_amount(value)
    assert AMTTYPE.fullmatch(text)
    assert abs(Decimal(text) - value) <= Decimal("0.005")


def test_mockqb_answers_built_message_set():
    session = QuickBooks(sample_company()).open_session("t")
    response = parse_xml(session.process(message_set([with_request_id(class_query(), "c1")], version="16.0")))
    (rs,) = response.find("QBXMLMsgsRs")
    assert (rs.tag, rs.get("requestID"), rs.get("statusSeverity")) == ("ClassQueryRs", "c1", "Info")
