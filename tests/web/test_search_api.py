"""``GET /api/v1/search`` on both stacks: the pipeline indexes, access trims, every search is audited."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from archive.access import SecurityLevel
from ingest.pipeline import index_document, process_document
from tests.factories import key_for, org, upload_as
from web.app import create_app
from web.services import Services

CONTRACT = (
    "業務委託契約書\n大阪市役所 総務局（以下「甲」という。）と株式会社サンプル（以下「乙」という。）は、"
    "次のとおり業務委託契約を締結する。\n第1条（目的）甲は乙に庁舎清掃業務を委託し、乙はこれを受託する。\n"
    "第2条（契約期間）令和6年4月1日から令和7年3月31日までとする。\n第3条（委託料）金1,234,000円とする。\n"
    "本契約の締結を証するため本書2通を作成し、甲乙記名押印の上、各1通を保有する。"
).encode()
MINUTES = b"Minutes of the council meeting on road maintenance contracts, 2024-05-10."
SECRET_MEMO = "人事評価の記録 契約職員 confidential personnel assessment".encode()


@pytest.fixture
def indexed(services: Services) -> Iterator[tuple[TestClient, dict[str, str], dict[str, str]]]:
    org(services)
    keys = {
        "somu": key_for(services, "somu", clearance=SecurityLevel.SECRET),
        "jinji": key_for(services, "jinji", clearance=SecurityLevel.CONFIDENTIAL),
        "kenko": key_for(services, "kenko", clearance=SecurityLevel.SECRET),
    }
    with TestClient(create_app(services=services)) as client:
        ids = {
            "contract": upload_as(client, keys["somu"], CONTRACT, title="業務委託契約書"),
            "minutes": upload_as(
                client, keys["somu"], MINUTES, title="Council minutes", security_level="public"
            ),
            "memo": upload_as(
                client, keys["jinji"], SECRET_MEMO, title="評価記録", security_level="confidential"
            ),
        }
        for document_id in ids.values():
            process_document(services.pipeline(), document_id)
        yield client, keys, ids


def search(client: TestClient, key: str, **params: str | int) -> dict[str, Any]:
    response = client.get("/api/v1/search", params=params, headers={"X-API-Key": key})
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_japanese_and_english_words_are_found_with_marked_snippets(indexed) -> None:
    client, keys, ids = indexed
    found = search(client, keys["somu"], q="契約")
    assert {h["id"] for h in found["hits"]} == {ids["contract"], ids["memo"]}
    contract = next(h for h in found["hits"] if h["id"] == ids["contract"])
    assert "<mark>" in contract["snippet"] and contract["title"] == "業務委託契約書"
    assert {h["id"] for h in search(client, keys["somu"], q="大阪市")["hits"]} == {ids["contract"]}
    assert {h["id"] for h in search(client, keys["somu"], q="contract")["hits"]} == {ids["minutes"]}
    assert {h["id"] for h in search(client, keys["somu"], q='"road maintenance"')["hits"]} == {
        ids["minutes"]
    }
    assert [h["id"] for h in search(client, keys["somu"], q="契約 -委託")["hits"]] == [ids["memo"]]


def test_another_department_sees_no_hit_count_or_snippet_of_a_confidential_match(indexed) -> None:
    client, keys, ids = indexed
    outsider = search(client, keys["kenko"], q="人事評価")
    assert outsider["total"] == 0 and outsider["hits"] == [] and outsider["total_exact"]
    assert all(
        b["count"] == 0 or b["value"] != "confidential"
        for b in outsider["facets"].get("security_level", [])
    )
    everything = search(client, keys["kenko"], q="")
    assert ids["memo"] not in {h["id"] for h in everything["hits"]}
    assert (
        sum(b["count"] for b in everything["facets"]["type"]) == everything["total"] == 1
    )  # only the public minutes
    insider = search(client, keys["jinji"], q="人事評価")
    assert [h["id"] for h in insider["hits"]] == [ids["memo"]]


def test_every_search_is_audited(indexed, services: Services) -> None:
    client, keys, _ids = indexed
    search(client, keys["kenko"], q="人事評価")
    admin = key_for(services, None, scopes=("admin",))
    log = client.get(
        "/api/v1/audit", params={"action": "search"}, headers={"X-API-Key": admin}
    ).json()["items"]
    assert log and '"q": "人事評価"' in log[0]["detail"] and '"hits": 0' in log[0]["detail"]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ('"unbalanced', "query_syntax"),
        ("(a OR b", "query_syntax"),
        ("colour:red", "query_syntax"),
        ("date:2025-01-01..2024-01-01", "query_syntax"),
        ('{"match_all":{}}', None),
        ("NEAR(a b)", None),
    ],
)
def test_bad_queries_get_a_400_with_the_position(indexed, query: str, code: str | None) -> None:
    client, keys, _ids = indexed
    response = client.get(
        "/api/v1/search", params={"q": query}, headers={"X-API-Key": keys["somu"]}
    )
    if code is None:  # read literally: no error, no broader result
        assert response.status_code == 200 and response.json()["total"] == 0
        return
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code and isinstance(error["position"], int)


def test_huge_query_unknown_facet_and_bad_cursor_are_clear_errors(indexed) -> None:
    client, keys, _ids = indexed
    headers = {"X-API-Key": keys["somu"]}
    assert (
        client.get("/api/v1/search", params={"q": "x " * 5000}, headers=headers).status_code == 422
    )
    assert (
        client.get("/api/v1/search", params={"facets": "colour"}, headers=headers).status_code
        == 422
    )
    bad = client.get("/api/v1/search", params={"cursor": "not-a-cursor"}, headers=headers)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_cursor"


def test_pages_filters_and_similar_documents(indexed) -> None:
    client, keys, ids = indexed
    first = search(client, keys["somu"], q="", size=2, sort="date")
    second = search(client, keys["somu"], q="", size=2, sort="date", cursor=first["next_cursor"])
    seen = [h["id"] for h in first["hits"] + second["hits"]]
    assert sorted(seen) == sorted(ids.values()) and second["next_cursor"] is None
    contracts = search(client, keys["somu"], q="type:contract")["hits"]
    assert ids["contract"] in {h["id"] for h in contracts} and {
        h["doc_type"] for h in contracts
    } == {"contract"}
    assert {h["id"] for h in search(client, keys["somu"], q="type:public")["hits"]} == {
        ids["minutes"]
    }
    similar = client.get(
        f"/api/v1/documents/{ids['contract']}/similar", headers={"X-API-Key": keys["somu"]}
    )
    assert similar.status_code == 200 and ids["contract"] not in {h["id"] for h in similar.json()}


def test_metadata_changes_reach_the_index_and_reindex_rebuilds_it(
    indexed, services: Services
) -> None:
    client, keys, ids = indexed
    headers = {"X-API-Key": keys["somu"]}
    assert (
        client.patch(
            f"/api/v1/documents/{ids['minutes']}",
            json={"title": "議事録 道路維持"},
            headers=headers,
        ).status_code
        == 200
    )
    index_document(services.pipeline(), ids["minutes"])  # what the queued index task does
    assert {h["id"] for h in search(client, keys["somu"], q="道路維持")["hits"]} == {ids["minutes"]}
    rebuilt = subprocess.run(
        [sys.executable, "-c", "from web.cli import main; main()", "reindex"],
        env={**os.environ, **services.settings.env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "indexed 3 documents" in rebuilt.stdout
    assert search(client, keys["somu"], q="")["total"] == 3
