"""Bulk intake with a manifest (issue 17): checked whole before anything is stored, then
stored as a batch with progress and a report; hostile ZIPs and manifests are refused."""

from __future__ import annotations

import csv
import io
import json
import time
import zipfile
from pathlib import Path

import httpx2 as httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from archive import DocumentMetadata, RowStatus, open_batch, share_of
from archive.access import SecurityLevel
from archive.intake_batches import IntakeRow
from archive.models import Document, PendingBlob
from retention import get_series, seed_default_plan
from tests.cli import bunko
from tests.factories import key_for, org
from tests.ingest.running import running
from web.batch_groups import GroupRow, store_group
from web.folders import folder_principal
from web.services import Services

BATCHES = "/api/v1/batches"


def zipped(files: dict[str, bytes], *, manifest: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        if manifest is not None:
            archive.writestr("manifest.csv", manifest)
    return buffer.getvalue()


def encrypted(archive: bytes) -> bytes:
    """``archive`` with the "encrypted" flag set on its entries (zipfile cannot write one)."""
    data = bytearray(archive)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at != -1:
            data[at + offset] |= 0x1
            at = data.find(signature, at + 4)
    return bytes(data)


def send(
    client: TestClient, key: str, archive: bytes, manifest: str | None = None, **params: str
) -> httpx.Response:
    return client.post(
        BATCHES,
        params=params,
        files={"file": ("batch.zip", archive, "application/zip")},
        data={"manifest": manifest} if manifest is not None else {},
        headers={"X-API-Key": key},
    )


def documents(client: TestClient, key: str) -> list[dict[str, object]]:
    response = client.get("/api/v1/documents", headers={"X-API-Key": key})
    assert response.status_code == 200
    return list(response.json()["items"])


def report(client: TestClient, key: str, batch_id: str) -> list[dict[str, str]]:
    response = client.get(f"{BATCHES}/{batch_id}/report.csv", headers={"X-API-Key": key})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


MANIFEST = (
    "file,title,department,document_date,external_id,level,series,contract_no\n"
    "a/one.txt,One,somu,2024-04-01,EXT-1,internal,,C-1\n"
    "two.txt,Two,jinji,,EXT-2,public,,\n"
)
FILES = {"a/one.txt": "会議録 いち".encode(), "two.txt": "会議録 に".encode()}


def test_a_manifest_is_stored_as_a_batch_with_progress_and_a_report(
    services: Services, anonymous: TestClient
) -> None:
    """GIVEN a ZIP and a CSV manifest WHEN sent THEN every row is stored with the batch id,
    the progress counts rows by status and the report names each row's document."""
    org(services)
    key = key_for(services, "somu")
    response = send(anonymous, key, zipped(FILES), MANIFEST)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["counts"] == {"stored": 2} and body["resumed"] is False
    progress = anonymous.get(body["status_url"], headers={"X-API-Key": key}).json()
    assert progress["total"] == 2 and progress["by_status"] == {"received": 2}
    rows = report(anonymous, key, body["batch_id"])
    assert [r["row"] for r in rows] == ["1", "2"]
    assert all(r["status"] == "received" and r["outcome"] == "created" for r in rows)
    one = anonymous.get(f"/api/v1/documents/{rows[0]['id']}", headers={"X-API-Key": key}).json()
    assert one["title"] == "One" and one["document_date"] == "2024-04-01"
    assert one["batch_id"] == body["batch_id"]


def test_the_same_manifest_again_resumes_and_skips_what_is_stored(
    services: Services, anonymous: TestClient
) -> None:
    org(services)
    key = key_for(services, "somu")
    first = send(anonymous, key, zipped(FILES), MANIFEST).json()
    again = send(anonymous, key, zipped(FILES), MANIFEST)
    assert again.status_code == 200
    assert again.json()["batch_id"] == first["batch_id"] and again.json()["resumed"] is True
    assert again.json()["counts"] == {"skipped": 2}
    assert len(documents(anonymous, key)) == 2


def test_invalid_rows_are_all_reported_and_nothing_is_stored(
    services: Services, anonymous: TestClient
) -> None:
    """Missing file, traversal, wrong types, duplicates, a department or level the key may not
    file: every one named by row and field, in one 422, and no document stored."""
    org(services)
    key = key_for(services, "somu")
    manifest = json.dumps(
        [
            {"file": "ok.txt", "title": "fine"},
            {"file": "missing.txt"},
            {"file": "../../etc/passwd"},
            {"file": "ok2.txt", "title": 5, "document_date": "2024-02-30", "level": "top"},
            {"file": "ok.txt"},
            {"file": "ok3.txt", "department": "kenko"},
            {"file": "ok4.txt", "level": "secret"},
            {"file": "ok5.txt", "department": "nowhere"},
            {"file": "ok6.txt", "series": "NO-SUCH-SERIES"},
            "not an object",
            {"file": "ok7.txt", "series": "KOBUN-01"},
            {"file": "ok8.txt", "series": 30},
        ]
    )
    _plan(services, retired="KOBUN-01")
    files = {f"ok{n}.txt": f"本文 {n}".encode() for n in ("", 2, 3, 4, 5, 6, 7, 8)}
    response = send(anonymous, key, zipped(files), manifest)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["field"] == "manifest"
    found = {(r["row"], r["field"]) for r in error["rows"]}
    assert found == {
        (2, "file"),
        (3, "file"),
        (4, "title"),
        (4, "document_date"),
        (4, "level"),
        (5, "file"),
        (6, "department"),
        (7, "level"),
        (8, "department"),
        (9, "series"),
        (10, None),
        (11, "series"),
        (12, "series"),
    }
    assert documents(anonymous, key) == []


def _plan(services: Services, *, retired: str | None = None) -> None:
    with services.sessions.begin() as session:
        seed_default_plan(session, created_by="test")
        if retired is not None:
            get_series(session, retired).active = False


def _series(client: TestClient, key: str, document_id: str) -> tuple[str | None, str]:
    url = f"/api/v1/documents/{document_id}/retention"
    explained = client.get(url, headers={"X-API-Key": key}).json()
    return (explained["series"] or {}).get("code"), explained["assigned_by"]


def test_a_manifest_series_files_the_document_and_only_an_officer_changes_it(
    services: Services, anonymous: TestClient
) -> None:
    """GIVEN the default file plan WHEN a row names a series THEN its document is in that
    series as it is stored, chosen by the sender; a later manifest giving a new version of it
    another series fails that row unless the sender is a records officer."""
    org(services)
    _plan(services)
    key = key_for(services, "somu")
    sent = send(
        anonymous,
        key,
        zipped({"a.txt": b"v1"}),
        "file,source_system,external_id,series\na.txt,zaimu,E-1,KOBUN-30\n",
    )
    assert sent.status_code == 201, sent.text
    document_id = report(anonymous, key, sent.json()["batch_id"])[0]["id"]
    code, assigned_by = _series(anonymous, key, document_id)
    assert code == "KOBUN-30" and assigned_by.startswith("apikey:")
    moved = send(
        anonymous,
        key,
        zipped({"a.txt": b"v2"}),
        "file,source_system,external_id,series\na.txt,zaimu,E-1,KOBUN-01\n",
    )
    row = report(anonymous, key, moved.json()["batch_id"])[0]
    assert row["status"] == "failed" and "records officer" in row["reason"], row
    officer = key_for(services, "somu", scopes=("upload", "read", "records"))
    moved = send(
        anonymous,
        officer,
        zipped({"a.txt": b"v2"}),
        "file,source_system,external_id,series\na.txt,zaimu,E-1,KOBUN-01\n",
    )
    assert report(anonymous, officer, moved.json()["batch_id"])[0]["outcome"] == "new_version"
    assert _series(anonymous, key, document_id)[0] == "KOBUN-01"


def test_partial_stores_the_valid_rows_and_reports_the_rest(
    services: Services, anonymous: TestClient
) -> None:
    org(services)
    key = key_for(services, "somu")
    manifest = "file,title\ngood.txt,Good\nmissing.txt,Gone\n"
    response = send(anonymous, key, zipped({"good.txt": b"good"}), manifest, partial="true")
    assert response.status_code == 201, response.text
    assert response.json()["counts"] == {"stored": 1, "rejected": 1}
    rows = report(anonymous, key, response.json()["batch_id"])
    assert [(r["row"], r["status"]) for r in rows] == [("1", "received"), ("2", "rejected")]
    assert "no such file" in rows[1]["reason"] and rows[1]["id"] == ""


def test_hostile_archives_are_refused_whole(services: Services, anonymous: TestClient) -> None:
    org(services)
    key = key_for(services, "somu")
    bomb = zipped({"zeros.txt": bytes(8 * 1024**2)})
    refused = send(anonymous, key, bomb, "file\nzeros.txt\n")
    assert refused.status_code == 422 and "zip bomb" in refused.json()["error"]["message"]

    refused = send(anonymous, key, encrypted(zipped({"secret.txt": b"x"})), "file\nsecret.txt\n")
    assert refused.status_code == 422 and "encrypted" in refused.json()["error"]["message"]

    refused = send(anonymous, key, b"PK\x03\x04 not a zip", "file\na.txt\n")
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "file"

    services.settings.batch_max_bytes = 1000
    refused = send(anonymous, key, zipped({"big.txt": b"x" * 2000}), "file\nbig.txt\n")
    assert refused.status_code == 413
    assert documents(anonymous, key) == []


def test_traversal_names_in_the_zip_reach_nothing_outside(
    services: Services, anonymous: TestClient, tmp_path: Path
) -> None:
    """An entry named ``../evil.txt`` cannot be named by a manifest, and is never written out."""
    org(services)
    key = key_for(services, "somu")
    archive = zipped({"../evil.txt": b"evil", "/abs.txt": b"abs", "fine.txt": b"fine"})
    refused = send(anonymous, key, archive, "file\n../evil.txt\n/abs.txt\nevil.txt\n")
    assert refused.status_code == 422
    assert [r["row"] for r in refused.json()["error"]["rows"]] == [1, 2, 3]
    assert not list(tmp_path.parent.glob("evil.txt")) and not Path("/abs.txt").exists()


def test_bad_manifests_get_clear_errors(services: Services, anonymous: TestClient) -> None:
    org(services)
    key = key_for(services, "somu")
    archive = zipped({"a.txt": b"a"})
    for manifest, expected in (
        ("file,title\n", "no rows"),
        ("[]", "no rows"),
        ("title\nx\n", "'file' column"),
        ('{"file": "a.txt"}', "a list of objects"),
        ("[{broken", "not valid JSON"),
        ("file,file\na.txt,a.txt\n", "repeats a column"),
    ):
        response = send(anonymous, key, archive, manifest)
        assert response.status_code == 422, manifest
        assert expected in response.json()["error"]["message"], manifest
    missing = send(anonymous, key, archive)
    assert missing.status_code == 422 and missing.json()["error"]["field"] == "manifest"
    huge_cell = "file,title\na.txt," + "x" * 200_000 + "\n"
    huge = send(anonymous, key, zipped({"a.txt": b"a"}, manifest=huge_cell))
    assert huge.status_code == 422 and huge.json()["error"]["rows"][0]["row"] == 1
    long_title = "file,title\na.txt," + "x" * 600 + "\n"
    too_long = send(anonymous, key, archive, long_title)
    assert too_long.json()["error"]["rows"] == [
        {"row": 1, "field": "title", "reason": "String should have at most 500 characters"}
    ]
    assert documents(anonymous, key) == []


def test_a_script_in_a_file_name_is_kept_as_text(services: Services, anonymous: TestClient) -> None:
    org(services)
    key = key_for(services, "somu")
    name = "<img src=x onerror=alert(1)>.txt"
    response = send(anonymous, key, zipped({name: b"text"}), f"file\n{name}\n")
    assert response.status_code == 201, response.text
    doc_id = report(anonymous, key, response.json()["batch_id"])[0]["id"]
    detail = anonymous.get(f"/api/v1/documents/{doc_id}", headers={"X-API-Key": key})
    assert detail.headers["content-type"] == "application/json"
    assert detail.json()["title"] == name


def test_a_batch_is_its_senders(services: Services, anonymous: TestClient) -> None:
    org(services)
    key = key_for(services, "somu")
    other = key_for(services, "somu", clearance=SecurityLevel.SECRET)
    batch_id = send(anonymous, key, zipped(FILES), MANIFEST).json()["batch_id"]
    for url in (f"{BATCHES}/{batch_id}/report.csv",):
        assert anonymous.get(url, headers={"X-API-Key": other}).status_code == 404
    reader = key_for(services, "somu", scopes=("read",))
    denied = send(anonymous, reader, zipped(FILES), MANIFEST)
    assert denied.status_code == 403


def test_a_batch_goes_through_the_front_door_to_the_index(services: Services, stack: str) -> None:
    """GIVEN a running Bunko WHEN a batch is posted over HTTP THEN the worker indexes every
    row and search finds them."""
    org(services)
    key = key_for(services, "somu")
    _plan(services)
    files = {f"doc{n}.txt": f"batchmarker{n} 会議録".encode() for n in range(3)}
    manifest = "file,title,series\n" + "".join(f"doc{n}.txt,Doc {n},KOBUN-30\n" for n in range(3))
    with running(services.settings, stack) as bunko:
        headers = {"X-API-Key": key}
        response = httpx.post(
            f"{bunko.base}{BATCHES}",
            files={"file": ("b.zip", zipped(files), "application/zip")},
            data={"manifest": manifest},
            headers=headers,
            timeout=60,
        )
        assert response.status_code == 201, response.text
        url = f"{bunko.base}{response.json()['status_url']}"
        deadline = time.monotonic() + 120
        while (progress := httpx.get(url, headers=headers, timeout=10).json())["done"] < 3:
            assert time.monotonic() < deadline, progress
            time.sleep(0.2)
        assert progress["by_status"] == {"indexed": 3}
        found = httpx.get(
            f"{bunko.base}/api/v1/search", params={"q": "batchmarker1"}, headers=headers, timeout=10
        ).json()
        assert [hit["title"] for hit in found["hits"]] == ["Doc 1"]
        retention = httpx.get(
            f"{bunko.base}/api/v1/documents/{found['hits'][0]['id']}/retention",
            headers=headers,
            timeout=10,
        ).json()
        assert retention["series"]["code"] == "KOBUN-30"  # not the rules' choice


def test_bunko_import_with_a_manifest_checks_stores_and_resumes(
    services: Services, anonymous: TestClient, tmp_path: Path
) -> None:
    """``bunko import DIR --manifest FILE`` runs the same use case on a server directory:
    a bad row (or a symbolic link out of it) refuses the whole import; fixed, it stores;
    run again, it resumes and skips."""
    org(services)
    source = tmp_path / "catalogue"
    (source / "1999").mkdir(parents=True)
    (source / "1999" / "minutes.txt").write_text("昭和の議事録", encoding="utf-8")
    (tmp_path / "outside.txt").write_text("not for import")
    (source / "link.txt").symlink_to(tmp_path / "outside.txt")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,title,department\n1999/minutes.txt,議事録,somu\nlink.txt,x,somu\n")
    refused = bunko(
        services.settings, "import", str(source), "--dept", "somu", "--manifest", str(manifest)
    )
    assert refused.returncode != 0 and "row 2: file" in refused.stderr
    manifest.write_text("file,title,department\n1999/minutes.txt,議事録,somu\n")
    result = bunko(
        services.settings, "import", str(source), "--dept", "somu", "--manifest", str(manifest)
    )
    assert result.returncode == 0, result.stderr
    assert "1 stored" in result.stdout
    again = bunko(
        services.settings, "import", str(source), "--dept", "somu", "--manifest", str(manifest)
    )
    assert "(resumed): 1 skipped" in again.stdout
    key = key_for(services, "somu")
    assert [d["title"] for d in documents(anonymous, key)] == ["議事録"]


def test_a_group_of_rows_stores_each_row_or_reports_why_not(
    services: Services, tmp_path: Path
) -> None:
    """GIVEN a group of checked rows, one of whose files vanished and two with the same bytes
    WHEN stored as one group THEN the others are stored and queued, the repeat is a skipped
    duplicate, the vanished one failed with its reason, and no claim on a blob is left."""
    org(services)
    principal = folder_principal(
        services, name="import:group", department_code="somu", clearance=SecurityLevel.INTERNAL
    )
    texts = {
        "a.txt": "会議録 甲",
        "same.txt": "会議録 甲",
        "gone.txt": "消えた",
        "c.txt": "会議録 丙",
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with services.sessions.begin() as session:
        batch_id = open_batch(session, principal, "f" * 64, len(texts))[0].id
    (tmp_path / "gone.txt").unlink()
    meta = DocumentMetadata(department="somu", bulk_share=share_of(principal))
    rows = [
        GroupRow(n, name, tmp_path / name, meta, None, None)
        for n, name in enumerate(texts, start=1)
    ]
    statuses = store_group(services, batch_id, rows, principal)
    assert statuses == [RowStatus.STORED, RowStatus.SKIPPED, RowStatus.FAILED, RowStatus.STORED]
    with services.sessions() as session:
        recorded = {r.row: r for r in session.scalars(select(IntakeRow))}
        assert recorded[2].outcome == "duplicate"
        assert recorded[2].document_id == recorded[1].document_id
        assert "gone.txt" in (recorded[3].reason or "")
        assert session.scalar(select(func.count()).select_from(PendingBlob)) == 0
        stored = session.scalars(select(Document).where(Document.batch_id == batch_id)).all()
    assert sorted(d.title for d in stored) == ["a.txt", "c.txt"]
    assert all(d.bulk_share == share_of(principal) for d in stored)
    assert services.store.stat(stored[0].current_version.blob_key) is not None
