"""Judging extracted text, and cleaning scans before OCR: unit tests on made and real pages."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from ingest.deskew import measure
from ingest.despeckle import despeckle
from ingest.extract import Limits, extract
from ingest.render import page_images
from ingest.resolution import enlargement
from ingest.text_quality import unusable_reason
from tests.generated import broken_unicode_pdf, scan_png, text_pdf

LINES = ["業務委託契約書", "大阪市役所総務局と株式会社サンプルは次のとおり契約を締結する。"]


@pytest.mark.parametrize(
    ("garbage", "why"),
    [
        ("\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11", "control"),
        (
            "\ue000\ue001\ue002\ue003 \ue004\ue005\ue006\ue007\ue008\ue009\ue00a\ue00b",
            "private-use",
        ),
        ("\ufffd" * 20, "replacement"),
        ("ÝþÆÇ¯ÐÑ ×Þßàáâãäå æçèéêëìíîïðñò óôõöøùúûüýÿ", "no script"),
        ("bcdfg hjklm npqrs tvwxz bcdfgh klmnp", "vowels"),
    ],
)
def test_garbage_is_unusable_with_a_reason(garbage: str, why: str) -> None:
    reason = unusable_reason(garbage)
    assert reason is not None and why in reason


@pytest.mark.parametrize(
    "text",
    [
        "業務委託契約書 大阪市役所総務局と株式会社サンプル 令和6年4月1日 ¥3,300,000",
        "The quick brown fox jumps over the lazy dog in Osaka, 2024-04-01.",
        "Ärzte für Überweisung, Straße, Café résumé naïve – très élégant façade",
        "Зарплата и налоги за 2024 год, Σύμβαση παροχής υπηρεσιών",
        "INV-2024-0001 TOTAL 1,234.00 USD",
        "short",
        "",
    ],
)
def test_real_text_in_any_script_is_usable(text: str) -> None:
    assert unusable_reason(text) is None


def test_a_pdf_without_unicode_maps_is_marked_for_ocr_with_the_reason(tmp_path: Path) -> None:
    broken, good = tmp_path / "broken.pdf", tmp_path / "good.pdf"
    broken.write_bytes(broken_unicode_pdf(LINES))
    good.write_bytes(text_pdf(LINES))
    (page,) = extract(broken).pages
    assert page.needs_ocr and page.text == ""
    assert page.reason is not None and page.reason.startswith("text layer unusable")
    (page,) = extract(good).pages
    assert not page.needs_ocr and page.reason is None and "株式会社サンプル" in page.text


def test_the_corpus_pdfs_read_as_text(corpus: Path) -> None:
    """No real born-digital PDF of the corpus is taken for garbage."""
    for path in sorted((corpus / "invoices").glob("*.pdf")) + sorted(
        (corpus / "contracts").glob("*.pdf")
    ):
        for page in extract(path).pages:
            assert not (page.reason or "").startswith("text layer unusable"), (path, page)


def test_despeckle_cleans_noisy_scans_only(corpus: Path) -> None:
    noisy = Image.open(io.BytesIO(scan_png(LINES, noise=0.01)))
    clean = Image.open(io.BytesIO(scan_png(LINES, noise=0, blur=0.5)))
    assert despeckle(noisy) is not noisy
    assert despeckle(clean) is clean
    scan = corpus / "scans" / "ja_pdfme_invoice-ja-simple.png"
    (page,) = page_images(scan, extract(scan).kind, [1], Limits())
    # Its 7 px type is enlarged before despeckling (ingest.prepare); then it is left alone.
    factor = enlargement(measure(page.image).line_height)
    enlarged = page.image.resize(
        (round(page.image.width * factor), round(page.image.height * factor))
    )
    assert factor > 1 and despeckle(enlarged) is enlarged
