"""Disposition: find what is due, batch it, review, approve (four eyes); ``execution`` carries it out.

Nothing is ever removed because a date passed: the daily run only *proposes* a batch. A
records officer reviews it (and may exclude items, with a reason), a different officer
approves it, and only then does execution destroy or transfer — re-checking holds,
extensions and storage locks for every item at that moment. Execution is resumable: a
batch stopped half-way is executed again from where it stopped (``retention.execution``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from archive import (
    AccessScope,
    Conflict,
    Document,
    EventType,
    Forbidden,
    InvalidInput,
    NotReadable,
    RecordNotFound,
    emit,
    utcnow,
)
from retention.backends import Backends
from retention.holds import held_documents, refresh_query_holds
from retention.models import (
    BatchStatus,
    DispositionAction,
    DispositionBatch,
    DispositionItem,
    DispositionRecord,
    DocumentRetention,
    ItemOutcome,
)
from retention.visibility import require_whole_batch, tombstone_readable

OPEN_STATUSES = (
    BatchStatus.PROPOSED,
    BatchStatus.REVIEWED,
    BatchStatus.APPROVED,
    BatchStatus.EXECUTING,
)


@dataclass
class DailyRun:
    as_of: date
    batch_id: str | None = None
    proposed: int = 0
    held: list[str] = field(default_factory=list)
    query_holds_added: int = 0


def due_rows(session: Session, as_of: date) -> list[DocumentRetention]:
    """Records whose disposition date has passed by ``as_of`` and that no open batch holds yet.

    Items excluded at review for the same disposition date are not proposed again; an
    extension (a new date) makes them due again later.
    """
    in_open_batch = (
        select(DispositionItem.document_id)
        .join(DispositionBatch, DispositionBatch.id == DispositionItem.batch_id)
        .where(DispositionBatch.status.in_(OPEN_STATUSES), DispositionItem.excluded.is_(False))
    )
    excluded_same_date = exists().where(
        DispositionItem.document_id == DocumentRetention.document_id,
        DispositionItem.excluded.is_(True),
        DispositionItem.disposition_date == DocumentRetention.disposition_date,
    )
    query = (
        select(DocumentRetention)
        .where(
            DocumentRetention.disposition_date.is_not(None),
            DocumentRetention.disposition_date < as_of,
            DocumentRetention.document_id.not_in(in_open_batch),
            ~excluded_same_date,
        )
        .order_by(DocumentRetention.disposition_date, DocumentRetention.document_id)
    )
    return list(session.scalars(query))


def run_daily(backends: Backends, *, as_of: date, actor: str) -> DailyRun:
    """The daily job: refresh saved-query holds, then propose a batch of what is due (held records wait)."""
    session, store, index = backends.session, backends.store, backends.index
    result = DailyRun(as_of)
    if index is not None:
        result.query_holds_added = refresh_query_holds(session, store, index, actor=actor)
    rows = due_rows(session, as_of)
    held = held_documents(session, [r.document_id for r in rows])
    result.held = sorted(held)
    rows = [r for r in rows if r.document_id not in held]
    if not rows:
        return result
    batch = DispositionBatch(as_of=as_of, created_by=actor)
    session.add(batch)
    session.flush()
    for row in rows:
        document = session.get(Document, row.document_id)
        series = row.file.series if row.file is not None else row.series
        if document is None or series is None or row.disposition_date is None:
            continue
        session.add(
            DispositionItem(
                batch_id=batch.id,
                document_id=document.id,
                title=document.title,
                security_level=document.security_level,
                series_code=series.code,
                file_id=row.file_id,
                action=series.action,
                disposition_date=row.disposition_date,
            )
        )
        result.proposed += 1
    session.flush()
    result.batch_id = batch.id
    emit(
        session,
        EventType.RETENTION_DUE,
        batch_id=batch.id,
        as_of=as_of.isoformat(),
        documents=result.proposed,
    )
    return result


def get_batch(session: Session, batch_id: str) -> DispositionBatch:
    batch = session.get(DispositionBatch, batch_id)
    if batch is None:
        raise RecordNotFound(f"no disposition batch {batch_id}")
    return batch


def list_batches(session: Session, *, status: BatchStatus | None = None) -> list[DispositionBatch]:
    query = select(DispositionBatch).order_by(DispositionBatch.created_at.desc())
    if status is not None:
        query = query.where(DispositionBatch.status == status)
    return list(session.scalars(query))


def review(
    session: Session,
    batch: DispositionBatch,
    *,
    actor: str,
    scope: AccessScope,
    exclusions: Mapping[str, str] | None = None,
    decisions: Mapping[str, DispositionAction] | None = None,
    now: datetime | None = None,
) -> DispositionBatch:
    """A records officer reviews the batch: excludes items (each with a reason) and decides "review" items.

    The officer must be able to read every item (``NotCleared`` otherwise), as for approval,
    execution and the certificate.
    """
    require_whole_batch(session, batch, scope)
    if batch.status is not BatchStatus.PROPOSED:
        raise Conflict(f"only a proposed batch can be reviewed; this one is {batch.status.value}")
    exclusions, decisions = dict(exclusions or {}), dict(decisions or {})
    items = {item.document_id: item for item in batch.items}
    unknown = [d for d in [*exclusions, *decisions] if d not in items]
    if unknown:
        raise InvalidInput(f"not in this batch: {', '.join(unknown[:10])}", field="exclusions")
    for document_id, reason in exclusions.items():
        if not (reason or "").strip():
            raise InvalidInput(f"excluding {document_id} needs a reason", field="exclusions")
    for action in decisions.values():
        if action is DispositionAction.REVIEW:
            raise InvalidInput("a decision is destroy or transfer", field="decisions")
    undecided = [
        d
        for d, item in items.items()
        if item.action is DispositionAction.REVIEW and d not in exclusions and d not in decisions
    ]
    if undecided:
        raise InvalidInput(
            f"decide destroy or transfer (or exclude) for the items whose series says review: {', '.join(undecided[:10])}",
            field="decisions",
        )
    for document_id, item in items.items():
        if document_id in exclusions:
            item.excluded, item.exclusion_reason, item.outcome = (
                True,
                exclusions[document_id].strip(),
                ItemOutcome.EXCLUDED.value,
            )
        elif document_id in decisions:
            item.outcome_detail = (
                f"series says review; decided at review: {decisions[document_id].value}"
            )
            item.action = decisions[document_id]
    batch.status, batch.reviewed_by, batch.reviewed_at = (
        BatchStatus.REVIEWED,
        actor,
        now or utcnow(),
    )
    session.flush()
    return batch


def approve(
    session: Session,
    batch: DispositionBatch,
    *,
    actor: str,
    scope: AccessScope,
    now: datetime | None = None,
) -> DispositionBatch:
    """A second records officer approves a reviewed batch (never the one who reviewed it)."""
    require_whole_batch(session, batch, scope)
    if batch.status is not BatchStatus.REVIEWED:
        raise Conflict(f"only a reviewed batch can be approved; this one is {batch.status.value}")
    if actor == batch.reviewed_by:
        raise Forbidden(
            "the officer who reviewed a batch may not approve it: a second officer must (four eyes)"
        )
    batch.status, batch.approved_by, batch.approved_at = (
        BatchStatus.APPROVED,
        actor,
        now or utcnow(),
    )
    session.flush()
    return batch


def tombstone(session: Session, document_id: str, scope: AccessScope) -> DispositionRecord:
    """The residual record, if ``scope`` may see it (``NotReadable`` when it may not)."""
    found = session.get(DispositionRecord, document_id)
    if found is None:
        raise RecordNotFound(document_id)
    visible = session.scalar(
        select(DispositionRecord.document_id).where(
            DispositionRecord.document_id == document_id, tombstone_readable(scope)
        )
    )
    if visible is None:
        raise NotReadable(document_id)
    return found


def batch_summary(batch: DispositionBatch) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in batch.items:
        counts[item.outcome] = counts.get(item.outcome, 0) + 1
    return counts
