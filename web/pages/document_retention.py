"""The retention panel's forms: a records officer sets the series or extends, on the document page.

They call the use cases the API calls (``retention.usecases.records``), after the same
access check, so the page changes and records exactly what the API would.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from archive import ArchiveError, Forbidden, Permission, RecordNotFound
from retention import SeriesNotFound
from retention import record_cases as cases
from web.access import readable_document
from web.deps import ServicesDep, SessionDep
from web.pages._common import ViewerDep, check_csrf, require_permission
from web.pages.documents import Notices, _document_page
from web.pages.retention_view import gettext_for, problem

router = APIRouter(tags=["pages"], include_in_schema=False)
ACTIONS = ("series", "extension")


class RetentionForm(BaseModel):
    """The panel's two forms: the series (and event date), or an extension."""

    csrf_token: str = Field(default="", max_length=200)
    series: str = Field(default="", max_length=40)
    event_date: date | None = None
    until: date | None = None
    years: int | None = Field(default=None, ge=1, le=100)
    reason: str = Field(default="", max_length=2000)
    legal_basis: str = Field(default="", max_length=2000)


@router.post("/documents/{document_id}/retention/{action}", response_class=HTMLResponse)
def change_retention(
    request: Request,
    document_id: str,
    action: str,
    session: SessionDep,
    services: ServicesDep,
    viewer: ViewerDep,
    form: Annotated[RetentionForm, Form()],
) -> Response:
    """A records officer sets the series (and event date) or extends the retention, from the panel."""
    require_permission(request, services, viewer, Permission.RECORDS)
    check_csrf(viewer, form.csrf_token)
    if action not in ACTIONS:
        raise RecordNotFound(action)
    try:
        action_name = cases.ASSIGN if action == "series" else cases.EXTEND
        readable_document(session, document_id, viewer.principal, action_name, record_read=False)
        if action == "series":
            cases.assign(
                services.backends(session),
                document_id,
                actor=viewer.principal.actor,
                series=form.series or None,
                event_date=form.event_date,
                reason=form.reason or None,
            )
        else:
            cases.extend_document(
                services.backends(session),
                document_id,
                actor=viewer.principal.actor,
                until=form.until,
                years=form.years,
                reason=form.reason,
                legal_basis=form.legal_basis,
            )
        session.commit()
    except SeriesNotFound as exc:
        refusal: ArchiveError | ValueError = exc
    except RecordNotFound:
        raise
    except (ArchiveError, ValueError) as exc:
        refusal = exc
    else:
        return RedirectResponse(f"/documents/{document_id}?retention_changed=1#retention-h", 303)
    session.rollback()
    return _document_page(
        request,
        document_id,
        session,
        services,
        viewer,
        Notices(retention_error=problem(gettext_for(viewer.lang), refusal)),
        status_code=403 if isinstance(refusal, Forbidden) else 422,
    )
