"""claim.py: which records are due, in what order, and that two workers never claim the same one."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy import orm as so

from qbbridge.core.store.claim import claim_due, iter_due
from qbbridge.core.store.migrate import upgrade
from qbbridge.core.store.models import Company, RecordState, SyncRecord
from qbbridge.core.store.uow import make_engine, make_session_factory, unit_of_work

AddRecords = Callable[..., list[int]]
Factory = so.sessionmaker[so.Session]


def _claim(session: so.Session, company_id: int, limit: int, exclude: int | None = None) -> list[int]:
    return [r.id for r in claim_due(session, company_id=company_id, object_type="timesheets",
                                    exclude_update_id=exclude, limit=limit)]


def _claim_and_send(factory: Factory, company_id: int, limit: int) -> list[int]:
    """What a worker does: claim due records and mark them in flight, in one unit of work."""
    with unit_of_work(factory) as session:
        records = claim_due(session, company_id=company_id, object_type="timesheets",
                            exclude_update_id=None, limit=limit)
        for record in records:
            record.state = RecordState.IN_FLIGHT.value
        return [r.id for r in records]


def test_claim_takes_the_oldest_first_up_to_the_limit(session_factory: Factory, company_id: int,
                                                       add_records: AddRecords):
    ids = add_records(5)
    with unit_of_work(session_factory) as session:
        assert _claim(session, company_id, limit=3) == ids[:3]
        assert _claim(session, company_id, limit=10) == ids


def test_claim_takes_only_pending_records_of_that_company_and_type(session_factory: Factory,
                                                                   company_id: int, add_records: AddRecords):
    with unit_of_work(session_factory) as session:
        other = Company(name="Other Co")
        session.add(other)
        session.flush()
        other_id = other.id
    due = add_records(2)
    add_records(2, object_type="invoices")
    add_records(2, company=other_id, prefix="other")
    for state in RecordState:
        if state is not RecordState.PENDING:
            add_records(1, state=state.value, prefix=state.value)
    with unit_of_work(session_factory) as session:
        assert _claim(session, company_id, limit=100) == due


def test_claim_leaves_out_what_this_update_already_tried(session_factory: Factory, company_id: int,
                                                         add_records: AddRecords):
    never_tried = add_records(2, prefix="never")
    tried_by_7 = add_records(2, attempted_update_id=7, prefix="by7")
    tried_by_6 = add_records(2, attempted_update_id=6, prefix="by6")
    with unit_of_work(session_factory) as session:
        assert _claim(session, company_id, limit=100, exclude=7) == never_tried + tried_by_6
        assert _claim(session, company_id, limit=100, exclude=None) == never_tried + tried_by_7 + tried_by_6


@pytest.mark.parametrize("limit", [0, -1])
def test_claim_needs_a_positive_limit(session_factory: Factory, company_id: int, limit: int):
    with pytest.raises(ValueError, match="limit"), unit_of_work(session_factory) as session:
        _claim(session, company_id, limit=limit)


def test_two_workers_at_once_claim_disjoint_records(session_factory: Factory, company_id: int,
                                                   add_records: AddRecords):
    """Both backends, any interleaving: claims never overlap and together cover all due records."""
    ids = add_records(10)
    start = threading.Barrier(2, timeout=60)
    results: list[list[int]] = [[], []]

    def worker(slot: int) -> None:
        start.wait()
        results[slot] = _claim_and_send(session_factory, company_id, limit=5)

    threads = [threading.Thread(target=worker, args=(slot,)) for slot in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not set(results[0]) & set(results[1])
    assert sorted(results[0] + results[1]) == ids


@pytest.fixture
def postgres_factory(postgres_url: str):
    engine = make_engine(postgres_url)
    upgrade(engine)
    yield make_session_factory(engine)
    engine.dispose()


def test_postgresql_skips_rows_another_transaction_holds(postgres_factory: Factory):
    with unit_of_work(postgres_factory) as session:
        company = Company(name="Acme")
        session.add(company)
        session.flush()
        session.add_all(SyncRecord(company_id=company.id, object_type="timesheets", local_key=f"wb-{i}",
                                   payload_hash="0" * 64, state="pending") for i in range(10))
    with unit_of_work(postgres_factory) as first, unit_of_work(postgres_factory) as second:
        # A regression to a plain FOR UPDATE would wait for `first` forever; fail fast instead.
        second.execute(sa.text("SET LOCAL lock_timeout = '5s'"))
        claimed_first = _claim(first, company.id, limit=5)  # `first` keeps its locks until it ends
        claimed_second = _claim(second, company.id, limit=5)
    assert len(claimed_first) == len(claimed_second) == 5
    assert not set(claimed_first) & set(claimed_second)


def test_sqlite_second_writer_cannot_start_while_the_first_holds_the_lock(sqlite_only_url: str):
    first_engine = make_engine(sqlite_only_url)
    impatient = make_engine(sqlite_only_url, busy_timeout_s=0)  # fails at once instead of waiting
    try:
        upgrade(first_engine)
        first, second = make_session_factory(first_engine), make_session_factory(impatient)
        with unit_of_work(first) as session:
            company = Company(name="Acme")
            session.add(company)
            session.flush()
            session.add_all(SyncRecord(company_id=company.id, object_type="timesheets",
                                       local_key=f"wb-{i}", payload_hash="0" * 64, state="pending")
                            for i in range(10))
        with unit_of_work(first) as holder:
            taken = _claim(holder, company.id, limit=5)
            # Deferred BEGIN would let the second worker read the same five rows here; IMMEDIATE refuses it.
            with pytest.raises(sa.exc.OperationalError, match="database is locked"), \
                    unit_of_work(second) as session:
                _claim(session, company.id, limit=5)
            for record in holder.scalars(sa.select(SyncRecord).where(SyncRecord.id.in_(taken))):
                record.state = RecordState.IN_FLIGHT.value
        assert not set(_claim_and_send(second, company.id, limit=5)) & set(taken)
    finally:
        impatient.dispose()
        first_engine.dispose()


def _count_selects(engine: sa.Engine) -> list[str]:
    selects: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "sync_records" in statement:
            selects.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    return selects


@pytest.mark.parametrize(("n", "chunk"), [(2500, 500), (2501, 500), (7, 3), (0, 10)])
def test_iter_due_streams_every_row_in_keyset_chunks(db_engine: sa.Engine, session_factory: Factory,
                                                     company_id: int, add_records: AddRecords,
                                                     n: int, chunk: int):
    ids = add_records(n)
    selects = _count_selects(db_engine)
    with unit_of_work(session_factory) as session:
        streamed = [r.id for r in iter_due(session, company_id=company_id, object_type="timesheets",
                                           exclude_update_id=None, chunk=chunk)]
    assert streamed == ids
    # One SELECT per chunk, plus the one that finds the end when the last chunk was full.
    assert len(selects) == math.ceil(n / chunk) + (1 if n % chunk == 0 else 0)


def test_iter_due_fetches_the_next_chunk_only_when_needed(db_engine: sa.Engine, session_factory: Factory,
                                                          company_id: int, add_records: AddRecords):
    add_records(25)
    selects = _count_selects(db_engine)
    with unit_of_work(session_factory) as session:
        rows = iter_due(session, company_id=company_id, object_type="timesheets", exclude_update_id=None,
                        chunk=10)
        first_ten = [next(rows) for _ in range(10)]
        assert len(first_ten) == 10 and len(selects) == 1
        next(rows)
        assert len(selects) == 2


def test_iter_due_applies_the_same_filter_as_claiming(session_factory: Factory, company_id: int,
                                                      add_records: AddRecords):
    due = add_records(3, prefix="due")
    add_records(2, attempted_update_id=4, prefix="tried")
    add_records(2, state=RecordState.SYNCED.value, prefix="done")
    with unit_of_work(session_factory) as session:
        streamed = [r.id for r in iter_due(session, company_id=company_id, object_type="timesheets",
                                           exclude_update_id=4, chunk=2)]
    assert streamed == due


@pytest.mark.parametrize("chunk", [0, -5])
def test_iter_due_needs_a_positive_chunk(session_factory: Factory, company_id: int, chunk: int):
    with unit_of_work(session_factory) as session, pytest.raises(ValueError, match="chunk"):
        next(iter_due(session, company_id=company_id, object_type="timesheets", exclude_update_id=None,
                      chunk=chunk))
