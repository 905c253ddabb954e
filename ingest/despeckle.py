"""Speckle removal before OCR: scans and faxes carry salt-and-pepper noise that Tesseract reads
as strokes (乙 became 選, 役 vanished in the generated scans of ``bench/understanding.py``).

A 3×3 median filter removes isolated dots but also thins small, clean text, so it is only
applied to a page where many pixels are such dots.
"""

from __future__ import annotations

from PIL import Image, ImageChops, ImageFilter

NOISY_SHARE = 0.0005
"""A page is noisy when more than this share of its pixels are lone dark dots."""
_DARK = 128
# A dark pixel with at most one dark neighbour: 2 of the 9 pixels of its 3×3 box, as a box
# blur of the 0/255 dark mask gives them (strokes of text have more).
_LONE = 255 * 2 // 9


def despeckle(image: Image.Image) -> Image.Image:
    """``image`` with salt-and-pepper noise removed when it has much of it, else ``image`` itself."""
    gray = image.convert("L")
    dark = gray.point(lambda v: 255 if v < _DARK else 0)
    sparse = dark.filter(ImageFilter.BoxBlur(1)).point(lambda v: 255 if v <= _LONE else 0)
    lone = ImageChops.multiply(dark, sparse).histogram()[255]
    if lone / max(1, gray.width * gray.height) <= NOISY_SHARE:
        return image
    # Colours are kept: an image scan's searchable PDF shows the page Tesseract read.
    source = image if image.mode in ("L", "RGB") else image.convert("RGB")
    return source.filter(ImageFilter.MedianFilter(3))
