"""Plain helpers for the classes plugin's tests: an in-memory ReadContext and one request through the
QuickBooks simulator at a qbXML version, checked against that version's XSD first."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lxml import etree

from qbbridge.core import CompanyInfo, QbRequest, QbResult, Record, SentRequest
from qbbridge.core.qbxml import build
from qbbridge.core.qbxml.parse import parse_response
from qbbridge.mockqb.company import CompanyFile
from qbbridge.mockqb.processor import QuickBooks

XSD_DIR = Path(__file__).resolve().parents[4] / "shared" / "reference" / "xsd"
XSD = {"13.0": XSD_DIR / "qbxml130" / "qbxmlops130.xsd", "16.0": XSD_DIR / "qbxml160" / "qbxmlops160.xsd"}


def company(**settings: Any) -> CompanyInfo:
    """A company whose settings are ``settings`` with ``__`` for the dot: ``classes__read_every_minutes``."""
    return CompanyInfo(name="Acme", qbxml_version="13.0",
                       settings={key.replace("__", "."): value for key, value in settings.items()})


@dataclass
class ReadCtx:
    company: CompanyInfo
    last_sync_at: datetime | None = None
    last_read_at: datetime | None = None
    now: datetime = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    records: list[Record] = field(default_factory=list)

    def due(self) -> Iterator[Record]:
        return iter(self.records)

    def others(self, object_type: str) -> Iterator[Record]:
        return iter(())


def round_trip(company_file: CompanyFile, request: QbRequest, version: str) -> tuple[SentRequest, QbResult]:
    """Send ``request`` (with a requestID, as the engine does) in a ``version`` message set; the set must
    be valid against that version's XSD. Returns what the handler is given back."""
    body = build.with_request_id(request.body, "r1")
    xml = build.message_set([body], version=version)
    schema = etree.XMLSchema(etree.parse(str(XSD[version])))
    assert schema.validate(etree.fromstring(xml.split("\n", 2)[2])), schema.error_log
    session = QuickBooks(company_file, schema_dir=XSD_DIR).open_session("tests")
    (result,) = parse_response(session.process(xml)).results
    return SentRequest("r1", "classes", request.purpose, body, request.local_key, request.label), result
