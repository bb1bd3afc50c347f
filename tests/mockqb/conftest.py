"""Fixtures shared by the simulator's tests.

- ``reference_dir``: the shared reference folder beside the checkout (session);
  ``request_samples``: its folder of qbXML request samples (session).
- ``schema16``: Intuit's qbXML 16.0 schema (session).
- ``company`` (the sample company), ``quickbooks`` (QuickBooks with it open), ``session`` (one session).
- ``process``: send a message set to ``session``; returns a ``testing.Response`` after checking it
  against the 16.0 schema.
- ``send``: send requests in one 16.0 message set to ``session``; returns the schema-checked ``…Rs``
  elements.
- ``books``: a ``qbxml_helpers.Books`` on ``company`` (process/one/list_id/refused, all schema-checked).

Plain helpers (``Books``, ``ref``, ``NOT_IN_LIST``, ``assert_refused``, ``list_mod`` …): qbxml_helpers.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from qbxml_helpers import Books, schema_checked

from qbbridge.mockqb.processor import QuickBooks
from qbbridge.mockqb.sample import sample_company
from qbbridge.mockqb.testing import Response, message_set

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference"


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    assert REFERENCE.is_dir(), f"the reference folder {REFERENCE} must sit beside the checkout"
    return REFERENCE


@pytest.fixture(scope="session")
def request_samples(reference_dir: Path) -> Path:
    return reference_dir / "samples/qbxml/requests"


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
        schema_checked(schema16, response_xml)
        return Response.parse(response_xml)

    return run


@pytest.fixture
def send(session, schema16):
    """Process requests in one message set (or ``raw``, a whole one); return the schema-valid ``…Rs``."""

    def run(*requests: str, on_error: str = "stopOnError", raw: str | None = None) -> list[etree._Element]:
        xml = raw or message_set(*requests, on_error=on_error)
        return list(schema_checked(schema16, session.process(xml)).find("QBXMLMsgsRs"))

    return run


@pytest.fixture
def books(company, schema16) -> Books:
    return Books(schema16, company)
