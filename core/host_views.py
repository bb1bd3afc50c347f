"""Read-only views of the outbox for the host: per object type status, and one record as a dict.

Rule: these functions only read; the dicts they return are plain JSON data (dates as ISO strings).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm as so

from .store.models import RecordState, SyncMark, SyncRecord


def type_status(session: so.Session, company_id: int, object_type: str) -> dict[str, Any]:
    """Last sync date, counts by state (drafts included), failed records and their messages."""
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


def record_dict(row: SyncRecord) -> dict[str, Any]:
    return {"object_type": row.object_type, "id": row.local_key, "state": row.state, "qb_id": row.qb_id,
            "edit_sequence": row.edit_sequence, "attempts": row.attempts, "error": row.last_error,
            "changed_after_sync": row.changed_after_sync, "note": row.note,
            "synced_at": row.synced_at.isoformat() if row.synced_at else None}
