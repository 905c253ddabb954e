"""Officers correct a document's subtype: its class follows, the history, audit and the
classifier's training corrections keep it, and search filters and counts by it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from archive.access import SecurityLevel
from ingest.classifier_store import corrections
from ingest.pipeline import Outcome, process_document
from tests.factories import key_for, org, person, sign_in, upload_as
from web.app import create_app
from web.services import Services

RECEIPT = (
    "領収書\n株式会社みなと 様\n金額 ¥33,000 但し 事務用品代として\n上記正に領収いたしました。\n"
)


def test_an_officer_sets_the_subtype_and_its_class_follows(services: Services) -> None:
    """GIVEN a processed document WHEN a records officer sets its subtype over the API, then
    another on the document page THEN the class is the subtype's, kept over re-reading, in
    the history and audit, a training example, and searchable as subtype: with a facet."""
    org(services)
    staff_key = key_for(services, "somu")
    person(services, "records", "somu", roles=("records_officer",), clearance=SecurityLevel.SECRET)
    with TestClient(create_app(services=services)) as client:
        doc = upload_as(client, staff_key, RECEIPT.encode(), title="領収書")
        assert process_document(services.pipeline(), doc) is Outcome.PROCESSED
        url = f"/api/v1/documents/{doc}"
        staff = {"X-API-Key": staff_key}
        assert client.patch(url, json={"subtype": "quotation"}, headers=staff).status_code == 403

        sign_in(client, "records")
        token = client.get("/").text.split('name="csrf_token" value="')[1].split('"')[0]
        officer = {"X-CSRF-Token": token}
        for bad in (
            {"subtype": "poem"},
            {"subtype": None},
            {"subtype": ""},
            {"subtype": "<script>"},
            {"subtype": "x" * 10_000},
            {"subtype": 7},
            {"subtype": "quotation", "doc_type": "invoice"},  # a quotation is not an invoice
        ):
            refused = client.patch(url, json=bad, headers=officer)
            assert refused.status_code == 422, bad
            assert refused.json()["error"]["field"] == "subtype", refused.text

        changed = client.patch(url, json={"subtype": "quotation"}, headers=officer).json()
        assert (changed["doc_type"], changed["subtype"], changed["type_source"]) == (
            "other",
            "quotation",
            "officer",
        )
        assert process_document(services.pipeline(), doc) is Outcome.PROCESSED  # read again
        kept = client.get(url).json()
        assert (kept["doc_type"], kept["subtype"], kept["status"]) == (
            "other",
            "quotation",
            "indexed",
        )
        history = client.get(f"{url}/history").json()
        assert any(h["field"] == "subtype" and h["new_value"] == "quotation" for h in history)
        log = client.get("/api/v1/audit", params={"action": "document.update"}).json()["items"]
        assert any('"subtype"' in e["detail"] for e in log)
        with services.sessions() as session:
            assert [label for _, label in corrections(session, services.store)] == ["quotation"]

        found = client.get("/api/v1/search", params={"q": "subtype:quotation", "facets": "subtype"})
        assert [(h["id"], h["subtype"]) for h in found.json()["hits"]] == [(doc, "quotation")]
        assert found.json()["facets"]["subtype"] == [{"value": "quotation", "count": 1}]
        assert client.get("/api/v1/search", params={"q": "subtype:receipt"}).json()["total"] == 0

        page = client.get(f"/documents/{doc}")
        assert '<select id="subtype" name="subtype">' in page.text
        refused = client.post(
            f"/documents/{doc}/type", data={"subtype": "poem", "csrf_token": token}
        )
        assert refused.status_code == 422
        posted = client.post(
            f"/documents/{doc}/type",
            data={"subtype": "minutes", "csrf_token": token},
            follow_redirects=False,
        )
        assert posted.status_code == 303
        assert process_document(services.pipeline(), doc) is Outcome.PROCESSED
        assert (client.get(url).json()["doc_type"], client.get(url).json()["subtype"]) == (
            "public",
            "minutes",
        )
        search_page = client.get("/search", params={"subtype": "minutes"})
        assert f'href="/documents/{doc}"' in search_page.text
        assert "議事録" in search_page.text  # the facet's and the hit's label, in Japanese
        assert "公文書 · 議事録" in search_page.text
