"""Tables of retention and disposition: file plan, files (簿冊), holds, batches, the residual register.

The logic lives in ``retention/``; these are only the rows. Tables that must outlive a
destroyed document (hold items, batch items, the register) keep its id as plain text,
without a foreign key, so destroying the document leaves them intact.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive import Base, Department, UTCDateTime, counted_as, new_id, utcnow


def _enum(kind: type[enum.Enum], length: int = 20) -> Enum:
    return Enum(
        kind, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class Trigger(enum.StrEnum):
    """What starts a retention period."""

    DOCUMENT_DATE = "document_date"
    """The day after the document's date (民法 §140: the first day is not counted)."""
    FISCAL_YEAR_END = "fiscal_year_end"
    """April 1 after the fiscal year of the document's date, or of the file's closing."""
    EVENT = "event"
    """The day after an event: an extracted field (a contract's end) or a date set by hand."""


class DispositionAction(enum.StrEnum):
    DESTROY = "destroy"
    TRANSFER = "transfer"
    REVIEW = "review"


class RecordSeries(Base):
    """A record series (文書分類) of the file plan: how long its records are kept and what follows."""

    __tablename__ = "record_series"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    period_years: Mapped[int] = mapped_column(Integer, default=0)
    period_months: Mapped[int] = mapped_column(Integer, default=0)
    permanent: Mapped[bool] = mapped_column(Boolean, default=False)
    trigger: Mapped[Trigger] = mapped_column(_enum(Trigger), default=Trigger.FISCAL_YEAR_END)
    event_field: Mapped[str | None] = mapped_column(String(40))
    """For ``event`` series: the extracted field whose date is the event (e.g. ``term_end``)."""
    action: Mapped[DispositionAction] = mapped_column(
        _enum(DispositionAction), default=DispositionAction.DESTROY
    )
    legal_basis: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    department: Mapped[Department | None] = relationship(lazy="joined")


class SeriesRule(Base):
    """Assigns a series at ingest: the first matching rule (lowest priority number) wins."""

    __tablename__ = "series_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("record_series.id"), index=True)
    priority: Mapped[int] = mapped_column(Integer, default=100)
    doc_type: Mapped[str | None] = mapped_column(String(20))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    """Matches documents of this department and every department below it."""
    title_contains: Mapped[str | None] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    series: Mapped[RecordSeries] = relationship(lazy="joined")
    department: Mapped[Department | None] = relationship(lazy="joined")


class FileStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    DISPOSED = "disposed"


class RecordFile(Base):
    """A file (行政文書ファイル, 簿冊): documents of one series kept together; closing is the cutoff."""

    __tablename__ = "record_files"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    series_id: Mapped[int] = mapped_column(ForeignKey("record_series.id"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    event_date: Mapped[date | None] = mapped_column(Date)
    """For files of ``event`` series: the event, set by hand."""
    status: Mapped[FileStatus] = mapped_column(
        _enum(FileStatus), default=FileStatus.OPEN, index=True
    )
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    series: Mapped[RecordSeries] = relationship(lazy="joined")
    department: Mapped[Department | None] = relationship(lazy="joined")


class DocumentRetention(Base):
    """A document's place in the file plan and its computed dates (recomputed on every change)."""

    __tablename__ = "document_retention"
    __table_args__ = ({"info": counted_as("retention_dates")},)

    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("record_series.id"), index=True)
    file_id: Mapped[str | None] = mapped_column(ForeignKey("record_files.id"), index=True)
    assigned_by: Mapped[str] = mapped_column(String(200))
    """``rule:<id>`` at ingest, or ``user:<login>`` when an officer chose the series."""
    event_date: Mapped[date | None] = mapped_column(Date)
    """An event date set by hand; it wins over the extracted field."""
    trigger_date: Mapped[date | None] = mapped_column(Date)
    start_date: Mapped[date | None] = mapped_column(Date)
    disposition_date: Mapped[date | None] = mapped_column(Date, index=True)
    """満了日 including extensions; None while pending (no series, open file, unknown event) or permanent."""
    pending_reason: Mapped[str | None] = mapped_column(String(200))
    lock_until: Mapped[date | None] = mapped_column(Date)
    """The storage lock last applied to the original (an app-side note; the store is the truth)."""
    lock_mode: Mapped[str | None] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    series: Mapped[RecordSeries | None] = relationship(lazy="joined")
    file: Mapped[RecordFile | None] = relationship(lazy="joined")


class RetentionExtension(Base):
    """An extension (延長) of a document's or a file's retention: only ever to a later date."""

    __tablename__ = "retention_extensions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str | None] = mapped_column(String(36), index=True)
    file_id: Mapped[str | None] = mapped_column(String(36), index=True)
    previous_date: Mapped[date | None] = mapped_column(Date)
    new_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Hold(Base):
    """A legal or audit hold: while any of its items is unreleased, that document cannot be disposed of."""

    __tablename__ = "retention_holds"
    __table_args__ = ({"info": counted_as("holds")},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    query: Mapped[str | None] = mapped_column(Text)
    """A saved search: documents matching it are held (re-applied by ``bunko retention run``)."""
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    released_by: Mapped[str | None] = mapped_column(String(200))
    release_reason: Mapped[str | None] = mapped_column(Text)


class HoldItem(Base):
    __tablename__ = "retention_hold_items"
    __table_args__ = (
        UniqueConstraint("hold_id", "document_id"),
        {"info": counted_as("hold_items")},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hold_id: Mapped[int] = mapped_column(ForeignKey("retention_holds.id"), index=True)
    document_id: Mapped[str] = mapped_column(String(36), index=True)
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    released_by: Mapped[str | None] = mapped_column(String(200))


class ItemOutcome(enum.StrEnum):
    """What became of a disposition item (stored as its value)."""

    PENDING = "pending"
    DESTROYED = "destroyed"
    TRANSFERRED = "transferred"
    EXCLUDED = "excluded"
    """Excluded at review, with a reason."""
    REFUSED = "refused"
    """Not disposed of at execution: a hold, an extension, a storage lock, or gone already."""


class BatchStatus(enum.StrEnum):
    PROPOSED = "proposed"
    REVIEWED = "reviewed"
    APPROVED = "approved"
    EXECUTING = "executing"
    EXECUTED = "executed"


class DispositionBatch(Base):
    """Records found due on one day, reviewed by one officer, approved by another, then executed."""

    __tablename__ = "disposition_batches"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    as_of: Mapped[date] = mapped_column(Date)
    status: Mapped[BatchStatus] = mapped_column(
        _enum(BatchStatus), default=BatchStatus.PROPOSED, index=True
    )
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by: Mapped[str | None] = mapped_column(String(200))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    executed_by: Mapped[str | None] = mapped_column(String(200))
    executed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    transfer_bag: Mapped[str | None] = mapped_column(Text)
    """Where the BagIt package of the transferred records was written."""

    items: Mapped[list[DispositionItem]] = relationship(
        back_populates="batch", order_by="DispositionItem.id", lazy="selectin"
    )


class DispositionItem(Base):
    __tablename__ = "disposition_items"
    __table_args__ = (UniqueConstraint("batch_id", "document_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("disposition_batches.id"), index=True)
    document_id: Mapped[str] = mapped_column(String(36), index=True)
    title: Mapped[str] = mapped_column(String(500))
    security_level: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    """The document's level when proposed, updated when it is disposed of: who may see the item
    once the document is gone (unknown levels count as ``secret``)."""
    series_code: Mapped[str] = mapped_column(String(40))
    file_id: Mapped[str | None] = mapped_column(String(36))
    action: Mapped[DispositionAction] = mapped_column(_enum(DispositionAction))
    disposition_date: Mapped[date] = mapped_column(Date)
    excluded: Mapped[bool] = mapped_column(Boolean, default=False)
    exclusion_reason: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(20), default=ItemOutcome.PENDING.value)
    """An ``ItemOutcome`` value."""
    outcome_detail: Mapped[str | None] = mapped_column(Text)

    batch: Mapped[DispositionBatch] = relationship(back_populates="items")


class DispositionRecord(Base):
    """The residual record of a destroyed or transferred document (移管・廃棄簿): it stays for good."""

    __tablename__ = "disposition_register"

    document_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    security_level: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    """The document's level when it left: who may see this residual record."""
    series_code: Mapped[str] = mapped_column(String(40))
    series_name: Mapped[str] = mapped_column(String(200))
    department_code: Mapped[str | None] = mapped_column(String(64))
    file_id: Mapped[str | None] = mapped_column(String(36))
    file_title: Mapped[str | None] = mapped_column(String(500))
    document_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    retention_start: Mapped[date | None] = mapped_column(Date)
    disposition_date: Mapped[date] = mapped_column(Date)
    action: Mapped[str] = mapped_column(String(20))
    """``destroyed`` or ``transferred``."""
    executed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    batch_id: Mapped[str] = mapped_column(String(36), index=True)
    hashes: Mapped[str] = mapped_column(Text)
    """JSON: the SHA-256 of every version and derivative that was removed."""


class DispositionCertificate(Base):
    """The certificate of an executed batch, as PDF and CSV (kept in the database, never disposed)."""

    __tablename__ = "disposition_certificates"

    batch_id: Mapped[str] = mapped_column(ForeignKey("disposition_batches.id"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    csv: Mapped[bytes] = mapped_column(LargeBinary)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    csv_sha256: Mapped[str] = mapped_column(String(64))
