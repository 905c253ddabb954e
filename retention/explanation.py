"""Why a record has its dates: the rule, the trigger date and the extensions, explained.

``Explanation`` is what the API answers for a document's retention: FastAPI serialises the
frozen dataclasses through pydantic, so OpenAPI documents every field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from archive import Document, RecordNotFound
from retention.engine import Computed, Extension, compute, retention_row
from retention.holds import holds_on
from retention.models import RecordFile, RecordSeries
from retention.plan import (
    describe_period,
)


@dataclass(frozen=True)
class SeriesRule:
    """The record series (文書分類) whose rule gives the dates."""

    code: str
    name: str
    name_en: str | None
    period: str
    period_years: int
    period_months: int
    permanent: bool
    trigger: str
    event_field: str | None
    action: str
    legal_basis: str | None

    @classmethod
    def of(cls, series: RecordSeries) -> SeriesRule:
        return cls(
            code=series.code,
            name=series.name,
            name_en=series.name_en,
            period=describe_period(series.period_years, series.period_months, series.permanent),
            period_years=series.period_years,
            period_months=series.period_months,
            permanent=series.permanent,
            trigger=series.trigger.value,
            event_field=series.event_field,
            action=series.action.value,
            legal_basis=series.legal_basis,
        )


@dataclass(frozen=True)
class FileSummary:
    """The file (簿冊) the record is kept in, whose dates it shares."""

    id: str
    title: str
    status: str
    opened_on: date
    closed_on: date | None

    @classmethod
    def of(cls, record_file: RecordFile) -> FileSummary:
        return cls(
            record_file.id,
            record_file.title,
            record_file.status.value,
            record_file.opened_on,
            record_file.closed_on,
        )


@dataclass(frozen=True)
class StorageLock:
    """The object lock the storage keeps on the document's blobs (``retention.worm``)."""

    until: date | None
    mode: str | None


@dataclass(frozen=True)
class Explanation:
    """A record's dates and where each comes from; ``explanation`` says it in one sentence."""

    document_id: str
    series: SeriesRule | None = None
    assigned_by: str | None = None
    file: FileSummary | None = None
    trigger: str | None = None
    trigger_date: date | None = None
    trigger_source: str | None = None
    event_date_set_by_hand: date | None = None
    start_date: date | None = None
    base_disposition_date: date | None = None
    disposition_date: date | None = None
    permanent: bool | None = None
    pending_reason: str | None = None
    extensions: tuple[Extension, ...] = ()
    explanation: str | None = None
    holds: tuple[str, ...] = ()
    """The names of the holds that keep the document from disposal."""
    storage_lock: StorageLock | None = None


def explain(session: Session, document_id: str) -> Explanation:
    """Why a document has the dates it has: series, file, trigger date, rule, extensions,
    holds and the storage's lock."""
    document = session.get(Document, document_id)
    if document is None:
        raise RecordNotFound(document_id)
    row = retention_row(session, document_id)
    holds = tuple(holds_on(session, document_id))
    if row is None:
        return Explanation(document_id, pending_reason="not yet processed", holds=holds)
    computed = compute(session, document, row)
    series = row.file.series if row.file is not None else row.series
    rule = SeriesRule.of(series) if series is not None else None
    return Explanation(
        document_id=document_id,
        series=rule,
        assigned_by=row.assigned_by,
        file=FileSummary.of(row.file) if row.file is not None else None,
        trigger=computed.trigger,
        trigger_date=computed.trigger_date,
        trigger_source=computed.trigger_source,
        event_date_set_by_hand=row.event_date,
        start_date=computed.start_date,
        base_disposition_date=computed.base_date,
        disposition_date=computed.disposition_date,
        permanent=computed.permanent,
        pending_reason=computed.pending_reason,
        extensions=computed.extensions,
        explanation=_sentence(computed, rule),
        holds=holds,
        storage_lock=StorageLock(row.lock_until, row.lock_mode),
    )


def _sentence(computed: Computed, rule: SeriesRule | None) -> str:
    if rule is None:
        return "No record series is assigned yet, so no disposition date can be computed."
    if computed.permanent:
        return f"Series {rule.code} keeps its records permanently."
    if computed.disposition_date is None:
        return f"Series {rule.code}: {computed.pending_reason}."
    text = (
        f"Series {rule.code} keeps records {rule.period} ({computed.trigger}); the trigger date "
        f"{computed.trigger_date} ({computed.trigger_source}) starts the period on {computed.start_date}, "
        f"which ends on {computed.base_date}"
    )
    if computed.disposition_date != computed.base_date:
        text += f"; extended to {computed.disposition_date}"
    return text + "."
