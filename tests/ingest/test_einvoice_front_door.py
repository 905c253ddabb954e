"""E-invoices through the front door on both stacks: HTTP upload → queue → worker → fields and
search over HTTP. The XML decides type and fields (exact); hostile XML fails with a reason."""

from __future__ import annotations

import io
from typing import Any

import httpx2 as httpx
import pytest
from pypdf import PdfReader

from tests.conftest import CORPUS
from tests.einvoices import JAPANESE, JP_PINT, Truth, cii_xml, facturx_pdf, ubl_xml
from tests.factories import key_for, org
from tests.ingest.running import Running, running
from tests.ingest.test_einvoice import LAUGHS, XXE
from web.services import Services
from web.settings import Settings


class Client:
    def __init__(self, bunko: Running, key: str) -> None:
        self.bunko, self.key = bunko, key

    def process(self, name: str, content: bytes) -> dict[str, Any]:
        response = httpx.post(
            f"{self.bunko.base}/api/v1/documents",
            files={"file": (name, content)},
            headers={"X-API-Key": self.key},
            timeout=30,
        )
        assert response.status_code == 202, response.text
        return self.bunko.wait(self.key, str(response.json()["id"]), timeout=180)

    def get(self, path: str) -> httpx.Response:
        response = httpx.get(
            f"{self.bunko.base}{path}", headers={"X-API-Key": self.key}, timeout=30
        )
        assert response.status_code == 200, response.text
        return response

    def search(self, query: str) -> set[str]:
        hits = self.get(f"/api/v1/search?q={query}").json()["hits"]
        return {hit["id"] for hit in hits}


def fields_of(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in body["fields"] if f["name"] != "line_item"}


def step(body: dict[str, Any], name: str) -> dict[str, Any]:
    return next(s for s in body["steps"] if s["step"] == name)


@pytest.fixture
def bunko(services: Services, settings: Settings, stack: str) -> Any:
    org(services)
    with running(settings, stack) as bunko:
        yield Client(bunko, key_for(services, "somu"))


def test_an_xml_invoice_is_read_exactly_rendered_and_found(bunko: Client) -> None:
    """GIVEN a JP PINT UBL invoice uploaded alone WHEN processed THEN it is an invoice by its
    XML, every field is exact, a readable PDF rendition exists, and search finds its words."""
    body = bunko.process("invoice.xml", ubl_xml(JAPANESE, JP_PINT))
    assert body["status"] == "indexed", body
    assert (body["doc_type"], body["type_source"], body["type_confidence"]) == (
        "invoice",
        "xml",
        1.0,
    )
    fields = fields_of(body)
    assert all(f["source"] == "xml" and f["confidence"] == 1.0 for f in fields.values())
    assert fields["invoice_number"]["value"] == JAPANESE.number
    assert fields["issuer"]["value"] == JAPANESE.seller
    assert fields["recipient"]["value"] == JAPANESE.buyer
    assert fields["registration_number"]["value"] == JAPANESE.seller_tax_id
    assert fields["date"]["value"] == JAPANESE.issued.isoformat()
    assert fields["total_amount"]["value"] == str(JAPANESE.total)
    assert fields["tax_amount"]["value"] == str(JAPANESE.tax)
    assert fields["invoice_number"]["source_text"] == JAPANESE.number  # where the text shows it
    rendition = bunko.get(f"/api/v1/documents/{body['id']}/derivatives/rendition")
    assert rendition.headers["content-type"] == "application/pdf"
    printed = PdfReader(io.BytesIO(rendition.content)).pages[0].extract_text()
    assert JAPANESE.seller in printed and JAPANESE.number in printed
    assert bunko.search(f'"{JAPANESE.seller}"') == {body["id"]}
    assert bunko.search("04011000-12345-34") == {body["id"]}  # a value only the XML holds


def test_factur_x_pdfs_are_classified_and_read_by_their_xml(bunko: Client) -> None:
    """GIVEN Factur-X/ZUGFeRD PDFs (generated, and the corpus's own) WHEN processed THEN the
    embedded XML gives type and exact fields; a credit note keeps its type code."""
    credit = Truth(number="GS-2024-7", type_code="381")
    generated = bunko.process(
        "gutschrift.pdf", facturx_pdf(cii_xml(credit), "Gutschrift GS-2024-7")
    )
    corpus = bunko.process(
        "zugferd.pdf", (CORPUS / "invoices/de_zugferd_intarsys_en16931-einfach.pdf").read_bytes()
    )
    for body in (generated, corpus):
        assert body["status"] == "indexed", body
        assert (body["doc_type"], body["type_source"]) == ("invoice", "xml")
        assert all(f["source"] == "xml" for f in body["fields"])
    assert step(generated, "einvoice")["detail"]["attachment"] == "factur-x.xml"
    fields = fields_of(generated)
    assert fields["document_type_code"]["value"] == "381"
    assert fields["invoice_number"]["source_text"] == credit.number  # printed on the page
    assert fields_of(corpus)["issuer"]["value"] == "Lieferant GmbH"
    assert fields_of(corpus)["total_amount"]["value"] == "529.87"


def test_a_factur_x_pdf_with_broken_xml_falls_back_to_its_text_with_the_reason(
    bunko: Client,
) -> None:
    body = bunko.process(
        "broken.pdf", (CORPUS / "malformed/facturx_invalid-xml-encoding.pdf").read_bytes()
    )
    assert body["status"] == "indexed", body
    assert body["type_source"] == "model"
    detail = step(body, "einvoice")["detail"]
    assert "factur-x.xml is not well-formed XML" in detail["reason"]
    assert all(f["source"] == "text" for f in body["fields"])


def test_hostile_or_broken_invoice_xml_fails_with_a_reason(bunko: Client) -> None:
    """GIVEN XML invoices that attack the parser or are cut short WHEN processed THEN each
    fails with a reason; no entity is expanded and no local file is read."""
    for content, reason in (
        (XXE, "declares a DOCTYPE"),
        (LAUGHS, "declares a DOCTYPE"),
        (ubl_xml()[:-300], "is not well-formed XML"),
    ):
        body = bunko.process("hostile.xml", content)
        assert body["status"] == "failed", body
        assert reason in body["status_reason"]
        assert "root:" not in body["status_reason"]


def test_xml_that_is_not_an_invoice_is_indexed_as_text(bunko: Client) -> None:
    body = bunko.process("order.xml", b'<?xml version="1.0"?><Order><Note>xmlmarker</Note></Order>')
    assert body["status"] == "indexed", body
    assert body["type_source"] != "xml"
    assert bunko.search("xmlmarker") == {body["id"]}
