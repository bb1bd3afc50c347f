"""Schema migrations with Alembic, configured in code: no alembic.ini is needed at runtime.

Rule: the schema is only ever changed by the revisions in ``migrations/versions``, found next to this
module in the installed package. ``upgrade`` runs them in one transaction (SQLite and PostgreSQL both
have transactional DDL), so a failed upgrade leaves the database as it was.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from .uow import make_engine

MIGRATIONS_DIR = Path(__file__).resolve().with_name("migrations")


def alembic_config(connection: sa.Connection | None = None) -> Config:
    """An Alembic config for qbbridge's migrations; ``connection``, if given, is the one env.py uses."""
    config = Config()
    # ConfigParser interpolates "%", so a literal one in the path must be doubled.
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision id shipped with this version of qbbridge."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # only possible if the versions folder went missing from the package
        raise RuntimeError(f"no migration scripts found in {MIGRATIONS_DIR}")
    return head


def upgrade(engine_or_url: sa.Engine | str, revision: str = "head") -> None:
    """Migrate the database to ``revision`` (default: the newest), in one transaction.

    A URL or file path gets a temporary engine that is disposed afterwards; an engine is left open.
    Running it on an up-to-date database changes nothing.
    """
    if isinstance(engine_or_url, str):
        engine = make_engine(engine_or_url)
        try:
            upgrade(engine, revision)
        finally:
            engine.dispose()
        return
    with engine_or_url.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def current_revision(engine: sa.Engine) -> str | None:
    """The revision the database is at, or None for a database never migrated."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
