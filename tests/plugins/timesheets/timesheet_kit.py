"""Helpers for the timesheets plugin's unit tests: fake contexts, blocks, and one request through the
QuickBooks simulator exactly as the engine sends it and hands the answer back.

No database: the contexts are plain objects satisfying ``ReadContext``/``ExportContext``.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from lxml import etree

from qbbridge.core import CompanyInfo, Purpose, QbRequest, QbResult, Record, SentRequest
from qbbridge.core.qbxml import build, parse
from qbbridge.mockqb.processor import QuickBooks
from qbbridge.plugins.timesheets import TimesheetsHandler

HANDLER = TimesheetsHandler()
_SET_IDS = itertools.count(1)


def company(**settings: Any) -> CompanyInfo:
    """A company whose ``timesheets.<name>`` settings are ``settings``."""
    return CompanyInfo(name="Sample", qbxml_version="16.0",
                       settings={f"timesheets.{name}": value for name, value in settings.items()})


def block(key: str, *, qb_id: str | None = None, edit_sequence: str | None = None, attempts: int = 0,
          synced: Mapping[str, Any] | None = None, **fields: Any) -> Record:
    """A due record with the normalised payload of ``fields`` (employee Jane Doe, 2026-11-20, 8h by
    default; a field given as None is left out). ``synced`` is what QuickBooks was given before."""
    payload = {"employee": "Jane Doe", "date": "2026-11-20", "hours": 8, **fields}
    payload = {name: value for name, value in payload.items() if value is not None}
    return Record("timesheets", key, HANDLER.validate(key, payload), state="pending", qb_id=qb_id,
                  edit_sequence=edit_sequence, attempts=attempts, synced_payload=synced,
                  changed_after_sync=synced is not None)


@dataclass
class Reading:
    """A ``ReadContext``."""

    records: tuple[Record, ...] = ()
    company: CompanyInfo = field(default_factory=company)
    last_sync_at: None = None
    last_read_at: None = None
    now: datetime = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

    def due(self) -> Iterator[Record]:
        return iter(self.records)

    def others(self, object_type: str) -> Iterator[Record]:
        return iter(())


@dataclass
class Outbox:
    """An ``ExportContext``: due records, this update's facts and the links already made."""

    records: tuple[Record, ...] = ()
    company: CompanyInfo = field(default_factory=company)
    facts: Mapping[str, Any] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)  # qb_id -> local key

    def due(self) -> Iterator[Record]:
        return iter(self.records)

    def record(self, ref: Any) -> Record | None:
        return None

    def linked_key(self, qb_id: str) -> str | None:
        return self.links.get(qb_id)

    def others(self, object_type: str) -> Iterator[Record]:
        return iter(())


def export(*records: Record, **context: Any) -> list[Any]:
    return list(HANDLER.export(Outbox(records=records, **context)))


def send(quickbooks: QuickBooks, request: QbRequest, *, version: str = "16.0",
         session: Any = None) -> tuple[SentRequest, QbResult]:
    """Send ``request`` alone in a message set (as the engine builds it, iterator started when asked)
    and return what ``acknowledge`` receives: the body as the engine stored it, and the parsed answer."""
    xml = message_set_of(request, version)
    answer = (session or quickbooks.open_session()).process(xml)
    (result,) = parse.parse_response(answer).results
    stored = etree.fromstring(etree.tostring(request.body, encoding="unicode"))
    context = json.loads(json.dumps(dict(request.context)))  # kept as JSON with the route, as by the engine
    sent = SentRequest("r1", "timesheets", request.purpose, stored, request.local_key, request.label, context)
    return sent, result


def acknowledge(quickbooks: QuickBooks, request: QbRequest, **options: Any) -> list[Any]:
    return list(HANDLER.acknowledge(*send(quickbooks, request, **options)))


def list_id(quickbooks: QuickBooks, kind: str, full_name: str) -> str:
    return quickbooks.company.find_by_name((kind,), full_name)[1]["ListID"]


def entries(quickbooks: QuickBooks) -> list[dict[str, Any]]:
    return list(quickbooks.company.records("TimeTracking"))


def message_set_of(request: QbRequest, version: str) -> str:
    """The qbXML text of ``request`` alone, as the engine writes it: write sets carry a new message set
    id (error recovery), queries none."""
    body = build.with_request_id(request.body, "r1")
    if request.iterate:
        body = build.iterator_start(body)
    set_id = f"set-{next(_SET_IDS)}" if request.purpose is Purpose.EXPORT else None
    return build.message_set([body], version=version, new_message_set_id=set_id)
