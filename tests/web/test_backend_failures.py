"""A backend that is down gives a 503 naming it; nothing half-written is left unaccounted for."""

from __future__ import annotations

import hashlib
import io
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from minio import Minio
from sqlalchemy import create_engine, func, select, text

from archive import Document, create_api_key
from archive.blobs import LocalBlobStore, S3BlobStore
from archive.blobs.s3 import s3_client_args
from archive.types import BlobKey
from tests.conftest import start_server, stop_server
from web.app import create_app
from web.services import Services, build_services
from web.settings import Settings


def test_storage_down_during_upload_is_503_and_leaves_no_row(
    services: Services, department: str, stack: str, tmp_path: Path
) -> None:
    """GIVEN a working database WHEN the blob store cannot be reached THEN 503 and no document row."""
    if stack == "embedded":
        blocked = tmp_path / "blocked"
        blocked.write_text("a file where the blob directory should be")
        storage_url = f"file://{blocked}"
    else:
        storage_url = "s3://k:s@127.0.0.1:9/nowhere?secure=false"
    broken = build_services(services.settings.model_copy(update={"storage_url": storage_url}))
    with services.sessions.begin() as session:
        _row, key = create_api_key(session, name="storage-down", department_code=department)
    with TestClient(create_app(services=broken), headers={"X-API-Key": key}) as client:
        response = client.post(
            "/api/v1/documents", files={"file": ("a.txt", b"important record", "text/plain")}
        )
        assert response.status_code == 503
        assert response.json()["error"]["backend"] == "storage"
        assert response.headers["retry-after"]
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["backends"]["database"] == "ok"
        assert ready.json()["backends"]["storage"] != "ok"
    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 0


class DatabaseOutage:
    """Takes the test's database away while a request is in flight, and brings it back."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._sqlite: sqlite3.Connection | None = None

    def start(self) -> None:
        url = self.settings.database_url
        if url.startswith("sqlite"):
            self._sqlite = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
            self._sqlite.execute("BEGIN EXCLUSIVE")
            return
        # Client connections only: an autovacuum worker advertises no role, so PostgreSQL
        # lets only a superuser end it, and it holds no connection of Bunko's anyway.
        self._admin(
            'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false',
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = :name AND backend_type = 'client backend'",
        )

    def end(self) -> None:
        if self._sqlite is not None:
            self._sqlite.execute("ROLLBACK")
            self._sqlite.close()
            return
        self._admin('ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')

    def _admin(self, *statements: str) -> None:
        base, name = self.settings.database_url.rsplit("/", 1)
        engine = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                for statement in statements:
                    conn.execute(text(statement.replace('"{name}"', f'"{name}"')), {"name": name})
        finally:
            engine.dispose()


def test_database_down_mid_upload_is_503_and_leaves_nothing_behind(
    services: Services, api_key: str
) -> None:
    """GIVEN a real server WHEN the database goes away while the body streams THEN 503, and
    no blob was stored (``bunko verify --orphans`` is clean)."""
    settings = services.settings.model_copy(update={"database_timeout_s": 1.0})
    services.engine.dispose()  # the outage ends every connection to the database, ours too
    proc, base = start_server(settings)
    outage = DatabaseOutage(settings)
    payload = os.urandom(256 * 1024)
    went_down = threading.Event()

    def body() -> Iterator[bytes]:
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="r.bin"\r\n\r\n'
        yield payload[:1024]
        # The API key was checked when the request began; now the database goes away.
        threading.Event().wait(1.0)
        outage.start()
        went_down.set()
        yield payload[1024:]
        yield b"\r\n--b--\r\n"

    try:
        response = httpx.post(
            f"{base}/api/v1/documents",
            content=body(),
            headers={"X-API-Key": api_key, "content-type": "multipart/form-data; boundary=b"},
            timeout=60,
        )
    finally:
        if went_down.is_set():
            outage.end()
        stop_server(proc)
    assert went_down.is_set()
    assert response.status_code == 503, response.text
    assert response.json()["error"]["backend"] == "database"

    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 0
    verify = subprocess.run(
        [sys.executable, "-c", "from web.cli import main; main()", "verify", "--orphans"],
        env={**os.environ, **settings.env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    # The upload is decided before any byte is stored, so an outage leaves no blob at all.
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "0 orphaned" in verify.stdout
    assert services.store.stat(BlobKey(hashlib.sha256(payload).hexdigest())) is None


def tamper(services: Services, key: str, *, delete: bool) -> None:
    """Change or remove a blob behind Bunko's back, as a disk fault or an operator would."""
    store = services.store
    if isinstance(store, LocalBlobStore):
        path = store.root / "sha256" / key[:2] / key[2:4] / key
        if delete:
            path.unlink()
        else:
            path.chmod(0o644)
            path.write_bytes(b"tampered")
        return
    assert isinstance(store, S3BlobStore)
    client = Minio(**s3_client_args(services.settings.storage_url))
    if delete:
        client.remove_object(store.bucket, f"sha256/{key}")
    else:
        client.put_object(store.bucket, f"sha256/{key}", io.BytesIO(b"tampered"), 8)


def test_verify_finds_missing_and_corrupt_blobs(client: TestClient, services: Services) -> None:
    first = client.post(
        "/api/v1/documents", files={"file": ("a.txt", b"first record", "text/plain")}
    ).json()
    second = client.post(
        "/api/v1/documents", files={"file": ("b.txt", b"second record", "text/plain")}
    ).json()
    run = [sys.executable, "-c", "from web.cli import main; main()", "verify"]
    env = {**os.environ, **services.settings.env}
    ok = subprocess.run(run, env=env, capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "checked 2 blobs: 0 missing, 0 corrupt" in ok.stdout

    tamper(services, first["sha256"], delete=False)
    tamper(services, second["sha256"], delete=True)
    bad = subprocess.run(run, env=env, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1
    assert f"corrupt {first['sha256']}" in bad.stdout
    assert f"missing {second['sha256']}" in bad.stdout


@pytest.mark.parametrize("stack", [pytest.param("scale", marks=pytest.mark.live)], indirect=True)
def test_two_api_processes_share_the_scale_stack(services: Services, api_key: str) -> None:
    """GIVEN two API processes on the same servers WHEN one stores a document THEN the other serves it."""
    first, base_a = start_server(services.settings)
    second, base_b = start_server(services.settings)
    try:
        headers = {"X-API-Key": api_key}
        payload = os.urandom(300_000)
        created = httpx.post(
            f"{base_a}/api/v1/documents",
            files={"file": ("shared.bin", payload)},
            headers=headers,
            timeout=30,
        )
        assert created.status_code == 202
        doc_id = created.json()["id"]
        fetched = httpx.get(
            f"{base_b}/api/v1/documents/{doc_id}/content", headers=headers, timeout=30
        )
        assert fetched.content == payload
        listed = httpx.get(f"{base_b}/api/v1/documents", headers=headers, timeout=30).json()
        assert [item["id"] for item in listed["items"]] == [doc_id]
    finally:
        stop_server(first)
        stop_server(second)
