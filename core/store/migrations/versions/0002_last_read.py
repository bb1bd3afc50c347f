"""When each object type's QuickBooks list was last read (sync_marks.last_read_at).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

A list read on a schedule (classes, service items) must be timed from the last time it actually ran,
not from the last sync date, which every clean update moves.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sync_marks") as batch:
        batch.add_column(sa.Column("last_read_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_marks") as batch:
        batch.drop_column("last_read_at")
