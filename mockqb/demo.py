"""The simulator's self-demo (``qbbridge mockqb demo``): two Web Connector updates over real HTTP.

A minimal scripted QBWC server on 127.0.0.1 asks the QuickBooks simulator to read lists and add a time
entry with qbXML error recovery on. The first update loses QuickBooks' answer on the way back (the entry
*was* committed); the second asks QuickBooks for the stored status of that message set, gets the entry's
TxnID back without adding it again, and then tries an invoice for an item QuickBooks does not have.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .clock import SimulatedClock
from .company import CompanyFile
from .faults import FaultPlan
from .processor import QuickBooks
from .sample import sample_company
from .scripted_server import ScriptedServer
from .serving import serve_in_thread
from .testing import Response, message_set
from .transports import HttpTransport
from .transcript import UpdateResult
from .webconnector import WebConnector

USER, PASSWORD, SET_ID = "demo", "demo-password", "demo-0001"

READ_LISTS = message_set(
    '<EmployeeQueryRq requestID="1"><ActiveStatus>ActiveOnly</ActiveStatus></EmployeeQueryRq>',
    '<CustomerQueryRq requestID="2"><MaxReturned>10</MaxReturned></CustomerQueryRq>')
ADD_TIME = message_set(
    '<TimeTrackingAddRq requestID="1"><TimeTrackingAdd><TxnDate>2026-11-20</TxnDate>'
    "<EntityRef><FullName>Jane Doe</FullName></EntityRef>"
    "<CustomerRef><FullName>Acme Corp:Roof repair</FullName></CustomerRef>"
    "<ItemServiceRef><FullName>Installation</FullName></ItemServiceRef>"
    "<Duration>PT8H0M</Duration><Notes>Replaced flashing</Notes>"
    "<BillableStatus>Billable</BillableStatus></TimeTrackingAdd></TimeTrackingAddRq>",
    newMessageSetID=SET_ID)
ASK_STATUS = message_set(oldMessageSetID=SET_ID, newMessageSetID=SET_ID)
ADD_INVOICE = message_set(
    '<InvoiceAddRq requestID="1"><InvoiceAdd><CustomerRef><FullName>Baker Bakery</FullName></CustomerRef>'
    "<RefNumber>1001</RefNumber><InvoiceLineAdd><ItemRef><FullName>Gutter cleaning</FullName></ItemRef>"
    "<Quantity>2</Quantity><Rate>75.00</Rate></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>")


def run_demo(company_path: Path | None = None, out: Callable[[str], None] = print) -> int:
    """Run the demo and print what happens; 0 when every step behaved as QuickBooks would."""
    company = CompanyFile.load(company_path) if company_path and company_path.exists() else sample_company()
    quickbooks = QuickBooks(company)
    out(f"QuickBooks simulator: {company.info['ProductName']}, company '{company.info['CompanyName']}'\n")
    first = _update(quickbooks, [READ_LISTS, ADD_TIME], FaultPlan.parse("lose-answer@2"), out,
                    "Update 1: read lists, add a time entry; QuickBooks' answer to the add is lost on the way")
    second_server, second = _update_with_server(
        quickbooks, [ASK_STATUS, ADD_INVOICE], FaultPlan(), out,
        "Update 2: ask QuickBooks what happened to that message set, then add an invoice")
    recovered, invoice = (Response.parse(text) for text in second_server.responses[:2])
    out(_explain(recovered, invoice))
    out(_landed(company))
    if company_path:
        company.save(company_path)
        out(f"\nCompany saved to {company_path}")
    entries = company.records("TimeTracking")
    behaved = (not first.ok) and second.ok and len(entries) == 1 and recovered.message_set_status == 0
    return 0 if behaved else 1


def _update(quickbooks: QuickBooks, sets: list[str], faults: FaultPlan, out, title: str) -> UpdateResult:
    return _update_with_server(quickbooks, sets, faults, out, title)[1]


def _update_with_server(quickbooks: QuickBooks, sets: list[str], faults: FaultPlan, out,
                        title: str) -> tuple[ScriptedServer, UpdateResult]:
    server = ScriptedServer(USER, PASSWORD, sets)
    with serve_in_thread(server) as url:
        connector = WebConnector(HttpTransport(url), quickbooks, user=USER, password=PASSWORD,
                                 app_name="qbbridge-demo", clock=SimulatedClock(), faults=faults)
        result = connector.run_update()
    out(f"== {title}\n   server: {url}\n" + _indent(result.summary(brief=True)) + "\n")
    return server, result


def _explain(recovered: Response, invoice: Response) -> str:
    entry = recovered[0].ret() if len(recovered) else None
    lines = ["== What the server learned in update 2",
             f"   status of message set {SET_ID}: messageSetStatusCode={recovered.message_set_status}"]
    if entry is not None:
        lines.append(f"   the lost time entry was committed once: TxnID {entry.findtext('TxnID')}"
                     " (nothing was sent again)")
    lines.append(f"   invoice 1001: statusCode {invoice[0].code}: {invoice[0].message}")
    return "\n".join(lines) + "\n"


def _landed(company: CompanyFile) -> str:
    lines = ["== What is in QuickBooks now"]
    for entry in company.records("TimeTracking"):
        lines.append(f"   TimeTracking {entry['TxnID']}: {company.full_name_of(entry['EntityRef'])}, "
                     f"{entry['TxnDate']}, {entry['Duration']}, {company.full_name_of(entry['CustomerRef'])}")
    invoices = company.records("Invoice")
    lines.append(f"   Invoices: {len(invoices)}")
    return "\n".join(lines)


def _indent(text: str) -> str:
    return "\n".join("   " + line for line in text.splitlines())
