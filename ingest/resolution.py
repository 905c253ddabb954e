"""The resolution a page is OCRed at: its scan's own, enlarged only when its text is too small.

Rendering every page at a fixed 300 dpi of its page size makes Tesseract read pixels the
scanner never captured (a 200 dpi scan becomes 2.25x the pixels) and shrinks 600 dpi
scans. Instead a PDF page is rendered so that its scanned image keeps its pixels, and an
image file is read as it is. Whether that is enough is judged from the text itself, not
from the dpi (a 96 dpi page of large type reads well; a 200 dpi page of 6 pt type does
not): lines lower than ``MIN_LINE_PX`` are enlarged by the factor that brings them to
``TARGET_LINE_PX`` (``enlargement``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ingest.errors import ContentTooLarge
from ingest.extract.base import Limits

OCR_DPI = 300
"""Tesseract's sweet spot: body text of 9-12 pt gets the ~30 px x-height its models were
trained on. Pages without a scanned image (outlined text) are rendered at this resolution."""
MIN_LINE_PX = 20
"""Text lines (their band of ink, as ``ingest.deskew.measure`` finds it) lower than this are
enlarged: 9 pt kanji at 200 dpi (22 px) read well, the 11 px lines of a 96 dpi bank
statement read with 6% of their characters wrong."""
TARGET_LINE_PX = 26
"""What small lines are enlarged to (the bank statement: 0.993 of its characters right)."""
MAX_UPSCALE = 4.0
"""Beyond 4x, interpolation adds no detail."""
PAGE_INCHES = 11.69
"""An image that declares no (or no credible) resolution is taken to be A4's long side."""
_CREDIBLE_PAGE_INCHES = (1.0, 60.0)
"""A declared resolution is believed when it makes the long side a business card to A0."""
_TESSERACT_DPI = (70, 2400)
"""The resolutions Tesseract accepts as a hint (it ignores others with a warning)."""
_SCAN_COVERAGE = 0.25
"""An image covering this much of a PDF page is its scan; smaller ones are logos or stamps."""


@dataclass(frozen=True, slots=True)
class Resolution:
    scale: float
    """Pixels per PDF point to render at (for an image file: the enlargement factor)."""
    dpi: int
    """What Tesseract is told: the resolution of the text as printed."""


def image_resolution(width: int, height: int, declared: float | None) -> Resolution:
    """How to read an image of ``width`` x ``height`` pixels that declares ``declared`` dpi."""
    return Resolution(1.0, tesseract_dpi(effective_dpi(width, height, declared)))


def pdf_page_resolution(page: pdfium.PdfPage, number: int, limits: Limits) -> Resolution:
    """How to render PDF page ``number`` for OCR: at the resolution of its scanned image.

    Raises ``ContentTooLarge`` when an image on the page is over ``limits.max_image_pixels``
    (a decompression bomb: pdfium would decode all of it to render the page).
    """
    width, height = page.get_size()
    scan: tuple[int, int, float] | None = None
    for image in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=0):
        assert isinstance(image, pdfium.PdfImage)
        try:
            px_w, px_h = image.get_px_size()
        except pdfium.PdfiumError:
            continue  # an image pdfium cannot read draws nothing
        if px_w * px_h > limits.max_image_pixels:
            raise ContentTooLarge(
                f"page {number} holds an image of {px_w}x{px_h} pixels, over the limit of "
                f"{limits.max_image_pixels:,} pixels (decompression bomb guard)"
            )
        left, bottom, right, top = image.get_bounds()
        area = (right - left) * (top - bottom)
        if px_w and px_h and area > 0 and (scan is None or area > scan[2]):
            scan = (px_w, px_h, area)
    if scan is None or scan[2] < _SCAN_COVERAGE * width * height:
        return Resolution(OCR_DPI / 72, OCR_DPI)
    px_w, px_h, area = scan
    native = math.sqrt(px_w * px_h / area)  # the scan's pixels per point, as placed
    return Resolution(native, tesseract_dpi(effective_dpi(px_w, px_h, native * 72)))


def effective_dpi(width: int, height: int, declared: float | None) -> float:
    """``declared`` when it gives a credible page size, else the dpi of an A4 page."""
    long_side = max(width, height)
    if declared and math.isfinite(declared) and declared > 0:
        low, high = _CREDIBLE_PAGE_INCHES
        if low <= long_side / declared <= high:
            return declared
    return long_side / PAGE_INCHES


def enlargement(line_height: float | None) -> float:
    """1 unless text lines of ``line_height`` px are too small to read; then the factor that
    brings them to ``TARGET_LINE_PX``, at most ``MAX_UPSCALE``."""
    if line_height is None or line_height >= MIN_LINE_PX:
        return 1.0
    return min(TARGET_LINE_PX / max(line_height, 1.0), MAX_UPSCALE)


def tesseract_dpi(dpi: float) -> int:
    low, high = _TESSERACT_DPI
    return round(min(max(dpi, low), high))
