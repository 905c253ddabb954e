"""vendor templates learned from officers' field corrections

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vendor_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_number", sa.String(length=14), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("value_type", sa.String(length=10), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("next_line", sa.Boolean(), nullable=False),
        sa.Column("corrections", sa.Integer(), nullable=False),
        sa.Column("learned_from", sa.String(length=36), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vendor_templates")),
        sa.UniqueConstraint(
            "registration_number", "field", name=op.f("uq_vendor_templates_registration_number")
        ),
    )
    op.create_index(
        op.f("ix_vendor_templates_registration_number"),
        "vendor_templates",
        ["registration_number"],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_vendor_templates_registration_number"), table_name="vendor_templates")
    op.drop_table("vendor_templates")
