"""The processing pipeline of one document: sniff, extract, e-invoice XML, OCR, classify, fields.

Each step is timed and recorded as it ends, so a long document shows its progress. A
permanent ``IngestError`` ends the document ``failed`` with the reason; a transient
error (storage, database, OCR engine) hands the document back for a retry, and so does
any other exception until the document's last attempt, which fails it with the error as
its reason. While the steps run, a thread renews the document's claim, so a worker that
dies is noticed within one lease rather than after the longest possible document.
"""

from __future__ import annotations

import enum
import errno
import logging
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from sqlalchemy.orm import Session

from archive import (
    MAX_ATTEMPTS,
    BackendUnavailable,
    BlobNotFound,
    BlobStore,
    Document,
    DocumentStatus,
    RecordId,
    StepRecord,
    claim,
    copy_hashing,
    record_steps,
    set_status,
    translate_db_errors,
)
from ingest.context import PipelineContext
from ingest.errors import IngestError
from ingest.index_queue import index_documents, note_waiting
from ingest.lease import ClaimRenewal
from ingest.steps import STEP_FUNCTIONS, Work, finish, timed_step
from search import SearchUnavailable

__all__ = [
    "Outcome",
    "PipelineContext",
    "TransientFailure",
    "fail_document",
    "index_document",
    "process_document",
    "process_next",
    "refresh_index",
    "unindex_document",
]

log = logging.getLogger("bunko.ingest")

PROGRESS_AFTER_S = 1.0
"""Steps are written as they end once a document has taken this long (so long work shows
progress); quicker documents write them all with their result, in one transaction."""


class Outcome(enum.StrEnum):
    PROCESSED = "processed"
    FAILED = "failed"
    SKIPPED = "skipped"
    """Another worker holds the document, or it needs nothing."""


class TransientFailure(Exception):
    """A backend or the OCR engine failed; the document waits for a retry."""


def process_document(ctx: PipelineContext, document_id: str) -> Outcome:
    """Run every step for the document's current version (idempotent: safe to repeat)."""
    chosen = process_next(ctx, lambda _session: document_id)
    assert chosen is not None
    return chosen[1]


def process_next(
    ctx: PipelineContext, choose: Callable[[Session], str | None]
) -> tuple[str, Outcome] | None:
    """Process the document ``choose`` picks (None when it finds none). The choice and the
    claim are one transaction: on SQLite one wait for the write lock per document, not two."""
    with translate_db_errors():
        with ctx.sessions.begin() as session:
            document_id = choose(session)
            if document_id is None:
                return None
            taken = _claim(ctx, session, document_id)
        return document_id, _process(ctx, taken) if taken is not None else Outcome.SKIPPED


@dataclass(frozen=True, slots=True)
class _Claim:
    document_id: str
    version_id: str
    key: str
    attempt: int
    officer_type: str | None


def _claim(ctx: PipelineContext, session: Session, document_id: str) -> _Claim | None:
    document = claim(session, document_id, lease=ctx.lease)
    if document is None:
        return None
    version = document.current_version
    officer_type = document.doc_type if document.type_source == "officer" else None
    return _Claim(document_id, version.id, version.blob_key, document.attempts, officer_type)


def _process(ctx: PipelineContext, taken: _Claim) -> Outcome:
    document_id, attempt = taken.document_id, taken.attempt
    with (
        tempfile.TemporaryDirectory(prefix="bunko-ingest-", dir=ctx.tmp_dir) as scratch,
        ClaimRenewal(ctx, document_id),
    ):
        work = Work(
            document_id,
            taken.version_id,
            Path(scratch) / "original",
            Path(scratch),
            taken.officer_type,
        )
        try:
            with translate_db_errors():
                _fetch(ctx.store, taken.key, work.original)
                for name in STEP_FUNCTIONS:
                    _run_step(ctx, work, name)
                work.step = "finish"
                finish(ctx, work)
            if ctx.index_queue is not None:  # now, not after the scratch space is removed
                ctx.index_queue.submit(document_id)
        except IngestError as exc:
            if not exc.permanent:
                _release(ctx, document_id, exc.reason)
                raise TransientFailure(exc.reason) from None
            fail_document(ctx, document_id, exc.reason, steps=work.steps)
            return Outcome.FAILED
        except BlobNotFound:
            fail_document(
                ctx,
                document_id,
                "the original is missing from storage (see bunko verify)",
                steps=work.steps,
            )
            return Outcome.FAILED
        except BackendUnavailable as exc:
            _release(ctx, document_id, str(exc))
            raise TransientFailure(str(exc)) from None
        except SoftTimeLimitExceeded:
            raise  # the task fails the document: it took too long, retrying would not help
        except Exception as exc:  # a defect here or in a library, or a full disk
            return _unexpected(ctx, work, attempt, exc)
    if ctx.index_queue is not None:
        return Outcome.PROCESSED
    try:
        index_document(ctx, document_id)
    except SearchUnavailable as exc:
        note_waiting(ctx.sessions, [document_id], f"waiting for the search index: {exc}")
    return Outcome.PROCESSED


def _unexpected(ctx: PipelineContext, work: Work, attempt: int, exc: Exception) -> Outcome:
    """Hand the document back for a retry; on its last attempt fail it with the error as reason.

    A full disk is an outage like an unreachable backend: it is only ever retried.
    """
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        reason = f"no space left on the worker's disk: {exc}"
    else:
        reason = f"unexpected error in step {work.step}: {type(exc).__name__}: {exc}"[:500]
        log.exception("document %s, attempt %d: %s", work.document_id, attempt, reason)
        if attempt >= MAX_ATTEMPTS:
            fail_document(ctx, work.document_id, reason, steps=work.steps)
            return Outcome.FAILED
    _release(ctx, work.document_id, reason)
    raise TransientFailure(reason) from None


def index_document(ctx: PipelineContext, document_id: str) -> bool:
    """Write the document's index entry and mark it ``indexed`` now; False if it is not
    indexable yet.

    Raises ``SearchUnavailable`` when the index cannot be reached (the document stays
    ``processed`` and the sweep tries again).
    """
    if ctx.index is None:
        return False
    return bool(index_documents(ctx.sessions, ctx.store, ctx.index, [document_id]))


def refresh_index(ctx: PipelineContext, document_id: str) -> None:
    """Bring the document's index entry in line with its access data now (a grant, level or
    department changed), so that totals and facets never count it from stale data.

    A document still being read leaves the index until its processing indexes it afresh.
    Raises ``SearchUnavailable`` when the index cannot be reached.
    """
    if not index_document(ctx, document_id):
        unindex_document(ctx, document_id)


def unindex_document(ctx: PipelineContext, document_id: str) -> None:
    """Remove a document from the index (it was destroyed or transferred)."""
    if ctx.index is not None:
        ctx.index.delete([RecordId(document_id)])


def _fetch(store: BlobStore, key: str, path: Path) -> None:
    """A local copy of the original, streamed, for libraries that want a file."""
    with store.open(key) as source, path.open("wb") as target:  # type: ignore[arg-type]
        copy_hashing(source, target)


def _run_step(ctx: PipelineContext, work: Work, name: str) -> None:
    status = timed_step(work, name, lambda: _STEP_FUNCTIONS[name](ctx, work))
    if status == "done" and time.perf_counter() - work.started > PROGRESS_AFTER_S:
        with ctx.sessions.begin() as session:
            record_steps(session, work.steps)
        work.steps.clear()


_STEP_FUNCTIONS = STEP_FUNCTIONS
"""The table ``_run_step`` looks steps up in."""


def fail_document(
    ctx: PipelineContext, document_id: str, reason: str, *, steps: Sequence[StepRecord] = ()
) -> None:
    """End the document ``failed`` with ``reason`` (also used when a time limit stops a worker)."""
    with ctx.sessions.begin() as session:
        document = session.get(Document, document_id)
        assert document is not None
        record_steps(session, steps)
        if steps and steps[0].version_id != document.current_version.id:
            return  # that version is no longer current: the newer one is queued
        set_status(session, document, DocumentStatus.FAILED, reason)


def _release(ctx: PipelineContext, document_id: str, reason: str) -> None:
    """Give the document back (``received``) so that a retry can claim it at once."""
    try:
        with translate_db_errors(), ctx.sessions.begin() as session:
            document = session.get(Document, document_id)
            if document is not None:
                set_status(session, document, DocumentStatus.RECEIVED, f"retrying: {reason}")
    except BackendUnavailable:
        pass  # the database itself is down: the claim lapses and the sweeper re-queues it
