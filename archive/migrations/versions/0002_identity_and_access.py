"""identity and access

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=100), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("roles", sa.String(length=200), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("clearance", sa.Integer(), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("oidc_subject", sa.String(length=300), nullable=True),
        sa.Column("locale", sa.String(length=10), nullable=True),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_users_department_id_departments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("login", name=op.f("uq_users_login")),
        sa.UniqueConstraint("oidc_subject", name=op.f("uq_users_oidc_subject")),
    )
    op.create_table(
        "document_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("granted_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_document_grants_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_document_grants_document_id_documents")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_document_grants_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_grants")),
    )
    with op.batch_alter_table("document_grants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_grants_department_id"), ["department_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_document_grants_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_document_grants_user_id"), ["user_id"], unique=False)

    op.create_table(
        "user_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("client_ip", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_sessions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_user_sessions")),
    )
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_sessions_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_system", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("department_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "scopes", sa.String(length=200), nullable=False, server_default="upload read search"
            )
        )
        batch_op.add_column(
            sa.Column("clearance", sa.Integer(), nullable=False, server_default="1")
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_api_keys_department_id_departments"),
            "departments",
            ["department_id"],
            ["id"],
        )

    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_en", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("path", sa.String(length=1000), nullable=False, server_default="/")
        )
        batch_op.create_index(batch_op.f("ix_departments_path"), ["path"], unique=False)

    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("security_level", sa.Integer(), nullable=False, server_default="1")
        )
        batch_op.add_column(sa.Column("created_by", sa.String(length=200), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_documents_security_level"), ["security_level"], unique=False
        )

    _fill_department_paths()


def _fill_department_paths() -> None:
    conn = op.get_bind()
    parents: dict[int, int | None] = {
        row[0]: row[1] for row in conn.execute(sa.text("SELECT id, parent_id FROM departments"))
    }

    def path(dept_id: int) -> str:
        parent = parents[dept_id]
        return (path(parent) if parent else "/") + f"{dept_id}/"

    for dept_id in parents:
        conn.execute(
            sa.text("UPDATE departments SET path = :p WHERE id = :i"),
            {"p": path(dept_id), "i": dept_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_security_level"))
        batch_op.drop_column("created_by")
        batch_op.drop_column("security_level")

    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_departments_path"))
        batch_op.drop_column("path")
        batch_op.drop_column("name_en")

    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_api_keys_department_id_departments"), type_="foreignkey"
        )
        batch_op.drop_column("clearance")
        batch_op.drop_column("scopes")
        batch_op.drop_column("department_id")
        batch_op.drop_column("source_system")

    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_sessions_user_id"))

    op.drop_table("user_sessions")
    with op.batch_alter_table("document_grants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_grants_user_id"))
        batch_op.drop_index(batch_op.f("ix_document_grants_document_id"))
        batch_op.drop_index(batch_op.f("ix_document_grants_department_id"))

    op.drop_table("document_grants")
    op.drop_table("users")
