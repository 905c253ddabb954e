"""True removal: the released PDF holds no redacted text, by text extraction or by OCR."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import numpy as np
import pypdfium2 as pdfium
import pytesseract
import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from disclosure.convert import working_pdf
from disclosure.errors import BadRedaction
from disclosure.locate import Box, find, literal
from disclosure.render import write_redacted
from tests.disclosure.conftest import text_pdf
from tests.ingest.formats import docx_bytes, write_email

SECRETS = ("山田太郎", "PINEAPPLE")


def _boxes(pdf: Path, terms: tuple[str, ...] = SECRETS) -> dict[int, list[Box]]:
    boxes: dict[int, list[Box]] = {}
    for term in terms:
        found = find(pdf, literal(term))
        assert found, f"{term} not found"
        for hit in found:
            boxes.setdefault(hit.page, []).extend(hit.boxes)
    return boxes


def _extracted(pdf: Path) -> str:
    return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in PdfReader(pdf).pages))


def _ocr(pdf: Path) -> str:
    document = pdfium.PdfDocument(pdf)
    try:
        text = ""
        for page in document:
            image = page.render(scale=300 / 72, grayscale=True).to_pil()
            text += pytesseract.image_to_string(image, lang="jpn+eng")
        return re.sub(r"\s+", "", text)
    finally:
        document.close()


def _assert_clean(out: Path) -> None:
    reader = PdfReader(out)
    assert reader.metadata is None
    raw = out.read_bytes()
    for secret in SECRETS:
        assert secret.encode() not in raw and secret.encode("utf-16-be") not in raw
    assert all("/Annots" not in page for page in reader.pages)
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get_object())
    root = reader.trailer["/Root"].get_object()
    assert isinstance(root, DictionaryObject) and "/AcroForm" not in root


def test_text_pdf_redaction_leaves_no_text_and_no_glyphs(tmp_path: Path) -> None:
    source = text_pdf(tmp_path / "in.pdf")
    out = tmp_path / "out.pdf"
    write_redacted(source, _boxes(source), out, ocr=True)
    _assert_clean(out)
    extracted, read = _extracted(out), _ocr(out)
    for secret in SECRETS:
        assert secret not in extracted and secret not in read
    # The neighbours survive, in the OCR text layer and in a fresh OCR of the pixels.
    for neighbour in ("contract", "north", "office", "予算額"):
        assert neighbour in extracted and neighbour in read
    assert "06-1234-5678" in read


def test_without_ocr_the_released_pdf_has_no_text_at_all(tmp_path: Path) -> None:
    source = text_pdf(tmp_path / "in.pdf")
    out = tmp_path / "out.pdf"
    write_redacted(source, _boxes(source), out, ocr=False)
    _assert_clean(out)
    assert _extracted(out) == ""
    assert "PINEAPPLE" not in _ocr(out) and "office" in _ocr(out)


def test_overlapping_redactions_are_painted_together(tmp_path: Path) -> None:
    source = text_pdf(tmp_path / "in.pdf")
    (box,) = find(source, literal("PINEAPPLE"))[0].boxes
    x0, y0, x1, y1 = box
    overlapping = {1: [box, (x0 + 10, y0 - 2, x1 + 5, y1 + 2), (x0 - 3, y0, x0 + 20, y1)]}
    out = tmp_path / "out.pdf"
    write_redacted(source, overlapping, out, ocr=True)
    assert "PINEAPPLE" not in _extracted(out) and "PINEAPPLE" not in _ocr(out)
    assert "north" in _ocr(out)


def test_image_only_page_is_located_by_ocr_and_redacted(tmp_path: Path) -> None:
    source = text_pdf(tmp_path / "text.pdf")
    scan = tmp_path / "scan.pdf"
    document = pdfium.PdfDocument(source)
    document[0].render(scale=300 / 72, grayscale=True).to_pil().save(
        scan, format="PDF", resolution=300
    )
    document.close()
    found = find(scan, literal("PINEAPPLE"))
    assert found and found[0].method == "ocr"
    out = tmp_path / "out.pdf"
    write_redacted(scan, {1: list(found[0].boxes)}, out, ocr=True)
    assert "PINEAPPLE" not in _ocr(out) and "PINEAPPLE" not in _extracted(out)
    assert "north" in _ocr(out)


def _glyph_boxes(pdf: Path, term: str) -> list[tuple[int, int, int, int]]:
    """The tight boxes of ``term``'s characters in a text PDF, in pixels at 300 dpi (1 pt margin)."""
    scale = 300 / 72
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        textpage = page.get_textpage()
        start = textpage.get_text_range().index(term)
        boxes = []
        for i in range(start, start + len(term)):
            left, bottom, right, top = textpage.get_charbox(i)
            height = page.get_height()
            boxes.append(
                (
                    int((left - 1) * scale),
                    int((height - top - 1) * scale),
                    int((right + 1) * scale) + 1,
                    int((height - bottom + 1) * scale) + 1,
                )
            )
        return boxes
    finally:
        document.close()


def _dark_outside(pdf: Path, areas: list[tuple[int, int, int, int]], boxes: list[Box]) -> int:
    """Dark pixels at 300 dpi inside ``areas`` (pixels) but outside every box (points)."""
    scale = 300 / 72
    document = pdfium.PdfDocument(pdf)
    try:
        dark = np.asarray(document[0].render(scale=scale, grayscale=True).to_pil().convert("L"))
    finally:
        document.close()
    dark = dark < 128
    for x0, y0, x1, y1 in boxes:
        dark[int(y0 * scale) : int(y1 * scale) + 1, int(x0 * scale) : int(x1 * scale) + 1] = False
    return sum(int(dark[y0:y1, x0:x1].sum()) for x0, y0, x1, y1 in areas)


def test_a_scan_redaction_leaves_no_stroke_of_the_word_outside_its_box(tmp_path: Path) -> None:
    """Tesseract's box over 山田太郎 starts right of the left stroke of 山: the box must grow over it."""
    source = text_pdf(tmp_path / "text.pdf")
    scan = tmp_path / "scan.pdf"
    document = pdfium.PdfDocument(source)
    document[0].render(scale=300 / 72, grayscale=True).to_pil().save(
        scan, format="PDF", resolution=300
    )
    document.close()
    word = _glyph_boxes(source, "山田太郎")
    assert _dark_outside(scan, word, []) > 500  # the word's ink is there to be covered
    (found,) = find(scan, literal("山田太郎"))
    assert found.method == "ocr"
    out = tmp_path / "out.pdf"
    write_redacted(scan, {1: list(found.boxes)}, out, ocr=False)
    assert _dark_outside(out, word, list(found.boxes)) == 0
    assert _dark_outside(out, word, []) > 0  # the check sees the released page, boxes and all


def test_docx_original_is_redacted_through_its_text(tmp_path: Path) -> None:
    original = tmp_path / "in.docx"
    document = docx.Document()
    document.core_properties.author = "山田太郎"
    for line in (
        "Public works contract 2025 Osaka",
        "Contact PINEAPPLE at the north office",
        "申請者 山田太郎様",
    ):
        document.add_paragraph(line)
    document.save(str(original))
    _assert_redacted_through_text(original, tmp_path, kept=("north", "contract"))


def test_an_email_and_its_attachment_are_redacted_through_their_text(tmp_path: Path) -> None:
    """GIVEN a saved e-mail naming secrets in its body and in an attached Word file WHEN its
    working PDF is redacted THEN neither secret is left, and the rest of both is."""
    original = write_email(
        tmp_path / "mail.eml",
        "申請者 山田太郎様の件です。\nContact the north office.",
        attachments={"memo.docx": docx_bytes("Code word PINEAPPLE for the south depot")},
    )
    _assert_redacted_through_text(original, tmp_path, kept=("north", "south"))


def _assert_redacted_through_text(original: Path, tmp_path: Path, kept: tuple[str, ...]) -> None:
    """The working PDF of ``original`` redacted at every secret: none left, ``kept`` read."""
    pdf = working_pdf(original, tmp_path / "working.pdf")
    out = tmp_path / "out.pdf"
    write_redacted(pdf, _boxes(pdf), out, ocr=True)
    _assert_clean(out)
    extracted, read = _extracted(out), _ocr(out)
    for secret in SECRETS:
        assert secret not in extracted and secret not in read
    assert all(word in read for word in kept)


def test_a_pdf_encrypted_with_an_empty_user_password_is_redacted_like_any_other(
    tmp_path: Path,
) -> None:
    """GIVEN a PDF encrypted with an empty user password WHEN redacted THEN the output holds no secret."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=text_pdf(tmp_path / "plain.pdf"))
    writer.encrypt(user_password="", owner_password="owner-only", algorithm="AES-256")
    source = tmp_path / "encrypted.pdf"
    with source.open("wb") as out_file:
        writer.write(out_file)
    out = tmp_path / "out.pdf"
    write_redacted(source, _boxes(source), out)
    text = _extracted(out) + _ocr(out)
    for secret in SECRETS:
        assert secret not in text
    _assert_clean(out)


def test_a_pdf_that_needs_a_password_gets_a_clear_refusal(corpus: Path, tmp_path: Path) -> None:
    locked = corpus / "malformed" / "encrypted_rc4_pw-test.pdf"
    with pytest.raises(BadRedaction, match="password"):
        find(locked, literal("anything"))
    with pytest.raises(BadRedaction, match="password"):
        write_redacted(locked, {}, tmp_path / "never-written.pdf")
