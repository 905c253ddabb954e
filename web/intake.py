"""Taking documents in, from the API, a bulk import or a watched folder: one path for all."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from archive import (
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
from archive.filenames import clean_filename
from archive.media import SNIFF_BYTES
from archive.policy import Principal
from archive.types import Sha256
from ingest.tasks import enqueue
from web.services import Services


def store_upload(
    services: Services, meta: DocumentMetadata, content: StagedContent, principal: Principal
) -> UploadResult:
    """Blob first, then rows and audit in one transaction, then the processing request.

    The blob write is idempotent, so a failure after it leaves at most an unreferenced
    blob, which ``bunko verify --orphans`` reports; never a record without its bytes.
    """
    services.store.put(content.sha256, content.file, content.size)
    with translate_db_errors(), services.sessions.begin() as session:
        result = find_prior_upload(session, meta, content.sha256, principal.scope)
        if result is None:
            try:
                with session.begin_nested():
                    document = create_document(
                        session, meta=meta, content=content, principal=principal
                    )
                result = UploadResult(document, UploadOutcome.CREATED)
            except IntegrityError:
                # Another request created the same (source system, external id) meanwhile.
                result = find_prior_upload(session, meta, content.sha256, principal.scope)
                if result is None:
                    raise
        record(
            session,
            actor=principal.actor,
            action="document.upload",
            target=result.document.id,
            detail={"outcome": result.outcome, "sha256": content.sha256, "size": content.size},
        )
    if result.outcome is UploadOutcome.CREATED:
        enqueue(services.queue, result.document.id)
    return result


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
