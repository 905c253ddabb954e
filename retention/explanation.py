"""Why a record has its dates: the rule, the trigger date and the extensions, explained."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from archive import Document, RecordNotFound
from retention.engine import Computed, compute, retention_row
from retention.plan import (
    describe_period,
)


def explain(session: Session, document_id: str) -> dict[str, Any]:
    """Why a document has the dates it has: series, file, trigger date, rule, extensions."""
    document = session.get(Document, document_id)
    if document is None:
        raise RecordNotFound(document_id)
    row = retention_row(session, document_id)
    if row is None:
        return {
            "document_id": document_id,
            "series": None,
            "pending_reason": "not yet processed",
            "extensions": [],
        }
    computed = compute(session, document, row)
    series = row.file.series if row.file is not None else row.series
    rule = None
    if series is not None:
        rule = {
            "code": series.code,
            "name": series.name,
            "name_en": series.name_en,
            "period": describe_period(series.period_years, series.period_months, series.permanent),
            "period_years": series.period_years,
            "period_months": series.period_months,
            "permanent": series.permanent,
            "trigger": series.trigger.value,
            "event_field": series.event_field,
            "action": series.action.value,
            "legal_basis": series.legal_basis,
        }
    return {
        "document_id": document_id,
        "series": rule,
        "assigned_by": row.assigned_by,
        "file": {
            "id": row.file.id,
            "title": row.file.title,
            "status": row.file.status.value,
            "opened_on": row.file.opened_on,
            "closed_on": row.file.closed_on,
        }
        if row.file is not None
        else None,
        "trigger": computed.trigger,
        "trigger_date": computed.trigger_date,
        "trigger_source": computed.trigger_source,
        "event_date_set_by_hand": row.event_date,
        "start_date": computed.start_date,
        "base_disposition_date": computed.base_date,
        "disposition_date": computed.disposition_date,
        "permanent": computed.permanent,
        "pending_reason": computed.pending_reason,
        "extensions": computed.extensions,
        "explanation": _sentence(computed, rule),
    }


def _sentence(computed: Computed, rule: dict[str, Any] | None) -> str:
    if rule is None:
        return "No record series is assigned yet, so no disposition date can be computed."
    if computed.permanent:
        return f"Series {rule['code']} keeps its records permanently."
    if computed.disposition_date is None:
        return f"Series {rule['code']}: {computed.pending_reason}."
    text = (
        f"Series {rule['code']} keeps records {rule['period']} ({computed.trigger}); the trigger date "
        f"{computed.trigger_date} ({computed.trigger_source}) starts the period on {computed.start_date}, "
        f"which ends on {computed.base_date}"
    )
    if computed.disposition_date != computed.base_date:
        text += f"; extended to {computed.disposition_date}"
    return text + "."
