"""The migrations build exactly the schema the models declare, on both databases."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from archive.db import Base, alembic_config, upgrade
from web.services import Services


def test_migrations_match_the_models(services: Services) -> None:
    """GIVEN a database migrated to head WHEN compared with the models THEN nothing differs.

    A table or column added to a model without its migration (or the other way round)
    fails here, on SQLite and on PostgreSQL, instead of in production.
    """
    assert _differences(services.engine) == []


def _differences(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def _revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def test_upgrade_migrates_a_database_behind_and_leaves_one_at_head(services: Services) -> None:
    """GIVEN a database at the newest migration, then taken one migration back
    WHEN upgrade runs THEN at head it changes nothing, and behind it migrates to head again
    (upgrade only reads a database at head: it must not skip one that is behind)."""
    head = _revision(services.engine)
    upgrade(services.engine)
    assert _revision(services.engine) == head
    config = alembic_config()
    with services.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "-1")
    assert _revision(services.engine) not in (None, head)
    upgrade(services.engine)
    assert _revision(services.engine) == head
    assert _differences(services.engine) == []
