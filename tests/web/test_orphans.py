"""An upload that creates no version leaves no blob behind (issue 11, defect 6)."""

from __future__ import annotations

import hashlib
import io
import json
from concurrent.futures import ThreadPoolExecutor

import httpx2 as httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from archive.blob_claims import claim_blob, in_flight_keys, release_blob
from archive.integrity import find_orphans, referenced_keys
from archive.models import DocumentVersion, PendingBlob
from archive.types import BlobKey
from tests.factories import key_for, org, upload_as
from web.services import Services


def orphans(services: Services) -> list[str]:
    """What ``bunko verify --orphans`` reports, and no claim may be left open either."""
    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(PendingBlob)) == 0
        return find_orphans(services.store, referenced_keys(session) | in_flight_keys(session))


def post(client: TestClient, key: str, content: bytes, **metadata: object) -> int:
    response = client.post(
        "/api/v1/documents",
        files={"file": ("doc.txt", content, "text/plain")},
        data={"metadata": json.dumps(metadata)},
        headers={"X-API-Key": key},
    )
    return response.status_code


def test_refused_and_repeated_uploads_leave_no_blob(
    services: Services, anonymous: TestClient
) -> None:
    org(services)
    somu = key_for(services, "somu")
    kenko = key_for(services, "kenko")
    upload_as(anonymous, somu, b"first", source_system="budget", external_id="INV-1")
    upload_as(anonymous, somu, b"shared bytes")
    outcomes = [
        post(anonymous, somu, b"first", source_system="budget", external_id="INV-1"),
        post(anonymous, somu, b"shared bytes"),
        post(
            anonymous, kenko, b"key of another bureau", source_system="budget", external_id="INV-1"
        ),
        post(anonymous, kenko, b"filed elsewhere", department="somu"),
        post(anonymous, somu, b"unknown department", department="nowhere"),
    ]
    assert outcomes == [200, 200, 409, 403, 422]
    assert orphans(services) == []
    assert len(list(services.store.keys())) == 2


def test_parallel_resends_under_one_key_make_one_version_each_and_no_orphans(
    services: Services, server: str
) -> None:
    org(services)
    key = key_for(services, "somu")

    def send(n: int) -> int:
        response = httpx.post(
            f"{server}/api/v1/documents",
            files={"file": (f"v{n}.txt", f"content number {n}".encode(), "text/plain")},
            data={"metadata": json.dumps({"source_system": "budget", "external_id": "INV-9"})},
            headers={"X-API-Key": key},
            timeout=60,
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(send, range(30)))
    assert sorted(statuses) == [201] * 29 + [202], statuses
    assert orphans(services) == []
    with services.sessions() as session:
        versions = session.scalars(select(DocumentVersion)).all()
        assert sorted(v.number for v in versions) == list(range(1, 31))
        assert len({v.document_id for v in versions}) == 1
    for version in versions:
        with services.store.open(BlobKey(version.blob_key)) as stream:
            number = stream.read().decode().removeprefix("content number ")
        assert version.original_filename == f"v{number}.txt"


def test_a_release_keeps_bytes_another_upload_has_claimed(services: Services) -> None:
    data = b"claimed twice"
    key = BlobKey(hashlib.sha256(data).hexdigest())
    with services.sessions.begin() as session:
        first, second = claim_blob(session, key), claim_blob(session, key)
    services.store.put(key, io.BytesIO(data), len(data))
    with services.sessions.begin() as session:
        assert release_blob(session, services.store, key, first) is False
    assert services.store.stat(key) is not None
    with services.sessions.begin() as session:
        assert release_blob(session, services.store, key, second) is True
    assert services.store.stat(key) is None
