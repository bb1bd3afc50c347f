"""Initial schema: the core tables of core/store/models.py.

Revision ID: 0001
Revises:
Create Date: 2026-11-22

companies.live_update_id and updates.company_id reference each other. PostgreSQL gets the companies ->
updates key by ALTER once both tables exist; SQLite (which cannot add a constraint by ALTER) gets it
inline, since SQLite accepts a reference to a table created later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None

LIVE_UPDATE_FK = "fk_companies_live_update_id_updates"


def _table(name: str, *items: sa.schema.SchemaItem, key: sa.Column[object] | None = None) -> None:
    """Create a table whose first column is its primary key (an integer ``id`` unless ``key`` says)."""
    key = sa.Column("id", sa.Integer(), nullable=False) if key is None else key
    op.create_table(name, key, *items, sa.PrimaryKeyConstraint(key.name, name=f"pk_{name}"))


def _fk(table: str, column: str, target: str, **kw: str) -> sa.ForeignKeyConstraint:
    """A foreign key named as base.NAMING_CONVENTION names it."""
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", **kw)


def _company_id(table: str) -> tuple[sa.Column[int], sa.ForeignKeyConstraint]:
    return sa.Column("company_id", sa.Integer(), nullable=False), _fk(table, "company_id", "companies")


def _utc(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _text(name: str, length: int | None = None, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(length) if length else sa.Text(), nullable=nullable)


def upgrade() -> None:
    inline_fk = op.get_context().dialect.name == "sqlite"
    _create_companies_users_updates(inline_fk)
    _create_outbox_tables()
    _create_read_side_tables()


def _create_companies_users_updates(inline_fk: bool) -> None:
    live_update = [_fk("companies", "live_update_id", "updates", ondelete="SET NULL")] if inline_fk else []
    _table("companies", _text("name", 100), _text("qb_file", 500),
           sa.Column("settings", sa.JSON(), nullable=False),
           sa.Column("live_update_id", sa.Integer(), nullable=True), _utc("created_at"),
           sa.UniqueConstraint("name", name="uq_companies_name"), *live_update)
    _table("wc_users", _text("username", 100), *_company_id("wc_users"), _text("password_hash", 300),
           sa.Column("failed_logins", sa.Integer(), nullable=False),
           _utc("locked_until", nullable=True), _utc("created_at"),
           sa.UniqueConstraint("username", name="uq_wc_users_username"))
    op.create_index("ix_wc_users_company_id", "wc_users", ["company_id"])
    _table("updates", _text("ticket_hash", 64), *_company_id("updates"),
           sa.Column("user_id", sa.Integer(), nullable=False), _fk("updates", "user_id", "wc_users"),
           _text("state", 30), sa.Column("engine_state", sa.JSON(), nullable=False),
           _text("qbxml_version", 10, nullable=True), sa.Column("progress", sa.Integer(), nullable=False),
           _text("last_error", nullable=True), _text("summary", nullable=True),
           _utc("started_at"), _utc("last_call_at"), _utc("closed_at", nullable=True),
           sa.UniqueConstraint("ticket_hash", name="uq_updates_ticket_hash"))
    op.create_index("ix_updates_company_id", "updates", ["company_id"])
    if not inline_fk:
        op.create_foreign_key(LIVE_UPDATE_FK, "companies", "updates", ["live_update_id"], ["id"],
                              ondelete="SET NULL")


def _create_outbox_tables() -> None:
    _table("message_sets", *_company_id("message_sets"),
           sa.Column("update_id", sa.Integer(), nullable=False), _fk("message_sets", "update_id", "updates"),
           _text("state", 20), _text("on_error", 20), _text("request_xml"),
           sa.Column("requests", sa.JSON(), nullable=False), _utc("created_at"),
           _utc("answered_at", nullable=True),
           key=sa.Column("id", sa.String(23), nullable=False))
    op.create_index("ix_message_sets_update_id", "message_sets", ["update_id"])
    op.create_index("ix_message_sets_company_state", "message_sets", ["company_id", "state"])
    _table("sync_records", *_company_id("sync_records"), _text("object_type", 50), _text("local_key", 200),
           sa.Column("payload", sa.JSON(), nullable=False), _text("payload_hash", 64), _text("state", 20),
           sa.Column("synced_payload", sa.JSON(), nullable=True),
           sa.Column("attempts", sa.Integer(), nullable=False), _text("last_error", nullable=True),
           sa.Column("last_status_code", sa.Integer(), nullable=True),
           sa.Column("attempted_update_id", sa.Integer(), nullable=True),
           _text("message_set_id", 23, nullable=True), _text("qb_id", 50, nullable=True),
           _text("edit_sequence", 50, nullable=True),
           sa.Column("changed_after_sync", sa.Boolean(), nullable=False), _text("note", 200),
           _utc("submitted_at"), _utc("updated_at"), _utc("synced_at", nullable=True),
           sa.UniqueConstraint("company_id", "object_type", "local_key", name="uq_sync_records_company_id"))
    op.create_index("ix_sync_records_due", "sync_records", ["company_id", "object_type", "state", "id"])
    op.create_index("ix_sync_records_message_set", "sync_records", ["message_set_id"])
    _table("links", *_company_id("links"), _text("object_type", 50), _text("local_key", 200),
           _text("qb_id", 50), _text("edit_sequence", 50, nullable=True), _utc("linked_at"),
           sa.UniqueConstraint("company_id", "object_type", "local_key", name="uq_links_company_id"))
    op.create_index("ix_links_qb_id", "links", ["company_id", "object_type", "qb_id"])


def _create_read_side_tables() -> None:
    _table("importables", *_company_id("importables"), _text("object_type", 50), _text("qb_id", 50),
           _text("name", 300), _text("edit_sequence", 50, nullable=True),
           sa.Column("is_active", sa.Boolean(), nullable=False), sa.Column("data", sa.JSON(), nullable=False),
           _text("status", 20), _utc("first_seen_at"), _utc("last_seen_at"),
           sa.UniqueConstraint("company_id", "object_type", "qb_id", name="uq_importables_company_id"))
    _table("events", *_company_id("events"), sa.Column("update_id", sa.Integer(), nullable=True),
           _text("object_type", 50, nullable=True), _text("local_key", 200, nullable=True),
           _text("kind", 40), _text("message"), _utc("at"))
    op.create_index("ix_events_company_id", "events", ["company_id"])
    _table("sync_marks", *_company_id("sync_marks"), _text("object_type", 50), _utc("last_sync_at"),
           sa.UniqueConstraint("company_id", "object_type", name="uq_sync_marks_company_id"))


def downgrade() -> None:
    if op.get_context().dialect.name != "sqlite":
        op.drop_constraint(LIVE_UPDATE_FK, "companies", type_="foreignkey")
    for table in ("sync_marks", "events", "importables", "links", "sync_records", "message_sets",
                  "updates", "wc_users", "companies"):
        op.drop_table(table)  # a table's indexes and constraints go with it
