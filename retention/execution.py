"""Executing an approved disposition batch: destroy or transfer each item that may still go, certify.

Every item is re-checked at that moment (holds, extensions, storage locks). Execution is
resumable: a batch stopped half-way is executed again from where it stopped, so it runs its
own transactions (one per item) and takes a ``sessionmaker``, not a session.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from archive import (
    AccessScope,
    Actor,
    BlobNotFound,
    BlobRetained,
    BlobStore,
    Conflict,
    Derivative,
    Document,
    DocumentChange,
    DocumentCorrection,
    DocumentField,
    DocumentGrant,
    DocumentVersion,
    EventType,
    ProcessingStep,
    RecordId,
    RecordNotFound,
    changes_of,
    emit,
    record,
    truncate_write_ahead_log,
    utcnow,
)
from retention.certificate import CertificateHeader, CertificateLine, render_csv, render_pdf
from retention.disposition import get_batch
from retention.explanation import explain
from retention.holds import held_documents
from retention.models import (
    BatchStatus,
    DispositionAction,
    DispositionBatch,
    DispositionCertificate,
    DispositionItem,
    DispositionRecord,
    DocumentRetention,
    FileStatus,
    ItemOutcome,
    RecordFile,
)
from retention.transfer import TransferEntry, write_bag
from retention.visibility import require_whole_batch
from search import SearchIndex

ORGANISATION = "Bunko"
EXECUTE = "retention.batch.execute"
DISPOSE = "retention.dispose"
"""An item refused at execution (hold, extension, storage lock)."""
DESTROYED = "retention.destroy"
TRANSFERRED = "retention.transfer"


@dataclass
class _Plan:
    item_id: int
    document_id: str
    action: DispositionAction
    originals: list[tuple[str, str]] = field(default_factory=list)
    metadata: dict[str, object] = field(default_factory=dict)


def _refusal(
    session: Session, store: BlobStore, item: DispositionItem, now: datetime
) -> str | None:
    """Why this item may not be disposed of right now (hold, extension, storage lock), or None."""
    holds = held_documents(session, [item.document_id]).get(item.document_id)
    if holds:
        return f"under hold: {', '.join(holds)}"
    row = session.get(DocumentRetention, item.document_id)
    if row is None or row.disposition_date is None:
        return "the record no longer has a disposition date"
    if row.disposition_date > item.disposition_date:
        return f"retention was extended to {row.disposition_date.isoformat()}"
    for key in set(
        session.scalars(
            select(DocumentVersion.blob_key).where(DocumentVersion.document_id == item.document_id)
        )
    ):
        try:
            why = store.lock(key).blocks_delete(now, bypass_governance=True)
        except BlobNotFound:
            continue
        if why is not None:
            return f"storage refuses: {why}"
    return None


_EXT = re.compile(r"\.([A-Za-z0-9]{1,8})$")


def _package_name(version: DocumentVersion) -> str:
    match = _EXT.search(version.original_filename)
    return f"v{version.number}.{match.group(1).lower()}" if match else f"v{version.number}.bin"


def _plan(session: Session, item: DispositionItem) -> _Plan:
    document = session.get(Document, item.document_id)
    assert document is not None
    plan = _Plan(item.id, item.document_id, item.action)
    plan.originals = [(v.blob_key, _package_name(v)) for v in document.versions]
    if item.action is DispositionAction.TRANSFER:
        plan.metadata = {
            "id": document.id,
            "title": document.title,
            "department": document.department.code if document.department else None,
            "document_date": document.document_date,
            "doc_type": document.doc_type,
            "security_level": document.security_level,
            "source_system": document.source_system,
            "external_id": document.external_id,
            "created_at": document.created_at,
            "versions": [
                {
                    "number": v.number,
                    "sha256": v.blob_key,
                    "size": v.size,
                    "media_type": v.media_type,
                    "original_filename": v.original_filename,
                    "package_file": _package_name(v),
                    "uploaded_by": v.uploaded_by,
                    "created_at": v.created_at,
                    "reason": v.reason,
                }
                for v in document.versions
            ],
            "fields": [
                {"name": f.name, "value": f.value, "type": f.value_type}
                for f in session.scalars(
                    select(DocumentField).where(DocumentField.document_id == document.id)
                )
            ],
            "corrections": [
                {
                    "document": c.document_id,
                    "version": c.version,
                    "corrects": c.corrects_id,
                    "actor": c.actor,
                    "at": c.at,
                    "reason": c.reason,
                }
                for c in session.scalars(
                    select(DocumentCorrection).where(
                        or_(
                            DocumentCorrection.document_id == document.id,
                            DocumentCorrection.corrects_id == document.id,
                        )
                    )
                )
            ],
            "retention": asdict(explain(session, document.id)),
            "history": [
                {
                    "at": c.at,
                    "actor": c.actor,
                    "field": c.field,
                    "old_value": c.old_value,
                    "new_value": c.new_value,
                    "reason": c.reason,
                }
                for c in changes_of(session, document.id)
            ],
        }
    return plan


def _outcome(item: DispositionItem) -> ItemOutcome:
    transfer = item.action is DispositionAction.TRANSFER
    return ItemOutcome.TRANSFERRED if transfer else ItemOutcome.DESTROYED


def _remove(
    session: Session, store: BlobStore, item: DispositionItem, batch: DispositionBatch, actor: Actor
) -> None:
    """Delete a document's rows and (unless another record shares them) its blobs; leave the residual record."""
    document = session.get(Document, item.document_id)
    assert document is not None
    item.security_level = document.security_level
    row = session.get(DocumentRetention, document.id)
    series = row.file.series if row and row.file else row.series if row else None
    version_ids = [v.id for v in document.versions]
    keys = {v.blob_key for v in document.versions}
    derivative_keys = set(
        session.scalars(select(Derivative.blob_key).where(Derivative.version_id.in_(version_ids)))
    )
    session.add(
        DispositionRecord(
            document_id=document.id,
            title=document.title,
            security_level=document.security_level,
            series_code=series.code if series else item.series_code,
            series_name=series.name if series else "",
            department_code=document.department.code if document.department else None,
            file_id=row.file_id if row else None,
            file_title=row.file.title if row and row.file else None,
            document_date=document.document_date,
            created_at=document.created_at,
            retention_start=row.start_date if row else None,
            disposition_date=item.disposition_date,
            action=_outcome(item).value,
            batch_id=batch.id,
            hashes=json.dumps({"originals": sorted(keys), "derivatives": sorted(derivative_keys)}),
        )
    )
    session.execute(delete(Derivative).where(Derivative.version_id.in_(version_ids)))
    session.execute(delete(DocumentField).where(DocumentField.document_id == document.id))
    session.execute(delete(ProcessingStep).where(ProcessingStep.document_id == document.id))
    session.execute(delete(DocumentGrant).where(DocumentGrant.document_id == document.id))
    session.execute(delete(DocumentChange).where(DocumentChange.document_id == document.id))
    session.execute(
        delete(DocumentCorrection).where(
            or_(
                DocumentCorrection.document_id == document.id,
                DocumentCorrection.corrects_id == document.id,
            )
        )
    )
    session.execute(delete(DocumentRetention).where(DocumentRetention.document_id == document.id))
    session.execute(delete(DocumentVersion).where(DocumentVersion.document_id == document.id))
    session.execute(delete(Document).where(Document.id == document.id))
    session.flush()
    for key in sorted(keys | derivative_keys):
        shared = session.scalar(
            select(DocumentVersion.id).where(DocumentVersion.blob_key == key).limit(1)
        ) or session.scalar(select(Derivative.id).where(Derivative.blob_key == key).limit(1))
        if shared is None:
            store.delete(key, bypass_governance=True)
    item.outcome = _outcome(item).value
    emit(
        session,
        EventType.RETENTION_DISPOSED,
        batch_id=batch.id,
        disposed_document_id=document.id,
        outcome=item.outcome,
    )
    record(
        session,
        actor=actor,
        action=TRANSFERRED if item.action is DispositionAction.TRANSFER else DESTROYED,
        target=document.id,
        detail={"batch": batch.id, "sha256": sorted(keys)},
    )


def _record_refusal(
    session: Session, actor: Actor, batch_id: str, document_id: str, why: str
) -> None:
    record(
        session,
        actor=actor,
        action=DISPOSE,
        target=document_id,
        outcome="refused",
        detail={"batch": batch_id, "reason": why},
    )


def execute(
    sessions: sessionmaker[Session],
    store: BlobStore,
    index: SearchIndex | None,
    batch_id: str,
    *,
    actor: Actor,
    scope: AccessScope,
    transfer_root: Path,
    now: datetime | None = None,
) -> DispositionBatch:
    """Carry out an approved batch: destroy or transfer each item that may still go, then certify.

    ``NotCleared`` (nothing done) when ``scope`` may not read every item of the batch.
    """
    now = now or datetime.now(UTC)
    with sessions.begin() as session:
        batch = get_batch(session, batch_id)
        require_whole_batch(session, batch, scope)
        if batch.status not in (BatchStatus.APPROVED, BatchStatus.EXECUTING):
            raise Conflict(
                f"only an approved batch can be executed; this one is {batch.status.value}"
            )
        batch.status, batch.executed_by = BatchStatus.EXECUTING, actor.name
        record(session, actor=actor, action=EXECUTE, target=batch_id, outcome="started")
    plans: list[_Plan] = []
    with sessions.begin() as session:
        batch = get_batch(session, batch_id)
        for item in batch.items:
            if item.excluded or item.outcome != ItemOutcome.PENDING:
                continue
            if session.get(Document, item.document_id) is None:
                item.outcome = ItemOutcome.REFUSED.value
                item.outcome_detail = "the document no longer exists"
                continue
            why = _refusal(session, store, item, now)
            if why is not None:
                item.outcome, item.outcome_detail = ItemOutcome.REFUSED.value, why
                _record_refusal(session, actor, batch_id, item.document_id, why)
                continue
            plans.append(_plan(session, item))
    transfers = [p for p in plans if p.action is DispositionAction.TRANSFER]
    if transfers:
        bag = write_bag(
            store,
            [TransferEntry(p.document_id, p.metadata, p.originals) for p in transfers],
            transfer_root / batch_id,
            batch_id=batch_id,
            organisation=ORGANISATION,
        )
        with sessions.begin() as session:
            get_batch(session, batch_id).transfer_bag = str(bag)
    if plans and index is not None:
        index.delete([RecordId(p.document_id) for p in plans])
    for plan in plans:
        with sessions() as session:
            batch = get_batch(session, batch_id)
            item = session.get_one(DispositionItem, plan.item_id)
            try:
                _remove(session, store, item, batch, actor)
                session.commit()
            except (BlobRetained, IntegrityError) as exc:
                session.rollback()
                with sessions.begin() as retry:
                    failed = retry.get(DispositionItem, plan.item_id)
                    assert failed is not None
                    failed.outcome, failed.outcome_detail = (
                        ItemOutcome.REFUSED.value,
                        str(getattr(exc, "orig", exc)).splitlines()[0],
                    )
                    _record_refusal(retry, actor, batch_id, plan.document_id, failed.outcome_detail)
    with sessions.begin() as session:
        batch = get_batch(session, batch_id)
        _close_disposed_files(session, batch)
        batch.status, batch.executed_at = BatchStatus.EXECUTED, utcnow()
        _certify(session, batch)
        record(
            session,
            actor=actor,
            action=EXECUTE,
            target=batch_id,
            detail={
                **{
                    o.value: sum(1 for i in batch.items if i.outcome == o)
                    for o in (ItemOutcome.DESTROYED, ItemOutcome.TRANSFERRED, ItemOutcome.REFUSED)
                },
                "excluded": sum(1 for i in batch.items if i.excluded),
            },
        )
    with sessions() as session:
        truncate_write_ahead_log(session)
        return get_batch(session, batch_id)


def _close_disposed_files(session: Session, batch: DispositionBatch) -> None:
    for file_id in {i.file_id for i in batch.items if i.file_id}:
        remaining = session.scalar(
            select(DocumentRetention.document_id)
            .where(DocumentRetention.file_id == file_id)
            .limit(1)
        )
        record_file = session.get(RecordFile, file_id)
        if remaining is None and record_file is not None:
            record_file.status = FileStatus.DISPOSED


def _certify(session: Session, batch: DispositionBatch) -> DispositionCertificate:
    registered = {
        r.document_id: r
        for r in session.scalars(
            select(DispositionRecord).where(DispositionRecord.batch_id == batch.id)
        )
    }
    lines = []
    for item in batch.items:
        reg = registered.get(item.document_id)
        hashes = json.loads(reg.hashes)["originals"] if reg else []
        lines.append(
            CertificateLine(
                document_id=item.document_id,
                title=item.title,
                series=item.series_code,
                file_id=item.file_id,
                disposition_date=item.disposition_date.isoformat(),
                action=item.action.value,
                outcome=item.outcome,
                detail=item.exclusion_reason or item.outcome_detail or "",
                sha256=" ".join(hashes),
            )
        )
    assert (
        batch.reviewed_by
        and batch.reviewed_at
        and batch.approved_by
        and batch.approved_at
        and batch.executed_at
    )
    header = CertificateHeader(
        batch_id=batch.id,
        as_of=batch.as_of.isoformat(),
        reviewed_by=batch.reviewed_by,
        reviewed_at=batch.reviewed_at,
        approved_by=batch.approved_by,
        approved_at=batch.approved_at,
        executed_by=batch.executed_by or "",
        executed_at=batch.executed_at,
        transfer_bag=batch.transfer_bag,
    )
    pdf, csv_bytes = render_pdf(header, lines), render_csv(header, lines)
    certificate = session.get(DispositionCertificate, batch.id)
    if certificate is None:
        certificate = DispositionCertificate(
            batch_id=batch.id, pdf=b"", csv=b"", pdf_sha256="", csv_sha256=""
        )
        session.add(certificate)
    certificate.pdf, certificate.csv = pdf, csv_bytes
    certificate.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    certificate.csv_sha256 = hashlib.sha256(csv_bytes).hexdigest()
    session.flush()
    return certificate


def certificate_of(session: Session, batch_id: str) -> DispositionCertificate:
    certificate = session.get(DispositionCertificate, batch_id)
    if certificate is None:
        raise RecordNotFound(f"batch {batch_id} has no certificate (it was not executed)")
    return certificate
