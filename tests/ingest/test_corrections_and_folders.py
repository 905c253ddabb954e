"""Officers correct types (and the model learns), admins reprocess, folders feed the archive."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from archive.access import SecurityLevel
from ingest.classify import class_of, training
from ingest.classify.model import Model
from ingest.pipeline import Outcome, process_document
from tests.cli import bunko
from tests.conftest import CORPUS
from tests.factories import key_for, org, person, sign_in, upload_as
from web.app import create_app
from web.services import Services

NOTICE = CORPUS / "public" / "ja_mhlw_tsuchi_kinkyu-hinin_2019-11-21.pdf"


@pytest.fixture(scope="module", autouse=True)
def _one_fit_per_training_set() -> Iterator[None]:
    """Both stacks train on the same examples (the built-in set and the same corrected
    notice): the fit, deterministic, runs once (~30 s) and the other stack gets the model it
    would have fitted. Each stack still gathers its corrections, stores the version and
    audits it through ``bunko classifier train``; a different set of examples fits anew."""
    fits: dict[tuple[tuple[tuple[str, str], ...], float], Model] = {}
    fit = training.train

    def train(examples: Iterable[tuple[str, str]], *, c: float = training.C) -> Model:
        key = (tuple(examples), c)
        if key not in fits:
            fits[key] = fit(key[0], c=c)
        return fits[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(training, "train", train)
        yield


def test_an_officer_corrects_the_type_and_the_model_learns_it(services: Services) -> None:
    org(services)
    staff_key = key_for(services, "somu")
    person(services, "records", "somu", roles=("records_officer",), clearance=SecurityLevel.SECRET)
    with TestClient(create_app(services=services)) as client:
        doc = upload_as(client, staff_key, NOTICE.read_bytes(), title="通知")
        assert process_document(services.pipeline(), doc) is Outcome.PROCESSED
        staff = {"X-API-Key": staff_key}
        typed = client.get(f"/api/v1/documents/{doc}", headers=staff).json()
        assert class_of(typed["subtype"]) == typed["doc_type"]
        assert (
            client.patch(
                f"/api/v1/documents/{doc}", json={"doc_type": "contract"}, headers=staff
            ).status_code
            == 403
        )
        assert (
            client.patch(
                f"/api/v1/documents/{doc}", json={"doc_type": "poem"}, headers=staff
            ).status_code
            == 422
        )
        renamed = client.patch(
            f"/api/v1/documents/{doc}", json={"title": "緊急避妊 通知"}, headers=staff
        )
        assert renamed.status_code == 200 and renamed.json()["title"] == "緊急避妊 通知"

        sign_in(client, "records")
        token = client.get("/").text.split('name="csrf_token" value="')[1].split('"')[0]
        corrected = client.patch(
            f"/api/v1/documents/{doc}",
            json={"doc_type": "contract"},
            headers={"X-CSRF-Token": token},
        )
        assert corrected.status_code == 200
        assert (
            corrected.json()["type_source"] == "officer"
            and corrected.json()["status"] == "received"
        )
        assert process_document(services.pipeline(), doc) is Outcome.PROCESSED
        after = client.get(f"/api/v1/documents/{doc}").json()
        assert (after["doc_type"], after["type_source"]) == ("contract", "officer")
        assert after["subtype"] is None  # the model's finer type no longer stands
        log = client.get("/api/v1/audit", params={"action": "document.update"}).json()["items"]
        assert any('"doc_type"' in e["detail"] for e in log)

    trained = bunko(services.settings, "classifier", "train")
    assert trained.returncode == 0, trained.stderr
    assert "model version 1" in trained.stdout and "1 corrections" in trained.stdout


def test_admin_reprocesses_from_the_unchanged_original(services: Services) -> None:
    org(services)
    staff = key_for(services, "somu")
    admin = key_for(services, None, scopes=("read", "admin"), clearance=SecurityLevel.SECRET)
    with TestClient(create_app(services=services)) as client:
        doc = upload_as(client, staff, NOTICE.read_bytes())
        process_document(services.pipeline(), doc)
        before = client.get(f"/api/v1/documents/{doc}", headers={"X-API-Key": admin}).json()
        assert (
            client.post(
                f"/api/v1/documents/{doc}/reprocess", headers={"X-API-Key": staff}
            ).status_code
            == 403
        )
        response = client.post(f"/api/v1/documents/{doc}/reprocess", headers={"X-API-Key": admin})
        assert response.status_code == 202
        waiting = client.get(f"/api/v1/documents/{doc}", headers={"X-API-Key": admin}).json()
        assert (
            waiting["status"] == "received" and waiting["steps"] == [] and waiting["fields"] == []
        )
        process_document(services.pipeline(), doc)
        again = client.get(f"/api/v1/documents/{doc}", headers={"X-API-Key": admin}).json()
        assert again["current_version"]["sha256"] == before["current_version"]["sha256"]
        assert again["doc_type"] == before["doc_type"] and again["status"] == "indexed"


def test_bulk_import_stores_every_file_and_reports_failures(
    services: Services, tmp_path: Path
) -> None:
    org(services)
    source = tmp_path / "scans"
    (source / "2024").mkdir(parents=True)
    (source / "2024" / "notice.pdf").write_bytes(NOTICE.read_bytes())
    (source / "memo.txt").write_text("内部メモ: 会議は3時から", encoding="cp932")
    (source / "empty.pdf").write_bytes(b"")
    (source / ".hidden").write_text("skip me")
    result = bunko(services.settings, "import", str(source), "--dept", "somu")
    assert result.returncode == 0, result.stderr
    assert "2 created" in result.stdout and "1 failed" in result.stdout
    assert "empty" in result.stderr
    assert (source / "memo.txt").exists()  # an import leaves the files where they are
    again = bunko(services.settings, "import", str(source), "--dept", "somu")
    assert "2 duplicate" in again.stdout


def test_watched_folder_moves_files_aside_only_once_stored(
    services: Services, tmp_path: Path
) -> None:
    org(services)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "scan-001.pdf").write_bytes(NOTICE.read_bytes())
    (inbox / "broken.pdf").write_bytes(b"")
    result = bunko(
        services.settings, "watch", str(inbox), "--dept", "somu", "--once", "--interval", "0.2"
    )
    assert result.returncode == 0, result.stderr
    done = list((inbox / ".bunko-done").rglob("scan-001.pdf"))
    failed = list((inbox / ".bunko-failed").rglob("broken.pdf"))
    assert len(done) == 1 and len(failed) == 1
    assert "empty" in failed[0].with_name("broken.pdf.reason.txt").read_text()
    assert not (inbox / "scan-001.pdf").exists()
    with services.sessions() as session:
        from sqlalchemy import func, select

        from archive import Document

        assert session.scalar(select(func.count()).select_from(Document)) == 1
