"""E-invoices through the front door on both stacks: HTTP upload → queue → worker → fields and
search over HTTP. The XML decides type and fields (exact); hostile XML fails with a reason."""

from __future__ import annotations

import io
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from ingest.pipeline import Outcome, process_document
from tests.conftest import CORPUS
from tests.einvoices import JAPANESE, JP_PINT, Truth, cii_xml, facturx_pdf, ubl_xml
from tests.factories import key_for, org, person, sign_in
from tests.ingest.running import Running, running
from tests.ingest.test_einvoice import LAUGHS, XXE
from web.app import create_app
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


def test_xml_invoices_and_factur_x_pdfs_are_read_exactly(bunko: Client) -> None:
    """GIVEN a JP PINT UBL invoice uploaded alone, and Factur-X/ZUGFeRD PDFs (generated, and
    the corpus's own) WHEN processed THEN the XML decides the type (invoice), every field is
    exact, the XML invoice has a readable PDF rendition, search finds its words, and a credit
    note keeps its type code."""
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


def test_bad_e_invoices_fail_or_fall_back_with_a_reason(bunko: Client) -> None:
    """GIVEN a Factur-X PDF whose XML is broken, XML that attacks the parser or is cut short,
    and XML that is no invoice WHEN processed THEN the PDF is read from its text with the
    reason recorded, the hostile and cut XML fail with a reason (no entity expanded, no local
    file read), and other XML is indexed as text."""
    body = bunko.process(
        "broken.pdf", (CORPUS / "malformed/facturx_invalid-xml-encoding.pdf").read_bytes()
    )
    assert body["status"] == "indexed", body
    assert body["type_source"] == "model"
    assert "factur-x.xml is not well-formed XML" in step(body, "einvoice")["detail"]["reason"]
    assert body["fields"] and all(f["source"] in ("text", "layout") for f in body["fields"])
    for content, reason in (
        (XXE, "declares a DOCTYPE"),
        (LAUGHS, "declares a DOCTYPE"),
        (ubl_xml()[:-300], "is not well-formed XML"),
    ):
        body = bunko.process("hostile.xml", content)
        assert body["status"] == "failed", body
        assert reason in body["status_reason"]
        assert "root:" not in body["status_reason"]
    other = bunko.process(
        "order.xml", b'<?xml version="1.0"?><Order><Note>xmlmarker</Note></Order>'
    )
    assert other["status"] == "indexed", other
    assert other["type_source"] != "xml"
    assert bunko.search("xmlmarker") == {other["id"]}


def test_the_document_page_shows_exact_fields_and_the_renditions_pages(
    services: Services, stack: str
) -> None:
    """GIVEN a processed XML invoice WHEN staff open its page THEN the fields say they are
    exact, the type says it came from the XML, and the rendition's page is previewed."""
    org(services)
    person(services, "sato", "somu")
    with TestClient(create_app(services=services)) as browser:
        uploaded = browser.post(
            "/api/v1/documents",
            files={"file": ("invoice.xml", ubl_xml(JAPANESE, JP_PINT), "application/xml")},
            headers={"X-API-Key": key_for(services, "somu")},
        )
        assert uploaded.status_code == 202, uploaded.text
        doc = uploaded.json()["id"]
        assert process_document(services.pipeline(), doc) is Outcome.PROCESSED
        sign_in(browser, "sato")
        page = browser.get(f"/documents/{doc}")
        assert page.status_code == 200
        assert "確定値（電子インボイスのXML）" in page.text
        assert "電子インボイスのXMLから読み取り" in page.text
        assert f"/api/v1/documents/{doc}/derivatives/rendition" in page.text
        pages = browser.get(f"/api/v1/documents/{doc}").json()["page_count"]
        for number in range(1, pages + 1):
            preview = browser.get(f"/documents/{doc}/pages/{number}.png")
            assert preview.status_code == 200
            assert preview.headers["content-type"] == "image/png"
        assert browser.get(f"/documents/{doc}/pages/{pages + 1}.png").status_code == 404
