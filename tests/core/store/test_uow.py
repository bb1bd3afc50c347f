"""uow.py: URLs, engines and the unit of work, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import orm as so

from qbbridge.core.errors import ConfigError
from qbbridge.core.store import uow
from qbbridge.core.store.models import Company, RecordState, SyncRecord, WcUser


def test_a_plain_path_becomes_an_absolute_sqlite_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    assert uow.database_url("qbbridge.db") == f"sqlite:///{tmp_path.resolve()}/qbbridge.db"


@pytest.mark.parametrize("url", ["sqlite:///data/q.db", "sqlite://", "postgresql://qb@db.local/qb",
                                 "postgresql+psycopg://qb:pw@db.local:5433/qb?sslmode=require"])
def test_urls_pass_through_unchanged(url: str):
    assert uow.database_url(url) == url


def test_an_unknown_scheme_is_a_config_error_naming_the_value_without_its_password():
    with pytest.raises(ConfigError, match="unknown scheme") as caught:
        uow.database_url("mysql://qb:hunter2@db.local/qb")
    assert "mysql://qb:***@db.local/qb" in str(caught.value)
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_value_is_a_config_error(value: str):
    with pytest.raises(ConfigError, match="empty"):
        uow.database_url(value)


def test_make_engine_selects_psycopg_3_for_postgresql_urls():
    engine = uow.make_engine("postgresql://qb@db.invalid/qb")  # no connection is opened
    assert engine.url.drivername == "postgresql+psycopg"
    assert engine.pool._pre_ping  # no public accessor; stale pooled connections get replaced


def test_make_engine_refuses_an_unknown_scheme():
    with pytest.raises(ConfigError):
        uow.make_engine("oracle://qb@db.local/qb")


def _pragma(engine: sa.Engine, name: str) -> object:
    with engine.connect() as connection:
        return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_a_sqlite_file_uses_wal_foreign_keys_and_a_busy_timeout(sqlite_only_url: str):
    engine = uow.make_engine(sqlite_only_url, busy_timeout_s=12.5)
    try:
        assert _pragma(engine, "journal_mode") == "wal"
        assert _pragma(engine, "foreign_keys") == 1
        assert _pragma(engine, "busy_timeout") == 12500
    finally:
        engine.dispose()


def test_an_in_memory_sqlite_enforces_foreign_keys_too():
    engine = uow.make_engine("sqlite://")
    try:
        assert _pragma(engine, "foreign_keys") == 1
        assert _pragma(engine, "journal_mode") == "memory"
    finally:
        engine.dispose()


def test_every_sqlite_transaction_begins_immediate(sqlite_only_url: str):
    engine = uow.make_engine(sqlite_only_url)
    statements: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    try:
        with uow.unit_of_work(uow.make_session_factory(engine)) as session:
            session.execute(sa.text("SELECT 1"))
        assert statements == ["BEGIN IMMEDIATE", "SELECT 1"]
    finally:
        engine.dispose()


def _company_names(factory: so.sessionmaker[so.Session]) -> list[str]:
    with uow.unit_of_work(factory) as session:
        return list(session.scalars(sa.select(Company.name).order_by(Company.name)))


def test_unit_of_work_commits_on_success(session_factory: so.sessionmaker[so.Session]):
    with uow.unit_of_work(session_factory) as session:
        company = Company(name="Acme")
        session.add(company)
    assert company.id is not None and company.name == "Acme"  # readable after commit: no expiry
    assert _company_names(session_factory) == ["Acme"]


def test_unit_of_work_rolls_back_when_the_block_raises(session_factory: so.sessionmaker[so.Session]):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), uow.unit_of_work(session_factory) as session:
        session.add(Company(name="Ghost"))
        session.flush()  # the row reached the database inside the transaction
        raise Boom
    assert _company_names(session_factory) == []


def test_a_savepoint_rolls_back_alone(session_factory: so.sessionmaker[so.Session]):
    with uow.unit_of_work(session_factory) as session:
        session.add(Company(name="Kept"))
        with pytest.raises(sa.exc.IntegrityError), session.begin_nested():
            session.add(Company(name="Kept"))  # duplicate name: only the savepoint is lost
    assert _company_names(session_factory) == ["Kept"]


def test_naive_datetimes_are_refused(session_factory: so.sessionmaker[so.Session]):
    with pytest.raises(sa.exc.StatementError, match="naive datetime"), \
            uow.unit_of_work(session_factory) as session:
        naive = datetime(2026, 11, 20, 9, 30)  # naive on purpose
        session.add(Company(name="Acme", created_at=naive))
    assert _company_names(session_factory) == []


def test_datetimes_come_back_aware_and_in_utc(session_factory: so.sessionmaker[so.Session]):
    paris_winter = timezone(timedelta(hours=1))
    written = datetime(2026, 11, 20, 9, 30, 15, 123456, tzinfo=paris_winter)
    with uow.unit_of_work(session_factory) as session:
        session.add(Company(name="Acme", created_at=written))
    with uow.unit_of_work(session_factory) as session:  # a fresh session reads what the database holds
        read = session.scalars(sa.select(Company.created_at)).one()
    assert read.tzinfo is not None and read.utcoffset() == timedelta(0)
    assert read == written
    assert (read.hour, read.microsecond) == (8, 123456)


def _record(company_id: int, object_type: str, local_key: str) -> SyncRecord:
    return SyncRecord(company_id=company_id, object_type=object_type, local_key=local_key,
                      payload_hash="0" * 64, state=RecordState.PENDING.value)


def test_a_local_key_is_unique_per_company_and_object_type(session_factory: so.sessionmaker[so.Session],
                                                           company_id: int):
    with uow.unit_of_work(session_factory) as session:
        session.add_all([_record(company_id, "timesheets", "wb-1"), _record(company_id, "invoices", "wb-1")])
    with pytest.raises(sa.exc.IntegrityError), uow.unit_of_work(session_factory) as session:
        session.add(_record(company_id, "timesheets", "wb-1"))
    with uow.unit_of_work(session_factory) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(SyncRecord)) == 2


def test_foreign_keys_are_enforced(session_factory: so.sessionmaker[so.Session]):
    with pytest.raises(sa.exc.IntegrityError), uow.unit_of_work(session_factory) as session:
        session.add(WcUser(username="qbwc", company_id=999, password_hash="x",
                           created_at=datetime.now(UTC)))
