"""Administrators edit people, reorganise departments and manage keys from the pages (in Japanese).

Each change is one use-case function shared with the CLI (``web/administration.py``) and
one audit entry; the last active administrator is never disabled or demoted; changing
one's own account and revoking a key ask first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from archive.access import SecurityLevel
from archive.models import ApiKey, AuditEvent, Department, DepartmentChange, User, utcnow
from tests.factories import PASSWORD, csrf_from, key_for, org, person, sign_in, upload_as
from web.app import create_app
from web.services import Services

ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?:[ ,']+[A-Za-z]{2,}){2,}")
"""Three English words in a row: a sentence that escaped the catalog."""


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style|code)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'<(\w+)[^>]* lang="en"[^>]*>.*?</\1>', " ", html, flags=re.S)  # English data
    return re.sub(r"<[^>]+>", " ", html)


def assert_japanese(html: str) -> None:
    assert ENGLISH.findall(visible_text(html)) == []


@pytest.fixture
def admin(services: Services) -> Iterator[TestClient]:
    """An administrator signed in, in Japanese, over 総務局 > 人事課 and 健康局."""
    org(services)
    person(services, "admin", None, roles=("admin",), clearance=SecurityLevel.SECRET)
    person(services, "sato", "jinji")
    with TestClient(create_app(services=services), headers={"Accept-Language": "ja"}) as client:
        yield sign_in(client, "admin")


def post(client: TestClient, url: str, page: str, **data: object) -> httpx.Response:
    """Submit a form at ``url`` with the CSRF token of ``page``."""
    token = csrf_from(client.get(page).text)
    return client.post(url, data={"csrf_token": token, **data}, follow_redirects=False)


def audits(services: Services, action: str) -> int:
    with services.sessions() as session:
        return int(session.scalar(select(func.count()).where(AuditEvent.action == action)) or 0)


def test_an_administrator_edits_a_person_resets_unlocks_and_re_enables(
    admin: TestClient, services: Services
) -> None:
    page = "/admin/users/sato"
    r = post(
        admin,
        page,
        page,
        roles=["staff", "records_officer"],
        department="kenko",
        clearance="confidential",
    )
    assert r.status_code == 303 and r.headers["location"] == "/admin/users/sato?changed=sato"
    shown = admin.get(r.headers["location"]).text
    assert "sato の変更を保存しました。" in shown and "文書管理担当" in shown
    assert_japanese(shown)
    with services.sessions() as session:
        sato = session.scalar(select(User).where(User.login == "sato"))
        assert sato is not None and sato.department is not None
        assert (sato.roles, sato.department.code, sato.clearance) == (
            "staff records_officer",
            "kenko",
            int(SecurityLevel.CONFIDENTIAL),
        )
    assert audits(services, "user.update") == 1

    r = post(admin, f"{page}/password", page, password="short")
    assert r.status_code == 422 and "パスワードが短すぎます。" in r.text
    assert_japanese(r.text)
    assert (
        post(admin, f"{page}/password", page, password="another good password").status_code == 303
    )

    with services.sessions.begin() as session:
        locked = session.scalar(select(User).where(User.login == "sato"))
        assert locked is not None
        locked.locked_until = utcnow() + timedelta(minutes=10)
    assert "ロック中" in admin.get(page).text
    assert post(admin, f"{page}/unlock", page).status_code == 303
    assert post(admin, f"{page}/disable", page).status_code == 303
    assert "無効" in admin.get(page).text
    assert post(admin, f"{page}/enable", page).status_code == 303
    with TestClient(create_app(services=services)) as fresh:
        sign_in(fresh, "sato", "another good password")
    for action in ("user.passwd", "user.unlock", "user.disable", "user.enable"):
        assert audits(services, action) == 1


def test_the_last_administrator_stays_and_oneself_needs_a_confirmation(
    admin: TestClient, services: Services
) -> None:
    page = "/admin/users/admin"
    r = post(admin, page, page, roles=["staff"], department="", clearance="secret")
    assert r.status_code == 200 and "ご自身の管理者の役割を外そうとしています" in r.text
    assert_japanese(r.text)
    r = post(admin, page, page, roles=["staff"], department="", clearance="secret", confirm="yes")
    assert r.status_code == 422 and "有効な管理者はこの一人だけです" in r.text
    r = post(admin, f"{page}/disable", page, confirm="yes")
    assert r.status_code == 422 and "有効な管理者はこの一人だけです" in r.text
    with services.sessions() as session:
        me = session.scalar(select(User).where(User.login == "admin"))
        assert me is not None and me.active and "admin" in me.role_set

    person(services, "suzuki", None, roles=("admin",))
    r = post(admin, f"{page}/disable", page)
    assert r.status_code == 200 and "ご自身のアカウントを無効にしようとしています" in r.text
    assert audits(services, "user.disable") == 0
    r = post(admin, f"{page}/disable", page, confirm="yes")
    assert r.status_code == 303 and audits(services, "user.disable") == 1
    assert admin.get("/admin/users", follow_redirects=False).status_code == 303  # signed out


def test_departments_are_renamed_moved_and_retired_with_history(
    admin: TestClient, services: Services
) -> None:
    key = key_for(services, "jinji")
    with TestClient(create_app(services=services)) as api:
        document = upload_as(api, key, b"jinji record", title="人事記録")
    person(services, "kenko_staff", "kenko")

    unit = "/admin/departments/jinji"
    r = post(admin, f"{unit}/rename", unit, name="職員課", name_en="Staff Section")
    assert r.status_code == 303
    r = post(admin, f"{unit}/move", unit, parent="jinji")
    assert r.status_code == 422 and "下位の所属の下へは移動できません" in r.text
    r = post(admin, "/admin/departments/somu/move", "/admin/departments/somu", parent="jinji")
    assert r.status_code == 422
    assert post(admin, f"{unit}/move", unit, parent="kenko").status_code == 303
    with services.sessions() as session:
        moved = session.scalar(select(Department).where(Department.code == "jinji"))
        kenko = session.scalar(select(Department).where(Department.code == "kenko"))
        assert moved is not None and kenko is not None
        assert moved.path == f"{kenko.path}{moved.id}/"
    with TestClient(create_app(services=services)) as reader:
        sign_in(reader, "kenko_staff")  # the bureau above now reads what its new section owns
        assert reader.get(f"/api/v1/documents/{document}").status_code == 200

    r = post(admin, f"{unit}/retire", unit)
    assert r.status_code == 200 and "廃止しますか" in r.text  # asks first
    r = post(admin, f"{unit}/retire", unit, confirm="yes")
    assert (
        r.status_code == 422
        and "先に、この所属の下位の所属・職員・APIキーを他へ移してください" in r.text
    )
    assert (
        post(
            admin,
            "/admin/users/sato",
            "/admin/users/sato",
            roles=["staff"],
            department="kenko",
            clearance="internal",
        ).status_code
        == 303
    )
    with services.sessions.begin() as session:
        for row in session.scalars(select(ApiKey)):
            row.revoked_at = utcnow()
    assert post(admin, f"{unit}/retire", unit, confirm="yes").status_code == 303

    listing = admin.get("/admin/departments?retired=jinji").text
    assert "職員課 を廃止しました。" in listing and "組織改正の履歴" in listing
    assert "人事課" in listing and "総務局" in listing and "健康局" in listing  # old and new values
    assert "user:admin" not in listing and "Admin" in listing  # the person's name
    assert "JST" in listing
    assert_japanese(listing)
    with services.sessions() as session:
        fields = [
            c.field for c in session.scalars(select(DepartmentChange).order_by(DepartmentChange.id))
        ]
    assert fields == ["name", "name_en", "parent", "retired"]
    r = post(
        admin,
        "/admin/users/sato",
        "/admin/users/sato",
        roles=["staff"],
        department="jinji",
        clearance="internal",
    )
    assert r.status_code == 422 and "この所属は廃止されています。" in r.text
    assert "jinji" not in re.findall(r'<option value="([^"]*)"', admin.get("/admin/users").text)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("", "名前"),
        ("with space", "名前"),
        ("総務", "名前"),
        ("x" * 65, "名前"),
        ("<script>", "名前"),
        ("ok-code", ""),
        ("ok-code", "名" * 201),
    ],
)
def test_bad_department_input_is_a_japanese_422(admin: TestClient, code: str, name: str) -> None:
    r = post(admin, "/admin/departments", "/admin/departments", code=code, name=name)
    assert r.status_code == 422
    assert "<script>" not in r.text.split("<main", 1)[1].split('value="', 1)[0]
    assert_japanese(r.text)


def test_bad_input_to_the_new_routes(admin: TestClient) -> None:
    assert admin.get("/admin/users/nobody").status_code == 404
    assert admin.get("/admin/departments/none").status_code == 404
    assert post(admin, "/admin/users/sato/explode", "/admin/users").status_code == 404
    assert post(admin, "/admin/departments/somu/explode", "/admin/departments").status_code == 404
    assert post(admin, "/admin/keys/nokey/revoke", "/admin/keys").status_code == 404
    r = post(admin, "/admin/users/sato", "/admin/users/sato", roles=["emperor"], clearance="top")
    assert r.status_code == 422
    assert_japanese(r.text)
    r = post(admin, "/admin/departments/somu/rename", "/admin/departments/somu", name="x" * 5000)
    assert r.status_code == 422
    r = post(admin, "/admin/departments/somu/move", "/admin/departments/somu", parent="nowhere")
    assert r.status_code == 422
    r = admin.post("/admin/users/sato/disable", data={"csrf_token": "forged"})
    assert r.status_code == 403
    r = post(
        admin,
        "/admin/keys",
        "/admin/keys",
        name="k",
        scopes=["read"],
        clearance="internal",
        expires="2001-01-01",
    )
    assert r.status_code == 422 and "有効期限は今後の日付にしてください。" in r.text
    r = post(
        admin,
        "/admin/keys",
        "/admin/keys",
        name="k",
        scopes=["read"],
        clearance="internal",
        expires="tomorrow",
    )
    assert r.status_code == 422 and "YYYY-MM-DD" in r.text


def test_keys_show_their_last_use_expire_and_are_revoked_after_a_confirmation(
    admin: TestClient, services: Services
) -> None:
    r = post(
        admin,
        "/admin/keys",
        "/admin/keys",
        name="budget",
        scopes=["read"],
        clearance="internal",
        expires="2999-03-31",
    )
    key = re.search(r'id="new-key"[^>]*>([^<]+)<', r.text)
    assert r.status_code == 200 and key is not None
    assert "未使用" in r.text and "<td>2999-03-31</td>" in r.text
    with TestClient(create_app(services=services)) as api:
        assert api.get("/api/v1/documents", headers={"X-API-Key": key.group(1)}).status_code == 200
        listing = admin.get("/admin/keys").text
        row = listing.split('data-key="budget"', 1)[1].split("</tr>", 1)[0]
        assert "JST" in row and "未使用" not in row and "閲覧" in row

        r = post(admin, "/admin/keys/budget/revoke", "/admin/keys")
        assert r.status_code == 200 and "失効させますか" in r.text
        assert api.get("/api/v1/documents", headers={"X-API-Key": key.group(1)}).status_code == 200

        with services.sessions.begin() as session:
            row_ = session.scalar(select(ApiKey).where(ApiKey.name == "budget"))
            assert row_ is not None
            row_.expires_at = utcnow() - timedelta(seconds=1)  # its last day has passed
        assert api.get("/api/v1/documents", headers={"X-API-Key": key.group(1)}).status_code == 401
        assert "期限切れ" in admin.get("/admin/keys").text

        assert (
            post(admin, "/admin/keys/budget/revoke", "/admin/keys", confirm="yes").status_code
            == 303
        )
    assert audits(services, "apikey.revoke") == 1


def test_the_sign_in_page_explains_the_first_administrator_until_there_is_one(
    services: Services,
) -> None:
    with TestClient(create_app(services=services), headers={"Accept-Language": "ja"}) as client:
        first = client.get("/login").text
        assert "管理者がまだいません" in first and "bunko user add admin" in first
        assert_japanese(first)
        person(services, "admin", None, roles=("admin",))
        assert "bunko user add" not in client.get("/login").text
        assert PASSWORD  # the factories' password signs the new administrator in
        sign_in(client, "admin")
