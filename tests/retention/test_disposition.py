"""Holds, the daily run, four-eyes approval, destruction and transfer, certificates."""

from __future__ import annotations

import io
import os
import tempfile
import tracemalloc
import zipfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import bagit
from pypdf import PdfReader

from archive.blobs.base import LockMode
from retention.dates import end_of_day_utc
from retention.transfer import zip_stream
from tests.retention.conftest import Officer
from web.services import Services

OLD = "2015-05-01"  # FY2015: a 1-year record started 2016-04-01 and expired 2017-03-31


def _due_document(
    officer: Officer, ingest: Callable[..., str], text: str, series: str = "KOBUN-01"
) -> str:
    doc = ingest(text, title=text[:20], document_date=OLD)
    assigned = officer.put(f"/api/v1/documents/{doc}/retention", json={"series": series})
    assert assigned.status_code == 200, assigned.text
    return doc


def _approved_batch(officer: Officer, second: Officer, **review: object) -> dict[str, Any]:
    run = officer.post("/api/v1/retention/run", json={})
    assert run.status_code == 200, run.text
    batch_id = run.json()["batch_id"]
    assert batch_id
    assert (
        officer.post(f"/api/v1/retention/batches/{batch_id}/review", json=review).status_code == 200
    )
    approved = second.post(f"/api/v1/retention/batches/{batch_id}/approve")
    assert approved.status_code == 200, approved.text
    batch: dict[str, Any] = approved.json()
    return batch


def test_destruction_removes_everything_but_the_tombstone_and_certificate(
    officer: Officer,
    second_officer: Officer,
    ingest,
    staff_key: str,
    organisation: Services,
) -> None:
    officer.post("/api/v1/retention/series/defaults")
    doomed = _due_document(officer, ingest, "廃棄予定の起案文書 ひまわり")
    kept = ingest("保存中の起案文書 ひまわり", title="保存中", document_date="2025-05-01")
    staff = {"X-API-Key": staff_key}
    assert (
        officer.client.get(f"/api/v1/documents/{doomed}/content", headers=staff).status_code == 200
    )
    before = officer.client.get(f"/api/v1/documents/{doomed}", headers=staff).json()
    keys = [before["versions"][0]["sha256"]] + [
        d["sha256"] for d in before.get("derivatives", []) if "sha256" in d
    ]
    assert {
        h["id"]
        for h in officer.client.get(
            "/api/v1/search", params={"q": "ひまわり"}, headers=staff
        ).json()["hits"]
    } == {doomed, kept}

    batch = _approved_batch(officer, second_officer)
    assert [i["document_id"] for i in batch["items"]] == [doomed]
    assert (
        officer.client.get(f"/api/v1/documents/{doomed}", headers=staff).status_code == 200
    )  # approval alone removes nothing
    executed = officer.post(f"/api/v1/retention/batches/{batch['id']}/execute")
    assert executed.status_code == 200, executed.text
    assert (
        executed.json()["status"] == "executed"
        and executed.json()["items"][0]["outcome"] == "destroyed"
    )

    assert officer.client.get(f"/api/v1/documents/{doomed}", headers=staff).status_code == 404
    assert (
        officer.client.get(f"/api/v1/documents/{doomed}/content", headers=staff).status_code == 404
    )
    hits = officer.client.get("/api/v1/search", params={"q": "ひまわり"}, headers=staff).json()[
        "hits"
    ]
    assert [h["id"] for h in hits] == [kept]
    for key in keys:
        assert organisation.store.stat(key) is None
    tomb = officer.get(f"/api/v1/retention/disposed/{doomed}").json()
    assert (
        tomb["action"] == "destroyed"
        and tomb["series_code"] == "KOBUN-01"
        and tomb["disposition_date"] == "2017-03-31"
    )
    assert tomb["hashes"]["originals"] == [before["versions"][0]["sha256"]]
    pdf = officer.get(f"/api/v1/retention/batches/{batch['id']}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert doomed[:8] in text and "tanaka" in text and "suzuki" in text
    csv_text = officer.get(f"/api/v1/retention/batches/{batch['id']}/certificate.csv").text
    assert doomed in csv_text and "destroyed" in csv_text and "suzuki" in csv_text
    assert doomed in officer.get("/api/v1/retention/disposed.csv").text
    actions = {
        e["action"]
        for e in officer.get("/api/v1/audit", params={"action": "retention."}).json()["items"]
    }
    assert {
        "retention.run",
        "retention.batch.review",
        "retention.batch.approve",
        "retention.destroy",
    } <= actions


def test_a_hold_blocks_a_due_record_until_every_hold_is_released(
    officer: Officer,
    second_officer: Officer,
    ingest,
    organisation: Services,
) -> None:
    officer.post("/api/v1/retention/series/defaults")
    doc = _due_document(officer, ingest, "訴訟関係 文書 あさがお")
    first = officer.post(
        "/api/v1/retention/holds",
        json={"name": "訴訟 令和7(ワ)1号", "reason": "訴訟", "document_ids": [doc]},
    )
    assert first.status_code == 201, first.text
    second = officer.post(
        "/api/v1/retention/holds", json={"name": "監査", "reason": "監査中", "query": "あさがお"}
    )
    assert second.status_code == 201 and second.json()["changed"] == [doc]
    key = officer.get(f"/api/v1/documents/{doc}").json()["versions"][0]["sha256"]
    assert organisation.store.lock(key).legal_hold

    run = officer.post("/api/v1/retention/run", json={}).json()
    assert run["batch_id"] is None and run["held"] == [doc]
    officer.post(
        f"/api/v1/retention/holds/{first.json()['hold']['id']}/release",
        json={"reason": "判決確定", "all": True},
    )
    assert officer.post("/api/v1/retention/run", json={}).json()["held"] == [
        doc
    ]  # still under the second hold
    assert organisation.store.lock(key).legal_hold
    officer.post(
        f"/api/v1/retention/holds/{second.json()['hold']['id']}/release",
        json={"reason": "監査終了", "document_ids": [doc]},
    )
    assert not organisation.store.lock(key).legal_hold
    batch = _approved_batch(officer, second_officer)
    assert [i["document_id"] for i in batch["items"]] == [doc]


def test_a_hold_placed_after_approval_still_stops_execution(
    officer: Officer,
    second_officer: Officer,
    ingest,
) -> None:
    officer.post("/api/v1/retention/series/defaults")
    doc = _due_document(officer, ingest, "開示請求 対象文書")
    batch = _approved_batch(officer, second_officer)
    officer.post(
        "/api/v1/retention/holds",
        json={"name": "開示請求 第12号", "reason": "情報公開請求", "document_ids": [doc]},
    )
    executed = officer.post(f"/api/v1/retention/batches/{batch['id']}/execute").json()
    assert (
        executed["items"][0]["outcome"] == "refused"
        and "開示請求 第12号" in executed["items"][0]["outcome_detail"]
    )
    assert officer.get(f"/api/v1/documents/{doc}").status_code == 200


def test_four_eyes_and_batch_order(officer: Officer, second_officer: Officer, ingest) -> None:
    officer.post("/api/v1/retention/series/defaults")
    keep, drop = (
        _due_document(officer, ingest, "文書 いち"),
        _due_document(officer, ingest, "文書 に"),
    )
    batch_id = officer.post("/api/v1/retention/run", json={}).json()["batch_id"]
    assert (
        officer.post(f"/api/v1/retention/batches/{batch_id}/approve").status_code == 409
    )  # not reviewed
    assert (
        officer.post(f"/api/v1/retention/batches/{batch_id}/execute").status_code == 409
    )  # not approved
    no_reason = officer.post(
        f"/api/v1/retention/batches/{batch_id}/review",
        json={"exclusions": [{"document_id": keep, "reason": ""}]},
    )
    assert no_reason.status_code == 422
    reviewed = officer.post(
        f"/api/v1/retention/batches/{batch_id}/review",
        json={"exclusions": [{"document_id": keep, "reason": "歴史的価値の再検討"}]},
    )
    assert reviewed.status_code == 200
    same = officer.post(f"/api/v1/retention/batches/{batch_id}/approve")
    assert same.status_code == 403 and "four eyes" in same.json()["error"]["message"]
    assert second_officer.post(f"/api/v1/retention/batches/{batch_id}/approve").status_code == 200
    executed = second_officer.post(f"/api/v1/retention/batches/{batch_id}/execute").json()
    outcomes = {i["document_id"]: i["outcome"] for i in executed["items"]}
    assert outcomes == {keep: "excluded", drop: "destroyed"}
    assert officer.get(f"/api/v1/documents/{keep}").status_code == 200
    assert (
        officer.post("/api/v1/retention/run", json={}).json()["batch_id"] is None
    )  # excluded: not proposed again
    assert officer.post("/api/v1/retention/batches/nope/review", json={}).status_code == 404


def test_hold_on_unknown_documents_and_future_runs_are_refused(officer: Officer) -> None:
    missing = officer.post(
        "/api/v1/retention/holds",
        json={"name": "x", "reason": "y", "document_ids": ["no-such-doc"]},
    )
    assert missing.status_code == 404
    empty = officer.post("/api/v1/retention/holds", json={"name": "x", "reason": "y"})
    assert empty.status_code == 422
    future = officer.post("/api/v1/retention/run", json={"as_of": "2999-01-01"})
    assert future.status_code == 422


def test_transfer_writes_a_valid_bagit_package(
    officer: Officer,
    second_officer: Officer,
    ingest,
    organisation: Services,
) -> None:
    officer.post("/api/v1/retention/series/defaults")
    officer.post(
        "/api/v1/retention/series",
        json={
            "code": "REKISHI-01",
            "name": "歴史公文書",
            "period_years": 1,
            "action": "transfer",
        },
    )
    doc = _due_document(officer, ingest, "市制100周年 記念式典 記録", series="REKISHI-01")
    sha = officer.get(f"/api/v1/documents/{doc}").json()["versions"][0]["sha256"]
    batch = _approved_batch(officer, second_officer)
    executed = officer.post(f"/api/v1/retention/batches/{batch['id']}/execute").json()
    assert executed["items"][0]["outcome"] == "transferred", executed
    bag = bagit.Bag(executed["transfer_bag"])
    bag.validate()
    assert bag.info["External-Identifier"] == batch["id"]
    assert (
        f"data/{doc}/v1.txt" in bag.payload_entries()
        and f"data/{doc}/metadata.json" in bag.payload_entries()
    )
    assert bag.payload_entries()[f"data/{doc}/v1.txt"]["sha256"] == sha
    assert officer.get(f"/api/v1/documents/{doc}").status_code == 404
    assert officer.get(f"/api/v1/retention/disposed/{doc}").json()["action"] == "transferred"
    package = officer.get(f"/api/v1/retention/batches/{batch['id']}/transfer.zip")
    assert package.status_code == 200
    with zipfile.ZipFile(io.BytesIO(package.content)) as archive:
        assert any(name.endswith("bagit.txt") for name in archive.namelist())
    assert Path(executed["transfer_bag"]).is_dir()


def test_a_due_document_locked_in_storage_is_not_removed(
    officer: Officer,
    second_officer: Officer,
    ingest,
    organisation: Services,
) -> None:
    """Even an approved batch cannot remove an original the storage still retains (COMPLIANCE)."""
    officer.post("/api/v1/retention/series/defaults")
    doc = _due_document(officer, ingest, "保存期間 短縮 誤り")
    key = officer.get(f"/api/v1/documents/{doc}").json()["versions"][0]["sha256"]
    organisation.store.protect(
        key, end_of_day_utc(date.today() + timedelta(days=800)), LockMode.COMPLIANCE
    )
    assert organisation.store.lock(key).mode is LockMode.COMPLIANCE
    batch = _approved_batch(officer, second_officer)
    executed = officer.post(f"/api/v1/retention/batches/{batch['id']}/execute").json()
    assert (
        executed["items"][0]["outcome"] == "refused"
        and "storage refuses" in executed["items"][0]["outcome_detail"]
    )
    assert organisation.store.stat(key) is not None
    assert officer.get(f"/api/v1/documents/{doc}").status_code == 200


def test_the_transfer_zip_is_streamed_with_bounded_memory(
    officer: Officer, second_officer: Officer, ingest
) -> None:
    """A package far larger than the chunk size is zipped piece by piece, never whole."""
    officer.post("/api/v1/retention/series/defaults")
    officer.post(
        "/api/v1/retention/series",
        json={"code": "REKISHI-01", "name": "歴史公文書", "period_years": 1, "action": "transfer"},
    )
    doc = _due_document(officer, ingest, "市制100周年 写真帳", series="REKISHI-01")
    batch = _approved_batch(officer, second_officer)
    bag = Path(
        officer.post(f"/api/v1/retention/batches/{batch['id']}/execute").json()["transfer_bag"]
    )
    large = os.urandom(24 << 20)  # incompressible, as scanned originals are
    (bag / "data" / doc / "scan.bin").write_bytes(large)
    tracemalloc.start()
    try:
        pieces = 0
        with tempfile.TemporaryFile() as spool:
            for piece in zip_stream(bag, chunk=1 << 20):
                spool.write(piece)
                pieces += 1
            peak = tracemalloc.get_traced_memory()[1]
            spool.seek(0)
            with zipfile.ZipFile(spool) as archive:
                assert archive.read(f"{bag.name}/data/{doc}/scan.bin") == large
                assert archive.testzip() is None
    finally:
        tracemalloc.stop()
    assert pieces > 8 and peak < 8 << 20, (pieces, peak)  # whole, it would be over 24 MiB
    package = officer.get(f"/api/v1/retention/batches/{batch['id']}/transfer.zip")
    with zipfile.ZipFile(io.BytesIO(package.content)) as archive:
        assert f"{bag.name}/data/{doc}/scan.bin" in archive.namelist()
