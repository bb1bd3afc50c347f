"""Seed data for the store tests: one company and outbox records in a chosen state."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy import orm as so

from qbbridge.core.store.models import Company, RecordState, SyncRecord
from qbbridge.core.store.uow import unit_of_work

AddRecords = Callable[..., list[int]]


@pytest.fixture
def company_id(session_factory: so.sessionmaker[so.Session]) -> int:
    with unit_of_work(session_factory) as session:
        company = Company(name="Acme Roofing")
        session.add(company)
        session.flush()
        return company.id


@pytest.fixture
def add_records(session_factory: so.sessionmaker[so.Session], company_id: int) -> AddRecords:
    """``add_records(n, *, object_type, state, attempted_update_id, company)`` commits ``n`` records
    (local keys ``<object_type>-<i>``, or ``prefix``) and returns their ids in insertion order."""

    def add(n: int, *, object_type: str = "timesheets", state: str = RecordState.PENDING.value,
            attempted_update_id: int | None = None, company: int | None = None,
            prefix: str | None = None) -> list[int]:
        rows = [{"company_id": company or company_id, "object_type": object_type,
                 "local_key": f"{prefix or object_type}-{i}", "payload_hash": "0" * 64, "state": state,
                 "attempted_update_id": attempted_update_id} for i in range(n)]
        if not rows:
            return []
        insert = sa.insert(SyncRecord).returning(SyncRecord.id, sort_by_parameter_order=True)
        with unit_of_work(session_factory) as session:
            return list(session.scalars(insert, rows))

    return add
