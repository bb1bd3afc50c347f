"""The SOAP adapter: the Web Connector's eleven operations, served by spyne over WSGI.

Rule: this is the only module that imports spyne. It maps each QBWC operation, with the WSDL's exact
element names (PROTOCOL.md §A.1), onto one method of a ``WebConnectorApi`` and does nothing else: the
service decides every answer. Output is exact (tns ``http://developer.intuit.com/``, ``<opResponse>
<opResult>``, ``ArrayOfString`` of ``<string>``, ints where the WSDL says ``int``); input is lenient, as
old clients differ from the WSDL: children may be missing, unknown, out of order, unqualified or in
another letter case (``strCompanyFilename``), and a version number that is empty or not an int reads as
``None``. The SOAPAction header is ignored (the body names the operation). An exception from the service
is logged and answered with a generic ``soap:Server`` fault; hostile or oversized requests never reach
spyne (``wsgi_limits``).
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any, Protocol

from lxml import etree
from spyne import Application, Array, Fault, Integer32, ServiceBase, Unicode, const, rpc
from spyne.protocol.soap import Soap11
from spyne.server.wsgi import WsgiApplication

from .wsgi_limits import LXML_TEXT_LIMIT, RequestLimits, WsgiApp, refuse

logger = logging.getLogger(__name__)

# spyne runs a full gc.collect() at the end of a request at most once a second, to close its file
# attachments early. We have none, and each collection costs the serving thread ~100 ms; Python's own
# generational collector still runs as usual.
const.MIN_GC_INTERVAL = float("inf")

TNS = "http://developer.intuit.com/"
SOAP11_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12_ENV = "http://www.w3.org/2003/05/soap-envelope"
SERVICE_NAME = "QBWebConnectorSvc"
PORT_NAME = "QBWebConnectorSvcSoap"
DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024

#: Each operation's request children, in the WSDL's order.
OPERATIONS: dict[str, tuple[str, ...]] = {
    "serverVersion": (),
    "clientVersion": ("strVersion",),
    "authenticate": ("strUserName", "strPassword"),
    "sendRequestXML": ("ticket", "strHCPResponse", "strCompanyFileName", "qbXMLCountry",
                       "qbXMLMajorVers", "qbXMLMinorVers"),
    "receiveResponseXML": ("ticket", "response", "hresult", "message"),
    "connectionError": ("ticket", "hresult", "message"),
    "getLastError": ("ticket",),
    "closeConnection": ("ticket",),
    "getInteractiveURL": ("wcTicket", "sessionID"),
    "interactiveDone": ("wcTicket",),
    "interactiveRejected": ("wcTicket", "reason"),
}
_INT_FIELDS = frozenset({"qbXMLMajorVers", "qbXMLMinorVers"})
_INT_TEXT = re.compile(r"[+-]?[0-9]{1,10}")
_INT32 = range(-(2**31), 2**31)
_SERVICE_FAULT = "The server could not process this call; the details are in its log."


class WebConnectorApi(Protocol):
    """What the adapter calls: one method per QBWC operation, answers as QBWC expects them.

    Every ``str`` argument may be ``None`` (the element was absent). Protocol situations (an unknown
    ticket, bad credentials) are answered, never raised; an exception is a bug and becomes a fault.
    """

    def server_version(self) -> str: ...
    def client_version(self, version: str | None) -> str: ...
    def authenticate(self, username: str | None, password: str | None) -> list[str]: ...
    def send_request_xml(self, ticket: str | None, hcp_response: str | None, company_file: str | None,
                         country: str | None, major: int | None, minor: int | None) -> str: ...
    def receive_response_xml(self, ticket: str | None, response: str | None, hresult: str | None,
                             message: str | None) -> int: ...
    def connection_error(self, ticket: str | None, hresult: str | None, message: str | None) -> str: ...
    def get_last_error(self, ticket: str | None) -> str: ...
    def close_connection(self, ticket: str | None) -> str: ...
    def get_interactive_url(self, ticket: str | None, session_id: str | None) -> str: ...
    def interactive_done(self, ticket: str | None) -> str: ...
    def interactive_rejected(self, ticket: str | None, reason: str | None) -> str: ...


_operation = functools.partial(rpc, _port_type=PORT_NAME)
_Int = Integer32(min_occurs=1, nillable=False)  # xs:int, minOccurs 1, as Intuit's WSDL declares it
_ArrayOfString = Array(Unicode, type_name="ArrayOfString")


class QBWebConnectorSvc(ServiceBase):
    """The QBWC operations; ``ctx.udc`` is the ``WebConnectorApi`` (set by ``make_wsgi_app``)."""

    __service_name__ = SERVICE_NAME
    __port_types__ = (PORT_NAME,)

    # spyne passes ctx first and takes element names from the method and parameter names, so these
    # carry the WSDL's camelCase names.

    @_operation(_returns=Unicode)
    def serverVersion(ctx):
        return ctx.udc.server_version()

    @_operation(Unicode, _returns=Unicode)
    def clientVersion(ctx, strVersion):
        return ctx.udc.client_version(strVersion)

    @_operation(Unicode, Unicode, _returns=_ArrayOfString)
    def authenticate(ctx, strUserName, strPassword):
        return ctx.udc.authenticate(strUserName, strPassword)

    @_operation(Unicode, Unicode, Unicode, Unicode, _Int, _Int, _returns=Unicode)
    def sendRequestXML(ctx, ticket, strHCPResponse, strCompanyFileName, qbXMLCountry, qbXMLMajorVers,
                       qbXMLMinorVers):
        return ctx.udc.send_request_xml(ticket, strHCPResponse, strCompanyFileName, qbXMLCountry,
                                        qbXMLMajorVers, qbXMLMinorVers)

    @_operation(Unicode, Unicode, Unicode, Unicode, _returns=_Int)
    def receiveResponseXML(ctx, ticket, response, hresult, message):
        return ctx.udc.receive_response_xml(ticket, response, hresult, message)

    @_operation(Unicode, Unicode, Unicode, _returns=Unicode)
    def connectionError(ctx, ticket, hresult, message):
        return ctx.udc.connection_error(ticket, hresult, message)

    @_operation(Unicode, _returns=Unicode)
    def getLastError(ctx, ticket):
        return ctx.udc.get_last_error(ticket)

    @_operation(Unicode, _returns=Unicode)
    def closeConnection(ctx, ticket):
        return ctx.udc.close_connection(ticket)

    @_operation(Unicode, Unicode, _returns=Unicode)
    def getInteractiveURL(ctx, wcTicket, sessionID):
        return ctx.udc.get_interactive_url(wcTicket, sessionID)

    @_operation(Unicode, _returns=Unicode)
    def interactiveDone(ctx, wcTicket):
        return ctx.udc.interactive_done(wcTicket)

    @_operation(Unicode, Unicode, _returns=Unicode)
    def interactiveRejected(ctx, wcTicket, reason):
        return ctx.udc.interactive_rejected(wcTicket, reason)

    @classmethod
    def call_wrapper(cls, ctx: Any, args: Any = None) -> Any:
        """Run the operation; any exception but a ``Fault`` is logged and becomes a generic fault."""
        try:
            return super().call_wrapper(ctx, args)
        except Fault:
            raise
        except Exception:
            logger.exception("the Web Connector service failed in %s", ctx.method_request_string)
            raise Fault("Server", _SERVICE_FAULT) from None


def make_wsgi_app(service: WebConnectorApi, *, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> WsgiApp:
    """The WSGI app serving ``service`` over SOAP 1.1 (WSDL at ``GET ?wsdl``), behind ``RequestLimits``.

    Apps built by separate calls share nothing: each injects its own ``service`` into ``ctx.udc``.
    """
    # validator=None: spyne's schema validation would refuse the lenient input the module rule accepts
    in_protocol = Soap11(validator=None, huge_tree=max_body_bytes > LXML_TEXT_LIMIT)
    in_protocol.event_manager.add_listener("before_deserialize", _lenient_input)
    application = Application([QBWebConnectorSvc], tns=TNS, name=SERVICE_NAME, in_protocol=in_protocol,
                              out_protocol=Soap11())
    application.event_manager.add_listener("method_call", functools.partial(_inject, service))
    wsgi = WsgiApplication(application, max_content_length=max_body_bytes)  # spyne's own default: 2 MiB
    wsgi.event_manager.add_listener("wsdl", _exact_soap_actions)
    return RequestLimits(wsgi, max_body_bytes=max_body_bytes, inspect=check_envelope)


def check_envelope(root: etree._Element) -> None:
    """Raise a ``soap:Client`` refusal unless ``root`` is a SOAP 1.1 Envelope whose Body holds a QBWC
    operation in tns, without id/href references (``RequestLimits`` inspector, run before spyne)."""
    if root.tag == f"{{{SOAP12_ENV}}}Envelope":
        raise refuse("The request is a SOAP 1.2 envelope; this service speaks SOAP 1.1, as the Web "
                     "Connector does.")
    if root.tag != f"{{{SOAP11_ENV}}}Envelope":
        raise refuse(f"The request is not a SOAP 1.1 Envelope (its root is {_describe(root)}).")
    body = root.find(f"{{{SOAP11_ENV}}}Body")
    call = None if body is None else next((c for c in body if isinstance(c.tag, str)), None)
    if call is None:
        raise refuse(f"The SOAP Body holds no operation; expected one of {', '.join(OPERATIONS)}.")
    qname = etree.QName(call)
    if qname.namespace != TNS or qname.localname not in OPERATIONS:
        raise refuse(f"Unknown operation {_describe(call)}; this service offers {', '.join(OPERATIONS)} "
                     f"in namespace {TNS}.")
    # spyne would resolve SOAP-encoding multi-references (id/href), recursively and into other elements'
    # text; the Web Connector's document/literal calls never carry them.
    if root.xpath("boolean(//@id | //@href)"):
        raise refuse("The request carries SOAP-encoding references (id or href attributes), which this "
                     "document/literal service does not accept.")


def _describe(element: etree._Element) -> str:
    qname = etree.QName(element)
    return f"<{qname.localname}>" + (f" in namespace {qname.namespace}" if qname.namespace else "")


def _inject(service: WebConnectorApi, ctx: Any) -> None:
    ctx.udc = service


def _lenient_input(ctx: Any) -> None:
    """spyne ``before_deserialize`` listener: normalise the operation element in place."""
    if ctx.in_body_doc is not None:
        normalise_call(ctx.in_body_doc)


_CANONICAL = {name.lower(): name for names in OPERATIONS.values() for name in names}


def normalise_call(call: etree._Element) -> None:
    """Bring an operation element's children to the WSDL's spelling, in place.

    A child whose local name matches a parameter case-insensitively is renamed to it in tns (unless the
    exact name is also present); a version number that is not a 32-bit int is removed, so it reads as
    ``None``. Anything else is left for spyne, which ignores unknown children.
    """
    present = {etree.QName(child).localname for child in call if isinstance(child.tag, str)}
    for child in list(call):
        if not isinstance(child.tag, str):
            continue
        local = etree.QName(child).localname
        name = _CANONICAL.get(local.lower())
        if name is None or (name != local and name in present):
            continue
        child.tag = f"{{{TNS}}}{name}"
        if name in _INT_FIELDS and not _is_int32(child.text):
            call.remove(child)


def _is_int32(text: str | None) -> bool:
    value = (text or "").strip()
    return bool(_INT_TEXT.fullmatch(value)) and int(value) in _INT32


def _exact_soap_actions(ctx: Any) -> None:
    """spyne ``wsdl`` listener: spyne writes ``soapAction="op"``; the WSDL says ``<tns><op>``."""
    root = etree.fromstring(ctx.transport.wsdl)
    for action in root.iter("{http://schemas.xmlsoap.org/wsdl/soap/}operation"):
        if not action.get("soapAction", "").startswith(TNS):
            action.set("soapAction", TNS + action.get("soapAction", ""))
    ctx.transport.wsdl = etree.tostring(root, xml_declaration=True, encoding="utf-8")
