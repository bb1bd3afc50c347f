"""The host-side Python API: companies and logins, records into the outbox, status back out.

Rule: every method is one unit of work; invalid input raises ``HandledError`` subclasses whose message
names the company, record and field — and an invalid record never stops the valid ones of the same
submission from being stored (nothing is lost, everything refused is named).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm as so

from .contract import InvalidRecord, RecordRef
from .errors import HandledError
from .registry import ObjectTypeRegistry
from .security import hash_password
from .store import outbox
from .store.models import Company, Importable, RecordState, SyncMark, SyncRecord, WcUser
from .store.uow import unit_of_work

MAX_KEY_LENGTH = 200
SUBMIT_CHUNK = 500


@dataclass
class SubmitReport:
    """What one submission did: counts by outcome and every refused record with its reason."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    changed_after_sync: int = 0
    invalid: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> None:
        name = outcome.replace(" ", "_")
        setattr(self, name, getattr(self, name) + 1)


class HostApi:
    def __init__(self, session_factory: so.sessionmaker[so.Session], registry: ObjectTypeRegistry,
                 clock: Callable[[], datetime]) -> None:
        self._factory, self._registry, self._clock = session_factory, registry, clock

    # --- companies and logins ------------------------------------------------------------------------

    def add_company(self, name: str, *, qb_file: str = "", settings: Mapping[str, Any] | None = None) -> None:
        """Create a company (a QuickBooks company file served by this database)."""
        if not name.strip():
            raise HandledError("a company needs a name")
        with unit_of_work(self._factory) as session:
            if _company(session, name, required=False) is not None:
                raise HandledError(f"company {name!r} already exists")
            session.add(Company(name=name, qb_file=qb_file, settings=dict(settings or {}),
                                created_at=self._clock()))

    def companies(self) -> list[str]:
        """The names of every company, sorted."""
        with unit_of_work(self._factory) as session:
            return list(session.scalars(sa.select(Company.name).order_by(Company.name)))

    def ensure_company(self, name: str, *, qb_file: str = "") -> None:
        with unit_of_work(self._factory) as session:
            if _company(session, name, required=False) is None:
                session.add(Company(name=name, qb_file=qb_file, settings={}, created_at=self._clock()))

    def update_settings(self, company: str, **values: Any) -> None:
        """Merge ``values`` into the company's settings (plugins read them from ``ctx.company.settings``)."""
        with unit_of_work(self._factory) as session:
            row = _company(session, company)
            row.settings = {**(row.settings or {}), **values}

    def add_user(self, username: str, password: str, company: str) -> None:
        """Create a Web Connector login for ``company``; the password is stored as a scrypt hash only."""
        if not username.strip():
            raise HandledError("a Web Connector user needs a name")
        try:
            hashed = hash_password(password)
        except ValueError as exc:
            raise HandledError(str(exc)) from exc
        with unit_of_work(self._factory) as session:
            row = _company(session, company)
            if session.scalar(sa.select(WcUser).where(WcUser.username == username)) is not None:
                raise HandledError(f"Web Connector user {username!r} already exists")
            session.add(WcUser(username=username, company_id=row.id, password_hash=hashed,
                               created_at=self._clock()))

    # --- records in ----------------------------------------------------------------------------------

    def submit(self, company: str, object_type: str,
               records: Iterable[tuple[str, Mapping[str, Any]]]) -> SubmitReport:
        """Validate and store records; valid ones are kept even when others in the batch are refused."""
        handler = self._registry.handler(object_type)
        report = SubmitReport()
        with unit_of_work(self._factory) as session:
            row = _company(session, company)
            company_id, resend = row.id, handler.resend_edits(dict(row.settings or {}))
            now = self._clock()
            for chunk in _chunks(records, SUBMIT_CHUNK):  # one query per chunk, not per record
                valid = self._validated(handler, object_type, chunk, report)
                known = outbox.records_by_keys(session, company_id,
                                               [RecordRef(object_type, key) for key, _ in valid])
                for local_key, clean in valid:
                    outcome = outbox.submit_record(session, company_id, object_type, local_key, clean, now,
                                                   known=known, resend_edits=resend)
                    self._tally(report, object_type, local_key, outcome)
        return report

    @staticmethod
    def _validated(handler: Any, object_type: str, chunk: Iterable[tuple[str, Mapping[str, Any]]],
                   report: SubmitReport) -> list[tuple[str, Mapping[str, Any]]]:
        valid = []
        for local_key, payload in chunk:
            try:
                valid.append((local_key, handler.validate(_checked_key(object_type, local_key), payload)))
            except InvalidRecord as exc:
                report.invalid.append(f"{object_type} {exc.local_key!r}: {exc.field_name}: {exc.problem}")
        return valid

    @staticmethod
    def _tally(report: SubmitReport, object_type: str, local_key: str, outcome: str) -> None:
        if outcome == "busy":
            report.invalid.append(f"{object_type} {local_key!r}: is being synced right now (its answer is "
                                  "awaited or being recovered); submit the change again after the next "
                                  "update")
        else:
            report.count(outcome)

    def resolve(self, company: str, object_type: str, local_key: str, *, qb_id: str | None = None) -> str:
        """Settle an uncertain record by hand, after checking QuickBooks: ``qb_id`` given → it is there
        (linked, never sent again); None → it is not (pending, sent by the next update)."""
        with unit_of_work(self._factory) as session:
            company_id = _company(session, company).id
            row = outbox.find_record(session, company_id, RecordRef(object_type, local_key))
            if row is None:
                raise HandledError(f"no {object_type} record {local_key!r} in company {company!r}")
            if row.state != RecordState.UNCERTAIN:
                raise HandledError(f"{object_type} {local_key!r} is {row.state}, not uncertain; "
                                   "nothing to do")
            now = self._clock()
            if qb_id:
                outbox.mark_synced(session, row, qb_id, None, "linked by hand after a lost answer", now)
                return "synced"
            outbox.mark_pending(row, now)
            return "pending"

    # --- status out ----------------------------------------------------------------------------------

    def status(self, company: str) -> dict[str, dict[str, Any]]:
        """Per object type: last sync date, counts by state, and the messages of failed records."""
        with unit_of_work(self._factory) as session:
            company_id = _company(session, company).id
            return {name: _type_status(session, company_id, name) for name in self._registry.names()}

    def records(self, company: str, object_type: str | None = None,
                state: str | None = None) -> list[dict[str, Any]]:
        with unit_of_work(self._factory) as session:
            query = sa.select(SyncRecord).where(SyncRecord.company_id == _company(session, company).id)
            if object_type:
                query = query.where(SyncRecord.object_type == object_type)
            if state:
                query = query.where(SyncRecord.state == state)
            return [_record_dict(row) for row in session.scalars(query.order_by(SyncRecord.id))]

    def importables(self, company: str, object_type: str | None = None) -> list[dict[str, Any]]:
        with unit_of_work(self._factory) as session:
            query = sa.select(Importable).where(Importable.company_id == _company(session, company).id)
            if object_type:
                query = query.where(Importable.object_type == object_type)
            return [{"object_type": row.object_type, "qb_id": row.qb_id, "name": row.name,
                     "is_active": row.is_active, "status": row.status}
                    for row in session.scalars(query.order_by(Importable.object_type, Importable.name))]


def _chunks(items: Iterable[Any], size: int) -> Iterable[list[Any]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _company(session: so.Session, name: str, *, required: bool = True) -> Company:
    row = session.scalar(sa.select(Company).where(Company.name == name))
    if row is None and required:
        known = ", ".join(session.scalars(sa.select(Company.name).order_by(Company.name))) or "none yet"
        raise HandledError(f"no company named {name!r} (known: {known})")
    return row  # type: ignore[return-value]  # None only when not required


def _checked_key(object_type: str, local_key: object) -> str:
    if not isinstance(local_key, str) or not local_key.strip():
        raise InvalidRecord(str(local_key), "id", "every record needs a non-empty id")
    if len(local_key) > MAX_KEY_LENGTH:
        raise InvalidRecord(local_key[:40] + "…", "id", f"ids are at most {MAX_KEY_LENGTH} characters")
    return local_key


def _type_status(session: so.Session, company_id: int, object_type: str) -> dict[str, Any]:
    counts = dict(session.execute(sa.select(SyncRecord.state, sa.func.count()).where(
        SyncRecord.company_id == company_id, SyncRecord.object_type == object_type,
    ).group_by(SyncRecord.state)).tuples().all())
    failed = session.execute(sa.select(SyncRecord.local_key, SyncRecord.last_error).where(
        SyncRecord.company_id == company_id, SyncRecord.object_type == object_type,
        SyncRecord.last_error.is_not(None), SyncRecord.state != RecordState.SYNCED,
    ).order_by(SyncRecord.id).limit(100)).tuples().all()
    changed = session.scalar(sa.select(sa.func.count()).where(
        SyncRecord.company_id == company_id, SyncRecord.object_type == object_type,
        SyncRecord.changed_after_sync.is_(True)))
    mark = session.scalar(sa.select(SyncMark.last_sync_at).where(
        SyncMark.company_id == company_id, SyncMark.object_type == object_type))
    return {"last_sync": mark.isoformat() if mark else None,
            **{state.value: counts.get(state.value, 0) for state in RecordState},
            "failed": len(failed), "changed_after_sync": changed or 0,
            "errors": [{"id": key, "message": message} for key, message in failed]}


def _record_dict(row: SyncRecord) -> dict[str, Any]:
    return {"object_type": row.object_type, "id": row.local_key, "state": row.state, "qb_id": row.qb_id,
            "edit_sequence": row.edit_sequence, "attempts": row.attempts, "error": row.last_error,
            "changed_after_sync": row.changed_after_sync, "note": row.note,
            "synced_at": row.synced_at.isoformat() if row.synced_at else None}
