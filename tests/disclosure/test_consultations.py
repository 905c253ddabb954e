"""Third-party consultations (第三者意見照会): their dates, and the release wait an objection causes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from retention.dates import today_in_japan
from tests.disclosure.conftest import REQUEST, text_pdf
from tests.retention.conftest import Officer

BASE = "/api/v1/disclosure/requests"


def _reviewing_with_records(officer: Officer, ingest, tmp_path: Path) -> str:
    ingest(
        text_pdf(tmp_path / "c.pdf").read_bytes(),
        name="c.pdf",
        media="application/pdf",
        title="契約書",
    )
    rid = str(officer.post(BASE, json=REQUEST).json()["id"])
    officer.post(f"{BASE}/{rid}/state", json={"state": "searching"})
    assert officer.post(f"{BASE}/{rid}/records", json={"query": "PINEAPPLE"}).status_code == 201
    return rid


def _consult(officer: Officer, rid: str, party: str) -> dict[str, Any]:
    sent = officer.post(
        f"{BASE}/{rid}/consultations",
        json={"third_party": party, "sent_on": "2025-04-11", "answer_due_on": "2025-04-21"},
    )
    assert sent.status_code == 201, sent.text
    consultation: dict[str, Any] = sent.json()
    return consultation


def test_an_objection_blocks_release_until_two_weeks_after_the_decision(
    officer: Officer,
    ingest,
    tmp_path: Path,
    stack: str,
) -> None:
    rid = _reviewing_with_records(officer, ingest, tmp_path)
    agrees, objects = _consult(officer, rid, "北建設"), _consult(officer, rid, "南商事")
    bad = officer.post(
        f"{BASE}/{rid}/consultations",
        json={"third_party": "x", "sent_on": "2025-04-12", "answer_due_on": "2025-04-11"},
    )
    assert bad.status_code == 422
    assert (
        officer.post(
            f"{BASE}/{rid}/consultations/{agrees['id']}/answer",
            json={"answered_on": "2025-04-15", "objected": False},
        ).json()["objected"]
        is False
    )
    answer = officer.post(
        f"{BASE}/{rid}/consultations/{objects['id']}/answer",
        json={"answered_on": "2025-04-16", "objected": True},
    )
    assert answer.json() == {**objects, "answered_on": "2025-04-16", "objected": True}
    listed = officer.get(f"{BASE}/{rid}/consultations").json()
    assert [
        (c["third_party"], c["sent_on"], c["answer_due_on"], c["objected"]) for c in listed
    ] == [
        ("北建設", "2025-04-11", "2025-04-21", False),
        ("南商事", "2025-04-11", "2025-04-21", True),
    ]
    officer.post(f"{BASE}/{rid}/state", json={"state": "reviewing"})
    today = today_in_japan()
    assert (
        officer.post(
            f"{BASE}/{rid}/decision", json={"decision": "full", "decided_on": str(today)}
        ).status_code
        == 200
    )
    request = officer.get(f"{BASE}/{rid}").json()
    assert request["third_party_objection"] is True
    assert [e["action"] for e in request["events"]].count("consultation_answered") == 2
    # Consultations are sent before the decision.
    assert (
        officer.post(
            f"{BASE}/{rid}/consultations",
            json={"third_party": "東", "sent_on": "2025-04-11", "answer_due_on": "2025-04-21"},
        ).status_code
        == 409
    )
    refused = officer.post(f"{BASE}/{rid}/release", json={})
    assert refused.status_code == 409 and str(today + timedelta(days=14)) in refused.text
    assert str(today + timedelta(days=14)) in officer.get(f"/disclosure/requests/{rid}").text


def test_without_an_objection_release_does_not_wait(
    officer: Officer, ingest, tmp_path: Path
) -> None:
    rid = _reviewing_with_records(officer, ingest, tmp_path)
    consulted = _consult(officer, rid, "北建設")
    officer.post(
        f"{BASE}/{rid}/consultations/{consulted['id']}/answer",
        json={"answered_on": "2025-04-15", "objected": False},
    )
    officer.post(f"{BASE}/{rid}/state", json={"state": "reviewing"})
    assert (
        officer.post(
            f"{BASE}/{rid}/decision", json={"decision": "full", "decided_on": str(today_in_japan())}
        ).status_code
        == 200
    )
    assert officer.post(f"{BASE}/{rid}/release", json={}).status_code == 200
