"""The WSDL we serve at ?wsdl: parses safely, names Intuit's service, port, operations and types."""

from __future__ import annotations

import pytest
from lxml import etree
from soap_fakes import wsgi_call

from qbbridge.core.soap import OPERATIONS, PORT_NAME, SERVICE_NAME, TNS

WSDL = "http://schemas.xmlsoap.org/wsdl/"
WSDL_SOAP = "http://schemas.xmlsoap.org/wsdl/soap/"
XS = "http://www.w3.org/2001/XMLSchema"
NS = {"wsdl": WSDL, "soap": WSDL_SOAP, "xs": XS}


@pytest.fixture
def wsdl(app, fake):
    reply = wsgi_call(app, method="GET", query="wsdl", content_type=None, length=None)
    assert reply.status == 200 and reply.content_type.startswith("text/xml")
    assert fake.calls == []
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.fromstring(reply.body, parser)


def test_the_wsdl_declares_all_eleven_operations_in_tns(wsdl):
    assert wsdl.get("targetNamespace") == TNS
    operations = wsdl.xpath("wsdl:portType/wsdl:operation/@name", namespaces=NS)
    assert sorted(operations) == sorted(OPERATIONS) and len(operations) == 11


def test_service_port_and_binding_names_match_intuits(wsdl):
    (service,) = wsdl.findall(f"{{{WSDL}}}service")
    (port,) = service.findall(f"{{{WSDL}}}port")
    assert service.get("name") == SERVICE_NAME == "QBWebConnectorSvc"
    assert port.get("name") == PORT_NAME == "QBWebConnectorSvcSoap"
    assert port.get("binding") == "tns:QBWebConnectorSvcSoap"
    assert wsdl.xpath("wsdl:binding/@name", namespaces=NS) == [PORT_NAME]


def test_every_operation_is_document_literal_with_intuits_soap_action(wsdl):
    binding = wsdl.find(f"{{{WSDL}}}binding")
    assert binding.find(f"{{{WSDL_SOAP}}}binding").get("style") == "document"
    actions = {op.get("name"): op.find(f"{{{WSDL_SOAP}}}operation").get("soapAction")
               for op in binding.findall(f"{{{WSDL}}}operation")}
    assert actions == {op: TNS + op for op in OPERATIONS}
    assert set(wsdl.xpath("//soap:body/@use", namespaces=NS)) == {"literal"}


def element_type(wsdl, parent_type: str, child: str) -> etree._Element:
    (element,) = wsdl.xpath("//xs:complexType[@name=$p]//xs:element[@name=$c]", p=parent_type, c=child,
                            namespaces=NS)
    return element


def test_request_children_carry_the_wsdl_names_in_order(wsdl):
    for op, children in OPERATIONS.items():
        names = wsdl.xpath("//xs:complexType[@name=$op]//xs:element/@name", op=op, namespaces=NS)
        assert tuple(names) == children, op


def test_types_match_intuits_wsdl(wsdl):
    assert wsdl.xpath("//xs:schema/@elementFormDefault", namespaces=NS) == ["qualified"]
    assert element_type(wsdl, "sendRequestXML", "qbXMLMajorVers").get("type") == "xs:int"
    assert element_type(wsdl, "sendRequestXML", "qbXMLMajorVers").get("minOccurs", "1") == "1"
    result = element_type(wsdl, "receiveResponseXMLResponse", "receiveResponseXMLResult")
    assert result.get("type") == "xs:int" and result.get("minOccurs", "1") == "1"
    assert element_type(wsdl, "authenticateResponse", "authenticateResult").get("type") == "tns:ArrayOfString"
    item = element_type(wsdl, "ArrayOfString", "string")
    assert (item.get("type"), item.get("maxOccurs")) == ("xs:string", "unbounded")


def test_the_wsdl_is_served_again_identically(app, wsdl):
    again = wsgi_call(app, method="GET", query="wsdl", content_type=None, length=None)
    assert etree.tostring(etree.fromstring(again.body)) == etree.tostring(wsdl)
