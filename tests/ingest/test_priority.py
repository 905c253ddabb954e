"""Fair scheduling (issue 17): an interactive upload is processed ahead of a bulk batch that
was queued before it, on the embedded (SQLAlchemy) broker and on Redis; /metrics shows the
queue by priority."""

from __future__ import annotations

import dataclasses
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
from tests.factories import key_for, org
from tests.ingest.test_pipeline import start_worker, stop
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


def _first_step_at(services: Services) -> dict[str, tuple[bool, float]]:
    """Each document: whether it is bulk, and when its first pipeline step started."""
    with services.sessions() as session:
        rows = session.execute(
            select(Document.id, Document.bulk, func.min(ProcessingStep.started_at))
            .join(ProcessingStep, ProcessingStep.document_id == Document.id)
            .group_by(Document.id, Document.bulk)
        ).all()
    return {doc_id: (bulk, started.timestamp()) for doc_id, bulk, started in rows}


def test_an_interactive_upload_overtakes_a_queued_bulk_batch(services: Services) -> None:
    """GIVEN a bulk batch queued, then three interactive uploads, and no worker yet
    WHEN a single-process worker starts THEN it takes the three interactive uploads first."""
    org(services)
    key = key_for(services, "somu")
    scraping = dataclasses.replace(
        services,
        settings=services.settings.model_copy(update={"metrics_token": SecretStr(TOKEN)}),
    )
    with TestClient(create_app(services=scraping)) as client:
        files = {f"bulk{n}.txt": f"一括 文書 {n}".encode() for n in range(BULK)}
        manifest = "file\n" + "".join(f"{name}\n" for name in files)
        assert send(client, key, zipped(files), manifest).status_code == 201
        clerks = []
        for n in range(INTERACTIVE):
            upload = client.post(
                "/api/v1/documents",
                files={"file": (f"clerk{n}.txt", f"窓口 の 文書 {n}".encode(), "text/plain")},
                headers={"X-API-Key": key},
            )
            assert upload.status_code == 202, upload.text
            clerks.append(upload.json()["id"])
        assert _queue_depth(client) == {"interactive": INTERACTIVE, "bulk": BULK}
    worker = start_worker(services)
    try:
        deadline = time.monotonic() + 180
        while len(started := _first_step_at(services)) < BULK + INTERACTIVE:
            assert time.monotonic() < deadline, started
            time.sleep(0.3)
    finally:
        stop(worker)
    # Taking the queues in turn would put a bulk document between the clerks' uploads.
    last_clerk = max(started[doc_id][1] for doc_id in clerks)
    assert not any(started[doc_id][0] for doc_id in clerks)
    assert all(last_clerk < at for bulk, at in started.values() if bulk)


def test_the_sweep_requeues_a_waiting_document_with_its_priority(
    services: Services, tmp_path: Path
) -> None:
    """A bulk document whose message was lost is found by the sweep as bulk, so it is queued
    behind interactive uploads again; an interactive one as interactive."""
    org(services)
    principal = folder_principal(
        services, name="sweep", department_code="somu", clearance=SecurityLevel.INTERNAL
    )
    ids = {}
    for bulk in (True, False):
        path = tmp_path / f"{bulk}.txt"
        path.write_text(f"待機中の文書 {bulk}")
        meta = DocumentMetadata(department="somu", bulk=bulk)
        ids[bulk] = store_file(services, path, meta, principal).document.id
    with services.sessions() as session:
        waiting = waiting_documents(session, grace=timedelta(0), now=utcnow() + timedelta(1))
    assert set(ids.values()) <= set(waiting.to_process)
    assert ids[True] in waiting.bulk and ids[False] not in waiting.bulk
