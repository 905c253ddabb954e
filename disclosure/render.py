"""The released PDF: every page rasterised, redacted areas painted black, written as images only.

Nothing of the original PDF object graph is copied: no text layer, fonts, metadata,
annotations, attachments, JavaScript or earlier revisions can survive, because the output
is built from pixels. With ``ocr=True`` a text layer is added by OCR of the *redacted*
image (ingest's Tesseract step), so the released file is searchable yet can only hold text
that is visible on it.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter

from disclosure._pdf import open_pdf, render_page
from disclosure.locate import Box
from ingest import OcrOptions, PageImage, ocr_page

RELEASE_DPI = 200
"""Legible for print and for OCR of the released file; 300 only makes it slower and larger."""
PAD_PT = 1.5
"""Black boxes grow this much on every side so no anti-aliased glyph edge survives."""


def paint(image: Image.Image, boxes: Sequence[Box], dpi: int) -> None:
    scale = dpi / 72
    draw = ImageDraw.Draw(image)
    for x0, y0, x1, y1 in boxes:
        draw.rectangle(
            [
                (x0 - PAD_PT) * scale,
                (y0 - PAD_PT) * scale,
                (x1 + PAD_PT) * scale,
                (y1 + PAD_PT) * scale,
            ],
            fill=0,
        )


def write_redacted(
    source: Path,
    boxes: Mapping[int, Sequence[Box]],
    out: Path,
    *,
    dpi: int = RELEASE_DPI,
    ocr: bool = False,
) -> int:
    """Write ``out`` from ``source`` with ``boxes`` (page number → boxes) blacked out; return the page count."""
    document = open_pdf(source)
    writer = PdfWriter()
    try:
        with tempfile.TemporaryDirectory(prefix="bunko-redact-") as scratch:
            for index in range(len(document)):
                page = document[index]
                try:
                    width, height = page.get_size()
                    image = render_page(page, dpi)
                finally:
                    page.close()
                paint(image, boxes.get(index + 1, ()), dpi)
                writer.add_page(
                    _image_page(image, index + 1, dpi, (width, height), Path(scratch), ocr).pages[0]
                )
                image.close()
    finally:
        document.close()
    writer.metadata = None
    with out.open("wb") as sink:
        writer.write(sink)
    return len(writer.pages)


def _image_page(
    image: Image.Image, number: int, dpi: int, size: tuple[float, float], scratch: Path, ocr: bool
) -> PdfReader:
    if ocr:
        result = ocr_page(PageImage(number, image, dpi), scratch, OcrOptions(), text_only=False)
        data = result.pdf.read_bytes()
        result.pdf.unlink()
    else:
        buffer = io.BytesIO()
        image.save(buffer, format="PDF", resolution=dpi)
        data = buffer.getvalue()
    return PdfReader(io.BytesIO(data))


def page_png(source: Path, number: int, dpi: int) -> bytes:
    """Page ``number`` (1-based) of ``source`` as a PNG at ``dpi``, for the officer's redaction view."""
    document = open_pdf(source)
    try:
        page = document[number - 1]
        try:
            image = render_page(page, dpi)
        finally:
            page.close()
    finally:
        document.close()
    encoded = io.BytesIO()
    image.save(encoded, "PNG", optimize=True)
    return encoded.getvalue()
