"""A member of staff signs in, uploads, finds a scan by a word only OCR could read, reads it
in both languages and downloads the original unchanged."""

from __future__ import annotations

import hashlib
from pathlib import Path

from playwright.sync_api import expect

from tests.conftest import CORPUS
from tests.ui.conftest import Site

SCAN = CORPUS / "scans" / "en_tesseractjs_testocr.png"
INVOICE = CORPUS / "invoices" / "ja_pdfme_seikyusho_invoice.pdf"
CONTRACT = CORPUS / "docx" / "en_commonpaper_one-way-nda.docx"
OCR_ONLY_WORD = "jumped"  # in the scan's pixels only: no text layer, not in the other files


def test_upload_find_by_ocr_read_in_two_languages_and_download(site: Site, tmp_path: Path) -> None:
    page = site.signed_in("sato")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator(".empty")).to_be_visible()
    site.shot(page, "search-empty")

    page.click("nav.mainnav a[href='/upload']")
    page.set_input_files("#files", [str(SCAN), str(INVOICE), str(CONTRACT)])
    page.click("#upload-button")
    rows = page.locator("#queue tr")
    expect(rows).to_have_count(3)
    expect(page.locator("#queue tr[data-status=indexed]")).to_have_count(3, timeout=150_000)
    assert page.locator("#queue progress").evaluate_all("bars => bars.map(b => b.value)") == [
        100,
        100,
        100,
    ]
    site.shot(page, "upload")

    page.click("nav.mainnav a[href='/search']")
    page.fill("#q", OCR_ONLY_WORD)
    page.press("#q", "Enter")
    page.wait_for_url(f"**/search?q={OCR_ONLY_WORD}")
    hits = page.locator("ol.hits > li")
    expect(hits).to_have_count(1)
    expect(hits.first.locator("h2 a")).to_have_text(SCAN.name)
    marks = hits.first.locator(".snippet mark")
    assert marks.count() >= 1 and {m.lower() for m in marks.all_inner_texts()} == {OCR_ONLY_WORD}
    expect(page.locator(".facets a[data-facet=department]")).to_have_count(1)
    site.shot(page, "search")

    hits.first.locator("h2 a").click()
    page.wait_for_url("**/documents/*")
    expect(page.locator("#doc-status")).to_have_attribute("data-status", "indexed")
    expect(page.locator("#pages-h")).to_have_text("ページと本文")
    expect(page.locator(".page-text").first).to_contain_text(OCR_ONLY_WORD)
    preview = page.locator("figure.preview img").first
    preview.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=preview.element_handle()
    )
    site.shot(page, "document")

    page.click("nav.langs a[hreflang=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#pages-h")).to_have_text("Pages and text")
    expect(page.locator("#doc-status")).to_have_text("Ready")
    site.shot(page, "document-en")

    with page.expect_download() as download:
        page.click("#download-original")
    saved = tmp_path / "original"
    download.value.save_as(saved)
    assert (
        hashlib.sha256(saved.read_bytes()).hexdigest()
        == hashlib.sha256(SCAN.read_bytes()).hexdigest()
    )

    page.goto("/search?q=" + "請求書")  # the choice of language sticks across pages
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("ol.hits > li")).to_have_count(1)
    page.context.close()
