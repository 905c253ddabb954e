"""One use case per operation: the page and the API record the same audit entry."""

from __future__ import annotations

import json

from tests.factories import csrf_from
from tests.retention.conftest import Officer


def _details(officer: Officer, action: str) -> list[dict[str, object]]:
    items = officer.get("/api/v1/audit", params={"action": action}).json()["items"]
    return [json.loads(e["detail"]) for e in items if e["outcome"] == "ok"]


def test_a_hold_and_a_run_from_the_page_are_recorded_as_from_the_api(
    officer: Officer, ingest
) -> None:
    """GIVEN a document WHEN an officer places a hold and runs the daily job from the pages
    and again through the API THEN each pair of audit entries carries the same facts (the
    page's hold records its reason, the page's run its as_of day)."""
    officer.post("/api/v1/retention/series/defaults")
    doc = ingest("会議録 あおぞら", title="会議録")
    token = csrf_from(officer.get("/retention").text)
    hold = {"name": "監査 R8", "reason": "会計検査", "document_ids": doc}
    placed = officer.post(
        "/retention/holds", data={"csrf_token": token, **hold}, follow_redirects=False
    )
    assert placed.status_code == 303
    assert (
        officer.post(
            "/api/v1/retention/holds", json={**hold, "name": "監査 R9", "document_ids": [doc]}
        ).status_code
        == 201
    )
    assert officer.post("/retention/run", data={"csrf_token": token}).status_code == 200
    assert officer.post("/api/v1/retention/run", json={}).status_code == 200

    api_hold, page_hold = _details(officer, "retention.hold.place")  # newest first
    for detail in (page_hold, api_hold):
        detail.pop("request_id", None)
    assert page_hold == {**api_hold, "name": "監査 R8"} and page_hold["reason"] == "会計検査"
    runs = _details(officer, "retention.run")
    assert len(runs) == 2 and all("as_of" in r for r in runs)
