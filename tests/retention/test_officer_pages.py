"""The records officer's work from the pages: the document's retention panel, the dry run,
holds from search and from a document, the file plan editor, review with four eyes, typed
confirmation and the tombstone of a destroyed document."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from tests.factories import csrf_from, person, sign_in
from tests.retention.conftest import Officer
from web.app import create_app
from web.services import Services


@pytest.fixture
def staff(organisation: Services):
    person(organisation, "sato", "somu")
    with TestClient(create_app(services=organisation)) as browser:
        sign_in(browser, "sato")
        yield browser


def _token(officer: Officer) -> str:
    return csrf_from(officer.get("/retention").text)


def test_the_document_page_explains_and_changes_the_retention(
    officer: Officer, staff: TestClient, ingest
) -> None:
    """GIVEN a document WHEN an officer opens it, sets a series and an event date, extends and holds it
    THEN the panel shows each in Japanese, and staff see the panel without its forms."""
    officer.post("/api/v1/retention/series/defaults")
    doc = ingest("契約書 あおぞら", title="委託契約", document_date="2020-05-01")
    page = officer.get(f"/documents/{doc}", headers={"Accept-Language": "ja"}).text
    for label in ("文書分類", "保存期間", "起算日", "保存期間満了日", "保存領域のロック"):
        assert label in page
    token = csrf_from(page)
    changed = officer.post(
        f"/documents/{doc}/retention/series",
        data={"csrf_token": token, "series": "KEIYAKU-10", "event_date": "2021-03-31"},
        follow_redirects=False,
    )
    assert changed.status_code == 303
    page = officer.get(f"/documents/{doc}").text
    assert "KEIYAKU-10" in page and "2031-03-31" in page and "tanaka".title() in page
    assert "事由発生日（手入力）" in page and "起算日は 2021-04-01" in page
    extended = officer.post(
        f"/documents/{doc}/retention/extension",
        data={"csrf_token": token, "years": "2", "reason": "訴訟", "legal_basis": "規則第8条"},
        follow_redirects=False,
    )
    assert extended.status_code == 303
    assert "延長により 2033-03-31 まで" in officer.get(f"/documents/{doc}").text
    held = officer.post(
        "/retention/holds",
        data={
            "csrf_token": token,
            "name": "監査 R8",
            "reason": "監査",
            "document_ids": doc,
            "back": f"/documents/{doc}",
        },
        follow_redirects=False,
    )
    assert held.status_code == 303 and held.headers["location"].startswith(f"/documents/{doc}?")
    assert "監査 R8" in officer.get(held.headers["location"]).text
    assert "保留を設定しました" in officer.get(held.headers["location"]).text
    history = officer.get("/api/v1/audit", params={"target": doc}).json()["items"]
    assert {"retention.assign", "retention.extend"} <= {e["action"] for e in history}

    seen = staff.get(f"/documents/{doc}", headers={"Accept-Language": "en"}).text
    assert (
        "Disposition date" in seen and "2033-03-31" in seen and "retention-series-form" not in seen
    )
    refused = staff.post(
        f"/documents/{doc}/retention/series",
        data={"csrf_token": csrf_from(seen), "series": "KOBUN-01"},
    )
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("action", "form", "status", "words"),
    [
        ("series", {}, 422, "「series」を確認してください"),
        ("series", {"series": "NOPE"}, 422, "該当する文書分類がありません"),
        ("series", {"series": "x" * 41}, 422, ""),
        ("series", {"series": "KOBUN-01", "event_date": "2021-02-30"}, 422, ""),
        ("series", {"series": "KOBUN-01", "event_date": "<script>"}, 422, ""),
        ("extension", {"reason": "r", "legal_basis": "b"}, 422, "どちらか一方"),
        ("extension", {"years": "0", "reason": "r", "legal_basis": "b"}, 422, ""),
        ("extension", {"years": "abc", "reason": "r", "legal_basis": "b"}, 422, ""),
        ("extension", {"years": "1", "reason": "", "legal_basis": "b"}, 422, "理由と根拠規定"),
        ("extension", {"years": "1", "reason": "r" * 2001, "legal_basis": "b"}, 422, ""),
        ("extension", {"until": "2000-01-01", "reason": "r", "legal_basis": "b"}, 409, ""),
        ("delete", {}, 404, ""),
    ],
)
def test_the_panel_refuses_bad_input_in_words(
    officer: Officer, ingest, action: str, form: dict[str, str], status: int, words: str
) -> None:
    officer.post("/api/v1/retention/series/defaults")
    doc = ingest("起案 ぶなの木", title="起案", document_date="2014-06-01")
    officer.put(f"/api/v1/documents/{doc}/retention", json={"series": "KOBUN-01"})
    token = csrf_from(officer.get(f"/documents/{doc}").text)
    answer = officer.post(
        f"/documents/{doc}/retention/{action}", data={"csrf_token": token, **form}
    )
    expected = 422 if status == 409 else status  # an earlier date is refused on the page in words
    assert answer.status_code == expected, answer.text[:300]
    assert words in answer.text
    if status == 409:
        assert "短縮することはできません" in answer.text
    assert "<script>" not in answer.text.split("<body>", 1)[1].replace("<script src", "")
    wrong = officer.post(
        f"/documents/{doc}/retention/series", data={"csrf_token": "x", "series": "KOBUN-01"}
    )
    assert wrong.status_code == 403
    missing = officer.post(
        "/documents/00000000-0000-0000-0000-000000000000/retention/series",
        data={"csrf_token": token, "series": "KOBUN-01"},
    )
    assert missing.status_code == 404


def test_the_dry_run_looks_ahead_without_creating_a_batch(officer: Officer, ingest) -> None:
    officer.post("/api/v1/retention/series/defaults")
    doc = ingest("起案 さくら", title="来年満了の起案", document_date=date.today().isoformat())
    officer.put(f"/api/v1/documents/{doc}/retention", json={"series": "KOBUN-01"})
    today = officer.get("/retention/forecast").text
    assert "来年満了の起案" not in today and "満了する文書はありません" in today
    ahead = officer.get("/retention/forecast", params={"as_of": f"{date.today().year + 3}-01-01"})
    assert ahead.status_code == 200 and "来年満了の起案" in ahead.text
    assert officer.get("/api/v1/retention/batches").json() == []
    ran = officer.post("/retention/run", data={"csrf_token": _token(officer)})
    assert ran.status_code == 200 and "本日満了する文書はありません" in ran.text
    assert officer.get("/api/v1/retention/batches").json() == []
    for bad in ("-1", "x", "9" * 30):
        assert officer.get("/retention/batches", params={"nothing_due": bad}).status_code == 422
    for bad in ("2026-13-01", "x" * 300, "", "1899-12-31", "3000-01-01"):
        answer = officer.get("/retention/forecast", params={"as_of": bad})
        assert answer.status_code == 422, bad


def test_holds_from_search_results(officer: Officer, ingest) -> None:
    """GIVEN search results WHEN the officer holds the ticked ones, then all results of the query
    THEN the hold page lists the held documents by title."""
    first = ingest("監査対象 もみじ 一", title="監査資料一")
    second = ingest("監査対象 もみじ 二", title="監査資料二")
    found = officer.get("/search", params={"q": "もみじ"}).text
    assert 'form="hold-from-search"' in found and "この検索の結果すべてを保留（2 件）" in found
    token = csrf_from(found)
    ticked = officer.post(
        "/retention/holds",
        data={
            "csrf_token": token,
            "name": "選択保留",
            "reason": "監査",
            "document_ids": [first],
            "back": "/search?q=もみじ",
        },
        follow_redirects=False,
    )
    assert ticked.status_code == 303 and ticked.headers["location"].startswith("/search?q=")
    everything = officer.post(
        "/retention/holds",
        data={"csrf_token": token, "name": "全件保留", "reason": "監査", "query": "もみじ"},
        follow_redirects=False,
    )
    assert everything.status_code == 303
    page = officer.get("/retention/holds").text
    chosen = page.split('data-hold="選択保留"', 1)[1].split("</article>", 1)[0]
    assert "監査資料一" in chosen and "監査資料二" not in chosen
    whole = page.split('data-hold="全件保留"', 1)[1].split("</article>", 1)[0]
    assert "監査資料一" in whole and "監査資料二" in whole
    for back in ("https://evil.example/", "//evil.example/x", "/\\evil"):
        sent = officer.post(
            "/retention/holds",
            data={
                "csrf_token": token,
                "name": f"h{back}",
                "reason": "r",
                "document_ids": [second],
                "back": back,
            },
            follow_redirects=False,
        )
        assert sent.headers["location"].startswith("/retention/holds?"), back
    refused = officer.post(
        "/retention/holds",
        data={"csrf_token": token, "name": "空", "reason": "r"},
    )
    assert refused.status_code == 422 and "保留する文書を選ぶか" in refused.text


def test_the_file_plan_is_edited_and_imported_from_the_page(officer: Officer) -> None:
    token = _token(officer)
    series = {
        "csrf_token": token,
        "code": "KEIYAKU-1",
        "name": "短期契約",
        "period_years": "1",
        "trigger": "event",
        "event_field": "term_end",
        "action": "destroy",
        "department": "somu",
    }
    assert officer.post("/retention/series", data=series, follow_redirects=False).status_code == 303
    page = officer.get("/retention").text
    assert "短期契約" in page and "総務局" in page and "1年" in page
    changed = officer.post(
        "/retention/series", data={**series, "period_years": "3"}, follow_redirects=False
    )
    assert changed.status_code == 303
    assert officer.get("/api/v1/retention/series").json()[0]["period_years"] == 3
    assert 'value="KEIYAKU-1"' in officer.get("/retention", params={"edit": "KEIYAKU-1"}).text
    rule = {"csrf_token": token, "series": "KEIYAKU-1", "doc_type": "contract", "priority": "5"}
    assert officer.post("/retention/rules", data=rule, follow_redirects=False).status_code == 303
    rule_id = officer.get("/api/v1/retention/rules").json()[0]["id"]
    deleted = officer.post(
        f"/retention/rules/{rule_id}/delete", data={"csrf_token": token}, follow_redirects=False
    )
    assert deleted.status_code == 303 and officer.get("/api/v1/retention/rules").json() == []
    exported = officer.get("/api/v1/retention/series.csv").content
    csv_in = exported.decode("utf-8").replace("短期契約", "短期契約書")
    imported = officer.post(
        "/retention/series/import",
        data={"csrf_token": token},
        files={"file": ("plan.csv", csv_in.encode("cp932"), "text/csv")},
        follow_redirects=False,
    )
    assert imported.status_code == 303 and "imported=1" in imported.headers["location"]
    assert officer.get("/api/v1/retention/series").json()[0]["name"] == "短期契約書"


@pytest.mark.parametrize(
    ("url", "form", "words"),
    [
        ("/retention/series", {"code": "", "name": "x", "period_years": "1"}, "コードは"),
        ("/retention/series", {"code": "a b", "name": "x", "period_years": "1"}, "コードは"),
        ("/retention/series", {"code": "X-1", "name": "", "period_years": "1"}, "名称を入力"),
        ("/retention/series", {"code": "X-1", "name": "x"}, "永年とするか"),
        ("/retention/series", {"code": "X-1", "name": "x", "period_years": "101"}, ""),
        (
            "/retention/series",
            {"code": "X-1", "name": "x", "period_years": "1", "trigger": "never"},
            "",
        ),
        (
            "/retention/series",
            {"code": "X-1", "name": "x", "period_years": "1", "department": "nope"},
            "部署",
        ),
        ("/retention/series", {"code": "X" * 41, "name": "x"}, ""),
        (
            "/retention/rules",
            {"series": "NOPE", "doc_type": "contract"},
            "該当する文書分類がありません",
        ),
        ("/retention/rules", {"series": "KOBUN-01"}, "規則には種別、部署"),
        ("/retention/rules", {"series": "X-1", "priority": "1e99"}, ""),
        ("/retention/rules/99999/delete", {}, ""),
        ("/retention/rules/abc/delete", {}, ""),
        ("/retention/series/import", {}, "CSVを読み取れませんでした"),
    ],
)
def test_the_file_plan_refuses_bad_input(
    officer: Officer, url: str, form: dict[str, str], words: str
) -> None:
    answer = officer.post(url, data={"csrf_token": _token(officer), **form})
    assert 400 <= answer.status_code < 500, answer.text[:300]
    assert words in answer.text


def test_bad_plan_files_are_refused(officer: Officer) -> None:
    token = _token(officer)
    for content, words in (
        (b"\xff\xfe\x00\x81", "文字コード"),
        (b"code,name,color\nA,b,red\n", "CSVを読み取れませんでした"),
        (b'code,name\n"unterminated', "CSVの 2 行目"),
        (b"code,name,period_years\nA-1,<script>x</script>,1\n", ""),
    ):
        answer = officer.post(
            "/retention/series/import",
            data={"csrf_token": token},
            files={"file": ("plan.csv", content, "text/csv")},
        )
        if words:
            assert answer.status_code == 422 and words in answer.text, content
        else:
            assert "<script>x" not in officer.get("/retention").text


def test_four_eyes_typed_confirmation_and_the_tombstone(
    officer: Officer, second_officer: Officer, staff: TestClient, ingest
) -> None:
    """GIVEN a due document WHEN one officer reviews and another approves and executes
    THEN the reviewer is not offered approval, execution needs the typed count, and the
    document's page becomes a tombstone naming the batch and its certificate."""
    officer.post("/api/v1/retention/series/defaults")
    doc = ingest("古い 起案 けやき", title="古い起案けやき", document_date="2014-06-01")
    officer.put(f"/api/v1/documents/{doc}/retention", json={"series": "KOBUN-01"})
    token = _token(officer)
    batch_url = officer.post(
        "/retention/run", data={"csrf_token": token}, follow_redirects=False
    ).headers["location"]
    proposed = officer.get(batch_url).text
    assert (
        f'href="/documents/{doc}"' in proposed and "総務局" in proposed and "2014-06-01" in proposed
    )
    assert "満了日経過" in proposed and "KOBUN-01" in proposed
    officer.post(f"{batch_url}/review", data={"csrf_token": token})
    reviewed = officer.get(batch_url).text
    assert 'id="approve-button"' not in reviewed and 'id="four-eyes"' in reviewed
    assert re.search(r"審査：[^<]*JST", reviewed)
    second_token = csrf_from(second_officer.get(batch_url).text)
    assert 'id="approve-button"' in second_officer.get(batch_url).text
    second_officer.post(f"{batch_url}/approve", data={"csrf_token": second_token})
    approved = second_officer.get(batch_url).text
    assert "1 件を廃棄し、0 件を移管します" in approved
    for typed in ("", "2", "一", "1" * 5000):
        refused = second_officer.post(
            f"{batch_url}/execute", data={"csrf_token": second_token, "confirm": typed}
        )
        assert refused.status_code == 422, typed
    assert second_officer.get(f"/documents/{doc}").status_code == 200  # nothing was done
    done = second_officer.post(
        f"{batch_url}/execute", data={"csrf_token": second_token, "confirm": "1"}
    )
    assert done.status_code == 200 and 'id="certificate-pdf"' in done.text

    tomb = officer.get(f"/documents/{doc}")
    assert tomb.status_code == 410
    assert "この文書は廃棄されました" in tomb.text and "古い起案けやき" in tomb.text
    assert (
        batch_url.rsplit("/", 1)[1] in tomb.text
        and "certificate.pdf" in tomb.text
        and "JST" in tomb.text
    )
    assert staff.get(f"/documents/{doc}").status_code == 404  # an internal record: officers only
