"""Speckle removal before OCR: scans and faxes carry salt-and-pepper noise that Tesseract reads
as strokes (乙 became 選, 役 vanished in the generated scans of ``bench/understanding.py``).

A 3×3 median filter removes isolated dots but also thins small, clean text, so it is only
applied to a page where many pixels are such dots.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter

NOISY_SHARE = 0.0005
"""A page is noisy when more than this share of its pixels are lone dark dots."""
_DARK = 128


def despeckle(image: Image.Image) -> Image.Image:
    """``image`` with salt-and-pepper noise removed when it has much of it, else ``image`` itself."""
    if lone_dots(image) / max(1, image.width * image.height) <= NOISY_SHARE:
        return image
    # Colours are kept: an image scan's searchable PDF shows the page Tesseract read.
    source = image if image.mode in ("L", "RGB") else image.convert("RGB")
    return source.filter(ImageFilter.MedianFilter(3))


def lone_dots(image: Image.Image) -> int:
    """Dark pixels none of whose 8 neighbours is dark; pixels on the page's edge never count.

    Counted on the dark pixels packed 8 to a byte (a fifth of the CPU of a box blur of the
    whole page): a dot is lone when its own bit is set and no bit of the rows above and
    below, nor of the columns left and right of those three rows, is.
    """
    gray = np.asarray(image if image.mode == "L" else image.convert("L"))
    height, width = gray.shape
    if height < 3 or width < 3:
        return 0
    packed = np.packbits(gray < _DARK, axis=1)  # the first pixel of a byte in its high bit
    above, centre, below = packed[:-2], packed[1:-1], packed[2:]
    column = above | centre | below
    left = column >> 1
    left[:, 1:] |= column[:, :-1] << 7
    right = column << 1
    right[:, :-1] |= column[:, 1:] >> 7
    lone = centre & ~(above | below | left | right)
    lone[:, 0] &= 0x7F
    lone[:, (width - 1) // 8] &= ~np.uint8(0x80 >> ((width - 1) % 8))
    return int(np.bitwise_count(lone).sum())
