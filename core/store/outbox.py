"""The outbox: state changes of sync records, and the event log (links: links.py; importables:
importables.py, both re-exported here).

Rule: these functions receive the unit of work's session and never commit; every state change of a
record goes through one of them, so the transitions of DESIGN.md §5 (plus draft → pending when the host
finalizes, and synced records created by an import) are all visible here. Bulk operations take whole
message sets at once: no query per record on the hot path.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm as so

from ..contract import Record, RecordRef
from .importables import upsert_importables  # noqa: F401 - part of the outbox's interface (receiving)
from .links import preload_links, upsert_link  # noqa: F401 - part of the outbox's interface (receiving)
from .models import (
    Event,
    MessageSet,
    RecordState,
    SetState,
    SyncMark,
    SyncRecord,
)


def payload_digest(payload: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def record_view(row: SyncRecord) -> Record:
    return Record(object_type=row.object_type, local_key=row.local_key, payload=dict(row.payload),
                  state=row.state, qb_id=row.qb_id, edit_sequence=row.edit_sequence, attempts=row.attempts,
                  last_error=row.last_error, synced_payload=row.synced_payload,
                  changed_after_sync=row.changed_after_sync, note=row.note or "")


def submit_record(session: so.Session, company_id: int, object_type: str, local_key: str,
                  payload: Mapping[str, Any], now: datetime,
                  known: dict[tuple[str, str], SyncRecord] | None = None, *,
                  resend_edits: bool = False, as_draft: bool = False) -> str:
    """Add or update one host record; return "added", "updated", "changed after sync", "unchanged" or
    "busy".

    A new or edited unsent record is pending. With ``as_draft`` (an object type with drafts, submitted
    without finalizing) a new record is a draft and an edited draft stays one; without it a draft, even
    unchanged, is finalized ("updated"), and a finalized unsent record never goes back to draft. A
    synced record keeps its state and its ``synced_payload`` (what QuickBooks has is not touched); the
    new payload is stored and the record flagged ``changed_after_sync`` (seed rule S7); with
    ``resend_edits`` (the plugin's update policy) it is also due again, keeping its QuickBooks id and
    EditSequence, so the plugin sends a Mod. A record in flight or uncertain is left as it was sent
    ("busy"): recovery must look it up by the values QuickBooks was given.
    ``known`` maps (object_type, local_key) to rows the caller loaded in bulk (``records_by_keys``); a
    key missing from it is new, and the row added for it is put there.
    """
    digest = payload_digest(payload)
    if known is None:
        row = find_record(session, company_id, RecordRef(object_type, local_key))
    else:
        row = known.get((object_type, local_key))
    if row is None:
        row = SyncRecord(company_id=company_id, object_type=object_type, local_key=local_key,
                         payload=dict(payload), payload_hash=digest,
                         state=RecordState.DRAFT if as_draft else RecordState.PENDING,
                         submitted_at=now, updated_at=now)
        session.add(row)
        if known is not None:
            known[(object_type, local_key)] = row
        return "added"
    if row.state == RecordState.DRAFT:
        if as_draft and row.payload_hash == digest:
            return "unchanged"
        row.payload, row.payload_hash, row.updated_at = dict(payload), digest, now
        row.state = RecordState.DRAFT if as_draft else RecordState.PENDING
        return "updated"
    if row.payload_hash == digest:
        return "unchanged"
    if row.state in (RecordState.IN_FLIGHT, RecordState.UNCERTAIN):
        return "busy"
    row.payload, row.payload_hash, row.updated_at = dict(payload), digest, now
    if row.state in (RecordState.PENDING, RecordState.REJECTED, RecordState.HELD):
        row.state, row.last_error, row.last_status_code = RecordState.PENDING, None, None
        return "updated"
    row.changed_after_sync = True
    if resend_edits:
        row.state, row.last_error, row.last_status_code = RecordState.PENDING, None, None
    return "changed after sync"


def finalize_drafts(session: so.Session, company_id: int, object_type: str,
                    keys: Sequence[str] | None, now: datetime) -> list[str]:
    """Drafts of one type become pending (due): those of ``keys``, or every one when ``keys`` is None.
    A rejected record is finalized again too (the host fixed what it referred to, e.g. submitted the
    missing part, and plays it again). One statement; returns the local keys it finalized (keys that are
    neither drafts nor rejected are left alone)."""
    playable = [RecordState.DRAFT.value, RecordState.REJECTED.value]
    query = sa.update(SyncRecord).where(SyncRecord.company_id == company_id,
                                        SyncRecord.object_type == object_type, SyncRecord.state.in_(playable))
    if keys is not None:
        query = query.where(SyncRecord.local_key.in_(list(keys)))
    query = query.values(state=RecordState.PENDING.value, last_error=None, last_status_code=None,
                         updated_at=now).returning(SyncRecord.local_key)
    return list(session.scalars(query.execution_options(synchronize_session=False)))


def add_synced(session: so.Session, company_id: int, object_type: str, local_key: str,
               payload: Mapping[str, Any], qb_id: str, edit_sequence: str | None, note: str,
               now: datetime) -> SyncRecord:
    """A record that starts out synced, with its link: created from an object read in QuickBooks."""
    row = SyncRecord(company_id=company_id, object_type=object_type, local_key=local_key,
                     payload=dict(payload), payload_hash=payload_digest(payload), state=RecordState.SYNCED,
                     submitted_at=now, updated_at=now)
    session.add(row)
    mark_synced(session, row, qb_id, edit_sequence, note, now)
    return row


def find_record(session: so.Session, company_id: int, ref: RecordRef) -> SyncRecord | None:
    return session.scalar(sa.select(SyncRecord).where(
        SyncRecord.company_id == company_id, SyncRecord.object_type == ref.object_type,
        SyncRecord.local_key == ref.local_key))


def records_of_set(session: so.Session, set_id: str) -> dict[tuple[str, str], SyncRecord]:
    rows = session.scalars(sa.select(SyncRecord).where(SyncRecord.message_set_id == set_id))
    return {(row.object_type, row.local_key): row for row in rows}


def records_by_keys(session: so.Session, company_id: int,
                    refs: Iterable[RecordRef]) -> dict[tuple[str, str], SyncRecord]:
    """Load many records in one query per object type, locked until the transaction ends: the host
    changes what it loads here, and a worker that claimed one of them (PostgreSQL) is waited for, so the
    host sees its committed state — in flight — and never edits a payload QuickBooks is about to get."""
    by_type: dict[str, list[str]] = {}
    for ref in refs:
        by_type.setdefault(ref.object_type, []).append(ref.local_key)
    found: dict[tuple[str, str], SyncRecord] = {}
    for object_type, keys in by_type.items():
        rows = session.scalars(sa.select(SyncRecord).where(
            SyncRecord.company_id == company_id, SyncRecord.object_type == object_type,
            SyncRecord.local_key.in_(keys)).with_for_update().execution_options(populate_existing=True))
        found.update({(row.object_type, row.local_key): row for row in rows})
    return found


def mark_in_flight(rows: Sequence[SyncRecord], set_id: str, update_id: int, now: datetime) -> None:
    for row in rows:
        row.state, row.message_set_id, row.attempted_update_id = RecordState.IN_FLIGHT, set_id, update_id
        row.attempts += 1
        row.updated_at = now


def mark_synced(session: so.Session, row: SyncRecord, qb_id: str, edit_sequence: str | None,
                note: str, now: datetime) -> None:
    row.state, row.qb_id, row.edit_sequence = RecordState.SYNCED, qb_id, edit_sequence
    row.synced_payload, row.changed_after_sync = dict(row.payload), False
    row.last_error, row.last_status_code, row.note = None, None, note[:200]
    row.synced_at = row.updated_at = now
    upsert_link(session, row.company_id, row.object_type, row.local_key, qb_id, edit_sequence, now)


def mark_pending(row: SyncRecord, now: datetime, error: str | None = None,
                 status_code: int | None = None) -> None:
    """Back to pending: not processed by QuickBooks, or refused (the error is kept and shown)."""
    row.state, row.message_set_id, row.updated_at = RecordState.PENDING, None, now
    if error is not None:
        row.last_error, row.last_status_code = error, status_code


def mark_state(row: SyncRecord, state: RecordState, now: datetime, reason: str | None = None) -> None:
    """Rejected, held or uncertain, with the reason people will read."""
    row.state, row.updated_at = state, now
    if reason is not None:
        row.last_error = reason
    if state is not RecordState.UNCERTAIN:
        row.message_set_id = None


def release_held(session: so.Session, company_id: int, now: datetime) -> None:
    """Held records get another chance in every new update: what they waited on may be fixed."""
    session.execute(sa.update(SyncRecord).where(
        SyncRecord.company_id == company_id, SyncRecord.state == RecordState.HELD,
    ).values(state=RecordState.PENDING, updated_at=now))


def uncertain_set_ids(session: so.Session, company_id: int) -> list[str]:
    return list(session.scalars(sa.select(MessageSet.id).where(
        MessageSet.company_id == company_id, MessageSet.state == SetState.UNCERTAIN,
    ).order_by(MessageSet.created_at, MessageSet.id)))


def has_due(session: so.Session, company_id: int, object_types: Sequence[str]) -> bool:
    due_states = (RecordState.PENDING, RecordState.HELD, RecordState.UNCERTAIN)
    session.flush()  # a Core EXISTS select does not autoflush; see has_due_now
    return session.scalar(sa.select(sa.exists().where(
        SyncRecord.company_id == company_id, SyncRecord.object_type.in_(object_types),
        SyncRecord.state.in_(due_states)))) or False


def count_due(session: so.Session, company_id: int, object_types: Sequence[str]) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(SyncRecord).where(
        SyncRecord.company_id == company_id, SyncRecord.object_type.in_(object_types),
        SyncRecord.state == RecordState.PENDING)) or 0


def log_events(session: so.Session, company_id: int, update_id: int | None,
               entries: Iterable[tuple[str, str | None, str | None, str]], now: datetime) -> None:
    """Append ``(kind, object_type, local_key, message)`` entries to the event log in one statement."""
    rows = [{"company_id": company_id, "update_id": update_id, "kind": kind, "object_type": object_type,
             "local_key": local_key, "message": message, "at": now}
            for kind, object_type, local_key, message in entries]
    if rows:
        session.execute(sa.insert(Event), rows)


def has_due_now(session: so.Session, company_id: int, object_types: Sequence[str], update_id: int) -> bool:
    """Pending records of these types that this update has not tried yet."""
    # select(exists()) names no ORM entity, so the session does not autoflush before it: without this
    # flush a record set back to pending earlier in the same call (a lookup found it absent) is missed.
    session.flush()
    return session.scalar(sa.select(sa.exists().where(
        SyncRecord.company_id == company_id, SyncRecord.object_type.in_(object_types),
        SyncRecord.state == RecordState.PENDING,
        sa.or_(SyncRecord.attempted_update_id.is_(None),
               SyncRecord.attempted_update_id != update_id)))) or False


def last_sync_dates(session: so.Session, company_id: int) -> dict[str, datetime]:
    rows = session.scalars(sa.select(SyncMark).where(SyncMark.company_id == company_id))
    return {row.object_type: row.last_sync_at for row in rows}


def last_read_dates(session: so.Session, company_id: int) -> dict[str, datetime]:
    """When each object type's list was last read into the importables (types never read are absent)."""
    rows = session.scalars(sa.select(SyncMark).where(SyncMark.company_id == company_id,
                                                     SyncMark.last_read_at.is_not(None)))
    return {row.object_type: row.last_read_at for row in rows if row.last_read_at is not None}
