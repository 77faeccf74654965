"""The Alembic migrations build exactly the schema the models describe, on each database."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from ila_register.db.base import Base
from ila_register.db.engine import normalise_url
from ila_register.db.migrate import alembic_config, upgrade


def test_migrated_schema_matches_the_models(database_url: str) -> None:
    engine = create_engine(normalise_url(database_url))
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_migration_0009_goes_down_and_up_again(database_url: str) -> None:
    engine = create_engine(normalise_url(database_url))
    command.downgrade(alembic_config(engine), "0008")
    upgrade(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []
