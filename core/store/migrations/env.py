"""Alembic environment for qbbridge: runs the revisions on the connection ``migrate.py`` hands over.

Rule: ``migrate.upgrade`` passes an open connection in ``config.attributes["connection"]`` (inside its
transaction); only when run some other way does this file build an engine from ``sqlalchemy.url``.
SQLite gets batch mode, since it cannot ALTER most constraints in place.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from qbbridge.core.store import models
from qbbridge.core.store.uow import make_engine

config = context.config
target_metadata = models.Base.metadata


def run_on(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    """Print the SQL instead of running it (``alembic upgrade --sql``)."""
    url = config.get_main_option("sqlalchemy.url")
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=sa.make_url(url).get_backend_name() == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_on(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.begin() as own_connection:
            run_on(own_connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
