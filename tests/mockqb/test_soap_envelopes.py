"""The Web Connector simulator's SOAP envelopes against Intuit's WSDLs and a captured real envelope."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from qbbridge.mockqb import soap
from qbbridge.mockqb.soap import ServerMisbehaved, SoapFault, SoapRequestError

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
CAPTURE = REFERENCE / "samples" / "soap" / "flowlink_receiveResponseXML_invoice_add_rs.xml"
WSDLS = [REFERENCE / "wsdl" / "QBWebConnectorSvc.wsdl",
         REFERENCE / "wsdl" / "TroubleshootWebServiceFS.intuit-test-service.wsdl"]
WSDL_NS = {"s": "http://www.w3.org/2001/XMLSchema", "wsdl": "http://schemas.xmlsoap.org/wsdl/",
           "soap": "http://schemas.xmlsoap.org/wsdl/soap/"}


def reference(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"reference file {path} is not available")
    return path


def wsdl_sequences() -> dict[str, list[str]]:
    """Each operation's request children as the WSDL schemas declare them (union of both WSDLs)."""
    found: dict[str, list[str]] = {}
    for path in WSDLS:
        tree = etree.parse(str(reference(path)))
        for op in soap.OPERATIONS:
            element = tree.find(f".//s:schema/s:element[@name='{op}']", WSDL_NS)
            if element is not None:
                found[op] = [child.get("name") for child in element.iterfind(".//s:element", WSDL_NS)]
    return found


def wsdl_soap_actions() -> dict[str, str]:
    actions = {}
    for path in WSDLS:
        tree = etree.parse(str(reference(path)))
        for operation in tree.iterfind(".//wsdl:binding/wsdl:operation", WSDL_NS):
            action = operation.find("soap:operation", WSDL_NS)
            if action is not None:
                actions[operation.get("name")] = action.get("soapAction")
    return actions


def structure(element: etree._Element) -> tuple:
    """Tag, namespace map, text and children of an element, recursively (attributes too)."""
    return (element.tag, dict(element.nsmap), dict(element.attrib), element.text,
            [structure(child) for child in element])


# -- requests -------------------------------------------------------------------------------------------
def test_request_is_byte_identical_to_the_captured_web_connector_envelope():
    captured = reference(CAPTURE).read_bytes()
    op, args = soap.parse_request(captured)
    assert op == "receiveResponseXML"
    assert args["hresult"] == "" and args["message"] == ""
    assert soap.request_envelope(op, args) == captured.rstrip(b"\r\n")


def test_request_has_the_parsed_structure_of_the_captured_envelope():
    captured = etree.fromstring(reference(CAPTURE).read_bytes())
    response = captured.find(f".//{{{soap.NS}}}response").text
    built = etree.fromstring(soap.request_envelope("receiveResponseXML", {
        "ticket": "354f40b4-b661-4472-a13f-8abf13a743c3", "response": response, "hresult": "", "message": ""}))
    assert structure(built) == structure(captured)


@pytest.mark.parametrize("op", soap.OPERATIONS)
def test_request_children_follow_the_wsdl_order_and_names(op):
    expected = wsdl_sequences()[op]
    assert list(soap.REQUEST_FIELDS[op]) == expected
    # Give the arguments in reverse order: the envelope must still follow the WSDL.
    args = {name: "1" for name in reversed(expected)}
    call = etree.fromstring(soap.request_envelope(op, args))[0][0]
    assert call.tag == f"{{{soap.NS}}}{op}"
    assert call.prefix is None and call.nsmap[None] == soap.NS
    assert [etree.QName(child).localname for child in call] == expected
    assert all(etree.QName(child).namespace == soap.NS and child.prefix is None for child in call)


@pytest.mark.parametrize("op", soap.OPERATIONS)
def test_soap_action_is_the_wsdl_action_in_quotes(op):
    assert soap.soap_action(op) == f'"{wsdl_soap_actions()[op]}"'
    assert soap.soap_action(op) == f'"http://developer.intuit.com/{op}"'


def test_empty_strings_are_written_as_dotnet_empty_elements_and_none_is_left_out():
    body = soap.request_envelope("connectionError", {"ticket": "", "hresult": None, "message": ""})
    assert b"<ticket /><message /></connectionError>" in body
    assert b"hresult" not in body
    assert soap.request_envelope("serverVersion", {}).endswith(
        b'<soap:Body><serverVersion xmlns="http://developer.intuit.com/" /></soap:Body></soap:Envelope>')


def test_envelope_header_and_declarations_match_dotnet():
    body = soap.request_envelope("getLastError", {"ticket": "t"})
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas'
                           b'.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                           b'xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>')
    assert b"\n" not in body
    assert soap.CONTENT_TYPE == "text/xml; charset=utf-8"


def test_ints_and_qbxml_payloads_are_written_as_text():
    qbxml = '<?qbxml version="16.0"?>\n<QBXML><QBXMLMsgsRs/></QBXML>'
    body = soap.request_envelope("sendRequestXML", {
        "ticket": "t", "strHCPResponse": qbxml, "strCompanyFileName": "C:\\a & b.qbw", "qbXMLCountry": "US",
        "qbXMLMajorVers": 16, "qbXMLMinorVers": 0})
    assert b"<qbXMLMajorVers>16</qbXMLMajorVers><qbXMLMinorVers>0</qbXMLMinorVers>" in body
    assert b"&lt;QBXML&gt;" in body and b"a &amp; b" in body
    assert soap.parse_request(body)[1]["strHCPResponse"] == qbxml


def test_unknown_operations_and_arguments_are_refused():
    with pytest.raises(ValueError, match="unknown QBWC operation 'authenticat'"):
        soap.request_envelope("authenticat", {})
    with pytest.raises(ValueError, match="strUsername"):
        soap.request_envelope("authenticate", {"strUsername": "x"})


# -- replies --------------------------------------------------------------------------------------------
def reply(op: str, inner: str, *, ns: str = soap.NS) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{soap.SOAP_ENV}" '
            f'xmlns:xsi="{soap.XSI}"><soap:Body><{op}Response xmlns="{ns}">{inner}</{op}Response>'
            f"</soap:Body></soap:Envelope>").encode()


def test_authenticate_result_is_an_array_of_strings():
    data = reply("authenticate", "<authenticateResult><string>tk</string><string>none</string>"
                                 '<string xsi:nil="true" /><string>300</string></authenticateResult>')
    assert soap.parse_reply("authenticate", data) == ["tk", "none", "", "300"]


def test_receive_response_result_is_an_int():
    assert soap.parse_reply("receiveResponseXML", reply("receiveResponseXML",
                            "<receiveResponseXMLResult> -101 </receiveResponseXMLResult>")) == -101


@pytest.mark.parametrize("inner", ["<receiveResponseXMLResult>50%</receiveResponseXMLResult>",
                                   "<receiveResponseXMLResult>99999999999</receiveResponseXMLResult>",
                                   "<receiveResponseXMLResult />", ""])
def test_receive_response_result_that_is_not_an_int_is_misbehaviour(inner):
    with pytest.raises(ServerMisbehaved, match="^receiveResponseXML failed: .*int"):
        soap.parse_reply("receiveResponseXML", reply("receiveResponseXML", inner))


def test_string_results_missing_or_nil_read_as_empty():
    assert soap.parse_reply("getLastError", reply("getLastError", "<getLastErrorResult>NoOp</getLastErrorResult>")) \
        == "NoOp"
    assert soap.parse_reply("sendRequestXML", reply("sendRequestXML", "")) == ""
    assert soap.parse_reply("clientVersion", reply("clientVersion",
                            '<clientVersionResult xsi:nil="true"/>')) == ""


def test_soap_fault_names_the_operation_and_the_fault_string():
    with pytest.raises(SoapFault) as caught:
        soap.parse_reply("sendRequestXML", soap.fault_envelope("soap:Server", "database is locked"))
    assert str(caught.value) == ("sendRequestXML failed: the server answered with a SOAP Fault: "
                                 "database is locked [soap:Server]")
    assert caught.value.faultcode == "soap:Server"


@pytest.mark.parametrize(("data", "expected"), [
    (b"", "empty"),
    (b"<html><body>Warning: PHP error", "not well-formed XML"),
    (b"<?xml version='1.0'?><foo/>", "not a SOAP 1.1 Envelope"),
    (b'<Envelope xmlns="http://www.w3.org/2003/05/soap-envelope"><Body/></Envelope>', "SOAP 1.2"),
    (b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"/>', "no Body"),
    (b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body/></soap:Envelope>',
     "Body is empty"),
])
def test_replies_that_are_not_usable_raise_server_misbehaved(data, expected):
    with pytest.raises(ServerMisbehaved, match=f"^closeConnection failed: .*{expected}"):
        soap.parse_reply("closeConnection", data)


def test_reply_in_the_wrong_namespace_or_for_another_operation_is_refused():
    with pytest.raises(ServerMisbehaved, match="expected <getLastErrorResponse"):
        soap.parse_reply("getLastError", reply("getLastError", "", ns="http://tempuri.org/"))
    with pytest.raises(ServerMisbehaved, match="got <closeConnectionResponse>"):
        soap.parse_reply("getLastError", reply("closeConnection", ""))


def test_reply_parser_resolves_no_entities_and_refuses_doctypes(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    data = (f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>'
            f'<soap:Envelope xmlns:soap="{soap.SOAP_ENV}"><soap:Body><getLastErrorResponse xmlns="{soap.NS}">'
            "<getLastErrorResult>&e;</getLastErrorResult></getLastErrorResponse></soap:Body></soap:Envelope>")
    with pytest.raises(ServerMisbehaved, match="DOCTYPE") as caught:
        soap.parse_reply("getLastError", data.encode())
    assert "TOP SECRET" not in str(caught.value)


# -- the server side, used by ScriptedServer ------------------------------------------------------------
def test_response_envelope_round_trips_through_parse_reply():
    assert soap.parse_reply("authenticate", soap.response_envelope("authenticate", ["t", ""])) == ["t", ""]
    assert soap.parse_reply("receiveResponseXML", soap.response_envelope("receiveResponseXML", 100)) == 100
    assert soap.parse_reply("closeConnection", soap.response_envelope("closeConnection", "OK")) == "OK"


@pytest.mark.parametrize("data", [b"nonsense", b"<a/>",
                                  soap.fault_envelope("soap:Client", "x"),
                                  soap.request_envelope("getLastError", {}).replace(soap.NS.encode(), b"urn:x")])
def test_parse_request_refuses_what_is_not_a_qbwc_call(data):
    with pytest.raises(SoapRequestError):
        soap.parse_request(data)


def test_parse_request_marks_absent_arguments_as_none():
    op, args = soap.parse_request(soap.request_envelope("receiveResponseXML", {"ticket": "t", "hresult": ""}))
    assert op == "receiveResponseXML"
    assert args == {"ticket": "t", "response": None, "hresult": "", "message": None}
