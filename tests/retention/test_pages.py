"""The records officer pages, in Japanese and English, driving a batch from review to certificate."""

from __future__ import annotations

from tests.factories import csrf_from
from tests.retention.conftest import Officer


def test_an_officer_runs_a_batch_through_the_pages(
    officer: Officer, second_officer: Officer, ingest
) -> None:
    officer.post("/api/v1/retention/series/defaults")
    doc = ingest("古い 起案文書 すみれ", title="古い起案", document_date="2014-06-01")
    officer.put(f"/api/v1/documents/{doc}/retention", json={"series": "KOBUN-01"})

    plan = officer.get("/retention", headers={"Accept-Language": "ja"})
    assert (
        plan.status_code == 200
        and "文書分類表" in plan.text
        and "KOBUN-30" in plan.text
        and "移管" in plan.text
    )
    english = officer.get("/retention", headers={"Accept-Language": "en"})
    assert "File plan" in english.text and "Public records (30 years)" in english.text
    assert "古い起案" in officer.get("/retention/due").text

    token = csrf_from(officer.get("/retention/holds").text)
    placed = officer.post(
        "/retention/holds",
        data={"csrf_token": token, "name": "監査 R7", "reason": "監査", "document_ids": doc},
        follow_redirects=False,
    )
    assert placed.status_code == 303
    holds_page = officer.get("/retention/holds").text
    assert "監査 R7" in holds_page
    hold_id = officer.get("/api/v1/retention/holds").json()[0]["id"]
    officer.post(
        f"/retention/holds/{hold_id}/release", data={"csrf_token": token, "reason": "監査終了"}
    )

    run = officer.post("/retention/run", data={"csrf_token": token}, follow_redirects=False)
    assert run.status_code == 303 and run.headers["location"].startswith("/retention/batches/")
    batch_url = run.headers["location"]
    assert "古い起案" in officer.get(batch_url).text
    assert (
        officer.post(
            f"{batch_url}/review", data={"csrf_token": token}, follow_redirects=False
        ).status_code
        == 303
    )
    assert 'id="approve-button"' not in officer.get(batch_url).text  # not offered to the reviewer
    refused = officer.post(f"{batch_url}/approve", data={"csrf_token": token})
    assert refused.status_code == 409 and "審査した担当者は承認できません" in refused.text
    second_token = csrf_from(second_officer.get(batch_url).text)
    assert (
        second_officer.post(
            f"{batch_url}/approve", data={"csrf_token": second_token}, follow_redirects=False
        ).status_code
        == 303
    )
    unconfirmed = second_officer.post(f"{batch_url}/execute", data={"csrf_token": second_token})
    assert unconfirmed.status_code == 422 and "（1）" in unconfirmed.text
    assert (
        second_officer.post(
            f"{batch_url}/execute",
            data={"csrf_token": second_token, "confirm": "1"},
            follow_redirects=False,
        ).status_code
        == 303
    )
    done = officer.get(batch_url, headers={"Accept-Language": "ja"}).text
    assert "執行済み" in done and "certificate.pdf" in done and "廃棄済み" in done
    assert "certificate.csv" in officer.get("/retention/batches").text


def test_staff_cannot_open_the_retention_pages(officer: Officer, organisation) -> None:
    from fastapi.testclient import TestClient

    from tests.factories import person, sign_in
    from web.app import create_app

    person(organisation, "sato", "somu")
    with TestClient(create_app(services=organisation)) as browser:
        sign_in(browser, "sato")
        assert browser.get("/retention").status_code == 403
        assert browser.get("/api/v1/retention/series").status_code == 403
