"""Records rules across versions (issue 13): holds freeze, disposition removes, transfer carries all."""

from __future__ import annotations

import json
import os

import bagit
import pytest
from minio import Minio
from minio.error import S3Error
from sqlalchemy import func, select

from archive.blobs import S3BlobStore
from archive.blobs.base import BlobRetained, LockMode
from archive.models import DocumentChange
from archive.types import BlobKey
from ingest.pipeline import process_document
from tests.retention.conftest import Officer
from tests.retention.test_disposition import _approved_batch, _due_document
from tests.web.test_orphans import orphans
from web.services import Services


def add_version(officer: Officer, staff_key: str, doc: str, content: str, reason: str) -> str:
    response = officer.client.post(
        f"/api/v1/documents/{doc}/versions",
        files={"file": ("v.txt", content.encode(), "text/plain")},
        data={"metadata": json.dumps({"reason": reason})},
        headers={"X-API-Key": staff_key},
    )
    assert response.status_code == 201, response.text
    return str(response.json()["sha256"])


def test_a_hold_freezes_every_version_and_destruction_removes_them_all(
    officer: Officer, second_officer: Officer, ingest, staff_key: str, organisation: Services
) -> None:
    officer.post("/api/v1/retention/series/defaults")
    doc = _due_document(officer, ingest, "起案文書 第1版 あさがお")
    keys = [officer.get(f"/api/v1/documents/{doc}").json()["versions"][0]["sha256"]]
    keys.append(add_version(officer, staff_key, doc, "起案文書 第2版 あさがお", "誤記訂正"))
    process_document(organisation.pipeline(), doc)
    hold = officer.post(
        "/api/v1/retention/holds",
        json={"name": "監査 第3号", "reason": "監査中", "document_ids": [doc]},
    )
    assert hold.status_code == 201, hold.text
    keys.append(add_version(officer, staff_key, doc, "起案文書 第3版 あさがお", "再訂正"))
    process_document(organisation.pipeline(), doc)
    assert all(organisation.store.lock(BlobKey(k)).legal_hold for k in keys)
    with pytest.raises(BlobRetained):
        organisation.store.delete(BlobKey(keys[0]))
    assert officer.post("/api/v1/retention/run", json={}).json()["held"] == [doc]

    officer.post(
        f"/api/v1/retention/holds/{hold.json()['hold']['id']}/release",
        json={"reason": "監査終了", "all": True},
    )
    batch = _approved_batch(officer, second_officer)
    executed = officer.post(f"/api/v1/retention/batches/{batch['id']}/execute").json()
    assert executed["items"][0]["outcome"] == "destroyed", executed
    assert all(organisation.store.stat(BlobKey(k)) is None for k in keys)
    with organisation.sessions() as session:
        assert session.scalar(select(func.count()).select_from(DocumentChange)) == 0
    assert orphans(organisation) == []


def test_a_transfer_package_carries_every_version_and_the_history(
    officer: Officer, second_officer: Officer, ingest, staff_key: str
) -> None:
    officer.post("/api/v1/retention/series/defaults")
    officer.post(
        "/api/v1/retention/series",
        json={"code": "REKISHI-01", "name": "歴史公文書", "period_years": 1, "action": "transfer"},
    )
    doc = _due_document(officer, ingest, "市制100周年 記念式典 記録", series="REKISHI-01")
    first = officer.get(f"/api/v1/documents/{doc}").json()["versions"][0]["sha256"]
    second = add_version(
        officer, staff_key, doc, "市制100周年 記念式典 記録（訂正版）", "来賓名の訂正"
    )
    officer.client.patch(
        f"/api/v1/documents/{doc}", json={"title": "記念式典記録", "reason": "表題統一"}
    )
    batch = _approved_batch(officer, second_officer)
    executed = officer.post(f"/api/v1/retention/batches/{batch['id']}/execute").json()
    assert executed["items"][0]["outcome"] == "transferred", executed
    bag = bagit.Bag(executed["transfer_bag"])
    bag.validate()
    entries = bag.payload_entries()
    assert entries[f"data/{doc}/v1.txt"]["sha256"] == first
    assert entries[f"data/{doc}/v2.txt"]["sha256"] == second
    with open(f"{executed['transfer_bag']}/data/{doc}/metadata.json", encoding="utf-8") as f:
        metadata = json.load(f)
    assert [(v["number"], v["reason"]) for v in metadata["versions"]] == [
        (1, None),
        (2, "来賓名の訂正"),
    ]
    assert [(h["field"], h["reason"]) for h in metadata["history"]] == [
        ("series", None),
        ("disposition_date", None),
        ("title", "表題統一"),
    ]
    assert json.loads(metadata["history"][0]["new_value"]) == "REKISHI-01"


def test_an_old_version_cannot_be_deleted_behind_bunkos_back_under_object_lock(
    officer: Officer, ingest, staff_key: str, organisation: Services
) -> None:
    """GIVEN a declared record with two versions WHEN its first version's object is deleted
    directly (S3 with the object's version id; the local store on the embedded stack) THEN the
    lock refuses it and the bytes stay."""
    officer.post("/api/v1/retention/series/defaults")
    doc = ingest("支払 請求書 第1版", title="請求書", document_date="2025-06-10")
    assigned = officer.put(f"/api/v1/documents/{doc}/retention", json={"series": "SEIKYU-07"})
    assert assigned.status_code == 200
    old = officer.get(f"/api/v1/documents/{doc}").json()["versions"][0]["sha256"]
    new = add_version(officer, staff_key, doc, "支払 請求書 第2版", "金額の訂正")
    process_document(organisation.pipeline(), doc)
    store = organisation.store
    assert {store.lock(BlobKey(k)).mode for k in (old, new)} == {LockMode.COMPLIANCE}
    if isinstance(store, S3BlobStore):
        raw = Minio(
            os.environ["BUNKO_TEST_S3_ENDPOINT"],
            os.environ["BUNKO_TEST_S3_ACCESS_KEY"],
            os.environ["BUNKO_TEST_S3_SECRET_KEY"],
            secure=False,
        )
        name = f"sha256/{old}"
        object_version = raw.stat_object(store.bucket, name).version_id
        with pytest.raises(S3Error) as refused:
            raw.remove_object(store.bucket, name, version_id=object_version)
        assert refused.value.code == "AccessDenied"
    with pytest.raises(BlobRetained):
        store.delete(BlobKey(old), bypass_governance=True)
    content = officer.get(f"/api/v1/documents/{doc}/versions/1/content")
    assert content.status_code == 200 and "第1版" in content.text
