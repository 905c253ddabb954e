"""the bulk waiting index led by the status: a bulk choice seeks each waiting share

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_documents_bulk_waiting", table_name="documents")
    op.create_index(
        "ix_documents_bulk_waiting", "documents", ["status", "bulk_share", "created_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_documents_bulk_waiting", table_name="documents")
    op.create_index(
        "ix_documents_bulk_waiting", "documents", ["bulk_share", "status", "created_at"]
    )
