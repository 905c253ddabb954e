"""Registers: the file management register (行政文書ファイル管理簿), the transfer/destruction
register (移管・廃棄簿), and the list of records due in a fiscal year."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive import (
    AccessScope,
    Document,
    csv_bytes,
    readable,
)
from retention.dates import fiscal_year_end, fiscal_year_of
from retention.engine import compute_file
from retention.holds import held_documents
from retention.models import (
    DispositionRecord,
    DocumentRetention,
    FileStatus,
    RecordFile,
    RecordSeries,
)
from retention.plan import describe_period
from retention.visibility import tombstone_readable

LOCATION = "電子（Bunko）"
REGISTER_COLUMNS = (
    "分類コード/series",
    "分類/series_name",
    "名称/title",
    "種別/kind",
    "作成・取得部署/department",
    "作成・取得年度/fiscal_year",
    "起算日/start",
    "保存期間/period",
    "保存期間満了日/disposition_date",
    "満了時の措置/action",
    "媒体・保存場所/location",
    "状態/status",
    "文書数/documents",
)
DISPOSED_COLUMNS = (
    "document_id",
    "title",
    "series",
    "series_name",
    "department",
    "file_id",
    "file_title",
    "document_date",
    "retention_start",
    "disposition_date",
    "action",
    "executed_at",
    "batch_id",
    "sha256",
)


def _period(series: RecordSeries) -> str:
    if series.permanent:
        return "永年 (permanent)"
    return describe_period(series.period_years, series.period_months, False)


def file_register_rows(session: Session, scope: AccessScope) -> Iterator[list[object]]:
    """One row per file, then one per loose document that has a series (files and records in the plan).

    Loose documents are those ``scope`` may read; a file shows only its own title and a count.
    """
    for record_file in session.scalars(
        select(RecordFile).order_by(RecordFile.opened_on, RecordFile.title)
    ):
        if record_file.status is FileStatus.DISPOSED:
            continue  # it left the register for the transfer/destruction register
        series = record_file.series
        computed = compute_file(session, record_file)
        count = len(
            list(
                session.scalars(
                    select(DocumentRetention.document_id).where(
                        DocumentRetention.file_id == record_file.id
                    )
                )
            )
        )
        yield [
            series.code,
            series.name,
            record_file.title,
            "簿冊/file",
            record_file.department.code if record_file.department else "",
            fiscal_year_of(record_file.opened_on),
            computed.start_date,
            _period(series),
            computed.disposition_date or ("" if not series.permanent else "—"),
            series.action.value,
            LOCATION,
            record_file.status.value,
            count,
        ]
    loose = session.execute(
        select(DocumentRetention, Document)
        .join(Document, Document.id == DocumentRetention.document_id)
        .where(
            DocumentRetention.file_id.is_(None),
            DocumentRetention.series_id.is_not(None),
            readable(scope),
        )
        .order_by(Document.created_at)
    )
    rows = list(loose)
    held = held_documents(session, [r.document_id for r, _d in rows])
    for row, document in rows:
        assert row.series is not None
        series = row.series
        created = document.document_date or document.created_at.date()
        yield [
            series.code,
            series.name,
            document.title,
            "文書/document",
            document.department.code if document.department else "",
            fiscal_year_of(created),
            row.start_date,
            _period(series),
            row.disposition_date,
            series.action.value,
            LOCATION,
            "held"
            if row.document_id in held
            else ("pending: " + row.pending_reason if row.pending_reason else "kept"),
            1,
        ]


def file_register_csv(session: Session, scope: AccessScope) -> bytes:
    return csv_bytes(REGISTER_COLUMNS, file_register_rows(session, scope))


def disposed_register_csv(session: Session, scope: AccessScope) -> bytes:
    """The residual records ``scope`` may see (by the level each document had)."""

    def rows() -> Iterator[list[object]]:
        for r in session.scalars(
            select(DispositionRecord)
            .where(tombstone_readable(scope))
            .order_by(DispositionRecord.executed_at, DispositionRecord.document_id)
        ):
            yield [
                r.document_id,
                r.title,
                r.series_code,
                r.series_name,
                r.department_code,
                r.file_id,
                r.file_title,
                r.document_date,
                r.retention_start,
                r.disposition_date,
                r.action,
                r.executed_at.isoformat(),
                r.batch_id,
                " ".join(json.loads(r.hashes)["originals"]),
            ]

    return csv_bytes(DISPOSED_COLUMNS, rows())


@dataclass(frozen=True)
class DueRecord:
    document_id: str
    title: str
    series_code: str | None
    file_title: str | None
    disposition_date: date
    action: str | None
    holds: list[str]
    department_code: str | None = None
    document_date: date | None = None


@dataclass(frozen=True)
class Due:
    records: list[DueRecord]
    withheld: int
    """How many more are due that the caller may not read (shown only as a count)."""


def due_in_fiscal_year(
    session: Session, fiscal_year: int, scope: AccessScope, *, limit: int = 1000
) -> Due:
    """Records ``scope`` may read whose disposition date falls in the fiscal year (or earlier and still kept)."""
    return due_by(session, fiscal_year_end(fiscal_year), scope, limit=limit)


def due_by(session: Session, end: date, scope: AccessScope, *, limit: int = 1000) -> Due:
    """Records ``scope`` may read whose disposition date is ``end`` or earlier (a plan, not a batch)."""
    due = (
        select(DocumentRetention, Document)
        .join(Document, Document.id == DocumentRetention.document_id)
        .where(
            DocumentRetention.disposition_date.is_not(None),
            DocumentRetention.disposition_date <= end,
        )
    )
    rows = list(
        session.execute(
            due.where(readable(scope))
            .order_by(DocumentRetention.disposition_date, Document.title)
            .limit(limit)
        )
    )
    everything = session.scalar(select(func.count()).select_from(due.subquery())) or 0
    visible = session.scalar(
        select(func.count()).select_from(due.where(readable(scope)).subquery())
    )
    held = held_documents(session, [r.document_id for r, _d in rows])
    found = []
    for row, document in rows:
        series = row.file.series if row.file is not None else row.series
        assert row.disposition_date is not None
        found.append(
            DueRecord(
                document.id,
                document.title,
                series.code if series else None,
                row.file.title if row.file else None,
                row.disposition_date,
                series.action.value if series else None,
                held.get(document.id, []),
                document.department.code if document.department else None,
                document.document_date,
            )
        )
    return Due(found, everything - (visible or 0))
