"""A metadata change as one unit of work, for the API's PATCH and the document page's forms."""

from __future__ import annotations

from sqlalchemy.orm import Session

from archive import Document, Forbidden, Principal
from ingest import document_cases as cases
from ingest import enqueue
from web.access import denials, writable_document
from web.schemas import DocumentPatch
from web.services import Services


def change_document(
    session: Session,
    services: Services,
    document_id: str,
    patch: DocumentPatch,
    principal: Principal,
) -> Document:
    """Apply ``patch`` (``ingest.usecases.documents.update``) and commit; a refusal (404,
    403) is audited. After the commit, a corrected type is queued to be read again and any
    other change reaches the index."""
    document = writable_document(session, document_id, principal, cases.UPDATE)
    changes = patch.model_dump(exclude_unset=True, exclude={"reason"})
    with denials(session, principal, cases.UPDATE, document_id, refusals=(Forbidden,)):
        updated = cases.update(
            session, services.store, document, changes, principal, reason=patch.reason
        )
    session.commit()
    if updated.reprocess:
        enqueue(services.queue, document.id)
    if updated.reindex:
        services.reindex(document.id)
    return document
