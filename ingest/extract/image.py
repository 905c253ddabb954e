"""Images (PNG, JPEG, multi-page TIFF, BMP, GIF, WebP): checked against the pixel limit, one page per frame.

Images have no text layer: every page is marked for OCR.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError

from ingest.errors import ContentTooLarge, CorruptContent
from ingest.extract.base import Budget, Extraction, Limits, PageText, collect_warnings
from ingest.sniff import Kind

_KINDS = {
    "PNG": Kind.PNG,
    "JPEG": Kind.JPEG,
    "MPO": Kind.JPEG,
    "TIFF": Kind.TIFF,
    "BMP": Kind.BMP,
    "GIF": Kind.GIF,
    "WEBP": Kind.WEBP,
}


def extract_image(path: Path, limits: Limits) -> Extraction:
    notes: list[str] = []
    with collect_warnings(notes), open_image(path, limits) as image:
        kind = _KINDS.get(image.format or "", Kind.UNKNOWN)
        frames = getattr(image, "n_frames", 1)
        Budget(limits).check_pages(frames)
        for frame in ImageSequence.Iterator(image):
            check_pixels(frame, limits)
    pages = tuple(PageText(number=n, text="", needs_ocr=True) for n in range(1, frames + 1))
    return Extraction(kind=kind, pages=pages, warnings=tuple(notes))


@contextmanager
def open_image(path: Path, limits: Limits) -> Iterator[Image.Image]:
    """Open ``path`` lazily (no pixels decoded), mapping Pillow's errors to ``IngestError``."""
    try:
        with Image.open(path) as image:
            check_pixels(image, limits)
            yield image
    except Image.DecompressionBombError as exc:
        raise ContentTooLarge(f"image is a decompression bomb: {exc}") from None
    except UnidentifiedImageError:
        raise CorruptContent("not a readable image (format not recognised)") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise CorruptContent(f"damaged image ({type(exc).__name__}: {exc})") from None


def check_pixels(image: Image.Image, limits: Limits) -> None:
    width, height = image.size
    if width * height > limits.max_image_pixels:
        raise ContentTooLarge(
            f"image of {width}x{height} pixels exceeds the limit of "
            f"{limits.max_image_pixels:,} pixels (decompression bomb guard)"
        )
