"""Reading the audit log: filtered, paginated, and as CSV."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select
from sqlalchemy.orm import Session

from archive import (
    AccessScope,
    Actor,
    AuditEvent,
    Document,
    csv_chunks,
    readable,
    readable_level,
    record,
)
from retention.models import DispositionRecord

READ = "audit.read"
EXPORT = "audit.export"
CSV_FIELDS = (
    "seq",
    "at",
    "actor",
    "action",
    "target",
    "outcome",
    "client_ip",
    "detail",
    "prev_hash",
    "hash",
)


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    action: str | None = None
    target: str | None = None
    outcome: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def visible_to(scope: AccessScope) -> ColumnElement[bool]:
    """Entries ``scope`` may see: those naming no document, or a document it may read (or, once
    the document is gone, whose residual record it may see)."""
    target = AuditEvent.target
    live = exists().where(Document.id == target)
    residual = exists().where(DispositionRecord.document_id == target)
    return or_(
        target.is_(None),
        and_(~live, ~residual),
        target.in_(select(Document.id).where(readable(scope))),
        and_(
            ~live,
            exists().where(
                DispositionRecord.document_id == target,
                readable_level(DispositionRecord.security_level, scope),
            ),
        ),
    )


def _query(flt: AuditFilter, scope: AccessScope) -> Select[AuditEvent]:
    query = select(AuditEvent).where(visible_to(scope))
    if flt.actor:
        query = query.where(AuditEvent.actor == flt.actor)
    if flt.action:
        # "document." matches every document action; "%" and "_" in it are only characters.
        query = query.where(
            AuditEvent.action.startswith(flt.action, autoescape=True)
            if flt.action.endswith(".")
            else AuditEvent.action == flt.action
        )
    if flt.target:
        query = query.where(AuditEvent.target == flt.target)
    if flt.outcome:
        query = query.where(AuditEvent.outcome == flt.outcome)
    if flt.since:
        query = query.where(AuditEvent.at >= flt.since)
    if flt.until:
        query = query.where(AuditEvent.at < flt.until)
    return query


def list_events(
    session: Session,
    flt: AuditFilter,
    scope: AccessScope,
    *,
    limit: int,
    before_seq: int | None,
) -> list[AuditEvent]:
    """Newest first, those ``scope`` may see; ``before_seq`` continues after the previous page."""
    query = _query(flt, scope)
    if before_seq is not None:
        query = query.where(AuditEvent.seq < before_seq)
    return list(session.scalars(query.order_by(AuditEvent.seq.desc()).limit(limit)))


def export_csv(session: Session, flt: AuditFilter, scope: AccessScope) -> Iterator[str]:
    """The matching entries ``scope`` may see, oldest first, as CSV text chunks (streamed)."""
    rows = session.scalars(
        _query(flt, scope).order_by(AuditEvent.seq).execution_options(yield_per=1000)
    )
    yield from csv_chunks(CSV_FIELDS, ([getattr(e, name) for name in CSV_FIELDS] for e in rows))


def read_log(
    session: Session,
    flt: AuditFilter,
    scope: AccessScope,
    *,
    actor: Actor,
    limit: int,
    before_seq: int | None = None,
) -> list[AuditEvent]:
    """``list_events``, the reading itself recorded (with the filter) as ``audit.read``."""
    events = list_events(session, flt, scope, limit=limit, before_seq=before_seq)
    record(session, actor=actor, action=READ, detail={"filter": flt})
    return events


def start_export(session: Session, flt: AuditFilter, *, actor: Actor) -> None:
    """Record an export of the log (with its filter) as ``audit.export``, before it streams."""
    record(session, actor=actor, action=EXPORT, detail={"filter": flt})
