"""The access rule on every reader: list, get and download, on both stacks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from archive.access import SecurityLevel
from tests.factories import key_for, org, person, sign_in, upload_as
from web.app import create_app
from web.services import Services


@pytest.fixture
def app_client(services: Services) -> Iterator[TestClient]:
    org(services)
    with TestClient(create_app(services=services)) as client:
        yield client


def visible(client: TestClient, key: str) -> set[str]:
    page = client.get("/api/v1/documents", headers={"X-API-Key": key}, params={"limit": 200})
    assert page.status_code == 200
    return {item["id"] for item in page.json()["items"]}


def test_other_department_gets_404_for_confidential_by_id_and_download(
    app_client: TestClient, services: Services
) -> None:
    """GIVEN a confidential document of 人事課 WHEN 健康局 staff ask by id or download URL THEN 404, audited as denied."""
    jinji = key_for(services, "jinji", clearance=SecurityLevel.CONFIDENTIAL)
    kenko = key_for(services, "kenko", clearance=SecurityLevel.SECRET)
    doc = upload_as(app_client, jinji, b"personnel file", security_level="confidential")
    for url in (f"/api/v1/documents/{doc}", f"/api/v1/documents/{doc}/content"):
        # One request id for both, so that the bodies may be compared whole.
        asking = {"X-API-Key": kenko, "X-Request-ID": "same-id"}
        denied = app_client.get(url, headers=asking)
        missing = app_client.get(
            "/api/v1/documents/00000000-0000-0000-0000-000000000000", headers=asking
        )
        assert denied.status_code == missing.status_code == 404
        assert denied.json() == missing.json()
    assert doc not in visible(app_client, kenko)
    admin = key_for(services, None, scopes=("read", "admin"), clearance=SecurityLevel.SECRET)
    log = app_client.get(
        "/api/v1/audit", params={"target": doc, "outcome": "denied"}, headers={"X-API-Key": admin}
    )
    assert {e["action"] for e in log.json()["items"]} == {"document.view", "document.download"}


def test_public_documents_are_readable_by_all(app_client: TestClient, services: Services) -> None:
    doc = upload_as(
        app_client, key_for(services, "jinji"), b"press release", security_level="public"
    )
    assert doc in visible(app_client, key_for(services, "kenko", clearance=SecurityLevel.PUBLIC))


def test_department_subtree_and_clearance(app_client: TestClient, services: Services) -> None:
    section_doc = upload_as(app_client, key_for(services, "jinji"), b"section memo")
    bureau_doc = upload_as(app_client, key_for(services, "somu"), b"bureau memo")
    secret_doc = upload_as(
        app_client,
        key_for(services, "jinji", clearance=SecurityLevel.SECRET),
        b"s",
        security_level="secret",
    )
    bureau = key_for(services, "somu", clearance=SecurityLevel.CONFIDENTIAL)
    section = key_for(services, "jinji", clearance=SecurityLevel.CONFIDENTIAL)
    assert visible(app_client, bureau) == {
        section_doc,
        bureau_doc,
    }  # the bureau reads its sections; not above clearance
    assert visible(app_client, section) == {
        section_doc
    }  # a section does not read its bureau's documents
    assert visible(app_client, key_for(services, "kenko")) == set()
    assert secret_doc in visible(
        app_client, key_for(services, "jinji", clearance=SecurityLevel.SECRET)
    )


def test_grants_to_a_user_and_to_a_department(app_client: TestClient, services: Services) -> None:
    doc = upload_as(
        app_client, key_for(services, "jinji"), b"shared with health", security_level="confidential"
    )
    reader = person(services, "tanaka", "kenko")
    admin = {
        "X-API-Key": key_for(
            services, None, scopes=("read", "admin"), clearance=SecurityLevel.SECRET
        )
    }
    granted = app_client.post(
        f"/api/v1/documents/{doc}/grants", json={"user": reader}, headers=admin
    )
    assert granted.status_code == 201
    sign_in(app_client, reader)
    assert app_client.get(f"/api/v1/documents/{doc}").status_code == 200
    kenko_key = key_for(services, "kenko")
    assert doc not in visible(app_client, kenko_key)
    assert (
        app_client.post(
            f"/api/v1/documents/{doc}/grants", json={"department": "kenko"}, headers=admin
        ).status_code
        == 201
    )
    assert doc in visible(app_client, kenko_key)
    staff = {"X-API-Key": kenko_key}
    assert (
        app_client.post(
            f"/api/v1/documents/{doc}/grants", json={"department": "kenko"}, headers=staff
        ).status_code
        == 403
    )
    log = app_client.get("/api/v1/audit", params={"action": "permission."}, headers=admin).json()[
        "items"
    ]
    assert [(e["action"], e["outcome"]) for e in log] == [
        ("permission.admin", "denied"),
        ("permission.grant", "ok"),
        ("permission.grant", "ok"),
    ]


def test_city_wide_roles_read_every_department_up_to_clearance(
    app_client: TestClient, services: Services
) -> None:
    internal = upload_as(app_client, key_for(services, "jinji"), b"internal memo")
    secret = upload_as(
        app_client,
        key_for(services, "jinji", clearance=SecurityLevel.SECRET),
        b"x",
        security_level="secret",
    )
    person(
        services,
        "records",
        "kenko",
        roles=("records_officer",),
        clearance=SecurityLevel.CONFIDENTIAL,
    )
    sign_in(app_client, "records")
    assert app_client.get(f"/api/v1/documents/{internal}").status_code == 200
    assert app_client.get(f"/api/v1/documents/{secret}").status_code == 404


def test_key_without_the_needed_scope_is_403(app_client: TestClient, services: Services) -> None:
    read_only = key_for(services, "somu", scopes=("read",))
    response = app_client.post(
        "/api/v1/documents",
        files={"file": ("a.txt", b"a", "text/plain")},
        headers={"X-API-Key": read_only},
    )
    assert response.status_code == 403
    upload_only = key_for(services, "somu", scopes=("upload",))
    assert (
        app_client.get("/api/v1/documents", headers={"X-API-Key": upload_only}).status_code == 403
    )
    assert app_client.get("/api/v1/audit", headers={"X-API-Key": read_only}).status_code == 403


def test_filing_for_another_department_is_403(app_client: TestClient, services: Services) -> None:
    response = app_client.post(
        "/api/v1/documents",
        files={"file": ("a.txt", b"a", "text/plain")},
        data={"metadata": '{"department": "kenko"}'},
        headers={"X-API-Key": key_for(services, "somu")},
    )
    assert response.status_code == 403


def test_someone_elses_integration_key_is_a_conflict_not_a_leak(
    app_client: TestClient, services: Services
) -> None:
    meta = {"source_system": "contracts", "external_id": "C-1", "security_level": "confidential"}
    upload_as(
        app_client,
        key_for(services, "jinji", clearance=SecurityLevel.CONFIDENTIAL),
        b"contract",
        **meta,
    )
    response = app_client.post(
        "/api/v1/documents",
        files={"file": ("c.txt", b"contract", "text/plain")},
        data={"metadata": '{"source_system": "contracts", "external_id": "C-1"}'},
        headers={"X-API-Key": key_for(services, "kenko")},
    )
    assert response.status_code == 409
    assert "id" not in response.json()


@pytest.mark.parametrize(
    "hostile",
    [
        "'; DROP TABLE documents; --",
        "x' OR '1'='1",
        "<script>alert(1)</script>",
        "%' OR 1=1 --",
        "\\'\"`)",
    ],
)
def test_injection_in_every_text_field_is_inert(
    app_client: TestClient, services: Services, hostile: str
) -> None:
    key = key_for(services, "somu")
    doc = upload_as(
        app_client,
        key,
        b"injection " + hostile.encode(),
        title=hostile,
        source_system=hostile,
        external_id=hostile,
    )
    shown = app_client.get(f"/api/v1/documents/{doc}", headers={"X-API-Key": key}).json()
    assert (shown["title"], shown["source_system"], shown["external_id"]) == (
        hostile,
        hostile,
        hostile,
    )
    for param in ("department", "source_system", "cursor"):
        response = app_client.get(
            "/api/v1/documents", params={param: hostile}, headers={"X-API-Key": key}
        )
        assert response.status_code in (200, 422)
        if response.status_code == 200:
            assert {i["id"] for i in response.json()["items"]} <= {doc}
    assert visible(app_client, key_for(services, "kenko")) == set()
    bad_dept = app_client.post(
        "/api/v1/documents",
        files={"file": ("a.txt", b"a", "text/plain")},
        data={"metadata": '{"department": "' + hostile.replace('"', "").replace("\\", "") + '"}'},
        headers={"X-API-Key": key},
    )
    assert bad_dept.status_code == 422
    login_page = app_client.post(
        "/login", data={"login": hostile, "password": "x", "csrf_token": "x"}
    )
    assert "<script>alert(1)</script>" not in login_page.text
