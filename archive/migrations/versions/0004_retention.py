"""retention and disposition: file plan, files, holds, batches, residual register

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "disposition_batches",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "proposed",
                "reviewed",
                "approved",
                "executing",
                "executed",
                name="batchstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_by", sa.String(length=200), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_by", sa.String(length=200), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("executed_by", sa.String(length=200), nullable=True),
        sa.Column("executed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("transfer_bag", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disposition_batches")),
    )
    with op.batch_alter_table("disposition_batches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_disposition_batches_status"), ["status"], unique=False)

    op.create_table(
        "disposition_register",
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("series_code", sa.String(length=40), nullable=False),
        sa.Column("series_name", sa.String(length=200), nullable=False),
        sa.Column("department_code", sa.String(length=64), nullable=True),
        sa.Column("file_id", sa.String(length=36), nullable=True),
        sa.Column("file_title", sa.String(length=500), nullable=True),
        sa.Column("document_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retention_start", sa.Date(), nullable=True),
        sa.Column("disposition_date", sa.Date(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("executed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("batch_id", sa.String(length=36), nullable=False),
        sa.Column("hashes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_disposition_register")),
    )
    with op.batch_alter_table("disposition_register", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_disposition_register_batch_id"), ["batch_id"], unique=False
        )

    op.create_table(
        "retention_extensions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=True),
        sa.Column("file_id", sa.String(length=36), nullable=True),
        sa.Column("previous_date", sa.Date(), nullable=True),
        sa.Column("new_date", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_extensions")),
    )
    with op.batch_alter_table("retention_extensions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_retention_extensions_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_retention_extensions_file_id"), ["file_id"], unique=False
        )

    op.create_table(
        "retention_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("query", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("released_by", sa.String(length=200), nullable=True),
        sa.Column("release_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_holds")),
        sa.UniqueConstraint("name", name=op.f("uq_retention_holds_name")),
    )
    op.create_table(
        "disposition_certificates",
        sa.Column("batch_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("csv", sa.LargeBinary(), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("csv_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["disposition_batches.id"],
            name=op.f("fk_disposition_certificates_batch_id_disposition_batches"),
        ),
        sa.PrimaryKeyConstraint("batch_id", name=op.f("pk_disposition_certificates")),
    )
    op.create_table(
        "disposition_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.String(length=36), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("series_code", sa.String(length=40), nullable=False),
        sa.Column("file_id", sa.String(length=36), nullable=True),
        sa.Column(
            "action",
            sa.Enum(
                "destroy",
                "transfer",
                "review",
                name="dispositionaction",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("disposition_date", sa.Date(), nullable=False),
        sa.Column("excluded", sa.Boolean(), nullable=False),
        sa.Column("exclusion_reason", sa.Text(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("outcome_detail", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["disposition_batches.id"],
            name=op.f("fk_disposition_items_batch_id_disposition_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disposition_items")),
        sa.UniqueConstraint("batch_id", "document_id", name=op.f("uq_disposition_items_batch_id")),
    )
    with op.batch_alter_table("disposition_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_disposition_items_batch_id"), ["batch_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_disposition_items_document_id"), ["document_id"], unique=False
        )

    op.create_table(
        "record_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("period_years", sa.Integer(), nullable=False),
        sa.Column("period_months", sa.Integer(), nullable=False),
        sa.Column("permanent", sa.Boolean(), nullable=False),
        sa.Column(
            "trigger",
            sa.Enum(
                "document_date",
                "fiscal_year_end",
                "event",
                name="trigger",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("event_field", sa.String(length=40), nullable=True),
        sa.Column(
            "action",
            sa.Enum(
                "destroy",
                "transfer",
                "review",
                name="dispositionaction",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("legal_basis", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_record_series_department_id_departments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_series")),
        sa.UniqueConstraint("code", name=op.f("uq_record_series_code")),
    )
    op.create_table(
        "retention_hold_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hold_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("released_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["hold_id"],
            ["retention_holds.id"],
            name=op.f("fk_retention_hold_items_hold_id_retention_holds"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_hold_items")),
        sa.UniqueConstraint("hold_id", "document_id", name=op.f("uq_retention_hold_items_hold_id")),
    )
    with op.batch_alter_table("retention_hold_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_retention_hold_items_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_retention_hold_items_hold_id"), ["hold_id"], unique=False
        )

    op.create_table(
        "record_files",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("event_date", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("open", "closed", "disposed", name="filestatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_record_files_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["series_id"],
            ["record_series.id"],
            name=op.f("fk_record_files_series_id_record_series"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_files")),
    )
    with op.batch_alter_table("record_files", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_record_files_department_id"), ["department_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_record_files_series_id"), ["series_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_record_files_status"), ["status"], unique=False)

    op.create_table(
        "series_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("doc_type", sa.String(length=20), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("title_contains", sa.String(length=200), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_series_rules_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["series_id"],
            ["record_series.id"],
            name=op.f("fk_series_rules_series_id_record_series"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_series_rules")),
    )
    with op.batch_alter_table("series_rules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_series_rules_series_id"), ["series_id"], unique=False)

    op.create_table(
        "document_retention",
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=True),
        sa.Column("file_id", sa.String(length=36), nullable=True),
        sa.Column("assigned_by", sa.String(length=200), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=True),
        sa.Column("trigger_date", sa.Date(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("disposition_date", sa.Date(), nullable=True),
        sa.Column("pending_reason", sa.String(length=200), nullable=True),
        sa.Column("lock_until", sa.Date(), nullable=True),
        sa.Column("lock_mode", sa.String(length=20), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_retention_document_id_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["record_files.id"],
            name=op.f("fk_document_retention_file_id_record_files"),
        ),
        sa.ForeignKeyConstraint(
            ["series_id"],
            ["record_series.id"],
            name=op.f("fk_document_retention_series_id_record_series"),
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_document_retention")),
    )
    with op.batch_alter_table("document_retention", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_retention_disposition_date"), ["disposition_date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_document_retention_file_id"), ["file_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_document_retention_series_id"), ["series_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("document_retention", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_retention_series_id"))
        batch_op.drop_index(batch_op.f("ix_document_retention_file_id"))
        batch_op.drop_index(batch_op.f("ix_document_retention_disposition_date"))

    op.drop_table("document_retention")
    with op.batch_alter_table("series_rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_series_rules_series_id"))

    op.drop_table("series_rules")
    with op.batch_alter_table("record_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_files_status"))
        batch_op.drop_index(batch_op.f("ix_record_files_series_id"))
        batch_op.drop_index(batch_op.f("ix_record_files_department_id"))

    op.drop_table("record_files")
    with op.batch_alter_table("retention_hold_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retention_hold_items_hold_id"))
        batch_op.drop_index(batch_op.f("ix_retention_hold_items_document_id"))

    op.drop_table("retention_hold_items")
    op.drop_table("record_series")
    with op.batch_alter_table("disposition_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_disposition_items_document_id"))
        batch_op.drop_index(batch_op.f("ix_disposition_items_batch_id"))

    op.drop_table("disposition_items")
    op.drop_table("disposition_certificates")
    op.drop_table("retention_holds")
    with op.batch_alter_table("retention_extensions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retention_extensions_file_id"))
        batch_op.drop_index(batch_op.f("ix_retention_extensions_document_id"))

    op.drop_table("retention_extensions")
    with op.batch_alter_table("disposition_register", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_disposition_register_batch_id"))

    op.drop_table("disposition_register")
    with op.batch_alter_table("disposition_batches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_disposition_batches_status"))

    op.drop_table("disposition_batches")
