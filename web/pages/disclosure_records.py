"""Disclosure officer pages: a responsive record's pages and its redactions.

Every form posts to ``/disclosure/requests/{id}/records/{record}/{action}`` and calls the
use case the API calls (``disclosure.usecases.redactions``); a refused step re-renders the
page with the error and with what the officer typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from archive import (
    Conflict,
    InvalidInput,
    RecordNotFound,
    translate_db_errors,
)
from disclosure import RedactionStatus, load_profile, record_cases
from disclosure import marking_service as marking
from disclosure import record_service as records
from disclosure import redaction_cases as redactions
from disclosure import request_service as svc
from web.access import denials
from web.deps import ServicesDep
from web.pages._common import ViewerDep, form_work, page
from web.pages.disclosure import (
    Values,
    box_of,
    officer_form,
    officer_only,
    redaction_ids,
    status_of,
    whole,
)
from web.pages.disclosure_messages import translated
from web.schemas import RecordId
from web.services import Services

router = APIRouter(prefix="/disclosure", tags=["pages"], include_in_schema=False)
PAGE_DPI = 110
"""The officer's page view: an A4 page is 910 × 1290 px, readable at 100 % and sharp when zoomed."""


@router.get("/requests/{request_id}/records/{record_id}", response_class=HTMLResponse)
def record_page(
    request: Request,
    request_id: str,
    record_id: RecordId,
    services: ServicesDep,
    viewer: ViewerDep,
    error: str | None = None,
    values: Values | None = None,
    status_code: int = 200,
) -> Response:
    """The record's pages with every redaction drawn on them, and the proposals grouped by kind."""
    officer_only(request, services, viewer)
    scope, actor = viewer.principal.scope, viewer.principal.actor
    with translate_db_errors(), services.sessions() as session:
        item = svc.get_request(session, request_id)
        with denials(session, viewer.principal, record_cases.VIEW, item.id):
            if status_code == 200:
                row = record_cases.view_record(session, item, record_id, scope=scope, actor=actor)
                session.commit()
            else:
                row = records.get_record(session, item, record_id, scope)
        marks = records.redactions_of(session, [row.id])
        view = marking.page_view(services.store, row, marks)
        proposals: dict[str, list[object]] = {}
        for m in marks:
            if m.status == RedactionStatus.PROPOSED:
                proposals.setdefault(
                    m.note if m.kind == marking.MarkKind.PII else m.kind, []
                ).append(m)
        return page(
            request,
            "disclosure_record.html",
            viewer,
            nav="disclosure",
            tab="requests",
            item=item,
            row=row,
            versions=records.version_states(session, [row])[row.id],
            marks=marks,
            view=view,
            proposals=proposals,
            grounds=load_profile(item.profile).grounds,
            editable=item.state in records.EDITABLE,
            error=error,
            values=values or {},
            found=request.query_params.get("found"),
            status_code=status_code,
        )


@router.get("/requests/{request_id}/records/{record_id}/pages/{number}.png")
def record_page_image(
    request: Request,
    request_id: str,
    record_id: RecordId,
    number: str,
    services: ServicesDep,
    viewer: ViewerDep,
) -> Response:
    """One page of the record as the officer marks it (unredacted: disclosure officers only).

    ``number`` is read after the permission check, so a stranger learns nothing from a 422.
    """
    officer_only(request, services, viewer)
    if not number.isdigit() or len(number) > 6:
        raise RecordNotFound(f"the record has no page {number[:20]}")
    with translate_db_errors(), services.sessions() as session:
        item = svc.get_request(session, request_id)
        with denials(session, viewer.principal, record_cases.PAGE, item.id):
            png = record_cases.page_image(
                services.backends(session),
                item,
                record_id,
                page=int(number),
                dpi=PAGE_DPI,
                scope=viewer.principal.scope,
                actor=viewer.principal.actor,
            )
        session.commit()
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, no-store"})


@dataclass(frozen=True)
class MarkStep:
    """What a redaction form handler gets: the open unit of work, the record and what was typed."""

    session: Session
    services: Services
    target: redactions.Target
    values: Values


def _find(m: MarkStep) -> str:
    v = m.values
    search = redactions.Search(
        v.get("pattern", ""), v.get("regex") == "yes", v.get("category", ""), v.get("note", "")
    )
    found, _ = redactions.find(
        m.services.backends(m.session), m.target, search, status=RedactionStatus.PROPOSED
    )
    return f"?found={found}#proposals"


def _box(m: MarkStep) -> str:
    v = m.values
    mark = marking.Mark(whole(v, "page"), box_of(v), v.get("category", ""), v.get("note", ""))
    (added,) = redactions.add_boxes(m.services.backends(m.session), m.target, [mark])
    return f"#page-{added.page}"


def _pii(m: MarkStep) -> str:
    redactions.propose_pii(m.services.backends(m.session), m.target)
    return "#proposals"


def _set_status(m: MarkStep) -> str:
    ids = [whole(m.values, "redaction")] if m.values.get("redaction") else redaction_ids(m.values)
    redactions.set_status(m.session, m.target, ids, m.values.get("status", ""))
    return ""


def _move(m: MarkStep) -> str:
    redaction_id = whole(m.values, "redaction")
    moved = redactions.move(m.session, m.services.store, m.target, redaction_id, box_of(m.values))
    return f"#page-{moved.page}"


def _delete(m: MarkStep) -> str:
    gone = redactions.delete(m.session, m.target, whole(m.values, "redaction"))
    return f"#page-{gone.page}"


MARK_ACTIONS: dict[str, tuple[str, Callable[[MarkStep], str]]] = {
    "find": (redactions.FIND, _find),
    "box": (redactions.ADD, _box),
    "pii": (redactions.PROPOSE, _pii),
    "status": (redactions.STATUS, _set_status),
    "move": (redactions.MOVE, _move),
    "delete": (redactions.DELETE, _delete),
}
"""Each form: the audit action it is recorded as (a refusal too), and its handler (which
returns where on the page to go back to)."""


@router.post("/requests/{request_id}/records/{record_id}/{action}")
async def mark(
    request: Request,
    request_id: str,
    record_id: RecordId,
    action: str,
    services: ServicesDep,
    viewer: ViewerDep,
) -> Response:
    """Search-and-redact and PII proposals, drawn boxes (add, move, delete), accepting or rejecting."""
    values = await officer_form(request, services, viewer)
    if action not in MARK_ACTIONS:
        return Response(status_code=404)
    audited, handler = MARK_ACTIONS[action]
    here = f"/disclosure/requests/{request_id}/records/{record_id}"
    try:
        with form_work(services, viewer, audited, request_id) as session:
            item = svc.get_request(session, request_id)
            target = redactions.Target(
                item, record_id, viewer.principal.scope, viewer.principal.actor
            )
            here += handler(MarkStep(session, services, target, values))
    except (Conflict, InvalidInput) as exc:
        return record_page(
            request,
            request_id,
            record_id,
            services,
            viewer,
            error=translated(request, str(exc)),
            values=values,
            status_code=status_of(exc),
        )
    return RedirectResponse(here, status_code=303)
