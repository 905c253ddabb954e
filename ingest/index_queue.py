"""The pipeline's last step, ``index``: documents enter the search index in groups.

A search engine's commit costs about the same for one document as for hundreds (Tantivy
syncs its files), so a worker does not make each document wait for one: when a document's
steps are done, it is handed to the worker process's ``IndexQueue`` and the worker takes
the next document at once. The queue's thread indexes everything handed to it since its
last commit in one ``SearchIndex.index`` call, then marks those documents ``indexed`` in
one transaction. ``indexed`` therefore always means committed, and searchable from every
process. A document whose group could not be indexed stays ``processed`` with the reason,
and the sweep queues it again (as after a crash between its steps and its index entry).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload, sessionmaker

from archive import (
    BlobStore,
    Document,
    DocumentStatus,
    StepRecord,
    begin_reading,
    record_steps,
    set_status,
    translate_db_errors,
    utcnow,
)
from ingest.indexing import INDEXABLE, indexed_document
from search import SearchIndex, SearchUnavailable

log = logging.getLogger("bunko.ingest")

GROUP_SIZE = 500
"""The most documents one commit takes (a backlog is indexed in groups of this size)."""


def index_documents(
    sessions: sessionmaker[Session], store: BlobStore, index: SearchIndex, ids: Sequence[str]
) -> list[str]:
    """Write the index entries of ``ids`` in one commit and mark them ``indexed``; returns the
    ids that were indexable (the others are skipped: not read yet, or gone).

    Raises ``SearchUnavailable`` when the index cannot be reached (the documents stay as
    they are and the sweep tries again).
    """
    started_at, start = utcnow(), time.perf_counter()
    with translate_db_errors(), sessions() as session:
        begin_reading(session)  # not behind the server's writes (uploads, audited reads)
        entries, versions = [], {}
        for document_id in ids:
            document = session.get(Document, document_id)
            if document is not None and document.status in INDEXABLE:
                entries.append(indexed_document(session, store, document))
                versions[document_id] = document.current_version.id
    if entries:
        index.index(entries)
    duration_ms = (time.perf_counter() - start) * 1000
    detail = {"group": len(entries)} if len(entries) > 1 else {}
    with translate_db_errors(), sessions.begin() as session:
        # One statement of each kind for the whole group: this transaction holds SQLite's lock.
        marked = (
            select(Document).where(Document.id.in_(versions)).options(lazyload(Document.versions))
        )
        documents = session.scalars(marked).all()
        steps = [
            StepRecord(d.id, versions[d.id], "index", "done", started_at, duration_ms, detail)
            for d in documents
        ]
        record_steps(session, steps)
        for document in documents:
            if document.status is DocumentStatus.PROCESSED:
                set_status(session, document, DocumentStatus.INDEXED)
    return list(versions)


def note_waiting(sessions: sessionmaker[Session], ids: Sequence[str], reason: str) -> None:
    """Say on each document why it waits (it keeps its status)."""
    with translate_db_errors(), sessions.begin() as session:
        for document_id in ids:
            document = session.get(Document, document_id)
            if document is not None:
                document.status_reason = reason


class IndexQueue:
    """Documents waiting for the index in one worker process, indexed by its own thread.

    Made after the fork (see ``ingest.tasks``); ``flush`` before the process exits.
    """

    def __init__(
        self, sessions: sessionmaker[Session], store: BlobStore, index: SearchIndex
    ) -> None:
        self._sessions, self._store, self._index = sessions, store, index
        self._changed = threading.Condition()
        self._waiting: list[str] = []
        self._busy = False
        self._thread: threading.Thread | None = None

    def submit(self, document_id: str) -> None:
        """Index the document soon (with whatever else is waiting); returns at once."""
        with self._changed:
            self._waiting.append(document_id)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="bunko-index", daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def flush(self, timeout_s: float = 30.0) -> bool:
        """Wait until every submitted document has been through the index; False on timeout."""
        with self._changed:
            return self._changed.wait_for(
                lambda: not self._waiting and not self._busy, timeout=timeout_s
            )

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: bool(self._waiting))
                group = self._waiting[:GROUP_SIZE]
                del self._waiting[:GROUP_SIZE]
                self._busy = True
            try:
                self._index_group(group)
            finally:
                with self._changed:
                    self._busy = False
                    self._changed.notify_all()

    def _index_group(self, group: list[str]) -> None:
        try:
            index_documents(self._sessions, self._store, self._index, group)
        except SearchUnavailable as exc:
            try:
                note_waiting(self._sessions, group, f"waiting for the search index: {exc}")
            except Exception:
                log.exception("could not note why %d documents wait", len(group))
        except Exception:
            # Left ``processed``: the sweep queues them again.
            log.exception("could not index %d documents", len(group))
