"""bulk documents wait in their sender's share of the workers' time

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("bulk_share", sa.String(length=200), nullable=True))
        batch.create_index(
            "ix_documents_bulk_waiting", ["bulk_share", "status", "created_at"], unique=False
        )
    op.create_table(
        "bulk_shares",
        sa.Column("share", sa.String(length=200), nullable=False),
        sa.Column("served_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("share", name=op.f("pk_bulk_shares")),
    )


def downgrade() -> None:
    op.drop_table("bulk_shares")
    with op.batch_alter_table("documents") as batch:
        batch.drop_index("ix_documents_bulk_waiting")
        batch.drop_column("bulk_share")
