"""WORM: originals are locked to their disposition date, holds set the legal hold, and no path deletes them."""

from __future__ import annotations

import hashlib
import io
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from minio import Minio
from minio.deleteobjects import DeleteObject
from minio.error import S3Error

from archive.blobs import LocalBlobStore, S3BlobStore
from archive.blobs.base import BlobLock, BlobRetained, BlobStore, LockMode
from archive.types import Sha256
from tests.conftest import live_url, with_bucket
from tests.retention.conftest import Officer
from web.services import Services


def _put(store: BlobStore, data: bytes) -> Sha256:
    key = Sha256(hashlib.sha256(data).hexdigest())
    store.put(key, io.BytesIO(data), len(data))
    return key


def _until(lock: BlobLock) -> datetime:
    assert lock.retain_until is not None
    return lock.retain_until


def test_ingest_locks_a_declared_original_until_its_disposition_date(
    officer: Officer, ingest, organisation: Services
) -> None:
    officer.post("/api/v1/retention/series/defaults")
    doc = ingest("支払 請求書 第1号", title="請求書", document_date="2025-06-10")
    assert (
        officer.put(f"/api/v1/documents/{doc}/retention", json={"series": "SEIKYU-07"}).status_code
        == 200
    )
    key = officer.get(f"/api/v1/documents/{doc}").json()["versions"][0]["sha256"]
    lock = organisation.store.lock(key)
    assert lock.mode is LockMode.COMPLIANCE
    assert lock.retain_until == datetime(2033, 3, 31, 15, tzinfo=UTC)  # end of 2033-03-31 in Japan
    with pytest.raises(BlobRetained):
        organisation.store.delete(key, bypass_governance=True)
    assert organisation.store.stat(key) is not None
    explained = officer.get(f"/api/v1/documents/{doc}/retention").json()
    assert explained["storage_lock"] == {"until": "2033-03-31", "mode": "COMPLIANCE"}


def test_compliance_can_be_extended_never_shortened_and_governance_can_be_bypassed(
    tmp_path: Path,
) -> None:
    store = LocalBlobStore(tmp_path / "blobs")
    key, other = _put(store, b"declared record"), _put(store, b"being classified")
    now = datetime.now(UTC)
    store.protect(key, now + timedelta(days=30), LockMode.COMPLIANCE)
    assert _until(
        store.protect(key, now + timedelta(days=5), LockMode.COMPLIANCE)
    ) > now + timedelta(days=29)
    assert (
        store.protect(key, now + timedelta(days=60), LockMode.GOVERNANCE).mode
        is LockMode.COMPLIANCE
    )
    assert _until(
        store.protect(key, now + timedelta(days=60), LockMode.COMPLIANCE)
    ) > now + timedelta(days=59)
    with pytest.raises(BlobRetained):
        store.delete(key, bypass_governance=True)
    store.protect(other, now + timedelta(days=30), LockMode.GOVERNANCE)
    with pytest.raises(BlobRetained):
        store.delete(other)
    store.delete(other, bypass_governance=True)
    assert store.stat(other) is None
    held = _put(store, b"held")
    store.set_legal_hold(held, True)
    with pytest.raises(BlobRetained):
        store.delete(held, bypass_governance=True)
    store.set_legal_hold(held, False)
    store.delete(held)
    assert store.stat(held) is None


@pytest.mark.live
def test_a_direct_s3_delete_of_a_retained_object_fails_on_the_real_server() -> None:
    url = with_bucket(live_url("S3"), f"bunko-w-{uuid.uuid4().hex[:12]}")
    store = S3BlobStore.from_url(url)
    store.ensure_bucket()
    key = _put(store, f"契約書 {uuid.uuid4()}".encode())
    store.protect(key, datetime.now(UTC) + timedelta(days=3), LockMode.COMPLIANCE)

    import os

    raw = Minio(
        os.environ["BUNKO_TEST_S3_ENDPOINT"],
        os.environ["BUNKO_TEST_S3_ACCESS_KEY"],
        os.environ["BUNKO_TEST_S3_SECRET_KEY"],
        secure=False,
    )
    name = f"sha256/{key}"
    version = raw.stat_object(store.bucket, name).version_id
    with pytest.raises(S3Error) as refused:
        raw.remove_object(store.bucket, name, version_id=version)
    assert refused.value.code == "AccessDenied"
    errors = list(
        raw.remove_objects(store.bucket, [DeleteObject(name, version)], bypass_governance_mode=True)
    )
    assert errors and errors[0].code == "AccessDenied"
    raw.remove_object(
        store.bucket, name
    )  # without a version: only a delete marker; the version survives
    assert (raw.stat_object(store.bucket, name, version_id=version).size or 0) > 0
    with pytest.raises(BlobRetained):
        store.delete(key, bypass_governance=True)
    assert store.lock(key).mode is LockMode.COMPLIANCE if store.stat(key) else True

    held = _put(store, b"legal hold " + uuid.uuid4().bytes)
    store.set_legal_hold(held, True)
    held_version = raw.stat_object(store.bucket, f"sha256/{held}").version_id
    with pytest.raises(S3Error):
        raw.remove_object(store.bucket, f"sha256/{held}", version_id=held_version)
    store.set_legal_hold(held, False)
    store.delete(held)
    assert store.stat(held) is None
