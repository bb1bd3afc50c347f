"""Tests for qbbridge.core.qbxml.parse: hostile input, captured QuickBooks responses, mockqb answers."""

from __future__ import annotations

import subprocess
import sys

import pytest
from lxml import etree

from qbbridge.core.errors import QbXmlError
from qbbridge.core.qbxml.build import child, element, message_set, status_query, with_request_id
from qbbridge.core.qbxml.parse import ParsedResponse, parse_response, parse_xml, ret_text
from qbbridge.core.qbxml.status import MSGSET_NOTHING_STORED
from qbbridge.mockqb.processor import QuickBooks
from qbbridge.mockqb.sample import sample_company

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
              for i in range(1, 10))
    + ']><lolz>&lol9;</lolz>'
)
EXTERNAL_ENTITY = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'


@pytest.mark.parametrize(("text", "reason"), [
    (BILLION_LAUGHS, "DOCTYPE"),
    (EXTERNAL_ENTITY, "DOCTYPE"),
    ('<!DOCTYPE x SYSTEM "file:///etc/passwd"><x/>', "DOCTYPE"),
    ('<!DOCTYPE x SYSTEM "http://127.0.0.1:9/evil.dtd"><x/>', "DOCTYPE"),
    ('<?qbxml version="16.0"?>\n<!-- note --><!DOCTYPE QBXML><QBXML/>', "DOCTYPE"),
    ("", "empty"),
    ("  \n\t", "empty"),
    ("HOSTQUERY/COMPANYQUERY/PREFQUERY is currently not supported in QBPOS.", "not well-formed"),
    ("<QBXML><QBXMLMsgsRs></QBXML>", "not well-formed"),
    ("<a>&undefined;</a>", "not well-formed"),
    ("<a>" * 5000 + "</a>" * 5000, "depth"),
    ("<a>\x00</a>", "XML"),
])
def test_parse_xml_refuses_hostile_or_broken_input(text, reason):
    with pytest.raises(QbXmlError, match=reason) as caught:
        parse_xml(text)
    assert "root:" not in str(caught.value)  # nothing of /etc/passwd leaks into the message


def test_parse_xml_error_includes_lxml_reason():
    with pytest.raises(QbXmlError, match=r"Opening and ending tag mismatch.*line 1"):
        parse_xml("<QBXML><QBXMLMsgsRs></QBXML>")


def test_parse_xml_refuses_bytes():
    with pytest.raises(QbXmlError, match="bytes"):
        parse_xml(b"<QBXML/>")


@pytest.mark.parametrize("text", [
    '<?qbxml version="16.0"?><QBXML><v>Café</v></QBXML>',
    '<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="16.0"?>\n<QBXML><v>Café</v></QBXML>',
    '<?xml version="1.0" encoding="ISO-8859-1" ?><QBXML><v>Café</v></QBXML>',
    "\ufeff\n<?xml version='1.0' encoding='UTF-16'?><QBXML>\n  <v>Café</v>\n</QBXML>",
    "<!-- <!DOCTYPE x> is only a comment here --><QBXML><v>Café</v></QBXML>",
])
def test_parse_xml_accepts_qbxml_prologs(text):
    root = parse_xml(text)
    assert root.tag == "QBXML" and root.findtext("v") == "Café"
    assert root.text is None  # blank text removed


def test_parse_xml_keeps_qbxml_instruction():
    root = parse_xml('<?xml version="1.0"?><?qbxml version="13.0"?><QBXML/>')
    pi = root.getprevious()
    assert (pi.target, pi.text) == ("qbxml", 'version="13.0"')


def test_escaped_doctype_in_text_is_data():
    root = parse_xml("<QBXML><Memo>&lt;!DOCTYPE x&gt;</Memo></QBXML>")
    assert root.findtext("Memo") == "<!DOCTYPE x>"


# --- captured QuickBooks responses -----------------------------------------------------------------


def read(reference, name: str) -> str:
    return (reference / "samples" / name).read_text(encoding="utf-8")


def test_captured_customer_add(reference):
    parsed = parse_response(read(reference, "qbxml/responses/qbwc-qbxml_customer_add_rs.xml"))
    (result,) = parsed.results
    assert (result.request_id, result.tag, result.status.code, result.status.severity) == (
        "15", "CustomerAddRs", 0, "Info")
    (ret,) = result.rets
    assert ret.tag == "CustomerRet" and ret.getparent() is None
    assert ret_text(ret, "ListID") == "F540000-1197683154"
    assert ret_text(ret, "FullName") == "20706 - Eastern XYZ University"
    assert parsed.new_message_set_id is None and parsed.message_set_status_code is None


def test_captured_query_and_iterator(reference):
    (query,) = parse_response(read(reference, "qbxml/responses/qbwc-qbxml_customer_query_rs.xml")).results
    assert query.request_id == "Q3VzdG9tZXJRdWVyeXwyODk2" and query.iterator_id is None
    assert [ret_text(r, "SalesTaxCodeRef/FullName") for r in query.rets] == ["Non"]
    assert ret_text(query.rets[0], "BillAddress/Nope") is None
    iterator_rs = read(reference, "qbxml/responses/qbwc-qbxml_customer_query_terator_rs.xml")
    (page,) = parse_response(iterator_rs).results
    assert (page.iterator_id, page.remaining) == ("{eb05f701-e727-472f-8ade-6753c4f67a46}", 18)
    assert len(page.rets) == 1 and page.rets[0].tag == "CustomerRet"


def test_captured_empty_request_id(reference):
    (result,) = parse_response(read(reference, "qbxml/responses/hotglue_account-add.response.xml")).results
    assert result.request_id == "" and ret_text(result.rets[0], "Name") == "HG-WRITE-TEST-0805"


def test_captured_mixed_batch(reference):
    batch = read(reference, "qbxml/responses/hotglue_customer-batch-mixed.response.xml")
    results = parse_response(batch).results
    assert [(r.request_id, r.status.code, r.status.is_error, len(r.rets)) for r in results] == [
        ("ext-mix-1", 0, False, 1), ("ext-mix-2", 3100, True, 0), ("ext-mix-3", 3250, True, 0),
        ("ext-mix-4", 3130, True, 0), ("ext-mix-5", 0, False, 1)]
    assert results[1].status.message.startswith('The name "HG-BATCH-MIX-1785964184-1"')


def test_captured_soap_invoice_add(reference):
    envelope = parse_xml(read(reference, "soap/flowlink_receiveResponseXML_invoice_add_rs.xml"))
    payload = envelope.findtext(".//{http://developer.intuit.com/}response")
    (result,) = parse_response(payload).results
    assert (result.tag, result.request_id, result.status.code) == ("InvoiceAddRs", "", 0)
    assert ret_text(result.rets[0], "TxnID") == "C5-1417118624"
    assert ret_text(result.rets[0], "EditSequence") == "1417118624"


def test_captured_soap_3140_with_comment_inside(reference):
    envelope = parse_xml(read(reference, "soap/flowlink_receiveResponseXML_sales_order_add_rs_3140.xml"))
    # The capture inherits the SOAP body's namespace (QuickBooks' own XML has none): strip it.
    qbxml = etree.fromstring(etree.tostring(envelope.find(".//{http://developer.intuit.com/}QBXML")))
    for node in qbxml.iter(etree.Element):
        node.tag = etree.QName(node).localname
    etree.cleanup_namespaces(qbxml)
    (result,) = parse_response(etree.tostring(qbxml, encoding="unicode")).results
    assert (result.tag, result.status.code, result.status.is_error, result.rets) == (
        "SalesOrderAddRs", 3140, True, ())
    assert 'Customer "Joe Smith"' in result.status.message


# --- mockqb answers ------------------------------------------------------------------------------


def class_add(name: str, request_id: str) -> etree._Element:
    rq = element("ClassAddRq")
    child(etree.SubElement(rq, "ClassAdd"), "Name", name)
    return with_request_id(rq, request_id)


def test_mockqb_error_recovery_round_trip():
    session = QuickBooks(sample_company()).open_session("t")
    query = element("CustomerQueryRq")
    child(query, "MaxReturned", "1")
    query.set("iterator", "Start")
    sent = message_set([class_add("Crew Z", "a"), class_add("Crew Z", "b"), with_request_id(query, "q")],
                       version="16.0", on_error="continueOnError", new_message_set_id="set-1")
    parsed = parse_response(session.process(sent))
    assert (parsed.new_message_set_id, parsed.message_set_status_code) == ("set-1", 0)
    added, duplicate, page = parsed.results
    assert (added.status.code, ret_text(added.rets[0], "FullName")) == (0, "Crew Z")
    assert (duplicate.request_id, duplicate.status.code, duplicate.rets) == ("b", 3100, ())
    assert page.remaining is not None and page.remaining > 0 and page.iterator_id
    stored = parse_response(session.process(status_query("set-1", version="16.0")))
    assert [r.request_id for r in stored.results] == ["a", "b", "q"]
    assert ret_text(stored.results[0].rets[0], "ListID") == ret_text(added.rets[0], "ListID")


def test_mockqb_nothing_stored():
    session = QuickBooks(sample_company()).open_session("t")
    parsed = parse_response(session.process(status_query("never-sent", version="16.0")))
    assert parsed == ParsedResponse(results=(), new_message_set_id="never-sent",
                                    message_set_status_code=MSGSET_NOTHING_STORED)


# --- responses that break the protocol ----------------------------------------------------------


@pytest.mark.parametrize(("text", "reason"), [
    ("<QBXML><QBXMLMsgsRq onError='stopOnError'/></QBXML>", "QBXMLMsgsRs"),
    ("<Other><QBXMLMsgsRs/></Other>", "QBXMLMsgsRs"),
    ("<QBXML><QBXMLMsgsRs><ClassQueryRs statusSeverity='Info'/></QBXMLMsgsRs></QBXML>", "no statusCode"),
    ("<QBXML><QBXMLMsgsRs><ClassQueryRs statusCode='OK'/></QBXMLMsgsRs></QBXML>", "not an integer"),
    ("<QBXML><QBXMLMsgsRs><ClassQueryRs statusCode='1_0'/></QBXMLMsgsRs></QBXML>", "not an integer"),
    (("<QBXML><QBXMLMsgsRs><CustomerQueryRs statusCode='0' iteratorRemainingCount='many'/>"
     "</QBXMLMsgsRs></QBXML>"), "iteratorRemainingCount"),
    ("<QBXML><QBXMLMsgsRs messageSetStatusCode='x'/></QBXML>", "messageSetStatusCode"),
    ("<QBXML><QBXMLMsgsRs><ClassRet/></QBXMLMsgsRs></QBXML>", "not a response"),
    ("not xml", "not well-formed"),
])
def test_parse_response_refuses(text, reason):
    with pytest.raises(QbXmlError, match=reason):
        parse_response(text)


def test_parse_response_defaults_and_non_ret_children():
    text = ("<QBXML><QBXMLMsgsRs><!-- c --><TimeTrackingAddRs statusCode=' 0 ' statusSeverity='Info'>"
            "<TimeTrackingRet><TxnID>1-2</TxnID></TimeTrackingRet><ErrorRecovery><TxnID>1-2</TxnID>"
            "</ErrorRecovery></TimeTrackingAddRs></QBXMLMsgsRs></QBXML>")
    (result,) = parse_response(text).results
    assert (result.request_id, result.status.code, result.status.message) == ("", 0, "")
    assert [r.tag for r in result.rets] == ["TimeTrackingRet"]
    assert (result.iterator_id, result.remaining) == (None, None)


def test_qbxml_modules_import_no_io_stack():
    code = ("import sys\n"
            "import qbbridge.core.qbxml.build, qbbridge.core.qbxml.parse, qbbridge.core.qbxml.hcp, "
            "qbbridge.core.qbxml.status\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'spyne', 'socket')"
            " or m.startswith('qbbridge.mockqb'))\n"
            "print(','.join(bad))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
