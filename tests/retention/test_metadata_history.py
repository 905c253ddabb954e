"""Every metadata change is history (issue 13): department, series and corrected fields too."""

from __future__ import annotations

import httpx2 as httpx

from archive.models import Document
from archive.processing import reset_for_reprocessing
from ingest.pipeline import Outcome, process_document
from tests.factories import key_for
from tests.retention.conftest import Officer
from web.services import Services

INVOICE = "請求書\n株式会社ひかり商事\n請求金額 10,000円\n発行日 2024年4月1日\n"


def changes(officer: Officer, doc: str) -> list[tuple[str, object, object, str | None]]:
    history = officer.get(f"/api/v1/documents/{doc}/history").json()
    return [
        (h["field"], h["old_value"], h["new_value"], h["reason"])
        for h in history
        if h["kind"] == "change"
    ]


def test_department_series_and_field_corrections_keep_old_new_and_reason(
    officer: Officer, ingest, organisation: Services
) -> None:
    officer.post("/api/v1/retention/series/defaults")
    section = key_for(organisation, "jinji")
    bureau = key_for(organisation, "somu")
    doc = ingest(INVOICE, title="請求書", department="jinji")
    url = f"/api/v1/documents/{doc}"

    def patch(key: str | None, **body: object) -> httpx.Response:
        headers = {"X-API-Key": key} if key else {}
        return officer.client.patch(url, json=body, headers=headers)

    refused = patch(section, department="kenko")
    assert refused.status_code == 403 and "kenko" in refused.json()["error"]["message"]
    assert patch(bureau, department="nowhere").json()["error"]["field"] == "department"
    moved = patch(bureau, department="somu", reason="所管替え")
    assert moved.status_code == 200 and moved.json()["department"] == "somu"

    fields = {f["name"]: f for f in officer.get(url).json()["fields"]}
    assert fields["total_amount"]["value"] == "10000", fields
    corrected = patch(bureau, fields={"total_amount": "12,000"}, reason="金額の読み誤り")
    assert corrected.status_code == 200, corrected.text
    amount = [f for f in corrected.json()["fields"] if f["name"] == "total_amount"]
    assert [(f["value"], f["corrected_by"][:7]) for f in amount] == [("12000", "apikey:")]
    for bad in ({"total_amount": "twelve"}, {"Total-Amount": "1"}, {"total_amount": ""}):
        response = patch(bureau, fields=bad)
        assert response.status_code == 422 and "fields" in str(response.json()["error"]), bad

    assigned = officer.put(f"{url}/retention", json={"series": "KOBUN-05", "reason": "分類の訂正"})
    assert assigned.status_code == 200, assigned.text

    with organisation.sessions.begin() as session:
        document = session.get(Document, doc)
        assert document is not None
        reset_for_reprocessing(session, document)
    assert process_document(organisation.pipeline(), doc) is Outcome.PROCESSED
    again = [f for f in officer.get(url).json()["fields"] if f["name"] == "total_amount"]
    assert [f["value"] for f in again] == ["12000"]

    found = changes(officer, doc)
    assert ("department", "jinji", "somu", "所管替え") in found
    assert ("fields.total_amount", "10000", "12000", "金額の読み誤り") in found
    series = [c for c in found if c[0] == "series"]
    assert [(c[2], c[3]) for c in series] == [("KOBUN-05", "分類の訂正")]
    assert series[0][1] != "KOBUN-05"
