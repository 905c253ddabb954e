"""The document page: what was read from a document, its pages, status, history.

The page is built from the API's own reads (``get_document_route``, ``similar_documents``)
and changes a document through the API's unit of work (``web.document_edits``), so it shows,
audits and changes exactly what the API does.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.orm import Session

from archive import (
    BlobNotFound,
    Document,
    Forbidden,
    InvalidInput,
    Permission,
    RecordNotFound,
    corrections_of,
    derivatives_of,
    get_document,
    get_writable_document,
)
from ingest import RENDITION, SUBTYPES, TEXT_DERIVATIVE, class_of
from retention import AuditFilter, read_log
from search import SearchError
from web.access import readable_document
from web.api.documents import _staged, get_document_route
from web.api.search import similar_documents
from web.api.versions import correction_out
from web.deps import ServicesDep, SessionDep
from web.document_edits import change_document
from web.history import history_entries
from web.i18n import N_, translations
from web.intake import store_version
from web.multipart import receive_form
from web.pages._common import ViewerDep, actor_names, check_csrf, department_label, page
from web.pages.field_corrections import FieldForm, field_choices, field_error, field_patch
from web.pages.previews import has_previews, preview_png
from web.pages.retention_panel import retention_panel, tombstone_page
from web.schemas import DocumentPatch
from web.services import Services

router = APIRouter(tags=["pages"], include_in_schema=False)

MAX_PREVIEW_PAGES = 20
MAX_PAGE_CHARS = 20_000
AUDIT_ROWS = 50
DOC_TYPES = ("contract", "invoice", "public", "other")
FINAL = ("indexed", "failed")
MAX_REASON = 1000


def _text_pages(services: Services, session: Session, document: Document) -> list[dict[str, Any]]:
    found = derivatives_of(session, document.current_version, TEXT_DERIVATIVE)
    if not found:
        return []
    try:
        with services.store.open(found[0].blob_key) as stream:
            pages = json.loads(stream.read())["pages"]
    except BlobNotFound:
        return []
    return [
        {
            "number": p["number"],
            "text": p["text"][:MAX_PAGE_CHARS],
            "cut": len(p["text"]) > MAX_PAGE_CHARS,
            "method": p.get("method"),
        }
        for p in pages
    ]


def _audit_trail(session: Session, viewer: ViewerDep, document_id: str) -> list[Any] | None:
    if not viewer.may(Permission.AUDIT):
        return None
    flt = AuditFilter(target=document_id)
    events = read_log(
        session, flt, viewer.principal.scope, actor=viewer.principal.actor, limit=AUDIT_ROWS
    )
    session.commit()
    return events


def _similar(
    document_id: str, session: Session, services: Services, viewer: ViewerDep
) -> list[Any]:
    try:
        return similar_documents(document_id, session, services, viewer.principal, limit=5)
    except SearchError:  # the page is still useful while the index is down
        return []


@dataclass(frozen=True)
class Notices:
    """What the previous action leaves the document page to say (a done notice or a refusal)."""

    corrected: bool = False
    version_added: bool = False
    retention_changed: bool = False
    edited: bool = False
    type_error: str | None = None
    retention_error: str | None = None
    edit_error: str | None = None
    edit_values: dict[str, str] | None = None
    """What was typed into the title/date form, shown again beside ``edit_error``."""
    field_saved: bool = False
    field_error: str | None = None
    field_values: dict[str, str] | None = None
    """What was typed into the field form, shown again beside ``field_error``."""


def _document_page(
    request: Request,
    document_id: str,
    session: Session,
    services: Services,
    viewer: ViewerDep,
    notices: Notices = Notices(),
    status_code: int = 200,
) -> HTMLResponse:
    detail = get_document_route(document_id, session, viewer.principal)
    document = get_document(session, document_id, viewer.principal.scope)
    pages = _text_pages(services, session, document)
    kinds = {d.kind for d in detail.derivatives}
    previews = (
        has_previews(detail.current_version.media_type, RENDITION in kinds)
        and detail.status in FINAL
    )
    preview_count = min(detail.page_count or 0, MAX_PREVIEW_PAGES) if previews else 0
    return page(
        request,
        "document.html",
        viewer,
        history=[h for h in history_entries(session, document) if h.kind == "change"],
        numbers=[v.number for v in document.versions],
        corrections=[
            correction_out(c) for c in corrections_of(session, document.id, viewer.principal.scope)
        ],
        who=actor_names(session, viewer.lang),
        may_write=_may_write(session, document_id, viewer),
        **{
            **asdict(notices),
            "edit_values": notices.edit_values
            or {"title": detail.title, "document_date": str(detail.document_date or "")},
            "field_values": notices.field_values or {},
        },
        status_code=status_code,
        doc=detail,
        department=department_label(document.department, viewer.lang),
        pages=pages,
        preview_count=preview_count,
        field_names=field_choices([f.name for f in detail.fields]),
        similar=_similar(document_id, session, services, viewer),
        audit=_audit_trail(session, viewer, document_id),
        may_correct=viewer.may(Permission.RECORDS) or viewer.may(Permission.ADMIN),
        doc_types=DOC_TYPES,
        subtypes=[
            (c, [(k, s.en) for k, s in SUBTYPES.items() if s.doc_class == c]) for c in DOC_TYPES
        ],
        subtype_name=SUBTYPES[detail.subtype].en if detail.subtype in SUBTYPES else None,
        final=detail.status in FINAL,
        searchable_pdf="searchable_pdf" in kinds,
        rendition=RENDITION in kinds,
        retention=retention_panel(session, viewer, document_id),
    )


def _may_write(session: Session, document_id: str, viewer: ViewerDep) -> bool:
    try:
        get_writable_document(session, document_id, viewer.principal)
    except Forbidden:
        return False
    return True


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document_page(
    request: Request,
    document_id: str,
    session: SessionDep,
    services: ServicesDep,
    viewer: ViewerDep,
    corrected: bool = False,
    version_added: bool = False,
    retention_changed: bool = False,
    edited: bool = False,
    field_saved: bool = False,
) -> HTMLResponse:
    try:
        return _document_page(
            request,
            document_id,
            session,
            services,
            viewer,
            Notices(
                corrected=corrected,
                version_added=version_added,
                retention_changed=retention_changed,
                edited=edited,
                field_saved=field_saved,
            ),
        )
    except RecordNotFound:
        gone = tombstone_page(request, document_id, session, viewer)
        if gone is None:
            raise
        return gone


@router.post("/documents/{document_id}/versions")
async def add_version_page(
    request: Request, document_id: str, services: ServicesDep, viewer: ViewerDep
) -> Response:
    """Staff of the owning department add a corrected file with a reason (as the API does)."""
    settings = services.settings
    form = await receive_form(
        request, max_bytes=settings.max_upload_bytes, tmp_dir=settings.tmp_dir
    )
    try:
        check_csrf(viewer, form.fields.get("csrf_token", ""))
        reason = form.fields.get("reason", "").strip() or None
        if reason is not None and len(reason) > MAX_REASON:
            raise InvalidInput(f"the reason is longer than {MAX_REASON} characters", field="reason")
        content = _staged(form)
        await run_in_threadpool(
            partial(store_version, services, document_id, content, viewer.principal, reason=reason)
        )
    finally:
        form.close()
    return RedirectResponse(f"/documents/{document_id}?version_added=1", status_code=303)


class TypeForm(BaseModel):
    """The type correction: a class, or a subtype (which sets its class)."""

    csrf_token: str = Field(default="", max_length=200)
    doc_type: str = Field(default="", max_length=20)
    subtype: str = Field(default="", max_length=32)


@router.post("/documents/{document_id}/type", response_class=HTMLResponse)
def correct_type(
    request: Request,
    document_id: str,
    session: SessionDep,
    services: ServicesDep,
    viewer: ViewerDep,
    form: Annotated[TypeForm, Form()],
) -> Response:
    """A records officer sets the type, or a subtype and so its class; the fields are read
    again for a new class (as PATCH does)."""
    check_csrf(viewer, form.csrf_token)
    t = translations(viewer.lang).gettext
    doc_type, subtype = form.doc_type, form.subtype
    if subtype:
        doc_type = class_of(subtype) if subtype in SUBTYPES else ""
    if doc_type not in DOC_TYPES:
        return _document_page(
            request,
            document_id,
            session,
            services,
            viewer,
            Notices(type_error=t("Choose one of the listed types.")),
            status_code=422,
        )
    try:
        patch = DocumentPatch(subtype=subtype) if subtype else DocumentPatch(doc_type=doc_type)
        change_document(session, services, document_id, patch, viewer.principal)
    except Forbidden:
        session.rollback()
        return _document_page(
            request,
            document_id,
            session,
            services,
            viewer,
            Notices(type_error=t("Only records officers and administrators may change the type.")),
            status_code=403,
        )
    return RedirectResponse(f"/documents/{document_id}?corrected=1", status_code=303)


class MetadataForm(BaseModel):
    """The title and date correction, as typed: ``DocumentPatch`` judges it (so a refusal
    shows the form again with what was typed)."""

    csrf_token: str = Field(default="", max_length=200)
    title: str = Field(default="", max_length=2000)
    document_date: str = Field(default="", max_length=100)
    reason: str = Field(default="", max_length=5000)

    def patch(self) -> DocumentPatch:
        given = {"title": self.title.strip(), "document_date": self.document_date.strip() or None}
        reason = self.reason.strip()
        return DocumentPatch.model_validate({**given, "reason": reason} if reason else given)


@router.post("/documents/{document_id}/metadata", response_class=HTMLResponse)
def edit_metadata_page(
    request: Request,
    document_id: str,
    session: SessionDep,
    services: ServicesDep,
    viewer: ViewerDep,
    form: Annotated[MetadataForm, Form()],
) -> Response:
    """Staff of the owning department correct the title and date (the API's PATCH and write rule)."""
    check_csrf(viewer, form.csrf_token)
    t = translations(viewer.lang).gettext
    typed = form.model_dump(include={"title", "document_date", "reason"})
    try:
        patch = form.patch()
        error, status = None, 200
        change_document(session, services, document_id, patch, viewer.principal)
    except ValidationError as exc:
        field = str(exc.errors()[0]["loc"][0])
        error, status = _EDIT_ERRORS.get(field, _EDIT_ERRORS["title"]), 422
    except Forbidden:
        session.rollback()
        error, status = (
            N_("You may not change this document, or this change needs a records officer."),
            403,
        )
    if error is not None:
        return _document_page(
            request,
            document_id,
            session,
            services,
            viewer,
            Notices(edit_error=t(error), edit_values=typed),
            status_code=status,
        )
    return RedirectResponse(f"/documents/{document_id}?edited=1", status_code=303)


@router.post("/documents/{document_id}/fields", response_class=HTMLResponse)
def correct_field(
    request: Request,
    document_id: str,
    session: SessionDep,
    services: ServicesDep,
    viewer: ViewerDep,
    form: Annotated[FieldForm, Form()],
) -> Response:
    """Staff who may change the document correct or add one field, with where it is on the
    page when the page's script gave a box (``change_document`` with ``fields`` and ``boxes``, as the API's PATCH)."""
    check_csrf(viewer, form.csrf_token)
    t = translations(viewer.lang).gettext
    try:
        patch = field_patch(form.name, form.value, form.page, form.corners())
        change_document(session, services, document_id, patch, viewer.principal)
    except (ValidationError, InvalidInput) as exc:
        session.rollback()
        error, status = field_error(exc), 422
    except Forbidden:
        session.rollback()
        error, status = N_("You may not change this document."), 403
    else:
        return RedirectResponse(f"/documents/{document_id}?field_saved=1", status_code=303)
    typed = {"name": form.name, "value": form.value}
    notices = Notices(field_error=t(error), field_values=typed)
    return _document_page(request, document_id, session, services, viewer, notices, status)


_EDIT_ERRORS = {
    "title": N_("Give a title of at most 500 characters."),
    "document_date": N_("Enter a date as YYYY-MM-DD."),
    "reason": N_("Give a reason of at most 1000 characters."),
}


@router.get("/documents/{document_id}/pages/{number}.png")
async def page_preview(
    request: Request, document_id: str, number: int, services: ServicesDep, viewer: ViewerDep
) -> Response:
    """One page as PNG; readable documents only, audited like a view."""

    def locate() -> str:
        with services.sessions() as session:
            version = readable_document(
                session, document_id, viewer.principal, "document.preview"
            ).current_version
            document = version.document
            rendition = bool(derivatives_of(session, version, RENDITION))
            if not has_previews(version.media_type, rendition) or not 1 <= number <= min(
                document.page_count or 0, MAX_PREVIEW_PAGES
            ):
                raise RecordNotFound(f"{document_id}/pages/{number}")
            return version.id

    version_id = await run_in_threadpool(locate)
    png = await run_in_threadpool(preview_png, services, version_id, number)
    if png is None:
        raise RecordNotFound(f"{document_id}/pages/{number}")
    return Response(
        png, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"}
    )
