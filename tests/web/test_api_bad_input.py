"""Hostile values at the edge of the API: a 4xx that names the field, never a 5xx (issue 11, defects 10, 12)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from archive.access import SecurityLevel
from tests.factories import csrf_from, key_for, org, person, sign_in, upload_as
from web.app import create_app
from web.services import Services

BEYOND_INTEGER = str(2**31)
BEYOND_BIGINT = str(2**63)
HUGE = str(2**64 + 1)


@pytest.fixture
def admin(services: Services) -> Iterator[TestClient]:
    """An administrator's API key (city-wide, may change the type and the level)."""
    org(services)
    key = key_for(
        services,
        "somu",
        scopes=("upload", "read", "search", "admin"),
        clearance=SecurityLevel.SECRET,
    )
    with TestClient(create_app(services=services), headers={"X-API-Key": key}) as client:
        yield client


@pytest.fixture
def officer(admin: TestClient, services: Services) -> Iterator[TestClient]:
    """A records and disclosure officer's browser session (cookie and CSRF header)."""
    person(
        services,
        "kiroku",
        "somu",
        roles=("records_officer", "disclosure_officer"),
        clearance=SecurityLevel.SECRET,
    )
    with TestClient(create_app(services=services)) as client:
        sign_in(client, "kiroku")
        client.headers["X-CSRF-Token"] = csrf_from(client.get("/").text)
        yield client


@pytest.fixture
def document(admin: TestClient) -> str:
    key = admin.headers["X-API-Key"]
    return upload_as(
        admin, key, "請求書 2024年4月".encode(), title="請求書", document_date="2024-04-01"
    )


def assert_refused(response: object, field: str, status: int = 422) -> None:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    error = response.json()["error"]  # type: ignore[attr-defined]
    assert error["field"] == field, error
    assert error["message"]


def test_patch_with_null_is_refused_naming_the_field(admin: TestClient, document: str) -> None:
    """GIVEN a document WHEN a PATCH sets a field that cannot be empty to null THEN 422 naming it, nothing changes."""
    before = admin.get(f"/api/v1/documents/{document}").json()
    for field in ("title", "security_level", "doc_type"):
        assert_refused(admin.patch(f"/api/v1/documents/{document}", json={field: None}), field)
    after = admin.get(f"/api/v1/documents/{document}").json()
    assert after == before


def test_patch_with_null_date_clears_it(admin: TestClient, document: str) -> None:
    response = admin.patch(f"/api/v1/documents/{document}", json={"document_date": None})
    assert response.status_code == 200, response.text
    assert admin.get(f"/api/v1/documents/{document}").json()["document_date"] is None


def test_patch_schema_says_which_fields_may_be_null(admin: TestClient) -> None:
    schema = admin.get("/openapi.json").json()["components"]["schemas"]["DocumentPatch"]
    properties = schema["properties"]
    assert properties["title"]["type"] == "string"
    assert "anyOf" not in properties["security_level"]
    assert {"type": "null"} in properties["document_date"]["anyOf"]


ID_PARAMETERS = [
    ("admin", "GET", "/api/v1/audit?before={n}", "before"),
    ("admin", "DELETE", "/api/v1/documents/{doc}/grants/{n}", "grant_id"),
    ("admin", "GET", "/api/v1/documents/{doc}/compare?from={n}&to=1", "from"),
    ("admin", "GET", "/api/v1/documents/{doc}/compare?from=1&to={n}", "to"),
    ("officer", "GET", "/api/v1/retention/holds/{n}", "hold_id"),
    ("officer", "POST", "/api/v1/retention/holds/{n}/release", "hold_id"),
    ("officer", "DELETE", "/api/v1/retention/rules/{n}", "rule_id"),
]


def test_ids_outside_the_database_range_are_refused(
    admin: TestClient, officer: TestClient, document: str
) -> None:
    """GIVEN an id beyond its column (2^31 for keys, 2^63 for the audit log) or below 1
    WHEN used in a path or query THEN 422 naming it."""
    clients = {"admin": admin, "officer": officer}
    for who, method, url, field in ID_PARAMETERS:
        for value in (BEYOND_INTEGER, BEYOND_BIGINT, HUGE, "0", "-1"):
            if field == "before" and value == BEYOND_INTEGER:
                continue  # the audit log counts in 64 bits
            body = {"reason": "x"} if method == "POST" else None
            response = clients[who].request(method, url.format(n=value, doc=document), json=body)
            assert_refused(response, field)


def test_fiscal_year_out_of_range_is_refused(officer: TestClient) -> None:
    for year in ("9999", "-5", "0", "1899", "3000", HUGE):
        assert_refused(officer.get(f"/api/v1/retention/due?fiscal_year={year}"), "fiscal_year")


def test_fiscal_year_in_range_is_answered(officer: TestClient) -> None:
    for year in ("1900", "2024", "2999"):
        response = officer.get(f"/api/v1/retention/due?fiscal_year={year}")
        assert response.status_code == 200, response.text
        assert response.json()["fiscal_year"] == int(year)


def test_rule_priority_beyond_its_column_is_refused(officer: TestClient) -> None:
    series = {"code": "KEIYAKU-5", "name": "契約", "period_years": 5}
    assert officer.post("/api/v1/retention/series", json=series).status_code == 201
    for priority in (2**31, -(2**31) - 1, 2**64):
        rule = {"series": "KEIYAKU-5", "doc_type": "contract", "priority": priority}
        assert_refused(officer.post("/api/v1/retention/rules", json=rule), "priority")
    rule = {"series": "KEIYAKU-5", "doc_type": "contract", "priority": 2**31 - 1}
    assert officer.post("/api/v1/retention/rules", json=rule).status_code == 201


def test_unknown_request_state_filter_is_refused(officer: TestClient) -> None:
    assert_refused(officer.get("/api/v1/disclosure/requests?state=bogus"), "state")
    assert officer.get("/api/v1/disclosure/requests?state=received").status_code == 200


def test_plan_csv_with_a_stray_carriage_return_in_its_header_is_refused(
    officer: TestClient,
) -> None:
    """GIVEN a plan CSV whose header row the csv module cannot read WHEN imported THEN 422, not 500."""
    response = officer.post(
        "/api/v1/retention/series/import",
        content=b"co\rde,name\n",
        headers={"Content-Type": "text/csv"},
    )
    assert_refused(response, "csv")


def test_deeply_negated_search_is_a_400_with_the_position(admin: TestClient) -> None:
    """GIVEN "NOT "×249 x (the issue's query) WHEN searched THEN 400 with the position, not 503."""
    response = admin.get("/api/v1/search", params={"q": "NOT " * 249 + "x"})
    assert_refused(response, "q", status=400)
    assert response.json()["error"]["position"] == 4 * 32


def test_audit_action_prefix_treats_wildcards_as_characters(
    admin: TestClient, document: str
) -> None:
    """GIVEN uploads, views and audit reads WHEN filtered by a prefix with LIKE wildcards THEN they match nothing."""
    admin.get(f"/api/v1/documents/{document}")

    def actions(action: str) -> set[str]:
        response = admin.get("/api/v1/audit", params={"action": action, "limit": 500})
        assert response.status_code == 200, response.text
        return {item["action"] for item in response.json()["items"]}

    assert {"document.upload", "document.view"} <= actions("document.")
    assert all(a.startswith("document.") for a in actions("document."))
    for hostile in ("%.", "%", "_ocument.", "document%.", "%document."):
        assert actions(hostile) == set(), hostile


def test_hostile_corrections_and_field_corrections_are_refused_naming_the_field(
    admin: TestClient, document: str
) -> None:
    """GIVEN a document WHEN a correction link or a field correction carries a wrong type, a
    huge, empty or NUL value THEN 422 naming the field, and nothing changes."""
    url = f"/api/v1/documents/{document}"
    before = admin.get(f"{url}/history").json()
    for body, field in (
        ({"fields": "total_amount=1"}, "fields"),
        ({"fields": {"total_amount": 5}}, "fields.total_amount"),
        ({"fields": {"total_amount": "x" * 1001}}, "fields.total_amount"),
        ({"fields": {"note": "a\x00b"}}, "fields.note"),
        ({"fields": {"x" * 41: "1"}}, "fields.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.[key]"),
        ({"fields": {f"f_{a}{b}": "1" for a in "abc" for b in "abcdefghijklmnopqr"}}, "fields"),
        ({"department": ""}, "department"),
        ({"department": ["somu"]}, "department"),
    ):
        assert_refused(admin.patch(url, json=body), field)
    for correction, field in (
        ({"corrects": document, "reason": "x" * 1001}, "reason"),
        ({"corrects": document, "reason": ""}, "reason"),
        ({"corrects": 5}, "corrects"),
        ({"corrects": None, "external_id": "INV-1"}, "corrects"),
        ({"source_system": "budget", "external_id": "e" * 201}, "external_id"),
        ({"corrects": document, "version": 0}, "version"),
        ({"corrects": document, "version": 2**31}, "version"),
    ):
        assert_refused(admin.post(f"{url}/corrections", json=correction), field)
    refused = admin.post(
        f"{url}/corrections", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert 400 <= refused.status_code < 500
    assert admin.get(f"{url}/history").json() == before
