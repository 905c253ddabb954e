"""The e-invoice readers on files that follow the standards, and on hostile ones."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from disclosure.convert import working_pdf
from ingest.einvoice import MAX_XML_BYTES, EInvoice, read_embedded, read_invoice_xml
from ingest.errors import ContentTooLarge, CorruptContent, UnsupportedContent
from ingest.extract import extract
from ingest.extract.base import PageText
from ingest.fields.einvoice import einvoice_fields
from ingest.sniff import Kind, sniff
from ingest.typeset import typeset
from tests.einvoices import (
    JAPANESE,
    JP_PINT,
    PEPPOL_BIS,
    Truth,
    cii_xml,
    facturx_pdf,
    ubl_xml,
)

CORPUS_EINVOICES = (
    "invoices/fr_facturx_fnfe_facture-fr-basicwl.pdf",
    "invoices/de_zugferd_intarsys_en16931-einfach.pdf",
)


def assert_reads(invoice: EInvoice, truth: Truth) -> None:
    assert invoice.number == truth.number
    assert invoice.type_code == truth.type_code
    assert invoice.issue_date == truth.issued
    assert invoice.seller == truth.seller
    assert truth.seller_tax_id in invoice.seller_tax_ids
    assert invoice.buyer == truth.buyer
    assert invoice.currency == truth.currency
    assert (invoice.net, invoice.tax, invoice.total) == (truth.net, truth.tax, truth.total)
    assert [(line.name, line.quantity, line.unit, line.amount) for line in invoice.lines] == [
        (name, quantity, unit, amount) for name, quantity, unit, amount in truth.lines
    ]


@pytest.mark.parametrize("truth", [Truth(), JAPANESE], ids=["de", "ja"])
def test_cii_written_by_drafthorse_is_read_term_by_term(truth: Truth) -> None:
    invoice = read_invoice_xml(cii_xml(truth), "test.xml")
    assert_reads(invoice, truth)
    assert invoice.syntax == "CII"
    assert invoice.due_date == truth.due


@pytest.mark.parametrize(
    ("truth", "customization", "format_name"),
    [(Truth(), PEPPOL_BIS, "Peppol BIS"), (JAPANESE, JP_PINT, "Peppol PINT")],
    ids=["peppol-bis", "jp-pint"],
)
def test_ubl_peppol_and_jp_pint_invoices_are_read(
    truth: Truth, customization: str, format_name: str
) -> None:
    invoice = read_invoice_xml(ubl_xml(truth, customization), "test.xml")
    assert_reads(invoice, truth)
    assert invoice.syntax == "UBL"
    assert invoice.specification == customization
    assert invoice.format_name == format_name
    assert invoice.due_date == truth.due


def test_a_ubl_credit_note_is_a_credit_note_with_its_type_code() -> None:
    truth = Truth(number="CN-7", type_code="381")
    invoice = read_invoice_xml(ubl_xml(truth, credit_note=True), "cn.xml")
    assert_reads(invoice, truth)
    assert invoice.is_credit_note
    assert invoice.due_date == truth.due  # from its PaymentMeans
    fields = {f.name: f.value for f in einvoice_fields(invoice, [])}
    assert fields["document_type_code"] == "381"


def test_a_factur_x_pdf_made_by_the_factur_x_library_gives_its_embedded_invoice(
    tmp_path: Path,
) -> None:
    pdf = tmp_path / "facturx.pdf"
    pdf.write_bytes(facturx_pdf(cii_xml(JAPANESE)))
    embedded = read_embedded(pdf)
    assert embedded is not None
    assert embedded.name == "factur-x.xml"
    assert_reads(embedded.invoice, JAPANESE)
    assert sniff(pdf) == Kind.PDF


@pytest.mark.parametrize("name", CORPUS_EINVOICES)
def test_the_corpus_factur_x_and_zugferd_invoices_match_their_truth(
    corpus: Path, name: str
) -> None:
    """The corpus truth of these files was taken from their embedded XML by its curator."""
    with (corpus / "MANIFEST.csv").open(encoding="utf-8") as manifest:
        truth = next(
            json.loads(r["expected_fields"]) for r in csv.DictReader(manifest) if r["file"] == name
        )
    embedded = read_embedded(corpus / name)
    assert embedded is not None
    fields = {f.name: f.value for f in einvoice_fields(embedded.invoice, [])}
    for key in ("invoice_number", "issuer", "recipient", "currency", "document_type_code"):
        assert fields[key] == truth[key], key
    assert fields["date"] == date.fromisoformat(truth["date"])
    for key in ("total_amount", "tax_amount", "amount_untaxed", "amount_due"):
        assert fields[key] == Decimal(str(truth[key])), key


def test_a_pdf_without_invoice_xml_has_no_embedded_invoice(corpus: Path) -> None:
    assert read_embedded(corpus / "invoices/de_hetzner_invoice_2016-01-19.pdf") is None


def test_a_factur_x_pdf_whose_xml_is_broken_says_why(corpus: Path) -> None:
    with pytest.raises(CorruptContent, match=r"factur-x\.xml is not well-formed XML"):
        read_embedded(corpus / "malformed/facturx_invalid-xml-encoding.pdf")


def test_fields_are_exact_and_found_where_the_text_prints_them() -> None:
    invoice = read_invoice_xml(ubl_xml(JAPANESE, JP_PINT), "jp.xml")
    printed = "請求書 請-2024-101\n発行日 2024年4月1日\n合計 33,000円\n"
    fields = einvoice_fields(invoice, [PageText(1, printed)])
    by_name = {f.name: f for f in fields}
    assert all(f.source == "xml" and f.confidence == 1.0 for f in fields)
    for name, shown in (
        ("invoice_number", "請-2024-101"),
        ("date", "2024年4月1日"),
        ("total_amount", "33,000"),
    ):
        found = by_name[name]
        assert printed[found.start : found.end] == shown, name
    assert by_name["registration_number"].value == "T7000012050002"
    assert by_name["registration_number"].valid
    assert (by_name["issuer"].start, by_name["issuer"].end) == (0, 0)  # not printed
    assert [f.value for f in fields if f.name == "line_item"] == ["事務用品 — 3 C62 — 30000"]


def test_a_wrong_registration_check_digit_is_kept_but_not_valid() -> None:
    invoice = read_invoice_xml(
        ubl_xml(replace(JAPANESE, seller_tax_id="T1000012050002"), JP_PINT), "x"
    )
    (number,) = [f for f in einvoice_fields(invoice, []) if f.name == "registration_number"]
    assert not number.valid


def test_an_xml_invoice_is_sniffed_and_read_as_its_terms_and_values(tmp_path: Path) -> None:
    path = tmp_path / "invoice.bin"
    path.write_bytes(ubl_xml(JAPANESE, JP_PINT))
    assert sniff(path) == Kind.EINVOICE
    pages = extract(path).pages
    text = "\n".join(page.text for page in pages)
    for shown in (
        "請求書番号 Invoice number: 請-2024-101",
        "宛先 Buyer: 大阪市役所",
        "BuyerReference: 04011000-12345-34",  # a value only the full XML listing holds
    ):
        assert shown in text
    fields = einvoice_fields(read_invoice_xml(path.read_bytes(), "x"), pages)
    assert all(f.end > f.start for f in fields), [f.name for f in fields if f.end == f.start]


def test_the_rendition_prints_each_page_of_text_on_one_pdf_page_in_japanese(
    tmp_path: Path,
) -> None:
    """The rendition (and disclosure's working PDF of an XML invoice) has the pages of the text."""
    path = tmp_path / "invoice.xml"
    path.write_bytes(cii_xml(replace(JAPANESE, lines=JAPANESE.lines * 30)))
    pages = extract(path).pages
    assert len(pages) > 1
    out = tmp_path / "rendition.pdf"
    typeset([page.text for page in pages], out)
    printed = PdfReader(out).pages
    assert len(printed) == len(pages)
    assert "株式会社サンプル商事" in printed[0].extract_text()
    assert pages[-1].text.splitlines()[-1] in printed[-1].extract_text()
    working = working_pdf(path, tmp_path / "working.pdf")
    assert working.read_bytes() == out.read_bytes()


def test_xml_that_is_not_an_invoice_is_text(tmp_path: Path) -> None:
    path = tmp_path / "other.xml"
    path.write_bytes(b'<?xml version="1.0"?><Order xmlns="urn:example"><ID>1</ID></Order>')
    assert sniff(path) == Kind.TEXT
    with pytest.raises(UnsupportedContent, match="not an e-invoice"):
        read_invoice_xml(path.read_bytes(), "other.xml")


def test_malformed_invoice_xml_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    path.write_bytes(ubl_xml()[:-200])
    assert sniff(path) == Kind.EINVOICE
    with pytest.raises(CorruptContent, match="not well-formed"):
        extract(path)


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
<cbc:ID>&secret;</cbc:ID></Invoice>"""

LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE Invoice [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'.encode()
        for n in range(1, 10)
    )
    + b']>\n<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"'
    b' xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
    b"<cbc:ID>&lol9;</cbc:ID></Invoice>"
)


@pytest.mark.parametrize(
    "hostile",
    [XXE, LAUGHS, b"<!-- a comment first -->\n" + XXE.split(b"\n", 1)[1]],
    ids=["xxe", "billion-laughs", "xxe-after-a-comment"],
)
def test_entities_are_refused_never_expanded(tmp_path: Path, hostile: bytes) -> None:
    path = tmp_path / "hostile.xml"
    path.write_bytes(hostile)
    assert sniff(path) == Kind.EINVOICE
    with pytest.raises(UnsupportedContent, match="DOCTYPE") as refused:
        extract(path)
    assert "root:" not in refused.value.reason and "lollol" not in refused.value.reason


def test_huge_invoice_xml_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "huge.xml"
    xml = ubl_xml()
    path.write_bytes(xml + b" " * MAX_XML_BYTES)  # whitespace after the root: well-formed
    assert sniff(path) == Kind.EINVOICE
    with pytest.raises(ContentTooLarge, match=f"exceeds {MAX_XML_BYTES:,} bytes"):
        extract(path)
    with pytest.raises(ContentTooLarge, match="exceeds 1,000 bytes"):
        read_invoice_xml(xml, "huge.xml", max_bytes=1_000)
