"""A responsive record stays at the version attached and shows when a newer one exists (issue 13)."""

from __future__ import annotations

from tests.disclosure.test_holds import BASE, _request_with
from tests.retention.conftest import Officer


def test_a_record_frozen_at_version_1_shows_that_version_2_exists(
    officer: Officer, ingest, staff_key: str
) -> None:
    doc = ingest("開示対象 第1版 あさがお".encode(), title="開示対象文書")
    rid = _request_with(officer, doc)
    records = officer.get(f"{BASE}/{rid}/records").json()
    assert [(r["version"], r["current_version"], r["newer_version"]) for r in records] == [
        (1, 1, False)
    ]
    record_page = f"/disclosure/requests/{rid}/records/{records[0]['id']}"
    assert 'id="newer-version"' not in officer.get(record_page).text

    added = officer.client.post(
        f"/api/v1/documents/{doc}/versions",
        files={"file": ("v2.txt", "開示対象 第2版 ひまわり".encode(), "text/plain")},
        headers={"X-API-Key": staff_key},
    )
    assert added.status_code == 201, added.text
    records = officer.get(f"{BASE}/{rid}/records").json()
    assert [(r["version"], r["current_version"], r["newer_version"]) for r in records] == [
        (1, 2, True)
    ]
    assert records[0]["sha256"] != added.json()["sha256"]
    page = officer.get(record_page, headers={"Accept-Language": "ja"}).text
    assert 'id="newer-version"' in page and "第2版" in page and f'href="/documents/{doc}"' in page
