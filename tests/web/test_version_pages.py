"""The document page shows versions and the change history, and staff add a corrected version."""

from __future__ import annotations

from fastapi.testclient import TestClient

from archive import get_document
from archive.access import AccessScope, SecurityLevel
from ingest.pipeline import process_document
from tests.factories import csrf_from, key_for, org, person, sign_in, upload_as
from web.app import create_app
from web.services import Services


def test_staff_add_a_version_with_a_reason_and_see_the_history_in_japanese(
    services: Services,
) -> None:
    org(services)
    person(services, "sato", "somu")
    person(services, "yamada", "kenko")
    key = key_for(services, "somu")
    with TestClient(create_app(services=services), headers={"Accept-Language": "ja"}) as client:
        doc = upload_as(client, key, b"original text", title="契約書", security_level="public")
        client.patch(
            f"/api/v1/documents/{doc}",
            json={"title": "業務委託契約書", "reason": "表題の訂正"},
            headers={"X-API-Key": key},
        )
        sign_in(client, "sato")
        page = client.get(f"/documents/{doc}")
        assert "訂正した版を登録する" in page.text and "変更履歴" in page.text
        assert "表題の訂正" in page.text and "契約書" in page.text
        added = client.post(
            f"/documents/{doc}/versions",
            data={"csrf_token": csrf_from(page.text), "reason": "金額の訂正 <b>"},
            files={"file": ("v2.txt", b"corrected text", "text/plain")},
            follow_redirects=False,
        )
        assert added.status_code == 303, added.text
        page = client.get(added.headers["location"])
        assert "新しい版を登録しました" in page.text
        assert (
            "金額の訂正 &lt;b&gt;" in page.text
            and f"/api/v1/documents/{doc}/versions/2/content" in page.text
        )
        forged = client.post(
            f"/documents/{doc}/versions",
            data={"csrf_token": "wrong", "reason": "x"},
            files={"file": ("v3.txt", b"forged", "text/plain")},
            follow_redirects=False,
        )
        assert forged.status_code == 403
        client.post("/logout", data={"csrf_token": csrf_from(page.text)})
    with TestClient(create_app(services=services)) as other:
        sign_in(other, "yamada")
        page = other.get(f"/documents/{doc}")
        assert page.status_code == 200 and "add-version" not in page.text
        refused = other.post(
            f"/documents/{doc}/versions",
            data={"csrf_token": csrf_from(page.text), "reason": "x"},
            files={"file": ("v3.txt", b"not mine", "text/plain")},
            follow_redirects=False,
        )
        assert refused.status_code == 403
    with services.sessions() as session:
        stored = get_document(
            session, doc, AccessScope(clearance=SecurityLevel.SECRET, city_wide=True)
        )
        assert [v.number for v in stored.versions] == [1, 2]


def test_the_page_compares_versions_escaped_and_shows_corrections_both_ways(
    services: Services,
) -> None:
    org(services)
    person(services, "sato", "somu")
    key = key_for(services, "somu")
    headers = {"X-API-Key": key}
    with TestClient(create_app(services=services), headers={"Accept-Language": "ja"}) as client:
        doc = upload_as(client, key, "金額 10,000円\n<img src=x onerror=alert(1)>\n".encode())
        process_document(services.pipeline(), doc)
        client.post(
            f"/api/v1/documents/{doc}/versions",
            files={"file": ("v2.txt", "金額 12,000円\n<b>訂正</b>\n".encode(), "text/plain")},
            headers=headers,
        )
        process_document(services.pipeline(), doc)
        fix = upload_as(client, key, b"fix", title="<i>修正請求書</i>")
        linked = client.post(
            f"/api/v1/documents/{fix}/corrections",
            json={"corrects": doc, "reason": "金額<訂正>"},
            headers=headers,
        )
        assert linked.status_code == 201
        sign_in(client, "sato")
        page = client.get(f"/documents/{doc}")
        assert 'id="version-drop"' in page.text and 'action="/documents/' in page.text
        assert f'action="/documents/{doc}/compare"' in page.text
        assert "この文書を訂正する文書" in page.text and f'href="/documents/{fix}"' in page.text
        assert "&lt;i&gt;修正請求書&lt;/i&gt;" in page.text and "<i>修正" not in page.text
        assert "金額&lt;訂正&gt;" in page.text
        other_side = client.get(f"/documents/{fix}")
        assert (
            "この文書が訂正する文書" in other_side.text
            and f'href="/documents/{doc}"' in other_side.text
        )
        compared = client.get(f"/documents/{doc}/compare", params={"from": 1, "to": 2})
        assert compared.status_code == 200 and "版の比較" in compared.text
        assert '<span class="diff-removed">' in compared.text
        assert "&lt;img src=x onerror=alert(1)&gt;" in compared.text
        assert "<img src=x" not in compared.text and "<b>訂正</b>" not in compared.text
        assert "12,000円" in compared.text and "10,000円" in compared.text
        assert (
            client.get(f"/documents/{doc}/compare", params={"from": 1, "to": 5}).status_code == 404
        )
        assert client.get(
            f"/documents/{doc}/compare", params={"from": "x", "to": 1}
        ).status_code in (
            400,
            422,
        )
