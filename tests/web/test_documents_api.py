"""Upload, read, list and download through the REST API, on both stacks."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from archive import Document
from tests.conftest import CORPUS
from web.services import Services

PDF = CORPUS / "public" / "ja_mhlw_tsuchi_kinkyu-hinin_2019-11-21.pdf"


def upload(client: TestClient, path: Path, **metadata: object) -> dict[str, object]:
    files = {"file": (path.name, path.read_bytes(), "application/pdf")}
    data = {"metadata": json.dumps(metadata)} if metadata else {}
    response = client.post("/api/v1/documents", files=files, data=data)
    assert response.status_code in (200, 202), response.text
    return dict(response.json())


def count_documents(services: Services) -> int:
    with services.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Document)) or 0)


def test_upload_then_read_and_download(client: TestClient, services: Services) -> None:
    """GIVEN a PDF from the corpus WHEN uploaded THEN it is stored, described and downloadable byte for byte."""
    body = PDF.read_bytes()
    accepted = client.post(
        "/api/v1/documents",
        files={"file": (PDF.name, body, "application/pdf")},
        data={
            "metadata": json.dumps(
                {"title": "緊急避妊に係る通知", "department": "somu", "document_date": "2019-11-21"}
            )
        },
    )
    assert accepted.status_code == 202
    doc_id = accepted.json()["id"]
    assert accepted.json()["status_url"] == f"/api/v1/documents/{doc_id}"
    assert accepted.json()["sha256"] == hashlib.sha256(body).hexdigest()

    doc = client.get(f"/api/v1/documents/{doc_id}").json()
    assert doc["title"] == "緊急避妊に係る通知"
    assert doc["department"] == "somu"
    assert doc["document_date"] == "2019-11-21"
    assert doc["status"] == "received"
    version = doc["current_version"]
    assert version["media_type"] == "application/pdf"
    assert version["media_type_known"] is True
    assert version["size"] == len(body)
    assert version["original_filename"] == PDF.name
    assert doc["created_at"].endswith(("+00:00", "Z"))

    download = client.get(doc["content_url"])
    assert download.status_code == 200
    assert download.content == body
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-length"] == str(len(body))
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-content-type-options"] == "nosniff"


def test_list_paginates_and_filters(client: TestClient) -> None:
    ids = []
    for n in range(5):
        response = client.post(
            "/api/v1/documents",
            files={"file": (f"note-{n}.txt", f"memo number {n}".encode(), "text/plain")},
            data={"metadata": json.dumps({"source_system": "budget" if n % 2 else "contracts"})},
        )
        ids.append(response.json()["id"])
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/api/v1/documents", params=params).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == list(reversed(ids))
    budget = client.get("/api/v1/documents", params={"source_system": "budget"}).json()["items"]
    assert {item["id"] for item in budget} == {ids[1], ids[3]}
    assert client.get("/api/v1/documents", params={"status": "received"}).json()["items"]
    assert client.get("/api/v1/documents", params={"status": "failed"}).json()["items"] == []


def test_same_source_and_external_id_returns_the_existing_document(
    client: TestClient, services: Services
) -> None:
    meta = {"source_system": "vendor-portal", "external_id": "INV-2025-0001"}
    first, again, changed = (
        client.post(
            "/api/v1/documents",
            files={"file": ("a.txt", content, "text/plain")},
            data={"metadata": json.dumps(meta)},
        )
        for content in (b"first", b"first", b"resent")
    )
    assert first.status_code == 202
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["outcome"] == "existing"
    assert changed.status_code == 201 and changed.json()["outcome"] == "new_version"
    assert changed.json()["id"] == first.json()["id"]
    assert count_documents(services) == 1


def test_identical_content_is_reported_as_duplicate(client: TestClient, services: Services) -> None:
    first = upload(client, PDF)
    second = upload(client, PDF)
    assert second["outcome"] == "duplicate"
    assert second["id"] == first["id"]
    assert count_documents(services) == 1


def test_every_endpoint_but_health_requires_a_key(anonymous: TestClient) -> None:
    assert anonymous.get("/healthz").status_code == 200
    assert anonymous.get("/readyz").status_code == 200
    for method, url in [
        ("GET", "/api/v1/documents"),
        ("GET", "/api/v1/documents/x"),
        ("GET", "/api/v1/documents/x/content"),
        ("POST", "/api/v1/documents"),
    ]:
        response = anonymous.request(method, url)
        assert response.status_code == 401, url
        assert response.headers["www-authenticate"] == "Bearer"
    wrong = anonymous.get("/api/v1/documents", headers={"Authorization": "Bearer bk_0000_nope"})
    assert wrong.status_code == 401


def test_unknown_document_is_404(client: TestClient) -> None:
    assert client.get("/api/v1/documents/00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get("/api/v1/documents/../../etc/passwd/content").status_code == 404


def test_readyz_names_each_backend(anonymous: TestClient) -> None:
    body = anonymous.get("/readyz").json()
    assert body == {
        "status": "ready",
        "backends": {"broker": "ok", "database": "ok", "search": "ok", "storage": "ok"},
    }


@pytest.mark.parametrize(
    "corpus_file",
    ["docx/en_python-docx_tables.docx", "scans/en_tesseractjs_testocr.png", "invoices"],
)
def test_corpus_files_round_trip(client: TestClient, corpus_file: str) -> None:
    path = CORPUS / corpus_file
    if path.is_dir():
        path = sorted(p for p in path.iterdir() if p.is_file())[0]
    accepted = upload(client, path)
    assert client.get(f"/api/v1/documents/{accepted['id']}/content").content == path.read_bytes()
