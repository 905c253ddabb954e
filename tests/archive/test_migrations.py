"""The migrations build exactly the schema the models declare, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from archive.db import Base
from web.services import Services


def test_migrations_match_the_models(services: Services) -> None:
    """GIVEN a database migrated to head WHEN compared with the models THEN nothing differs.

    A table or column added to a model without its migration (or the other way round)
    fails here, on SQLite and on PostgreSQL, instead of in production.
    """
    with services.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
