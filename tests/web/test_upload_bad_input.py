"""Bad uploads get a clear 4xx, leave nothing behind, and the service stays up."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from archive import Document
from archive.departments import add_department, find_department, retire_department
from web.services import Services


def nothing_stored(services: Services) -> bool:
    with services.sessions() as session:
        rows = session.scalar(select(func.count()).select_from(Document))
    return rows == 0 and list(services.store.keys()) == []


def no_spool_left(tmp_dir: Path | None) -> bool:
    return tmp_dir is not None and [p for p in tmp_dir.iterdir() if p.is_file()] == []


def test_empty_file_is_400(client: TestClient, services: Services) -> None:
    response = client.post(
        "/api/v1/documents", files={"file": ("empty.pdf", b"", "application/pdf")}
    )
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "file"
    assert nothing_stored(services)


def test_file_over_the_limit_is_413_and_nothing_is_stored(
    client: TestClient, services: Services
) -> None:
    services.settings.max_upload_bytes = 1000
    response = client.post(
        "/api/v1/documents",
        files={"file": ("big.bin", os.urandom(5000), "application/octet-stream")},
    )
    assert response.status_code == 413
    assert nothing_stored(services)
    assert no_spool_left(services.settings.tmp_dir)
    assert client.get("/healthz").status_code == 200


def test_declared_length_over_the_limit_is_refused_before_reading(
    client: TestClient, services: Services
) -> None:
    services.settings.max_upload_bytes = 1000
    response = client.post(
        "/api/v1/documents",
        content=b"--x\r\n",
        headers={"content-type": "multipart/form-data; boundary=x", "content-length": str(10**12)},
    )
    assert response.status_code == 413


def test_missing_file_part_is_422(client: TestClient, services: Services) -> None:
    response = client.post(
        "/api/v1/documents", data={"metadata": "{}"}, files={"other": ("x", b"", "text/plain")}
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "other"
    response = client.post("/api/v1/documents", data={"metadata": "{}"})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "file"
    assert nothing_stored(services)


@pytest.mark.parametrize(
    ("metadata", "field"),
    [
        ("{not json", "metadata"),
        ('{"document_date": "yesterday"}', "metadata.document_date"),
        ('{"title": 42}', "metadata.title"),
        ('{"color": "red"}', "metadata.color"),
        ('{"title": "' + "x" * 600 + '"}', "metadata.title"),
        ('["a", "list"]', "metadata"),
        ('{"department": "no-such-department"}', "department"),
    ],
)
def test_malformed_metadata_is_422_naming_the_field(
    client: TestClient, services: Services, metadata: str, field: str
) -> None:
    response = client.post(
        "/api/v1/documents",
        files={"file": ("a.txt", b"hello", "text/plain")},
        data={"metadata": metadata},
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == field
    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 0


def test_not_multipart_is_422(client: TestClient) -> None:
    response = client.post("/api/v1/documents", json={"file": "x"})
    assert response.status_code == 422
    assert "multipart/form-data" in response.json()["error"]["message"]


def test_truncated_multipart_body_is_422(client: TestClient, services: Services) -> None:
    body = b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhello'
    response = client.post(
        "/api/v1/documents",
        content=body,
        headers={"content-type": "multipart/form-data; boundary=b"},
    )
    assert response.status_code == 422
    assert nothing_stored(services)


def test_two_file_parts_are_refused(client: TestClient) -> None:
    files = [("file", ("a.txt", b"a", "text/plain")), ("file", ("b.txt", b"b", "text/plain"))]
    assert client.post("/api/v1/documents", files=files).status_code == 422


def test_oversized_form_field_is_refused(client: TestClient) -> None:
    response = client.post(
        "/api/v1/documents",
        files={"file": ("a.txt", b"a", "text/plain")},
        data={"metadata": "x" * 70_000},
    )
    assert response.status_code == 422


def test_unknown_media_type_is_accepted_and_marked(client: TestClient) -> None:
    # Seeded bytes: about 1 in 150 random buffers looks like some format to libmagic.
    unknown = random.Random(7).randbytes(4096)
    response = client.post(
        "/api/v1/documents", files={"file": ("blob.xyz", unknown, "application/x-what")}
    )
    assert response.status_code == 202
    version = client.get(f"/api/v1/documents/{response.json()['id']}").json()["current_version"]
    assert version["media_type"] == "application/octet-stream"
    assert version["media_type_known"] is False
    assert version["declared_media_type"] == "application/x-what"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Windows\\system32\\evil.exe", "evil.exe"),
        ("a\x00b\x1b[31mc\x7f\x85d.txt", "ab[31mcd.txt"),
        ("<script>alert(1)</script>.pdf", "script>.pdf"),
        ("<img src=x onerror=alert(1)>.pdf", "<img src=x onerror=alert(1)>.pdf"),
        ("契約書 (最終版).pdf", "契約書 (最終版).pdf"),
        ("..", "document"),
    ],
)
def test_hostile_filenames_are_stored_as_text_only(
    client: TestClient, services: Services, given: str, stored: str
) -> None:
    # Built by hand: HTTP clients escape control characters, hostile ones do not.
    body = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="'
        + given.encode()
        + b'"\r\nContent-Type: text/plain\r\n\r\n'
        + f"content of {given!r}".encode()
        + b"\r\n--b--\r\n"
    )
    response = client.post(
        "/api/v1/documents",
        content=body,
        headers={"content-type": "multipart/form-data; boundary=b"},
    )
    assert response.status_code == 202, response.text
    doc = client.get(f"/api/v1/documents/{response.json()['id']}").json()
    assert doc["current_version"]["original_filename"] == stored
    disposition = client.get(doc["content_url"]).headers["content-disposition"]
    assert "\r" not in disposition and "\n" not in disposition and "<" not in disposition
    fallback = disposition.split('filename="', 1)[1].split('"', 1)[0]
    assert "/" not in fallback and "\\" not in fallback
    root = services.settings.data_dir
    assert not any(stored in p.name for p in root.rglob("*")) if root.exists() else True


def test_malformed_cursor_is_422(client: TestClient) -> None:
    response = client.get("/api/v1/documents", params={"cursor": "%%%not-base64"})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "cursor"


def test_limit_out_of_range_is_422(client: TestClient) -> None:
    assert client.get("/api/v1/documents", params={"limit": 0}).status_code == 422
    assert client.get("/api/v1/documents", params={"limit": "many"}).status_code == 422


def test_metadata_round_trips_unicode(client: TestClient) -> None:
    meta = {"title": "令和6年度 契約書 <b>bold</b>", "source_system": "契約管理"}
    response = client.post(
        "/api/v1/documents",
        files={"file": ("k.txt", b"k", "text/plain")},
        data={"metadata": json.dumps(meta)},
    )
    doc = client.get(f"/api/v1/documents/{response.json()['id']}").json()
    assert doc["title"] == meta["title"]
    assert doc["source_system"] == "契約管理"


def test_a_retired_department_takes_no_new_documents(
    client: TestClient, services: Services
) -> None:
    """GIVEN a sub-department retired in a reorganisation WHEN a document is filed for it THEN 422, nothing stored."""
    with services.sessions.begin() as session:
        add_department(session, code="somu-old", name="旧総務課", parent_code="somu")
        retire_department(session, find_department(session, "somu-old"), actor="user:admin")
    response = client.post(
        "/api/v1/documents",
        files={"file": ("memo.txt", b"memo", "text/plain")},
        data={"metadata": json.dumps({"department": "somu-old"})},
    )
    assert response.status_code == 422, response.text
    assert "retired" in response.json()["error"]["message"]
    assert nothing_stored(services)
