"""``qbbridge demo``: the whole loop on this machine, with the built-in plugins and nothing to set up.

The scenario (sample data in ``demo_data.py``): a qbbridge server on SQLite behind a real HTTP server; the
QuickBooks simulator's sample company; work blocks (one names a job QuickBooks does not have yet), parts
and finalized invoices. The Web Connector simulator runs an update over HTTP and shows the error a user
would see; the job is added in the simulated QuickBooks, as its user would; a second update sends what
waited. Then the demo prints what landed in QuickBooks, what the server read from it (the importables)
and what it reports. Exit status 0 when every step behaved as described.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from qbbridge.mockqb.company import CompanyFile
from qbbridge.mockqb.processor import QuickBooks
from qbbridge.mockqb.sample import sample_company
from qbbridge.mockqb.serving import serve_in_thread
from qbbridge.mockqb.transcript import UpdateResult
from qbbridge.mockqb.transports import HttpTransport
from qbbridge.mockqb.webconnector import WebConnector

from . import demo_data, demo_report
from .app import App
from .cli_server import open_app
from .config import Settings
from .errors import HandledError

Out = Callable[[str], None]


def run_demo(out: Out = print, *, directory: Path | None = None) -> int:
    """Run the scenario and print each step; 0 when it behaved as described above."""
    with _workdir(directory) as where:
        settings = Settings(database_url=f"sqlite:///{where / 'qbbridge-demo.db'}", port=0)
        with open_app(settings) as app:
            return _scenario(app, QuickBooks(sample_company()), out, where)


def _scenario(app: App, quickbooks: QuickBooks, out: Out, where: Path) -> int:
    company = quickbooks.company
    out(f"qbbridge demo: database {where / 'qbbridge-demo.db'}\n"
        f"QuickBooks simulator: {company.info['ProductName']}, company '{company.info['CompanyName']}'\n")
    demo_data.load(app, out)
    with serve_in_thread(app.site, threaded=True) as url:
        out(f"qbbridge is serving the Web Connector at {url}\n")
        first = _update(url, quickbooks, out, "Update 1: the Web Connector runs 'Update Selected'")
        out(demo_report.synced_so_far(app, demo_data.COMPANY))
        out(demo_data.add_missing_job(company))
        second = _update(url, quickbooks, out, "Update 2: 'Update Selected' again")
        out(demo_report.synced_so_far(app, demo_data.COMPANY))
    out(demo_report.landed(company))
    out(demo_report.importables(app, demo_data.COMPANY))
    out(demo_report.status(app, demo_data.COMPANY))
    return 0 if _behaved(app, company, first, second) else 1


def _update(url: str, quickbooks: QuickBooks, out: Out, title: str) -> UpdateResult:
    connector = WebConnector(HttpTransport(url), quickbooks, user=demo_data.USER, password=demo_data.PASSWORD,
                             app_name="qbbridge")
    result = connector.run_update()
    shown = result.status if not result.ok else f"{result.status} ({result.close_message})"
    out(f"== {title}\n   The Web Connector shows: {shown}")
    return result


def _behaved(app: App, company: CompanyFile, first: UpdateResult, second: UpdateResult) -> bool:
    """The first update stopped naming the missing job; the second finished; every block landed once."""
    named = demo_data.MISSING_JOB in first.status
    landed = demo_report.blocks_landed(app, demo_data.COMPANY, company)
    once = landed.pop("") == 0 and all(count == 1 for count in landed.values())
    return (not first.ok) and named and second.ok and once


@contextmanager
def _workdir(directory: Path | None) -> Iterator[Path]:
    if directory is not None:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise HandledError(f"cannot keep the demo's database in {directory}: {exc.strerror or exc}; "
                               "give --dir a folder you can write to") from exc
        yield directory
        return
    with tempfile.TemporaryDirectory(prefix="qbbridge-demo-") as name:
        yield Path(name)
