"""Fair scheduling (issue 17): an interactive upload is processed ahead of bulk batches that
were queued before it, and two systems' bulk batches take turns, on the embedded
(SQLAlchemy) broker and on Redis; /metrics shows the queue by priority."""

from __future__ import annotations

import dataclasses
import itertools
import time
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr
from sqlalchemy import func, select

from archive import DocumentMetadata
from archive.access import SecurityLevel
from archive.models import Document, ProcessingStep, utcnow
from archive.processing import waiting_documents
from ingest.tasks import Priority, enqueue, queue_depth, queue_of, requeue
from tests.conftest import start_worker, stop
from tests.factories import key_for, org
from tests.web.test_batches import send, zipped
from web.app import create_app
from web.folders import folder_principal
from web.intake import store_file
from web.services import Services

BULK = 6
INTERACTIVE = 3
TOKEN = "priority-metrics-token-0123456789"


def _queue_depth(client: TestClient) -> dict[str, float]:
    page = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert page.status_code == 200, page.text
    return {
        sample.labels["priority"]: sample.value
        for family in text_string_to_metric_families(page.text)
        for sample in family.samples
        if sample.name == "bunko_queue_depth" and sample.labels["status"] == "received"
    }


def _first_step_at(services: Services) -> dict[str, tuple[str | None, float]]:
    """Each document: its bulk share (None if interactive), when its first pipeline step started."""
    with services.sessions() as session:
        rows = session.execute(
            select(Document.id, Document.bulk_share, func.min(ProcessingStep.started_at))
            .join(ProcessingStep, ProcessingStep.document_id == Document.id)
            .group_by(Document.id, Document.bulk_share)
        ).all()
    return {doc_id: (share, started.timestamp()) for doc_id, share, started in rows}


def _batch(client: TestClient, key: str, prefix: str, count: int) -> None:
    files = {f"{prefix}{n}.txt": f"一括 文書 {prefix} {n}".encode() for n in range(count)}
    manifest = "file\n" + "".join(f"{name}\n" for name in files)
    response = send(client, key, zipped(files), manifest)
    assert response.status_code == 201, response.text


def test_interactive_uploads_go_first_and_bulk_imports_take_turns(services: Services) -> None:
    """GIVEN one system's bulk batch queued, then a second system's smaller one, then three
    interactive uploads, and no worker yet WHEN a single-process worker starts THEN it takes
    the interactive uploads first, then the two systems' documents in turn."""
    org(services)
    first, second = key_for(services, "somu"), key_for(services, "somu")
    scraping = dataclasses.replace(
        services,
        settings=services.settings.model_copy(update={"metrics_token": SecretStr(TOKEN)}),
    )
    with TestClient(create_app(services=scraping)) as client:
        _batch(client, first, "big", BULK)
        _batch(client, second, "small", BULK // 2)
        clerks = []
        for n in range(INTERACTIVE):
            upload = client.post(
                "/api/v1/documents",
                files={"file": (f"clerk{n}.txt", f"窓口 の 文書 {n}".encode(), "text/plain")},
                headers={"X-API-Key": first},
            )
            assert upload.status_code == 202, upload.text
            clerks.append(upload.json()["id"])
        everything = BULK + BULK // 2 + INTERACTIVE
        assert _queue_depth(client) == {"interactive": INTERACTIVE, "bulk": BULK + BULK // 2}
    worker = start_worker(services)
    try:
        deadline = time.monotonic() + 180
        while len(started := _first_step_at(services)) < everything:
            assert time.monotonic() < deadline, started
            time.sleep(0.3)
    finally:
        stop(worker)
    # Taking the queues in turn would put a bulk document between the clerks' uploads.
    last_clerk = max(started[doc_id][1] for doc_id in clerks)
    assert not any(started[doc_id][0] for doc_id in clerks)
    assert all(last_clerk < at for share, at in started.values() if share)
    # First come, first served would process all of the first batch before the second.
    shares = [share for share, _ in sorted(started.values(), key=lambda s: s[1]) if share]
    turns = shares[: 2 * (BULK // 2)]
    assert all(a != b for a, b in itertools.pairwise(turns)), shares
    big = max(set(shares), key=shares.count)
    assert len(set(shares)) == 2 and shares[len(turns) :] == [big] * (BULK - BULK // 2)


def test_the_sweep_sends_lost_messages_with_their_priority(
    services: Services, tmp_path: Path
) -> None:
    """GIVEN documents whose messages were lost (the broker emptied) WHEN the sweep runs
    THEN an interactive one is queued by id, and the bulk queue again holds one "next bulk
    document" message per waiting bulk document; sweeping again adds none."""
    org(services)
    principal = folder_principal(
        services, name="sweep", department_code="somu", clearance=SecurityLevel.INTERNAL
    )
    ids: dict[str, tuple[str | None, str]] = {}
    for share in ("sweep", "sweep", None):
        path = tmp_path / f"{share}-{len(ids)}.txt"
        path.write_text(f"待機中の文書 {share} {len(ids)}")
        meta = DocumentMetadata(department="somu", bulk_share=share)
        ids[path.name] = (share, store_file(services, path, meta, principal).document.id)
    app = services.queue
    queues = [queue_of(app, priority) for priority in Priority]
    with app.connection_for_write() as connection:
        for queue in queues:
            connection.default_channel.queue_purge(queue)
    for _ in range(2):
        with services.sessions() as session:
            waiting = waiting_documents(session, grace=timedelta(0), now=utcnow() + timedelta(1))
        assert waiting.to_process == [i for share, i in ids.values() if share is None]
        assert waiting.in_shares == 2
        requeue(app, waiting)
        assert queue_depth(app, queue_of(app, Priority.BULK)) == 2
    with app.connection_for_write() as connection:
        for queue in queues:
            connection.default_channel.queue_purge(queue)


def test_a_queue_found_empty_takes_the_message_sent_next(services: Services) -> None:
    """GIVEN a consumer that looked at an empty queue (twice: on the embedded broker the
    second look is answered from the file's unchanged data version) WHEN a producer sends a
    message THEN the consumer's next look takes it, and the one after finds the queue empty."""
    app = services.queue
    queue = queue_of(app, Priority.INTERACTIVE)
    with app.connection_for_read() as connection:
        channel = connection.default_channel
        channel.queue_declare(queue=queue, passive=False)
        channel.queue_purge(queue)
        assert channel.basic_get(queue, no_ack=True) is None
        assert channel.basic_get(queue, no_ack=True) is None
        assert enqueue(app, "document-sent-next")
        message = channel.basic_get(queue, no_ack=True)
        assert message is not None
        assert message.decode()[0] == ["document-sent-next"]
        assert channel.basic_get(queue, no_ack=True) is None
