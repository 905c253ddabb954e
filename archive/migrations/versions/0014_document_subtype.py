"""the finer document type under doc_type

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("subtype", sa.String(length=32), nullable=True))
    op.create_index(op.f("ix_documents_subtype"), "documents", ["subtype"])


def downgrade() -> None:
    op.drop_index(op.f("ix_documents_subtype"), table_name="documents")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("subtype")
