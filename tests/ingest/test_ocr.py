"""OCR with the real Tesseract on small corpus scans (each test reads one or two pages)."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from ingest.extract import extract
from ingest.ocr import apply_ocr, clean_ocr_text
from tests.generated import ScanStyle, scan_image


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


@pytest.mark.parametrize("skew", [0.0, 2.8])
def test_the_ocr_layer_of_a_scanned_pdf_lies_on_its_ink(skew: float, tmp_path: Path) -> None:
    """GIVEN an image-only PDF of a page scanned straight or askew (its page is straightened
    for Tesseract) THEN the searchable PDF keeps the scan and the characters of its invisible
    text layer lie over the printed ones: nearly every character's box holds ink."""
    lines = [
        "甲は検査の結果を書面により乙に通知するものとする。",
        "Invoice 4711 total amount due 98,765.43 USD",
    ]
    style = ScanStyle(dpi=200, skew_deg=skew, blur=0.4, noise=0, size_pt=14)
    scan = Image.open(io.BytesIO(scan_image(lines, style)))
    scan.save(tmp_path / "scan.pdf", "PDF", resolution=200)
    apply_ocr(
        tmp_path / "scan.pdf", extract(tmp_path / "scan.pdf"), searchable_pdf=tmp_path / "out.pdf"
    )
    document = pdfium.PdfDocument(tmp_path / "out.pdf")
    page = document[0]
    scale = 200 / 72
    ink = np.asarray(page.render(scale=scale, grayscale=True).to_pil().convert("L")) < 128
    textpage = page.get_textpage()
    height = page.get_height()
    covered = total = 0
    for index in range(textpage.count_chars()):
        if textpage.get_text_range(index, 1).isspace():
            continue
        left, bottom, right, top = (v * scale for v in textpage.get_charbox(index))
        box = ink[
            round(height * scale - top) : round(height * scale - bottom), round(left) : round(right)
        ]
        total += 1
        covered += bool(box.size) and box.mean() > 0.05
    document.close()
    assert total > 40 and covered / total > 0.9
