"""Bulk intake: a manifest and its files (a ZIP or a server directory) checked whole, then
stored row by row through the one upload path (``web.intake``) with bulk priority.

The API route and ``bunko import`` only parse their input and call :func:`import_batch`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from pathlib import Path

from sqlalchemy.orm import Session

from archive import (
    ArchiveError,
    DocumentMetadata,
    Forbidden,
    InvalidInput,
    Permission,
    Principal,
    RecordNotFound,
    RowStatus,
    SecurityLevel,
    Sha256,
    UploadOutcome,
    UploadResult,
    done_rows,
    open_batch,
    plan_upload,
    record,
    set_row,
    share_of,
    translate_db_errors,
)
from retention import assign_by_hand, get_series, series_code_of
from web.batch_groups import GROUP_ROWS, GroupRow, store_group
from web.batch_sources import BatchSource
from web.intake import CREATES, Then, store_file
from web.manifest import Manifest, ManifestRow, RowError
from web.services import Services

log = logging.getLogger("bunko.batches")

SKIPPED = ("existing", "duplicate")


class BatchRejected(InvalidInput):
    """Some rows are invalid and the caller did not ask for ``partial``: nothing was stored."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(
            f"{len({e.row for e in errors})} manifest row(s) are invalid; nothing was stored "
            "(fix them, or send partial=true to store the valid rows)",
            field="manifest",
        )
        self.rows = [{"row": e.row, "field": e.field, "reason": e.reason} for e in errors]


@dataclasses.dataclass
class BatchResult:
    batch_id: str
    resumed: bool
    counts: dict[str, int] = dataclasses.field(default_factory=dict)
    """What this run did with the rows: stored, skipped, rejected, failed."""


@dataclasses.dataclass(frozen=True)
class _Planned:
    row: ManifestRow
    path: Path
    meta: DocumentMetadata
    creates: bool
    """The check found that storing the row creates a document or version (no repeat)."""


def manifest_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def import_batch(
    services: Services,
    manifest: Manifest,
    source: BatchSource,
    principal: Principal,
    *,
    manifest_sha256: str,
    workdir: Path,
    partial: bool = False,
) -> BatchResult:
    """Check every row (file present, fields, the caller's right to file it), then store the
    valid ones as a batch; with invalid rows and no ``partial``, raise ``BatchRejected``.

    The same manifest sent again by the same caller resumes its batch: rows stored in an
    earlier run are skipped, failed ones tried again.
    """
    errors = list(manifest.errors)
    planned = _plan(services, manifest, source, principal, workdir, errors)
    if errors and not partial:
        raise BatchRejected(errors)
    with translate_db_errors(), services.sessions.begin() as session:
        batch, resumed = open_batch(session, principal, manifest_sha256, len(manifest.rows))
        result = BatchResult(batch.id, resumed)
        for number, reason in _reasons(errors).items():
            row = manifest.rows.get(number)
            set_row(
                session,
                batch.id,
                number,
                file=row.file if row else "",
                status=RowStatus.REJECTED,
                reason=reason,
            )
        _count(result, RowStatus.REJECTED, len(_reasons(errors)))
        record(
            session,
            actor=principal.actor,
            action="batch.import",
            target=batch.id,
            detail={
                "rows": len(manifest.errors) + len(manifest.rows),
                "resumed": resumed,
                "rejected": len(_reasons(errors)),
                "partial": partial,
            },
        )
        skip = done_rows(session, batch.id)
    group: list[GroupRow] = []
    for number, plan in planned.items():
        if number in skip:
            _count(result, RowStatus.SKIPPED)
        elif plan.creates:
            group.append(_group_row(batch.id, number, plan, principal))
        else:  # a repeat of what is stored: recorded and audited as an upload of it is
            _store_row(services, batch.id, number, plan, principal, result)
        if len(group) == GROUP_ROWS:
            _store_group(services, batch.id, group, principal, result)
    _store_group(services, batch.id, group, principal, result)
    return result


def _store_group(
    services: Services,
    batch_id: str,
    group: list[GroupRow],
    principal: Principal,
    result: BatchResult,
) -> None:
    """Store the rows gathered in ``group`` (emptied)."""
    if group:
        for status in store_group(services, batch_id, group, principal):
            _count(result, status)
        group.clear()


def _group_row(batch_id: str, number: int, plan: _Planned, principal: Principal) -> GroupRow:
    series = plan.row.series
    then = _filing(series, principal, f"bulk import {batch_id}, row {number}") if series else None
    return GroupRow(number, plan.row.file, plan.path, plan.meta, then, _extra(plan.row))


def _store_row(
    services: Services,
    batch_id: str,
    number: int,
    plan: _Planned,
    principal: Principal,
    result: BatchResult,
) -> None:
    meta = dataclasses.replace(plan.meta, batch_id=batch_id)
    series = plan.row.series
    then = _filing(series, principal, f"bulk import {batch_id}, row {number}") if series else None
    try:
        stored = store_file(services, plan.path, meta, principal, then=then)
        outcome = stored.outcome.value
        status = RowStatus.SKIPPED if outcome in SKIPPED else RowStatus.STORED
        document_id: str | None = stored.document.id
        reason = None
    except (ArchiveError, OSError) as exc:
        status, outcome, document_id, reason = RowStatus.FAILED, None, None, str(exc) or "failed"
    _count(result, status)
    with translate_db_errors(), services.sessions.begin() as session:
        set_row(
            session,
            batch_id,
            number,
            file=plan.row.file,
            status=status,
            outcome=outcome,
            document_id=document_id,
            reason=reason,
            extra=_extra(plan.row),
        )


def _filing(series: str, principal: Principal, reason: str) -> Then:
    """Put a stored row's document in its manifest's series, as an officer's choice is kept:
    the pipeline's rules leave it be. Changing the series of a document stored before (a new
    version) is a records officer's decision."""

    def assign(session: Session, result: UploadResult) -> None:
        changes = result.outcome is UploadOutcome.NEW_VERSION and series_code_of(
            session, result.document.id
        ) not in (None, series)
        if changes and not principal.may(Permission.RECORDS):
            raise Forbidden("only a records officer may change a stored document's series")
        assign_by_hand(
            session,
            result.document.id,
            actor=principal.actor.name,
            series_code=series,
            reason=reason,
        )

    return assign


def _extra(row: ManifestRow) -> str | None:
    """What the archive has no column for (the series asked for, other metadata), kept as JSON."""
    extra = {**row.metadata, **({"series": row.series} if row.series else {})}
    return json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else None


def _count(result: BatchResult, status: RowStatus, n: int = 1) -> None:
    if n:
        result.counts[status.value] = result.counts.get(status.value, 0) + n


def _reasons(errors: list[RowError]) -> dict[int, str]:
    reasons: dict[int, str] = {}
    for e in errors:
        text = f"{e.field}: {e.reason}" if e.field else e.reason
        reasons[e.row] = f"{reasons[e.row]}; {text}" if e.row in reasons else text
    return reasons


def _plan(
    services: Services,
    manifest: Manifest,
    source: BatchSource,
    principal: Principal,
    workdir: Path,
    errors: list[RowError],
) -> dict[int, _Planned]:
    """The rows that may be stored, each staged and hashed; a fault of any other goes to ``errors``."""
    bad = {e.row for e in errors}
    planned: dict[int, _Planned] = {}
    with translate_db_errors(), services.sessions() as session:
        for number, row in manifest.rows.items():
            if number in bad:
                continue
            if not source.has(row.file):
                errors.append(RowError(number, "file", "no such file in the archive or directory"))
                continue
            try:
                path = source.stage(row.file, workdir)
                problem = _refusal(services, session, row, path, principal)
            except OSError as exc:
                problem = RowError(number, "file", f"unreadable: {exc}")
            if isinstance(problem, RowError):
                errors.append(RowError(number, problem.field, problem.reason))
                continue
            planned[number] = _Planned(row, path, _metadata(row, principal), problem)
    return planned


def _metadata(row: ManifestRow, principal: Principal) -> DocumentMetadata:
    return DocumentMetadata(
        title=row.title,
        department=row.department,
        document_date=row.document_date,
        source_system=row.source_system or principal.source_system,
        external_id=row.external_id,
        security_level=SecurityLevel.parse(row.level),
        bulk_share=share_of(principal),
    )


def _refusal(
    services: Services, session: Session, row: ManifestRow, path: Path, principal: Principal
) -> RowError | bool:
    """Why storing this row would be refused, decided as an upload decides it (nothing
    stored); else whether storing it creates a document or version (True) or repeats one."""
    with path.open("rb") as stream:
        digest = hashlib.file_digest(stream, "sha256").hexdigest()
        if stream.tell() == 0:
            return RowError(0, "file", "the file is empty")
    meta = _metadata(row, principal)
    if meta.security_level > principal.scope.clearance:
        return RowError(0, "level", "above your clearance: you could not read it back")
    try:
        if row.series is not None and not get_series(session, row.series).active:
            return RowError(0, "series", f"the record series {row.series!r} is no longer in use")
        prior = plan_upload(
            session,
            meta,
            Sha256(digest),
            principal,
            refuse_changes=services.settings.refuses_changes(meta.source_system),
        )
    except RecordNotFound as exc:
        return RowError(0, "series", str(exc))
    except Forbidden as exc:
        # Filing for another department, or a new version of a document one may not change.
        return RowError(0, "department" if "department" in str(exc) else "external_id", str(exc))
    except ArchiveError as exc:
        where = getattr(exc, "field", None)
        return RowError(0, where.removeprefix("metadata.") if where else None, str(exc))
    finally:
        session.rollback()
    return prior is None or prior.outcome in CREATES
