"""Fixtures shared by the simulator's tests: a sample company, QuickBooks, a session, and a
``process`` helper that also checks every response against Intuit's qbXML 16.0 schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from qbbridge.mockqb.processor import QuickBooks
from qbbridge.mockqb.sample import sample_company
from qbbridge.mockqb.testing import Response

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference"


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    assert REFERENCE.is_dir(), f"the reference folder {REFERENCE} must sit beside the checkout"
    return REFERENCE


@pytest.fixture(scope="session")
def schema16(reference_dir: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(reference_dir / "xsd/qbxml160/qbxmlops160.xsd")))


@pytest.fixture
def company():
    return sample_company()


@pytest.fixture
def quickbooks(company):
    return QuickBooks(company)


@pytest.fixture
def session(quickbooks):
    return quickbooks.open_session("tests")


@pytest.fixture
def process(session, schema16):
    """Send a message set to the session; return the parsed response after checking it is schema-valid."""

    def run(request_xml: str, on=None) -> Response:
        response_xml = (on or session).process(request_xml)
        document = etree.fromstring(response_xml.encode())
        assert schema16.validate(document), schema16.error_log
        return Response.parse(response_xml)

    return run
