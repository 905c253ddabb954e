"""versions branch: upload claims on blobs, metadata change history, version reasons

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document_versions") as batch:
        batch.add_column(sa.Column("reason", sa.Text(), nullable=True))
    op.create_table(
        "document_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_changes_document_id_documents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_changes")),
    )
    op.create_index(op.f("ix_document_changes_document_id"), "document_changes", ["document_id"])
    op.create_table(
        "pending_blobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("blob_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_blobs")),
    )
    op.create_index(op.f("ix_pending_blobs_blob_key"), "pending_blobs", ["blob_key"])


def downgrade() -> None:
    with op.batch_alter_table("document_versions") as batch:
        batch.drop_column("reason")
    op.drop_index(op.f("ix_document_changes_document_id"), table_name="document_changes")
    op.drop_table("document_changes")
    op.drop_index(op.f("ix_pending_blobs_blob_key"), table_name="pending_blobs")
    op.drop_table("pending_blobs")
