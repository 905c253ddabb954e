"""Holds act on wholes only for officers who may read every document in them."""

from __future__ import annotations

import json
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select

from archive.access import SecurityLevel
from archive.models import AuditEvent
from retention.holds import holds_on
from tests.factories import csrf_from, key_for, person, sign_in, upload_as
from tests.retention.conftest import Officer
from web.app import create_app
from web.services import Services


def _denials(services: Services, action: str) -> list[str]:
    with services.sessions() as session:
        rows = session.scalars(
            select(AuditEvent.actor).where(
                AuditEvent.action == action, AuditEvent.outcome == "denied"
            )
        )
        return list(rows)


def test_files_and_whole_holds_need_clearance_for_every_document(
    organisation: Services, officer: Officer
) -> None:
    """GIVEN a file and a hold holding a secret document WHEN an officer cleared to internal holds the file or releases the whole hold THEN 403, audited, nothing changed; the cleared officer may."""
    secret_key = key_for(organisation, "somu", clearance=SecurityLevel.SECRET)
    plain = upload_as(officer.client, secret_key, b"plain memo")
    secret = upload_as(officer.client, secret_key, b"secret memo", security_level="secret")
    officer.post("/api/v1/retention/series/defaults")
    series = officer.get("/api/v1/retention/series").json()[0]["code"]
    made = officer.post(
        "/api/v1/retention/files",
        json={"series": series, "title": "令和8年度 契約", "opened_on": date.today().isoformat()},
    )
    assert made.status_code == 201, made.text
    file_id = made.json()["id"]
    filed = officer.post(
        f"/api/v1/retention/files/{file_id}/documents", json={"document_ids": [plain, secret]}
    )
    assert filed.status_code == 200, filed.text

    person(organisation, "sato", "somu", roles=("records_officer",))
    with TestClient(create_app(services=organisation)) as low:
        sign_in(low, "sato")
        low.headers["X-CSRF-Token"] = csrf_from(low.get("/").text)
        by_file = low.post(
            "/api/v1/retention/holds",
            json={"name": "監査", "reason": "会計検査", "file_ids": [file_id]},
        )
        assert by_file.status_code == 403 and "clearance" in by_file.text
        assert secret not in by_file.text
        held = officer.post(
            "/api/v1/retention/holds",
            json={"name": "監査", "reason": "会計検査", "file_ids": [file_id]},
        )
        assert held.status_code == 201, held.text
        hold_id = held.json()["hold"]["id"]
        whole = low.post(
            f"/api/v1/retention/holds/{hold_id}/release", json={"reason": "終了", "all": True}
        )
        assert whole.status_code == 403 and "clearance" in whole.text
        mine = low.post(
            f"/api/v1/retention/holds/{hold_id}/release",
            json={"reason": "対象外", "document_ids": [plain]},
        )
        assert mine.status_code == 200 and mine.json()["changed"] == [plain]
        assert json.dumps(mine.json()).count(secret) == 0
    assert _denials(organisation, "retention.hold.place") == ["user:sato"]
    assert _denials(organisation, "retention.hold.release") == ["user:sato"]
    with organisation.sessions() as session:
        assert holds_on(session, secret) == ["監査"] and holds_on(session, plain) == []
    done = officer.post(
        f"/api/v1/retention/holds/{hold_id}/release", json={"reason": "終了", "all": True}
    )
    assert done.status_code == 200 and done.json()["changed"] == [secret]
