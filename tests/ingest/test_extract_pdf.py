"""A PDF's text layer read with PDFium: written as pypdf wrote it, bombs refused before PDFium."""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from ingest.errors import ContentTooLarge
from ingest.extract import Limits, extract
from ingest.sniff import Kind
from tests.einvoices import cii_xml, facturx_pdf
from tests.generated import TRUETYPE_FONT
from tests.ingest.conftest import write_text_pdf

_FONT = "IPAPGothic"


def _page(draw: Sequence[tuple[float, float, str]], size: float = 11, spaced: str = "") -> bytes:
    """One A4 page showing each ``(x, y from the top, text)``, and ``spaced`` spaced out as
    a notice's header is, above them (each character placed on its own, 0.4 of the
    font's size apart)."""
    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(_FONT, str(TRUETYPE_FONT)))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setFont(_FONT, size)
    header = page.beginText(300, A4[1] - 100)
    header.setFont(_FONT, size)
    x = 300.0
    for char in spaced:
        header.setTextOrigin(x, A4[1] - 100)
        header.textOut(char)
        x += page.stringWidth(char, _FONT, size) + 0.4 * size
    page.drawText(header)
    for x, y, text in draw:
        page.drawString(x, A4[1] - y, text)
    page.showPage()
    page.save()
    return out.getvalue()


def test_spaced_out_japanese_reads_as_written(tmp_path: Path) -> None:
    """GIVEN a date spaced out as an official notice's header,
    beside a label and its value in table cells WHEN read THEN the date is one word and the
    label keeps its distance from the value (a space)."""
    body = [
        (60, 200 + 16 * i, "道路維持補修工事の委託契約について、次のとおり通知します。")
        for i in range(6)
    ]
    cells = [(60, 140, "小計"), (200, 140, "1,000円"), (60, 160, "山田 太郎"), *body]
    path = tmp_path / "notice.pdf"
    path.write_bytes(_page(cells, spaced="令和元年11月21日"))
    text = extract(path).text
    assert "令和元年11月21日" in text
    assert "小計 1,000円" in text
    assert "山田 太郎" in text  # a space in the content stays


def test_word_hyphenated_at_a_line_end_keeps_its_hyphen_and_break(tmp_path: Path) -> None:
    path = tmp_path / "hyphen.pdf"
    path.write_bytes(
        _page([(60, 100, "The ward office received the adminis-"), (60, 114, "tration's reply.")])
    )
    assert "adminis-\ntration's reply." in extract(path).text


def test_content_that_inflates_past_the_limit_is_refused(tmp_path: Path) -> None:
    """GIVEN a page whose 1 MB content stream inflates to 200 MB (a decompression bomb)
    WHEN read THEN ContentTooLarge names the page, before PDFium holds it in memory."""
    writer = PdfWriter(clone_from=PdfReader(write_text_pdf(tmp_path / "one.pdf", ["bomb"])))
    stream = StreamObject()
    stream._data = zlib.compress(b"BT /F1 12 Tf 72 720 Td (bomb) Tj ET\n" + b" " * (200 << 20))
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    writer.pages[0][NameObject("/Contents")] = writer._add_object(stream)
    writer.write(tmp_path / "bomb.pdf")
    with pytest.raises(ContentTooLarge, match="page 1: its content inflates past"):
        extract(tmp_path / "bomb.pdf")
    small = Limits(max_page_content=10)
    with pytest.raises(ContentTooLarge, match="page 1"):
        extract(
            write_text_pdf(tmp_path / "small.pdf", ["a line longer than ten bytes"]), limits=small
        )


def test_a_file_pdfium_cannot_open_is_read_by_pypdf(tmp_path: Path) -> None:
    """GIVEN a PDF behind 2 KB of junk (PDFium looks for the header in the first 1 KB only)
    WHEN read as a PDF THEN pypdf reads it, and the warnings say so."""
    pdf = write_text_pdf(tmp_path / "plain.pdf", ["Minutes of the committee"]).read_bytes()
    (tmp_path / "junk.pdf").write_bytes(b"\x00" * 2048 + pdf)
    extraction = extract(tmp_path / "junk.pdf", Kind.PDF)
    assert "Minutes of the committee" in extraction.text
    assert any("PDFium cannot open" in note for note in extraction.warnings)


def test_the_files_a_pdf_carries_are_listed(tmp_path: Path) -> None:
    """GIVEN a Factur-X PDF and a plain one WHEN read THEN the first lists its invoice XML and
    the second nothing (so the e-invoice step does not parse it again)."""
    (tmp_path / "facturx.pdf").write_bytes(facturx_pdf(cii_xml()))
    assert extract(tmp_path / "facturx.pdf").attachments == ("factur-x.xml",)
    assert extract(write_text_pdf(tmp_path / "plain.pdf", ["no files"])).attachments == ()
