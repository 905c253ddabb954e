"""versions branch: upload claims on blobs

Revision ID: 0007_versions
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_versions"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_blobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("blob_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_blobs")),
    )
    op.create_index(op.f("ix_pending_blobs_blob_key"), "pending_blobs", ["blob_key"])


def downgrade() -> None:
    op.drop_index(op.f("ix_pending_blobs_blob_key"), table_name="pending_blobs")
    op.drop_table("pending_blobs")
