"""The core tables of DESIGN.md §7: companies, users, updates, message sets, the outbox, links,
importables, events and the last sync date per object type.

Rule: a row's state column uses the string values of the enums below; the service layer is the only
writer. Tickets are stored as SHA-256 digests, passwords as scrypt hashes: neither is kept in clear.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm as so

from .base import Base, utcnow


class RecordState(enum.StrEnum):
    """Sync state of one outbox record (DESIGN.md §5)."""

    DRAFT = "draft"            # submitted but not finalized (object types with drafts): never due
    PENDING = "pending"        # due; ``last_error`` set when an earlier attempt failed
    IN_FLIGHT = "in_flight"    # in a message set whose answer has not been applied yet
    SYNCED = "synced"          # QuickBooks answered; ``qb_id`` holds the ListID/TxnID
    REJECTED = "rejected"      # failed local validation; never sent until the host edits it
    HELD = "held"              # waits on a dependency that failed this update
    UNCERTAIN = "uncertain"    # sent, answer lost; resolved at the start of the next update


class SetState(enum.StrEnum):
    """State of one message set."""

    IN_FLIGHT = "in_flight"    # committed before sendRequestXML returned it; no answer yet
    ANSWERED = "answered"      # its responses were applied
    UNCERTAIN = "uncertain"    # its answer was lost; QuickBooks may or may not have run it
    RESOLVED = "resolved"      # an uncertain set whose records were settled by recovery
    UNSENT = "unsent"          # QuickBooks reported it never ran (parse error, not processed)


class ImportStatus(enum.StrEnum):
    NEW = "new"
    IMPORTED = "imported"
    IGNORED = "ignored"
    LINKED = "linked"


class Company(Base):
    __tablename__ = "companies"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(100), unique=True)
    qb_file: so.Mapped[str] = so.mapped_column(sa.String(500), default="")  # "" = the open company file
    settings: so.Mapped[dict[str, Any]] = so.mapped_column(default=dict)
    live_update_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("updates.id", use_alter=True, ondelete="SET NULL"))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)


class WcUser(Base):
    """A Web Connector login; bound to exactly one company."""

    __tablename__ = "wc_users"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    username: so.Mapped[str] = so.mapped_column(sa.String(100), unique=True)
    company_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("companies.id"), index=True)
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(300))
    failed_logins: so.Mapped[int] = so.mapped_column(default=0)
    locked_until: so.Mapped[datetime | None]
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)


class Update(Base):
    """One Web Connector update (a QBWC session), from authenticate to closeConnection."""

    __tablename__ = "updates"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    ticket_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    company_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("companies.id"), index=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("wc_users.id"))
    state: so.Mapped[str] = so.mapped_column(sa.String(30))
    engine_state: so.Mapped[dict[str, Any]] = so.mapped_column(default=dict)  # the engine's plan, as data
    qbxml_version: so.Mapped[str | None] = so.mapped_column(sa.String(10))
    progress: so.Mapped[int] = so.mapped_column(default=0)
    last_error: so.Mapped[str | None] = so.mapped_column(sa.Text)
    summary: so.Mapped[str | None] = so.mapped_column(sa.Text)
    started_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    last_call_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    closed_at: so.Mapped[datetime | None]


class MessageSet(Base):
    """A qbXML message set, written ahead: committed before sendRequestXML hands it to QuickBooks."""

    __tablename__ = "message_sets"

    id: so.Mapped[str] = so.mapped_column(sa.String(23), primary_key=True)  # the newMessageSetID
    company_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("companies.id"))
    update_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("updates.id"), index=True)
    state: so.Mapped[str] = so.mapped_column(sa.String(20))
    on_error: so.Mapped[str] = so.mapped_column(sa.String(20))
    request_xml: so.Mapped[str] = so.mapped_column(sa.Text)
    # requestID -> {"object_type", "purpose", "local_key", "label", "body"}: how answers are routed back
    requests: so.Mapped[dict[str, Any]] = so.mapped_column(default=dict)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    answered_at: so.Mapped[datetime | None]

    __table_args__ = (sa.Index("ix_message_sets_company_state", "company_id", "state"),)


class SyncRecord(Base):
    """One host record in the outbox, with its sync state."""

    __tablename__ = "sync_records"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    company_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("companies.id"))
    object_type: so.Mapped[str] = so.mapped_column(sa.String(50))
    local_key: so.Mapped[str] = so.mapped_column(sa.String(200))
    payload: so.Mapped[dict[str, Any]] = so.mapped_column(default=dict)
    payload_hash: so.Mapped[str] = so.mapped_column(sa.String(64))
    state: so.Mapped[str] = so.mapped_column(sa.String(20))
    # what QuickBooks was given when it synced; ``payload`` may move on after it (changed after sync)
    synced_payload: so.Mapped[dict[str, Any] | None] = so.mapped_column(sa.JSON())
    attempts: so.Mapped[int] = so.mapped_column(default=0)
    last_error: so.Mapped[str | None] = so.mapped_column(sa.Text)
    last_status_code: so.Mapped[int | None]
    attempted_update_id: so.Mapped[int | None]  # the update that last tried it (not retried in that one)
    message_set_id: so.Mapped[str | None] = so.mapped_column(sa.String(23))
    qb_id: so.Mapped[str | None] = so.mapped_column(sa.String(50))
    edit_sequence: so.Mapped[str | None] = so.mapped_column(sa.String(50))
    changed_after_sync: so.Mapped[bool] = so.mapped_column(default=False)
    note: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    submitted_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    synced_at: so.Mapped[datetime | None]

    __table_args__ = (
        sa.UniqueConstraint("company_id", "object_type", "local_key"),
        sa.Index("ix_sync_records_due", "company_id", "object_type", "state", "id"),
        sa.Index("ix_sync_records_message_set", "message_set_id"),
    )


class Link(Base):
    """A local key and the QuickBooks object it is (ListID/TxnID and the last EditSequence)."""

    __tablename__ = "links"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    company_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("companies.id"))
    object_type: so.Mapped[str] = so.mapped_column(sa.String(50))
    local_key: so.Mapped[str] = so.mapped_column(sa.String(200))
    qb_id: so.Mapped[str] = so.mapped_column(sa.String(50))
    edit_sequence: so.Mapped[str | None] = so.mapped_column(sa.String(50))
    linked_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("company_id", "object_type", "local_key"),
        sa.Index("ix_links_qb_id", "company_id", "object_type", "qb_id"),
    )


class Importable(Base):
    """An object read from QuickBooks that the host may import, ignore, or has linked."""

    __tablename__ = "importables"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    company_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("companies.id"))
    object_type: so.Mapped[str] = so.mapped_column(sa.String(50))
    qb_id: so.Mapped[str] = so.mapped_column(sa.String(50))
    name: so.Mapped[str] = so.mapped_column(sa.String(300))
    edit_sequence: so.Mapped[str | None] = so.mapped_column(sa.String(50))
    is_active: so.Mapped[bool] = so.mapped_column(default=True)
    data: so.Mapped[dict[str, Any]] = so.mapped_column(default=dict)
    status: so.Mapped[str] = so.mapped_column(sa.String(20), default=ImportStatus.NEW.value)
    first_seen_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    last_seen_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("company_id", "object_type", "qb_id"),)


class Event(Base):
    """The audit log: what happened to which record in which update, in words a person can read."""

    __tablename__ = "events"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    company_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("companies.id"), index=True)
    update_id: so.Mapped[int | None]
    object_type: so.Mapped[str | None] = so.mapped_column(sa.String(50))
    local_key: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    kind: so.Mapped[str] = so.mapped_column(sa.String(40))
    message: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    at: so.Mapped[datetime] = so.mapped_column(default=utcnow)


class SyncMark(Base):
    """The last sync date of one object type for one company (shown as "Last Sync Date"), and when its
    QuickBooks list was last read into the importables (``last_read_at``, for reads on a schedule)."""

    __tablename__ = "sync_marks"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    company_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("companies.id"))
    object_type: so.Mapped[str] = so.mapped_column(sa.String(50))
    last_sync_at: so.Mapped[datetime]
    last_read_at: so.Mapped[datetime | None]

    __table_args__ = (sa.UniqueConstraint("company_id", "object_type"),)
