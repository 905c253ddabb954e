"""``/api/v1/documents``: upload, list, read and download documents."""

from __future__ import annotations

import json
from functools import partial
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from archive import (
    Document,
    DocumentFilter,
    DocumentMetadata,
    DocumentStatus,
    DocumentVersion,
    InvalidInput,
    Principal,
    SecurityLevel,
    Sha256,
    StagedContent,
    UploadOutcome,
    UploadResult,
    clean_filename,
    content_disposition,
    derivatives_of,
    fields_of,
    list_documents,
    record,
    steps_of,
    translate_db_errors,
    version_of,
)
from web.access import DOWNLOAD, writable_document
from web.access import readable_document as _readable_document
from web.deps import Reader, ServicesDep, SessionDep, Uploader
from web.document_edits import change_document
from web.history import history_entries
from web.intake import store_upload, store_version
from web.multipart import ReceivedForm, receive_form
from web.schemas import (
    DocumentDetail,
    DocumentOut,
    DocumentPage,
    DocumentPatch,
    HistoryEntry,
    UploadAccepted,
    UploadMetadata,
    VersionMetadata,
)
from web.services import Services
from web.streaming import stream_blob

router = APIRouter(prefix="/api/v1/documents", tags=["documents"])


def _multipart_body(metadata: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI request body of a multipart upload: part ``file`` and a JSON ``metadata``."""
    described = json.dumps(metadata.model_json_schema()["properties"])
    return {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "metadata": {"type": "string", "description": "JSON: " + described},
                        },
                    }
                }
            },
        }
    }


_UPLOAD_BODY = _multipart_body(UploadMetadata)


_M = TypeVar("_M", bound=BaseModel)


def _parsed(model: type[_M], raw: str | None) -> _M:
    """The JSON ``metadata`` form field as ``model``; 422 naming the field that is wrong."""
    try:
        return model.model_validate_json(raw if raw and raw.strip() else "{}")
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        field = f"metadata.{where}" if where else "metadata"
        raise InvalidInput(f"{field}: {first['msg']}", field=field) from None


def _metadata(raw: str | None) -> DocumentMetadata:
    fields = _parsed(UploadMetadata, raw).model_dump()
    fields["security_level"] = SecurityLevel.parse(fields["security_level"])
    return DocumentMetadata(**fields)


_VERSION_BODY = _multipart_body(VersionMetadata)


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
    return _accepted(result, response)


_STATUS = {UploadOutcome.CREATED: 202, UploadOutcome.NEW_VERSION: 201}


def _accepted(result: UploadResult, response: Response) -> UploadAccepted:
    response.status_code = _STATUS.get(result.outcome, 200)
    doc = result.document
    return UploadAccepted(
        id=doc.id,
        status=doc.status,
        status_url=f"/api/v1/documents/{doc.id}",
        outcome=result.outcome,
        sha256=doc.current_version.blob_key,
        version=doc.current_version.number,
    )


@router.post(
    "/{document_id}/versions",
    status_code=201,
    response_model=UploadAccepted,
    openapi_extra=_VERSION_BODY,
    responses={200: {"model": UploadAccepted, "description": "the same as the current version"}},
)
async def add_version_route(
    document_id: str,
    request: Request,
    response: Response,
    services: ServicesDep,
    principal: Uploader,
) -> UploadAccepted:
    """Add a new version (multipart part ``file``, optional JSON ``metadata`` with ``reason`` and
    ``supersedes_version``): owning department's staff, records officers, administrators."""
    await run_in_threadpool(_check_writable, services, document_id, principal)
    settings = services.settings
    form = await receive_form(
        request, max_bytes=settings.max_upload_bytes, tmp_dir=settings.tmp_dir
    )
    try:
        meta = _parsed(VersionMetadata, form.fields.get("metadata"))
        result = await run_in_threadpool(
            partial(
                store_version,
                services,
                document_id,
                _staged(form),
                principal,
                reason=meta.reason,
                supersedes=meta.supersedes_version,
            )
        )
    finally:
        form.close()
    return _accepted(result, response)


def _check_writable(services: Services, document_id: str, principal: Principal) -> None:
    with translate_db_errors(), services.sessions() as session:
        writable_document(session, document_id, principal, "document.version")


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
    """Change metadata (with an optional ``reason``, kept in the history); correcting the type
    re-reads the fields for the new type; a ``subtype`` sets its class too; a corrected
    field of an invoice whose issuer's registration number is known teaches that vendor's
    template (``learned`` in the audit entry), with the place an officer showed in ``boxes``;
    a field that was not read is added. Needs write access: the owning department's staff,
    records officers, administrators (403 for a caller who may only read it)."""
    return _detail(session, change_document(session, services, document_id, body, principal))


@router.get("/{document_id}/history", response_model=list[HistoryEntry])
def document_history(
    document_id: str, session: SessionDep, principal: Reader
) -> list[HistoryEntry]:
    """Every version and metadata change of the document, oldest first."""
    document = _readable_document(session, document_id, principal, "document.history")
    return history_entries(session, document)


@router.get("/{document_id}/versions/{number}/content", response_class=StreamingResponse)
def download_version(
    document_id: str,
    number: Annotated[int, Path(ge=1, le=2**31 - 1)],
    session: SessionDep,
    services: ServicesDep,
    principal: Reader,
) -> StreamingResponse:
    """The original bytes of one version (earlier versions stay downloadable), streamed."""
    document = _readable_document(session, document_id, principal, DOWNLOAD)
    return _stream_version(services, version_of(document, number))


def _stream_version(services: Services, version: DocumentVersion) -> StreamingResponse:
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


@router.get("/{document_id}/content", response_class=StreamingResponse)
def download_content(
    document_id: str, session: SessionDep, services: ServicesDep, principal: Reader
) -> StreamingResponse:
    """The original bytes of the current version, streamed."""
    document = _readable_document(session, document_id, principal, DOWNLOAD)
    return _stream_version(services, document.current_version)
