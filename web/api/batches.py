"""``/api/v1/batches``: bulk intake (a ZIP and a manifest), its progress and its report."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from archive import (
    InvalidInput,
    Principal,
    RecordNotFound,
    batch_counts,
    batch_progress,
    batch_report,
    csv_chunks,
    get_batch,
    readable,
    record,
    translate_db_errors,
)
from web.batch_sources import ZipSource
from web.batches import BatchResult, import_batch, manifest_digest
from web.deps import Reader, ServicesDep, SessionDep, Uploader
from web.manifest import MAX_ROWS, parse_manifest
from web.multipart import ReceivedForm, receive_form
from web.schemas import BatchAccepted, BatchOut
from web.services import Services

router = APIRouter(prefix="/api/v1/batches", tags=["batches"])

FINAL = ("indexed", "failed", "rejected")
REPORT_HEADER = ("row", "id", "status", "outcome", "reason")

_BATCH_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": "a ZIP"},
                        "manifest": {
                            "type": "string",
                            "description": "CSV (with a header) or JSON (a list of objects): "
                            "file, title, department, document_date, external_id, level, "
                            "series, source_system, any other metadata; or manifest.csv / "
                            "manifest.json at the ZIP's root",
                        },
                    },
                }
            }
        },
    }
}


@router.post(
    "",
    status_code=201,
    response_model=BatchAccepted,
    openapi_extra=_BATCH_BODY,
    responses={200: {"model": BatchAccepted, "description": "the same manifest again: resumed"}},
)
async def create_batch(
    request: Request,
    response: Response,
    services: ServicesDep,
    principal: Uploader,
    partial: bool = False,
) -> BatchAccepted:
    """Take in a ZIP of files described by a manifest. Every row is checked first: with any
    invalid row, 422 lists them all (row, field, reason) and nothing is stored, unless
    ``partial=true``. The documents are processed after interactive uploads."""
    settings = services.settings
    form = await receive_form(
        request, max_bytes=settings.max_upload_bytes, tmp_dir=settings.tmp_dir
    )
    try:
        result = await run_in_threadpool(_import_zip, services, form, principal, partial)
    finally:
        form.close()
    response.status_code = 200 if result.resumed else 201
    return BatchAccepted(
        batch_id=result.batch_id,
        resumed=result.resumed,
        counts=result.counts,
        status_url=f"/api/v1/batches/{result.batch_id}",
        report_url=f"/api/v1/batches/{result.batch_id}/report.csv",
    )


def _import_zip(
    services: Services, form: ReceivedForm, principal: Principal, partial: bool
) -> BatchResult:
    if form.file is None:
        raise InvalidInput("the form has no file part named 'file' (a ZIP)", field="file")
    source = ZipSource(
        form.file.file, max_bytes=services.settings.batch_max_bytes, max_entries=MAX_ROWS + 2
    )
    try:
        text = form.fields.get("manifest") or source.manifest()
        if not text or not text.strip():
            raise InvalidInput(
                "no manifest: send a 'manifest' field or put manifest.csv in the ZIP",
                field="manifest",
            )
        with tempfile.TemporaryDirectory(dir=services.settings.tmp_dir) as workdir:
            return import_batch(
                services,
                parse_manifest(text),
                source,
                principal,
                manifest_sha256=manifest_digest(text),
                workdir=Path(workdir),
                partial=partial,
            )
    finally:
        source.close()


@router.get("/{batch_id}", response_model=BatchOut)
def batch(batch_id: str, session: SessionDep, principal: Reader) -> BatchOut:
    """How far a batch has got: a bulk import's rows (its sender and administrators), or the
    documents uploaded with this ``batch_id`` (only those one may read)."""
    try:
        get_batch(session, batch_id, principal)
    except RecordNotFound:
        progress = batch_progress(session, batch_id, readable(principal.scope))
        if progress.total == 0:
            raise
        return BatchOut(
            batch_id=batch_id,
            total=progress.total,
            done=progress.done,
            by_status=progress.by_status,
        )
    counts = batch_counts(session, batch_id)
    return BatchOut(
        batch_id=batch_id,
        total=sum(counts.values()),
        done=sum(n for status, n in counts.items() if status in FINAL),
        by_status=counts,
        report_url=f"/api/v1/batches/{batch_id}/report.csv",
    )


@router.get("/{batch_id}/report.csv", response_class=StreamingResponse)
def batch_report_csv(batch_id: str, services: ServicesDep, principal: Reader) -> StreamingResponse:
    """Every row of a bulk import: row, document id, status, outcome, reason (its sender and
    administrators)."""
    with translate_db_errors(), services.sessions.begin() as session:
        get_batch(session, batch_id, principal)
        rows = batch_report(session, batch_id)
        record(session, actor=principal.actor, action="batch.report", target=batch_id)
    return StreamingResponse(
        csv_chunks(
            REPORT_HEADER, ((r.row, r.document_id, r.status, r.outcome, r.reason) for r in rows)
        ),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="batch-{batch_id}.csv"'},
    )
