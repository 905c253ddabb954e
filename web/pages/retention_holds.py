"""Records officer pages: legal holds placed, listed and released."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import ArchiveError, Document, NotReadable, Permission, translate_db_errors
from retention import hold_cases, readable_subset
from retention import hold_service as holds
from web.access import deny
from web.deps import ServicesDep
from web.pages._common import ViewerDep, check_csrf, department_names, page, require_permission
from web.pages.retention_view import (
    gettext_for,
    person_namer,
    problem,
)
from web.schemas import RecordId
from web.templating import format_jst

router = APIRouter(prefix="/retention", tags=["pages"], include_in_schema=False)


def _held_documents(
    session: Session, viewer: ViewerDep, document_ids: list[str]
) -> tuple[list[Document], int]:
    """The held documents the viewer may read (by title), and how many more it may not."""
    readable = readable_subset(session, document_ids, viewer.principal.scope)
    shown = list(
        session.scalars(select(Document).where(Document.id.in_(readable)).order_by(Document.title))
    )
    return shown, len(set(document_ids)) - len(readable)


@router.get("/holds", response_class=HTMLResponse)
def holds_page(
    request: Request, services: ServicesDep, viewer: ViewerDep, error: str | None = None
) -> Response:
    require_permission(request, services, viewer, Permission.RECORDS)
    with translate_db_errors(), services.sessions() as session:
        rows = []
        for h in holds.list_holds(session):
            active = [
                i.document_id for i in holds.hold_items(session, h.id) if i.released_at is None
            ]
            documents, withheld = _held_documents(session, viewer, active)
            rows.append((h, documents, withheld))
        return page(
            request,
            "retention_holds.html",
            viewer,
            nav="retention",
            tab="holds",
            holds=rows,
            who=person_namer(session),
            jst=format_jst,
            departments=department_names(session, viewer.lang),
            error=error,
            status_code=422 if error else 200,
        )


def _back(target: str) -> str:
    """Where a hold form sends the officer afterwards: a page of this site only."""
    if target.startswith(("/documents/", "/search")) and "//" not in target and "\\" not in target:
        return target
    return "/retention/holds"


class HoldForm(BaseModel):
    """A hold: documents (ids, one per line, or ticked in search results) and/or a query;
    ``back`` is the page to return to."""

    csrf_token: str = Field(max_length=200)
    name: str = Field(max_length=200)
    reason: str = Field(max_length=4000)
    document_ids: list[str] = Field(default_factory=list, max_length=1000)
    query: str = Field(default="", max_length=2000)
    back: str = Field(default="", max_length=2000)


@router.post("/holds")
def place_hold(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    form: Annotated[HoldForm, Form()],
) -> Response:
    """Place a hold on documents (ids, one per line, or ticked in search results) and/or a query."""
    require_permission(request, services, viewer, Permission.RECORDS)
    check_csrf(viewer, form.csrf_token)
    t = gettext_for(viewer.lang)
    ids = [i for value in form.document_ids for i in value.split()]
    if len(ids) > holds.MAX_BULK:
        return holds_page(request, services, viewer, error=t("Too many documents at once."))
    try:
        with translate_db_errors(), services.sessions.begin() as session:
            hold, _ = hold_cases.place_hold(
                services.backends(session),
                actor=viewer.principal.actor,
                scope=viewer.principal.scope,
                name=form.name,
                reason=form.reason,
                document_ids=ids,
                query=form.query or None,
            )
    except NotReadable as exc:
        with translate_db_errors(), services.sessions() as session:
            deny(session, viewer.principal, hold_cases.PLACE, None)
        return holds_page(request, services, viewer, error=problem(t, exc))
    except ArchiveError as exc:
        return holds_page(request, services, viewer, error=problem(t, exc))
    target = _back(form.back)
    sep = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{sep}held={hold.id}", status_code=303)


class ReleaseForm(BaseModel):
    csrf_token: str = Field(max_length=200)
    reason: str = Field(max_length=4000)


@router.post("/holds/{hold_id}/release")
def release_hold(
    hold_id: RecordId,
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    form: Annotated[ReleaseForm, Form()],
) -> Response:
    require_permission(request, services, viewer, Permission.RECORDS)
    check_csrf(viewer, form.csrf_token)
    try:
        with translate_db_errors(), services.sessions.begin() as session:
            hold_cases.release_hold(
                services.backends(session),
                hold_id,
                actor=viewer.principal.actor,
                scope=viewer.principal.scope,
                reason=form.reason,
                everything=True,
            )
    except ArchiveError as exc:
        return holds_page(request, services, viewer, error=problem(gettext_for(viewer.lang), exc))
    return RedirectResponse("/retention/holds", status_code=303)
