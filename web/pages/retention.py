"""Records officer pages: file plan, due this fiscal year, a dry run, holds, disposition batches.

Every message is in the viewer's language (``retention_view``): departments and people by
name, times in Japan time.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import ArchiveError, NotCleared, NotReadable, record, translate_db_errors
from archive.models import Document
from archive.retention_tables import (
    DispositionAction,
    DispositionBatch,
    DispositionItem,
    DispositionRecord,
    RecordSeries,
    Trigger,
)
from retention import disposition, holds, plan, register
from retention.dates import fiscal_year_of, today_in_japan
from retention.visibility import batch_items, readable_subset
from web.access import deny
from web.api.retention import (
    RuleIn,
    SeriesIn,
    add_rule,
    apply_plan_csv,
    create_series,
    delete_rule,
    update_series,
)
from web.api.retention_disposition import transfer_root
from web.deps import ServicesDep
from web.pages._common import ViewerDep, check_csrf, department_names, page, require_permission
from web.pages.retention_view import (
    gettext_for,
    outcome_detail,
    overdue,
    period_label,
    person_namer,
    problem,
)
from web.schemas import FiscalYear, RecordId
from web.templating import format_jst

router = APIRouter(prefix="/retention", tags=["pages"], include_in_schema=False)
CsrfField = Annotated[str, Form(max_length=200)]
PLAN_CSV_LIMIT = 5 * 1024 * 1024


def _officer(request: Request, services: ServicesDep, viewer: ViewerDep) -> None:
    require_permission(request, services, viewer, "records")


@router.get("", response_class=HTMLResponse)
def file_plan(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    edit: Annotated[str | None, Query(max_length=40)] = None,
    error: str | None = None,
    imported: Annotated[int | None, Query(ge=0, le=100_000)] = None,
) -> Response:
    _officer(request, services, viewer)
    t = gettext_for(viewer.lang)
    with translate_db_errors(), services.sessions() as session:
        series = plan.list_series(session)
        editing = next((s for s in series if s.code == edit), None)
        return page(
            request,
            "retention_plan.html",
            viewer,
            nav="retention",
            tab="plan",
            series=series,
            rules=plan.list_rules(session),
            editing=plan.spec_of(editing) if editing else None,
            period=lambda s: period_label(t, s.period_years, s.period_months, s.permanent),
            departments=department_names(session, viewer.lang),
            triggers=list(Trigger),
            actions=list(DispositionAction),
            doc_types=plan.DOC_TYPES,
            imported=imported,
            error=error,
            status_code=422 if error else 200,
        )


def _plan_refused(
    request: Request, services: ServicesDep, viewer: ViewerDep, exc: ArchiveError | ValueError
) -> Response:
    return file_plan(request, services, viewer, error=problem(gettext_for(viewer.lang), exc))


class SeriesForm(BaseModel):
    """The series form of the file plan page (empty text means none)."""

    csrf_token: str = Field(default="", max_length=200)
    code: str = Field(default="", max_length=40)
    name: str = Field(default="", max_length=200)
    name_en: str = Field(default="", max_length=200)
    department: str = Field(default="", max_length=64)
    period_years: int = Field(default=0, ge=0, le=100)
    period_months: int = Field(default=0, ge=0, le=1200)
    permanent: bool = False
    trigger: Trigger = Trigger.FISCAL_YEAR_END
    event_field: str = Field(default="", max_length=40)
    action: DispositionAction = DispositionAction.DESTROY
    legal_basis: str = Field(default="", max_length=2000)

    def series(self) -> SeriesIn:
        return SeriesIn(
            **{
                **self.model_dump(exclude={"csrf_token"}),
                "code": self.code.strip(),
                **{
                    k: getattr(self, k) or None
                    for k in ("name_en", "department", "event_field", "legal_basis")
                },
            }
        )


@router.post("/series")
def save_series(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    form: Annotated[SeriesForm, Form()],
) -> Response:
    """Add a series, or change the one with this code (its records' dates follow), as the API does."""
    _officer(request, services, viewer)
    check_csrf(viewer, form.csrf_token)
    try:
        body = form.series()
        with translate_db_errors(), services.sessions() as session:
            exists = session.scalar(select(RecordSeries.id).where(RecordSeries.code == body.code))
            if exists is None:
                create_series(body, session, viewer.principal)
            else:
                update_series(body.code, body, session, viewer.principal)
    except (ArchiveError, ValueError) as exc:
        return _plan_refused(request, services, viewer, exc)
    return RedirectResponse("/retention#series", status_code=303)


@router.post("/rules")
def save_rule(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    csrf_token: CsrfField,
    series: Annotated[str, Form(max_length=40)] = "",
    doc_type: Annotated[str, Form(max_length=20)] = "",
    department: Annotated[str, Form(max_length=64)] = "",
    title_contains: Annotated[str, Form(max_length=200)] = "",
    priority: Annotated[int, Form(ge=-(2**31), le=2**31 - 1)] = 100,
) -> Response:
    """Add an assignment rule (documents of this type / department / title go to the series)."""
    _officer(request, services, viewer)
    check_csrf(viewer, csrf_token)
    body = RuleIn(
        series=series,
        doc_type=doc_type or None,
        department=department or None,
        title_contains=title_contains or None,
        priority=priority,
    )
    try:
        with translate_db_errors(), services.sessions() as session:
            add_rule(body, session, viewer.principal)
    except ArchiveError as exc:
        return _plan_refused(request, services, viewer, exc)
    return RedirectResponse("/retention#rules", status_code=303)


@router.post("/rules/{rule_id}/delete")
def remove_rule(
    rule_id: RecordId,
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    csrf_token: CsrfField,
) -> Response:
    _officer(request, services, viewer)
    check_csrf(viewer, csrf_token)
    try:
        with translate_db_errors(), services.sessions() as session:
            delete_rule(rule_id, session, viewer.principal)
    except ArchiveError as exc:
        return _plan_refused(request, services, viewer, exc)
    return RedirectResponse("/retention#rules", status_code=303)


@router.post("/series/import")
async def import_plan(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    csrf_token: CsrfField,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Create or update series from an uploaded plan CSV (the columns the export writes)."""
    _officer(request, services, viewer)
    check_csrf(viewer, csrf_token)
    raw = await file.read(PLAN_CSV_LIMIT + 1) if file is not None else b""
    try:
        changes = await run_in_threadpool(apply_plan_csv, raw, services, viewer.principal)
    except ArchiveError as exc:
        return await run_in_threadpool(_plan_refused, request, services, viewer, exc)
    return RedirectResponse(f"/retention?imported={len(changes)}#series", status_code=303)


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
        departments = department_names(session, viewer.lang)
    return page(
        request,
        "retention_due.html",
        viewer,
        nav="retention",
        tab="due",
        year=year,
        items=found.records,
        withheld=found.withheld,
        departments=departments,
    )


MAX_FORECAST = date(2999, 12, 31)


@router.get("/forecast", response_class=HTMLResponse)
def forecast(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    as_of: Annotated[date | None, Query()] = None,
) -> Response:
    """A dry run: what the daily run would find due as of a date (future dates too); no batch."""
    _officer(request, services, viewer)
    day = as_of or today_in_japan()
    if not date(1900, 1, 2) <= day <= MAX_FORECAST:
        t = gettext_for(viewer.lang)
        return _page_error(request, viewer, t("Choose a date between 1900 and 2999."), "forecast")
    with translate_db_errors(), services.sessions.begin() as session:
        found = register.due_by(session, day - timedelta(days=1), viewer.principal.scope)
        record(
            session,
            actor=viewer.principal.actor,
            action="retention.forecast",
            detail={"as_of": day.isoformat(), "records": len(found.records)},
        )
        departments = department_names(session, viewer.lang)
    return page(
        request,
        "retention_forecast.html",
        viewer,
        nav="retention",
        tab="forecast",
        as_of=day,
        today=today_in_japan(),
        items=found.records,
        withheld=found.withheld,
        departments=departments,
    )


def _page_error(request: Request, viewer: ViewerDep, error: str, tab: str) -> Response:
    return page(
        request,
        "retention_base.html",
        viewer,
        nav="retention",
        tab=tab,
        error=error,
        status_code=422,
    )


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
    _officer(request, services, viewer)
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


@router.post("/holds")
def place_hold(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    csrf_token: CsrfField,
    name: Annotated[str, Form(max_length=200)],
    reason: Annotated[str, Form(max_length=4000)],
    document_ids: Annotated[list[str], Form(max_length=1000)] = [],  # noqa: B006
    query: Annotated[str, Form(max_length=2000)] = "",
    back: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Place a hold on documents (ids, one per line, or ticked in search results) and/or a query."""
    _officer(request, services, viewer)
    check_csrf(viewer, csrf_token)
    t = gettext_for(viewer.lang)
    ids = [i for value in document_ids for i in value.split()]
    if len(ids) > holds.MAX_BULK:
        return holds_page(request, services, viewer, error=t("Too many documents at once."))
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
                document_ids=ids,
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
        return holds_page(request, services, viewer, error=problem(t, exc))
    except ArchiveError as exc:
        return holds_page(request, services, viewer, error=problem(t, exc))
    target = _back(back)
    sep = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{sep}held={hold.id}", status_code=303)


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
        return holds_page(request, services, viewer, error=problem(gettext_for(viewer.lang), exc))
    return RedirectResponse("/retention/holds", status_code=303)


@router.get("/batches", response_class=HTMLResponse)
def batches(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    nothing_due: Annotated[int | None, Query(ge=0, le=1_000_000)] = None,
) -> Response:
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
            nothing_due=nothing_due,
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
        if not item.excluded and item.outcome == "pending" and item.action.value in counts:
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
    _officer(request, services, viewer)
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


@router.post("/batches/{batch_id}/{step}")
async def batch_step(
    request: Request, batch_id: str, step: str, services: ServicesDep, viewer: ViewerDep
) -> Response:
    """Review (with exclusions and decisions), approve or execute, from the batch page's forms."""
    _officer(request, services, viewer)
    form = await request.form()
    check_csrf(viewer, str(form.get("csrf_token", "")))
    actor = viewer.principal.actor
    t = gettext_for(viewer.lang)
    try:
        if step == "execute":
            with translate_db_errors(), services.sessions() as session:
                counts = to_dispose(disposition.get_batch(session, batch_id))
            if str(form.get("confirm", "")).strip() != str(sum(counts.values())):
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
        return batch_page(
            request, batch_id, services, viewer, error=problem(t, exc), status_code=403
        )
    except (ArchiveError, ValueError) as exc:
        return batch_page(request, batch_id, services, viewer, error=problem(t, exc))
    return RedirectResponse(f"/retention/batches/{batch_id}", status_code=303)
