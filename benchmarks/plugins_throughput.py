"""How fast the built-in plugins sync a backlog through one whole Web Connector update (in-process WSGI,
real SOAP envelopes, the QuickBooks simulator with its XSD validation): N work blocks (timesheets, with
the preflight on), or N finalized invoices sharing 10 new parts (invoices + parts + classes).

Run: ``python3 benchmarks/plugins_throughput.py [--records 1000,5000] [--database-url URL]``.
Never run by the test suite. Prints records/s, round trips per record and the request kinds sent;
stops with an error unless every record landed in the simulated company exactly once.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path

from lxml import etree

from qbbridge.core.app import build_app
from qbbridge.core.config import Settings
from qbbridge.mockqb.processor import QuickBooks
from qbbridge.mockqb.sample import sample_company
from qbbridge.mockqb.transports import WsgiTransport
from qbbridge.mockqb.webconnector import WebConnector

COMPANY, USER, PASSWORD = "bench", "bench", "correct horse battery staple"
EMPLOYEES = ("Jane Doe", "John Smith", "Maria Garcia", "Pat Contractor")
JOBS = ("Acme Corp:Roof repair", "Baker Bakery:Kitchen remodel", None)
ROUND_TRIPS = ("sendRequestXML", "receiveResponseXML")


def work_blocks(count: int) -> dict[str, list[tuple[str, dict]]]:
    def block(n: int) -> dict:
        payload = {"employee": EMPLOYEES[n % 4], "item": "Labor", "date": f"2026-11-{1 + n % 28:02d}",
                   "minutes": 15 + n % 450, "notes": f"block {n}"}
        return {**payload, "customer": JOBS[n % 3]} if JOBS[n % 3] else payload
    return {"timesheets": [(f"B{n}", block(n)) for n in range(count)]}


def invoices(count: int) -> dict[str, list[tuple[str, dict]]]:
    parts = [(f"PN-{n}", {"name": f"Bench part {n}", "price": "10.00"}) for n in range(10)]
    dimension = [{"name": "class", "type": "custom", "value": "Field:North"}]
    rows = [(f"I{n}", {"customer": "Baker Bakery", "date": "2026-11-20", "dimensions": dimension,
                       "lines": [{"part": f"PN-{n % 10}", "quantity": "2", "rate": "12.50"}]})
            for n in range(count)]
    return {"parts": parts, "invoices": rows}


def run(kind: str, count: int, database_url: str | None) -> str:
    with tempfile.TemporaryDirectory(prefix="qbbridge-bench-") as folder:
        url = database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        app = build_app(Settings(database_url=url))
        try:
            app.host.add_company(COMPANY, settings={"parts.income_account": "Services Income"})
            app.host.add_user(USER, PASSWORD, COMPANY)
            backlog = work_blocks(count) if kind == "timesheets" else invoices(count)
            for object_type, rows in backlog.items():
                report = app.host.submit(COMPANY, object_type, rows, finalized=True)
                assert not report.invalid, report.invalid[:3]
            quickbooks = QuickBooks(sample_company())
            connector = WebConnector(WsgiTransport(app.site), quickbooks, user=USER, password=PASSWORD)
            started = time.perf_counter()
            result = connector.run_update()
            seconds = time.perf_counter() - started
            entity = "TimeTracking" if kind == "timesheets" else "Invoice"
            landed = len(quickbooks.company.records(entity))
            if not result.ok or landed != count:
                raise SystemExit(f"{kind} {count}: {result.status}; {landed} of {count} landed")
            trips = sum(1 for call in result.transcript if call.op in ROUND_TRIPS)
            tags = Counter(name for call in result.transcript if call.op == "sendRequestXML"
                           for name in _request_tags(call))
            return (f"| {kind} | {count:,} | {count / seconds:,.0f} | {trips / count:.2f} | "
                    f"{', '.join(f'{tag} {n}' for tag, n in sorted(tags.items()))} |")
        finally:
            app.close()


def _request_tags(call) -> list[str]:
    """The requests of the message set sendRequestXML returned."""
    text = call.reply if isinstance(call.reply, str) else ""
    if not text.strip():
        return []
    msgs = etree.fromstring(text.encode()).find("QBXMLMsgsRq")
    return [child.tag for child in msgs if isinstance(child.tag, str)] if msgs is not None else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", default="1000,5000")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    print("| plugins | records | records/s | round trips/record | requests sent |")
    print("|---|---|---|---|---|")
    for count in (int(part) for part in args.records.split(",")):
        for kind in ("timesheets", "invoices"):
            print(run(kind, count, args.database_url), flush=True)


if __name__ == "__main__":
    main()
