"""The compare page: what changed between two versions of a document (as the API answers)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from archive import get_document
from web.api.versions import comparison
from web.deps import ServicesDep, SessionDep
from web.pages._common import ViewerDep, page
from web.schemas import RecordId

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/documents/{document_id}/compare", response_class=HTMLResponse)
def compare_page(
    request: Request,
    document_id: str,
    session: SessionDep,
    services: ServicesDep,
    viewer: ViewerDep,
    from_: Annotated[RecordId, Query(alias="from")],
    to: RecordId,
) -> HTMLResponse:
    """A line diff of two versions' text and their changed fields, every value escaped."""
    found = comparison(session, services, viewer.principal, document_id, from_, to)
    document = get_document(session, document_id, viewer.principal.scope)
    return page(
        request,
        "document_compare.html",
        viewer,
        doc=document,
        numbers=[v.number for v in document.versions],
        found=found,
    )
