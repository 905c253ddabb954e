"""``/api/v1/retention``: holds, the daily run, disposition batches (review, approval, execution), certificates."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from archive import AccessScope, Permission, Principal
from retention import (
    BatchStatus,
    DispositionAction,
    DispositionBatch,
    Hold,
    batch_items,
    hold_cases,
    readable_subset,
)
from retention import disposition_cases as batch_cases
from retention import disposition_service as disposition
from retention import execution_service as execution
from retention import hold_service as holds
from retention import transfer_service as transfer
from web.access import denials, deny
from web.deps import ServicesDep, SessionDep, require
from web.schemas import RecordId
from web.services import Services

router = APIRouter(prefix="/api/v1/retention", tags=["retention"])
Records = Annotated[Principal, Depends(require(Permission.RECORDS))]


def transfer_root(services: Services) -> Path:
    """Where transfer packages are written before the archives collect them."""
    return services.settings.data_dir / "transfers"


# --- holds --------------------------------------------------------------------------------


class HoldIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=200)
    reason: str = Field(max_length=4000)
    document_ids: list[str] = Field(default_factory=list, max_length=10_000)
    file_ids: list[str] = Field(default_factory=list, max_length=1000)
    query: str | None = Field(default=None, max_length=2000)


class HoldItemsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document_ids: list[str] = Field(default_factory=list, max_length=10_000)
    query: str | None = Field(default=None, max_length=2000)


class ReleaseIn(HoldItemsIn):
    reason: str = Field(max_length=4000)
    all: bool = False


class HoldOut(BaseModel):
    id: int
    name: str
    reason: str
    query: str | None
    created_by: str
    created_at: datetime
    released_at: datetime | None
    released_by: str | None
    release_reason: str | None
    held_documents: list[str]
    released_documents: list[str]
    withheld: int = Field(description="documents of this hold you may not read (a count only)")

    @classmethod
    def of(cls, session: SessionDep, hold: Hold, scope: AccessScope) -> HoldOut:
        every = holds.hold_items(session, hold.id)
        visible = readable_subset(session, [i.document_id for i in every], scope)
        items = [i for i in every if i.document_id in visible]
        active = hold.released_at is None
        return cls(
            id=hold.id,
            name=hold.name,
            reason=hold.reason,
            query=hold.query,
            created_by=hold.created_by,
            created_at=hold.created_at,
            released_at=hold.released_at,
            released_by=hold.released_by,
            release_reason=hold.release_reason,
            held_documents=[i.document_id for i in items if i.released_at is None and active],
            released_documents=[
                i.document_id for i in items if i.released_at is not None or not active
            ],
            withheld=len(every) - len(items),
        )


class HoldChange(BaseModel):
    hold: HoldOut
    changed: list[str]

    @classmethod
    def of(
        cls, session: SessionDep, hold: Hold, changed: list[str], scope: AccessScope
    ) -> HoldChange:
        visible = readable_subset(session, changed, scope)
        return cls(
            hold=HoldOut.of(session, hold, scope), changed=[d for d in changed if d in visible]
        )


@router.get("/holds", response_model=list[HoldOut])
def list_holds(session: SessionDep, principal: Records, active: bool = False) -> list[HoldOut]:
    return [
        HoldOut.of(session, h, principal.scope)
        for h in holds.list_holds(session, active_only=active)
    ]


@router.post("/holds", response_model=HoldChange, status_code=201)
def place_hold(
    body: HoldIn, session: SessionDep, services: ServicesDep, principal: Records
) -> HoldChange:
    """Place a hold on documents, files and/or everything a search query finds (saved with the hold)."""
    with denials(session, principal, hold_cases.PLACE, None):
        hold, added = hold_cases.place_hold(
            services.backends(session),
            actor=principal.actor,
            scope=principal.scope,
            **body.model_dump(),
        )
    session.commit()
    return HoldChange.of(session, hold, added, principal.scope)


@router.get("/holds/{hold_id}", response_model=HoldOut)
def get_hold(hold_id: RecordId, session: SessionDep, principal: Records) -> HoldOut:
    return HoldOut.of(session, holds.get_hold(session, hold_id), principal.scope)


@router.post("/holds/{hold_id}/documents", response_model=HoldChange)
def add_to_hold(
    hold_id: RecordId,
    body: HoldItemsIn,
    session: SessionDep,
    services: ServicesDep,
    principal: Records,
) -> HoldChange:
    """Hold more documents, singly or in bulk by query."""
    holds.get_hold(session, hold_id)
    with denials(session, principal, hold_cases.ADD, str(hold_id)):
        hold, added = hold_cases.add_to_hold(
            services.backends(session),
            hold_id,
            actor=principal.actor,
            scope=principal.scope,
            **body.model_dump(),
        )
    session.commit()
    return HoldChange.of(session, hold, added, principal.scope)


@router.post("/holds/{hold_id}/release", response_model=HoldChange)
def release_hold(
    hold_id: RecordId,
    body: ReleaseIn,
    session: SessionDep,
    services: ServicesDep,
    principal: Records,
) -> HoldChange:
    """Release documents (singly, by query) or the whole hold (``all``), with a reason."""
    holds.get_hold(session, hold_id)
    with denials(session, principal, hold_cases.RELEASE, str(hold_id)):
        hold, released = hold_cases.release_hold(
            services.backends(session),
            hold_id,
            actor=principal.actor,
            scope=principal.scope,
            reason=body.reason,
            document_ids=body.document_ids,
            query=body.query,
            everything=body.all,
        )
    session.commit()
    return HoldChange.of(session, hold, released, principal.scope)


# --- the daily run and batches ---------------------------------------------------------------


class RunIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    as_of: date | None = None


class RunOut(BaseModel):
    as_of: date
    batch_id: str | None
    proposed: int
    held: list[str]
    query_holds_added: int
    withheld: int = Field(description="held documents you may not read (a count only)")


class ItemOut(BaseModel):
    document_id: str
    title: str
    series: str
    file_id: str | None
    action: DispositionAction
    disposition_date: date
    excluded: bool
    exclusion_reason: str | None
    outcome: str
    outcome_detail: str | None


class BatchOut(BaseModel):
    id: str
    as_of: date
    status: BatchStatus
    created_by: str
    created_at: datetime
    reviewed_by: str | None
    reviewed_at: datetime | None
    approved_by: str | None
    approved_at: datetime | None
    executed_by: str | None
    executed_at: datetime | None
    transfer_bag: str | None
    counts: dict[str, int]
    items: list[ItemOut]
    withheld: int = Field(description="items above your clearance, shown only in this count")

    @classmethod
    def of(cls, session: SessionDep, batch: DispositionBatch, scope: AccessScope) -> BatchOut:
        visible = batch_items(session, batch, scope)
        return cls(
            id=batch.id,
            as_of=batch.as_of,
            status=batch.status,
            created_by=batch.created_by,
            created_at=batch.created_at,
            reviewed_by=batch.reviewed_by,
            reviewed_at=batch.reviewed_at,
            approved_by=batch.approved_by,
            approved_at=batch.approved_at,
            executed_by=batch.executed_by,
            executed_at=batch.executed_at,
            transfer_bag=batch.transfer_bag,
            counts=disposition.batch_summary(batch),
            items=[
                ItemOut(
                    document_id=i.document_id,
                    title=i.title,
                    series=i.series_code,
                    file_id=i.file_id,
                    action=i.action,
                    disposition_date=i.disposition_date,
                    excluded=i.excluded,
                    exclusion_reason=i.exclusion_reason,
                    outcome=i.outcome,
                    outcome_detail=i.outcome_detail,
                )
                for i in visible
            ],
            withheld=len(batch.items) - len(visible),
        )


class Exclusion(BaseModel):
    document_id: str
    reason: str = Field(max_length=4000)


class Decision(BaseModel):
    document_id: str
    action: DispositionAction


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    exclusions: list[Exclusion] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)


@router.post("/run", response_model=RunOut)
def run(body: RunIn, session: SessionDep, services: ServicesDep, principal: Records) -> RunOut:
    """The daily job, on demand: propose a batch of what is due (nothing is removed by this)."""
    result = batch_cases.run(services.backends(session), actor=principal.actor, as_of=body.as_of)
    session.commit()
    visible = readable_subset(session, result.held, principal.scope)
    return RunOut(
        **{**result.__dict__, "held": [d for d in result.held if d in visible]},
        withheld=len(result.held) - len(visible),
    )


@router.get("/batches", response_model=list[BatchOut])
def list_batches(
    session: SessionDep, principal: Records, status: BatchStatus | None = None
) -> list[BatchOut]:
    return [
        BatchOut.of(session, b, principal.scope)
        for b in disposition.list_batches(session, status=status)
    ]


@router.get("/batches/{batch_id}", response_model=BatchOut)
def get_batch(batch_id: str, session: SessionDep, principal: Records) -> BatchOut:
    return BatchOut.of(session, disposition.get_batch(session, batch_id), principal.scope)


@router.post("/batches/{batch_id}/review", response_model=BatchOut)
def review(batch_id: str, body: ReviewIn, session: SessionDep, principal: Records) -> BatchOut:
    """Review a proposed batch: exclude items (with reasons) and decide the "review" items."""
    disposition.get_batch(session, batch_id)
    with denials(session, principal, batch_cases.REVIEW, batch_id):
        batch = batch_cases.review(
            session,
            batch_id,
            actor=principal.actor,
            scope=principal.scope,
            exclusions={e.document_id: e.reason for e in body.exclusions},
            decisions={d.document_id: d.action for d in body.decisions},
        )
    session.commit()
    return BatchOut.of(session, batch, principal.scope)


@router.post("/batches/{batch_id}/approve", response_model=BatchOut)
def approve(batch_id: str, session: SessionDep, principal: Records) -> BatchOut:
    """Approve a reviewed batch: a different officer from the reviewer (403 otherwise)."""
    disposition.get_batch(session, batch_id)
    try:
        batch = batch_cases.approve(session, batch_id, actor=principal.actor, scope=principal.scope)
    except Exception:
        deny(session, principal, batch_cases.APPROVE, batch_id)
        raise
    session.commit()
    return BatchOut.of(session, batch, principal.scope)


@router.post("/batches/{batch_id}/execute", response_model=BatchOut)
async def execute(batch_id: str, services: ServicesDep, principal: Records) -> BatchOut:
    """Execute an approved batch: destroy or transfer each item that may still go, then certify."""
    return await run_in_threadpool(_execute, services, batch_id, principal)


def _execute(services: Services, batch_id: str, principal: Principal) -> BatchOut:
    with services.sessions() as session:
        with denials(session, principal, execution.EXECUTE, batch_id):
            execution.execute(
                services.sessions,
                services.store,
                services.index,
                batch_id,
                actor=principal.actor,
                scope=principal.scope,
                transfer_root=transfer_root(services),
            )
        return BatchOut.of(session, disposition.get_batch(session, batch_id), principal.scope)


@router.get("/batches/{batch_id}/certificate.{fmt}")
def certificate(
    batch_id: str, fmt: Literal["pdf", "csv"], session: SessionDep, principal: Records
) -> Response:
    """The certificate of an executed batch, as ``pdf`` or ``csv`` (officers cleared for every item)."""
    with denials(session, principal, batch_cases.CERTIFICATE, batch_id):
        found = batch_cases.certificate(
            session, batch_id, actor=principal.actor, scope=principal.scope, fmt=fmt
        )
    session.commit()
    body, digest = (found.pdf, found.pdf_sha256) if fmt == "pdf" else (found.csv, found.csv_sha256)
    return Response(
        body,
        media_type="application/pdf" if fmt == "pdf" else "text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="certificate-{batch_id}.{fmt}"',
            "ETag": f'"{digest}"',
        },
    )


@router.get("/batches/{batch_id}/transfer.zip")
def transfer_package(
    batch_id: str, session: SessionDep, services: ServicesDep, principal: Records
) -> StreamingResponse:
    """The BagIt transfer package of the batch, zipped, for the archives (公文書館)."""
    with denials(session, principal, batch_cases.TRANSFER_DOWNLOAD, batch_id):
        bag = batch_cases.transfer_package(
            session, batch_id, actor=principal.actor, scope=principal.scope
        )
    session.commit()
    return StreamingResponse(
        transfer.zip_stream(bag),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="transfer-{batch_id}.zip"'},
    )
