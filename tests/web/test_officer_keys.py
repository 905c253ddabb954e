"""API keys with officers' scopes: a records system and an e-application portal, up to their clearance."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from archive.access import SecurityLevel
from archive.errors import InvalidInput
from tests.factories import key_for, org, upload_as
from web.app import create_app
from web.services import Services


@pytest.fixture
def api(services: Services) -> TestClient:
    org(services)
    return TestClient(create_app(services=services))


def _headers(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


def test_a_records_key_reads_city_wide_up_to_its_clearance(
    api: TestClient, services: Services
) -> None:
    """GIVEN documents of another bureau WHEN a records-scoped key reads THEN it sees those within its clearance only."""
    with api:
        owner = key_for(services, "kenko", clearance=SecurityLevel.SECRET)
        confidential = upload_as(api, owner, b"confidential memo", security_level="confidential")
        secret = upload_as(api, owner, b"secret memo", security_level="secret")
        records = _headers(
            key_for(
                services, "somu", scopes=("read", "records"), clearance=SecurityLevel.CONFIDENTIAL
            )
        )
        assert api.get("/api/v1/retention/due", headers=records).status_code == 200
        assert api.get(f"/api/v1/documents/{confidential}", headers=records).status_code == 200
        assert api.get(f"/api/v1/documents/{secret}", headers=records).status_code == 404
        plain = _headers(key_for(services, "somu", scopes=("read",)))
        assert api.get("/api/v1/retention/due", headers=plain).status_code == 403
        assert api.get(f"/api/v1/documents/{confidential}", headers=plain).status_code == 404


def test_a_portal_files_disclosure_requests_with_a_disclosure_key(
    api: TestClient, services: Services
) -> None:
    """GIVEN an e-application portal's key WHEN it files a request THEN the request is received; without the scope, 403."""
    request = {
        "requester_name": "市民 花子",
        "requester_type": "individual",
        "records_sought": "2024年度の道路補修契約書",
        "channel": "online",
        "received_on": "2026-11-30",
    }
    with api:
        portal = _headers(key_for(services, "somu", scopes=("disclosure",)))
        made = api.post("/api/v1/disclosure/requests", json=request, headers=portal)
        assert made.status_code == 201, made.text
        assert made.json()["state"] == "received"
        staff = _headers(key_for(services, "somu"))
        assert (
            api.post("/api/v1/disclosure/requests", json=request, headers=staff).status_code == 403
        )


def test_unknown_scopes_are_refused(services: Services) -> None:
    org(services)
    with pytest.raises(InvalidInput, match="scopes must be among"):
        key_for(services, "somu", scopes=("read", "superuser"))
