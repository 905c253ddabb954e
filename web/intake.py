"""Taking documents in, from the API, a bulk import or a watched folder: one path for all."""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from archive import (
    BackendUnavailable,
    DocumentMetadata,
    InvalidInput,
    StagedContent,
    UploadOutcome,
    UploadResult,
    create_document,
    find_prior_upload,
    record,
    translate_db_errors,
)
from archive.blob_claims import claim_blob, release_blob, settle_claim
from archive.documents import plan_upload
from archive.filenames import clean_filename
from archive.media import SNIFF_BYTES
from archive.policy import Principal
from archive.types import Sha256
from ingest.tasks import enqueue
from web.services import Services


def store_upload(
    services: Services, meta: DocumentMetadata, content: StagedContent, principal: Principal
) -> UploadResult:
    """Decide, claim the blob, store it, then rows and audit in one transaction, then processing.

    An upload that creates nothing (a repeat, a refusal, a lost race, a failure) leaves no
    blob behind: the claim taken before storing is released and the blob deleted unless
    another record or upload needs it. Never a record without its bytes.
    """
    with translate_db_errors(), services.sessions.begin() as session:
        prior = plan_upload(session, meta, content.sha256, principal)
        if prior is not None:
            _audit_upload(session, principal, prior, content)
            return prior
    with translate_db_errors(), services.sessions.begin() as session:
        claim_id = claim_blob(session, content.sha256)
    created = False
    try:
        services.store.put(content.sha256, content.file, content.size)
        with translate_db_errors(), services.sessions.begin() as session:
            result = _record_upload(session, meta, content, principal)
            if result.outcome is UploadOutcome.CREATED:
                settle_claim(session, claim_id, content.sha256)
                created = True
    finally:
        if not created:
            _release(services, content.sha256, claim_id)
    if result.outcome is UploadOutcome.CREATED:
        enqueue(services.queue, result.document.id)
    return result


def _record_upload(
    session: Session, meta: DocumentMetadata, content: StagedContent, principal: Principal
) -> UploadResult:
    result = find_prior_upload(session, meta, content.sha256, principal.scope)
    if result is None:
        try:
            with session.begin_nested():
                document = create_document(session, meta=meta, content=content, principal=principal)
            result = UploadResult(document, UploadOutcome.CREATED)
        except IntegrityError:
            # Another request created the same (source system, external id) meanwhile.
            result = find_prior_upload(session, meta, content.sha256, principal.scope)
            if result is None:
                raise
    _audit_upload(session, principal, result, content)
    return result


def _audit_upload(
    session: Session, principal: Principal, result: UploadResult, content: StagedContent
) -> None:
    record(
        session,
        actor=principal.actor,
        action="document.upload",
        target=result.document.id,
        detail={"outcome": result.outcome, "sha256": content.sha256, "size": content.size},
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
    services: Services, path: Path, meta: DocumentMetadata, principal: Principal
) -> UploadResult:
    """Take in a local file (bulk import, watched folder)."""
    with path.open("rb") as stream:
        head = stream.read(SNIFF_BYTES)
        stream.seek(0)
        digest = hashlib.file_digest(stream, "sha256").hexdigest()
        size = stream.tell()
        if size == 0:
            raise InvalidInput("the file is empty", field="file", status=400)
        stream.seek(0)
        content = StagedContent(
            file=stream,
            sha256=Sha256(digest),
            size=size,
            head=head,
            filename=clean_filename(path.name),
            declared_media_type=None,
        )
        return store_upload(services, meta, content, principal)
