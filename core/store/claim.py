"""Finding and claiming due outbox records.

Rule: a worker only exports records it has claimed in its own transaction. ``claim_due`` locks what it
returns until that transaction ends: on PostgreSQL with ``FOR UPDATE SKIP LOCKED``, so two workers never
claim the same row and neither waits for the other; on SQLite every transaction already holds the write
lock from its first statement (``BEGIN IMMEDIATE``, see uow.py), so a plain select is enough.
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy import orm as so

from .models import RecordState, SyncRecord


def due_query(
    *, company_id: int, object_type: str, exclude_update_id: int | None,
) -> sa.Select[tuple[SyncRecord]]:
    """Pending records of one company and object type, oldest first, leaving out those that update
    ``exclude_update_id`` already tried (a record that failed is not retried in the same update)."""
    query = (
        sa.select(SyncRecord)
        .where(SyncRecord.company_id == company_id, SyncRecord.object_type == object_type,
               SyncRecord.state == RecordState.PENDING.value)
        .order_by(SyncRecord.id)
    )
    if exclude_update_id is not None:
        query = query.where(sa.or_(SyncRecord.attempted_update_id.is_(None),
                                   SyncRecord.attempted_update_id != exclude_update_id))
    return query


def claim_due(session: so.Session, *, company_id: int, object_type: str, exclude_update_id: int | None,
              limit: int) -> list[SyncRecord]:
    """At most ``limit`` due records (see ``due_query``), oldest id first, locked for the session's
    transaction. Rows another transaction holds are skipped, not waited for. The caller changes their
    state (e.g. to in_flight) in the same transaction; claiming itself writes nothing."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    query = due_query(company_id=company_id, object_type=object_type, exclude_update_id=exclude_update_id)
    # SQLite renders no FOR UPDATE clause; PostgreSQL does. populate_existing refreshes rows already in
    # the session, so a caller never decides on a copy loaded before the lock was taken.
    query = query.limit(limit).with_for_update(skip_locked=True).execution_options(populate_existing=True)
    return list(session.scalars(query))


def iter_due(session: so.Session, *, company_id: int, object_type: str, exclude_update_id: int | None,
             chunk: int = 500, claim: bool = False) -> Iterator[SyncRecord]:
    """Every due record (see ``due_query``) in id order, fetched ``chunk`` rows per SELECT by keyset
    pagination (``id > last id seen``), so memory stays bounded however long the outbox is. With
    ``claim`` each page is claimed as ``claim_due`` does (locked, rows held by others skipped)."""
    if chunk < 1:
        raise ValueError(f"chunk must be at least 1, not {chunk}")
    query = due_query(company_id=company_id, object_type=object_type, exclude_update_id=exclude_update_id)
    last_id: int | None = None
    while True:
        page = (query if last_id is None else query.where(SyncRecord.id > last_id)).limit(chunk)
        if claim:
            page = page.with_for_update(skip_locked=True).execution_options(populate_existing=True)
        rows = session.scalars(page).all()
        yield from rows
        if len(rows) < chunk:
            return
        last_id = rows[-1].id
