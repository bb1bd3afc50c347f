"""The host-side Python API: companies, their settings and logins, records into the outbox (drafts
and finalizing), importables (import, ignore), status back out.

Rule: every method is one unit of work; invalid input raises ``HandledError`` subclasses whose message
names the company, record and field — and an invalid record never stops the valid ones of the same
submission or action from being stored (nothing is lost, everything refused is named in the report).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm as so

from . import host_drafts as drafts
from . import host_importables as importing
from .contract import ObjectTypeHandler, RecordRef
from .errors import HandledError
from .host_drafts import FinalizeReport
from .host_importables import IgnoreReport, ImportReport
from .host_settings import SettingView, checked_settings, settings_view
from .host_submit import SubmitReport, store_records
from .host_views import record_dict, type_status
from .registry import ObjectTypeRegistry
from .security import hash_password
from .store import importables as importable_store
from .store import outbox
from .store.models import Company, ImportStatus, RecordState, SyncRecord, WcUser
from .store.uow import unit_of_work

__all__ = ["FinalizeReport", "HostApi", "IgnoreReport", "ImportReport", "SettingView", "SubmitReport"]

class HostApi:
    def __init__(self, session_factory: so.sessionmaker[so.Session], registry: ObjectTypeRegistry,
                 clock: Callable[[], datetime]) -> None:
        self._factory, self._registry, self._clock = session_factory, registry, clock

    # --- companies and logins ------------------------------------------------------------------------

    def add_company(self, name: str, *, qb_file: str = "", settings: Mapping[str, Any] | None = None) -> None:
        """Create a company (a QuickBooks company file served by this database); ``settings`` are
        checked as ``update_settings`` checks them."""
        if not name.strip():
            raise HandledError("a company needs a name")
        checked = checked_settings(self._registry, {}, settings or {})
        with unit_of_work(self._factory) as session:
            if _company(session, name, required=False) is not None:
                raise HandledError(f"company {name!r} already exists")
            session.add(Company(name=name, qb_file=qb_file, settings=checked, created_at=self._clock()))

    def companies(self) -> list[str]:
        """The names of every company, sorted."""
        with unit_of_work(self._factory) as session:
            return list(session.scalars(sa.select(Company.name).order_by(Company.name)))

    def ensure_company(self, name: str, *, qb_file: str = "") -> None:
        with unit_of_work(self._factory) as session:
            if _company(session, name, required=False) is None:
                session.add(Company(name=name, qb_file=qb_file, settings={}, created_at=self._clock()))

    def update_settings(self, company: str, **values: Any) -> None:
        """Merge ``values`` into the company's settings (plugins read them from ``ctx.company.settings``).

        A key ``"<object type>.<name>"`` must be a ``CompanySetting`` that type declares; its value is
        stored parsed, and None removes it (back to the default). A key without a dot is stored as
        given. Any refused key raises ``HandledError`` naming it, and then nothing is changed."""
        with unit_of_work(self._factory) as session:
            row = _company(session, company)
            row.settings = checked_settings(self._registry, row.settings or {}, values)

    def company_settings(self, company: str) -> list[SettingView]:
        """Every setting the registered object types declare (value, default, help), then the other
        stored keys."""
        with unit_of_work(self._factory) as session:
            return settings_view(self._registry, dict(_company(session, company).settings or {}))

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

    def submit(self, company: str, object_type: str, records: Iterable[tuple[str, Mapping[str, Any]]],
               *, finalized: bool = False) -> SubmitReport:
        """Validate and store records; valid ones are kept even when others in the batch are refused.

        For an object type with drafts, new records are drafts (never sent) unless ``finalized``;
        ``finalized`` also finalizes the submitted records that are drafts, edited or not."""
        handler = self._handler(object_type)
        as_draft = handler.object_type.drafts and not finalized
        with unit_of_work(self._factory) as session:
            row = _company(session, company)
            resend = handler.resend_edits(dict(row.settings or {}))
            return store_records(session, row.id, handler, records, self._clock(), resend_edits=resend,
                                 as_draft=as_draft)

    def finalize(self, company: str, object_type: str, keys: Sequence[str] | None = None) -> FinalizeReport:
        """Drafts become due: those of ``keys`` (the "play"), or every draft of the type when None (the
        "double play"). A key that is no record or no draft is refused by name; the others proceed."""
        if not self._handler(object_type).object_type.drafts:
            raise HandledError(f"object type {object_type!r} has no drafts: its records are sent as soon "
                               "as they are submitted, so there is nothing to finalize")
        with unit_of_work(self._factory) as session:
            company_id = _company(session, company).id
            return drafts.finalize(session, company_id, company, object_type, keys, self._clock())

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
            return {name: type_status(session, company_id, name) for name in self._registry.names()}

    def records(self, company: str, object_type: str | None = None,
                state: str | None = None) -> list[dict[str, Any]]:
        with unit_of_work(self._factory) as session:
            query = sa.select(SyncRecord).where(SyncRecord.company_id == _company(session, company).id)
            if object_type:
                query = query.where(SyncRecord.object_type == object_type)
            if state:
                query = query.where(SyncRecord.state == state)
            return [record_dict(row) for row in session.scalars(query.order_by(SyncRecord.id))]

    def importables(self, company: str, object_type: str | None = None,
                    status: str | None = None) -> list[dict[str, Any]]:
        """Objects read from QuickBooks (by type and name), optionally of one type and one status
        (new, imported, ignored, linked)."""
        if object_type is not None:
            self._handler(object_type)
        if status is not None and status not in set(ImportStatus):
            raise HandledError(f"unknown importable status {status!r}; use one of "
                               f"{', '.join(ImportStatus)}")
        with unit_of_work(self._factory) as session:
            company_id = _company(session, company).id
            importable_store.mark_linked(session, company_id, object_type)
            return [{"object_type": row.object_type, "qb_id": row.qb_id, "name": row.name,
                     "is_active": row.is_active, "status": row.status,
                     "last_seen_at": row.last_seen_at.isoformat()}
                    for row in importable_store.listed(session, company_id, object_type, status)]

    def import_objects(self, company: str, object_type: str,
                       qb_ids: Sequence[str] | None = None) -> ImportReport:
        """Import importables chosen by QuickBooks id or name (None: every new one) as synced host
        records (``host_importables`` says how existing records are linked or refused)."""
        handler = self._handler(object_type)
        report = ImportReport()
        with unit_of_work(self._factory) as session:
            scope = importing.Scope(_company(session, company).id, company, object_type)
            items = importing.chosen(session, scope, qb_ids, report.refused)
            importing.import_rows(session, scope, handler, items, report, self._clock())
        return report

    def ignore_objects(self, company: str, object_type: str,
                       qb_ids: Sequence[str] | None = None) -> IgnoreReport:
        """Mark importables ignored (by QuickBooks id or name; None: every new one); reading them again
        keeps them ignored, and importing one later is still allowed."""
        self._handler(object_type)
        report = IgnoreReport()
        with unit_of_work(self._factory) as session:
            scope = importing.Scope(_company(session, company).id, company, object_type)
            importing.ignore_rows(importing.chosen(session, scope, qb_ids, report.refused), scope, report)
        return report

    def _handler(self, object_type: str) -> ObjectTypeHandler:
        if object_type not in self._registry:
            known = ", ".join(self._registry.names()) or "none (no plugin registered one)"
            raise HandledError(f"unknown object type {object_type!r}; known: {known}")
        return self._registry.handler(object_type)


def _company(session: so.Session, name: str, *, required: bool = True) -> Company:
    row = session.scalar(sa.select(Company).where(Company.name == name))
    if row is None and required:
        known = ", ".join(session.scalars(sa.select(Company.name).order_by(Company.name))) or "none yet"
        raise HandledError(f"no company named {name!r} (known: {known})")
    return row  # type: ignore[return-value]  # None only when not required
