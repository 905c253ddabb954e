"""The retention panel of the document page, and the tombstone of a disposed document.

The panel shows what ``GET /api/v1/documents/{id}/retention`` answers (audited as that route
audits it), in the reader's language; the tombstone is the residual record, for whoever may
see it.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from archive import Document, Permission, RecordNotFound
from retention import DISPOSED_VIEW, explain, tombstone
from retention import plan_service as plan
from retention import record_cases as cases
from web.access import denials, readable_document
from web.pages._common import Viewer, department_names, page
from web.pages.retention_view import (
    assigned_label,
    explanation,
    gettext_for,
    period_label,
    person_namer,
    source_label,
)
from web.templating import format_jst


def retention_panel(session: Session, viewer: Viewer, document_id: str) -> dict[str, Any]:
    """What the panel shows: the explained dates, holds and lock; the series list for officers."""
    t = gettext_for(viewer.lang)
    readable_document(session, document_id, viewer.principal, cases.VIEW)
    explained = explain(session, document_id)
    rule = explained.series
    return {
        "explained": explained,
        "sentence": explanation(t, explained),
        "period": period_label(t, rule.period_years, rule.period_months, rule.permanent)
        if rule
        else "—",
        "source": source_label(t, explained.trigger_source),
        "assigned_by": assigned_label(t, person_namer(session), explained.assigned_by),
        "series": plan.list_series(session, include_inactive=False)
        if viewer.may(Permission.RECORDS)
        else [],
    }


def tombstone_page(
    request: Request, document_id: str, session: Session, viewer: Viewer
) -> HTMLResponse | None:
    """The residual record of a disposed document, for a viewer who may see it; else None (a 404)."""
    if session.get(Document, document_id) is not None:
        return None
    try:
        with denials(session, viewer.principal, DISPOSED_VIEW, document_id):
            found = tombstone(session, document_id, viewer.principal.scope)
    except RecordNotFound:
        return None
    departments = department_names(session, viewer.lang)
    answer = page(
        request,
        "tombstone.html",
        viewer,
        status_code=410,
        gone=found,
        department=departments.get(found.department_code or "", found.department_code or "—"),
        executed=format_jst(found.executed_at),
        may_certify=viewer.may(Permission.RECORDS),
    )
    answer.headers["Cache-Control"] = (
        "no-store"  # 410 is cacheable by default; this one is per reader
    )
    return answer
