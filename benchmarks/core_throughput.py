"""How fast the core engine syncs a backlog: N pending "hours" records through one whole Web Connector
update, in-process (real SOAP envelopes, no socket) and over real HTTP (waitress in a thread).

Run: ``python3 benchmarks/core_throughput.py [--records 1000,10000] [--batch-size 50]
[--transport inproc,http] [--database-url postgresql://user@host/db] [--no-memory]``.
Never run by the test suite. Each configuration runs twice on a fresh store: a timed pass (no tracing),
then a pass under ``tracemalloc`` for memory only (tracing slows Python several times over). Batch size 1
("one record per round trip", like the seed) is added for 1,000 records only, to show the ratio.

What each column measures:
- records/s: records / wall time of ``WebConnector.run_update()`` (the whole update, mock QuickBooks
  and its XSD validation included); submitting the records beforehand is timed separately.
- trips/rec: (sendRequestXML + receiveResponseXML calls) / records.
- CPU ms/call: server CPU per SOAP call, by ``time.thread_time()`` around the WSGI app (the app's own
  thread; waitress' HTTP parsing and the SQLite/PostgreSQL server processes are not included). Shown
  for sendRequestXML / receiveResponseXML.
- SQL/call: statements the app sent to the database per call (SQLAlchemy ``before_cursor_execute``),
  sendRequestXML / receiveResponseXML.
- call MiB: the largest memory any single SOAP call needed: tracemalloc's peak during the call minus
  what was traced when it began (server side only: the app is stateless between calls).
- proc MiB: tracemalloc's peak of the whole process over the update (client, mock QuickBooks and
  its company file included).
At the end of every run the simulated company must hold exactly one time entry per record, and every
record must be synced; otherwise the benchmark stops with an error.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import threading
import time
import tracemalloc
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa
from sqlalchemy import event
from waitress.server import create_server

from qbbridge.core.app import App, build_app
from qbbridge.core.config import Settings
from qbbridge.mockqb.clock import SimulatedClock
from qbbridge.mockqb.processor import QuickBooks
from qbbridge.mockqb.sample import sample_company
from qbbridge.mockqb.transports import HttpTransport, Transport, WsgiTransport
from qbbridge.mockqb.webconnector import WebConnector

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "e2e"))
import hours_plugin  # the e2e test plugin, found through the path set above

COMPANY, USER, PASSWORD = "acme", "bench", "correct horse battery staple"
EMPLOYEES = ("Jane Doe", "John Smith", "Maria Garcia")
ROUND_TRIPS = ("sendRequestXML", "receiveResponseXML")


@dataclass(frozen=True, slots=True)
class Config:
    records: int
    batch_size: int
    transport: str


@dataclass
class Meter:
    """Wraps the WSGI app and sums, per SOAP operation, calls, server CPU and SQL statements; the
    largest per-call memory need when tracemalloc is on. Calls are sequential (one Web Connector)."""

    app: Callable[..., Iterable[bytes]]
    calls: Counter[str] = field(default_factory=Counter)
    cpu: Counter[str] = field(default_factory=Counter)
    sql: Counter[str] = field(default_factory=Counter)
    call_peak: int = 0
    statements: int = 0

    def count_statement(self, *_: Any) -> None:
        self.statements += 1

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        op = environ.get("HTTP_SOAPACTION", "").strip('"').rsplit("/", 1)[-1]
        statements, tracing = self.statements, tracemalloc.is_tracing()
        if tracing:
            base = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
        started = time.thread_time()
        chunks = self.app(environ, start_response)
        try:
            body = b"".join(chunks)  # the reply is produced inside the measured span
        finally:
            getattr(chunks, "close", lambda: None)()
        self.cpu[op] += time.thread_time() - started
        if tracing:
            self.call_peak = max(self.call_peak, tracemalloc.get_traced_memory()[1] - base)
        self.calls[op] += 1
        self.sql[op] += self.statements - statements
        return [body]


@dataclass(frozen=True, slots=True)
class Measured:
    config: Config
    seconds: float
    submit_seconds: float
    meter: Meter


# --- stores -----------------------------------------------------------------------------------------


@contextlib.contextmanager
def fresh_database(server_url: str | None) -> Iterator[str]:
    """An empty store: a SQLite file in a temporary folder, or a new schema on ``server_url`` (dropped
    afterwards; the URL's connections use it through ``search_path``)."""
    if server_url is None:
        with tempfile.TemporaryDirectory(prefix="qbbridge-bench-") as folder:
            yield f"sqlite:///{Path(folder) / 'bench.db'}"
        return
    admin = sa.make_url(server_url).set(drivername="postgresql").render_as_string(hide_password=False)
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    try:
        yield sa.make_url(admin).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")


def prepared_app(url: str, config: Config) -> tuple[App, float]:
    """The app on ``url`` with one company, one login and ``config.records`` pending records; and the
    seconds the submission took."""
    app = build_app(Settings(database_url=url, batch_size=config.batch_size),
                    extra_plugins=[("hours", hours_plugin)], load_entrypoints=False)
    app.host.add_company(COMPANY)
    app.host.add_user(USER, PASSWORD, COMPANY)
    app.host.update_settings(COMPANY, read_lists=False)
    records = [(f"h{n:06d}", {"date": f"2026-11-{1 + n % 28:02d}", "employee": EMPLOYEES[n % 3],
                              "minutes": 15 + n % 480}) for n in range(config.records)]
    started = time.perf_counter()
    report = app.host.submit(COMPANY, "hours", records)
    if report.added != config.records:
        raise SystemExit(f"setup failed: {report}")
    return app, time.perf_counter() - started


# --- transports -------------------------------------------------------------------------------------


@contextlib.contextmanager
def transport_for(kind: str, app: Callable[..., Iterable[bytes]]) -> Iterator[Transport]:
    if kind == "inproc":
        yield WsgiTransport(app)
        return
    server = create_server(app, host="127.0.0.1", port=0, threads=4)  # as `qbbridge serve`
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield HttpTransport(f"http://127.0.0.1:{server.effective_port}/qbwc")
    finally:
        server.task_dispatcher.shutdown()
        for dispatcher in list(server._map.values()):  # an empty map ends waitress' loop
            dispatcher.close()
        thread.join(timeout=5)


# --- one run ----------------------------------------------------------------------------------------


def run(config: Config, server_url: str | None, *, trace_memory: bool) -> tuple[Measured, int]:
    """One update over ``config.records`` pending records on a fresh store; the measurements and, with
    ``trace_memory``, the whole process' traced peak (else 0)."""
    with fresh_database(server_url) as url:
        app, submit_seconds = prepared_app(url, config)
        try:
            meter = Meter(app.wsgi())
            event.listen(app.engine, "before_cursor_execute", meter.count_statement)
            company = sample_company(clock=SimulatedClock())
            with transport_for(config.transport, meter) as transport:
                connector = WebConnector(transport, QuickBooks(company), user=USER, password=PASSWORD,
                                         clock=SimulatedClock(), max_round_trips=2 * config.records + 10)
                if trace_memory:
                    tracemalloc.start()
                started = time.perf_counter()
                result = connector.run_update()
                seconds = time.perf_counter() - started
                peak = tracemalloc.get_traced_memory()[1] if trace_memory else 0
                tracemalloc.stop()
            verify(config, result, company, app)
        finally:
            app.close()
    return Measured(config, seconds, submit_seconds, meter), peak


def verify(config: Config, result: Any, company: Any, app: App) -> None:
    """Exactly one time entry per record in the company, every record synced; else stop loudly."""
    if not result.ok or result.progress != 100:
        raise SystemExit(f"{config}: the update failed:\n{result.summary(brief=True)[-3000:]}")
    landed = Counter(str(entry.get("Notes", "")) for entry in company.records("TimeTracking"))
    expected = Counter({f"qbb:h{n:06d}": 1 for n in range(config.records)})
    if landed != expected:
        wrong = sorted((landed - expected) + (expected - landed))[:10]
        raise SystemExit(f"{config}: the company does not hold exactly one entry per record: "
                         f"{sum(landed.values())} entries for {config.records} records; e.g. {wrong}")
    states = Counter(row["state"] for row in app.host.records(COMPANY, "hours"))
    if states != Counter({"synced": config.records}):
        raise SystemExit(f"{config}: not every record is synced: {dict(states)}")


# --- report -----------------------------------------------------------------------------------------

HEADER = (f"{'records':>7} {'transport':<9} {'batch':>5} {'records/s':>9} {'update s':>8} {'submit s':>8} "
          f"{'trips/rec':>9} {'calls':>6} {'CPU ms/call s/r':>15} {'SQL/call s/r':>12} "
          f"{'call MiB':>8} {'proc MiB':>8}")


def line(measured: Measured, call_peak: int | None, process_peak: int | None) -> str:
    config, meter = measured.config, measured.meter
    trips = sum(meter.calls[op] for op in ROUND_TRIPS)
    send, receive = (meter.calls[op] or 1 for op in ROUND_TRIPS)
    cpu = f"{1000 * meter.cpu[ROUND_TRIPS[0]] / send:.1f}/{1000 * meter.cpu[ROUND_TRIPS[1]] / receive:.1f}"
    sql = f"{meter.sql[ROUND_TRIPS[0]] / send:.1f}/{meter.sql[ROUND_TRIPS[1]] / receive:.1f}"
    memory = [f"{value / 2**20:8.1f}" if value is not None else f"{'-':>8}" for value in (call_peak, process_peak)]
    return (f"{config.records:>7} {config.transport:<9} {config.batch_size:>5} "
            f"{config.records / measured.seconds:>9.0f} {measured.seconds:>8.2f} {measured.submit_seconds:>8.2f} "
            f"{trips / config.records:>9.2f} {sum(meter.calls.values()):>6} {cpu:>15} {sql:>12} "
            f"{memory[0]} {memory[1]}")


def configurations(args: argparse.Namespace) -> list[Config]:
    configs = [Config(records, args.batch_size, transport)
               for records in args.records for transport in args.transport]
    if args.batch_size != 1 and 1000 in args.records:
        configs += [Config(1000, 1, transport) for transport in args.transport]
    return configs


def csv(kind: Callable[[str], Any]) -> Callable[[str], list[Any]]:
    return lambda text: [kind(item) for item in text.split(",") if item.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=csv(int), default=[1000, 10000])
    parser.add_argument("--batch-size", type=int, default=Settings().batch_size)
    parser.add_argument("--transport", type=csv(str), default=["inproc", "http"])
    parser.add_argument("--database-url", help="a PostgreSQL server URL (a fresh schema per run); "
                                               "default: a fresh SQLite file per run")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc pass")
    args = parser.parse_args()
    print(f"store: {'PostgreSQL' if args.database_url else 'SQLite file'}; CPU = server thread_time; "
          f"s/r = sendRequestXML/receiveResponseXML; {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f} at start", flush=True)
    print(HEADER, flush=True)
    for config in configurations(args):
        measured, _ = run(config, args.database_url, trace_memory=False)
        call_peak = process_peak = None
        if not args.no_memory:
            traced, process_peak = run(config, args.database_url, trace_memory=True)
            call_peak = traced.meter.call_peak
        print(line(measured, call_peak, process_peak), flush=True)


if __name__ == "__main__":
    main()
