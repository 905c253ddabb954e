"""Fields read from the layout: words with boxes from PDF text layers and from Tesseract, the
label–value reader across cells, issuer blocks, totals, 甲/乙 signature blocks, and boxes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from ingest.extract import extract
from ingest.extract.base import Limits, PageText
from ingest.fields import extract_fields, fields_type, read_layout
from ingest.fields.segments import MAX_SEGMENTS, segments
from ingest.ocr import apply_ocr
from ingest.sniff import Kind
from ingest.words import MAX_WORDS_PER_PAGE, Box, PageWords, Word, pdf_words, tesseract_words
from tests.layouts import FieldDoc, field_documents

DOCS = field_documents(8, seed=3, scans=0)


def _write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _read(path: Path, kind: str) -> dict[str, list[object]]:
    extraction = extract(path)
    words = [page.words for page in extraction.pages if page.words] or pdf_words(
        path, [page.number for page in extraction.pages]
    )
    found: dict[str, list[object]] = {}
    for field in extract_fields(extraction.pages, kind, words):
        assert field.box is not None, field  # every field of a page with words has its box
        found.setdefault(field.name, []).append(field.value)
    return found


def _expected(doc: FieldDoc) -> dict[str, list[str]]:
    return {name: values for name, values in doc.truth.items() if values}


def _same(name: str, got: list[object], want: list[str]) -> bool:
    if name == "party":
        got = [str(g).rsplit(" (", 1)[0] for g in got]
    shown = [g.isoformat() if isinstance(g, date) else str(g) for g in got]
    numbers = [g for g in got if isinstance(g, Decimal)]
    return all(w in shown or any(n == Decimal(w) for n in numbers) for w in want)


@pytest.mark.parametrize("doc", DOCS, ids=[d.name for d in DOCS])
def test_generated_papers_are_read_field_by_field(doc: FieldDoc, tmp_path: Path) -> None:
    """GIVEN a born-digital invoice, receipt, quotation or contract laid out in cells and
    blocks WHEN its fields are read with its words THEN each true field is found."""
    kind = "contract" if doc.subtype == "contract" else fields_type("other", "quotation")
    found = _read(_write(tmp_path, "doc.pdf", doc.pdf()), kind)
    missed = {
        n: (found.get(n), v) for n, v in _expected(doc).items() if not _same(n, found.get(n, []), v)
    }
    assert not missed


def test_a_value_in_the_next_cell_or_below_its_label_gets_its_box() -> None:
    """GIVEN labels with their values in the next cell, below, and an addressee with 御中
    WHEN read THEN each value is found with the box of the cell it is in."""
    words = PageWords(
        1,
        (
            Word("大阪市総務局", Box(0.08, 0.14, 0.25, 0.16)),
            Word("御中", Box(0.26, 0.14, 0.30, 0.16)),
            Word("請求日", Box(0.60, 0.10, 0.66, 0.115)),
            Word("令和6年4月1日", Box(0.75, 0.10, 0.88, 0.115)),
            Word("株式会社みなと設備", Box(0.60, 0.18, 0.80, 0.20)),
            Word("登録番号", Box(0.60, 0.21, 0.66, 0.225)),
            Word("T1234567890123", Box(0.67, 0.21, 0.80, 0.225)),
            Word("Total", Box(0.60, 0.80, 0.66, 0.815)),
            Word("11,000", Box(0.60, 0.82, 0.66, 0.835)),
            Word("消費税", Box(0.60, 0.76, 0.66, 0.775)),
            Word("1,000", Box(0.84, 0.76, 0.90, 0.775)),
        ),
    )
    fields = {f.name: f for f in read_layout([words], "invoice")}
    assert fields["recipient"].value == "大阪市総務局"
    assert fields["issuer"].value == "株式会社みなと設備"
    assert str(fields["date"].value) == "2024-04-01"
    assert fields["date"].box == Box(0.75, 0.10, 0.88, 0.115)
    assert fields["total_amount"].value == Decimal("11000")  # below its label
    assert fields["tax_amount"].value == Decimal("1000")  # right of its label
    assert all(f.source == "layout" for f in fields.values())
    year = PageWords(
        1, (Word("Total", Box(0.6, 0.8, 0.66, 0.815)), Word("2014", Box(0.8, 0.8, 0.85, 0.815)))
    )
    assert read_layout([year], "invoice") == []  # a bare integer beside a label is no amount


def test_a_rotated_page_gives_boxes_as_the_page_is_shown(tmp_path: Path) -> None:
    """GIVEN the same page upright and turned 90° WHEN its words are read THEN the box of a
    word top left on the upright page is top right on the turned one."""
    upright = _write(tmp_path, "upright.pdf", DOCS[0].pdf())
    writer = PdfWriter(clone_from=PdfReader(upright))
    writer.pages[0].rotate(90)
    turned = tmp_path / "turned.pdf"
    writer.write(turned)
    (before,) = pdf_words(upright, [1])
    (after,) = pdf_words(turned, [1])
    assert len(before.words) == len(after.words) > 20
    a, b = before.words[0].box, after.words[0].box
    assert b.x0 == pytest.approx(1 - a.y1, abs=1e-6) and b.y0 == pytest.approx(a.x0, abs=1e-6)
    assert after.aspect > 1 > before.aspect


def test_a_crowded_page_gives_its_first_words_in_order_and_a_blank_page_none(
    tmp_path: Path,
) -> None:
    """GIVEN a page of more words than MAX_WORDS_PER_PAGE and a blank page WHEN their words
    are read THEN the first MAX_WORDS_PER_PAGE come in the order drawn, each inside the
    page, and the blank page has none."""
    drawn = [f"w{n}" for n in range(MAX_WORDS_PER_PAGE + 300)]
    path = tmp_path / "crowded.pdf"
    page = canvas.Canvas(str(path), pagesize=A4)
    page.setFont("Helvetica", 1.5)
    for line in range(0, len(drawn), 100):
        page.drawString(4, A4[1] - 4 - 1.6 * (line // 100), " ".join(drawn[line : line + 100]))
    page.showPage()
    page.showPage()
    page.save()
    crowded, blank = pdf_words(path, [1, 2])
    assert [w.text for w in crowded.words] == drawn[:MAX_WORDS_PER_PAGE]
    assert all(
        0 <= w.box.x0 < w.box.x1 <= 1 and 0 <= w.box.y0 < w.box.y1 <= 1 for w in crowded.words
    )
    assert blank == PageWords(2, (), crowded.aspect)


def test_pages_without_words_and_bad_word_sources_give_no_layout_fields(tmp_path: Path) -> None:
    """GIVEN pages without words, a file that is no PDF, a page number out of range and
    malformed Tesseract output WHEN read THEN there are no words and no layout fields, and
    the text reader still works."""
    assert read_layout([PageWords(1, ())], "invoice") == []
    assert read_layout([], "contract") == []
    not_pdf = _write(tmp_path, "x.pdf", b"%PDF-1.7 this is not a PDF")
    assert pdf_words(not_pdf, [1]) == [PageWords(1, ())]
    good = _write(tmp_path, "good.pdf", DOCS[0].pdf())
    assert pdf_words(good, [0, 5]) == [PageWords(0, ()), PageWords(5, ())]
    for tsv in ("", "garbage\tonly\n", "level\tleft\n5\tx\n", "\x00" * 100):
        assert tesseract_words(1, tsv).words == ()
    page = PageText(1, "請求書\nご請求金額 ¥1,100")
    (total, *_) = [
        f for f in extract_fields([page], "invoice", [PageWords(1, ())]) if f.name == "total_amount"
    ]
    assert total.value == Decimal("1100") and total.box is None


def test_a_huge_table_is_read_within_bounds() -> None:
    """GIVEN a page of 40,000 words (a huge table) WHEN read THEN the reader looks at its
    first segments only and answers."""
    words = tuple(
        Word(f"{row * 10 + col:,}", Box(col / 10, row / 4000, col / 10 + 0.05, (row + 0.8) / 4000))
        for row in range(4000)
        for col in range(10)
    )
    page = PageWords(1, words)
    assert len(segments(page)) == MAX_SEGMENTS
    assert read_layout([page], "invoice") == []  # numbers without labels are no fields


def test_a_scanned_invoice_is_read_from_tesseracts_word_boxes(tmp_path: Path) -> None:
    """GIVEN a scanned Japanese invoice (real Tesseract) WHEN OCRed THEN its pages carry
    Tesseract's words and the total, read from the totals table at the bottom right, has a
    box there."""
    doc = next(d for d in field_documents(16, seed=5, scans=0) if d.name.startswith("ja-invoice"))
    path = _write(tmp_path, "scan.png", doc.scan_png(seed=2))
    extraction = apply_ocr(path, extract(path, Kind.PNG, Limits()))
    (page,) = extraction.pages
    assert page.words is not None and len(page.words.words) > 30
    fields = {f.name: f for f in extract_fields(extraction.pages, "invoice", [page.words])}
    assert str(fields["total_amount"].value) == doc.truth["total_amount"][0]
    box = fields["total_amount"].box
    assert box is not None and 0 < box.x0 < box.x1 <= 1 and 0 < box.y0 < box.y1 <= 1
    assert fields["issuer"].value == doc.truth["issuer"][0]
