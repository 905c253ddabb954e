"""Files (行政文書ファイル, 簿冊): documents of one series kept together, opened and closed.

Closing a file is its cutoff: its retention starts on April 1 after the fiscal year it
was closed in, and every document in it takes the file's dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive import (
    Conflict,
    Document,
    InvalidInput,
    RecordNotFound,
    find_department,
)
from retention.assigned_by import AssignedBy
from retention.engine import ensure_row, recompute, recompute_file
from retention.models import DocumentRetention, FileStatus, RecordFile
from retention.plan import get_series


def get_file(session: Session, file_id: str) -> RecordFile:
    record_file = session.get(RecordFile, file_id)
    if record_file is None:
        raise RecordNotFound(f"no file {file_id}")
    return record_file


def list_files(
    session: Session, *, status: FileStatus | None = None, series_code: str | None = None
) -> list[RecordFile]:
    query = select(RecordFile).order_by(RecordFile.opened_on.desc(), RecordFile.title)
    if status is not None:
        query = query.where(RecordFile.status == status)
    if series_code is not None:
        query = query.where(RecordFile.series_id == get_series(session, series_code).id)
    return list(session.scalars(query))


def file_document_ids(session: Session, file_id: str) -> list[str]:
    return list(
        session.scalars(
            select(DocumentRetention.document_id).where(DocumentRetention.file_id == file_id)
        )
    )


def file_size(session: Session, file_id: str) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(DocumentRetention)
            .where(DocumentRetention.file_id == file_id)
        )
        or 0
    )


def open_file(
    session: Session,
    *,
    series_code: str,
    title: str,
    opened_on: date,
    actor: str,
    department: str | None = None,
) -> RecordFile:
    if not title.strip():
        raise InvalidInput("a file needs a title", field="title")
    series = get_series(session, series_code)
    if not series.active:
        raise Conflict(f"series {series_code} is no longer in use")
    record_file = RecordFile(
        series=series,
        title=title.strip(),
        department_id=find_department(session, department).id
        if department
        else series.department_id,
        opened_on=opened_on,
        created_by=actor,
    )
    session.add(record_file)
    session.flush()
    return record_file


def file_documents(
    session: Session, record_file: RecordFile, document_ids: Sequence[str]
) -> list[str]:
    """Put documents into an open file; they take its series and, once it closes, its dates."""
    if record_file.status is not FileStatus.OPEN:
        raise Conflict("documents can only be filed into an open file")
    if not document_ids:
        raise InvalidInput("give document_ids", field="document_ids")
    known = set(session.scalars(select(Document.id).where(Document.id.in_(list(document_ids)))))
    unknown = [d for d in document_ids if d not in known]
    if unknown:
        raise RecordNotFound(f"no such documents: {', '.join(unknown[:10])}")
    for document_id in document_ids:
        row = ensure_row(session, document_id)
        if row.file_id not in (None, record_file.id):
            raise Conflict(f"document {document_id} is in another file")
        row.file_id = record_file.id
        row.series_id = record_file.series_id
        row.assigned_by = str(AssignedBy.file(record_file.id))
        session.flush()
        session.refresh(row)
        recompute(session, document_id)
    return list(document_ids)


def close_file(session: Session, record_file: RecordFile, closed_on: date) -> int:
    """Close the file (cutoff); return how many documents got their dates."""
    if record_file.status is not FileStatus.OPEN:
        raise Conflict(f"the file is {record_file.status.value}")
    if closed_on < record_file.opened_on:
        raise InvalidInput("a file cannot close before it opened", field="closed_on")
    record_file.closed_on = closed_on
    record_file.status = FileStatus.CLOSED
    session.flush()
    return recompute_file(session, record_file.id)


def set_file_event_date(session: Session, record_file: RecordFile, event_date: date | None) -> int:
    record_file.event_date = event_date
    session.flush()
    return recompute_file(session, record_file.id)
