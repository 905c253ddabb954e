"""The embedded backend: a Tantivy index (tantivy-py) in a directory of its own.

Chosen over SQLite FTS5 by the figures in ``docs/decisions/0003-embedded-search-engine.md``.
What is indexed is in ``search._tantivy_schema``, how queries are built in
``search._tantivy_query``, how results are read in ``search._tantivy_results``.

Files: ``PATH/current`` names the live generation ``PATH/g-<hex>``. ``rebuild`` writes a
new generation and switches ``current`` atomically (``os.replace``), so searches answer
from the old one until the new one is complete.

Writes: the API and the worker are separate processes and both write; each write takes an
exclusive ``flock`` on ``PATH/write.lock``, opens a Tantivy writer (Tantivy allows one per
index), writes, commits, waits for the merges the commit started and lets go, so neither
process holds the index for longer than one commit and its merges. ``index`` returns once
its documents are committed, so they are searchable from every process (every search
reloads to the last commit) and a caller may then mark them indexed; the merges a commit
started (Tantivy merges every few commits) are waited for by a thread of their own, which
holds the lock until they end, so the next write (of any process) starts after them but a
document waits only for its own commit. Within a process, writes that arrive while one is
committing share the next commit (``search._group_commit``).

Deletion leaves no trace: Tantivy only marks a deleted entry until its segment is merged
(tantivy-py cannot force a merge), but drops a segment whose entries are all deleted. So
``delete`` deletes the documents by id together with every other document of the segments
that hold them, adds those others again from their records, and commits: the segments go,
with their files. If an earlier, replaced copy of a document lingers in another segment
(its id still has a document frequency), the whole index is rewritten as a new generation.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import tantivy

from archive import AccessScope, RecordId
from search._group_commit import GroupCommit
from search._tantivy_query import QueryBuilder
from search._tantivy_results import Pager, decode_after, distinctive_grams, facets_of, hits_of
from search._tantivy_schema import Record, build_schema, document_of, record_of, register
from search.base import (
    Hit,
    IndexedDocument,
    ProgressCallback,
    SearchRequest,
    SearchResult,
    Sort,
    SortKey,
)
from search.cursor import encode_cursor
from search.errors import SearchUnavailable
from search.query import text_leaves
from search.text import fold

__all__ = ["TantivyIndex"]

log = logging.getLogger("bunko.search")

_WRITER_HEAP = 64_000_000
_BATCH = 1000


class TantivyIndex:
    """A Tantivy index in the directory ``path`` (see the module docstring for its files)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.url = f"tantivy:///{self.path}"
        self._schema = build_schema()
        self._lock = threading.Lock()
        self._open: tuple[tuple[int, int], str, Any] | None = None
        self._commit: tuple[int, int] | None = None
        self._group: GroupCommit[Record] = GroupCommit(self._write)
        self._merging: threading.Thread | None = None

    # -- files -------------------------------------------------------------------------

    def _index(self) -> Any:
        """The live generation's index, reloaded to its last commit."""
        try:
            pointer = (self.path / "current").stat()
        except OSError:
            raise SearchUnavailable(
                "tantivy", f"{self.path} has no search index; run ensure()"
            ) from None
        version = (pointer.st_ino, pointer.st_mtime_ns)  # os.replace gives a new inode
        with self._lock:
            if self._open is None or self._open[0] != version:
                name = (self.path / "current").read_text().strip()
                try:
                    index = tantivy.Index(self._schema, path=str(self.path / name), reuse=True)
                except (ValueError, OSError) as exc:
                    raise SearchUnavailable("tantivy", str(exc)) from None
                register(index)
                self._open = (version, name, index)
                self._commit = None
            _, name, index = self._open
            commit = _commit_of(self.path / name)
            if commit != self._commit:  # another writer (or process) committed since
                index.reload()
                self._commit = commit
        return index

    def _new_generation(self) -> tuple[str, Any]:
        name = f"g-{uuid.uuid4().hex}"
        (self.path / name).mkdir(parents=True)
        index = tantivy.Index(self._schema, path=str(self.path / name), reuse=False)
        register(index)
        return name, index

    def _switch(self, name: str) -> None:
        old = (self.path / "current").read_text().strip() if self._has_current() else None
        tmp = self.path / f"current.{uuid.uuid4().hex}"
        tmp.write_text(name)
        os.replace(tmp, self.path / "current")
        if old and old != name:
            shutil.rmtree(self.path / old, ignore_errors=True)

    def _has_current(self) -> bool:
        return (self.path / "current").exists()

    def _hold_write_lock(self) -> IO[str]:
        """One writer at a time across processes (the API and the worker both write): an open
        file holding the lock until it is closed."""
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            handle = (self.path / "write.lock").open("a")
        except OSError as exc:
            raise SearchUnavailable("tantivy", str(exc)) from None
        fcntl.flock(handle, fcntl.LOCK_EX)
        return handle

    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        with self._hold_write_lock():
            yield

    # -- writing -----------------------------------------------------------------------

    def ensure(self) -> None:
        with self._write_lock():
            if not self._has_current():
                name, _ = self._new_generation()
                self._switch(name)
            else:
                self._upgrade()

    def _upgrade(self) -> None:
        """Rewrite a generation written with an older schema (fewer fields) from its records."""
        generation = str(self.path / (self.path / "current").read_text().strip())
        try:
            tantivy.Index(self._schema, path=generation, reuse=True)
        except ValueError:  # "the schema does not match": read it with its own schema
            self._write_generation(_all_records(tantivy.Index.open(generation).searcher()), None)

    def check(self) -> None:
        self._index()

    def close(self) -> None:
        if self._merging is not None:
            self._merging.join()
        with self._lock:
            self._open = None

    def index(self, docs: Iterable[IndexedDocument]) -> int:
        records = [record_of(doc) for doc in docs]
        if records:
            self._group.submit(records)
        return len(records)

    def _write(self, records: list[Record]) -> None:
        """Add or replace ``records`` in one commit (a group's documents); the commit's merges
        go on in a thread that holds the write lock until they end."""
        handle = self._hold_write_lock()
        try:
            writer = self._index().writer(heap_size=_WRITER_HEAP, num_threads=1)
            for record in records:
                writer.delete_documents("id", record["id"])
                writer.add_document(document_of(record))
            writer.commit()
        except BaseException as exc:
            handle.close()
            if isinstance(exc, ValueError):
                raise SearchUnavailable("tantivy", str(exc)) from None
            raise
        self._merging = threading.Thread(
            target=_merge_then_unlock, args=(writer, handle), name="bunko-tantivy-merge"
        )
        self._merging.start()

    def delete(self, ids: Iterable[RecordId]) -> None:
        gone = set(ids)
        with self._write_lock():
            searcher = self._index().searcher()
            if not any(searcher.doc_freq("id", doc_id) for doc_id in gone):
                return
            kept = list(_neighbours(searcher, self._schema, gone))
            writer = self._index().writer(heap_size=_WRITER_HEAP, num_threads=1)
            for doc_id in gone | {r["id"] for r in kept}:
                writer.delete_documents("id", doc_id)
            for record in kept:
                writer.add_document(document_of(record))
            _finish(writer)
            searcher = self._index().searcher()
            if any(searcher.doc_freq("id", doc_id) for doc_id in gone):
                # A replaced copy lingers in a segment of its own: rewrite everything.
                self._write_generation(
                    (r for r in _all_records(searcher) if r["id"] not in gone), None
                )

    def rebuild(
        self, docs: Iterable[IndexedDocument], on_progress: ProgressCallback | None = None
    ) -> int:
        with self._write_lock():
            return self._write_generation((record_of(d) for d in docs), on_progress)

    def _write_generation(
        self, records: Iterable[Record], on_progress: ProgressCallback | None
    ) -> int:
        """A new generation holding ``records``, then made the live one."""
        name, index = self._new_generation()
        writer = index.writer(heap_size=_WRITER_HEAP, num_threads=1)
        count = 0
        for record in records:
            writer.add_document(document_of(record))
            count += 1
            if on_progress is not None and count % _BATCH == 0:
                on_progress(count)
        _finish(writer)
        self._switch(name)
        if on_progress is not None:
            on_progress(count)
        return count

    # -- reading -----------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResult:
        tree = request.tree
        sort = request.effective_sort(tree)
        ranked = sort.key is SortKey.RELEVANCE and bool(text_leaves(tree))
        after = decode_after(request.cursor, sort) if request.cursor else None
        index = self._index()
        builder = QueryBuilder(self._schema)
        query = builder.search(request.scope, tree, earlier=request.all_versions)
        searcher = index.searcher()
        pager = Pager(searcher, query, sort, ranked)
        page = pager.page(request.size, after)
        facets = facets_of(searcher, query, request.facets)
        rows = page[: request.size]
        hits = hits_of(rows, tree, ranked=ranked)
        next_cursor = None
        if len(page) > request.size:
            last = rows[-1]
            offset = (after[-1] if after else 0) + len(rows)
            next_cursor = encode_cursor(sort, [last.key, last.id, offset])
        return SearchResult(total=pager.total, hits=hits, facets=facets, next_cursor=next_cursor)

    def similar(self, doc_id: RecordId, scope: AccessScope, limit: int = 10) -> list[Hit]:
        builder = QueryBuilder(self._schema)
        searcher = self._index().searcher()
        own = builder.readable(scope, doc_id)
        found = searcher.search(own, 1, count=False).hits
        if not found:
            return []
        record = json.loads(searcher.doc(found[0][1])["record"][0])
        grams = distinctive_grams(searcher, fold(record["body"]))
        if not grams:
            return []
        query = builder.similar(scope, doc_id, grams)
        rows = Pager(searcher, query, Sort(SortKey.RELEVANCE), ranked=True).page(limit - 1, None)
        return hits_of(rows[:limit], None, ranked=True)


def _commit_of(generation: Path) -> tuple[int, int] | None:
    """Which commit a generation is at: Tantivy replaces ``meta.json`` on every commit."""
    try:
        meta = (generation / "meta.json").stat()
    except OSError:
        return None
    return (meta.st_ino, meta.st_mtime_ns)


def _finish(writer: Any) -> None:
    try:
        writer.commit()
        writer.wait_merging_threads()
    except ValueError as exc:
        raise SearchUnavailable("tantivy", str(exc)) from None


def _merge_then_unlock(writer: Any, handle: IO[str]) -> None:
    """Wait for the merges a commit started, then let the next writer in."""
    try:
        writer.wait_merging_threads()
    except ValueError:  # the commit stands; the segments stay unmerged until a later merge
        log.exception("a Tantivy merge failed")
    finally:
        handle.close()


def _all_records(searcher: Any, segments: set[int] | None = None) -> Iterator[Record]:
    """Every live document's record (of ``segments`` only, when given)."""
    total = searcher.num_docs
    if total == 0:
        return
    for _, address in searcher.search(tantivy.Query.all_query(), total, count=False).hits:
        if segments is None or address.segment_ord in segments:
            yield json.loads(searcher.doc(address)["record"][0])


def _neighbours(searcher: Any, schema: Any, ids: set[RecordId]) -> Iterator[Record]:
    """The records of the other documents in the segments that hold ``ids``."""
    segments = {
        address.segment_ord
        for doc_id in ids
        for _, address in searcher.search(
            tantivy.Query.term_query(schema, "id", doc_id), 1, count=False
        ).hits
    }
    if segments:
        yield from (r for r in _all_records(searcher, segments) if r["id"] not in ids)
