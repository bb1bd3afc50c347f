"""Database fixtures shared by every test folder.

Rule: a test that touches the store asks for ``database_url`` (or ``db_engine``/``session_factory``) and
runs twice, ids ``sqlite`` and ``postgresql``; each run gets a database nobody else sees.

Running the PostgreSQL half locally, either:
- point at a running server (any database the user may create schemas in)::

      QBBRIDGE_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/test python3 -m pytest tests/core/store

- or run a Docker engine: a ``testcontainers`` PostgreSQL is started once per test session.

Without either, the ``postgresql`` tests are skipped with the reason. Isolation on PostgreSQL is a fresh
schema per test (``t_<hex>``, dropped afterwards); the URL handed to the test sets ``search_path`` to it
(``?options=-csearch_path%3Dt_<hex>``), so tables and Alembic's ``alembic_version`` land there.
"""

from __future__ import annotations

import gc
import os
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy import orm as so

from qbbridge.core.store.migrate import upgrade
from qbbridge.core.store.uow import make_engine, make_session_factory

POSTGRES_ENV = "QBBRIDGE_TEST_POSTGRES_URL"
NO_POSTGRES = "no PostgreSQL: set QBBRIDGE_TEST_POSTGRES_URL or run a Docker engine"


def _docker_answers() -> bool:
    """Whether a Docker engine responds; any failure (no package, no socket, no daemon) means no."""
    with warnings.catch_warnings():  # the docker client's own warnings are not ours to fail on
        warnings.simplefilter("ignore")
        try:
            return _ping_docker()
        finally:
            # A failed connect leaves the client's socket to the garbage collector; collect it here,
            # while its ResourceWarning is ignored, rather than in some later test.
            gc.collect()


def _ping_docker() -> bool:
    try:
        import docker

        client = docker.from_env(timeout=3)
    except Exception:  # noqa: BLE001 - every way of failing answers the same question: no engine
        return False
    try:
        return bool(client.ping())
    except Exception:  # noqa: BLE001 - as above
        return False
    finally:
        client.close()


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A libpq URL of a PostgreSQL server for this test session, or skip."""
    if url := os.environ.get(POSTGRES_ENV):
        yield url
        return
    if not _docker_answers():
        pytest.skip(NO_POSTGRES)
    from testcontainers.postgres import PostgresContainer

    with PostgresContainer("postgres:16-alpine", driver=None) as container:
        yield container.get_connection_url()


def _libpq(url: str) -> str:
    return sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def postgres_url(postgres_server_url: str) -> Iterator[str]:
    """A URL whose connections work in a fresh, empty schema; the schema is dropped after the test."""
    schema = f"t_{uuid.uuid4().hex}"
    admin = _libpq(postgres_server_url)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    yield sa.make_url(admin).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        # A test that leaked an open transaction must fail here, not hang the run.
        connection.execute("SET lock_timeout = '10s'")
        connection.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def sqlite_only_url(tmp_path: Path) -> str:
    """A URL of an empty SQLite file database, for tests about SQLite alone."""
    return f"sqlite:///{tmp_path / 'qbbridge.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of each backend: a SQLite file, then a PostgreSQL schema (or a skip)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'qbbridge.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def db_engine(database_url: str) -> Iterator[sa.Engine]:
    """An engine on ``database_url``, migrated to the newest revision; disposed after the test."""
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def session_factory(db_engine: sa.Engine) -> so.sessionmaker[so.Session]:
    return make_session_factory(db_engine)
