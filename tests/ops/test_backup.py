"""Backup and restore: a drill under upload load on both stacks, incremental copies, bad inputs."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, select

from archive.access import AccessScope, SecurityLevel
from archive.backup import BackupError, check_backup, create_backup, restore_backup
from archive.backup.manifest import LATEST, read_manifest
from archive.blobs import S3BlobStore
from archive.blobs.base import LockMode
from archive.models import AuditEvent, Document, DocumentVersion
from archive.types import BlobKey
from retention import assign_by_hand, protect_document, seed_default_plan
from retention.holds import place_hold
from retention.models import DocumentRetention, Hold, HoldItem
from tests.conftest import _empty_database, stop_server
from tests.factories import upload_as
from tests.ops.conftest import Site, cli
from web.app import create_app
from web.services import Services, build_services
from web.settings import Settings

CITY = AccessScope(city_wide=True, clearance=SecurityLevel.SECRET)


def state(services: Services) -> dict[str, Any]:
    """What a restore must bring back, read straight from the database."""
    with services.sessions() as session:
        versions: dict[str, list[tuple[int, str, int]]] = {}
        for v in session.scalars(select(DocumentVersion).order_by(DocumentVersion.number)):
            versions.setdefault(v.document_id, []).append((v.number, v.blob_key, v.size))
        return {
            "documents": {
                d.id: (d.title, d.department_id) for d in session.scalars(select(Document))
            },
            "versions": versions,
            "retention": {
                r.document_id: (r.series_id, r.disposition_date, r.lock_until)
                for r in session.scalars(select(DocumentRetention))
            },
            "holds": sorted((h.name, h.reason) for h in session.scalars(select(Hold))),
            "hold_items": sorted(
                (i.hold_id, i.document_id) for i in session.scalars(select(HoldItem))
            ),
            "audit": [
                (e.seq, e.hash)
                for e in session.scalars(select(AuditEvent).order_by(AuditEvent.seq))
            ],
        }


def _upload_in_background(site: Site, count: int) -> tuple[threading.Thread, list[str]]:
    accepted: list[str] = []

    def run() -> None:
        for n in range(count):
            response = site.upload(f"load {n} {uuid.uuid4().hex}".encode(), f"load-{n}.txt")
            assert response.status_code == 202, response.text
            accepted.append(response.json()["id"])

    thread = threading.Thread(target=run)
    thread.start()
    return thread, accepted


def test_restore_drill_under_upload_load(
    site: Site, target: Settings, stack: str, tmp_path: Path
) -> None:
    """GIVEN a server taking uploads WHEN it is backed up, destroyed and restored THEN every record is back."""
    services = site.services
    with services.sessions.begin() as session:
        seed_default_plan(session, created_by="test")  # retention dates at ingest
    before = [
        site.upload(f"drill record {n} word{n}zq".encode(), f"before-{n}.txt").json()["id"]
        for n in range(6)
    ]
    site.wait_indexed(before)
    with services.sessions.begin() as session:
        for document_id in before[2:4]:
            assign_by_hand(session, document_id, actor="test", series_code="KOBUN-05")
            protect_document(session, services.store, document_id, permanent=False)
        place_hold(
            services.backends(session),
            name="audit-2026",
            reason="監査",
            actor="test",
            scope=CITY,
            document_ids=before[:2],
        )
    thread, accepted = _upload_in_background(site, 24)
    deadline = time.monotonic() + 60
    while len(accepted) < 3 and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    dest = tmp_path / "backup"
    result = cli(services.settings, "backup", str(dest))
    thread.join(timeout=120)
    assert result.returncode == 0, result.stderr
    assert len(accepted) == 24
    source = state(services)
    manifest = read_manifest(dest / "snapshots" / (dest / LATEST).read_text().strip())

    # Destroy the original, then restore into an empty place.
    if stack == "embedded":
        import shutil

        # The machine is lost: its server and embedded worker stop writing (the worker could
        # still be indexing the uploads, racing the removal).
        stop_server(site.server)
        shutil.rmtree(services.settings.data_dir)
    else:
        _empty_database(services)
    restored = cli(target, "restore", str(dest))
    assert restored.returncode == 0, restored.stderr
    assert cli(target, "verify").returncode == 0
    audit = cli(target, "audit", "verify")
    assert audit.returncode == 0 and "intact" in audit.stdout

    back_services = build_services(target)
    try:
        back = state(back_services)
        seq = manifest.audit_head.seq
        assert len(back["documents"]) == manifest.counts["documents"] >= len(before)
        assert set(before) <= set(back["documents"])
        for document_id, row in back["documents"].items():
            assert source["documents"][document_id] == row
            assert source["versions"][document_id] == back["versions"][document_id]
        assert {d: source["retention"][d] for d in before} == {
            d: back["retention"][d] for d in before
        }
        assert any(back["retention"][d][1] is not None for d in before)
        assert back["holds"] == source["holds"] and back["hold_items"] == source["hold_items"]
        assert back["audit"][:seq] == source["audit"][:seq]
        for document_id in before[:2]:
            key = BlobKey(back["versions"][document_id][0][1])
            assert back_services.store.lock(key).legal_hold
        locked = back_services.store.lock(BlobKey(back["versions"][before[3]][0][1]))
        assert locked.mode in (LockMode.GOVERNANCE, LockMode.COMPLIANCE)
        with TestClient(create_app(services=back_services)) as client:
            found = client.get(
                "/api/v1/search", params={"q": "word3zq"}, headers={"X-API-Key": site.key}
            )
        assert found.status_code == 200, found.text
        assert [hit["id"] for hit in found.json()["hits"]] == [before[3]]
    finally:
        back_services.close()


@pytest.fixture
def made(services: Services, client: TestClient, api_key: str, tmp_path: Path) -> Path:
    """A backup directory holding one snapshot of two uploaded documents."""
    for n in range(2):
        upload_as(client, api_key, f"backed up {n}".encode(), title=f"b{n}")
    create_backup(services.engine, services.store, tmp_path / "made")
    return tmp_path / "made"


def test_second_backup_copies_only_new_blobs(
    services: Services, client: TestClient, api_key: str, made: Path
) -> None:
    """GIVEN a backup WHEN one more document arrives and DEST is backed up again THEN only its blob is copied."""
    upload_as(client, api_key, b"the third one", title="b2")
    report = create_backup(services.engine, services.store, made)
    assert (report.tally.copied, report.tally.reused) == (1, 2)
    assert report.manifest.counts["documents"] == 3
    assert (made / LATEST).read_text().strip() == report.snapshot.name
    assert len(list((made / "snapshots").iterdir())) == 2
    check_backup(made)  # every file of the newest snapshot matches its manifest


def test_backup_refuses_a_destination_it_cannot_write(settings: Settings, tmp_path: Path) -> None:
    """GIVEN DEST below a plain file WHEN bunko backup runs THEN it exits 1 naming DEST, writing nothing."""
    blocker = tmp_path / "a-file"
    blocker.write_bytes(b"")
    result = cli(settings, "backup", str(blocker / "backup"))
    assert result.returncode == 1
    assert f"{blocker / 'backup'}: not writable" in result.stderr


def _latest(made: Path) -> Path:
    return made / "snapshots" / (made / LATEST).read_text().strip()


def _tamper_blob(made: Path) -> str:
    manifest = read_manifest(_latest(made))
    path = made / "blobs" / "sha256" / manifest.blobs[0].key[:2] / manifest.blobs[0].key[2:4]
    target = path / manifest.blobs[0].key
    target.chmod(0o644)
    target.write_bytes(b"tampered")
    return f"{target}: tampered or damaged"


def _tamper_database(made: Path) -> str:
    db = next(p for p in _latest(made).iterdir() if p.name.startswith("bunko."))
    with open(db, "r+b") as out:
        out.seek(200)
        out.write(b"\xff" * 16)
    return f"{db}: tampered or damaged"


def _corrupt_manifest(made: Path) -> str:
    (_latest(made) / "manifest.json").write_text('{"format": 1, "created_at": ')
    return f"{_latest(made) / 'manifest.json'}: unreadable manifest"


def _wrong_manifest(made: Path) -> str:
    path = _latest(made) / "manifest.json"
    path.write_text(path.read_text().replace('"key": "', '"key": "../', 1))
    return f"{path}: corrupt manifest at blobs.0.key"


def _no_manifest(made: Path) -> str:
    (made / LATEST).unlink()
    return f"{made}: neither LATEST nor manifest.json found"


def _dangling_latest(made: Path) -> str:
    (made / LATEST).write_text("20000101T000000000000Z\n")
    return f"{made / LATEST}: names no snapshot"


def _missing_blob(made: Path) -> str:
    key = read_manifest(_latest(made)).blobs[1].key
    path = made / "blobs" / "sha256" / key[:2] / key[2:4] / key
    path.unlink()
    return f"{path}: missing from the backup"


@pytest.mark.parametrize(
    "damage",
    [
        _tamper_blob,
        _tamper_database,
        _corrupt_manifest,
        _wrong_manifest,
        _no_manifest,
        _dangling_latest,
        _missing_blob,
    ],
)
def test_restore_refuses_a_damaged_backup_naming_the_file(
    made: Path, target: Settings, damage: Callable[[Path], str]
) -> None:
    """GIVEN a damaged backup WHEN it is restored THEN nothing is written and the error names the file."""
    expected = damage(made)
    empty = build_services(target)
    try:
        if isinstance(empty.store, S3BlobStore):
            empty.store.ensure_bucket()
        with pytest.raises(BackupError) as refused:
            restore_backup(empty.sessions, empty.store, made)
        assert expected in str(refused.value)
        with empty.engine.connect() as conn:
            assert inspect(conn).get_table_names() == []
        assert list(empty.store.keys()) == []
    finally:
        empty.close()


def test_restore_command_refuses_a_missing_source_or_a_tampered_blob(
    made: Path, target: Settings
) -> None:
    """GIVEN a missing SRC, then a tampered blob WHEN bunko restore runs THEN it exits 1 naming the file."""
    result = cli(target, "restore", str(made / "nothing-here"))
    assert result.returncode == 1
    assert f"{made / 'nothing-here'}: no such backup directory" in result.stderr
    expected = _tamper_blob(made)
    result = cli(target, "restore", str(made))
    assert result.returncode == 1
    assert expected in result.stderr


def test_restore_refuses_a_target_that_holds_data(services: Services, made: Path) -> None:
    """GIVEN the live archive as the target WHEN a backup is restored over it THEN it is refused, unchanged."""
    before = state(services)
    with pytest.raises(BackupError, match=r"refusing to restore over .*already holds tables"):
        restore_backup(services.sessions, services.store, made)
    assert state(services) == before


def test_backup_names_a_database_it_cannot_read(
    settings: Settings, stack: str, tmp_path: Path
) -> None:
    """GIVEN no database (embedded) or an unreachable one (scale) WHEN bunko backup runs THEN it exits 1 saying so."""
    if stack == "embedded":
        expected = f"{settings.data_dir.resolve() / 'bunko.db'}: no database to back up"
        broken = settings
    else:
        expected = "database unavailable"
        broken = settings.model_copy(
            update={"database_url": "postgresql+psycopg://bunko:x@127.0.0.1:1/none"}
        )
    result = cli(broken, "backup", str(tmp_path / "backup"))
    assert result.returncode == 1
    assert expected in result.stderr
    assert not (tmp_path / "backup" / LATEST).exists()
    assert list((tmp_path / "backup" / "snapshots").iterdir()) == []
