"""correction links between documents, officers' field corrections

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("corrects_id", sa.String(length=36), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_corrections_document_id_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["corrects_id"],
            ["documents.id"],
            name=op.f("fk_document_corrections_corrects_id_documents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_corrections")),
        sa.UniqueConstraint(
            "document_id",
            "corrects_id",
            name=op.f("uq_document_corrections_document_id"),
        ),
    )
    op.create_index(
        op.f("ix_document_corrections_document_id"), "document_corrections", ["document_id"]
    )
    op.create_index(
        op.f("ix_document_corrections_corrects_id"), "document_corrections", ["corrects_id"]
    )
    with op.batch_alter_table("document_fields") as batch:
        batch.add_column(sa.Column("corrected_by", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("document_fields") as batch:
        batch.drop_column("corrected_by")
    op.drop_index(op.f("ix_document_corrections_corrects_id"), table_name="document_corrections")
    op.drop_index(op.f("ix_document_corrections_document_id"), table_name="document_corrections")
    op.drop_table("document_corrections")
