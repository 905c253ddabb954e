"""The pipeline on both stacks: documents end processed or failed with a reason, nothing is lost."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx2 as httpx
import pytest
from celery.exceptions import SoftTimeLimitExceeded
from sqlalchemy import update
from sqlalchemy.orm import Session

from archive import Document, DocumentMetadata, DocumentStatus, get_document
from archive.access import SecurityLevel
from archive.blobs import LocalBlobStore
from archive.models import utcnow
from archive.processing import MAX_ATTEMPTS, waiting_documents
from ingest import pipeline, tasks
from ingest.pipeline import (
    Outcome,
    PipelineContext,
    TransientFailure,
    process_document,
    process_next,
)
from tests.conftest import CORPUS, start_server, start_worker, stop, stop_server
from tests.factories import key_for, org
from web.folders import folder_principal
from web.intake import store_file
from web.services import Services

INVOICE_PDF = CORPUS / "invoices" / "en_invoice2data_aws_2014-08.pdf"
CONTRACT_DOCX = CORPUS / "docx" / "en_commonpaper_one-way-nda.docx"
SCAN = CORPUS / "scans" / "ja_pdfme_invoice-ja-simple.png"


@pytest.fixture
def filed(services: Services) -> Iterator[tuple[Services, object]]:
    org(services)
    yield (
        services,
        folder_principal(
            services, name="test", department_code="somu", clearance=SecurityLevel.SECRET
        ),
    )


def take(services: Services, principal: object, path: Path, **meta: object) -> str:
    result = store_file(services, path, DocumentMetadata(department="somu", **meta), principal)  # type: ignore[arg-type]
    return result.document.id


def status_of(services: Services, document_id: str) -> Document:
    from archive.access import AccessScope

    with services.sessions() as session:
        return get_document(
            session, document_id, AccessScope(city_wide=True, clearance=SecurityLevel.SECRET)
        )


def test_born_digital_and_scanned_documents_are_read_classified_and_described(filed) -> None:
    services, principal = filed
    ids = {
        path.name: take(services, principal, path) for path in (INVOICE_PDF, CONTRACT_DOCX, SCAN)
    }
    for document_id in ids.values():
        assert process_document(services.pipeline(), document_id) is Outcome.PROCESSED
    client_key = key_for(services, "somu", clearance=SecurityLevel.SECRET)
    from fastapi.testclient import TestClient

    from web.app import create_app

    with TestClient(create_app(services=services), headers={"X-API-Key": client_key}) as client:
        invoice = client.get(f"/api/v1/documents/{ids[INVOICE_PDF.name]}").json()
        assert invoice["status"] == "indexed" and invoice["doc_type"] == "invoice"
        assert [s["step"] for s in invoice["steps"]] == [
            "sniff",
            "extract",
            "einvoice",
            "ocr",
            "classify",
            "fields",
            "retention",
            "index",
        ]
        statuses = {s["step"]: s["status"] for s in invoice["steps"]}
        assert statuses["ocr"] == statuses["einvoice"] == "skipped"  # born digital, no XML
        assert all(s["duration_ms"] >= 0 for s in invoice["steps"])
        assert invoice["type_reason"]["features"]
        totals = [f for f in invoice["fields"] if f["name"] == "total_amount"]
        assert totals and totals[0]["source_text"]
        text = client.get(f"/api/v1/documents/{ids[INVOICE_PDF.name]}/derivatives/text").json()
        assert "Amazon Web Services" in " ".join(p["text"] for p in text["pages"])

        contract = client.get(f"/api/v1/documents/{ids[CONTRACT_DOCX.name]}").json()
        assert contract["doc_type"] == "contract"

        scan = client.get(f"/api/v1/documents/{ids[SCAN.name]}").json()
        assert scan["doc_type"] == "invoice" and scan["language"] == "ja"
        assert {s["step"]: s["status"] for s in scan["steps"]}["ocr"] == "done"
        numbers = [f for f in scan["fields"] if f["name"] == "registration_number"]
        assert numbers and numbers[0]["value"].endswith("1234567890123")
        searchable = client.get(f"/api/v1/documents/{ids[SCAN.name]}/derivatives/searchable_pdf")
        assert searchable.status_code == 200 and searchable.content.startswith(b"%PDF")


BAD = [
    ("malformed/encrypted_rc4_pw-test.pdf", "password"),
    ("malformed/truncated_federal-register_first-40pct.pdf", ""),
    ("malformed/truncated_commonpaper-one-way-nda_first-50pct.docx", "damaged"),
    ("malformed/ocrmypdf_invalid_header-then-eof.pdf", ""),
]


def test_bad_content_fails_with_a_reason_and_the_next_document_is_processed(
    filed, tmp_path: Path
) -> None:
    services, principal = filed
    garbage = tmp_path / "notes.txt"
    garbage.write_bytes(bytes(range(256)) * 64)
    disguised = tmp_path / "report.docx"
    shutil.make_archive(str(tmp_path / "plain"), "zip", root_dir=CORPUS / "public", base_dir=".")
    (tmp_path / "plain.zip").rename(disguised)
    cases = [(CORPUS / name, hint) for name, hint in BAD] + [
        (garbage, "unsupported"),
        (disguised, "ZIP"),
    ]
    for path, hint in cases:
        document_id = take(services, principal, path)
        started = time.monotonic()
        outcome = process_document(services.pipeline(), document_id)
        assert time.monotonic() - started < 60
        document = status_of(services, document_id)
        if outcome is Outcome.FAILED:
            assert document.status is DocumentStatus.FAILED and document.status_reason
            assert hint.lower() in document.status_reason.lower(), (
                path.name,
                document.status_reason,
            )
        else:  # read best-effort (the truncated PDF keeps its first pages)
            assert document.status is DocumentStatus.INDEXED, path.name
        good = take(
            services,
            principal,
            INVOICE_PDF,
            title=f"after {path.name}",
            external_id=path.name,
            source_system="t",
        )
        assert process_document(services.pipeline(), good) in (Outcome.PROCESSED, Outcome.SKIPPED)


def test_a_worker_that_died_is_recovered_by_the_sweep_and_a_killer_document_given_up(filed) -> None:
    services, principal = filed
    document_id = take(services, principal, INVOICE_PDF)
    long_ago = utcnow() - timedelta(hours=2)
    with services.sessions.begin() as session:
        session.execute(
            update(Document).values(
                status=DocumentStatus.PROCESSING, processing_started_at=long_ago, attempts=1
            )
        )
    with services.sessions() as session:
        assert document_id in waiting_documents(session).to_process
    assert process_document(services.pipeline(), document_id) is Outcome.PROCESSED

    killer = take(services, principal, CONTRACT_DOCX)
    with services.sessions.begin() as session:
        session.execute(
            update(Document)
            .where(Document.id == killer)
            .values(
                status=DocumentStatus.PROCESSING,
                processing_started_at=long_ago,
                attempts=MAX_ATTEMPTS,
            )
        )
    assert process_document(services.pipeline(), killer) is Outcome.SKIPPED
    document = status_of(services, killer)
    assert document.status is DocumentStatus.FAILED and "gave up" in (document.status_reason or "")


def test_storage_outage_hands_the_document_back_for_a_retry(filed, tmp_path: Path) -> None:
    services, principal = filed
    document_id = take(services, principal, INVOICE_PDF)
    blocked = tmp_path / "blocked"
    blocked.write_text("not a directory")
    broken = PipelineContext(sessions=services.sessions, store=LocalBlobStore(blocked))
    with pytest.raises(TransientFailure):
        process_document(broken, document_id)
    document = status_of(services, document_id)
    assert document.status is DocumentStatus.RECEIVED and "retrying" in (
        document.status_reason or ""
    )
    assert process_document(services.pipeline(), document_id) is Outcome.PROCESSED


def wait_for(
    base: str, key: str, document_id: str, want: set[str], timeout: float = 120
) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = httpx.get(
            f"{base}/api/v1/documents/{document_id}", headers={"X-API-Key": key}, timeout=10
        ).json()
        if body["status"] in want:
            return dict(body)
        time.sleep(0.3)
    raise AssertionError(f"{document_id} still {body['status']} after {timeout} s")


def test_uploads_wait_durably_for_a_worker_and_are_processed_when_it_starts(
    services: Services, stack: str
) -> None:
    """GIVEN no worker running WHEN documents are uploaded THEN a worker started later processes every one."""
    org(services)
    key = key_for(services, "somu")
    settings = services.settings.model_copy(update={"embedded_worker": False})
    server, base = start_server(settings)
    worker = None
    try:
        ids = []
        for path in (INVOICE_PDF, CONTRACT_DOCX):
            response = httpx.post(
                f"{base}/api/v1/documents",
                files={"file": (path.name, path.read_bytes())},
                data={"metadata": json.dumps({"batch_id": "b-1"})},
                headers={"X-API-Key": key},
                timeout=30,
            )
            assert response.status_code == 202
            ids.append(response.json()["id"])
        time.sleep(1)
        assert wait_for(base, key, ids[0], {"received"}, timeout=5)["status"] == "received"
        worker = start_worker(services)
        for document_id in ids:
            assert wait_for(base, key, document_id, {"indexed", "failed"})["status"] == "indexed"
        progress = httpx.get(
            f"{base}/api/v1/batches/b-1", headers={"X-API-Key": key}, timeout=10
        ).json()
        assert progress == {
            "batch_id": "b-1",
            "total": 2,
            "done": 2,
            "by_status": {"indexed": 2},
            "report_url": None,  # a bulk import's own report; none for metadata batch ids
        }
    finally:
        if worker is not None:
            stop(worker)
        stop_server(server)


@pytest.mark.parametrize("stack", ["embedded"], indirect=True)
def test_bunko_serve_processes_in_the_background_on_the_embedded_stack(services: Services) -> None:
    org(services)
    key = key_for(services, "somu")
    server, base = start_server(services.settings)
    try:
        response = httpx.post(
            f"{base}/api/v1/documents",
            files={"file": (SCAN.name, SCAN.read_bytes())},
            headers={"X-API-Key": key},
            timeout=30,
        )
        body = wait_for(base, key, response.json()["id"], {"indexed", "failed"})
        assert body["status"] == "indexed" and body["doc_type"] == "invoice"
    finally:
        stop_server(server)


def test_a_chosen_document_is_claimed_in_the_transaction_that_chose_it(filed) -> None:
    """GIVEN a chooser (the bulk queue's ``next_bulk``) WHEN a worker asks for the next
    document THEN the one chosen is claimed with the choice and processed; none chosen is
    None; one another worker holds is skipped, and the choice stays made."""
    services, principal = filed
    document_id = take(services, principal, INVOICE_PDF)
    chosen: list[str] = []

    def choose(session: Session) -> str | None:
        chosen.append(document_id)
        assert session.in_transaction()
        return document_id

    assert process_next(services.pipeline(), choose) == (document_id, Outcome.PROCESSED)
    assert chosen == [document_id]
    assert status_of(services, document_id).status is DocumentStatus.INDEXED
    assert process_next(services.pipeline(), lambda _session: None) is None

    held = take(services, principal, CONTRACT_DOCX)
    with services.sessions.begin() as session:
        session.execute(
            update(Document)
            .where(Document.id == held)
            .values(status=DocumentStatus.PROCESSING, processing_started_at=utcnow())
        )
    assert process_next(services.pipeline(), lambda _session: held) == (held, Outcome.SKIPPED)
    assert status_of(services, held).status is DocumentStatus.PROCESSING


def test_a_document_stopped_by_the_task_time_limit_ends_failed_with_the_reason(
    filed, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a document whose reading outlasts the task's soft time limit WHEN the worker's
    task stops it THEN the document the task chose ends failed saying so, and the next one
    is processed."""
    services, principal = filed
    slow = take(services, principal, INVOICE_PDF)

    def outlasting(*_: object) -> None:
        raise SoftTimeLimitExceeded()

    monkeypatch.setitem(pipeline._STEP_FUNCTIONS, "extract", outlasting)
    assert tasks._process_one(services.pipeline(), lambda _s: slow, "t-1") is Outcome.FAILED
    document = status_of(services, slow)
    assert document.status is DocumentStatus.FAILED
    assert document.status_reason == (
        f"processing took longer than {tasks.SOFT_TIME_LIMIT_S // 60} minutes"
    )
    monkeypatch.undo()
    other = take(services, principal, CONTRACT_DOCX)
    assert tasks._process_one(services.pipeline(), lambda _s: other, "t-2") is Outcome.PROCESSED
    assert tasks._process_one(services.pipeline(), lambda _s: None, "t-3") is None

    def stopped_while_choosing(_session: Session) -> str:
        raise SoftTimeLimitExceeded()

    with pytest.raises(SoftTimeLimitExceeded):  # nothing chosen: nothing to fail
        tasks._process_one(services.pipeline(), stopped_while_choosing, "t-4")
