"""The audit log: every access recorded, chained, verifiable, readable by the right people."""

from __future__ import annotations

import csv
import io
import os

from fastapi.testclient import TestClient
from sqlalchemy import text

from archive.access import SecurityLevel
from tests.cli import bunko
from tests.factories import key_for, org, upload_as
from web.services import Services


def test_every_access_is_recorded_in_a_verifiable_chain(
    anonymous: TestClient, services: Services
) -> None:
    org(services)
    staff = key_for(services, "somu")
    officer = key_for(services, None, scopes=("read", "admin"), clearance=SecurityLevel.SECRET)
    doc = upload_as(anonymous, staff, b"minutes of the meeting", title="議事録")
    anonymous.get(f"/api/v1/documents/{doc}", headers={"X-API-Key": staff})
    anonymous.get(f"/api/v1/documents/{doc}/content", headers={"X-API-Key": staff})
    anonymous.get("/api/v1/documents", headers={"X-API-Key": "bk_bad_key"})

    log = anonymous.get(
        "/api/v1/audit", headers={"X-API-Key": officer}, params={"limit": 500}
    ).json()["items"]
    actions = [(e["action"], e["outcome"]) for e in reversed(log)]
    for expected in [
        ("document.upload", "ok"),
        ("document.view", "ok"),
        ("document.download", "ok"),
        ("auth.api_key", "denied"),
    ]:
        assert expected in actions
    upload = next(e for e in log if e["action"] == "document.upload")
    assert upload["target"] == doc and upload["actor"].startswith("apikey:") and upload["client_ip"]

    verified = bunko(services.settings, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "audit log intact" in verified.stdout


def test_an_edited_or_deleted_row_is_pinpointed(anonymous: TestClient, services: Services) -> None:
    org(services)
    staff = key_for(services, "somu")
    for n in range(4):
        upload_as(anonymous, staff, f"record {n}".encode())
    with services.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET actor = 'apikey:someone-else' WHERE seq = 3"))
    edited = bunko(services.settings, "audit", "verify")
    assert edited.returncode == 1
    assert "broken at entry 3" in edited.stdout and "altered" in edited.stdout

    with services.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events WHERE seq = 3"))
    deleted = bunko(services.settings, "audit", "verify")
    assert deleted.returncode == 1
    assert "broken at entry 3" in deleted.stdout and "missing" in deleted.stdout


def test_audit_api_is_for_officers_and_admins_only_and_exports_csv(
    anonymous: TestClient, services: Services
) -> None:
    org(services)
    staff = key_for(services, "somu")
    upload_as(anonymous, staff, b'=HYPERLINK("http://evil")', title="=cmd|' /C calc'!A0")
    assert anonymous.get("/api/v1/audit", headers={"X-API-Key": staff}).status_code == 403
    admin = key_for(services, None, scopes=("admin",))
    filtered = anonymous.get(
        "/api/v1/audit", params={"action": "document."}, headers={"X-API-Key": admin}
    ).json()
    assert {e["action"] for e in filtered["items"]} == {"document.upload"}
    export = anonymous.get("/api/v1/audit/export.csv", headers={"X-API-Key": admin})
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert rows and all(
        not cell.startswith(("=", "+", "@")) for row in rows for cell in row.values()
    )
    assert (
        anonymous.get(
            "/api/v1/audit", params={"outcome": "maybe"}, headers={"X-API-Key": admin}
        ).status_code
        == 422
    )


def test_cli_manages_people_departments_and_keys(services: Services, tmp_path: object) -> None:
    csv_text = "code,name,parent_code,name_en\nkyoiku-gakko,学校課,kyoiku,Schools\nkyoiku,教育委員会,,Board of Education\n"
    path = os.path.join(str(tmp_path), "departments.csv")
    with open(path, "w", encoding="utf-8") as out:
        out.write(csv_text)
    imported = bunko(services.settings, "dept", "import", path)
    assert imported.returncode == 0, imported.stderr
    assert "added 2 departments" in imported.stdout
    added = bunko(
        services.settings,
        "user",
        "add",
        "yamada",
        "--name",
        "山田 花子",
        "--dept",
        "kyoiku-gakko",
        "--role",
        "records_officer",
        "--password-stdin",
        stdin="a long enough password\n",
    )
    assert added.returncode == 0, added.stderr
    short = bunko(
        services.settings, "user", "passwd", "yamada", "--password-stdin", stdin="short\n"
    )
    assert short.returncode != 0 and "at least" in short.stderr
    assert bunko(services.settings, "user", "disable", "yamada").returncode == 0
    unknown = bunko(services.settings, "user", "disable", "nobody")
    assert unknown.returncode != 0 and "no user" in unknown.stderr
    key = bunko(
        services.settings,
        "apikey",
        "create",
        "--name",
        "budget",
        "--dept",
        "kyoiku",
        "--scope",
        "upload",
    )
    assert key.returncode == 0 and key.stdout.startswith("bk_")
    assert bunko(services.settings, "apikey", "revoke", "--name", "budget").returncode == 0
    cyclic = os.path.join(str(tmp_path), "cycle.csv")
    with open(cyclic, "w", encoding="utf-8") as out:
        out.write("code,name,parent_code\na,A,b\nb,B,a\n")
    assert "cycle" in bunko(services.settings, "dept", "import", cyclic).stderr


def test_the_audit_log_names_only_documents_the_reader_may_read(
    anonymous: TestClient, services: Services
) -> None:
    """GIVEN an upload of a secret document WHEN auditors cleared to internal and to secret read the log THEN only the cleared one sees its entries."""
    org(services)
    secret_key = key_for(services, "somu", clearance=SecurityLevel.SECRET)
    hidden = upload_as(anonymous, secret_key, b"x", title="極秘案件", security_level="secret")
    shown = upload_as(anonymous, secret_key, b"y", title="通常案件")
    for clearance, sees_hidden in ((SecurityLevel.INTERNAL, False), (SecurityLevel.SECRET, True)):
        headers = {"X-API-Key": key_for(services, None, scopes=("admin",), clearance=clearance)}
        page = anonymous.get("/api/v1/audit", params={"limit": 500}, headers=headers)
        targets = {e["target"] for e in page.json()["items"]}
        assert shown in targets and (hidden in targets) == sees_hidden
        export = anonymous.get("/api/v1/audit/export.csv", headers=headers).text
        assert (hidden in export) == sees_hidden and shown in export
