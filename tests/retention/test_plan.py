"""The file plan and the date engine through the API: defaults, CSV, files, events, extensions."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from retention.disposition import due_rows
from retention.models import DocumentRetention
from tests.retention.conftest import Officer
from web.services import Services

CONTRACT = """業務委託契約書
大阪市（以下「甲」という。）と株式会社なにわ（以下「乙」という。）は、次のとおり業務委託契約を締結する。
契約期間 2024年4月1日から2025年3月31日まで
契約金額 1,234,000円
契約締結日 2024年3月15日
甲と乙は本契約の成立を証するため本書を作成する。
"""


def test_the_default_plan_is_there_and_round_trips_as_csv(officer: Officer) -> None:
    added = officer.post("/api/v1/retention/series/defaults").json()
    assert {"KEIYAKU-10", "SEIKYU-07", "KOBUN-01", "KOBUN-30", "KOBUN-EI"} <= set(added)
    series = {s["code"]: s for s in officer.get("/api/v1/retention/series").json()}
    assert (
        series["SEIKYU-07"]["period_years"] == 7
        and series["SEIKYU-07"]["trigger"] == "fiscal_year_end"
    )
    assert (
        series["KEIYAKU-10"]["trigger"] == "event"
        and series["KEIYAKU-10"]["event_field"] == "term_end"
    )
    assert series["KOBUN-EI"]["permanent"] and series["KOBUN-30"]["action"] == "transfer"
    exported = officer.get("/api/v1/retention/series.csv")
    assert exported.status_code == 200 and exported.text.startswith("code,name,")
    changed = exported.text.replace(
        "KOBUN-03,公文書（3年保存）,Public records (3 years),,3,",
        "KOBUN-03,公文書（3年保存）,Public records (3 years),,4,",
    )
    imported = officer.post(
        "/api/v1/retention/series/import",
        content=changed.encode(),
        headers={"Content-Type": "text/csv"},
    )
    assert imported.status_code == 200, imported.text
    assert {s["series"]["code"]: s["series"]["period_years"] for s in imported.json()}[
        "KOBUN-03"
    ] == 4


def test_malformed_csv_and_unknown_series_are_clear_errors(officer: Officer) -> None:
    csv_headers = {"Content-Type": "text/csv"}
    bad_header = officer.post(
        "/api/v1/retention/series/import", content=b"kode,name\nX,Y\n", headers=csv_headers
    )
    assert bad_header.status_code == 422 and "header" in bad_header.json()["error"]["message"]
    bad_number = officer.post(
        "/api/v1/retention/series/import",
        content="code,name,period_years\nA-1,名前,五\n".encode(),
        headers=csv_headers,
    )
    assert bad_number.status_code == 422 and "line 2" in bad_number.json()["error"]["message"]
    neither = officer.post(
        "/api/v1/retention/series/import", content=b"code,name\nA-1,x\n", headers=csv_headers
    )
    assert neither.status_code == 422 and "permanent" in neither.json()["error"]["message"]
    ragged = officer.post(
        "/api/v1/retention/series/import",
        content=b"code,name,period_years\nA-1,x,1,extra\n",
        headers=csv_headers,
    )
    assert ragged.status_code == 422
    not_text = officer.post(
        "/api/v1/retention/series/import", content=b"\xff\xfe\x00\x81", headers=csv_headers
    )
    assert not_text.status_code == 422
    assert officer.get("/api/v1/retention/series").json() == []  # nothing half-imported
    missing = officer.put(
        "/api/v1/retention/series/NOPE", json={"code": "NOPE", "name": "x", "period_years": 1}
    )
    assert missing.status_code == 404
    rule = officer.post("/api/v1/retention/rules", json={"series": "NOPE", "doc_type": "invoice"})
    assert rule.status_code == 404


def test_only_records_officers_change_the_plan(officer: Officer, staff_key: str) -> None:
    denied = officer.client.post(
        "/api/v1/retention/series/defaults", headers={"X-API-Key": staff_key}
    )
    assert denied.status_code == 403


def test_files_follow_the_fiscal_year_of_closing(officer: Officer, ingest) -> None:
    officer.post("/api/v1/retention/series/defaults")
    a, b = ingest("起案文書 その1", title="起案1"), ingest("起案文書 その2", title="起案2")
    march = officer.post(
        "/api/v1/retention/files",
        json={"series": "KOBUN-05", "title": "令和6年度 庶務綴", "opened_on": "2024-04-01"},
    ).json()
    april = officer.post(
        "/api/v1/retention/files",
        json={"series": "KOBUN-05", "title": "令和7年度 庶務綴", "opened_on": "2025-04-01"},
    ).json()
    assert (
        officer.post(
            f"/api/v1/retention/files/{march['id']}/documents", json={"document_ids": [a]}
        ).status_code
        == 200
    )
    assert (
        officer.post(
            f"/api/v1/retention/files/{april['id']}/documents", json={"document_ids": [b]}
        ).status_code
        == 200
    )
    pending = officer.get(f"/api/v1/documents/{a}/retention").json()
    assert (
        pending["disposition_date"] is None
        and pending["pending_reason"] == "the file is still open"
    )
    closed_march = officer.post(
        f"/api/v1/retention/files/{march['id']}/close", json={"closed_on": "2025-03-31"}
    ).json()
    closed_april = officer.post(
        f"/api/v1/retention/files/{april['id']}/close", json={"closed_on": "2025-04-01"}
    ).json()
    assert (closed_march["start_date"], closed_march["disposition_date"]) == (
        "2025-04-01",
        "2030-03-31",
    )
    assert (closed_april["start_date"], closed_april["disposition_date"]) == (
        "2026-04-01",
        "2031-03-31",
    )
    explained = officer.get(f"/api/v1/documents/{b}/retention").json()
    assert (
        explained["series"]["code"] == "KOBUN-05" and explained["trigger_source"] == "file closed"
    )
    assert (
        explained["disposition_date"] == "2031-03-31" and "2026-04-01" in explained["explanation"]
    )
    register = officer.get("/api/v1/retention/register.csv")
    assert (
        register.status_code == 200
        and "令和7年度 庶務綴" in register.text
        and "2031-03-31" in register.text
    )


def test_permanent_records_are_never_due(officer: Officer, ingest, organisation: Services) -> None:
    officer.post("/api/v1/retention/series/defaults")
    doc = ingest("条例の原本", title="条例", document_date="1990-04-01")
    assert (
        officer.put(f"/api/v1/documents/{doc}/retention", json={"series": "KOBUN-EI"}).status_code
        == 200
    )
    explained = officer.get(f"/api/v1/documents/{doc}/retention").json()
    assert explained["permanent"] and explained["disposition_date"] is None
    with organisation.sessions() as session:
        assert doc not in {r.document_id for r in due_rows(session, date(2999, 4, 1))}
    extend = officer.post(
        f"/api/v1/documents/{doc}/retention/extensions",
        json={"years": 5, "reason": "x", "legal_basis": "y"},
    )
    assert extend.status_code == 409


def test_a_corrected_contract_end_moves_the_date(
    officer: Officer, ingest, organisation: Services
) -> None:
    officer.post("/api/v1/retention/series/defaults")
    doc = ingest(CONTRACT, title="業務委託契約書")
    explained = officer.get(f"/api/v1/documents/{doc}/retention").json()
    assert explained["series"]["code"] == "KEIYAKU-10", explained
    assert (
        explained["trigger_source"] == "extracted field term_end"
        and explained["trigger_date"] == "2025-03-31"
    )
    assert explained["start_date"] == "2025-04-01" and explained["disposition_date"] == "2035-03-31"
    corrected = officer.put(
        f"/api/v1/documents/{doc}/retention", json={"event_date": "2026-09-30"}
    ).json()
    assert corrected["trigger_source"] == "event date (set by hand)"
    assert corrected["disposition_date"] == "2036-09-30"
    with organisation.sessions() as session:
        row = session.scalar(select(DocumentRetention).where(DocumentRetention.document_id == doc))
        assert row is not None and row.disposition_date == date(2036, 9, 30)
    log = officer.get("/api/v1/audit", params={"action": "retention.assign"}).json()["items"]
    assert log and log[0]["target"] == doc


def test_extensions_only_move_later(officer: Officer, ingest) -> None:
    officer.post("/api/v1/retention/series/defaults")
    doc = ingest("支払 請求書", title="請求書", document_date="2024-06-10")
    assert (
        officer.put(f"/api/v1/documents/{doc}/retention", json={"series": "SEIKYU-07"}).json()[
            "disposition_date"
        ]
        == "2032-03-31"
    )
    shorter = officer.post(
        f"/api/v1/documents/{doc}/retention/extensions",
        json={"until": "2031-03-31", "reason": "間違い", "legal_basis": "なし"},
    )
    assert shorter.status_code == 409 and "never shortened" in shorter.json()["error"]["message"]
    same = officer.post(
        f"/api/v1/documents/{doc}/retention/extensions",
        json={"until": "2032-03-31", "reason": "r", "legal_basis": "b"},
    )
    assert same.status_code == 409
    no_reason = officer.post(
        f"/api/v1/documents/{doc}/retention/extensions",
        json={"years": 1, "reason": " ", "legal_basis": "b"},
    )
    assert no_reason.status_code == 422
    extended = officer.post(
        f"/api/v1/documents/{doc}/retention/extensions",
        json={"years": 1, "reason": "監査中", "legal_basis": "施行令 §9①"},
    )
    assert extended.status_code == 201
    body = extended.json()
    assert (
        body["disposition_date"] == "2033-03-31" and body["base_disposition_date"] == "2032-03-31"
    )
    assert body["extensions"][0]["legal_basis"] == "施行令 §9①"
    assert "extended to 2033-03-31" in body["explanation"]
