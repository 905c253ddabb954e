"""Correction links and version comparison (issue 13): both sides show the link; diffs are escaped."""

from __future__ import annotations

import json

import httpx2 as httpx
from fastapi.testclient import TestClient

from ingest.pipeline import process_document
from tests.factories import key_for, org, upload_as
from web.services import Services


def post_correction(client: TestClient, key: str, doc: str, **body: object) -> httpx.Response:
    return client.post(
        f"/api/v1/documents/{doc}/corrections", json=body, headers={"X-API-Key": key}
    )


def test_a_corrected_invoice_and_an_amended_contract_show_the_link_on_both_sides(
    services: Services, anonymous: TestClient
) -> None:
    org(services)
    owner = key_for(services, "somu")
    outsider = key_for(services, "kenko")
    headers = {"X-API-Key": owner}
    invoice = upload_as(
        anonymous,
        owner,
        b"invoice 10,000",
        title="請求書",
        source_system="budget",
        external_id="INV-1",
    )
    fix = upload_as(anonymous, owner, b"invoice 9,000", title="修正請求書")
    linked = post_correction(
        anonymous, owner, fix, source_system="budget", external_id="INV-1", reason="金額の訂正"
    )
    assert linked.status_code == 201, linked.text
    assert [(c["direction"], c["document"], c["reason"]) for c in linked.json()] == [
        ("corrects", invoice, "金額の訂正")
    ]
    back = anonymous.get(f"/api/v1/documents/{invoice}/corrections", headers=headers).json()
    assert [(c["direction"], c["document"], c["title"]) for c in back] == [
        ("corrected_by", fix, "修正請求書")
    ]
    for doc, field, other in ((fix, "corrects", invoice), (invoice, "corrected_by", fix)):
        history = anonymous.get(f"/api/v1/documents/{doc}/history", headers=headers).json()
        entry = history[-1]
        assert (entry["field"], entry["new_value"], entry["reason"]) == (
            field,
            {"document": other, "version": None},
            "金額の訂正",
        )

    contract = upload_as(anonymous, owner, b"contract", title="契約書", security_level="public")
    amendment = upload_as(anonymous, owner, b"amendment v1", title="変更契約書")
    anonymous.post(
        f"/api/v1/documents/{amendment}/versions",
        files={"file": ("v2.txt", b"amendment v2", "text/plain")},
        headers=headers,
    )
    marked = post_correction(anonymous, owner, amendment, corrects=contract, version=2)
    assert marked.status_code == 201 and marked.json()[0]["version"] == 2
    # the outsider reads the public contract, but not the internal amendment: no link shown
    seen = anonymous.get(
        f"/api/v1/documents/{contract}/corrections", headers={"X-API-Key": outsider}
    )
    assert seen.status_code == 200 and seen.json() == []

    bad: list[tuple[str, str, dict[str, object], int]] = [
        (owner, fix, {"corrects": invoice}, 409),
        (owner, fix, {"corrects": fix}, 422),
        (owner, fix, {"corrects": "no-such-document"}, 404),
        (owner, fix, {}, 422),
        (owner, fix, {"corrects": invoice, "version": 7}, 422),
        (owner, fix, {"corrects": invoice, "version": "x"}, 422),
        (owner, fix, {"corrects": invoice, "colour": "red"}, 422),
        (owner, fix, {"corrects": "a" * 37}, 422),
        (owner, "no-such-document", {"corrects": invoice}, 404),
        (outsider, fix, {"corrects": contract}, 404),
        (outsider, contract, {"corrects": contract}, 403),
        (outsider, contract, {"corrects": fix}, 403),
    ]
    for key, doc, body, status in bad:
        response = post_correction(anonymous, key, doc, **body)
        assert response.status_code == status, (body, response.text)
        assert response.json()["error"]["code"]
    assert post_correction(anonymous, owner, fix, corrects=contract).status_code == 201


def test_two_versions_compared_as_text_and_fields(
    services: Services, anonymous: TestClient
) -> None:
    org(services)
    owner = key_for(services, "somu")
    outsider = key_for(services, "kenko")
    headers = {"X-API-Key": owner}
    first = "請求書\n株式会社ひかり商事\n請求金額 10,000円\n備考 <script>x</script>\n"
    doc = upload_as(anonymous, owner, first.encode(), title="請求書")
    process_document(services.pipeline(), doc)
    second = first.replace("10,000円", "12,000円").replace("<script>x</script>", "なし")
    added = anonymous.post(
        f"/api/v1/documents/{doc}/versions",
        files={"file": ("v2.txt", second.encode(), "text/plain")},
        data={"metadata": json.dumps({"reason": "金額の訂正"})},
        headers=headers,
    )
    assert added.status_code == 201
    process_document(services.pipeline(), doc)
    url = f"/api/v1/documents/{doc}/compare"
    compared = anonymous.get(url, params={"from": 1, "to": 2}, headers=headers)
    assert compared.status_code == 200, compared.text
    body = compared.json()
    changed = [(d["kind"], d["text"]) for d in body["text_diff"] if d["kind"] != "context"]
    assert ("removed", "請求金額 10,000円") in changed and ("added", "請求金額 12,000円") in changed
    assert ("removed", "備考 <script>x</script>") in changed
    assert ("context", "株式会社ひかり商事") in [(d["kind"], d["text"]) for d in body["text_diff"]]
    assert {"name": "total_amount", "old": ["10000"], "new": ["12000"]} in body["fields"]
    assert body["truncated"] is False
    same = anonymous.get(url, params={"from": 2, "to": 2}, headers=headers).json()
    assert same["text_diff"] == [] and same["fields"] == []

    cases: tuple[tuple[dict[str, int | str], int], ...] = (
        ({"from": 1, "to": 3}, 404),
        ({"from": 0, "to": 2}, 422),
        ({"from": "x", "to": 2}, 422),
        ({"to": 2}, 422),
        ({"from": 2**31, "to": 2}, 422),
    )
    for params, status in cases:
        response = anonymous.get(url, params=params, headers=headers)
        assert response.status_code == status, (params, response.text)
    assert (
        anonymous.get(url, params={"from": 1, "to": 2}, headers={"X-API-Key": outsider}).status_code
        == 404
    )
    missing = "/api/v1/documents/no-such-document/compare"
    assert anonymous.get(missing, params={"from": 1, "to": 2}, headers=headers).status_code == 404
