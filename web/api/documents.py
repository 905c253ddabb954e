"""``/api/v1/documents``: upload, list, read and download documents."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from archive import (
    DocumentFilter,
    DocumentMetadata,
    DocumentStatus,
    InvalidInput,
    RecordNotFound,
    StagedContent,
    UploadOutcome,
    get_document,
    list_documents,
    record,
)
from archive.access import SecurityLevel
from archive.documents import document_exists, update_metadata
from archive.filenames import clean_filename, content_disposition
from archive.models import Document
from archive.policy import Principal
from archive.processing import derivatives_of, fields_of, reset_for_reprocessing, steps_of
from archive.types import Sha256
from ingest.tasks import enqueue
from web.deps import Reader, ServicesDep, SessionDep, Uploader
from web.intake import store_upload
from web.multipart import ReceivedForm, receive_form
from web.schemas import (
    DocumentDetail,
    DocumentOut,
    DocumentPage,
    DocumentPatch,
    UploadAccepted,
    UploadMetadata,
)
from web.streaming import stream_blob

router = APIRouter(prefix="/api/v1/documents", tags=["documents"])

_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "metadata": {
                            "type": "string",
                            "description": "JSON: "
                            + json.dumps(UploadMetadata.model_json_schema()["properties"]),
                        },
                    },
                }
            }
        },
    }
}


def _metadata(raw: str | None) -> DocumentMetadata:
    if raw is None or not raw.strip():
        return DocumentMetadata()
    try:
        parsed = UploadMetadata.model_validate_json(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        field = f"metadata.{where}" if where else "metadata"
        raise InvalidInput(f"{field}: {first['msg']}", field=field) from None
    fields = parsed.model_dump()
    fields["security_level"] = SecurityLevel.parse(fields["security_level"])
    return DocumentMetadata(**fields)


def _staged(form: ReceivedForm) -> StagedContent:
    if form.file is None:
        raise InvalidInput("the form has no file part named 'file'", field="file")
    if form.file.size == 0:
        raise InvalidInput("the file is empty", field="file", status=400)
    return StagedContent(
        file=form.file.file,
        sha256=Sha256(form.file.sha256),
        size=form.file.size,
        head=form.file.head,
        filename=clean_filename(form.file.filename),
        declared_media_type=form.file.content_type,
    )


@router.post(
    "",
    status_code=202,
    response_model=UploadAccepted,
    openapi_extra=_UPLOAD_BODY,
    responses={200: {"model": UploadAccepted, "description": "already stored (see outcome)"}},
)
async def upload_document(
    request: Request, response: Response, services: ServicesDep, principal: Uploader
) -> UploadAccepted:
    """Store a file (multipart part ``file``, optional JSON part ``metadata``); processing follows."""
    settings = services.settings
    form = await receive_form(
        request, max_bytes=settings.max_upload_bytes, tmp_dir=settings.tmp_dir
    )
    try:
        meta = _metadata(form.fields.get("metadata"))
        result = await run_in_threadpool(store_upload, services, meta, _staged(form), principal)
    finally:
        form.close()
    if result.outcome is not UploadOutcome.CREATED:
        response.status_code = 200
    doc = result.document
    return UploadAccepted(
        id=doc.id,
        status=doc.status,
        status_url=f"/api/v1/documents/{doc.id}",
        outcome=result.outcome,
        sha256=doc.current_version.blob_key,
    )


def _readable_document(
    session: Session, document_id: str, principal: Principal, action: str
) -> Document:
    """The document if the caller may read it; a 404 otherwise, recorded as a denial when it exists."""
    try:
        document = get_document(session, document_id, principal.scope)
    except RecordNotFound:
        if document_exists(session, document_id):
            record(
                session, actor=principal.actor, action=action, target=document_id, outcome="denied"
            )
            session.commit()
        raise
    record(session, actor=principal.actor, action=action, target=document.id)
    session.commit()
    return document


@router.get("", response_model=DocumentPage)
def list_documents_route(
    session: SessionDep,
    principal: Reader,
    status: DocumentStatus | None = None,
    department: str | None = None,
    source_system: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
) -> DocumentPage:
    """Documents the caller may read, newest first; follow ``next_cursor`` for more."""
    flt = DocumentFilter(status=status, department=department, source_system=source_system)
    page = list_documents(session, flt, principal.scope, limit=limit, cursor=cursor)
    record(
        session,
        actor=principal.actor,
        action="document.list",
        detail={"filter": flt, "returned": len(page.items)},
    )
    session.commit()
    return DocumentPage(items=[DocumentOut.of(d) for d in page.items], next_cursor=page.next_cursor)


def _detail(session: Session, document: Document) -> DocumentDetail:
    version = document.current_version
    return DocumentDetail.build(
        document,
        steps_of(session, document),
        fields_of(session, document),
        derivatives_of(session, version),
    )


@router.get("/{document_id}", response_model=DocumentDetail)
def get_document_route(document_id: str, session: SessionDep, principal: Reader) -> DocumentDetail:
    """One document: versions, processing status and step timings, type, fields."""
    return _detail(session, _readable_document(session, document_id, principal, "document.view"))


@router.patch("/{document_id}", response_model=DocumentDetail)
def patch_document(
    document_id: str,
    body: DocumentPatch,
    session: SessionDep,
    services: ServicesDep,
    principal: Reader,
) -> DocumentDetail:
    """Change metadata; correcting the type re-reads the fields for the new type."""
    document = get_document(session, document_id, principal.scope)
    diff = update_metadata(session, document, body.model_dump(exclude_unset=True), principal)
    if "doc_type" in diff:
        reset_for_reprocessing(session, document)
    record(
        session,
        actor=principal.actor,
        action="document.update",
        target=document.id,
        detail={"changes": diff},
    )
    session.commit()
    if "doc_type" in diff:
        enqueue(services.queue, document.id)
    if diff.keys() - {"doc_type"}:
        services.reindex(document.id)
    return _detail(session, document)


@router.get("/{document_id}/content", response_class=StreamingResponse)
def download_content(
    document_id: str, session: SessionDep, services: ServicesDep, principal: Reader
) -> StreamingResponse:
    """The original bytes of the current version, streamed."""
    version = _readable_document(
        session, document_id, principal, "document.download"
    ).current_version
    return stream_blob(
        services.store,
        version.blob_key,
        media_type=version.media_type,
        size=version.size,
        headers={
            "Content-Disposition": content_disposition(version.original_filename),
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "ETag": f'"{version.blob_key}"',
        },
    )
