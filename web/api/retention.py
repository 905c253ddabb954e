"""``/api/v1/retention``: the file plan (record series) and its assignment rules.

Changes need the ``records`` permission (records officers); each is a use case of
``retention.usecases.plan``, audited in the route's transaction.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from archive import Permission, Principal
from retention import DispositionAction, RecordSeries, SeriesRule, Trigger
from retention import plan_cases as cases
from retention import plan_service as plan
from web.deps import ServicesDep, SessionDep, require
from web.schemas import Int32, RecordId
from web.streaming import CsvResponse

router = APIRouter(prefix="/api/v1", tags=["retention"])
Records = Annotated[Principal, Depends(require(Permission.RECORDS))]


class SeriesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(max_length=40)
    name: str = Field(max_length=200)
    name_en: str | None = Field(default=None, max_length=200)
    department: str | None = None
    period_years: int = 0
    period_months: int = 0
    permanent: bool = False
    trigger: Trigger = Trigger.FISCAL_YEAR_END
    event_field: str | None = None
    action: DispositionAction = DispositionAction.DESTROY
    legal_basis: str | None = None

    def spec(self, code: str | None = None) -> plan.SeriesSpec:
        return plan.SeriesSpec(**{**self.model_dump(), "code": code or self.code})


class SeriesOut(BaseModel):
    code: str
    name: str
    name_en: str | None
    department: str | None
    period_years: int
    period_months: int
    permanent: bool
    period: str
    trigger: Trigger
    event_field: str | None
    action: DispositionAction
    legal_basis: str | None
    active: bool

    @classmethod
    def of(cls, s: RecordSeries) -> SeriesOut:
        return cls(
            code=s.code,
            name=s.name,
            name_en=s.name_en,
            department=s.department.code if s.department else None,
            period_years=s.period_years,
            period_months=s.period_months,
            permanent=s.permanent,
            period=plan.describe_period(s.period_years, s.period_months, s.permanent),
            trigger=s.trigger,
            event_field=s.event_field,
            action=s.action,
            legal_basis=s.legal_basis,
            active=s.active,
        )


class SeriesChange(BaseModel):
    series: SeriesOut
    recomputed: int


class RuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    series: str
    doc_type: str | None = None
    department: str | None = None
    title_contains: str | None = Field(default=None, max_length=200)
    priority: Int32 = 100


class RuleOut(BaseModel):
    id: int
    series: str
    doc_type: str | None
    department: str | None
    title_contains: str | None
    priority: int

    @classmethod
    def of(cls, r: SeriesRule) -> RuleOut:
        return cls(
            id=r.id,
            series=r.series.code,
            doc_type=r.doc_type,
            department=r.department.code if r.department else None,
            title_contains=r.title_contains,
            priority=r.priority,
        )


# --- series -----------------------------------------------------------------------------


@router.get("/retention/series", response_model=list[SeriesOut])
def list_series(session: SessionDep, principal: Records) -> list[SeriesOut]:
    """The file plan: every record series."""
    return [SeriesOut.of(s) for s in plan.list_series(session)]


@router.post("/retention/series", response_model=SeriesOut, status_code=201)
def create_series(body: SeriesIn, session: SessionDep, principal: Records) -> SeriesOut:
    """Add a record series (409 if the code exists)."""
    series = cases.create_series(session, body.spec(), actor=principal.actor)
    session.commit()
    return SeriesOut.of(series)


@router.put("/retention/series/{code}", response_model=SeriesChange)
def update_series(
    code: str, body: SeriesIn, session: SessionDep, principal: Records
) -> SeriesChange:
    """Change a series; the dates of its records are recomputed when its period or trigger changed."""
    series, moved = cases.update_series(session, code, body.spec(code), actor=principal.actor)
    session.commit()
    return SeriesChange(series=SeriesOut.of(series), recomputed=moved)


@router.post("/retention/series/defaults", response_model=list[str])
def seed_defaults(session: SessionDep, principal: Records) -> list[str]:
    """Add the default plan's series and rules that are missing; returns the codes added."""
    added = cases.seed_defaults(session, actor=principal.actor)
    session.commit()
    return added


@router.get("/retention/series.csv", response_class=CsvResponse)
def export_series(session: SessionDep, principal: Records) -> Response:
    """The file plan as CSV (the columns ``import`` reads)."""
    body = cases.export_plan(session, actor=principal.actor)
    session.commit()
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="file-plan.csv"'},
    )


@router.post(
    "/retention/series/import",
    response_model=list[SeriesChange],
    openapi_extra={
        "requestBody": {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}}
    },
)
async def import_series(
    request: Request, services: ServicesDep, principal: Records
) -> list[SeriesChange]:
    """Create or update series from a CSV body (all rows are checked before any is applied)."""
    raw = await request.body()
    return await run_in_threadpool(_import, raw, services, principal)


def _import(raw: bytes, services: ServicesDep, principal: Principal) -> list[SeriesChange]:
    with services.sessions.begin() as session:
        changes = cases.import_plan(session, raw, actor=principal.actor)
        return [SeriesChange(series=SeriesOut.of(s), recomputed=moved) for s, moved in changes]


# --- rules ------------------------------------------------------------------------------


@router.get("/retention/rules", response_model=list[RuleOut])
def list_rules(session: SessionDep, principal: Records) -> list[RuleOut]:
    """Assignment rules, in the order they are tried."""
    return [RuleOut.of(r) for r in plan.list_rules(session)]


@router.post("/retention/rules", response_model=RuleOut, status_code=201)
def add_rule(body: RuleIn, session: SessionDep, principal: Records) -> RuleOut:
    """Add a rule: documents of this type / department / title go to this series at ingest."""
    rule = cases.add_rule(session, actor=principal.actor, **body.model_dump())
    session.commit()
    return RuleOut.of(rule)


@router.delete("/retention/rules/{rule_id}", status_code=204)
def delete_rule(rule_id: RecordId, session: SessionDep, principal: Records) -> Response:
    cases.delete_rule(session, rule_id, actor=principal.actor)
    session.commit()
    return Response(status_code=204)
