"""/metrics, request ids and structured logs, through a real server and the in-process app."""

from __future__ import annotations

import dataclasses
import json

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr
from sqlalchemy import select

from archive.access import SecurityLevel
from archive.models import AuditEvent
from ingest.pipeline import process_document
from tests.conftest import CORPUS
from tests.factories import key_for
from tests.ops.conftest import Site
from web.app import create_app
from web.services import Services

METRICS_TOKEN = "scrape-token-for-tests-0123456789"


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of a Prometheus text page, keyed by name and labels."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _audit_details(services: Services, action: str) -> list[dict[str, object]]:
    with services.sessions() as session:
        rows = session.scalars(select(AuditEvent.detail).where(AuditEvent.action == action))
        return [json.loads(detail) for detail in rows]


def test_metrics_scraped_over_http_after_an_upload_is_indexed(site: Site) -> None:
    """GIVEN a served upload, indexed WHEN /metrics is scraped THEN requests, bytes, steps and queue show it."""
    content = "metrics drill 請求書 ¥1,000".encode()
    response = site.upload(content, "m.txt", **{"X-Request-ID": "drill-upload-42"})
    assert response.status_code == 202, response.text
    assert response.headers["X-Request-ID"] == "drill-upload-42"
    site.wait_indexed([response.json()["id"]])
    found = httpx.get(
        f"{site.base}/api/v1/search", params={"q": "drill"}, headers={"X-API-Key": site.key}
    )
    assert found.status_code == 200
    scraped = httpx.get(f"{site.base}/metrics", headers={"X-API-Key": site.admin_key}, timeout=30)
    assert scraped.status_code == 200
    assert scraped.headers["content-type"].startswith("text/plain")
    got = samples(scraped.text)

    upload = frozenset({("method", "POST"), ("route", "/api/v1/documents"), ("status", "202")})
    assert got[("bunko_http_requests_total", upload)] == 1
    assert got[("bunko_upload_bytes_total", frozenset())] > len(content)
    assert got[("bunko_search_latency_seconds_count", frozenset())] >= 1
    assert got[("bunko_documents", frozenset({("status", "indexed")}))] == 1
    waiting = frozenset({("status", "received"), ("priority", "interactive")})
    assert got[("bunko_queue_depth", waiting)] == 0
    extract = frozenset({("step", "extract")})
    assert got[("bunko_pipeline_step_duration_seconds_count", extract)] == 1
    assert got[("bunko_pipeline_step_duration_seconds_bucket", extract | {("le", "+Inf")})] == 1
    assert got[("bunko_ocr_pages", frozenset())] == 0
    assert got[("bunko_disk_free_bytes", frozenset({("dir", "spool")}))] > 0
    assert got[("bunko_metrics_database_up", frozenset())] == 1
    assert not any(document_id in scraped.text for document_id in [response.json()["id"]])

    # The request id is in the upload's audit entry and in the server's JSON access log.
    assert "drill-upload-42" in [
        d.get("request_id") for d in _audit_details(site.services, "document.upload")
    ]
    lines = [json.loads(line) for line in site.server.output().splitlines() if line.startswith("{")]
    logged = [line for line in lines if line.get("request_id") == "drill-upload-42"]
    assert any(line["route"] == "/api/v1/documents" and line["status"] == 202 for line in logged)


@pytest.fixture
def guarded(services: Services) -> Services:
    """The test's services with a metrics token configured."""
    return dataclasses.replace(
        services,
        settings=services.settings.model_copy(update={"metrics_token": SecretStr(METRICS_TOKEN)}),
    )


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": f"Bearer {METRICS_TOKEN}x"}, 401),
        ({"Authorization": "Bearer "}, 401),
        ({"Authorization": "Basic " + "x" * 10_000}, 401),
        ({"X-API-Key": "bk_nothing_here"}, 401),
        ("staff", 403),
        ({"Authorization": f"Bearer {METRICS_TOKEN}"}, 200),
        ("admin", 200),
    ],
)
def test_metrics_answer_only_the_token_and_administrators(
    guarded: Services, api_key: str, headers: dict[str, str] | str, status: int
) -> None:
    """GIVEN a metrics token WHEN /metrics is asked by each kind of caller THEN only the token and admins read it."""
    if headers == "staff":
        headers = {"X-API-Key": api_key}
    elif headers == "admin":
        headers = {
            "X-API-Key": key_for(guarded, None, scopes=("admin",), clearance=SecurityLevel.SECRET)
        }
    assert isinstance(headers, dict)
    with TestClient(create_app(services=guarded)) as client:
        response = client.get("/metrics", headers=headers)
        assert response.status_code == status, response.text
        if status == 200:
            assert "bunko_documents" in response.text
        else:
            assert response.json()["error"]["request_id"] == response.headers["X-Request-ID"]
        assert client.post("/metrics", headers=headers).status_code == 405


@pytest.mark.parametrize(
    ("presented", "kept"),
    [
        ("abc-123.DEF:9", True),
        ("", False),
        ("x" * 129, False),
        ("has space", False),
        ("<script>alert(1)</script>", False),
        ("改行\r\nSet-Cookie: a=b", False),
    ],
)
def test_request_id_is_echoed_in_errors_and_audit_or_replaced_when_hostile(
    services: Services, client: TestClient, presented: str, kept: bool
) -> None:
    """GIVEN an X-Request-ID WHEN a request fails THEN the error body, header and audit entry carry one id."""
    headers = {b"X-Request-ID": presented.encode()}
    response = client.post(
        "/api/v1/documents", files={"file": ("empty.txt", b"", "text/plain")}, headers=headers
    )
    assert response.status_code == 400
    request_id = response.headers["X-Request-ID"]
    assert response.json()["error"]["request_id"] == request_id
    if kept:
        assert request_id == presented
    else:
        assert len(request_id) == 32 and all(c in "0123456789abcdef" for c in request_id)
    ok = client.get("/api/v1/documents", headers={"X-Request-ID": request_id})
    assert ok.status_code == 200
    assert request_id in [d.get("request_id") for d in _audit_details(services, "document.list")]


def test_ocr_pages_and_step_histograms_come_from_the_recorded_runs(
    services: Services, client: TestClient, api_key: str
) -> None:
    """GIVEN a scan read by OCR WHEN /metrics is scraped THEN its page and its OCR step are counted."""
    scan = CORPUS / "scans" / "en_tesseractjs_testocr.png"
    response = client.post(
        "/api/v1/documents", files={"file": (scan.name, scan.read_bytes(), "image/png")}
    )
    assert response.status_code == 202, response.text
    process_document(services.pipeline(), response.json()["id"])
    admin = key_for(services, None, scopes=("admin",), clearance=SecurityLevel.SECRET)
    got = samples(client.get("/metrics", headers={"X-API-Key": admin}).text)
    assert got[("bunko_ocr_pages", frozenset())] == 1
    ocr = frozenset({("step", "ocr")})
    assert got[("bunko_pipeline_step_duration_seconds_count", ocr)] == 1
    assert got[("bunko_pipeline_step_duration_seconds_sum", ocr)] > 0
    assert got[("bunko_documents", frozenset({("status", "indexed")}))] == 1
