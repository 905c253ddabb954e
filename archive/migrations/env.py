"""Alembic environment: migrations run on the connection ``archive.db.upgrade`` hands in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

# Every model module registers its tables on Base.metadata (autogenerate compares them all).
import disclosure.models  # noqa: F401
import retention.models  # noqa: F401
from archive import bulk_shares, events, intake_batches, models, webhooks  # noqa: F401
from archive.db import Base

connection = context.config.attributes["connection"]
if connection.dialect.name == "postgresql":
    # Several API processes may start at once; one migrates, the others wait.
    connection.execute(text("SELECT pg_advisory_xact_lock(4242001)"))
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
