"""where each field is on its page: a box in fractions of the page

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

_COLUMNS = ("box_x0", "box_y0", "box_x1", "box_y1")


def upgrade() -> None:
    with op.batch_alter_table("document_fields") as batch:
        for name in _COLUMNS:
            batch.add_column(sa.Column(name, sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("document_fields") as batch:
        for name in reversed(_COLUMNS):
            batch.drop_column(name)
