"""``/api/v1/disclosure/requests/{id}/…``: responsive records, redactions, decision, release package."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from archive import BlobKey, Principal, RecordNotFound
from disclosure import DisclosureRequest, Redaction, RedactionStatus, ResponsiveRecord, get_request
from disclosure import marking_service as marking
from disclosure import record_cases as cases
from disclosure import record_service as svc
from disclosure import redaction_cases as redactions
from web.access import WITHHELD_HEADER, denials
from web.api.disclosure import Officer, RequestOut, _full
from web.deps import ServicesDep, SessionDep
from web.schemas import RecordId
from web.streaming import stream_blob

REDACTION_LIST = "disclosure.redaction.list"
router = APIRouter(prefix="/api/v1/disclosure/requests/{request_id}", tags=["disclosure"])


class RecordOut(BaseModel):
    id: int
    document_id: str
    version_id: str
    sha256: str
    title: str
    media_type: str
    added_by: str
    released_sha256: str | None
    version: int | None = Field(description="the version the record is frozen at")
    current_version: int | None = Field(
        description="the document's current version (null once it is disposed of)"
    )
    newer_version: bool = Field(description="a newer version was added after attaching")


class RedactionOut(BaseModel):
    id: int
    page: int
    box: tuple[float, float, float, float]
    kind: str
    category: str
    note: str
    status: str


def _records_out(session: Session, rows: Sequence[ResponsiveRecord]) -> list[RecordOut]:
    states = svc.version_states(session, rows)
    return [_record_out(r, states[r.id]) for r in rows]


def _record_out(row: ResponsiveRecord, state: svc.VersionState) -> RecordOut:
    return RecordOut(
        id=row.id,
        document_id=row.document_id,
        version_id=row.version_id,
        sha256=row.blob_key,
        title=row.title,
        media_type=row.media_type,
        added_by=row.added_by,
        released_sha256=row.released_key,
        version=state.attached,
        current_version=state.current,
        newer_version=state.newer_exists,
    )


def _redaction_out(row: Redaction) -> RedactionOut:
    return RedactionOut(
        id=row.id,
        page=row.page,
        box=(row.x0, row.y0, row.x1, row.y1),
        kind=row.kind,
        category=row.category,
        note=row.note,
        status=row.status,
    )


def _target(request: DisclosureRequest, record_id: int, officer: Principal) -> redactions.Target:
    return redactions.Target(request, record_id, officer.scope, officer.actor)


class AttachIn(BaseModel):
    document_ids: list[str] = Field(default_factory=list, max_length=1000)
    query: str | None = Field(
        None, max_length=2000, description="attach every document this search finds"
    )


@router.post("/records", response_model=list[RecordOut], status_code=201)
def attach(
    request_id: str, body: AttachIn, session: SessionDep, services: ServicesDep, officer: Officer
) -> list[RecordOut]:
    """Attach documents (by id, or all a search finds); each is frozen at its current version and held."""
    request = get_request(session, request_id)
    with denials(session, officer, cases.ATTACH, request.id):
        added = cases.attach(
            services.backends(session),
            request,
            query=body.query or "",
            also=body.document_ids,
            scope=officer.scope,
            actor=officer.actor,
        )
    session.commit()
    return _records_out(session, added)


@router.get("/records", response_model=list[RecordOut])
def list_records(
    request_id: str, response: Response, session: SessionDep, officer: Officer
) -> list[RecordOut]:
    """The records you may read; ``X-Withheld`` counts those above your clearance."""
    rows, hidden = svc.readable_records(session, get_request(session, request_id).id, officer.scope)
    response.headers[WITHHELD_HEADER] = str(hidden)
    return _records_out(session, rows)


@router.get("/records/{record_id}/redactions", response_model=list[RedactionOut])
def list_redactions(
    request_id: str, record_id: RecordId, session: SessionDep, officer: Officer
) -> list[RedactionOut]:
    request = get_request(session, request_id)
    with denials(session, officer, REDACTION_LIST, request.id):
        row = svc.get_record(session, request, record_id, officer.scope)
    return [_redaction_out(r) for r in svc.redactions_of(session, [row.id])]


class BoxIn(BaseModel):
    page: int
    box: tuple[float, float, float, float] = Field(
        description="x0, y0, x1, y1 in points from the top-left corner"
    )
    category: str = Field(max_length=40)
    note: str = Field("", max_length=4000)


class FindIn(BaseModel):
    pattern: str = Field(max_length=500)
    regex: bool = False
    category: str = Field(max_length=40)
    note: str = Field("", max_length=4000)


class FoundOut(BaseModel):
    found: int
    redactions: list[RedactionOut]


@router.post("/records/{record_id}/redactions", response_model=list[RedactionOut], status_code=201)
def add_boxes(
    request_id: str,
    record_id: RecordId,
    body: list[BoxIn],
    session: SessionDep,
    services: ServicesDep,
    officer: Officer,
) -> list[RedactionOut]:
    """Redact page regions; a box outside its page answers 422."""
    request = get_request(session, request_id)
    marks = [marking.Mark(b.page, b.box, b.category, b.note) for b in body]
    with denials(session, officer, redactions.ADD, request.id):
        added = redactions.add_boxes(
            services.backends(session), _target(request, record_id, officer), marks
        )
    session.commit()
    return [_redaction_out(r) for r in added]


@router.post("/records/{record_id}/redactions/find", response_model=FoundOut, status_code=201)
def find_and_redact(
    request_id: str,
    record_id: RecordId,
    body: FindIn,
    session: SessionDep,
    services: ServicesDep,
    officer: Officer,
) -> FoundOut:
    """Search-and-redact a term or pattern across every page (scanned pages are read by OCR)."""
    request = get_request(session, request_id)
    with denials(session, officer, redactions.FIND, request.id):
        found, added = redactions.find(
            services.backends(session),
            _target(request, record_id, officer),
            redactions.Search(**body.model_dump()),
            status=RedactionStatus.ACCEPTED,
        )
    session.commit()
    return FoundOut(found=found, redactions=[_redaction_out(r) for r in added])


@router.post("/records/{record_id}/pii", response_model=list[RedactionOut], status_code=201)
def propose_pii(
    request_id: str,
    record_id: RecordId,
    session: SessionDep,
    services: ServicesDep,
    officer: Officer,
) -> list[RedactionOut]:
    """Propose personal information to withhold; each proposal waits for accept or reject."""
    request = get_request(session, request_id)
    with denials(session, officer, redactions.PROPOSE, request.id):
        proposals = redactions.propose_pii(
            services.backends(session), _target(request, record_id, officer)
        )
    session.commit()
    return [_redaction_out(r) for r, _ in proposals]


class StatusIn(BaseModel):
    status: str = Field(description="accepted or rejected")


@router.post("/records/{record_id}/redactions/{redaction_id}", response_model=RedactionOut)
def set_status(
    request_id: str,
    record_id: RecordId,
    redaction_id: RecordId,
    body: StatusIn,
    session: SessionDep,
    officer: Officer,
) -> RedactionOut:
    request = get_request(session, request_id)
    with denials(session, officer, redactions.STATUS, request.id):
        (row,) = redactions.set_status(
            session, _target(request, record_id, officer), [redaction_id], body.status
        )
    session.commit()
    return _redaction_out(row)


@router.get("/records/{record_id}/preview.pdf")
def preview(
    request_id: str,
    record_id: RecordId,
    session: SessionDep,
    services: ServicesDep,
    officer: Officer,
    ocr: Annotated[bool, Query()] = False,
) -> StreamingResponse:
    """The record as it would be released now (accepted redactions applied)."""
    request = get_request(session, request_id)
    with denials(session, officer, cases.PREVIEW, request.id):
        data = cases.preview(
            services.backends(session),
            request,
            record_id,
            ocr=ocr,
            scope=officer.scope,
            actor=officer.actor,
        )
    session.commit()
    return StreamingResponse(iter([data]), media_type="application/pdf")


class DecideIn(BaseModel):
    decision: str = Field(
        description="full, partial, non_disclosure, no_records or neither_confirm_nor_deny"
    )
    reason: str = Field("", max_length=8000)
    decided_on: date | None = None


@router.post("/decision", response_model=RequestOut)
def decide(request_id: str, body: DecideIn, session: SessionDep, officer: Officer) -> RequestOut:
    """Issue the decision; a redaction whose category has no legal ground answers 409."""
    request = get_request(session, request_id)
    with denials(session, officer, cases.DECIDE, request.id):
        cases.decide(
            session,
            request,
            kind=body.decision,
            reason=body.reason,
            decided_on=body.decided_on,
            scope=officer.scope,
            actor=officer.actor,
        )
    session.commit()
    return _full(session, request)


@router.get("/notice.{fmt}")
def notice(request_id: str, fmt: str, session: SessionDep, officer: Officer) -> StreamingResponse:
    """The decision notice (開示決定通知書) as ``docx`` or ``pdf``."""
    from disclosure import notice_docx, notice_pdf

    request = get_request(session, request_id)
    with denials(session, officer, cases.NOTICE, request.id):
        built = cases.notice(session, request, scope=officer.scope)
    if fmt == "docx":
        data, media = (
            notice_docx(built),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    elif fmt == "pdf":
        data, media = notice_pdf(built), "application/pdf"
    else:
        raise RecordNotFound(f"no notice format {fmt}")
    return StreamingResponse(
        iter([data]),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="notice-{request.number}.{fmt}"'},
    )


class ReleaseIn(BaseModel):
    ocr: bool = Field(
        False,
        description="add a text layer read from the redacted pages (Tesseract: seconds per page)",
    )


class ReleaseOut(BaseModel):
    request: RequestOut
    package_sha256: str
    files: dict[str, str]


@router.post("/release", response_model=ReleaseOut)
def release(
    request_id: str, body: ReleaseIn, session: SessionDep, services: ServicesDep, officer: Officer
) -> ReleaseOut:
    """Produce the release package (redacted PDFs, notice, log, manifest) and mark the request released."""
    request = get_request(session, request_id)
    with denials(session, officer, cases.RELEASE, request.id):
        package = cases.release_records(
            session, services.store, request, ocr=body.ocr, scope=officer.scope, actor=officer.actor
        )
    session.commit()
    return ReleaseOut(
        request=_full(session, request), package_sha256=package.key, files=package.files
    )


@router.get("/package.zip")
def package(
    request_id: str, session: SessionDep, services: ServicesDep, officer: Officer
) -> StreamingResponse:
    request = get_request(session, request_id)
    with denials(session, officer, cases.PACKAGE, request.id):
        key = cases.package(session, request, scope=officer.scope, actor=officer.actor)
    session.commit()
    info = services.store.stat(BlobKey(key))
    return stream_blob(
        services.store,
        key,
        media_type="application/zip",
        size=info.size if info else 0,
        headers={"Content-Disposition": f'attachment; filename="{request.number}.zip"'},
    )
