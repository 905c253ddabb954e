"""The upload page, and the small status endpoint its script (and the document page) polls.

Files go straight from the browser to ``POST /api/v1/documents`` (with the session's CSRF
header), one request per file, so the upload path is the API's and nothing else.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from archive import Department, Document, Permission, SecurityLevel, readable
from web.deps import ServicesDep, SessionDep
from web.i18n import N_, translations
from web.pages._common import ViewerDep, department_label, page, require_permission
from web.pages.messages import PROCESSING, shown

router = APIRouter(tags=["pages"], include_in_schema=False)

MAX_STATUS_IDS = 200


@router.get("/upload", response_class=HTMLResponse)
def upload_page(
    request: Request, session: SessionDep, services: ServicesDep, viewer: ViewerDep
) -> HTMLResponse:
    require_permission(request, services, viewer, Permission.UPLOAD)
    scope = viewer.principal.scope
    departments = [
        (d.code, department_label(d, viewer.lang), d.path.count("/") - 2)
        for d in session.scalars(select(Department).order_by(Department.path))
        if scope.city_wide or (scope.department_id is not None and scope.department_id in d.lineage)
    ]
    own = session.get(Department, scope.department_id) if scope.department_id else None
    levels = [level.label for level in SecurityLevel if level <= scope.clearance]
    return page(
        request,
        "upload.html",
        viewer,
        nav="upload",
        departments=departments,
        own_department=own.code if own else "",
        levels=levels,
        max_bytes=services.settings.max_upload_bytes,
    )


@router.get("/upload/status")
def processing_status(
    session: SessionDep,
    viewer: ViewerDep,
    ids: Annotated[str, Query(max_length=MAX_STATUS_IDS * 40)] = "",
) -> dict[str, list[dict[str, str | None]]]:
    """Status of the readable documents among ``ids`` (comma-separated); others are left out.

    A failure's reason comes in the viewer's language.
    """
    t = translations(viewer.lang).gettext
    wanted = [i for i in ids.split(",") if i][:MAX_STATUS_IDS]
    rows = session.scalars(
        select(Document).where(Document.id.in_(wanted), readable(viewer.principal.scope))
    )
    return {
        "documents": [
            {
                "id": d.id,
                "status": d.status.value,
                "reason": d.status_reason
                and shown(d.status_reason, t, PROCESSING, N_("Reading the file failed.")),
                "title": d.title,
                "url": f"/documents/{d.id}",
            }
            for d in rows
        ]
    }
