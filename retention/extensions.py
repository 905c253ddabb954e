"""Extensions (延長): moving a document's or a file's disposition date later, never earlier."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from archive import Conflict, Document, InvalidInput, RecordNotFound
from retention.dates import period_end
from retention.engine import compute, compute_file, recompute, recompute_file, retention_row
from retention.models import (
    RecordFile,
    RetentionExtension,
)


def extend(
    session: Session,
    *,
    actor: str,
    reason: str,
    legal_basis: str,
    until: date | None = None,
    years: int | None = None,
    document_id: str | None = None,
    file_id: str | None = None,
) -> RetentionExtension:
    """Extend (延長) a document's or a file's retention to a later date; shortening is a ``Conflict``."""
    if not reason.strip() or not legal_basis.strip():
        raise InvalidInput(
            "an extension needs a reason and a legal basis",
            field="reason" if not reason.strip() else "legal_basis",
        )
    if (until is None) == (years is None):
        raise InvalidInput("give either until (a date) or years", field="until")
    if file_id is not None:
        record_file = session.get(RecordFile, file_id)
        if record_file is None:
            raise RecordNotFound(f"no file {file_id}")
        current = compute_file(session, record_file)
    else:
        assert document_id is not None
        document = session.get(Document, document_id)
        row = retention_row(session, document_id)
        if document is None:
            raise RecordNotFound(document_id)
        if row is None:
            raise Conflict("the document has no retention yet: assign a series first")
        current = compute(session, document, row)
    if current.permanent:
        raise Conflict("the record is kept permanently: there is nothing to extend")
    if current.disposition_date is None:
        raise Conflict(
            f"the record has no disposition date yet ({current.pending_reason}): nothing to extend"
        )
    if years is not None:
        if not 1 <= years <= 100:
            raise InvalidInput("years must be between 1 and 100", field="years")
        until = period_end(current.disposition_date + timedelta(days=1), years=years)
    assert until is not None
    if until <= current.disposition_date:
        raise Conflict(
            f"an extension may only move the date later: {until.isoformat()} is not after the current "
            f"disposition date {current.disposition_date.isoformat()} (retention is never shortened)"
        )
    extension = RetentionExtension(
        document_id=document_id,
        file_id=file_id,
        previous_date=current.disposition_date,
        new_date=until,
        reason=reason.strip(),
        legal_basis=legal_basis.strip(),
        created_by=actor,
    )
    session.add(extension)
    session.flush()
    if file_id is not None:
        recompute_file(session, file_id)
    else:
        assert document_id is not None
        recompute(session, document_id)
    return extension
