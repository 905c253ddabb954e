"""The registers as operations: each export is audited (they name every record)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from archive.access import AccessScope
from archive.audit import Actor, record
from retention import register

FILE_REGISTER = "retention.register.export"
DISPOSED_REGISTER = "retention.disposed.export"
DISPOSED_VIEW = "retention.disposed.view"
"""A residual record (tombstone) read: only a refusal is recorded."""


def file_register(session: Session, *, actor: Actor, scope: AccessScope) -> bytes:
    """The file management register (行政文書ファイル管理簿) as CSV, of what ``scope`` may read."""
    body = register.file_register_csv(session, scope)
    record(session, actor=actor, action=FILE_REGISTER)
    return body


def disposed_register(session: Session, *, actor: Actor, scope: AccessScope) -> bytes:
    """The transfer/destruction register (移管・廃棄簿) as CSV, of what ``scope`` may see."""
    body = register.disposed_register_csv(session, scope)
    record(session, actor=actor, action=DISPOSED_REGISTER)
    return body
