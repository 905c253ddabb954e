"""Officers show where a field's value is on the page: the words under the box are offered
as the value, the box is kept with the correction, and the vendor's template reads the next
invoice there when no label stands before the value; a field that was not read is added."""

from __future__ import annotations

import json
import math

import pytest
from fastapi.testclient import TestClient

from archive.models import Document
from archive.processing import reset_for_reprocessing
from ingest.pipeline import Outcome, process_document
from tests.factories import csrf_from, key_for, org, person, sign_in
from tests.vendors import VENDORS, unlabelled
from web.app import create_app
from web.services import Services

VENDOR = unlabelled(VENDORS[1], ("total_amount", "invoice_number"))
CORNERS = ("x0", "y0", "x1", "y1")


def _invoice(client: TestClient, services: Services, key: str, seed: int) -> str:
    content, _ = VENDOR.invoice(seed=seed)
    response = client.post(
        "/api/v1/documents",
        files={"file": (f"invoice-{seed}.pdf", content, "application/pdf")},
        headers={"X-API-Key": key},
    )
    assert response.status_code == 202, response.text
    doc = str(response.json()["id"])
    assert process_document(services.pipeline(), doc) is Outcome.PROCESSED
    return doc


def _fields(client: TestClient, doc: str, key: str) -> dict[str, dict[str, object]]:
    body = client.get(f"/api/v1/documents/{doc}", headers={"X-API-Key": key}).json()
    return {f["name"]: f for f in body["fields"]}


def _refused(response: object, field: str) -> None:
    assert response.status_code == 422, response.text  # type: ignore[attr-defined]
    error = response.json()["error"]  # type: ignore[attr-defined]
    assert error["field"] == field and error["message"], error


def test_a_value_shown_on_the_page_is_kept_with_its_box_and_teaches_the_vendor(
    services: Services,
) -> None:
    """GIVEN an invoice that prints its total and number with no label WHEN staff read the
    words under the boxes round them and correct the fields with those boxes THEN the values
    and boxes are kept (also over re-reading), and the vendor's next invoice is read there;
    another department's reader gets 404 for the words, like a missing document."""
    org(services)
    key, stranger = key_for(services, "somu"), key_for(services, "kenko")
    staff = {"X-API-Key": key}
    with TestClient(create_app(services=services)) as client:
        doc = _invoice(client, services, key, seed=1)
        _, truth = VENDOR.invoice(seed=1)
        url = f"/api/v1/documents/{doc}"
        assert (
            _fields(client, doc, key).get("total_amount", {}).get("value") != truth["total_amount"]
        )

        values, boxes = {}, {}
        for name in ("total_amount", "invoice_number"):
            place = VENDOR.box(name)
            corners = {c: place[c] for c in CORNERS}
            at = client.get(
                f"{url}/pages/1/words", params={**corners, "field": name}, headers=staff
            )
            assert at.status_code == 200, at.text
            assert at.json()["value"] == truth[name], at.json()
            found = at.json()["box"]
            assert place["y0"] <= (found["y0"] + found["y1"]) / 2 <= place["y1"]
            values[name], boxes[name] = at.json()["value"], place
        hidden = client.get(
            f"{url}/pages/1/words",
            params=dict.fromkeys(CORNERS, 0.5) | {"x1": 1, "y1": 1},
            headers={"X-API-Key": stranger},
        )
        assert hidden.status_code == 404

        patched = client.patch(url, json={"fields": values, "boxes": boxes}, headers=staff)
        assert patched.status_code == 200, patched.text
        log = client.get("/api/v1/audit", params={"action": "document.update"}, headers=staff)
        if log.status_code == 200:  # a department key may not read the audit log
            assert any('"learned"' in e["detail"] for e in log.json()["items"])
        with services.sessions.begin() as session:  # read again, as after a reprocess
            document = session.get(Document, doc)
            assert document is not None
            reset_for_reprocessing(session, document)
        assert process_document(services.pipeline(), doc) is Outcome.PROCESSED
        kept = _fields(client, doc, key)
        for name, place in boxes.items():
            assert kept[name]["value"] == truth[name] and kept[name]["corrected_by"]
            assert kept[name]["box"] == {c: place[c] for c in CORNERS}

        following = _invoice(client, services, key, seed=2)
        _, after = VENDOR.invoice(seed=2)
        read = _fields(client, following, key)
        for name in boxes:
            assert (read[name]["value"], read[name]["source"]) == (after[name], "template"), name
            assert read[name]["box"] is not None, read[name]


def test_bad_boxes_and_bad_word_queries_are_refused_naming_the_field(services: Services) -> None:
    """GIVEN a processed invoice WHEN a correction's box or a words query is malformed, out of
    the page, inverted, of the wrong type, huge or hostile THEN 422 naming it, nothing changes."""
    org(services)
    key = key_for(services, "somu")
    staff = {"X-API-Key": key}
    box = {"page": 1, "x0": 0.1, "y0": 0.1, "x1": 0.2, "y1": 0.2}
    value = {"total_amount": "1000"}
    with TestClient(create_app(services=services)) as client:
        doc = _invoice(client, services, key, seed=3)
        url = f"/api/v1/documents/{doc}"
        before = client.get(f"{url}/history", headers=staff).json()
        for boxes, field in (
            ({"total_amount": box | {"x0": 0.3}}, "boxes.total_amount"),
            ({"total_amount": box | {"y1": 0.1}}, "boxes.total_amount"),
            ({"total_amount": box | {"x0": 1.5}}, "boxes.total_amount.x0"),
            ({"total_amount": box | {"y0": -0.1}}, "boxes.total_amount.y0"),
            ({"total_amount": box | {"x1": "0.5"}}, "boxes.total_amount.x1"),
            ({"total_amount": box | {"x1": 1e308}}, "boxes.total_amount.x1"),
            ({"total_amount": box | {"page": 0}}, "boxes.total_amount.page"),
            ({"total_amount": box | {"page": 2}}, "boxes.total_amount.page"),
            ({"total_amount": box | {"page": 2**40}}, "boxes.total_amount.page"),
            ({"total_amount": box | {"script": "<script>"}}, "boxes.total_amount.script"),
            ({"total_amount": {"page": 1}}, "boxes.total_amount.x0"),
            ({"total_amount": [0.1, 0.1, 0.2, 0.2]}, "boxes.total_amount"),
            ({"tax_amount": box}, "boxes"),  # a box for a field whose value is not given
            ({f"f_{a}{b}": box for a in "abc" for b in "abcdefghijklmnopqr"}, "boxes"),
            ("0.1,0.1,0.2,0.2", "boxes"),
        ):
            _refused(
                client.patch(url, json={"fields": value, "boxes": boxes}, headers=staff), field
            )
        nan = json.dumps({"fields": value, "boxes": {"total_amount": box | {"x0": math.nan}}})
        _refused(
            client.patch(url, content=nan, headers=staff | {"Content-Type": "application/json"}),
            "boxes.total_amount.x0",
        )
        assert client.get(f"{url}/history", headers=staff).json() == before

        words = f"{url}/pages/1/words"
        good = {c: box[c] for c in CORNERS}
        for params, field in (
            (good | {"x0": 0.5}, "x0"),
            (good | {"y0": 2}, "y0"),
            (good | {"x1": "abc"}, "x1"),
            (good | {"y1": "nan"}, "y1"),
            ({"x0": 0.1}, "y0"),
            (good | {"field": "<script>"}, "field"),
            (good | {"field": "x" * 10_000}, "field"),
        ):
            _refused(client.get(words, params=params, headers=staff), field)
        _refused(client.get(f"{url}/pages/9/words", params=good, headers=staff), "number")
        assert client.get(f"{url}/pages/0/words", params=good, headers=staff).status_code == 422


@pytest.mark.parametrize("stack", ["embedded"], indirect=True)
def test_the_document_page_corrects_and_adds_fields_without_script(services: Services) -> None:
    """GIVEN staff signed in on an invoice's page WHEN they correct a field and add one that
    was not read, with the plain form THEN both are saved and shown escaped; a bad value, a
    bad box, another person's form (CSRF) and a reader without write access are refused."""
    org(services)
    key = key_for(services, "somu")
    person(services, "hana", "somu")
    person(services, "ken", "kenko")
    with TestClient(create_app(services=services)) as client:
        doc = _invoice(client, services, key, seed=4)
        sign_in(client, "hana")
        page = client.get(f"/documents/{doc}")
        assert 'id="field-form"' in page.text and '<option value="recipient">' in page.text
        token, action = csrf_from(page.text), f"/documents/{doc}/fields"
        for name, value in (("invoice_number", "NO-0001"), ("recipient", "<b>市役所</b>")):
            saved = client.post(
                action,
                data={"csrf_token": token, "name": name, "value": value},
                follow_redirects=False,
            )
            assert saved.status_code == 303, saved.text
        shown = client.get(f"/documents/{doc}?field_saved=1").text
        assert (
            "NO-0001" in shown and "&lt;b&gt;市役所&lt;/b&gt;" in shown and "<b>市役所" not in shown
        )
        fields = _fields(client, doc, key)
        assert fields["recipient"]["corrected_by"] == "user:hana"

        for data in (
            {"name": "date", "value": "tomorrow"},
            {"name": "total_amount", "value": ""},
            {"name": "<script>", "value": "1"},
            {
                "name": "total_amount",
                "value": "1",
                "page": "1",
                "x0": "a",
                "y0": "0",
                "x1": "1",
                "y1": "1",
            },
            {
                "name": "total_amount",
                "value": "1",
                "page": "7",
                "x0": "0",
                "y0": "0",
                "x1": "1",
                "y1": "1",
            },
        ):
            refused = client.post(action, data={"csrf_token": token, **data})
            assert refused.status_code == 422, (data, refused.text[:300])
            assert 'id="field-error"' in refused.text
        assert (
            client.post(
                action, data={"csrf_token": "x", "name": "date", "value": "2024-01-01"}
            ).status_code
            == 403
        )

    with TestClient(create_app(services=services)) as other:
        sign_in(other, "ken")
        token = csrf_from(other.get("/").text)
        answer = other.post(
            action, data={"csrf_token": token, "name": "date", "value": "2024-01-01"}
        )
        assert answer.status_code == 404
    assert _fields_unchanged(services, doc, fields)


def _fields_unchanged(services: Services, doc: str, fields: dict[str, dict[str, object]]) -> bool:
    key = key_for(services, "somu")
    with TestClient(create_app(services=services)) as client:
        return _fields(client, doc, key) == fields
