"""A request from receipt to release, on both stacks, through the API as a signed-in officer."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import httpx2 as httpx
from pypdf import PdfReader

from retention.holds import holds_on
from tests.disclosure.conftest import REQUEST, text_pdf
from tests.retention.conftest import Officer
from web.services import Services

BASE = "/api/v1/disclosure/requests"


def _create(officer: Officer, **changes: object) -> dict[str, Any]:
    response = officer.post(BASE, json={**REQUEST, **changes})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _step(officer: Officer, request_id: str, state: str) -> httpx.Response:
    return officer.post(f"{BASE}/{request_id}/state", json={"state": state})


def test_states_deadlines_and_access(officer: Officer, staff: Officer, stack: str) -> None:
    created = _create(officer)
    rid = created["id"]
    assert created["due_on"] == "2025-04-24" and created["state"] == "received"
    assert created["events"][0]["actor"] == "user:kobayashi"
    # Out of order: release, decision and closing before their time are refused.
    assert officer.post(f"{BASE}/{rid}/release", json={}).status_code == 409
    assert officer.post(f"{BASE}/{rid}/decision", json={"decision": "full"}).status_code == 409
    assert _step(officer, rid, "closed").status_code == 409
    assert _step(officer, rid, "decided").status_code == 409
    assert _step(officer, rid, "searching").status_code == 200
    # Extension up to the maximum, not past it; tolling moves the due date.
    assert (
        officer.post(f"{BASE}/{rid}/extend", json={"days": 30, "reason": "大量"}).json()["due_on"]
        == "2025-05-26"
    )
    assert (
        officer.post(f"{BASE}/{rid}/extend", json={"days": 1, "reason": "more"}).status_code == 409
    )
    assert officer.post(f"{BASE}/{rid}/pause", json={"on": "2025-04-14"}).status_code == 200
    resumed = officer.post(f"{BASE}/{rid}/resume", json={"on": "2025-04-17"}).json()
    assert resumed["due_on"] == "2025-05-27"  # three paused days: 5/24 (Sat) + 3
    assert [e["action"] for e in resumed["events"]] == [
        "received",
        "searching",
        "extended",
        "paused",
        "resumed",
    ]
    # Staff: no requester data, no workflow.
    assert staff.get(BASE).status_code == 403
    assert staff.get(f"{BASE}/{rid}").status_code == 403
    assert staff.post(BASE, json=REQUEST).status_code == 403
    board = officer.get("/api/v1/disclosure/dashboard", params={"today": "2025-05-31"}).json()
    assert [r["id"] for r in board["overdue"]] == [rid] and board["by_department"] == {
        "somu": {"searching": 1}
    }
    assert _step(officer, rid, "withdrawn").json()["hold_until"]
    audit = officer.client.get("/api/v1/audit", params={"action": "disclosure."})
    assert (
        audit.status_code == 403
    )  # disclosure officers do not read the audit log; the records officer does
    stats = officer.get("/api/v1/disclosure/statistics.csv", params={"fiscal_year": 2025}).text
    assert "requester_type,individual,1" in stats and "extensions,days_total,30" in stats


def test_receipt_to_release_with_held_frozen_redacted_records(
    officer: Officer,
    ingest,
    organisation: Services,
    tmp_path: Path,
    stack: str,
) -> None:
    doc = ingest(
        text_pdf(tmp_path / "c.pdf").read_bytes(),
        name="contract.pdf",
        media="application/pdf",
        title="道路工事契約書",
    )
    rid = _create(officer)["id"]
    _step(officer, rid, "searching")
    attached = officer.post(f"{BASE}/{rid}/records", json={"query": "PINEAPPLE"})
    assert attached.status_code == 201, attached.text
    (rec,) = attached.json()
    assert rec["document_id"] == doc
    number = officer.get(f"{BASE}/{rid}").json()["number"]
    with organisation.sessions() as session:
        assert holds_on(session, doc) == [f"情報公開請求 {number}"]
    # Redactions: a box off the page is refused; search-and-redact; a PII proposal to accept or reject.
    url = f"{BASE}/{rid}/records/{rec['id']}"
    outside = officer.post(
        f"{url}/redactions", json=[{"page": 1, "box": [500, 800, 700, 900], "category": "personal"}]
    )
    assert outside.status_code == 422
    assert (
        officer.post(
            f"{url}/redactions", json=[{"page": 2, "box": [1, 1, 2, 2], "category": "personal"}]
        ).status_code
        == 422
    )
    found = officer.post(
        f"{url}/redactions/find", json={"pattern": "PINEAPPLE", "category": "corporate"}
    ).json()
    assert found["found"] == 1
    proposals = officer.post(f"{url}/pii").json()
    assert {p["note"] for p in proposals} >= {"name", "phone"}
    _step(officer, rid, "reviewing")
    assert (
        officer.post(
            f"{BASE}/{rid}/decision", json={"decision": "partial", "reason": "個人情報"}
        ).status_code
        == 409
    )
    for p in proposals:
        officer.post(
            f"{url}/redactions/{p['id']}",
            json={"status": "accepted" if p["note"] == "name" else "rejected"},
        )
    odd = officer.post(
        f"{url}/redactions", json=[{"page": 1, "box": [60, 10, 100, 20], "category": "gut-feeling"}]
    ).json()
    refused = officer.post(
        f"{BASE}/{rid}/decision", json={"decision": "partial", "reason": "個人情報"}
    )
    assert refused.status_code == 409 and "gut-feeling" in refused.text
    officer.post(f"{url}/redactions/{odd[0]['id']}", json={"status": "rejected"})
    decided = officer.post(
        f"{BASE}/{rid}/decision",
        json={"decision": "partial", "reason": "個人情報", "decided_on": "2025-04-20"},
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["hold_until"] == "2026-04-20"
    # The notice cites the grounds of the categories used.
    notice = PdfReader(io.BytesIO(officer.get(f"{BASE}/{rid}/notice.pdf").content))
    notice_text = "".join(p.extract_text() for p in notice.pages)
    assert "第7条第1号" in notice_text and "第7条第2号" in notice_text and "部分公開" in notice_text
    assert "部分開示" not in notice_text  # the ordinance says 公開
    assert officer.get(f"{BASE}/{rid}/notice.docx").content[:2] == b"PK"
    released = officer.post(f"{BASE}/{rid}/release", json={"ocr": False})
    assert released.status_code == 200, released.text
    package = zipfile.ZipFile(io.BytesIO(officer.get(f"{BASE}/{rid}/package.zip").content))
    manifest = json.loads(package.read("manifest.json"))
    for entry in manifest["files"]:
        assert hashlib.sha256(package.read(entry["name"])).hexdigest() == entry["sha256"]
    (pdf_name,) = [n for n in package.namelist() if n.startswith("records/")]
    released_pdf = PdfReader(io.BytesIO(package.read(pdf_name)))
    assert re.sub(r"\s", "", "".join(p.extract_text() or "" for p in released_pdf.pages)) == ""
    assert b"PINEAPPLE" not in package.read(pdf_name)
    assert "corporate" in package.read("redaction_log.csv").decode("utf-8-sig")
    # Still held after release; the original is unchanged.
    with organisation.sessions() as session:
        assert holds_on(session, doc)
    assert _step(officer, rid, "closed").status_code == 200
