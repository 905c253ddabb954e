"""Straightening a skewed scan before OCR, and measuring the height of its text lines.

A page fed 2-3° askew makes Tesseract's jpn model merge neighbouring lines and misread
simple kanji (乙 read と, 甲 read 申) on the generated scans of ``bench/scans.py``;
straightened, it reads them. The angle is the one at which the page's ink falls into the
sharpest horizontal bands (a projection profile, measured on a reduced copy of the page);
the same bands give the height of its text lines.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from PIL import Image

MAX_ANGLE = 5.0
"""Skew looked for, in degrees either way; scanners and feeders stay well within it."""
MIN_ANGLE = 1.0
"""Below this Tesseract copes; rotating costs time and blurs strokes (at 0.5° straightening
made Tesseract drop a short title line it read askew)."""
_STEP = 0.1
_STEPS = round(MAX_ANGLE / _STEP)
_COARSE_STEP = 0.5
_COARSE = round(MAX_ANGLE / _COARSE_STEP)
_SAMPLE_WIDTH = 1300
"""The page is measured on a copy reduced by the smallest whole factor that brings it to at
most this width (200 and 300 dpi pages: by 2): Pillow's ``reduce`` averages whole boxes of
pixels at a sixth of the CPU of resizing to a set width (a 200 dpi page: 0.6 ms against
3.5). Reduced to ~850 px, 300 dpi pages measured their angle coarser (mean error 0.048°
against 0.036°)."""
_FLOOR_PERCENTILE = 25
_DARK = 128
_MIN_INK = 50
"""Fewer dark sample pixels than this: a blank page, nothing to straighten or measure."""
_MAX_INK_SHARE = 0.5
"""More of the page dark than this is no page of text (a black or photographic page)."""


@dataclass(frozen=True, slots=True)
class Layout:
    angle: float
    """Degrees the page is turned counter-clockwise (0 when too small to correct)."""
    line_height: float | None
    """Median height in page pixels of the bands of ink that are text lines; None if none."""


def measure(image: Image.Image) -> Layout:
    """The skew of ``image`` and the height of its text lines."""
    sample, factor = reduced(image)
    ys, xs = np.nonzero(np.asarray(sample) < _DARK)
    if not _MIN_INK <= len(xs) <= _MAX_INK_SHARE * sample.width * sample.height:
        return Layout(0.0, None)  # blank, or a photo or black page: no lines of text
    angle = _best_angle(xs.astype(np.float64), ys.astype(np.float64), sample.height)
    rows = _profile(xs, ys, angle, sample.height)
    height = _band_height(rows)
    return Layout(
        angle if abs(angle) >= MIN_ANGLE else 0.0,
        None if height is None else height * factor,
    )


def reduced(image: Image.Image) -> tuple[Image.Image, int]:
    """The grey copy of ``image`` it is measured on, and the factor it was reduced by."""
    factor = max(1, math.ceil(image.width / _SAMPLE_WIDTH))
    grey = image if image.mode == "L" else image.convert("L")
    return (grey.reduce(factor) if factor > 1 else grey), factor


def straighten(image: Image.Image, angle: float) -> Image.Image:
    """``image`` turned back by ``angle`` degrees, the corners filled with its paper colour."""
    if not angle:
        return image
    source = image if image.mode in ("L", "RGB") else image.convert("RGB")
    paper = _paper(source)
    return source.rotate(-angle, resample=Image.Resampling.BILINEAR, fillcolor=paper)


def _best_angle(xs: np.ndarray, ys: np.ndarray, height: int) -> float:
    """The angle whose row profile has the largest sum of squares (the sharpest bands).

    Searched every ``_COARSE_STEP`` degrees, then every ``_STEP`` around the best (30
    profiles instead of 101: the bands sharpen steadily towards the page's angle, and on
    generated skewed pages both searches find the same angle)."""
    coarse = _sharpest(xs, ys, height, range(-_COARSE, _COARSE + 1), _COARSE_STEP)
    near = round(coarse / _STEP)
    span = round(_COARSE_STEP / _STEP) - 1
    steps = range(max(-_STEPS, near - span), min(_STEPS, near + span) + 1)
    return _sharpest(xs, ys, height, steps, _STEP)


def _sharpest(
    xs: np.ndarray, ys: np.ndarray, height: int, steps: Iterable[int], step: float
) -> float:
    """Of the angles ``steps`` x ``step``, the one with the sharpest bands; of equal ones,
    the smallest."""
    best, score = 0.0, -1.0
    for angle in sorted((n * step for n in steps), key=abs):
        value = float(np.square(_profile(xs, ys, angle, height)).sum())
        if value > score:
            best, score = angle, value
    return best


def _profile(xs: np.ndarray, ys: np.ndarray, angle: float, height: int) -> np.ndarray:
    """Dark pixels per row once the page is turned back by ``angle`` degrees."""
    # A page turned counter-clockwise by a small angle lifts its right-hand side.
    rows = np.rint(ys + xs * np.tan(np.radians(angle))).astype(np.int64)
    shift = max(0, -int(rows.min()))
    return np.bincount(rows + shift, minlength=height + shift)


def _band_height(rows: np.ndarray) -> float | None:
    """Median height of the runs of rows holding ink (rows of ruled lines and specks left out).

    Rows count as inked above the page's floor of speckle (its emptiest quarter of rows, which
    on a noisy fax carry a dozen dark dots each), not above zero: counted from zero, rows of
    specks between the lines made runs of their own, and 6 of 200 generated scans measured
    their lines at as little as a quarter of their height (so were enlarged up to 4x for
    nothing)."""
    floor = float(np.percentile(rows, _FLOOR_PERCENTILE))
    inked = rows > floor + max(2, 0.05 * (rows.max() - floor))
    edges = np.flatnonzero(np.diff(np.concatenate(([0], inked.astype(np.int8), [0]))))
    heights = edges[1::2] - edges[::2]
    heights = heights[heights >= 3]
    return float(np.median(heights)) if len(heights) else None


def _paper(image: Image.Image) -> int | tuple[int, ...]:
    """The most common colour of the page's border pixels (its paper, as scanned)."""
    gray = image.convert("L")
    border = gray.crop((0, 0, gray.width, max(1, gray.height // 50))).histogram()
    level = max(range(256), key=border.__getitem__)
    return level if image.mode == "L" else (level, level, level)
