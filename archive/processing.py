"""Processing state of documents: claiming work, recording steps, results and failures.

The document row is the durable truth about pending work: a task queue only says
"look at this document now". A document is claimed atomically, so a message delivered
twice, or a sweep racing a worker, never processes it twice at once.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from archive.bulk_shares import bulk_waiting
from archive.events import EventType, emit
from archive.models import (
    Derivative,
    Document,
    DocumentField,
    DocumentStatus,
    DocumentVersion,
    ProcessingStep,
    TypeSource,
    utcnow,
)

LEASE = timedelta(seconds=60)
"""How long a claim lasts unless renewed: the worker renews it while it works (``renew``), so
a worker that died mid-document gives the document up after this, however long the work."""
MAX_ATTEMPTS = 3
"""Claims of one document before it is failed: content that kills workers must not loop."""


_CLAIM = (
    update(Document)
    .where(
        Document.id == bindparam("document_id"),
        or_(
            Document.status == DocumentStatus.RECEIVED,
            and_(
                Document.status == DocumentStatus.PROCESSING,
                Document.processing_started_at < bindparam("lapsed_before"),
            ),
        ),
    )
    .values(
        status=DocumentStatus.PROCESSING,
        processing_started_at=bindparam("now"),
        attempts=Document.attempts + 1,
    )
    .returning(Document)
)
"""The claim, built once: one statement that updates the row and returns it."""


def claim(
    session: Session,
    document_id: str,
    *,
    lease: timedelta = LEASE,
    now: datetime | None = None,
) -> Document | None:
    """Mark the document ``processing`` if it is waiting (or its claim lapsed); return it.

    None means another worker holds it, or there is nothing to do. The claim lasts ``lease``
    from ``processing_started_at``, which ``renew`` moves forward while the work goes on.
    """
    now = now or utcnow()
    # The row as the update left it, even if this session had loaded it before.
    document = session.scalars(
        _CLAIM,
        {"document_id": document_id, "now": now, "lapsed_before": now - lease},
        execution_options={"populate_existing": True, "synchronize_session": False},
    ).first()
    if document is None:
        return None
    if document.attempts > MAX_ATTEMPTS:
        last = f" (last: {document.status_reason})" if document.status_reason else ""
        set_status(
            session,
            document,
            DocumentStatus.FAILED,
            f"gave up after {MAX_ATTEMPTS} attempts{last}: the worker stopped or timed out",
        )
        return None
    return document


def renew(session: Session, document_id: str, *, now: datetime | None = None) -> None:
    """Extend the claim on a document still ``processing`` (the worker is alive)."""
    session.execute(
        update(Document)
        .where(Document.id == document_id, Document.status == DocumentStatus.PROCESSING)
        .values(processing_started_at=now or utcnow())
    )


@dataclass(frozen=True)
class StepRecord:
    """The outcome of one pipeline step, to be written with ``record_steps``."""

    document_id: str
    version_id: str
    step: str
    status: str
    started_at: datetime
    duration_ms: float
    detail: dict[str, Any] | None = None


def record_steps(session: Session, records: Sequence[StepRecord]) -> None:
    """Write step outcomes, replacing earlier outcomes of the same steps (a retry)."""
    by_version: dict[str, set[str]] = {}
    for rec in records:
        by_version.setdefault(rec.version_id, set()).add(rec.step)
    by_steps: dict[tuple[str, ...], list[str]] = {}
    for version_id, names in by_version.items():
        by_steps.setdefault(tuple(sorted(names)), []).append(version_id)
    for steps, version_ids in by_steps.items():  # one statement per set of steps
        session.execute(
            delete(ProcessingStep).where(
                ProcessingStep.version_id.in_(version_ids), ProcessingStep.step.in_(steps)
            )
        )
    rows = [
        {
            "document_id": rec.document_id,
            "version_id": rec.version_id,
            "step": rec.step,
            "status": rec.status,
            "started_at": rec.started_at,
            "duration_ms": round(rec.duration_ms, 1),
            "detail": json.dumps(rec.detail, ensure_ascii=False, default=str)
            if rec.detail
            else None,
        }
        for rec in records
    ]
    if rows:  # one statement for all; with NULLs written out, rows with and without a detail
        session.execute(insert(ProcessingStep).execution_options(render_nulls=True), rows)


def steps_of(session: Session, document: Document) -> list[ProcessingStep]:
    version = document.current_version
    return list(
        session.scalars(
            select(ProcessingStep)
            .where(ProcessingStep.version_id == version.id)
            .order_by(ProcessingStep.started_at)
        )
    )


_PUBLISHED = {
    DocumentStatus.INDEXED: EventType.DOCUMENT_INDEXED,
    DocumentStatus.FAILED: EventType.DOCUMENT_FAILED,
}
"""Status changes the other systems hear of."""


def set_status(
    session: Session, document: Document, status: DocumentStatus, reason: str | None = None
) -> None:
    if status != document.status and status in _PUBLISHED:
        emit(session, _PUBLISHED[status], document_id=document.id, reason=reason)
    document.status = status
    document.status_reason = reason
    if status not in (DocumentStatus.PROCESSING, DocumentStatus.RECEIVED):
        document.processing_started_at = None


PAGE_PREVIEW = "preview"
"""The kind of page previews (``preview-<dpi>dpi``), derivatives of the original alone."""


def replace_derivative(
    session: Session,
    version: DocumentVersion,
    *,
    kind: str,
    page: int,
    key: str,
    size: int,
    media_type: str,
) -> None:
    """Point ``version``'s (kind, page) derivative at a stored blob, replacing an earlier one."""
    session.execute(
        delete(Derivative).where(
            Derivative.version_id == version.id, Derivative.kind == kind, Derivative.page == page
        )
    )
    session.add(
        Derivative(
            version_id=version.id,
            kind=kind,
            page=page,
            blob_key=key,
            size=size,
            media_type=media_type,
        )
    )


def derivatives_of(
    session: Session, version: DocumentVersion, kind: str | None = None
) -> list[Derivative]:
    query = select(Derivative).where(Derivative.version_id == version.id)
    if kind:
        query = query.where(Derivative.kind == kind)
    return list(session.scalars(query.order_by(Derivative.kind, Derivative.page)))


def replace_fields(
    session: Session, version: DocumentVersion, fields: Sequence[DocumentField]
) -> None:
    """What was read from ``version``; values corrected by hand stay, in place of a re-reading."""
    kept = set(
        session.scalars(
            select(DocumentField.name).where(
                DocumentField.version_id == version.id, DocumentField.corrected_by.is_not(None)
            )
        )
    )
    session.execute(
        delete(DocumentField).where(
            DocumentField.version_id == version.id, DocumentField.corrected_by.is_(None)
        )
    )
    session.add_all(f for f in fields if f.name not in kept)


def fields_of(session: Session, document: Document) -> list[DocumentField]:
    return list(
        session.scalars(
            select(DocumentField)
            .where(DocumentField.version_id == document.current_version.id)
            .order_by(DocumentField.name, DocumentField.page, DocumentField.start)
        )
    )


def reset_for_reprocessing(session: Session, document: Document) -> None:
    """Forget what was read from the current version (a type and fields set by hand stay)."""
    version = document.current_version
    session.execute(delete(ProcessingStep).where(ProcessingStep.version_id == version.id))
    session.execute(
        delete(DocumentField).where(
            DocumentField.version_id == version.id, DocumentField.corrected_by.is_(None)
        )
    )
    # Page previews render the unchanged original: kept, so disposition still finds their blobs.
    session.execute(
        delete(Derivative).where(
            Derivative.version_id == version.id, Derivative.kind.not_like(f"{PAGE_PREVIEW}%")
        )
    )
    if document.type_source != TypeSource.OFFICER:
        document.doc_type = document.type_confidence = document.type_reason = (
            document.type_source
        ) = None
    document.language = document.page_count = None
    document.attempts = 0
    set_status(session, document, DocumentStatus.RECEIVED)


@dataclass(frozen=True)
class Waiting:
    to_process: list[str]
    """Never picked up, or their claim lapsed (a worker died)."""
    to_index: list[str]
    """Processed, but the index was down when they were."""
    bulk: frozenset[str] = frozenset()
    """Those of ``to_process`` from a bulk import (queued behind interactive ones)."""
    in_shares: int = 0
    """Bulk documents waiting in their sender's share, not among ``to_process``: they wait
    for a "next bulk document" message each, not for a message of their own."""


def waiting_documents(
    session: Session,
    *,
    lease: timedelta = LEASE,
    now: datetime | None = None,
    grace: timedelta = timedelta(minutes=2),
) -> Waiting:
    """Documents that have waited too long for the next step (or whose claim lapsed)."""
    now = now or utcnow()
    to_process = session.execute(
        select(Document.id, Document.bulk).where(
            or_(
                and_(
                    Document.status == DocumentStatus.RECEIVED,
                    Document.bulk_share.is_(None),
                    Document.updated_at < now - grace,
                ),
                and_(
                    Document.status == DocumentStatus.PROCESSING,
                    Document.processing_started_at < now - lease,
                ),
            )
        )
    )
    to_index = session.scalars(
        select(Document.id).where(
            Document.status == DocumentStatus.PROCESSED, Document.updated_at < now - grace
        )
    )
    pending = to_process.all()
    return Waiting(
        [doc_id for doc_id, _ in pending],
        list(to_index),
        frozenset(doc_id for doc_id, bulk in pending if bulk),
        bulk_waiting(session),
    )


@dataclass(frozen=True)
class BatchProgress:
    batch_id: str
    total: int
    by_status: dict[str, int]

    @property
    def done(self) -> int:
        return sum(
            n
            for status, n in self.by_status.items()
            if status in (DocumentStatus.INDEXED, DocumentStatus.FAILED)
        )


def batch_progress(session: Session, batch_id: str, readable_clause: Any) -> BatchProgress:
    rows = session.execute(
        select(Document.status, func.count())
        .where(Document.batch_id == batch_id, readable_clause)
        .group_by(Document.status)
    ).all()
    by_status = {
        str(status.value if hasattr(status, "value") else status): int(n) for status, n in rows
    }
    return BatchProgress(batch_id, sum(by_status.values()), by_status)
