"""Plain helpers for the parts plugin's tests (fixtures are in conftest.py).

- ``ReadCtx`` / ``ExportCtx``: in-memory ``ReadContext`` / ``ExportContext`` (no database).
- ``company``, ``part``, ``invoice``: the values handlers see.
- ``Simulator``: sends a handler's ``QbRequest`` to the QuickBooks simulator the way the engine does
  (a ``requestID``, iterator pages) at one qbXML version, after checking the message set against that
  version's XSD, and returns what ``acknowledge`` made of each answer.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lxml import etree

from qbbridge.core import CompanyInfo, Outcome, QbRequest, QbResult, Record, RecordRef, SentRequest
from qbbridge.core.qbxml import build
from qbbridge.core.qbxml.parse import parse_response
from qbbridge.mockqb.company import CompanyFile
from qbbridge.mockqb.processor import QuickBooks
from qbbridge.plugins.parts.handler import PartsHandler

XSD_DIR = Path(__file__).resolve().parents[4] / "shared" / "reference" / "xsd"
XSD = {"13.0": XSD_DIR / "qbxml130" / "qbxmlops130.xsd", "16.0": XSD_DIR / "qbxml160" / "qbxmlops160.xsd"}
HANDLER = PartsHandler()


def company(**settings: Any) -> CompanyInfo:
    """A company whose settings are ``settings`` with ``__`` for the dot: ``parts__income_account=…``."""
    return CompanyInfo(name="Acme", qbxml_version="13.0",
                       settings={key.replace("__", "."): value for key, value in settings.items()})


def part(key: str, name: str, *, qb_id: str | None = None, **fields: Any) -> Record:
    """A due part, its payload as ``validate`` stores it."""
    payload = HANDLER.validate(key, {"name": name, **fields})
    return Record("parts", key, payload, "synced" if qb_id else "pending", qb_id=qb_id)


def invoice(key: str, *part_keys: str) -> Record:
    lines = [{"part": part_key, "quantity": "1", "rate": "10"} for part_key in part_keys]
    return Record("invoices", key, {"customer": "Acme Corp", "date": "2026-11-20", "lines": lines}, "pending")


@dataclass
class ReadCtx:
    company: CompanyInfo
    last_sync_at: datetime | None = None
    last_read_at: datetime | None = None
    now: datetime = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    records: list[Record] = field(default_factory=list)
    invoices: list[Record] = field(default_factory=list)

    def due(self) -> Iterator[Record]:
        return iter(self.records)

    def others(self, object_type: str) -> Iterator[Record]:
        return iter(self.invoices if object_type == "invoices" else [])


@dataclass
class ExportCtx:
    company: CompanyInfo
    records: list[Record] = field(default_factory=list)
    invoices: list[Record] = field(default_factory=list)
    facts: Mapping[str, Any] = field(default_factory=dict)
    asked_for: list[str] = field(default_factory=list)  # the object types others() was asked about

    def due(self) -> Iterator[Record]:
        return iter(self.records)

    def others(self, object_type: str) -> Iterator[Record]:
        self.asked_for.append(object_type)
        return iter(self.invoices if object_type == "invoices" else [])

    def record(self, ref: RecordRef) -> Record | None:
        return next((r for r in self.records if r.local_key == ref.local_key), None)

    def linked_key(self, qb_id: str) -> str | None:
        return None


class Simulator:
    """One QuickBooks session on ``company_file`` at qbXML ``version``."""

    def __init__(self, company_file: CompanyFile, version: str) -> None:
        self.company = company_file
        self.version = version
        self.schema = etree.XMLSchema(etree.parse(str(XSD[version])))
        self.session = QuickBooks(company_file, schema_dir=XSD_DIR).open_session("tests")
        self.sent: list[str] = []  # every message set, as sent

    def answers(self, request: QbRequest, object_type: str = "parts") -> list[tuple[SentRequest, QbResult]]:
        """Each page's (sent request, answer): one pair, or one per iterator page."""
        body = build.iterator_start(request.body) if request.iterate else request.body
        pairs = []
        while True:
            sent_body = build.with_request_id(body, f"r{len(self.sent) + 1}")
            xml = build.message_set([sent_body], version=self.version)
            assert self.schema.validate(etree.fromstring(xml.split("\n", 2)[2])), self.schema.error_log
            self.sent.append(xml)
            (result,) = parse_response(self.session.process(xml)).results
            pairs.append((SentRequest(sent_body.get("requestID"), object_type, request.purpose, sent_body,
                                      request.local_key, request.label), result))
            if not (request.iterate and result.iterator_id and result.remaining):
                return pairs
            body = build.iterator_continue(request.body, result.iterator_id)

    def acknowledged(self, request: QbRequest, handler: Any = HANDLER) -> list[Outcome]:
        """Every outcome ``handler.acknowledge`` gives for the answers to ``request``."""
        return [outcome for sent, result in self.answers(request, handler.object_type.name)
                for outcome in handler.acknowledge(sent, result)]
