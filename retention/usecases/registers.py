"""The registers as operations: each export is audited (they name every record), as is a
dry run of what is due."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from archive import AccessScope, Actor, record
from retention import register

FILE_REGISTER = "retention.register.export"
DISPOSED_REGISTER = "retention.disposed.export"
FORECAST = "retention.forecast"
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


def forecast(session: Session, day: date, *, actor: Actor, scope: AccessScope) -> register.Due:
    """A dry run: what the daily run would find due as of ``day`` (future days too); no batch."""
    found = register.due_by(session, day - timedelta(days=1), scope)
    detail = {"as_of": day.isoformat(), "records": len(found.records)}
    record(session, actor=actor, action=FORECAST, detail=detail)
    return found
