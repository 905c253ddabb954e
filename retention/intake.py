"""What the ingest pipeline calls: assign a series and dates, then lock the original to match."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from archive import BlobStore
from retention.engine import Assignment, assign_at_ingest
from retention.worm import protect_document


def retain_at_ingest(
    session: Session,
    store: BlobStore,
    document_id: str,
    *,
    doc_type: str,
    fields: Mapping[str, object],
) -> Assignment:
    """Assign the document's series (by rule) and disposition date, and apply the storage lock.

    Idempotent: running it again (a reprocess) recomputes from the same inputs; a series an
    officer chose by hand, or the file the document is in, is kept.
    """
    assignment = assign_at_ingest(session, document_id, doc_type=doc_type, fields=fields)
    protect_document(session, store, document_id, permanent=assignment.computed.permanent)
    return assignment
