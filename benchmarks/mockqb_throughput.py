"""How fast the QuickBooks simulator answers: TimeTrackingAdd and InvoiceAdd requests per second, and
peak memory. A rate that falls as the company grows would show a per-request scan of all records.

Run: ``python3 benchmarks/mockqb_throughput.py [--records 1000 10000] [--batch 100]``. Prints one line
per configuration; never run by the test suite. The simulator must stay far faster than the server it
tests, so the server's own benchmarks measure the server, not the mock.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

from qbbridge.mockqb.processor import QuickBooks
from qbbridge.mockqb.sample import sample_company
from qbbridge.mockqb.testing import message_set

PEOPLE = ("Jane Doe", "John Smith", "Maria Garcia")
ADD = ('<TimeTrackingAddRq requestID="{n}"><TimeTrackingAdd><TxnDate>2026-11-{day:02d}</TxnDate>'
       "<EntityRef><FullName>{who}</FullName></EntityRef>"
       "<CustomerRef><FullName>Acme Corp:Roof repair</FullName></CustomerRef>"
       "<ItemServiceRef><FullName>Installation</FullName></ItemServiceRef>"
       "<Duration>PT{hours}H15M</Duration><BillableStatus>Billable</BillableStatus>"
       "</TimeTrackingAdd></TimeTrackingAddRq>")


INVOICE = ('<InvoiceAddRq requestID="{n}"><InvoiceAdd><CustomerRef><FullName>{customer}</FullName>'
           "</CustomerRef><TxnDate>2026-11-{day:02d}</TxnDate><InvoiceLineAdd><ItemRef><FullName>Labor"
           "</FullName></ItemRef><Quantity>{hours}</Quantity></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>")
CUSTOMERS = ("Acme Corp:Roof repair", "Baker Bakery", "Baker Bakery:Kitchen remodel")
REQUESTS = {"TimeTrackingAdd": lambda n: ADD.format(n=n, day=1 + n % 28, who=PEOPLE[n % 3], hours=1 + n % 8),
            "InvoiceAdd": lambda n: INVOICE.format(n=n, day=1 + n % 28, customer=CUSTOMERS[n % 3],
                                                   hours=1 + n % 8)}


def message_sets(kind: str, records: int, batch: int) -> list[str]:
    sets = []
    for start in range(0, records, batch):
        body = [REQUESTS[kind](n) for n in range(start, min(start + batch, records))]
        sets.append(message_set(*body, newMessageSetID=f"bench-{start}"))
    return sets


def run(kind: str, records: int, batch: int, schema_dir, *, trace_memory: bool) -> float:
    """Process ``records`` adds; return seconds, or the peak traced bytes when ``trace_memory``
    (tracing slows Python several times over, so time and memory are measured in separate runs)."""
    sets = message_sets(kind, records, batch)
    session = QuickBooks(sample_company(), schema_dir=schema_dir).open_session("bench")
    if trace_memory:
        tracemalloc.start()
    started = time.perf_counter()
    for xml in sets:
        session.process(xml)
    elapsed = time.perf_counter() - started
    assert len(session.company.records(kind[:-3])) == records
    if not trace_memory:
        return elapsed
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()
    for kind in REQUESTS:
        for records in args.records:
            for label, schema_dir in (("XSD + own checks", "auto"), ("own checks only", None)):
                report(kind, records, args.batch, label, schema_dir)


def report(kind: str, records: int, batch: int, label: str, schema_dir) -> None:
    elapsed = run(kind, records, batch, schema_dir, trace_memory=False)
    peak = run(kind, records, batch, schema_dir, trace_memory=True)
    print(f"{records:>6} {kind:<15} in sets of {batch} ({label:>16}): "
          f"{records / elapsed:7.0f} requests/s, {elapsed:6.2f} s, peak traced memory {peak / 2**20:5.1f} MiB")


if __name__ == "__main__":
    main()
