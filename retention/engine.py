"""The date engine: which series a record belongs to, when its retention starts and ends, and why.

Every date is derived, never typed in: ``recompute`` rebuilds a document's dates from its
series (or its file), its trigger date and its extensions; ``retention.explanation`` says
how. An extension (延長, ``retention.extensions``) is the only way to move a date by hand,
and only later.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from archive import (
    METADATA,
    Conflict,
    Document,
    DocumentField,
    RecordNotFound,
    field_dates,
    own_date,
    record_changes,
)
from retention.assigned_by import UNASSIGNED, AssignedBy
from retention.dates import JST, next_fiscal_year_start, period_end
from retention.models import (
    DocumentRetention,
    RecordFile,
    RecordSeries,
    RetentionExtension,
    SeriesRule,
    Trigger,
)
from retention.plan import (
    get_series,
    matching_rule,
    plan_is_empty,
    seed_default_plan,
)


@dataclass(frozen=True)
class Extension:
    """One extension (延長) of a record's dates, on the document itself or on its file."""

    id: int
    on: str
    """``file`` or ``document``."""
    previous_date: date | None
    new_date: date
    reason: str
    legal_basis: str
    by: str
    at: datetime


@dataclass(frozen=True)
class Computed:
    """A record's dates, and the words that explain them."""

    trigger: str | None = None
    trigger_date: date | None = None
    trigger_source: str | None = None
    start_date: date | None = None
    base_date: date | None = None
    """満了日 from the rule alone, before extensions."""
    disposition_date: date | None = None
    permanent: bool = False
    pending_reason: str | None = None
    extensions: tuple[Extension, ...] = ()


def _field_dates(session: Session, document: Document) -> dict[str, date]:
    return field_dates(
        session.scalars(
            select(DocumentField).where(DocumentField.version_id == document.current_version.id)
        )
    )


def _reference_date(
    document: Document, fields: Mapping[str, date], doc_type: str | None
) -> tuple[date, str]:
    """The document's own date: its metadata, else its extracted date, else the day it arrived."""
    found = own_date(document, fields, doc_type)
    if found is None:
        return document.created_at.astimezone(JST).date(), "date received"
    day, source = found
    if source == METADATA:
        return day, "document date (metadata)"
    return day, f"extracted field {source.removeprefix('field:')}"


def _extensions(
    session: Session, *, document_id: str | None = None, file_id: str | None = None
) -> list[RetentionExtension]:
    clauses = []
    if document_id is not None:
        clauses.append(RetentionExtension.document_id == document_id)
    if file_id is not None:
        clauses.append(RetentionExtension.file_id == file_id)
    rows: list[RetentionExtension] = []
    for clause in clauses:
        rows += list(
            session.scalars(
                select(RetentionExtension).where(clause).order_by(RetentionExtension.id)
            )
        )
    return rows


def _with_extensions(base: Computed, extensions: list[RetentionExtension]) -> Computed:
    if not extensions:
        return base
    described = tuple(
        Extension(
            id=e.id,
            on="file" if e.file_id else "document",
            previous_date=e.previous_date,
            new_date=e.new_date,
            reason=e.reason,
            legal_basis=e.legal_basis,
            by=e.created_by,
            at=e.created_at,
        )
        for e in extensions
    )
    if base.permanent or base.base_date is None:
        return replace(base, extensions=described)
    latest = max([base.base_date, *(e.new_date for e in extensions)])
    return replace(base, disposition_date=latest, extensions=described)


def _period(series: RecordSeries, start: date) -> date:
    return period_end(start, years=series.period_years, months=series.period_months)


def compute_file(session: Session, record_file: RecordFile) -> Computed:
    """A file's dates: its period counts from April 1 after the fiscal year it was closed in."""
    series = record_file.series
    if series.permanent:
        return _with_extensions(
            Computed(trigger="permanent", permanent=True),
            _extensions(session, file_id=record_file.id),
        )
    if series.trigger is Trigger.EVENT and record_file.event_date is not None:
        reference, source = record_file.event_date, "file event date (set by hand)"
    elif record_file.closed_on is not None:
        reference, source = record_file.closed_on, "file closed"
    else:
        return Computed(
            trigger=Trigger.FISCAL_YEAR_END.value, pending_reason="the file is still open"
        )
    start = next_fiscal_year_start(reference)
    base = Computed(
        trigger=Trigger.FISCAL_YEAR_END.value,
        trigger_date=reference,
        trigger_source=source,
        start_date=start,
        base_date=_period(series, start),
        disposition_date=_period(series, start),
    )
    return _with_extensions(base, _extensions(session, file_id=record_file.id))


def compute_loose(
    document: Document,
    series: RecordSeries,
    event_date: date | None,
    fields: Mapping[str, date],
    doc_type: str | None = None,
) -> Computed:
    """A document's dates when it is not in a file: its series' trigger on its own dates."""
    if series.permanent:
        return Computed(trigger="permanent", permanent=True)
    trigger = series.trigger
    if trigger is Trigger.EVENT:
        if event_date is not None:
            reference, source = event_date, "event date (set by hand)"
        elif series.event_field and series.event_field in fields:
            reference, source = fields[series.event_field], f"extracted field {series.event_field}"
        else:
            wanted = f"field {series.event_field} or " if series.event_field else ""
            return Computed(
                trigger=trigger.value,
                pending_reason=f"waiting for the event date ({wanted}set by hand)",
            )
        start = reference + timedelta(days=1)
    else:
        reference, source = _reference_date(document, fields, doc_type)
        start = (
            next_fiscal_year_start(reference)
            if trigger is Trigger.FISCAL_YEAR_END
            else reference + timedelta(days=1)
        )
    end = _period(series, start)
    return Computed(
        trigger=trigger.value,
        trigger_date=reference,
        trigger_source=source,
        start_date=start,
        base_date=end,
        disposition_date=end,
    )


def compute(
    session: Session,
    document: Document,
    row: DocumentRetention,
    fields: Mapping[str, date] | None = None,
    doc_type: str | None = None,
) -> Computed:
    """The document's dates from its file (if filed) or its series, with every extension.

    ``fields`` and ``doc_type`` are given at ingest, before the pipeline writes them;
    otherwise the stored ones are read.
    """
    if row.file is not None:
        return _merge_doc_extensions(session, compute_file(session, row.file), document.id)
    if row.series is None:
        return Computed(pending_reason="no record series assigned yet")
    dates = fields if fields is not None else _field_dates(session, document)
    computed = compute_loose(document, row.series, row.event_date, dates, doc_type)
    return _with_extensions(computed, _extensions(session, document_id=document.id))


def _merge_doc_extensions(session: Session, computed: Computed, document_id: str) -> Computed:
    own = _extensions(session, document_id=document_id)
    if not own:
        return computed
    extra = _with_extensions(replace(computed, extensions=()), own)
    latest = (
        max(d for d in (computed.disposition_date, extra.disposition_date) if d)
        if computed.disposition_date
        else None
    )
    return replace(
        computed, disposition_date=latest, extensions=computed.extensions + extra.extensions
    )


def retention_row(session: Session, document_id: str) -> DocumentRetention | None:
    return session.get(DocumentRetention, document_id)


def series_code_of(session: Session, document_id: str) -> str | None:
    """The code of the series a document belongs to (through its file, if filed), for the search index."""
    row = retention_row(session, document_id)
    if row is None:
        return None
    series = row.file.series if row.file is not None else row.series
    return series.code if series is not None else None


def _store(row: DocumentRetention, computed: Computed) -> bool:
    changed = (row.trigger_date, row.start_date, row.disposition_date, row.pending_reason) != (
        computed.trigger_date,
        computed.start_date,
        computed.disposition_date,
        computed.pending_reason,
    )
    row.trigger_date = computed.trigger_date
    row.start_date = computed.start_date
    row.disposition_date = computed.disposition_date
    row.pending_reason = computed.pending_reason
    return changed


def recompute(
    session: Session, document_id: str, fields: Mapping[str, date] | None = None
) -> Computed:
    """Rebuild and store a document's dates (after a series, trigger, field or file change)."""
    document = session.get(Document, document_id)
    row = retention_row(session, document_id)
    if document is None or row is None:
        raise RecordNotFound(document_id)
    computed = compute(session, document, row, fields)
    _store(row, computed)
    session.flush()
    return computed


def recompute_series(session: Session, series_id: int) -> int:
    """Recompute every record of a series (its period or trigger changed); return how many moved."""
    moved = 0
    file_ids = select(RecordFile.id).where(RecordFile.series_id == series_id)
    rows = session.scalars(
        select(DocumentRetention).where(
            (DocumentRetention.series_id == series_id) | DocumentRetention.file_id.in_(file_ids)
        )
    )
    for row in list(rows):
        document = session.get(Document, row.document_id)
        if document is not None and _store(row, compute(session, document, row)):
            moved += 1
    session.flush()
    return moved


def recompute_file(session: Session, file_id: str) -> int:
    moved = 0
    for row in list(
        session.scalars(select(DocumentRetention).where(DocumentRetention.file_id == file_id))
    ):
        document = session.get(Document, row.document_id)
        if document is not None and _store(row, compute(session, document, row)):
            moved += 1
    session.flush()
    return moved


@dataclass(frozen=True)
class Assignment:
    series_code: str | None
    assigned_by: str
    computed: Computed
    row: DocumentRetention
    """Held while the caller works on: the session finds it without a statement."""

    def detail(self) -> dict[str, object]:
        return {
            "series": self.series_code,
            "assigned_by": self.assigned_by,
            "disposition_date": self.computed.disposition_date.isoformat()
            if self.computed.disposition_date
            else None,
            "permanent": self.computed.permanent,
            "pending": self.computed.pending_reason,
        }


def _seed_once(session: Session, created_by: str) -> None:
    """Give an empty plan the default plan; if another worker did at the same moment, use its."""
    try:
        with session.begin_nested():
            seed_default_plan(session, created_by=created_by)
    except IntegrityError:
        pass  # the other transaction committed the same series first: they are now visible


def assign_at_ingest(
    session: Session,
    document_id: str,
    *,
    doc_type: str,
    fields: Mapping[str, object],
    created_by: str = "system",
) -> Assignment:
    """Give a just-read document its series (by rule, unless one was chosen or it is filed) and dates.

    ``fields`` are the values the pipeline extracted (not yet written): dates among them
    may trigger the retention period. An empty file plan is first given the default plan.
    The row is written once, at the end (one statement for a new document).
    """
    document = session.get(Document, document_id)
    if document is None:
        raise RecordNotFound(document_id)
    with session.no_autoflush:
        row = retention_row(session, document_id)
        if row is None:
            row = DocumentRetention(document_id=document_id, assigned_by=str(UNASSIGNED))
            session.add(row)
        if row.file is None and AssignedBy.parse(row.assigned_by).by_a_rule:
            rule = _rule_for(session, document, doc_type, created_by)
            row.series = rule.series if rule is not None else None
            row.assigned_by = str(AssignedBy.rule(rule.id) if rule is not None else UNASSIGNED)
        dates = {
            name: value
            for name, value in fields.items()
            if isinstance(value, date) and not isinstance(value, datetime)
        }
        computed = compute(session, document, row, dates, doc_type)
        _store(row, computed)
    session.flush()
    series = row.file.series if row.file is not None else row.series
    return Assignment(series.code if series else None, row.assigned_by, computed, row)


def _rule_for(
    session: Session, document: Document, doc_type: str, created_by: str
) -> SeriesRule | None:
    """The rule that fits ``document``; an empty plan is given the default plan first (only
    looked at when no rule fits, which an empty plan's documents always are)."""
    department = document.department
    match = functools.partial(
        matching_rule,
        session,
        doc_type=doc_type,
        department_lineage=department.lineage if department else (),
        title=document.title,
    )
    rule = match()
    if rule is None and plan_is_empty(session):
        _seed_once(session, created_by)
        rule = match()
    return rule


def ensure_row(session: Session, document_id: str) -> DocumentRetention:
    row = retention_row(session, document_id)
    if row is None:
        if session.get(Document, document_id) is None:
            raise RecordNotFound(document_id)
        row = DocumentRetention(document_id=document_id, assigned_by=str(UNASSIGNED))
        session.add(row)
        session.flush()
    return row


def assign_by_hand(
    session: Session,
    document_id: str,
    *,
    actor: str,
    series_code: str | None = None,
    event_date: date | None = None,
    clear_event_date: bool = False,
    reason: str | None = None,
) -> Computed:
    """An officer sets the series and/or the event date of a document; the changes, and the
    disposition date they move, go into the document's history."""
    row = ensure_row(session, document_id)
    before = (row.series.code if row.series else None, row.event_date, row.disposition_date)
    if series_code is not None:
        if row.file is not None and row.file.series.code != series_code:
            raise Conflict(
                "the document is in a file: its series is the file's (take it out of the file first)"
            )
        row.series = get_series(session, series_code)
        row.assigned_by = str(AssignedBy.caller(actor))
    if event_date is not None or clear_event_date:
        row.event_date = event_date
    computed = recompute(session, document_id)
    after = (row.series.code if row.series else None, row.event_date, row.disposition_date)
    diff = {
        name: (old, new)
        for name, old, new in zip(
            ("series", "event_date", "disposition_date"), before, after, strict=True
        )
        if old != new
    }
    record_changes(session, document_id, diff, actor=actor, reason=reason)
    return computed
