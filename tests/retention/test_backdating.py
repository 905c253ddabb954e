"""Bringing a disposition date earlier is a records officer's decision, kept in the history."""

from __future__ import annotations

from tests.retention.conftest import Officer


def test_staff_may_not_back_date_a_record_but_an_officer_may_with_the_dates_kept(
    officer: Officer, ingest, staff_key: str
) -> None:
    officer.post("/api/v1/retention/series/defaults")
    doc = ingest("支払 請求書", title="請求書", document_date="2024-06-10")
    assigned = officer.put(f"/api/v1/documents/{doc}/retention", json={"series": "SEIKYU-07"})
    assert assigned.json()["disposition_date"] == "2032-03-31"
    staff = {"X-API-Key": staff_key}
    url = f"/api/v1/documents/{doc}"
    refused = officer.client.patch(url, json={"document_date": "1990-06-10"}, headers=staff)
    assert refused.status_code == 403 and "earlier" in refused.json()["error"]["message"]
    assert officer.get(url).json()["document_date"] == "2024-06-10"
    assert officer.get(f"{url}/retention").json()["disposition_date"] == "2032-03-31"
    later = officer.client.patch(url, json={"document_date": "2024-07-01"}, headers=staff)
    assert later.status_code == 200
    moved = officer.client.patch(
        url, json={"document_date": "1990-06-10", "reason": "原本の日付に訂正"}
    )
    assert moved.status_code == 200, moved.text
    assert officer.get(f"{url}/retention").json()["disposition_date"] == "1998-03-31"
    changes = [h for h in officer.get(f"{url}/history").json() if h["kind"] == "change"]
    assert [(c["field"], c["old_value"], c["new_value"]) for c in changes] == [
        ("document_date", "2024-06-10", "2024-07-01"),
        ("document_date", "2024-07-01", "1990-06-10"),
        ("disposition_date", "2032-03-31", "1998-03-31"),
    ]
    assert changes[-1]["reason"] == "原本の日付に訂正"
    assert changes[-1]["actor"] == "user:tanaka"
