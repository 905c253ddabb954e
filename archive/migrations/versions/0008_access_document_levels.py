"""access: the security level of disposition items, residual records and responsive records

Officers see a disposed document's item, certificate line, residual record or responsive
record only when cleared for its level, so the level is kept with them. Rows whose document still exists
take its level; rows of documents already gone count as ``secret`` (3).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TABLES = ("disposition_items", "disposition_register", "disclosure_records")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("security_level", sa.Integer(), nullable=False, server_default="3")
            )
        op.execute(
            f"UPDATE {table} SET security_level = (SELECT documents.security_level FROM documents"
            f" WHERE documents.id = {table}.document_id)"
            f" WHERE EXISTS (SELECT 1 FROM documents WHERE documents.id = {table}.document_id)"
        )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("security_level")
