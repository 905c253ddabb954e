"""Processing: reprocess a document, fetch what the pipeline made."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from archive import RecordNotFound, derivatives_of, record, version_of
from ingest import document_cases as cases
from ingest import enqueue
from web.access import DOWNLOAD, readable_document
from web.deps import Admin, Reader, ServicesDep, SessionDep
from web.streaming import stream_blob

router = APIRouter(prefix="/api/v1", tags=["processing"])


@router.post("/documents/{document_id}/reprocess", status_code=202)
def reprocess(
    document_id: str, session: SessionDep, services: ServicesDep, principal: Admin
) -> dict[str, str]:
    """Read the document again from its unchanged original (administrators)."""
    document = readable_document(
        session, document_id, principal, cases.REPROCESS, record_read=False
    )
    cases.reprocess(session, document, actor=principal.actor)
    session.commit()
    enqueue(services.queue, document.id)
    return {
        "id": document.id,
        "status": document.status.value,
        "status_url": f"/api/v1/documents/{document.id}",
    }


@router.get("/documents/{document_id}/derivatives/{kind}", response_class=StreamingResponse)
def derivative(
    document_id: str,
    kind: str,
    session: SessionDep,
    services: ServicesDep,
    principal: Reader,
    version: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> StreamingResponse:
    """The extracted text (``text``, JSON pages), the searchable PDF (``searchable_pdf``) or an
    XML invoice's PDF (``rendition``) of the current version, or of an earlier ``version``."""
    document = readable_document(session, document_id, principal, DOWNLOAD, record_read=False)
    found = derivatives_of(
        session, version_of(document, version) if version else document.current_version, kind
    )
    if not found:
        raise RecordNotFound(f"{document_id}/{kind}")
    record(
        session,
        actor=principal.actor,
        action=DOWNLOAD,
        target=document.id,
        detail={"derivative": kind},
    )
    session.commit()
    return stream_blob(
        services.store, found[0].blob_key, media_type=found[0].media_type, size=found[0].size
    )
