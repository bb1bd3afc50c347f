"""Importables: objects read from QuickBooks that the host may import, ignore, or already has linked.

Rule: an importable's status says what became of it — ``new`` (read, nothing decided), ``imported``
(a host record was created from it), ``ignored`` (the host does not want it; reading it again keeps it
ignored) or ``linked`` (a host record of the same type is linked to its QuickBooks id). A link is the
strongest fact: a new or ignored row whose QuickBooks id has a link of its type is ``linked``, set when
the row is read (``upsert_importables``) and whenever the host looks at or acts on importables
(``mark_linked``), so exports that link an object after it was read need not touch this table. These
functions take the unit of work's session and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm as so

from ..contract import ImportRow
from .models import Importable, ImportStatus, Link, SyncRecord

#: statuses a link overrides; ``imported`` already means linked (by the import itself)
_LINKABLE = (ImportStatus.NEW.value, ImportStatus.IGNORED.value)


def upsert_importables(session: so.Session, company_id: int, object_type: str,
                       rows: Sequence[ImportRow], now: datetime) -> int:
    """Store rows read from QuickBooks (one query for the rows, one for their links); an ignored or
    imported row keeps its status, a new or ignored one whose id is linked becomes ``linked``.
    Returns how many rows were seen for the first time."""
    ids = [row.qb_id for row in rows]
    existing = {item.qb_id: item for item in session.scalars(sa.select(Importable).where(
        Importable.company_id == company_id, Importable.object_type == object_type,
        Importable.qb_id.in_(ids)))}
    linked = set(session.scalars(sa.select(Link.qb_id).where(
        Link.company_id == company_id, Link.object_type == object_type, Link.qb_id.in_(ids))))
    added = 0
    for row in rows:
        item = existing.get(row.qb_id)
        if item is None:
            item = existing[row.qb_id] = Importable(
                company_id=company_id, object_type=object_type, qb_id=row.qb_id, status=ImportStatus.NEW,
                first_seen_at=now)
            session.add(item)
            added += 1
        item.name, item.edit_sequence, item.is_active = row.name, row.edit_sequence, row.is_active
        item.data, item.last_seen_at = dict(row.data), now
        if row.qb_id in linked and item.status in _LINKABLE:
            item.status = ImportStatus.LINKED
    return added


def mark_linked(session: so.Session, company_id: int, object_type: str | None = None) -> None:
    """One statement: every new or ignored importable (of ``object_type``, or of any type) whose
    QuickBooks id has a link of its type becomes ``linked``."""
    has_link = sa.exists().where(Link.company_id == Importable.company_id,
                                 Link.object_type == Importable.object_type, Link.qb_id == Importable.qb_id)
    query = sa.update(Importable).where(Importable.company_id == company_id,
                                        Importable.status.in_(_LINKABLE), has_link)
    if object_type is not None:
        query = query.where(Importable.object_type == object_type)
    session.execute(query.values(status=ImportStatus.LINKED.value).execution_options(
        synchronize_session=False))


def listed(session: so.Session, company_id: int, object_type: str | None = None,
           status: str | None = None) -> list[Importable]:
    """Importables of a company, by object type and name, optionally of one type and one status."""
    query = sa.select(Importable).where(Importable.company_id == company_id)
    if object_type is not None:
        query = query.where(Importable.object_type == object_type)
    if status is not None:
        query = query.where(Importable.status == status)
    return list(session.scalars(query.order_by(Importable.object_type, Importable.name, Importable.qb_id)))


def matching(session: so.Session, company_id: int, object_type: str,
             selectors: Iterable[str]) -> list[Importable]:
    """Importables of one type whose QuickBooks id or name is one of ``selectors`` (one query)."""
    wanted = list(dict.fromkeys(selectors))
    return list(session.scalars(sa.select(Importable).where(
        Importable.company_id == company_id, Importable.object_type == object_type,
        sa.or_(Importable.qb_id.in_(wanted), Importable.name.in_(wanted))).order_by(Importable.id)))


def records_for_update(session: so.Session, company_id: int, object_type: str,
                       keys: Sequence[str]) -> dict[str, SyncRecord]:
    """Records of one type by local key, locked until the transaction ends (PostgreSQL: a worker
    claiming one of them is waited for, and its committed state is what is returned)."""
    if not keys:
        return {}
    rows = session.scalars(sa.select(SyncRecord).where(
        SyncRecord.company_id == company_id, SyncRecord.object_type == object_type,
        SyncRecord.local_key.in_(list(keys))).with_for_update().execution_options(populate_existing=True))
    return {row.local_key: row for row in rows}
