"""``/api/v1/retention``: the file plan, assignment rules, files (簿冊), document retention, registers.

Changes need the ``records`` permission (records officers); a document's retention can be
read by anyone who may read the document. Every change is audited in its transaction.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from archive import InvalidInput, record
from archive.policy import Principal
from archive.retention_tables import (
    DispositionAction,
    FileStatus,
    RecordFile,
    RecordSeries,
    SeriesRule,
    Trigger,
)
from retention import engine, files, plan, register
from retention.dates import fiscal_year_of, today_in_japan
from retention.disposition import tombstone
from retention.holds import holds_on
from retention.worm import protect_document
from web.access import denials, readable_document
from web.deps import Reader, ServicesDep, SessionDep, require
from web.schemas import FiscalYear, Int32, RecordId
from web.streaming import CsvResponse

router = APIRouter(prefix="/api/v1", tags=["retention"])
Records = Annotated[Principal, Depends(require("records"))]


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
    series = plan.create_series(session, body.spec())
    record(
        session,
        actor=principal.actor,
        action="retention.series.create",
        target=series.code,
        detail=body.model_dump(),
    )
    session.commit()
    return SeriesOut.of(series)


@router.put("/retention/series/{code}", response_model=SeriesChange)
def update_series(
    code: str, body: SeriesIn, session: SessionDep, principal: Records
) -> SeriesChange:
    """Change a series; the dates of its records are recomputed when its period or trigger changed."""
    plan.get_series(session, code)
    series, diff = plan.upsert_series(session, body.spec(code))
    moved = engine.recompute_series(session, series.id) if plan.DATE_AFFECTING & diff.keys() else 0
    record(
        session,
        actor=principal.actor,
        action="retention.series.update",
        target=code,
        detail={"changes": diff, "recomputed": moved},
    )
    session.commit()
    return SeriesChange(series=SeriesOut.of(series), recomputed=moved)


@router.post("/retention/series/defaults", response_model=list[str])
def seed_defaults(session: SessionDep, principal: Records) -> list[str]:
    """Add the default plan's series and rules that are missing; returns the codes added."""
    added = plan.seed_default_plan(session, created_by=principal.actor.name)
    record(
        session, actor=principal.actor, action="retention.series.defaults", detail={"added": added}
    )
    session.commit()
    return added


@router.get("/retention/series.csv", response_class=CsvResponse)
def export_series(session: SessionDep, principal: Records) -> Response:
    """The file plan as CSV (the columns ``import`` reads)."""
    body = plan.export_csv(plan.list_series(session))
    record(session, actor=principal.actor, action="retention.series.export")
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
    return apply_plan_csv(await request.body(), services, principal)


def apply_plan_csv(raw: bytes, services: ServicesDep, principal: Principal) -> list[SeriesChange]:
    """Upsert the series of a plan CSV (UTF-8 or Shift_JIS) in one audited transaction."""
    if len(raw) > 5 * 1024 * 1024:
        raise InvalidInput("the plan CSV is larger than 5 MiB", field="csv", status=413)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp932")
        except UnicodeDecodeError:
            raise InvalidInput("the plan CSV is neither UTF-8 nor Shift_JIS", field="csv") from None
    specs = plan.parse_csv(text)
    with services.sessions.begin() as session:
        changes = []
        for spec in specs:
            series, diff = plan.upsert_series(session, spec)
            moved = (
                engine.recompute_series(session, series.id)
                if plan.DATE_AFFECTING & diff.keys()
                else 0
            )
            changes.append(SeriesChange(series=SeriesOut.of(series), recomputed=moved))
        record(
            session,
            actor=principal.actor,
            action="retention.series.import",
            detail={"rows": len(specs), "codes": [s.code for s in specs]},
        )
    return changes


# --- rules ------------------------------------------------------------------------------


@router.get("/retention/rules", response_model=list[RuleOut])
def list_rules(session: SessionDep, principal: Records) -> list[RuleOut]:
    """Assignment rules, in the order they are tried."""
    return [RuleOut.of(r) for r in plan.list_rules(session)]


@router.post("/retention/rules", response_model=RuleOut, status_code=201)
def add_rule(body: RuleIn, session: SessionDep, principal: Records) -> RuleOut:
    """Add a rule: documents of this type / department / title go to this series at ingest."""
    rule = plan.add_rule(
        session,
        series_code=body.series,
        doc_type=body.doc_type,
        department=body.department,
        title_contains=body.title_contains,
        priority=body.priority,
        created_by=principal.actor.name,
    )
    record(
        session,
        actor=principal.actor,
        action="retention.rule.add",
        target=str(rule.id),
        detail=body.model_dump(),
    )
    session.commit()
    return RuleOut.of(rule)


@router.delete("/retention/rules/{rule_id}", status_code=204)
def delete_rule(rule_id: RecordId, session: SessionDep, principal: Records) -> Response:
    rule = plan.delete_rule(session, rule_id)
    record(
        session,
        actor=principal.actor,
        action="retention.rule.delete",
        target=str(rule_id),
        detail={"series": rule.series.code},
    )
    session.commit()
    return Response(status_code=204)


# --- a document's retention ---------------------------------------------------------------


class AssignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    series: str | None = None
    event_date: date | None = None
    clear_event_date: bool = False
    reason: str | None = Field(default=None, max_length=2000)


class ExtensionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    until: date | None = None
    years: int | None = None
    reason: str = Field(max_length=2000)
    legal_basis: str = Field(max_length=2000)


def _explained(session: SessionDep, document_id: str) -> dict[str, Any]:
    explained = engine.explain(session, document_id)
    explained["holds"] = holds_on(session, document_id)
    row = engine.retention_row(session, document_id)
    explained["storage_lock"] = (
        {"until": row.lock_until, "mode": row.lock_mode} if row is not None else None
    )
    return explained


@router.get("/documents/{document_id}/retention")
def document_retention(document_id: str, session: SessionDep, principal: Reader) -> dict[str, Any]:
    """Which rule, which trigger date and which extensions give this document its disposition date."""
    readable_document(session, document_id, principal, "retention.view")
    return _explained(session, document_id)


@router.put("/documents/{document_id}/retention")
def assign_retention(
    document_id: str, body: AssignIn, session: SessionDep, services: ServicesDep, principal: Records
) -> dict[str, Any]:
    """Set a document's series by hand, or its event date (e.g. a corrected contract end); dates follow."""
    readable_document(session, document_id, principal, "retention.assign", record_read=False)
    if body.series is None and body.event_date is None and not body.clear_event_date:
        raise InvalidInput("give series, event_date or clear_event_date", field="series")
    before = engine.retention_row(session, document_id)
    old_date = before.disposition_date if before else None
    computed = engine.assign_by_hand(
        session,
        document_id,
        actor=principal.actor.name,
        series_code=body.series,
        event_date=body.event_date,
        clear_event_date=body.clear_event_date,
        reason=body.reason,
    )
    protect_document(session, services.store, document_id, permanent=computed.permanent)
    record(
        session,
        actor=principal.actor,
        action="retention.assign",
        target=document_id,
        detail={
            **body.model_dump(),
            "disposition_date": (old_date, computed.disposition_date),
        },
    )
    session.commit()
    return _explained(session, document_id)


@router.post("/documents/{document_id}/retention/extensions", status_code=201)
def extend_document(
    document_id: str,
    body: ExtensionIn,
    session: SessionDep,
    services: ServicesDep,
    principal: Records,
) -> dict[str, Any]:
    """Extend (延長) the retention to a later date, with reason and legal basis; an earlier date is 409."""
    readable_document(session, document_id, principal, "retention.extend", record_read=False)
    extension = engine.extend(
        session,
        actor=principal.actor.name,
        document_id=document_id,
        until=body.until,
        years=body.years,
        reason=body.reason,
        legal_basis=body.legal_basis,
    )
    protect_document(session, services.store, document_id, permanent=False)
    record(
        session,
        actor=principal.actor,
        action="retention.extend",
        target=document_id,
        detail={
            "from": extension.previous_date,
            "to": extension.new_date,
            "reason": body.reason,
            "legal_basis": body.legal_basis,
        },
    )
    session.commit()
    return _explained(session, document_id)


# --- files (簿冊) --------------------------------------------------------------------------


class FileIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    series: str
    title: str = Field(max_length=500)
    department: str | None = None
    opened_on: date


class FileOut(BaseModel):
    id: str
    series: str
    title: str
    department: str | None
    opened_on: date
    closed_on: date | None
    event_date: date | None
    status: FileStatus
    documents: int
    start_date: date | None
    disposition_date: date | None
    permanent: bool
    pending_reason: str | None

    @classmethod
    def of(cls, session: SessionDep, f: RecordFile) -> FileOut:
        computed = engine.compute_file(session, f)
        return cls(
            id=f.id,
            series=f.series.code,
            title=f.title,
            department=f.department.code if f.department else None,
            opened_on=f.opened_on,
            closed_on=f.closed_on,
            event_date=f.event_date,
            status=f.status,
            documents=files.file_size(session, f.id),
            start_date=computed.start_date,
            disposition_date=computed.disposition_date,
            permanent=computed.permanent,
            pending_reason=computed.pending_reason,
        )


class FileDocumentsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document_ids: list[str] = Field(min_length=1, max_length=1000)


class CloseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    closed_on: date


class EventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    event_date: date | None


def _protect_file(session: SessionDep, services: ServicesDep, f: RecordFile) -> None:
    permanent = f.series.permanent
    for document_id in files.file_document_ids(session, f.id):
        protect_document(session, services.store, document_id, permanent=permanent)


@router.get("/retention/files", response_model=list[FileOut])
def list_files(
    session: SessionDep,
    principal: Records,
    status: FileStatus | None = None,
    series: str | None = None,
) -> list[FileOut]:
    return [
        FileOut.of(session, f) for f in files.list_files(session, status=status, series_code=series)
    ]


@router.post("/retention/files", response_model=FileOut, status_code=201)
def open_file(body: FileIn, session: SessionDep, principal: Records) -> FileOut:
    """Open a file (簿冊) of a series."""
    f = files.open_file(
        session,
        series_code=body.series,
        title=body.title,
        opened_on=body.opened_on,
        department=body.department,
        actor=principal.actor.name,
    )
    record(
        session,
        actor=principal.actor,
        action="retention.file.open",
        target=f.id,
        detail=body.model_dump(),
    )
    session.commit()
    return FileOut.of(session, f)


@router.get("/retention/files/{file_id}", response_model=FileOut)
def get_file(file_id: str, session: SessionDep, principal: Records) -> FileOut:
    return FileOut.of(session, files.get_file(session, file_id))


@router.post("/retention/files/{file_id}/documents", response_model=FileOut)
def add_documents(
    file_id: str,
    body: FileDocumentsIn,
    session: SessionDep,
    services: ServicesDep,
    principal: Records,
) -> FileOut:
    """File documents into an open file: they take its series and dates."""
    f = files.get_file(session, file_id)
    for document_id in body.document_ids:
        readable_document(session, document_id, principal, "retention.file.add", record_read=False)
    files.file_documents(session, f, body.document_ids)
    _protect_file(session, services, f)
    record(
        session,
        actor=principal.actor,
        action="retention.file.add",
        target=file_id,
        detail={"documents": body.document_ids},
    )
    session.commit()
    return FileOut.of(session, f)


@router.post("/retention/files/{file_id}/close", response_model=FileOut)
def close_file(
    file_id: str, body: CloseIn, session: SessionDep, services: ServicesDep, principal: Records
) -> FileOut:
    """Close the file (the cutoff): retention starts April 1 after the fiscal year of ``closed_on``."""
    f = files.get_file(session, file_id)
    moved = files.close_file(session, f, body.closed_on)
    _protect_file(session, services, f)
    record(
        session,
        actor=principal.actor,
        action="retention.file.close",
        target=file_id,
        detail={"closed_on": body.closed_on, "documents": moved},
    )
    session.commit()
    return FileOut.of(session, f)


@router.put("/retention/files/{file_id}/event-date", response_model=FileOut)
def set_event_date(
    file_id: str, body: EventIn, session: SessionDep, services: ServicesDep, principal: Records
) -> FileOut:
    f = files.get_file(session, file_id)
    files.set_file_event_date(session, f, body.event_date)
    _protect_file(session, services, f)
    record(
        session,
        actor=principal.actor,
        action="retention.file.event",
        target=file_id,
        detail=body.model_dump(),
    )
    session.commit()
    return FileOut.of(session, f)


@router.post("/retention/files/{file_id}/extensions", response_model=FileOut, status_code=201)
def extend_file(
    file_id: str, body: ExtensionIn, session: SessionDep, services: ServicesDep, principal: Records
) -> FileOut:
    """Extend (延長) a file's retention; every document in it follows. An earlier date is 409."""
    f = files.get_file(session, file_id)
    extension = engine.extend(
        session,
        actor=principal.actor.name,
        file_id=file_id,
        until=body.until,
        years=body.years,
        reason=body.reason,
        legal_basis=body.legal_basis,
    )
    _protect_file(session, services, f)
    record(
        session,
        actor=principal.actor,
        action="retention.extend",
        target=file_id,
        detail={
            "from": extension.previous_date,
            "to": extension.new_date,
            "reason": body.reason,
            "legal_basis": body.legal_basis,
        },
    )
    session.commit()
    return FileOut.of(session, f)


# --- registers ----------------------------------------------------------------------------


class DueOut(BaseModel):
    fiscal_year: int
    items: list[dict[str, Any]]
    withheld: int = Field(description="how many more are due that you may not read")


@router.get("/retention/due", response_model=DueOut)
def due(session: SessionDep, principal: Records, fiscal_year: FiscalYear | None = None) -> DueOut:
    """Records whose disposition date falls in the fiscal year (default: this one) or before."""
    year = fiscal_year if fiscal_year is not None else fiscal_year_of(today_in_japan())
    found = register.due_in_fiscal_year(session, year, principal.scope)
    return DueOut(
        fiscal_year=year, items=[r.__dict__ for r in found.records], withheld=found.withheld
    )


def _csv_response(body: bytes, name: str) -> Response:
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/retention/register.csv", response_class=CsvResponse)
def file_register(session: SessionDep, principal: Records) -> Response:
    """The file management register (行政文書ファイル管理簿)."""
    body = register.file_register_csv(session, principal.scope)
    record(session, actor=principal.actor, action="retention.register.export")
    session.commit()
    return _csv_response(body, f"file-register-{today_in_japan().isoformat()}.csv")


@router.get("/retention/disposed.csv", response_class=CsvResponse)
def disposed_register(session: SessionDep, principal: Records) -> Response:
    """The transfer/destruction register (移管・廃棄簿): residual records of what left the archive."""
    body = register.disposed_register_csv(session, principal.scope)
    record(session, actor=principal.actor, action="retention.disposed.export")
    session.commit()
    return _csv_response(body, "disposition-register.csv")


class TombstoneOut(BaseModel):
    document_id: str
    title: str
    series_code: str
    series_name: str
    department_code: str | None
    file_id: str | None
    file_title: str | None
    document_date: date | None
    created_at: datetime
    retention_start: date | None
    disposition_date: date
    action: str
    executed_at: datetime
    batch_id: str
    hashes: dict[str, list[str]]


@router.get("/retention/disposed/{document_id}", response_model=TombstoneOut)
def disposed(document_id: str, session: SessionDep, principal: Records) -> TombstoneOut:
    """The residual record of a destroyed or transferred document."""
    with denials(session, principal, "retention.disposed.view", document_id):
        found = tombstone(session, document_id, principal.scope)
    values = {c: getattr(found, c) for c in TombstoneOut.model_fields if c != "hashes"}
    return TombstoneOut(**values, hashes=json.loads(found.hashes))
