"""Helpers for the invoices plugin's unit tests: records, fake contexts, and a round trip through the
QuickBooks simulator (the request as the engine would send it, the answer as the engine would parse it).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lxml import etree

from qbbridge.core.contract import (
    CompanyInfo,
    Outcome,
    QbRequest,
    QbResult,
    Record,
    RecordRef,
    SentRequest,
)
from qbbridge.core.qbxml import build
from qbbridge.core.qbxml.parse import parse_response
from qbbridge.mockqb.processor import QuickBooks
from qbbridge.mockqb.validation import find_schema_dir, validate_message_set
from qbbridge.plugins.invoices.handler import InvoiceHandler
from qbbridge.plugins.invoices.payload import clean_invoice

VERSIONS = ("13.0", "16.0")


def payload(**fields: Any) -> dict[str, Any]:
    """A valid invoice payload (one Consulting-like line of 2 × 125) with ``fields`` replaced."""
    base: dict[str, Any] = {"customer": "Acme Corp", "date": "2026-11-20",
                            "lines": [{"part": "PN-1", "quantity": 2, "rate": "125"}]}
    base.update(fields)
    return base


def invoice(key: str = "INV-7", **fields: Any) -> Record:
    """A due (finalized) invoice record with a validated payload."""
    return Record("invoices", key, clean_invoice(key, payload(**fields)), "pending")


def part(key: str = "PN-1", name: str = "Consulting", *, description: str | None = None,
         qb_id: str | None = None) -> Record:
    fields = {"name": name, **({"description": description} if description else {})}
    return Record("parts", key, fields, "synced" if qb_id else "pending", qb_id=qb_id)


def company(*, class_tracking: bool | None = True, **settings: Any) -> CompanyInfo:
    return CompanyInfo(name="Acme", qbxml_version="16.0", settings=settings, class_tracking=class_tracking)


@dataclass
class FakeExport:
    """An ``ExportContext`` over plain lists: ``invoices`` are due, ``parts`` are the outbox's parts."""

    invoices: list[Record]
    parts: list[Record] = field(default_factory=list)
    facts_: dict[str, Any] = field(default_factory=dict)
    company: CompanyInfo = field(default_factory=company)

    def due(self) -> Iterator[Record]:
        return iter(self.invoices)

    def record(self, ref: RecordRef) -> Record | None:
        pool = self.invoices if ref.object_type == "invoices" else self.parts
        return next((r for r in pool if r.object_type == ref.object_type and r.local_key == ref.local_key),
                    None)

    @property
    def facts(self) -> Mapping[str, Any]:
        return self.facts_

    def linked_key(self, qb_id: str) -> str | None:
        return next((r.local_key for r in self.invoices if r.qb_id == qb_id), None)

    def others(self, object_type: str) -> Iterator[Record]:
        return iter(self.parts if object_type == "parts" else [])


@dataclass
class FakeRead:
    invoices: list[Record]
    company: CompanyInfo = field(default_factory=company)
    last_sync_at: datetime | None = None

    def due(self) -> Iterator[Record]:
        return iter(self.invoices)


def export(ctx: FakeExport, handler: InvoiceHandler | None = None) -> list[Any]:
    return list((handler or InvoiceHandler()).export(ctx))


def message_set(request: QbRequest, version: str) -> str:
    return build.message_set([build.with_request_id(request.body, "1")], version=version)


def assert_valid_qbxml(request: QbRequest, version: str) -> None:
    """Validate the request as the engine would send it against Intuit's schema for ``version``."""
    folder = find_schema_dir()
    assert folder is not None, "the qbXML schemas (../shared/reference/xsd) were not found"
    document = etree.fromstring(message_set(request, version).encode("utf-8"))
    validate_message_set(etree.ElementTree(document), version, schema_dir=folder)


def answer(quickbooks: QuickBooks, request: QbRequest, version: str = "16.0") -> QbResult:
    """QuickBooks' answer to ``request`` (sent alone in a message set), parsed as the engine parses it."""
    session = quickbooks.open_session()
    try:
        (result,) = parse_response(session.process(message_set(request, version))).results
    finally:
        session.close()
    return result


def sent(request: QbRequest) -> SentRequest:
    body = build.with_request_id(request.body, "1")
    return SentRequest(request_id="1", object_type="invoices", purpose=request.purpose, body=body,
                       local_key=request.local_key, label=request.label, context=dict(request.context))


def round_trip(quickbooks: QuickBooks, request: QbRequest, version: str = "16.0",
               handler: InvoiceHandler | None = None) -> list[Outcome]:
    """Send ``request`` to the simulator and hand the answer to the handler's ``acknowledge``."""
    result = answer(quickbooks, request, version)
    return list((handler or InvoiceHandler()).acknowledge(sent(request), result))


def list_id(quickbooks: QuickBooks, kind: str, full_name: str) -> str:
    found = quickbooks.company.find_by_name((kind,), full_name)
    assert found is not None, f"{kind} {full_name!r} is not in the sample company"
    return found[1]["ListID"]
