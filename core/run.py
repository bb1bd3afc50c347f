"""One update's working context inside one SOAP call: the unit of work, the rows and the plan.

Rule: a ``Run`` lives for exactly one SOAP call and one transaction; it is rebuilt from the database
on the next call, so nothing in it may be relied on between calls except what ``Plan`` persists.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm as so

from .config import Settings
from .contract import CompanyInfo, Record, RecordRef
from .engine.plan import Plan
from .events import Event, event_kind
from .plugins import Hooks
from .registry import ObjectTypeRegistry
from .store import outbox
from .store.claim import iter_due
from .store.models import Company, Link, Update


@dataclass
class Run:
    session: so.Session
    company: Company
    update: Update
    plan: Plan
    registry: ObjectTypeRegistry
    hooks: Hooks
    settings: Settings
    now: datetime
    emitted: list[Event] = field(default_factory=list)  # handed to qb_track_event after the commit
    log: list[tuple[str, str | None, str | None, str]] = field(default_factory=list)  # event log rows

    def company_info(self) -> CompanyInfo:
        host = self.plan.host
        return CompanyInfo(name=self.company.name, qbxml_version=self.plan.qbxml_version or "13.0",
                           settings=dict(self.company.settings or {}), country=host.get("country") or "US",
                           product=host.get("product", ""), class_tracking=host.get("class_tracking"))

    def emit(self, event: Event, message: str) -> None:
        """Record ``event``: written to the event log by ``flush_log`` in this call's transaction; hooks
        see it once that transaction committed."""
        self.emitted.append(event)
        self.log.append((event_kind(event), getattr(event, "object_type", None),
                         getattr(event, "local_key", None), message))

    def flush_log(self) -> None:
        """Write the call's event log rows in one statement."""
        if self.log:
            outbox.log_events(self.session, self.company.id, self.update.id, self.log, self.now)
            self.log = []


@dataclass
class ReadView:
    """``ReadContext`` for handlers: ``due``/``others`` stream pending records, read-only."""

    company: CompanyInfo
    last_sync_at: datetime | None
    last_read_at: datetime | None
    now: datetime
    session: so.Session
    company_id: int
    object_type: str

    def due(self) -> Iterator[Record]:
        return due_records(self.session, self.company_id, self.object_type)

    def others(self, object_type: str) -> Iterator[Record]:
        return due_records(self.session, self.company_id, object_type)


def due_records(session: so.Session, company_id: int, object_type: str) -> Iterator[Record]:
    """Pending records of one object type, oldest first, read-only (nothing is claimed)."""
    for row in iter_due(session, company_id=company_id, object_type=object_type, exclude_update_id=None):
        yield outbox.record_view(row)


class ExportView:
    """``ExportContext`` for one object type: due records streamed from the store, read-only."""

    def __init__(self, run: Run, object_type: str) -> None:
        self.company = run.company_info()
        self._run, self._object_type = run, object_type
        self.rows: dict[str, object] = {}  # local_key -> SyncRecord handed out, for the caller to claim

    def due(self) -> Iterator[Record]:
        run = self._run
        for row in iter_due(run.session, company_id=run.company.id, object_type=self._object_type,
                            exclude_update_id=run.update.id, chunk=max(run.settings.batch_size, 50),
                            claim=True):
            self.rows[row.local_key] = row
            yield outbox.record_view(row)

    def record(self, ref: RecordRef) -> Record | None:
        row = outbox.find_record(self._run.session, self._run.company.id, ref)
        return None if row is None else outbox.record_view(row)

    @property
    def facts(self) -> Mapping[str, Any]:
        return self._run.plan.facts.get(self._object_type, {})

    def linked_key(self, qb_id: str) -> str | None:
        run = self._run
        run.session.flush()  # links added earlier in this call count
        return run.session.scalar(sa.select(Link.local_key).where(
            Link.company_id == run.company.id, Link.object_type == self._object_type, Link.qb_id == qb_id))

    def others(self, object_type: str) -> Iterator[Record]:
        return due_records(self._run.session, self._run.company.id, object_type)
