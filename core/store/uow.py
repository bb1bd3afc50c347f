"""Engines, session factories and the unit of work: the only place a transaction begins or ends.

Rule: ``unit_of_work`` is the one transaction boundary (one per SOAP call); data functions receive its
session and never open their own. On SQLite every transaction starts with ``BEGIN IMMEDIATE``, so writers
are serialised at the start of a unit of work: two workers can never both read "no live update" and
both start one. On PostgreSQL row claiming relies on ``FOR UPDATE SKIP LOCKED`` instead (see claim.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy import orm as so

from qbbridge.core.errors import ConfigError

DEFAULT_BUSY_TIMEOUT_S = 30.0
_KNOWN_BACKENDS = ("sqlite", "postgresql")


def database_url(value: str) -> str:
    """Turn a setting into a database URL: a plain file path becomes ``sqlite:///<absolute path>``,
    ``sqlite``/``postgresql`` URLs pass through unchanged. Raises ``ConfigError`` naming the value for
    any other scheme or an unparseable URL (a password in it is masked)."""
    if "://" not in value:
        if not value.strip():
            raise ConfigError("database: an empty value is neither a file path nor a URL")
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    try:
        url = sa.make_url(value)
    except sa.exc.ArgumentError:
        raise ConfigError(f"database URL {_masked(value)!r} cannot be parsed") from None
    if url.get_backend_name() not in _KNOWN_BACKENDS:
        raise ConfigError(
            f"database URL {url.render_as_string(hide_password=True)!r} has an unknown scheme "
            f"{url.drivername!r}: use a file path, sqlite:///<path> or postgresql://user@host/db")
    return value


def _masked(value: str) -> str:
    """The value with anything between ``://`` and ``@`` hidden, for messages about unparseable URLs."""
    scheme, _, rest = value.partition("://")
    return f"{scheme}://***@{rest.rpartition('@')[2]}" if "@" in rest else value


def make_engine(url: str, *, busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S) -> sa.Engine:
    """An engine for a URL or file path (see ``database_url``).

    SQLite: usable from any thread, waits up to ``busy_timeout_s`` for the write lock, begins every
    transaction with ``BEGIN IMMEDIATE`` (SQLAlchemy's documented pysqlite recipe), and turns on
    foreign keys; file databases use WAL. ``postgresql://`` selects the installed psycopg 3 driver.
    """
    parsed = sa.make_url(database_url(url))
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, busy_timeout_s)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return sa.create_engine(parsed, pool_pre_ping=True)


def _sqlite_engine(url: sa.URL, busy_timeout_s: float) -> sa.Engine:
    engine = sa.create_engine(
        url, pool_pre_ping=True,
        connect_args={"check_same_thread": False, "timeout": busy_timeout_s})
    in_memory = url.database in (None, "", ":memory:") or url.query.get("mode") == "memory"

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Stop the sqlite3 module from issuing its own (deferred, late) BEGIN; "begin" below does it.
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys = ON")
        if not in_memory:
            # Readers never block the writer, and the writer never blocks readers outside a transaction.
            dbapi_connection.execute("PRAGMA journal_mode = WAL")

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        # IMMEDIATE takes the write lock now, so a transaction never reads data another writer is changing.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def make_session_factory(engine: sa.Engine) -> so.sessionmaker[so.Session]:
    """The configured session factory; objects stay readable after commit (``expire_on_commit=False``)."""
    return so.sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: so.sessionmaker[so.Session]) -> Iterator[so.Session]:
    """One transaction: commits when the block ends normally, rolls back if it raises; the session is
    closed either way."""
    with factory() as session, session.begin():
        yield session
