"""Messages, not only labels, reach a Japanese page in Japanese; codes reach it as names; times in JST."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from archive.access import SecurityLevel
from archive.models import Document, DocumentStatus
from tests.factories import csrf_from, key_for, org, person, sign_in, upload_as
from tests.web.test_admin_pages import assert_japanese
from web.app import create_app
from web.services import Services
from web.templating import format_day


@pytest.fixture
def tanaka(services: Services) -> Iterator[TestClient]:
    """田中 of 総務局, a records officer (who sees the audit trail), signed in, in Japanese."""
    org(services)
    person(services, "tanaka", "somu", roles=("records_officer",), clearance=SecurityLevel.SECRET)
    with TestClient(create_app(services=services), headers={"Accept-Language": "ja"}) as client:
        yield sign_in(client, "tanaka")


@pytest.mark.parametrize(
    "query",
    [
        '"unclosed',
        "(契約",
        "契約)",
        "()",
        "type:",
        "amount>=lots",
        "date:2024-13-45",
        "date:..",
        "regno:T12",
        "level:ultra",
        "colour:red",
        "type>contract",
        "a " * 600,
    ],
)
def test_search_syntax_errors_are_said_in_japanese(tanaka: TestClient, query: str) -> None:
    page = tanaka.get("/search", params={"q": query})
    assert page.status_code == 400
    assert "検索式を解釈できません" in page.text
    assert_japanese(page.text.replace(query, ""))  # what was typed may be English


def test_the_document_page_names_people_fields_and_actions_in_japanese_with_jst(
    tanaka: TestClient, services: Services
) -> None:
    key = key_for(services, "somu")
    document = upload_as(tanaka, key, b"keiyaku", title="委託契約書")
    with services.sessions.begin() as session:
        row = session.get(Document, document)
        assert row is not None
        row.status, row.status_reason = DocumentStatus.FAILED, "PDF pages cannot be rendered (x)"
    page = tanaka.get(f"/documents/{document}").text
    assert "JST" in page and " UTC" not in page
    assert "user:tanaka" not in page and "document.view" not in page
    assert "監査記録を閲覧" in page or "閲覧" in page
    status = tanaka.get("/upload/status", params={"ids": document}).json()["documents"][0]
    assert status["reason"] == "ファイルが壊れていて読み取れません。"
    listing = tanaka.get("/search").text
    assert_japanese(listing)


def test_upload_failures_are_said_in_the_pages_language(tanaka: TestClient) -> None:
    upload = tanaka.get("/upload").text
    for status in (400, 401, 403, 409, 413, 422, 503):
        assert f'data-http{status}="' in upload
    assert_japanese(upload)


def test_staff_of_the_owning_department_correct_title_and_date_from_the_page(
    tanaka: TestClient, services: Services
) -> None:
    person(services, "sato", "somu")
    person(services, "yamada", "kenko")
    key = key_for(services, "somu")
    document = upload_as(tanaka, key, b"keiyaku", title="契約書")
    with TestClient(create_app(services=services), headers={"Accept-Language": "ja"}) as sato:
        sign_in(sato, "sato")
        url = f"/documents/{document}"
        token = csrf_from(sato.get(url).text)
        for title, day, reason in [
            ("", "2024-04-01", ""),
            ("x" * 501, "", ""),
            ("契約書", "2024-13-45", ""),
            ("契約書", "not a date", ""),
            ("契約書", "", "r" * 1001),
        ]:
            bad = sato.post(
                f"{url}/metadata",
                data={"csrf_token": token, "title": title, "document_date": day, "reason": reason},
            )
            assert bad.status_code == 422 and 'id="edit-error"' in bad.text
            assert_japanese(bad.text.replace(title, "").replace(day, ""))
        huge = sato.post(f"{url}/metadata", data={"csrf_token": token, "title": "x" * 3000})
        assert huge.status_code == 422
        forged = sato.post(f"{url}/metadata", data={"csrf_token": "no", "title": "偽"})
        assert forged.status_code == 403
        saved = sato.post(
            f"{url}/metadata",
            data={
                "csrf_token": token,
                "title": "業務委託契約書",
                "document_date": "2024-04-01",
                "reason": "表題の訂正",
            },
            follow_redirects=False,
        )
        assert saved.status_code == 303
        shown = sato.get(saved.headers["location"]).text
        assert "件名と日付を保存しました。" in shown and "表題の訂正" in shown and "件名" in shown
    detail = tanaka.get(f"/api/v1/documents/{document}", headers={"X-API-Key": key}).json()
    assert (detail["title"], detail["document_date"]) == ("業務委託契約書", "2024-04-01")
    with TestClient(create_app(services=services), headers={"Accept-Language": "ja"}) as yamada:
        sign_in(yamada, "yamada")
        assert yamada.get(f"/documents/{document}").status_code == 404  # internal, not theirs
        refused = yamada.post(
            f"/documents/{document}/metadata",
            data={"csrf_token": csrf_from(yamada.get("/search").text), "title": "乗っ取り"},
        )
        assert refused.status_code == 404
        public = upload_as(tanaka, key, b"kouhyou", title="公表資料", security_level="public")
        readonly = yamada.post(
            f"/documents/{public}/metadata",
            data={"csrf_token": csrf_from(yamada.get("/search").text), "title": "乗っ取り"},
        )
        assert readonly.status_code == 403
        assert "変更する権限がない" in readonly.text
        assert "edit-metadata" not in yamada.get(f"/documents/{public}").text


def test_dates_in_the_japanese_calendar_are_a_preference(
    tanaka: TestClient, services: Services
) -> None:
    key = key_for(services, "somu")
    document = upload_as(tanaka, key, b"r", title="令和の文書", document_date="2019-05-01")
    url = f"/documents/{document}"
    assert "2019-05-01</time>" in tanaka.get(url).text
    chosen = tanaka.get("/dates/wareki", params={"next": url}, follow_redirects=False)
    assert chosen.status_code == 303 and chosen.headers["location"] == url
    assert "令和元年5月1日" in tanaka.get(url).text
    tanaka.get("/dates/western", params={"next": url})
    assert "2019-05-01</time>" in tanaka.get(url).text
    hostile = tanaka.get(
        "/dates/<script>", params={"next": "//evil.example"}, follow_redirects=False
    )
    assert hostile.headers["location"] == "/" and "set-cookie" not in hostile.headers
    assert format_day(date(2019, 4, 30), wareki=True) == "平成31年4月30日"
    assert format_day(date(1989, 1, 7), wareki=True) == "昭和64年1月7日"
