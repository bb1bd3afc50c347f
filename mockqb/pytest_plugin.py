"""pytest fixtures for testing against the bundled QuickBooks and Web Connector simulators.

Installed with qbbridge (entry point ``pytest11``), so any test suite gets them without imports:

- ``mockqb_company``: the sample company, on a simulated clock (same ids on every run).
- ``mockqb_company_file``: the sample company saved as JSON in ``tmp_path`` (a ``Path``).
- ``mockqb_quickbooks``: a ``QuickBooks`` simulator with ``mockqb_company`` open.
- ``mockqb_faults``: an empty ``FaultPlan`` to script faults on.
- ``mockqb_webconnector``: a factory ``(target, *, user, password, **options) -> WebConnector``; ``target``
  is a WSGI app (called in-process with real SOAP envelopes) or an ``http://`` URL.
- ``mockqb_schema``: validates qbXML text against Intuit's qbXML 16.0 schema when the schema folder is
  found (see ``validation.find_schema_dir``); tests using it are skipped, with the reason, where it is not.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .clock import SimulatedClock
from .company import CompanyFile
from .processor import QuickBooks
from .sample import sample_company


@pytest.fixture
def mockqb_clock() -> SimulatedClock:
    return SimulatedClock()


@pytest.fixture
def mockqb_company(mockqb_clock: SimulatedClock) -> CompanyFile:
    return sample_company(clock=mockqb_clock)


@pytest.fixture
def mockqb_company_file(mockqb_company: CompanyFile, tmp_path: Path) -> Path:
    path = tmp_path / "company.json"
    mockqb_company.save(path)
    return path


@pytest.fixture
def mockqb_quickbooks(mockqb_company: CompanyFile) -> QuickBooks:
    return QuickBooks(mockqb_company)


@pytest.fixture
def mockqb_faults():
    from .faults import FaultPlan

    return FaultPlan()


@pytest.fixture
def mockqb_webconnector(mockqb_quickbooks: QuickBooks, mockqb_clock: SimulatedClock, mockqb_faults):
    from .transports import HttpTransport, WsgiTransport
    from .webconnector import WebConnector

    def make(target: Any, *, user: str, password: str, **options: Any) -> WebConnector:
        transport = HttpTransport(target) if isinstance(target, str) else WsgiTransport(target)
        options.setdefault("clock", mockqb_clock)
        options.setdefault("faults", mockqb_faults)
        return WebConnector(transport, mockqb_quickbooks, user=user, password=password, **options)

    return make


@pytest.fixture(scope="session")
def mockqb_schema() -> Callable[[str], None]:
    """``check(qbxml)`` raises AssertionError unless the text is valid against Intuit's schema for its
    ``<?qbxml version?>`` (13.0 for versions up to 13.0, else 16.0; 16.0 for responses, which carry none)."""
    from lxml import etree

    from .qbxml import QBXML_PARSER
    from .validation import find_schema_dir, load_schema, schema_path

    folder = find_schema_dir()
    if folder is None:
        pytest.skip("Intuit's qbXML schemas were not found (set QBBRIDGE_QBXML_XSD_DIR)")

    def check(qbxml: str) -> None:
        document = etree.fromstring(qbxml.encode("utf-8"), QBXML_PARSER)
        version = _declared_version(document) or "16.0"
        schema = load_schema(schema_path(folder, version))
        if not schema.validate(document):
            raise AssertionError(f"not valid qbXML {version}: {schema.error_log.last_error}")

    return check


def _declared_version(root: Any) -> str | None:
    node = root.getprevious()
    while node is not None:
        if getattr(node, "target", None) == "qbxml":
            return node.get("version")
        node = node.getprevious()
    return None
