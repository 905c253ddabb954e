"""A batch's checked rows stored in groups: per group one transaction claims the blobs, the
bytes are stored, one transaction records every row's document, audit entry and batch row,
and one broker transaction queues them.

Row by row, each cost five write transactions, a message of its own, its checks done
three times and its blob's two fsyncs one after the other; a 100,000-document import spent
most of its time there. A row that fails
(its blob cannot be stored, or recording it is refused) is rolled back alone, to its
savepoint, and reported ``failed``; the others of its group are stored.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy.orm import Session

from archive import (
    ArchiveError,
    BackendUnavailable,
    DocumentMetadata,
    Principal,
    RowStatus,
    StagedContent,
    claim_blob,
    release_blob,
    set_row,
    settle_claim,
    translate_db_errors,
)
from ingest import enqueue_bulk
from web.intake import CREATES, Then, record_upload, staged_file
from web.services import Services

GROUP_ROWS = 25
"""Rows stored per group: enough to share the transactions and messages, few enough that
the group's transaction holds SQLite's write lock briefly (a clerk's upload and the worker
wait for it meanwhile)."""
PUT_THREADS = 8
"""Blobs of a group stored at once: each waits mostly for its fsyncs (or S3's answer)."""


@dataclasses.dataclass(frozen=True)
class GroupRow:
    """One checked manifest row, ready to store."""

    number: int
    file: str
    path: Path
    meta: DocumentMetadata
    then: Then | None
    extra: str | None


@dataclasses.dataclass
class _Staged:
    row: GroupRow
    content: StagedContent | None
    """None when the file could not be read (``failure`` says why)."""
    claim: int | None = None
    failure: str | None = None


def store_group(
    services: Services, batch_id: str, rows: Sequence[GroupRow], principal: Principal
) -> list[RowStatus]:
    """Store ``rows`` of batch ``batch_id`` and record each row's outcome; the statuses, in order."""
    with contextlib.ExitStack() as files:
        staged = [_stage(files, row) for row in rows]
        with translate_db_errors(), services.sessions.begin() as session:
            for item in staged:
                if item.content is not None:
                    item.claim = claim_blob(session, item.content.sha256)
        settled: set[int] = set()
        try:
            with ThreadPoolExecutor(PUT_THREADS) as pool:  # their fsyncs overlap
                list(pool.map(functools.partial(_put, services), staged))
            with translate_db_errors(), services.sessions.begin() as session:
                statuses = [_record(services, session, batch_id, s, principal) for s in staged]
                for item, status in zip(staged, statuses, strict=True):
                    if status is RowStatus.STORED and item.content and item.claim is not None:
                        settle_claim(session, item.claim, item.content.sha256)
                        settled.add(item.claim)
        finally:
            _release(
                services, [s for s in staged if s.claim is not None and s.claim not in settled]
            )
    if settled:
        enqueue_bulk(services.queue, len(settled))
    return statuses


def _stage(files: contextlib.ExitStack, row: GroupRow) -> _Staged:
    try:
        return _Staged(row, files.enter_context(staged_file(row.path)))
    except (ArchiveError, OSError) as exc:
        return _Staged(row, None, failure=str(exc) or "failed")


def _put(services: Services, item: _Staged) -> None:
    if item.content is None:
        return
    try:
        services.store.put(item.content.sha256, item.content.file, item.content.size)
    except (ArchiveError, OSError) as exc:
        item.failure = str(exc) or "failed"


def _record(
    services: Services, session: Session, batch_id: str, item: _Staged, principal: Principal
) -> RowStatus:
    """Record one row (its document, audit entry and batch row) under a savepoint of its own."""
    row = item.row
    status, outcome, document_id, reason = RowStatus.FAILED, None, None, item.failure
    if reason is None and item.content is not None:
        meta = dataclasses.replace(row.meta, batch_id=batch_id)
        try:
            with session.begin_nested():
                result = record_upload(
                    services, session, meta, item.content, principal, then=row.then
                )
        except ArchiveError as exc:
            reason = str(exc) or "failed"
        else:
            outcome, document_id = result.outcome.value, result.document.id
            status = RowStatus.STORED if result.outcome in CREATES else RowStatus.SKIPPED
    set_row(
        session,
        batch_id,
        row.number,
        file=row.file,
        status=status,
        outcome=outcome,
        document_id=document_id,
        reason=reason,
        extra=row.extra,
    )
    return status


def _release(services: Services, items: Sequence[_Staged]) -> None:
    """Give up the claims of rows that stored nothing (their blobs go unless needed)."""
    if not items:
        return
    with (
        contextlib.suppress(BackendUnavailable),
        translate_db_errors(),
        services.sessions.begin() as session,
    ):
        for item in items:
            if item.content is not None and item.claim is not None:
                release_blob(session, services.store, item.content.sha256, item.claim)
