"""Records officer pages: file plan, due this fiscal year, holds, disposition batches, certificates."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from archive import ArchiveError, NotCleared, NotReadable, record, translate_db_errors
from archive.retention_tables import DispositionAction
from retention import disposition, holds, plan, register
from retention.dates import fiscal_year_of, today_in_japan
from retention.visibility import batch_items
from web.access import deny
from web.api.retention_disposition import transfer_root
from web.deps import ServicesDep
from web.pages._common import ViewerDep, check_csrf, page, require_permission
from web.schemas import FiscalYear, RecordId

router = APIRouter(prefix="/retention", tags=["pages"], include_in_schema=False)
CsrfField = Annotated[str, Form(max_length=200)]


def _officer(request: Request, services: ServicesDep, viewer: ViewerDep) -> None:
    require_permission(request, services, viewer, "records")


@router.get("", response_class=HTMLResponse)
def file_plan(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    _officer(request, services, viewer)
    with translate_db_errors(), services.sessions() as session:
        series = plan.list_series(session)
        rules = plan.list_rules(session)
        return page(
            request,
            "retention_plan.html",
            viewer,
            nav="retention",
            tab="plan",
            series=series,
            rules=rules,
            period=plan.describe_period,
        )


@router.get("/due", response_class=HTMLResponse)
def due(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    fiscal_year: FiscalYear | None = None,
) -> Response:
    _officer(request, services, viewer)
    year = fiscal_year if fiscal_year is not None else fiscal_year_of(today_in_japan())
    with translate_db_errors(), services.sessions() as session:
        found = register.due_in_fiscal_year(session, year, viewer.principal.scope)
    return page(
        request,
        "retention_due.html",
        viewer,
        nav="retention",
        tab="due",
        year=year,
        items=found.records,
        withheld=found.withheld,
    )


@router.get("/holds", response_class=HTMLResponse)
def holds_page(
    request: Request, services: ServicesDep, viewer: ViewerDep, error: str | None = None
) -> Response:
    _officer(request, services, viewer)
    with translate_db_errors(), services.sessions() as session:
        rows = [
            (h, [i for i in holds.hold_items(session, h.id) if i.released_at is None])
            for h in holds.list_holds(session)
        ]
        return page(
            request,
            "retention_holds.html",
            viewer,
            nav="retention",
            tab="holds",
            holds=rows,
            error=error,
            status_code=422 if error else 200,
        )


@router.post("/holds")
def place_hold(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    csrf_token: CsrfField,
    name: Annotated[str, Form(max_length=200)],
    reason: Annotated[str, Form(max_length=4000)],
    document_ids: Annotated[str, Form(max_length=200_000)] = "",
    query: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    _officer(request, services, viewer)
    check_csrf(viewer, csrf_token)
    try:
        with translate_db_errors(), services.sessions.begin() as session:
            hold, added = holds.place_hold(
                session,
                services.store,
                services.index,
                name=name,
                reason=reason,
                actor=viewer.principal.actor.name,
                scope=viewer.principal.scope,
                document_ids=document_ids.split(),
                query=query or None,
            )
            record(
                session,
                actor=viewer.principal.actor,
                action="retention.hold.place",
                target=str(hold.id),
                detail={"name": hold.name, "documents": added, "query": hold.query},
            )
    except NotReadable as exc:
        with translate_db_errors(), services.sessions() as session:
            deny(session, viewer.principal, "retention.hold.place", None)
        return holds_page(request, services, viewer, error=str(exc))
    except ArchiveError as exc:
        return holds_page(request, services, viewer, error=str(exc))
    return RedirectResponse("/retention/holds", status_code=303)


@router.post("/holds/{hold_id}/release")
def release_hold(
    hold_id: RecordId,
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    csrf_token: CsrfField,
    reason: Annotated[str, Form(max_length=4000)],
) -> Response:
    _officer(request, services, viewer)
    check_csrf(viewer, csrf_token)
    try:
        with translate_db_errors(), services.sessions.begin() as session:
            hold = holds.get_hold(session, hold_id)
            released = holds.release(
                session,
                services.store,
                services.index,
                hold,
                actor=viewer.principal.actor.name,
                reason=reason,
                scope=viewer.principal.scope,
                everything=True,
            )
            record(
                session,
                actor=viewer.principal.actor,
                action="retention.hold.release",
                target=str(hold_id),
                detail={"documents": released, "reason": reason, "all": True},
            )
    except ArchiveError as exc:
        return holds_page(request, services, viewer, error=str(exc))
    return RedirectResponse("/retention/holds", status_code=303)


@router.get("/batches", response_class=HTMLResponse)
def batches(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    _officer(request, services, viewer)
    with translate_db_errors(), services.sessions() as session:
        rows = disposition.list_batches(session)
        return page(
            request,
            "retention_batches.html",
            viewer,
            nav="retention",
            tab="batches",
            batches=rows,
            summary=disposition.batch_summary,
        )


@router.post("/run")
def run(
    request: Request, services: ServicesDep, viewer: ViewerDep, csrf_token: CsrfField
) -> Response:
    _officer(request, services, viewer)
    check_csrf(viewer, csrf_token)
    with translate_db_errors(), services.sessions.begin() as session:
        result = disposition.run_daily(
            session,
            services.store,
            services.index,
            as_of=today_in_japan(),
            actor=viewer.principal.actor.name,
        )
        record(
            session,
            actor=viewer.principal.actor,
            action="retention.run",
            target=result.batch_id,
            detail={"proposed": result.proposed, "held": len(result.held)},
        )
    target = f"/retention/batches/{result.batch_id}" if result.batch_id else "/retention/batches"
    return RedirectResponse(target, status_code=303)


@router.get("/batches/{batch_id}", response_class=HTMLResponse)
def batch_page(
    request: Request,
    batch_id: str,
    services: ServicesDep,
    viewer: ViewerDep,
    error: str | None = None,
    status_code: int = 409,
) -> Response:
    _officer(request, services, viewer)
    with translate_db_errors(), services.sessions() as session:
        batch = disposition.get_batch(session, batch_id)
        items = batch_items(session, batch, viewer.principal.scope)
        return page(
            request,
            "retention_batch.html",
            viewer,
            nav="retention",
            tab="batches",
            batch=batch,
            items=items,
            withheld=len(batch.items) - len(items),
            error=error,
            summary=disposition.batch_summary(batch),
            status_code=status_code if error else 200,
        )


@router.post("/batches/{batch_id}/{step}")
async def batch_step(
    request: Request, batch_id: str, step: str, services: ServicesDep, viewer: ViewerDep
) -> Response:
    """Review (with exclusions and decisions), approve or execute, from the batch page's forms."""
    _officer(request, services, viewer)
    form = await request.form()
    check_csrf(viewer, str(form.get("csrf_token", "")))
    actor = viewer.principal.actor
    try:
        if step == "execute":
            disposition.execute(
                services.sessions,
                services.store,
                services.index,
                batch_id,
                actor=actor,
                scope=viewer.principal.scope,
                transfer_root=transfer_root(services),
            )
        elif step in ("review", "approve"):
            with translate_db_errors(), services.sessions.begin() as session:
                batch = disposition.get_batch(session, batch_id)
                if step == "approve":
                    disposition.approve(
                        session, batch, actor=actor.name, scope=viewer.principal.scope
                    )
                    detail: dict[str, object] = {}
                else:
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
                    disposition.review(
                        session,
                        batch,
                        actor=actor.name,
                        scope=viewer.principal.scope,
                        exclusions=exclusions,
                        decisions=decisions,
                    )
                    detail = {"exclusions": exclusions, "decisions": decisions}
                record(
                    session,
                    actor=actor,
                    action=f"retention.batch.{step}",
                    target=batch_id,
                    detail=detail,
                )
        else:
            return Response(status_code=404)
    except NotCleared as exc:
        with translate_db_errors(), services.sessions() as session:
            deny(session, viewer.principal, f"retention.batch.{step}", batch_id)
        return batch_page(request, batch_id, services, viewer, error=str(exc), status_code=403)
    except (ArchiveError, ValueError) as exc:
        return batch_page(request, batch_id, services, viewer, error=str(exc))
    return RedirectResponse(f"/retention/batches/{batch_id}", status_code=303)
