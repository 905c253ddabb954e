"""A worker's index step: processed documents are indexed in groups by the process's thread,
``indexed`` only once committed, and left ``processed`` with a reason when the index is down."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from archive import Document, DocumentMetadata, DocumentStatus
from archive.access import SecurityLevel
from archive.processing import steps_of
from ingest.index_queue import IndexQueue, index_documents
from ingest.pipeline import Outcome, index_document, process_document
from search import open_search_index
from tests.factories import org
from tests.search.helpers import ids
from web.folders import folder_principal
from web.intake import store_file
from web.services import Services


def _documents(services: Services, tmp_path: Path, word: str, count: int) -> list[str]:
    org(services)
    principal = folder_principal(
        services, name="test", department_code="somu", clearance=SecurityLevel.SECRET
    )
    found = []
    for i in range(count):
        path = tmp_path / f"minutes-{i}.txt"
        path.write_text(f"道路維持委員会 議事録 {word} 第{i}回", encoding="utf-8")
        result = store_file(services, path, DocumentMetadata(department="somu"), principal)
        found.append(result.document.id)
    return found


def _status(services: Services, document_id: str) -> Document:
    with services.sessions() as session:
        document = session.get(Document, document_id)
        assert document is not None
        session.expunge(document)
        return document


def test_processed_documents_are_indexed_by_the_queue_and_then_marked_indexed(
    services: Services, tmp_path: Path
) -> None:
    """GIVEN a worker context with an index queue WHEN three documents are processed THEN
    processing returns before the index step, and after the queue drains all three are
    ``indexed``, searchable and have their index step recorded."""
    docs = _documents(services, tmp_path, "queueword", 3)
    ctx = services.pipeline()
    queue = IndexQueue(ctx.sessions, ctx.store, services.index)
    worker = replace(ctx, index_queue=queue)
    for document_id in docs:
        assert process_document(worker, document_id) is Outcome.PROCESSED
    assert queue.flush()
    assert ids(services.index, "queueword") == set(docs)
    for document_id in docs:
        assert _status(services, document_id).status is DocumentStatus.INDEXED
        with services.sessions() as session:
            document = session.get(Document, document_id)
            assert document is not None
            assert "index" in {step.step for step in steps_of(session, document)}


def test_a_group_indexed_again_keeps_one_index_step_per_document(
    services: Services, tmp_path: Path
) -> None:
    """GIVEN three processed documents WHEN their group is indexed twice (a retry) THEN each
    has one ``index`` step, from the second time, and its other steps as they were: the
    group's steps are replaced in one statement, only those of the documents it names."""
    docs = _documents(services, tmp_path, "againword", 3)
    ctx = services.pipeline()
    for document_id in docs:
        assert process_document(ctx, document_id) is Outcome.PROCESSED

    def steps(document_id: str) -> list[tuple[str, object]]:
        with services.sessions() as session:
            document = session.get(Document, document_id)
            assert document is not None
            return sorted((s.step, s.started_at) for s in steps_of(session, document))

    before = {d: steps(d) for d in docs}
    assert index_documents(ctx.sessions, ctx.store, services.index, docs[:2]) == docs[:2]
    for document_id in docs:
        after = steps(document_id)
        kept = [s for s in before[document_id] if s[0] != "index"]
        assert [s for s in after if s[0] != "index"] == kept
        index_steps = [s for s in after if s[0] == "index"]
        assert len(index_steps) == 1
        assert (index_steps == [s for s in before[document_id] if s[0] == "index"]) is (
            document_id == docs[2]
        )


def test_a_document_whose_index_is_down_stays_processed_with_the_reason(
    services: Services, tmp_path: Path
) -> None:
    """GIVEN an index that cannot be reached WHEN the queue indexes a processed document
    THEN it stays ``processed`` saying why, and the sweep's index task indexes it later."""
    [document_id] = _documents(services, tmp_path, "downword", 1)
    ctx = services.pipeline()
    absent = open_search_index(f"tantivy:///{tmp_path / 'absent'}")
    worker = replace(ctx, index_queue=IndexQueue(ctx.sessions, ctx.store, absent))
    assert process_document(worker, document_id) is Outcome.PROCESSED
    assert worker.index_queue is not None and worker.index_queue.flush()
    document = _status(services, document_id)
    assert document.status is DocumentStatus.PROCESSED
    assert "waiting for the search index" in (document.status_reason or "")
    assert index_document(ctx, document_id)
    assert _status(services, document_id).status is DocumentStatus.INDEXED
    assert ids(services.index, "downword") == {document_id}
