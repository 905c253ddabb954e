"""Page images for OCR: PDF pages rendered with pypdfium2, image frames read with Pillow.

One page is decoded at a time, so memory does not grow with the page count.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageOps, ImageSequence

from ingest.errors import CorruptContent, EncryptedContent
from ingest.extract.base import Limits
from ingest.extract.image import check_pixels, open_image
from ingest.sniff import IMAGE_KINDS, Kind

# 300 dpi is Tesseract's sweet spot: body text of 9-12 pt gets the ~30 px x-height its
# models were trained on; below ~200 dpi kanji strokes merge, above ~400 it only gets slower.
OCR_DPI = 300
# Low-resolution images (screen renders, faxes at 72-150 dpi) are enlarged towards OCR_DPI:
# Tesseract misreads kanji with fewer than ~20 px per character. Not more than 4x: beyond
# that, interpolation adds no detail.
_MIN_IMAGE_DPI = 200
_MAX_UPSCALE = 4.0
# An image that declares no resolution is taken to be a page with A4's long side (11.69 in).
_PAGE_INCHES = 11.69


@dataclass(frozen=True, slots=True)
class PageImage:
    number: int
    image: Image.Image
    dpi: int


def page_images(
    path: Path, kind: Kind, numbers: Collection[int], limits: Limits, dpi: int = OCR_DPI
) -> Generator[PageImage]:
    """The pages ``numbers`` (1-based) of ``path`` as images, one at a time, in page order."""
    if kind == Kind.PDF:
        yield from _pdf_pages(path, numbers, limits, dpi)
    elif kind in IMAGE_KINDS:
        yield from _image_frames(path, numbers, limits)
    else:
        raise ValueError(f"{kind} content has no page images")


def open_pdf(path: Path) -> pdfium.PdfDocument:
    """The PDF for rendering; ``EncryptedContent`` when it needs a password, else ``CorruptContent``.

    A PDF encrypted with an empty user password opens as usual.
    """
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedContent(
                "PDF is password-protected: it needs a password to open"
            ) from None
        raise CorruptContent(f"PDF pages cannot be rendered ({exc})") from None


def _pdf_pages(
    path: Path, numbers: Collection[int], limits: Limits, dpi: int
) -> Iterator[PageImage]:
    document = open_pdf(path)
    try:
        for number in sorted(numbers):
            page = document[number - 1]
            try:
                width, height = page.get_size()
                # Shrink huge pages (posters, drawings) to the pixel limit instead of failing.
                scale = min(dpi / 72, math.sqrt(limits.max_image_pixels / (width * height)))
                bitmap = page.render(scale=scale, grayscale=True)
                try:
                    yield PageImage(number, bitmap.to_pil(), round(scale * 72))
                finally:
                    bitmap.close()
            finally:
                page.close()
    finally:
        document.close()


def _image_frames(path: Path, numbers: Collection[int], limits: Limits) -> Iterator[PageImage]:
    wanted = set(numbers)
    with open_image(path, limits) as image:
        for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
            if number not in wanted:
                continue
            check_pixels(frame, limits)
            try:
                upright = ImageOps.exif_transpose(
                    frame.convert("RGB") if _needs_rgb(frame) else frame
                )
            except (OSError, ValueError, SyntaxError) as exc:
                raise CorruptContent(f"damaged image, frame {number} ({exc})") from None
            yield _upscaled(upright, number, limits)


def _upscaled(image: Image.Image, number: int, limits: Limits) -> PageImage:
    declared = float(image.info.get("dpi", (0,))[0])
    dpi = declared or max(image.size) / _PAGE_INCHES
    if dpi >= _MIN_IMAGE_DPI:
        return PageImage(number, image, round(dpi))
    pixels = image.width * image.height
    scale = min(OCR_DPI / dpi, _MAX_UPSCALE, math.sqrt(limits.max_image_pixels / pixels))
    size = (round(image.width * scale), round(image.height * scale))
    return PageImage(number, image.resize(size, Image.Resampling.LANCZOS), round(dpi * scale))


def _needs_rgb(frame: Image.Image) -> bool:
    # Tesseract reads 1-bit, grey and RGB; palette, alpha and CMYK images are flattened to RGB.
    return frame.mode not in ("1", "L", "RGB")
