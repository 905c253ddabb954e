"""New versions of a document: each immutable, with its own blob, author, time and reason."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.documents import StagedContent, new_version
from archive.errors import Conflict, RecordNotFound
from archive.events import EventType, emit
from archive.models import Document, DocumentStatus, DocumentVersion
from archive.policy import Principal


def add_version(
    session: Session,
    document: Document,
    content: StagedContent,
    principal: Principal,
    *,
    reason: str | None = None,
    supersedes: int | None = None,
) -> DocumentVersion:
    """Make stored content the document's newest version and queue it for processing.

    The caller has checked the right to write. ``supersedes``, when given, must be the
    current version's number (``Conflict`` otherwise: someone added one meanwhile).
    Earlier versions, and what was read from them, stay as they are.
    """
    session.execute(select(Document.id).where(Document.id == document.id).with_for_update())
    current = session.scalar(
        select(func.max(DocumentVersion.number)).where(DocumentVersion.document_id == document.id)
    )
    number = (current or 0) + 1
    if supersedes is not None and supersedes != current:
        raise Conflict(f"version {current} is the current one, not {supersedes}")
    version = new_version(content, principal, number=number, reason=reason)
    version.document_id = document.id
    session.add(version)
    document.status = DocumentStatus.RECEIVED
    document.status_reason = None
    document.processing_started_at = None
    document.attempts = 0
    session.flush()
    session.refresh(document, ["versions"])
    emit(session, EventType.DOCUMENT_VERSION_ADDED, document_id=document.id, version=number)
    return version


def version_of(document: Document, number: int) -> DocumentVersion:
    """The document's version ``number``; ``RecordNotFound`` if it has none such."""
    for version in document.versions:
        if version.number == number:
            return version
    raise RecordNotFound(f"{document.id}/versions/{number}")
