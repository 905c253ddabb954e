"""Searchable PDFs: OCR text as an invisible layer under the page images."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader, PdfWriter, Transformation

from ingest.extract.pdf import open_pdf, pdf_errors
from ingest.sniff import Kind


def write_searchable_pdf(
    source: Path, kind: Kind, page_pdfs: dict[int, tuple[Path, float]], target: Path
) -> None:
    """Write ``target``: ``source`` with the OCR layers of ``page_pdfs`` (page number ->
    the PDF Tesseract wrote, and the degrees its page image was straightened by).

    For a PDF source each layer is text only and is laid over its page, turned back by its
    angle so the text lies on the skewed scan, and the original pages stay as they were.
    For an image source the layers hold the (straightened) image too and become the pages.
    """
    with pdf_errors():
        if kind == Kind.PDF:
            writer = PdfWriter(clone_from=open_pdf(source))
            for number, (layer, angle) in page_pdfs.items():
                _overlay(writer, number, PdfReader(layer), angle)
        else:
            writer = PdfWriter()
            for number in sorted(page_pdfs):
                writer.append(PdfReader(page_pdfs[number][0]))
        with target.open("wb") as out:
            writer.write(out)


def _overlay(writer: PdfWriter, number: int, layer: PdfReader, angle: float) -> None:
    page = writer.pages[number - 1]
    # pdfium renders /Rotate applied; make the page upright so the layer lines up with it.
    page.transfer_rotation_to_content()
    text = layer.pages[0]
    box = page.cropbox
    scale_x = float(box.width) / float(text.mediabox.width)
    scale_y = float(box.height) / float(text.mediabox.height)
    width, height = float(text.mediabox.width), float(text.mediabox.height)
    # The image was turned clockwise by ``angle`` about its centre: turn its text back.
    upright = Transformation().translate(-width / 2, -height / 2).rotate(angle)
    placed = upright.translate(width / 2, height / 2).scale(scale_x, scale_y)
    page.merge_transformed_page(text, placed.translate(float(box.left), float(box.bottom)))
