"""where a field was read from (text or an e-invoice's XML) and how sure

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document_fields") as batch:
        batch.add_column(
            sa.Column("source", sa.String(length=10), nullable=False, server_default="text")
        )
        batch.add_column(sa.Column("confidence", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("document_fields") as batch:
        batch.drop_column("confidence")
        batch.drop_column("source")
