"""OCR with the real Tesseract on small corpus scans (each test reads one or two pages)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PIL import Image
from pypdf import PdfReader, PdfWriter

from ingest.extract import extract
from ingest.ocr import apply_ocr, clean_ocr_text


def test_english_scan(corpus: Path, tmp_path: Path) -> None:
    path = corpus / "scans/en_tesseractjs_testocr.png"
    extraction = apply_ocr(path, extract(path), searchable_pdf=tmp_path / "out.pdf")
    page = extraction.pages[0]
    assert page.method == "ocr" and not page.needs_ocr
    assert "quick brown" in page.text
    assert extraction.language == "en"
    layer = PdfReader(tmp_path / "out.pdf").pages[0].extract_text()
    assert "quick brown" in layer


def test_japanese_scan(corpus: Path) -> None:
    path = corpus / "scans/ja_pdfme_invoice-ja-simple.png"
    text = apply_ocr(path, extract(path)).text
    assert "請求" in text
    assert "T-1234567890123" in text
    assert " " not in text.split("請求")[0][-3:]  # no spaces inside Japanese words


def test_mixed_pdf_ocrs_only_the_scanned_page(
    corpus: Path, text_pdf: Callable[..., Path], tmp_path: Path
) -> None:
    scan = tmp_path / "scan.pdf"
    Image.open(corpus / "scans/en_tesseractjs_testocr.png").convert("RGB").save(scan, resolution=72)
    writer = PdfWriter(clone_from=PdfReader(text_pdf(["Cover letter with a text layer"])))
    writer.append(PdfReader(scan))
    writer.write(tmp_path / "mixed.pdf")

    extraction = extract(tmp_path / "mixed.pdf")
    assert extraction.pages_needing_ocr == (2,)
    ocred = apply_ocr(
        tmp_path / "mixed.pdf", extraction, searchable_pdf=tmp_path / "searchable.pdf"
    )
    assert [p.method for p in ocred.pages] == ["text", "ocr"]
    assert "Cover letter" in ocred.pages[0].text
    assert "quick brown" in ocred.pages[1].text
    searchable = PdfReader(tmp_path / "searchable.pdf")
    assert len(searchable.pages) == 2
    assert "quick brown" in searchable.pages[1].extract_text()


def test_nothing_to_ocr_is_a_no_op(corpus: Path) -> None:
    path = corpus / "invoices/ja_pdfme_seikyusho_invoice.pdf"
    extraction = extract(path)
    assert apply_ocr(path, extraction) is extraction


def test_clean_ocr_text() -> None:
    assert clean_ocr_text("請 求 書 No. 12\f") == "請求書 No. 12"
