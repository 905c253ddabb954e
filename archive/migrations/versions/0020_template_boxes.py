"""where an officer showed a vendor's value: a page and a box beside the learned label

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("vendor_templates") as batch:
        batch.add_column(sa.Column("box_page", sa.Integer(), nullable=True))
        for name in ("box_x0", "box_y0", "box_x1", "box_y1"):
            batch.add_column(sa.Column(name, sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("vendor_templates") as batch:
        for name in ("box_y1", "box_x1", "box_y0", "box_x0", "box_page"):
            batch.drop_column(name)
