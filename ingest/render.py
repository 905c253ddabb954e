"""Page images for OCR: PDF pages rendered with pypdfium2, image frames read with Pillow.

One page is decoded at a time, so memory does not grow with the page count. Each page is
read at its scan's own resolution (``ingest.resolution``) unless a fixed ``dpi`` is asked.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageOps, ImageSequence

from ingest.errors import CorruptContent, EncryptedContent
from ingest.extract.base import Limits
from ingest.extract.image import check_pixels, open_image
from ingest.resolution import (
    Resolution,
    image_resolution,
    pdf_page_resolution,
    tesseract_dpi,
)
from ingest.sniff import IMAGE_KINDS, Kind


@dataclass(frozen=True, slots=True)
class PageImage:
    number: int
    image: Image.Image
    dpi: int


def page_images(
    path: Path, kind: Kind, numbers: Collection[int], limits: Limits, dpi: int | None = None
) -> Generator[PageImage]:
    """The pages ``numbers`` (1-based) of ``path`` as images, one at a time, in page order.

    PDF pages are rendered at ``dpi``, or with None at the resolution of their scanned
    image. An image is valid until the next one is asked for (pdfium reuses its memory).
    """
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
    path: Path, numbers: Collection[int], limits: Limits, dpi: int | None
) -> Iterator[PageImage]:
    document = open_pdf(path)
    try:
        for number in sorted(numbers):
            page = document[number - 1]
            try:
                width, height = page.get_size()
                if width <= 0 or height <= 0:
                    raise CorruptContent(f"page {number} has no area ({width}x{height} pt)")
                own = pdf_page_resolution(page, number, limits)  # also refuses image bombs
                wanted = own if dpi is None else Resolution(dpi / 72, dpi)
                # Shrink huge pages (posters, drawings) to the pixel limit instead of failing.
                fit = min(1.0, math.sqrt(limits.max_image_pixels / (width * height)) / wanted.scale)
                with grey_page(page, wanted.scale * fit) as image:
                    yield PageImage(number, image, tesseract_dpi(wanted.dpi * fit))
            finally:
                page.close()
    finally:
        document.close()


@contextmanager
def grey_page(page: pdfium.PdfPage, scale: float) -> Iterator[Image.Image]:
    """``page`` in shades of grey at ``scale`` pixels a point; the image shares PDFium's
    memory, freed when the block ends.

    Drawn into a grey bitmap, not with PDFium's grayscale flag, which converts every colour
    as it draws: the same pixels (a few differ by 2 of 255) for a third of the CPU (a scanned
    page at 200 dpi: 6 ms against 20).
    """
    bitmap = page.render(scale=scale, force_bitmap_format=pdfium_c.FPDFBitmap_Gray)
    try:
        yield bitmap.to_pil()
    finally:
        bitmap.close()


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
            declared = float(upright.info.get("dpi", (0,))[0] or 0)
            yield PageImage(number, upright, image_resolution(*upright.size, declared).dpi)


def _needs_rgb(frame: Image.Image) -> bool:
    # Tesseract reads 1-bit, grey and RGB; palette, alpha and CMYK images are flattened to RGB.
    return frame.mode not in ("1", "L", "RGB")
