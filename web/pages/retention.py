"""Records officer pages: file plan, due this fiscal year, a dry run (holds and batches beside).

Every message is in the viewer's language (``retention_view``): departments and people by
name, times in Japan time.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from archive import ArchiveError, Permission, translate_db_errors
from retention import (
    DispositionAction,
    RecordSeries,
    SeriesSpec,
    Trigger,
    fiscal_year_of,
    plan_cases,
    today_in_japan,
)
from retention import plan_service as plan
from retention import register_cases as registers
from retention import register_service as register
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
    period_label,
    problem,
)
from web.schemas import FiscalYear, RecordId

router = APIRouter(prefix="/retention", tags=["pages"], include_in_schema=False)


@router.get("", response_class=HTMLResponse)
def file_plan(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    edit: Annotated[str | None, Query(max_length=40)] = None,
    error: str | None = None,
    imported: Annotated[int | None, Query(ge=0, le=100_000)] = None,
) -> Response:
    require_permission(request, services, viewer, Permission.RECORDS)
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

    def series(self) -> SeriesSpec:
        return SeriesSpec(
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
    require_permission(request, services, viewer, Permission.RECORDS)
    check_csrf(viewer, form.csrf_token)
    try:
        body = form.series()
        with translate_db_errors(), services.sessions() as session:
            exists = session.scalar(select(RecordSeries.id).where(RecordSeries.code == body.code))
            if exists is None:
                plan_cases.create_series(session, body, actor=viewer.principal.actor)
            else:
                plan_cases.update_series(session, body.code, body, actor=viewer.principal.actor)
            session.commit()
    except (ArchiveError, ValueError) as exc:
        return _plan_refused(request, services, viewer, exc)
    return RedirectResponse("/retention#series", status_code=303)


class RuleForm(BaseModel):
    """An assignment rule (empty text means any)."""

    csrf_token: str = Field(max_length=200)
    series: str = Field(default="", max_length=40)
    doc_type: str = Field(default="", max_length=20)
    department: str = Field(default="", max_length=64)
    title_contains: str = Field(default="", max_length=200)
    priority: int = Field(default=100, ge=-(2**31), le=2**31 - 1)


@router.post("/rules")
def save_rule(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    form: Annotated[RuleForm, Form()],
) -> Response:
    """Add an assignment rule (documents of this type / department / title go to the series)."""
    require_permission(request, services, viewer, Permission.RECORDS)
    check_csrf(viewer, form.csrf_token)
    try:
        with translate_db_errors(), services.sessions.begin() as session:
            plan_cases.add_rule(
                session,
                actor=viewer.principal.actor,
                series=form.series,
                doc_type=form.doc_type or None,
                department=form.department or None,
                title_contains=form.title_contains or None,
                priority=form.priority,
            )
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
    require_permission(request, services, viewer, Permission.RECORDS)
    check_csrf(viewer, csrf_token)
    try:
        with translate_db_errors(), services.sessions.begin() as session:
            plan_cases.delete_rule(session, rule_id, actor=viewer.principal.actor)
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
    require_permission(request, services, viewer, Permission.RECORDS)
    check_csrf(viewer, csrf_token)
    raw = await file.read(plan_cases.PLAN_CSV_LIMIT + 1) if file is not None else b""
    try:
        changes = await run_in_threadpool(_import_plan, raw, services, viewer)
    except ArchiveError as exc:
        return await run_in_threadpool(_plan_refused, request, services, viewer, exc)
    return RedirectResponse(f"/retention?imported={len(changes)}#series", status_code=303)


def _import_plan(raw: bytes, services: ServicesDep, viewer: ViewerDep) -> list[object]:
    with translate_db_errors(), services.sessions.begin() as session:
        return list(plan_cases.import_plan(session, raw, actor=viewer.principal.actor))


@router.get("/due", response_class=HTMLResponse)
def due(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    fiscal_year: FiscalYear | None = None,
) -> Response:
    require_permission(request, services, viewer, Permission.RECORDS)
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
    require_permission(request, services, viewer, Permission.RECORDS)
    day = as_of or today_in_japan()
    if not date(1900, 1, 2) <= day <= MAX_FORECAST:
        t = gettext_for(viewer.lang)
        return _page_error(request, viewer, t("Choose a date between 1900 and 2999."), "forecast")
    with translate_db_errors(), services.sessions.begin() as session:
        found = registers.forecast(
            session, day, actor=viewer.principal.actor, scope=viewer.principal.scope
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
