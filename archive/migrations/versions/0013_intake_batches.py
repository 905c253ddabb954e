"""bulk intake batches and their rows; a document's queue priority

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "intake_batches",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.Column("total_rows", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_batches")),
        sa.UniqueConstraint(
            "created_by",
            "manifest_sha256",
            name=op.f("uq_intake_batches_created_by"),
        ),
    )
    op.create_table(
        "intake_batch_rows",
        sa.Column("batch_id", sa.String(length=36), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("file", sa.String(length=1000), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("document_id", sa.String(length=36), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("extra", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["intake_batches.id"],
            name=op.f("fk_intake_batch_rows_batch_id_intake_batches"),
        ),
        sa.PrimaryKeyConstraint("batch_id", "row", name=op.f("pk_intake_batch_rows")),
    )
    op.create_index(op.f("ix_intake_batch_rows_document_id"), "intake_batch_rows", ["document_id"])
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("bulk", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("bulk")
    op.drop_index(op.f("ix_intake_batch_rows_document_id"), table_name="intake_batch_rows")
    op.drop_table("intake_batch_rows")
    op.drop_table("intake_batches")
