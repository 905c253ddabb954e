"""Taking documents in, from the API, a bulk import or a watched folder: one path for all."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from archive import (
    SNIFF_BYTES,
    BackendUnavailable,
    Document,
    DocumentMetadata,
    InvalidInput,
    Principal,
    Sha256,
    StagedContent,
    UploadOutcome,
    UploadResult,
    add_version,
    claim_blob,
    clean_filename,
    create_document,
    get_writable_document,
    plan_upload,
    record,
    release_blob,
    settle_claim,
    translate_db_errors,
)
from ingest import Priority, enqueue
from retention import sync_legal_holds
from web.services import Services

CREATES = (UploadOutcome.CREATED, UploadOutcome.NEW_VERSION)
"""Outcomes that store content; every other outcome leaves no blob behind."""

Then = Callable[[Session, UploadResult], None]
"""More work on a stored document in the transaction that records it (before it is queued)."""


def store_upload(
    services: Services,
    meta: DocumentMetadata,
    content: StagedContent,
    principal: Principal,
    *,
    then: Then | None = None,
) -> UploadResult:
    """Take in an upload: a new document, a new version of the one with the same integration
    key (unless its source may not change what it sent), or the repeat it is."""
    refuse = services.settings.refuses_changes(meta.source_system)

    def repeat(session: Session) -> UploadResult | None:
        prior = plan_upload(session, meta, content.sha256, principal, refuse_changes=refuse)
        if prior is not None and prior.outcome not in CREATES:
            _audit_upload(session, principal, prior, content)
            return prior
        return None

    def record_rows(session: Session) -> UploadResult:
        return record_upload(services, session, meta, content, principal, then=then)

    priority = Priority.BULK if meta.bulk else Priority.INTERACTIVE
    return _store_then_record(services, content, repeat, record_rows, priority)


def record_upload(
    services: Services,
    session: Session,
    meta: DocumentMetadata,
    content: StagedContent,
    principal: Principal,
    *,
    then: Then | None = None,
) -> UploadResult:
    """Record an upload whose bytes are stored, in the caller's transaction: a new document,
    a new version, or the repeat it is (planned again here, as another writer may have
    come first)."""
    refuse = services.settings.refuses_changes(meta.source_system)
    result = plan_upload(session, meta, content.sha256, principal, refuse_changes=refuse)
    if result is None:
        try:
            with session.begin_nested():
                document = create_document(session, meta=meta, content=content, principal=principal)
            result = UploadResult(document, UploadOutcome.CREATED)
        except IntegrityError:
            # Another request created the same (source system, external id) meanwhile.
            result = plan_upload(session, meta, content.sha256, principal, refuse_changes=refuse)
            if result is None:
                raise
    if result.outcome is UploadOutcome.NEW_VERSION:
        _add_version(services, session, result.document, content, principal)
    # The latest content decides how the document waits for a worker.
    result.document.bulk, result.document.bulk_share = meta.bulk, meta.bulk_share
    _audit_upload(session, principal, result, content)
    if then is not None:
        then(session, result)
    return result


def store_version(
    services: Services,
    document_id: str,
    content: StagedContent,
    principal: Principal,
    *,
    reason: str | None = None,
    supersedes: int | None = None,
) -> UploadResult:
    """Add content as a new version of a document the caller may write (the same bytes as
    the current version are ``existing``: nothing is added)."""

    def repeat(session: Session) -> UploadResult | None:
        document = get_writable_document(session, document_id, principal)
        if document.current_version.blob_key != content.sha256:
            return None
        result = UploadResult(document, UploadOutcome.EXISTING)
        _audit_upload(session, principal, result, content)
        return result

    def record_rows(session: Session) -> UploadResult:
        document = get_writable_document(session, document_id, principal)
        _add_version(
            services, session, document, content, principal, reason=reason, supersedes=supersedes
        )
        result = UploadResult(document, UploadOutcome.NEW_VERSION)
        _audit_upload(session, principal, result, content, reason=reason)
        return result

    return _store_then_record(services, content, repeat, record_rows)


def _store_then_record(
    services: Services,
    content: StagedContent,
    repeat: Callable[[Session], UploadResult | None],
    record_rows: Callable[[Session], UploadResult],
    priority: Priority = Priority.INTERACTIVE,
) -> UploadResult:
    """Check the upload, claim the blob (one transaction), store it, record the rows; then
    processing, or release the blob.

    ``repeat`` answers an upload that stores nothing (a repeat, audited) or raises what
    refuses it, before any byte is stored; None goes on to store.

    An upload that creates nothing (a lost race, a refusal, a failure) leaves no blob
    behind: the claim taken before storing is released and the blob deleted unless
    another record or upload needs it. Never a record without its bytes.
    """
    with translate_db_errors(), services.sessions.begin() as session:
        answered = repeat(session)
        if answered is not None:
            return answered
        claim_id = claim_blob(session, content.sha256)
    created = False
    try:
        services.store.put(content.sha256, content.file, content.size)
        with translate_db_errors(), services.sessions.begin() as session:
            result = record_rows(session)
            if result.outcome in CREATES:
                settle_claim(session, claim_id, content.sha256)
                created = True
    finally:
        if not created:
            _release(services, content.sha256, claim_id)
    if created:
        enqueue(services.queue, result.document.id, priority=priority)
    return result


def _add_version(
    services: Services,
    session: Session,
    document: Document,
    content: StagedContent,
    principal: Principal,
    *,
    reason: str | None = None,
    supersedes: int | None = None,
) -> None:
    add_version(session, document, content, principal, reason=reason, supersedes=supersedes)
    # A held document's new original is held too; its retention lock follows at processing.
    sync_legal_holds(session, services.store, [document.id])


def _audit_upload(
    session: Session,
    principal: Principal,
    result: UploadResult,
    content: StagedContent,
    *,
    reason: str | None = None,
) -> None:
    detail: dict[str, object] = {
        "outcome": result.outcome,
        "sha256": content.sha256,
        "size": content.size,
    }
    if result.outcome is UploadOutcome.NEW_VERSION:
        detail |= {"version": result.document.current_version.number, "reason": reason}
    record(
        session,
        actor=principal.actor,
        action="document.upload",
        target=result.document.id,
        detail=detail,
    )


def _release(services: Services, key: str, claim_id: int) -> None:
    """Give up an upload's claim; a database outage leaves a stale claim, not a lost record."""
    with (
        contextlib.suppress(BackendUnavailable),
        translate_db_errors(),
        services.sessions.begin() as session,
    ):
        release_blob(session, services.store, key, claim_id)


def store_file(
    services: Services,
    path: Path,
    meta: DocumentMetadata,
    principal: Principal,
    *,
    then: Then | None = None,
) -> UploadResult:
    """Take in a local file (bulk import, watched folder)."""
    with staged_file(path) as content:
        return store_upload(services, meta, content, principal, then=then)


@contextlib.contextmanager
def staged_file(path: Path) -> Iterator[StagedContent]:
    """A local file as an upload's content, hashed; an empty file is refused."""
    with path.open("rb") as stream:
        head = stream.read(SNIFF_BYTES)
        stream.seek(0)
        digest = hashlib.file_digest(stream, "sha256").hexdigest()
        size = stream.tell()
        if size == 0:
            raise InvalidInput("the file is empty", field="file", status=400)
        stream.seek(0)
        yield StagedContent(
            file=stream,
            sha256=Sha256(digest),
            size=size,
            head=head,
            filename=clean_filename(path.name),
            declared_media_type=None,
        )
