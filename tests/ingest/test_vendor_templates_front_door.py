"""Through the front door on both stacks: an officer corrects one invoice of a vendor the
generic reader gets wrong, and the next invoice from that vendor is read right."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx2 as httpx
import pytest

from tests.conftest import serving
from tests.factories import key_for, org
from tests.ingest.test_pipeline import wait_for
from tests.vendors import VENDORS
from web.services import Services

LEARNED = ("invoice_number", "date_due", "total_amount")


class Site:
    def __init__(self, base: str, key: str) -> None:
        self.base, self.headers = base, {"X-API-Key": key}

    def upload(self, content: bytes) -> dict[str, Any]:
        response = httpx.post(
            f"{self.base}/api/v1/documents",
            files={"file": ("invoice.pdf", content)},
            headers=self.headers,
            timeout=30,
        )
        assert response.status_code == 202, response.text
        key = self.headers["X-API-Key"]
        body = wait_for(self.base, key, response.json()["id"], {"indexed", "failed"}, timeout=300)
        assert body["status"] == "indexed", body
        return body

    def correct(self, document_id: str, fields: dict[str, str]) -> httpx.Response:
        return httpx.patch(
            f"{self.base}/api/v1/documents/{document_id}",
            json={"fields": fields},
            headers=self.headers,
            timeout=30,
        )


def read(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in body["fields"]}


@pytest.fixture
def site(services: Services, stack: str) -> Iterator[Site]:
    org(services)
    with serving(services, stack) as server:
        yield Site(server.base, key_for(services, "somu"))


def test_one_correction_teaches_the_vendor_and_the_next_invoice_is_right(site: Site) -> None:
    """GIVEN an invoice whose labels the generic reader misses WHEN staff correct three of its
    fields over HTTP (and two with values the invoice does not print) THEN the vendor's next
    invoice has those three right, read by its template; another vendor's invoice is not."""
    vendor, other = VENDORS[0], VENDORS[1]
    first_pdf, first = vendor.invoice(seed=1)
    body = site.upload(first_pdf)
    assert body["doc_type"] == "invoice"
    fields = read(body)
    assert fields["registration_number"]["value"] == vendor.regno
    wrong = [name for name in LEARNED if fields.get(name, {}).get("value") != first[name]]
    assert wrong == list(LEARNED)  # the generic reader gets them wrong: there is something to learn

    corrected = site.correct(
        body["id"],
        {
            **{name: first[name] for name in LEARNED},
            "tax_amount": "31415926",  # not on the page: nothing to learn from
            "issuer": "<script>alert(1)</script>",
        },
    )
    assert corrected.status_code == 200, corrected.text
    assert {f["name"]: f["corrected_by"] is not None for f in corrected.json()["fields"]}[
        "total_amount"
    ]

    next_pdf, truth = vendor.invoice(seed=2)
    after = read(site.upload(next_pdf))
    for name in LEARNED:
        assert after[name]["value"] == truth[name], name
        assert (after[name]["source"], after[name]["confidence"]) == ("template", 0.8)
    assert after.get("tax_amount", {}).get("source") != "template"
    assert after.get("issuer", {}).get("value") != "<script>alert(1)</script>"

    stranger_pdf, _ = other.invoice(seed=1)
    stranger = read(site.upload(stranger_pdf))
    assert stranger["registration_number"]["value"] == other.regno
    assert all(f["source"] != "template" for f in stranger.values())
