"""``/api/v1/audit``: the audit log for administrators and records officers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from retention import AuditFilter, export_csv, read_log, start_export
from web.deps import Auditor, ServicesDep, SessionDep
from web.schemas import AuditSeq

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])


class AuditEventOut(BaseModel):
    seq: int
    at: datetime
    actor: str
    action: str
    target: str | None
    outcome: str
    client_ip: str | None
    detail: str
    hash: str


class AuditPage(BaseModel):
    items: list[AuditEventOut]
    next_before: int | None


@router.get("", response_model=AuditPage)
def list_audit(
    session: SessionDep,
    principal: Auditor,
    actor: str | None = None,
    action: Annotated[
        str | None, Query(description="an action, or a prefix ending in '.' such as 'document.'")
    ] = None,
    target: str | None = None,
    outcome: Annotated[str | None, Query(pattern="^(ok|denied|error)$")] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    before: Annotated[
        AuditSeq | None, Query(description="next_before of the previous page")
    ] = None,
) -> AuditPage:
    """Entries newest first, filtered, naming only documents the caller may read; reading the log
    is itself recorded."""
    flt = AuditFilter(
        actor=actor, action=action, target=target, outcome=outcome, since=since, until=until
    )
    events = read_log(
        session, flt, principal.scope, actor=principal.actor, limit=limit, before_seq=before
    )
    session.commit()
    return AuditPage(
        items=[AuditEventOut.model_validate(e, from_attributes=True) for e in events],
        next_before=events[-1].seq if len(events) == limit else None,
    )


@router.get("/export.csv", response_class=StreamingResponse)
def export_audit(
    services: ServicesDep,
    principal: Auditor,
    actor: str | None = None,
    action: str | None = None,
    target: str | None = None,
    outcome: Annotated[str | None, Query(pattern="^(ok|denied|error)$")] = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> StreamingResponse:
    """The matching entries, oldest first, as CSV (streamed)."""
    flt = AuditFilter(
        actor=actor, action=action, target=target, outcome=outcome, since=since, until=until
    )
    with services.sessions.begin() as session:
        start_export(session, flt, actor=principal.actor)

    def rows() -> Iterator[str]:
        with services.sessions() as session:
            yield from export_csv(session, flt, principal.scope)

    return StreamingResponse(
        rows(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="bunko-audit.csv"'},
    )
