"""``/api/v1``: a document's retention, files (簿冊), what is due, the registers, residual records.

Changes need the ``records`` permission (records officers) and are use cases of
``retention.usecases``; a document's retention can be read by anyone who may read the
document.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field

from archive import Permission, Principal
from retention import (
    Explanation,
    FileStatus,
    RecordFile,
    fiscal_year_of,
    today_in_japan,
    tombstone,
)
from retention import engine_service as engine
from retention import explanation_service as explanation
from retention import file_service as files
from retention import record_cases as cases
from retention import register_cases as registers
from retention import register_service as register
from web.access import denials, readable_document
from web.deps import Reader, ServicesDep, SessionDep, require
from web.schemas import FiscalYear
from web.streaming import CsvResponse

router = APIRouter(prefix="/api/v1", tags=["retention"])
Records = Annotated[Principal, Depends(require(Permission.RECORDS))]


# --- a document's retention ---------------------------------------------------------------


class AssignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    series: str | None = None
    event_date: date | None = None
    clear_event_date: bool = False
    reason: str | None = Field(default=None, max_length=2000)


class ExtensionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    until: date | None = None
    years: int | None = None
    reason: str = Field(max_length=2000)
    legal_basis: str = Field(max_length=2000)


@router.get("/documents/{document_id}/retention")
def document_retention(document_id: str, session: SessionDep, principal: Reader) -> Explanation:
    """Which rule, which trigger date and which extensions give this document its disposition date."""
    readable_document(session, document_id, principal, cases.VIEW)
    return explanation.explain(session, document_id)


@router.put("/documents/{document_id}/retention")
def assign_retention(
    document_id: str, body: AssignIn, session: SessionDep, services: ServicesDep, principal: Records
) -> Explanation:
    """Set a document's series by hand, or its event date (e.g. a corrected contract end); dates follow."""
    readable_document(session, document_id, principal, cases.ASSIGN, record_read=False)
    cases.assign(
        services.backends(session), document_id, actor=principal.actor, **body.model_dump()
    )
    session.commit()
    return explanation.explain(session, document_id)


@router.post("/documents/{document_id}/retention/extensions", status_code=201)
def extend_document(
    document_id: str,
    body: ExtensionIn,
    session: SessionDep,
    services: ServicesDep,
    principal: Records,
) -> Explanation:
    """Extend (延長) the retention to a later date, with reason and legal basis; an earlier date is 409."""
    readable_document(session, document_id, principal, cases.EXTEND, record_read=False)
    cases.extend_document(
        services.backends(session), document_id, actor=principal.actor, **body.model_dump()
    )
    session.commit()
    return explanation.explain(session, document_id)


# --- files (簿冊) --------------------------------------------------------------------------


class FileIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    series: str
    title: str = Field(max_length=500)
    department: str | None = None
    opened_on: date


class FileOut(BaseModel):
    id: str
    series: str
    title: str
    department: str | None
    opened_on: date
    closed_on: date | None
    event_date: date | None
    status: FileStatus
    documents: int
    start_date: date | None
    disposition_date: date | None
    permanent: bool
    pending_reason: str | None

    @classmethod
    def of(cls, session: SessionDep, f: RecordFile) -> FileOut:
        computed = engine.compute_file(session, f)
        return cls(
            id=f.id,
            series=f.series.code,
            title=f.title,
            department=f.department.code if f.department else None,
            opened_on=f.opened_on,
            closed_on=f.closed_on,
            event_date=f.event_date,
            status=f.status,
            documents=files.file_size(session, f.id),
            start_date=computed.start_date,
            disposition_date=computed.disposition_date,
            permanent=computed.permanent,
            pending_reason=computed.pending_reason,
        )


class FileDocumentsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document_ids: list[str] = Field(min_length=1, max_length=1000)


class CloseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    closed_on: date


class EventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    event_date: date | None


@router.get("/retention/files", response_model=list[FileOut])
def list_files(
    session: SessionDep,
    principal: Records,
    status: FileStatus | None = None,
    series: str | None = None,
) -> list[FileOut]:
    return [
        FileOut.of(session, f) for f in files.list_files(session, status=status, series_code=series)
    ]


@router.post("/retention/files", response_model=FileOut, status_code=201)
def open_file(body: FileIn, session: SessionDep, principal: Records) -> FileOut:
    """Open a file (簿冊) of a series."""
    f = cases.open_file(session, actor=principal.actor, **body.model_dump())
    session.commit()
    return FileOut.of(session, f)


@router.get("/retention/files/{file_id}", response_model=FileOut)
def get_file(file_id: str, session: SessionDep, principal: Records) -> FileOut:
    return FileOut.of(session, files.get_file(session, file_id))


@router.post("/retention/files/{file_id}/documents", response_model=FileOut)
def add_documents(
    file_id: str,
    body: FileDocumentsIn,
    session: SessionDep,
    services: ServicesDep,
    principal: Records,
) -> FileOut:
    """File documents into an open file: they take its series and dates."""
    files.get_file(session, file_id)
    for document_id in body.document_ids:
        readable_document(session, document_id, principal, cases.FILE_DOCUMENTS, record_read=False)
    f = cases.file_documents(
        session, services.store, file_id, body.document_ids, actor=principal.actor
    )
    session.commit()
    return FileOut.of(session, f)


@router.post("/retention/files/{file_id}/close", response_model=FileOut)
def close_file(
    file_id: str, body: CloseIn, session: SessionDep, services: ServicesDep, principal: Records
) -> FileOut:
    """Close the file (the cutoff): retention starts April 1 after the fiscal year of ``closed_on``."""
    f = cases.close_file(session, services.store, file_id, body.closed_on, actor=principal.actor)
    session.commit()
    return FileOut.of(session, f)


@router.put("/retention/files/{file_id}/event-date", response_model=FileOut)
def set_event_date(
    file_id: str, body: EventIn, session: SessionDep, services: ServicesDep, principal: Records
) -> FileOut:
    f = cases.set_file_event_date(
        session, services.store, file_id, body.event_date, actor=principal.actor
    )
    session.commit()
    return FileOut.of(session, f)


@router.post("/retention/files/{file_id}/extensions", response_model=FileOut, status_code=201)
def extend_file(
    file_id: str, body: ExtensionIn, session: SessionDep, services: ServicesDep, principal: Records
) -> FileOut:
    """Extend (延長) a file's retention; every document in it follows. An earlier date is 409."""
    f = cases.extend_file(
        services.backends(session), file_id, actor=principal.actor, **body.model_dump()
    )
    session.commit()
    return FileOut.of(session, f)


# --- registers ----------------------------------------------------------------------------


class DueOut(BaseModel):
    fiscal_year: int
    items: list[dict[str, Any]]
    withheld: int = Field(description="how many more are due that you may not read")


@router.get("/retention/due", response_model=DueOut)
def due(session: SessionDep, principal: Records, fiscal_year: FiscalYear | None = None) -> DueOut:
    """Records whose disposition date falls in the fiscal year (default: this one) or before."""
    year = fiscal_year if fiscal_year is not None else fiscal_year_of(today_in_japan())
    found = register.due_in_fiscal_year(session, year, principal.scope)
    return DueOut(
        fiscal_year=year, items=[r.__dict__ for r in found.records], withheld=found.withheld
    )


def _csv_response(body: bytes, name: str) -> Response:
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/retention/register.csv", response_class=CsvResponse)
def file_register(session: SessionDep, principal: Records) -> Response:
    """The file management register (行政文書ファイル管理簿)."""
    body = registers.file_register(session, actor=principal.actor, scope=principal.scope)
    session.commit()
    return _csv_response(body, f"file-register-{today_in_japan().isoformat()}.csv")


@router.get("/retention/disposed.csv", response_class=CsvResponse)
def disposed_register(session: SessionDep, principal: Records) -> Response:
    """The transfer/destruction register (移管・廃棄簿): residual records of what left the archive."""
    body = registers.disposed_register(session, actor=principal.actor, scope=principal.scope)
    session.commit()
    return _csv_response(body, "disposition-register.csv")


class TombstoneOut(BaseModel):
    document_id: str
    title: str
    series_code: str
    series_name: str
    department_code: str | None
    file_id: str | None
    file_title: str | None
    document_date: date | None
    created_at: datetime
    retention_start: date | None
    disposition_date: date
    action: str
    executed_at: datetime
    batch_id: str
    hashes: dict[str, list[str]]


@router.get("/retention/disposed/{document_id}", response_model=TombstoneOut)
def disposed(document_id: str, session: SessionDep, principal: Records) -> TombstoneOut:
    """The residual record of a destroyed or transferred document."""
    with denials(session, principal, registers.DISPOSED_VIEW, document_id):
        found = tombstone(session, document_id, principal.scope)
    values = {c: getattr(found, c) for c in TombstoneOut.model_fields if c != "hashes"}
    return TombstoneOut(**values, hashes=json.loads(found.hashes))
