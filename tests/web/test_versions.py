"""Versions (issue 13): corrected content becomes a new version, nothing is silently dropped."""

from __future__ import annotations

import json

import httpx2 as httpx
from fastapi.testclient import TestClient

from archive.models import utcnow
from archive.processing import StepRecord, claim
from ingest.pipeline import Outcome, fail_document, index_document, process_document
from tests.conftest import start_server, start_worker, stop, stop_server
from tests.factories import key_for, org, upload_as
from tests.ingest.test_pipeline import wait_for
from tests.web.test_orphans import orphans
from web.services import Services

KEY = {"source_system": "budget", "external_id": "INV-1"}


def send(
    client: TestClient, key: str, content: bytes, url: str = "/api/v1/documents", **meta: object
) -> httpx.Response:
    return client.post(
        url,
        files={"file": ("inv.txt", content, "text/plain")},
        data={"metadata": json.dumps(meta)},
        headers={"X-API-Key": key},
    )


def test_resending_an_integration_key_with_new_bytes_makes_version_2(
    services: Services, anonymous: TestClient
) -> None:
    org(services)
    key = key_for(services, "somu")
    first = send(anonymous, key, "請求書 金額 10,000円 あじさい".encode(), **KEY)
    assert first.status_code == 202 and first.json()["version"] == 1
    doc = first.json()["id"]
    process_document(services.pipeline(), doc)
    index_document(services.pipeline(), doc)
    second = send(anonymous, key, "請求書 金額 12,000円 ひまわり".encode(), **KEY)
    assert second.status_code == 201, second.text
    assert second.json() | {"sha256": None} == {
        "id": doc,
        "status": "received",
        "status_url": f"/api/v1/documents/{doc}",
        "outcome": "new_version",
        "sha256": None,
        "version": 2,
    }
    again = send(anonymous, key, "請求書 金額 12,000円 ひまわり".encode(), **KEY)
    assert (again.status_code, again.json()["outcome"], again.json()["version"]) == (
        200,
        "existing",
        2,
    )
    headers = {"X-API-Key": key}
    detail = anonymous.get(f"/api/v1/documents/{doc}", headers=headers).json()
    assert [v["number"] for v in detail["versions"]] == [1, 2]
    assert detail["current_version"]["number"] == 2
    v1 = anonymous.get(detail["versions"][0]["content_url"], headers=headers)
    assert v1.status_code == 200 and "10,000円" in v1.content.decode()
    assert "12,000円" in anonymous.get(f"/api/v1/documents/{doc}/content", headers=headers).text
    assert (
        anonymous.get(f"/api/v1/documents/{doc}/versions/3/content", headers=headers).status_code
        == 404
    )

    process_document(services.pipeline(), doc)
    index_document(services.pipeline(), doc)
    found = anonymous.get("/api/v1/search", params={"q": "ひまわり"}, headers=headers).json()
    assert [h["id"] for h in found["hits"]] == [doc]
    old = anonymous.get("/api/v1/search", params={"q": "あじさい"}, headers=headers).json()
    assert old["hits"] == []
    audit = anonymous.get(
        "/api/v1/search", params={"q": "あじさい versions:all"}, headers=headers
    ).json()
    assert [h["id"] for h in audit["hits"]] == [doc]
    misplaced = anonymous.get(
        "/api/v1/search", params={"q": "あじさい OR versions:all"}, headers=headers
    )
    assert misplaced.status_code == 400 and "versions" in misplaced.json()["error"]["message"]
    texts = [
        anonymous.get(
            f"/api/v1/documents/{doc}/derivatives/text", params=params, headers=headers
        ).json()["pages"][0]["text"]
        for params in ({"version": 1}, {})
    ]
    assert "あじさい" in texts[0] and "ひまわり" in texts[1]
    assert (
        anonymous.get(
            f"/api/v1/documents/{doc}/derivatives/text", params={"version": 0}, headers=headers
        ).status_code
        == 422
    )
    history = anonymous.get(f"/api/v1/documents/{doc}/history", headers=headers).json()
    assert [(h["kind"], h["version"]) for h in history] == [("version", 1), ("version", 2)]
    assert orphans(services) == []


def test_the_versions_endpoint_with_reason_and_its_bad_input(
    services: Services, anonymous: TestClient
) -> None:
    org(services)
    owner = key_for(services, "somu")
    reader = key_for(services, "kenko")
    doc = upload_as(anonymous, owner, b"contract v1", title="契約書", security_level="public")
    url = f"/api/v1/documents/{doc}/versions"
    added = send(anonymous, owner, b"contract v2", url, reason="変更契約", supersedes_version=1)
    assert (added.status_code, added.json()["outcome"], added.json()["version"]) == (
        201,
        "new_version",
        2,
    )
    same = send(anonymous, owner, b"contract v2", url)
    assert (same.status_code, same.json()["outcome"]) == (200, "existing")
    stale = send(anonymous, owner, b"contract v3?", url, supersedes_version=1)
    assert stale.status_code == 409 and "version 2" in stale.json()["error"]["message"]
    assert send(anonymous, reader, b"not yours", url).status_code == 403
    assert send(anonymous, owner, b"x", "/api/v1/documents/no-such-id/versions").status_code == 404
    hidden = upload_as(anonymous, owner, b"internal memo")
    assert send(anonymous, reader, b"x", f"/api/v1/documents/{hidden}/versions").status_code == 404
    assert send(anonymous, owner, b"", url).status_code == 400
    for bad in (
        {"reason": ""},
        {"supersedes_version": 0},
        {"supersedes_version": "x"},
        {"colour": 1},
    ):
        response = send(anonymous, owner, b"bad meta", url, **bad)
        assert response.status_code == 422 and response.json()["error"]["field"].startswith(
            "metadata"
        )
    detail = anonymous.get(f"/api/v1/documents/{doc}", headers={"X-API-Key": owner}).json()
    assert [(v["number"], v["reason"]) for v in detail["versions"]] == [(1, None), (2, "変更契約")]
    history = anonymous.get(f"/api/v1/documents/{doc}/history", headers={"X-API-Key": owner}).json()
    assert history[-1]["reason"] == "変更契約" and history[-1]["version"] == 2
    assert orphans(services) == []


def test_a_source_that_may_not_change_gets_409(services: Services, anonymous: TestClient) -> None:
    services.settings.frozen_sources = "ledger, budget"
    org(services)
    key = key_for(services, "somu")
    send(anonymous, key, b"original", **KEY)
    refused = send(anonymous, key, b"changed", **KEY)
    assert refused.status_code == 409 and "may not change" in refused.json()["error"]["message"]
    assert send(anonymous, key, b"original", **KEY).status_code == 200
    assert orphans(services) == []
    assert len(list(services.store.keys())) == 1


def test_a_new_version_goes_through_the_queue_and_the_worker_into_the_index(
    services: Services,
) -> None:
    """GIVEN a real server and worker WHEN corrected bytes are re-sent THEN search follows v2."""
    org(services)
    key = key_for(services, "somu")
    server, base = start_server(services.settings.model_copy(update={"embedded_worker": False}))
    worker = start_worker(services)
    headers = {"X-API-Key": key}

    def resend(text: str) -> dict[str, object]:
        response = httpx.post(
            f"{base}/api/v1/documents",
            files={"file": ("inv.txt", text.encode(), "text/plain")},
            data={"metadata": json.dumps(KEY)},
            headers=headers,
            timeout=30,
        )
        assert response.status_code in (201, 202), response.text
        return dict(response.json())

    def hits(word: str) -> list[str]:
        body = httpx.get(f"{base}/api/v1/search", params={"q": word}, headers=headers, timeout=30)
        return [hit["id"] for hit in body.json()["hits"]]

    try:
        doc = str(resend("請求書 第1版 すずらん")["id"])
        assert wait_for(base, key, doc, {"indexed", "failed"})["status"] == "indexed"
        assert hits("すずらん") == [doc]
        assert resend("請求書 第2版 こすもす")["version"] == 2
        final = wait_for(base, key, doc, {"indexed", "failed"})
        assert final["status"] == "indexed"
        assert final["current_version"]["number"] == 2  # type: ignore[index]
        assert hits("こすもす") == [doc] and hits("すずらん") == []
        assert hits("すずらん versions:all") == [doc]
    finally:
        stop(worker)
        stop_server(server)


def test_a_failure_of_a_superseded_version_does_not_fail_the_document(
    services: Services, anonymous: TestClient
) -> None:
    """GIVEN a worker busy with v1 WHEN v2 arrives and v1 then fails THEN v2 is still processed."""
    org(services)
    key = key_for(services, "somu")
    doc = send(anonymous, key, "第1版 ききょう".encode(), **KEY).json()["id"]
    with services.sessions.begin() as session:
        claimed = claim(session, doc)
        assert claimed is not None
        v1_id = claimed.current_version.id
    assert send(anonymous, key, "第2版 なでしこ".encode(), **KEY).status_code == 201
    failed_step = StepRecord(doc, v1_id, "extract", "failed", utcnow(), 1.0, {"error": "x"})
    fail_document(services.pipeline(), doc, "v1 could not be read", steps=[failed_step])
    status = anonymous.get(f"/api/v1/documents/{doc}", headers={"X-API-Key": key}).json()
    assert status["status"] == "received"
    assert process_document(services.pipeline(), doc) is Outcome.PROCESSED
    detail = anonymous.get(f"/api/v1/documents/{doc}", headers={"X-API-Key": key}).json()
    assert detail["current_version"]["number"] == 2 and detail["status"] in ("processed", "indexed")
