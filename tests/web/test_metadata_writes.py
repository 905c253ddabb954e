"""Reading is not writing (issue 11, defect 2): who may change a document, and its history."""

from __future__ import annotations

from fastapi.testclient import TestClient

from archive.access import SecurityLevel
from tests.factories import key_for, org, upload_as
from web.services import Services


def patch(client: TestClient, key: str, doc: str, **body: object) -> tuple[int, dict]:  # type: ignore[type-arg]
    response = client.patch(f"/api/v1/documents/{doc}", json=body, headers={"X-API-Key": key})
    return response.status_code, response.json()


def audit_outcomes(client: TestClient, admin: str, doc: str) -> list[str]:
    items = client.get(
        "/api/v1/audit",
        params={"target": doc, "action": "document.update"},
        headers={"X-API-Key": admin},
    ).json()["items"]
    return [item["outcome"] for item in items]


def test_readers_who_do_not_own_a_document_may_not_change_it(
    services: Services, anonymous: TestClient
) -> None:
    org(services)
    owner = key_for(services, "somu", clearance=SecurityLevel.SECRET)
    other_bureau = key_for(services, "kenko", clearance=SecurityLevel.SECRET)
    admin = key_for(
        services, None, scopes=("admin", "read", "upload"), clearance=SecurityLevel.SECRET
    )
    public = upload_as(anonymous, owner, b"public notice", title="公告", security_level="public")
    secret = upload_as(anonymous, owner, b"secret memo", title="秘密", security_level="secret")
    granted = anonymous.post(
        f"/api/v1/documents/{secret}/grants",
        json={"department": "kenko"},
        headers={"X-API-Key": admin},
    )
    assert granted.status_code in (200, 201), granted.text
    for doc in (public, secret):
        assert (
            anonymous.get(
                f"/api/v1/documents/{doc}", headers={"X-API-Key": other_bureau}
            ).status_code
            == 200
        )
        status, body = patch(
            anonymous, other_bureau, doc, title="書き換え", document_date="1995-01-01"
        )
        assert status == 403 and body["error"]["code"], body
    assert (
        anonymous.get(f"/api/v1/documents/{public}", headers={"X-API-Key": owner}).json()["title"]
        == "公告"
    )
    assert audit_outcomes(anonymous, admin, public) == ["denied"]
    read_only = key_for(services, "somu", scopes=("read",))
    assert patch(anonymous, read_only, public, title="x")[0] == 403


def test_an_unreadable_document_is_404_and_the_owner_changes_with_a_reason(
    services: Services, anonymous: TestClient
) -> None:
    org(services)
    owner = key_for(services, "somu")
    section = key_for(services, "jinji")
    outsider = key_for(services, "kenko")
    doc = upload_as(anonymous, section, b"section memo", title="人事メモ")
    assert patch(anonymous, outsider, doc, title="x")[0] == 404
    status, body = patch(anonymous, owner, doc, title="人事課メモ", reason="表題の誤り")
    assert status == 200 and body["title"] == "人事課メモ"
    assert patch(anonymous, owner, doc, security_level="public")[0] == 403
    history = anonymous.get(
        f"/api/v1/documents/{doc}/history", headers={"X-API-Key": section}
    ).json()
    assert [(h["kind"], h.get("field")) for h in history] == [
        ("version", None),
        ("change", "title"),
    ]
    change = history[1]
    assert (change["old_value"], change["new_value"], change["reason"]) == (
        "人事メモ",
        "人事課メモ",
        "表題の誤り",
    )
    assert change["actor"].startswith("apikey:")
    assert (
        anonymous.get(
            f"/api/v1/documents/{doc}/history", headers={"X-API-Key": outsider}
        ).status_code
        == 404
    )


def test_bad_reasons_are_422(services: Services, anonymous: TestClient) -> None:
    org(services)
    owner = key_for(services, "somu")
    doc = upload_as(anonymous, owner, b"memo")
    for reason in ("", "x" * 1001, 5, ["a"]):
        status, body = patch(anonymous, owner, doc, title="t", reason=reason)
        assert status == 422 and "reason" in str(
            body["error"].get("field") or body["error"]["message"]
        ), body
