"""Bulk intake batches: one row per manifest line, with what became of it.

A batch belongs to whoever sent it (and administrators may read it). The same manifest
sent again by the same sender resumes its batch: rows already stored are skipped.
Functions take a ``Session`` and never commit.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from archive.db import Base, UTCDateTime
from archive.errors import RecordNotFound
from archive.models import Document, new_id, utcnow
from archive.policy import Permission, Principal


class RowStatus(enum.StrEnum):
    STORED = "stored"
    SKIPPED = "skipped"
    """Stored before (same integration key or content): nothing added."""
    REJECTED = "rejected"
    """Refused by validation (only kept with ``partial``)."""
    FAILED = "failed"
    """Valid, but storing it failed; sending the manifest again retries it."""


DONE = (RowStatus.STORED, RowStatus.SKIPPED)


class IntakeBatch(Base):
    __tablename__ = "intake_batches"
    __table_args__ = (UniqueConstraint("created_by", "manifest_sha256"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_by: Mapped[str] = mapped_column(String(200))
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    total_rows: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class IntakeRow(Base):
    __tablename__ = "intake_batch_rows"

    batch_id: Mapped[str] = mapped_column(ForeignKey("intake_batches.id"), primary_key=True)
    row: Mapped[int] = mapped_column(Integer, primary_key=True)
    file: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str | None] = mapped_column(String(20))
    document_id: Mapped[str | None] = mapped_column(String(36), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[str | None] = mapped_column(Text)
    """JSON: the row's metadata the archive has no column for, and the series it asked for."""


def open_batch(
    session: Session, principal: Principal, manifest_sha256: str, total_rows: int
) -> tuple[IntakeBatch, bool]:
    """The sender's batch of this manifest, and whether it resumes an earlier one."""
    owner = principal.actor.name
    found = session.scalar(
        select(IntakeBatch).where(
            IntakeBatch.created_by == owner, IntakeBatch.manifest_sha256 == manifest_sha256
        )
    )
    if found is not None:
        return found, True
    batch = IntakeBatch(created_by=owner, manifest_sha256=manifest_sha256, total_rows=total_rows)
    session.add(batch)
    session.flush()
    return batch, False


def get_batch(session: Session, batch_id: str, principal: Principal) -> IntakeBatch:
    """The batch if ``principal`` sent it or administers; ``RecordNotFound`` otherwise."""
    batch = session.get(IntakeBatch, batch_id)
    if batch is None or not (
        principal.may(Permission.ADMIN) or batch.created_by == principal.actor.name
    ):
        raise RecordNotFound(batch_id)
    return batch


def done_rows(session: Session, batch_id: str) -> set[int]:
    """Rows stored (or found stored) in an earlier run of the batch."""
    return set(
        session.scalars(
            select(IntakeRow.row).where(IntakeRow.batch_id == batch_id, IntakeRow.status.in_(DONE))
        )
    )


def set_row(
    session: Session,
    batch_id: str,
    row: int,
    *,
    file: str,
    status: RowStatus,
    outcome: str | None = None,
    document_id: str | None = None,
    reason: str | None = None,
    extra: str | None = None,
) -> None:
    """Record (or overwrite, on a resumed run) what became of one manifest row."""
    session.merge(
        IntakeRow(
            batch_id=batch_id,
            row=row,
            file=file[:1000],
            status=status.value,
            outcome=outcome,
            document_id=document_id,
            reason=reason,
            extra=extra,
        )
    )


@dataclass(frozen=True)
class ReportRow:
    row: int
    document_id: str | None
    status: str
    """The document's processing status once stored, else the row's (rejected, failed)."""
    outcome: str | None
    reason: str | None


def batch_report(session: Session, batch_id: str) -> list[ReportRow]:
    """Every recorded row, in manifest order."""
    rows = session.execute(
        select(IntakeRow, Document.status, Document.status_reason)
        .outerjoin(Document, Document.id == IntakeRow.document_id)
        .where(IntakeRow.batch_id == batch_id)
        .order_by(IntakeRow.row)
    ).all()
    return [
        ReportRow(
            row=r.row,
            document_id=r.document_id,
            status=status.value if status is not None else r.status,
            outcome=r.outcome,
            reason=r.reason or status_reason,
        )
        for r, status, status_reason in rows
    ]


def batch_counts(session: Session, batch_id: str) -> dict[str, int]:
    """Rows by status (a stored row counts under its document's processing status)."""
    status = func.coalesce(Document.status, IntakeRow.status)
    rows: Sequence[tuple[str, int]] = session.execute(
        select(status, func.count())
        .select_from(IntakeRow)
        .outerjoin(Document, Document.id == IntakeRow.document_id)
        .where(IntakeRow.batch_id == batch_id)
        .group_by(status)
    ).all()
    return {str(getattr(s, "value", s)): int(n) for s, n in rows}
