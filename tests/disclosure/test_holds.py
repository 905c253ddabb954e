"""The records of a request stay held: withdrawal, the yearly release by the CLI, and retention's disposition."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from disclosure.requests import one_year_after
from retention.dates import today_in_japan
from retention.holds import holds_on
from tests.disclosure.conftest import REQUEST
from tests.factories import csrf_from
from tests.retention.conftest import Officer
from tests.retention.conftest import _officer as records_officer_browser
from web.services import Services

BASE = "/api/v1/disclosure/requests"
OLD = "2015-05-01"  # a 1-year record of FY2015: due for disposal long ago


@pytest.fixture
def records_officer(organisation: Services) -> Iterator[Officer]:
    yield from records_officer_browser(organisation, "tanaka")


def _request_with(officer: Officer, *document_ids: str) -> str:
    rid = str(officer.post(BASE, json=REQUEST).json()["id"])
    officer.post(f"{BASE}/{rid}/state", json={"state": "searching"})
    attached = officer.post(f"{BASE}/{rid}/records", json={"document_ids": list(document_ids)})
    assert attached.status_code == 201, attached.text
    return rid


def test_a_withdrawn_request_ends_and_keeps_its_records_held_a_year(
    officer: Officer, ingest, organisation: Services
) -> None:
    doc = ingest(b"withdrawn request record", title="取下げ文書")
    rid = _request_with(officer, doc)
    here = f"/disclosure/requests/{rid}"
    token = csrf_from(officer.get(here).text)
    withdrawn = officer.post(
        f"{here}/state",
        data={"csrf_token": token, "state": "withdrawn", "state_note": "請求者から取下書の提出"},
        follow_redirects=False,
    )
    assert withdrawn.status_code == 303
    request = officer.get(f"{BASE}/{rid}").json()
    assert request["state"] == "withdrawn" and request["hold_until"] == str(
        one_year_after(today_in_japan())
    )
    page = officer.get(here, headers={"Accept-Language": "ja"}).text
    assert (
        "取下げ" in page
        and 'name="state"' not in page
        and 'action="' + here + '/attach"' not in page
    )
    for state in ("searching", "closed"):
        assert officer.post(f"{BASE}/{rid}/state", json={"state": state}).status_code == 409
    assert officer.post(f"{BASE}/{rid}/decision", json={"decision": "full"}).status_code == 409
    board = officer.get("/api/v1/disclosure/dashboard").json()
    assert rid not in [r["id"] for r in board["overdue"] + board["due_this_week"]]
    with organisation.sessions() as session:
        assert holds_on(session, doc)


def test_the_cli_releases_only_the_holds_whose_year_has_passed(
    officer: Officer, ingest, organisation: Services
) -> None:
    expired_doc = ingest(b"decided long ago", title="昨年度決定")
    current_doc = ingest(b"withdrawn today", title="本日取下げ")
    expired = _request_with(officer, expired_doc)
    officer.post(f"{BASE}/{expired}/state", json={"state": "reviewing"})
    decided = officer.post(
        f"{BASE}/{expired}/decision", json={"decision": "full", "decided_on": "2025-04-20"}
    )
    assert decided.status_code == 200 and decided.json()["hold_until"] == "2026-04-20"
    current = _request_with(officer, current_doc)
    officer.post(f"{BASE}/{current}/state", json={"state": "withdrawn"})

    run = subprocess.run(
        [sys.executable, "-c", "from web.cli import main; main()", "disclosure", "release-holds"],
        env={**os.environ, **organisation.settings.env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    number = officer.get(f"{BASE}/{expired}").json()["number"]
    assert f"released the holds of 1 requests: {number}" in run.stdout
    with organisation.sessions() as session:
        assert holds_on(session, expired_doc) == []
        assert holds_on(session, current_doc)
    again = subprocess.run(
        [sys.executable, "-c", "from web.cli import main; main()", "disclosure", "release-holds"],
        env={**os.environ, **organisation.settings.env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "no hold expired" in again.stdout


def test_disposition_does_not_destroy_a_record_of_an_open_request(
    officer: Officer,
    records_officer: Officer,
    ingest,
    organisation: Services,
) -> None:
    records_officer.post("/api/v1/retention/series/defaults")
    doc = ingest(b"old contract under request", title="古い契約", document_date=OLD)
    other = ingest(b"old contract nobody asked for", title="古い契約 (請求外)", document_date=OLD)
    for document_id in (doc, other):
        assert (
            records_officer.put(
                f"/api/v1/documents/{document_id}/retention", json={"series": "KOBUN-01"}
            ).status_code
            == 200
        )
    _request_with(officer, doc)

    run = records_officer.post("/api/v1/retention/run", json={})
    assert run.status_code == 200, run.text
    assert run.json()["held"] == [doc]
    batch = records_officer.get(f"/api/v1/retention/batches/{run.json()['batch_id']}").json()
    assert [i["document_id"] for i in batch["items"]] == [
        other
    ]  # due alike; only the unrequested one is proposed
    assert records_officer.get(f"/api/v1/documents/{doc}").status_code == 200
