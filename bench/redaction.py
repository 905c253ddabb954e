"""Redaction throughput: pages/s of a released PDF beside the raw render of the same pages.

    python -m bench.redaction [PAGES] [REDACTIONS]

Builds a text PDF of PAGES pages (default 200), locates REDACTIONS (default 500) terms on it
with ``disclosure.locate``, and times: the raw pypdfium2 render of every page at the release
resolution; ``disclosure.render.write_redacted`` without and with the OCR text layer (the
OCR run is timed on the first 20 pages only, and reported per page).
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium
from reportlab.pdfgen import canvas

from disclosure._pdf import render_page
from disclosure.locate import find
from disclosure.render import RELEASE_DPI, write_redacted
from ingest.typeset import font_name


def make_pdf(path: Path, pages: int, redactions: int) -> None:
    font = font_name()
    pdf = canvas.Canvas(str(path))
    per_page = -(-redactions // pages)
    placed = 0
    for page in range(pages):
        pdf.setFont(font, 11)
        for line in range(40):
            text = (
                f"第{page + 1}頁 {line + 1}行 本件契約に関する記録 予算額 1,234,567円 担当課 総務局"
            )
            if line < per_page and placed < redactions:
                text += f" SECRET{placed:04d}"
                placed += 1
            pdf.drawString(50, 800 - line * 19, text)
        pdf.showPage()
    pdf.save()


def main() -> None:
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    redactions = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "in.pdf"
        make_pdf(source, pages, redactions)
        started = time.perf_counter()
        found = find(source, re.compile(r"SECRET\d{4}"))
        locate_s = time.perf_counter() - started
        boxes: dict[int, list] = {}
        for hit in found:
            boxes.setdefault(hit.page, []).extend(hit.boxes)
        started = time.perf_counter()
        document = pdfium.PdfDocument(source)
        for page in document:
            render_page(page, RELEASE_DPI).close()
        document.close()
        raw_s = time.perf_counter() - started
        started = time.perf_counter()
        write_redacted(source, boxes, Path(scratch) / "out.pdf")
        release_s = time.perf_counter() - started
        first = {p: b for p, b in boxes.items() if p <= 20}
        sample = Path(scratch) / "sample.pdf"
        document = pdfium.PdfDocument(source)
        head = pdfium.PdfDocument.new()
        head.import_pages(document, list(range(min(20, pages))))
        head.save(sample)
        head.close()
        document.close()
        started = time.perf_counter()
        write_redacted(sample, first, Path(scratch) / "out-ocr.pdf", ocr=True)
        ocr_s = (time.perf_counter() - started) / min(20, pages)
    print(
        f"{pages} pages, {len(found)} redactions located in {locate_s:.2f} s ({pages / locate_s:.1f} pages/s)"
    )
    print(f"raw render at {RELEASE_DPI} dpi: {raw_s:.2f} s, {pages / raw_s:.1f} pages/s")
    print(
        f"released PDF (image-only):    {release_s:.2f} s, {pages / release_s:.1f} pages/s, ratio {release_s / raw_s:.2f}x raw"
    )
    print(
        f"released PDF with OCR layer:  {ocr_s:.2f} s/page, {1 / ocr_s:.2f} pages/s, ratio {ocr_s / (raw_s / pages):.1f}x raw"
    )


if __name__ == "__main__":
    main()
