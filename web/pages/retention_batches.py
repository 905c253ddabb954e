"""Records officer pages: the daily run on demand and disposition batches (review, approve, execute)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from archive import ArchiveError, Document, NotCleared, Permission, translate_db_errors
from retention import (
    DispositionAction,
    DispositionBatch,
    DispositionItem,
    DispositionRecord,
    ItemOutcome,
    batch_items,
    today_in_japan,
)
from retention import disposition_cases as batch_cases
from retention import disposition_service as disposition
from retention import execution_service as execution
from web.access import deny
from web.api.retention_disposition import transfer_root
from web.deps import ServicesDep
from web.pages._common import (
    CsrfField,
    ViewerDep,
    check_csrf,
    department_names,
    page,
    require_permission,
)
from web.pages.retention_view import (
    gettext_for,
    outcome_detail,
    overdue,
    person_namer,
    problem,
)
from web.templating import format_jst

router = APIRouter(prefix="/retention", tags=["pages"], include_in_schema=False)


@router.get("/batches", response_class=HTMLResponse)
def batches(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    nothing_due: Annotated[int | None, Query(ge=0, le=1_000_000)] = None,
) -> Response:
    require_permission(request, services, viewer, Permission.RECORDS)
    with translate_db_errors(), services.sessions() as session:
        rows = disposition.list_batches(session)
        return page(
            request,
            "retention_batches.html",
            viewer,
            nav="retention",
            tab="batches",
            batches=rows,
            nothing_due=nothing_due,
            summary=disposition.batch_summary,
        )


@router.post("/run")
def run(
    request: Request, services: ServicesDep, viewer: ViewerDep, csrf_token: CsrfField
) -> Response:
    require_permission(request, services, viewer, Permission.RECORDS)
    check_csrf(viewer, csrf_token)
    with translate_db_errors(), services.sessions.begin() as session:
        result = batch_cases.run(services.backends(session), actor=viewer.principal.actor)
    target = (
        f"/retention/batches/{result.batch_id}"
        if result.batch_id
        else f"/retention/batches?nothing_due={len(result.held)}"
    )
    return RedirectResponse(target, status_code=303)


def _item_facts(
    session: Session, items: list[DispositionItem], lang: str
) -> dict[str, tuple[str, date | None, bool]]:
    """``{document id: (department name, document date, still here)}`` for the items shown."""
    names = department_names(session, lang)
    ids = [i.document_id for i in items]
    facts: dict[str, tuple[str, date | None, bool]] = {}
    for document in session.scalars(select(Document).where(Document.id.in_(ids))):
        code = document.department.code if document.department else ""
        facts[document.id] = (names.get(code, "—"), document.document_date, True)
    for gone in session.scalars(
        select(DispositionRecord).where(DispositionRecord.document_id.in_(ids))
    ):
        code = gone.department_code or ""
        facts.setdefault(
            gone.document_id, (names.get(code, code or "—"), gone.document_date, False)
        )
    return facts


def to_dispose(batch: DispositionBatch) -> dict[str, int]:
    """What execution would still do: ``{"destroy": n, "transfer": m}`` of the pending items."""
    counts = {"destroy": 0, "transfer": 0}
    for item in batch.items:
        if (
            not item.excluded
            and item.outcome == ItemOutcome.PENDING
            and item.action.value in counts
        ):
            counts[item.action.value] += 1
    return counts


@router.get("/batches/{batch_id}", response_class=HTMLResponse)
def batch_page(
    request: Request,
    batch_id: str,
    services: ServicesDep,
    viewer: ViewerDep,
    error: str | None = None,
    status_code: int = 409,
) -> Response:
    require_permission(request, services, viewer, Permission.RECORDS)
    with translate_db_errors(), services.sessions() as session:
        batch = disposition.get_batch(session, batch_id)
        items = batch_items(session, batch, viewer.principal.scope)
        t = gettext_for(viewer.lang)
        return page(
            request,
            "retention_batch.html",
            viewer,
            nav="retention",
            tab="batches",
            batch=batch,
            items=items,
            facts=_item_facts(session, items, viewer.lang),
            today=today_in_japan(),
            overdue=overdue,
            detail=lambda text: outcome_detail(t, text),
            who=person_namer(session),
            jst=format_jst,
            reviewer=batch.reviewed_by == viewer.principal.actor.name,
            counts=to_dispose(batch),
            withheld=len(batch.items) - len(items),
            error=error,
            summary=disposition.batch_summary(batch),
            status_code=status_code if error else 200,
        )


def _review(session: Session, batch_id: str, viewer: ViewerDep, form: FormData) -> None:
    exclusions = {
        str(k).removeprefix("exclude:"): str(
            form.get(f"reason:{str(k).removeprefix('exclude:')}", "")
        )
        for k in form
        if str(k).startswith("exclude:")
    }
    decisions = {
        str(k).removeprefix("decide:"): DispositionAction(str(v))
        for k, v in form.items()
        if str(k).startswith("decide:") and v
    }
    batch_cases.review(
        session,
        batch_id,
        actor=viewer.principal.actor,
        scope=viewer.principal.scope,
        exclusions=exclusions,
        decisions=decisions,
    )


def _approve(session: Session, batch_id: str, viewer: ViewerDep, form: FormData) -> None:
    batch_cases.approve(
        session, batch_id, actor=viewer.principal.actor, scope=viewer.principal.scope
    )


STEPS = {"review": (batch_cases.REVIEW, _review), "approve": (batch_cases.APPROVE, _approve)}
STEP_ACTIONS = {
    **{step: action for step, (action, _) in STEPS.items()},
    "execute": execution.EXECUTE,
}


def _execute(
    request: Request, batch_id: str, services: ServicesDep, viewer: ViewerDep, form: FormData
) -> Response | None:
    """Execute the batch once the officer typed how many records go; the page again if not."""
    with translate_db_errors(), services.sessions() as session:
        counts = to_dispose(disposition.get_batch(session, batch_id))
    if str(form.get("confirm", "")).strip() != str(sum(counts.values())):
        t = gettext_for(viewer.lang)
        return batch_page(
            request,
            batch_id,
            services,
            viewer,
            error=t("Type the number of records to dispose of ({n}) to confirm.").format(
                n=sum(counts.values())
            ),
            status_code=422,
        )
    execution.execute(
        services.sessions,
        services.store,
        services.index,
        batch_id,
        actor=viewer.principal.actor,
        scope=viewer.principal.scope,
        transfer_root=transfer_root(services),
    )
    return None


@router.post("/batches/{batch_id}/{step}")
async def batch_step(
    request: Request, batch_id: str, step: str, services: ServicesDep, viewer: ViewerDep
) -> Response:
    """Review (with exclusions and decisions), approve or execute, from the batch page's forms."""
    require_permission(request, services, viewer, Permission.RECORDS)
    form = await request.form()
    check_csrf(viewer, str(form.get("csrf_token", "")))
    if step not in STEP_ACTIONS:
        return Response(status_code=404)
    t = gettext_for(viewer.lang)
    try:
        if step == "execute":
            refused = _execute(request, batch_id, services, viewer, form)
            if refused is not None:
                return refused
        else:
            with translate_db_errors(), services.sessions.begin() as session:
                STEPS[step][1](session, batch_id, viewer, form)
    except NotCleared as exc:
        with translate_db_errors(), services.sessions() as session:
            deny(session, viewer.principal, STEP_ACTIONS[step], batch_id)
        return batch_page(
            request, batch_id, services, viewer, error=problem(t, exc), status_code=403
        )
    except (ArchiveError, ValueError) as exc:
        return batch_page(request, batch_id, services, viewer, error=problem(t, exc))
    return RedirectResponse(f"/retention/batches/{batch_id}", status_code=303)
