"""Searchable PDFs: OCR text as an invisible layer under the page images."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader, PdfWriter, Transformation

from ingest.extract.pdf import open_pdf, pdf_errors
from ingest.sniff import Kind


def write_searchable_pdf(
    source: Path, kind: Kind, page_pdfs: dict[int, Path], target: Path
) -> None:
    """Write ``target``: ``source`` with the OCR layers of ``page_pdfs`` (page number -> PDF).

    For a PDF source each layer is text only and is laid over its page, so the original
    pages stay as they were. For an image source the layers hold the image too and become
    the pages.
    """
    with pdf_errors():
        if kind == Kind.PDF:
            writer = PdfWriter(clone_from=open_pdf(source))
            for number, layer in page_pdfs.items():
                _overlay(writer, number, PdfReader(layer))
        else:
            writer = PdfWriter()
            for number in sorted(page_pdfs):
                writer.append(PdfReader(page_pdfs[number]))
        with target.open("wb") as out:
            writer.write(out)


def _overlay(writer: PdfWriter, number: int, layer: PdfReader) -> None:
    page = writer.pages[number - 1]
    # pdfium renders /Rotate applied; make the page upright so the layer lines up with it.
    page.transfer_rotation_to_content()
    text = layer.pages[0]
    box = page.cropbox
    scale_x = float(box.width) / float(text.mediabox.width)
    scale_y = float(box.height) / float(text.mediabox.height)
    page.merge_transformed_page(
        text, Transformation().scale(scale_x, scale_y).translate(float(box.left), float(box.bottom))
    )
