"""processing pipeline

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "classifier_models",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("examples", sa.Integer(), nullable=False),
        sa.Column("corrections", sa.Integer(), nullable=False),
        sa.Column("model_json", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_classifier_models")),
    )
    op.create_table(
        "document_fields",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("version_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("value_type", sa.String(length=10), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column("valid", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_document_fields_document_id_documents")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["document_versions.id"],
            name=op.f("fk_document_fields_version_id_document_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_fields")),
    )
    with op.batch_alter_table("document_fields", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_fields_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_document_fields_name"), ["name"], unique=False)

    op.create_table(
        "processing_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("version_id", sa.String(length=36), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duration_ms", sa.Float(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_processing_steps_document_id_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["document_versions.id"],
            name=op.f("fk_processing_steps_version_id_document_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_processing_steps")),
        sa.UniqueConstraint("version_id", "step", name=op.f("uq_processing_steps_version_id")),
    )
    with op.batch_alter_table("processing_steps", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_processing_steps_document_id"), ["document_id"], unique=False
        )

    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("batch_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("doc_type", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("type_confidence", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("type_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("type_source", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("language", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("page_count", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("processing_started_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.create_index(batch_op.f("ix_documents_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_doc_type"), ["doc_type"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_doc_type"))
        batch_op.drop_index(batch_op.f("ix_documents_batch_id"))
        batch_op.drop_column("attempts")
        batch_op.drop_column("processing_started_at")
        batch_op.drop_column("page_count")
        batch_op.drop_column("language")
        batch_op.drop_column("type_source")
        batch_op.drop_column("type_reason")
        batch_op.drop_column("type_confidence")
        batch_op.drop_column("doc_type")
        batch_op.drop_column("batch_id")

    with op.batch_alter_table("processing_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_processing_steps_document_id"))

    op.drop_table("processing_steps")
    with op.batch_alter_table("document_fields", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_fields_name"))
        batch_op.drop_index(batch_op.f("ix_document_fields_document_id"))

    op.drop_table("document_fields")
    op.drop_table("classifier_models")
