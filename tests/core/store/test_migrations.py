"""migrate.py and revision 0001: the migrated schema is exactly core/store/models.py, on both backends."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from qbbridge.core.store import migrate
from qbbridge.core.store.models import Base
from qbbridge.core.store.uow import make_engine


def _differences(engine: sa.Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def _tables(engine: sa.Engine) -> set[str]:
    with engine.connect() as connection:
        return set(sa.inspect(connection).get_table_names())


def test_migration_scripts_ship_inside_the_package():
    assert migrate.MIGRATIONS_DIR == Path(migrate.__file__).resolve().parent / "migrations"
    assert (migrate.MIGRATIONS_DIR / "versions" / "0001_initial.py").is_file()
    assert migrate.head_revision() == "0002"


def test_upgrade_creates_exactly_the_model_tables(database_url: str):
    engine = make_engine(database_url)
    try:
        assert migrate.current_revision(engine) is None
        assert _differences(engine)  # an empty database differs: the comparison can fail
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        assert _differences(engine) == []
        assert _tables(engine) == set(Base.metadata.tables) | {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_by_url_is_repeatable(database_url: str):
    migrate.upgrade(database_url)
    migrate.upgrade(database_url)  # already at head: nothing to do, nothing fails
    engine = make_engine(database_url)
    try:
        assert migrate.current_revision(engine) == "0002"
        assert _differences(engine) == []
    finally:
        engine.dispose()


def test_companies_reference_their_live_update(db_engine: sa.Engine):
    with db_engine.connect() as connection:
        keys = sa.inspect(connection).get_foreign_keys("companies")
    assert [(k["name"], k["constrained_columns"], k["referred_table"], k["options"].get("ondelete"))
            for k in keys] == [("fk_companies_live_update_id_updates", ["live_update_id"], "updates",
                                "SET NULL")]


def test_downgrade_to_base_and_up_again(db_engine: sa.Engine):
    with db_engine.begin() as connection:
        command.downgrade(migrate.alembic_config(connection), "base")
    assert _tables(db_engine) == {"alembic_version"}
    migrate.upgrade(db_engine)
    assert _differences(db_engine) == []


def test_the_schema_lands_where_the_url_points(db_engine: sa.Engine):
    """On PostgreSQL the per-test search_path decides the schema; alembic_version goes there too."""
    with db_engine.connect() as connection:
        inspector = sa.inspect(connection)
        if db_engine.dialect.name == "postgresql":
            assert inspector.default_schema_name.startswith("t_")
        assert "alembic_version" in inspector.get_table_names()
