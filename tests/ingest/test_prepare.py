"""Preparing page images for Tesseract: straightening, enlarging small text, despeckling,
with the real Tesseract on generated Japanese pages, and pages that are not text at all."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ingest.deskew import _best_angle, _profile, measure, reduced
from ingest.despeckle import NOISY_SHARE, despeckle, lone_dots
from ingest.extract import extract
from ingest.ocr import apply_ocr
from ingest.prepare import prepare
from search import index_form
from tests.generated import ScanStyle, scan_image, scan_page, varied_style

LINES = [
    "甲は検査の結果を書面により乙に通知するものとする。",
    "本契約に定めのない事項は甲乙協議の上定めるものとする。",
]
MAX_PIXELS = 64_000_000


def page(style: ScanStyle) -> Image.Image:
    return Image.open(io.BytesIO(scan_image(LINES, style)))


@pytest.mark.parametrize("skew", [-2.8, 1.5])
def test_a_skewed_page_is_straightened_and_read(skew: float, tmp_path: Path) -> None:
    """GIVEN a Japanese page scanned askew THEN its angle is found and, straightened, its
    lines are read as lines."""
    style = ScanStyle(skew_deg=skew, blur=0.4, noise=0, size_pt=12)
    assert measure(page(style)).angle == pytest.approx(skew, abs=0.2)
    path = tmp_path / "skewed.png"
    path.write_bytes(scan_image(LINES, style))
    text = index_form(apply_ocr(path, extract(path)).text)
    assert "検査の結果を書面" in text and "定めのない事項" in text


@pytest.mark.parametrize("dpi", [100, 150, 200, 300])
def test_line_heights_are_measured_through_speckle(dpi: int) -> None:
    """GIVEN generated pages of varied faces, sizes, skew, blur and JPEG artefacts, each with
    speckle on 1-2% of its pixels (a noisy fax) THEN the height of its text lines is measured
    at 0.75-1.1 of the type's size, so no page is enlarged for lines it does not have."""
    for seed in range(12):
        style = varied_style(seed)
        style = replace(style, dpi=dpi, noise=0.01 + seed / 1100)
        lines, _ = scan_page(seed)
        image = Image.open(io.BytesIO(scan_image(lines, style, seed=seed)))
        em = style.size_pt * dpi / 72
        height = measure(image).line_height
        assert height is not None and 0.75 <= height / em <= 1.1, (seed, height, em)


def test_small_text_is_enlarged_and_normal_text_is_not() -> None:
    small = prepare(page(ScanStyle(dpi=100, size_pt=9, skew_deg=0, noise=0)), 100, MAX_PIXELS)
    assert small.dpi > 150 and small.image.width > 800
    normal_image = page(ScanStyle(dpi=200, size_pt=12, skew_deg=0, noise=0))
    normal = prepare(normal_image, 200, MAX_PIXELS)
    assert normal.image is normal_image and normal.dpi == 200 and normal.angle == 0


def test_enlarging_stays_within_the_pixel_limit() -> None:
    tiny_text = page(ScanStyle(dpi=72, size_pt=6, skew_deg=0, noise=0))
    prepared = prepare(tiny_text, 72, tiny_text.width * tiny_text.height * 2)
    assert prepared.image.width * prepared.image.height <= tiny_text.width * tiny_text.height * 2.1


@pytest.mark.parametrize(
    ("size", "colour"),
    [((1, 1), 255), ((2480, 3508), 255), ((1200, 1700), 0), ((3, 5000), 0), ((5000, 3), 0)],
)
def test_blank_black_and_degenerate_pages_pass_unchanged(
    size: tuple[int, int], colour: int
) -> None:
    """A blank, all-black, 1x1 or one-pixel-wide page has no lines to measure: nothing moves."""
    image = Image.new("L", size, colour)
    prepared = prepare(image, 300, MAX_PIXELS)
    assert prepared.angle == 0 and prepared.image.size == size and prepared.dpi == 300


def test_blank_and_black_pages_ocr_to_no_text(tmp_path: Path) -> None:
    for name, colour in (("blank.png", 255), ("black.png", 0)):
        path = tmp_path / name
        Image.new("L", (800, 1100), colour).save(path, dpi=(100, 100))
        assert apply_ocr(path, extract(path)).text.strip() == "", name


def test_lone_dots_are_the_dark_pixels_without_a_dark_neighbour() -> None:
    """The count on packed bits is the count of the definition: a dark pixel whose 3x3 box
    (the page's edge repeated outwards, as a box blur does) holds no other dark pixel. Random
    pages of 1 to 40 pixels a side, sparse to dense, every width modulo 8."""
    rng = np.random.default_rng(16)
    for _ in range(400):
        height, width = (int(v) for v in rng.integers(1, 41, 2))
        dark = rng.random((height, width)) < rng.choice([0.01, 0.1, 0.5, 0.9])
        grey = np.where(dark, rng.integers(0, 128, dark.shape), rng.integers(128, 256, dark.shape))
        padded = np.pad(dark, 1, mode="edge").astype(int)
        boxes = sum(padded[dy : dy + height, dx : dx + width] for dy in range(3) for dx in range(3))
        expected = int(np.count_nonzero(dark & (boxes == 1)))
        assert lone_dots(Image.fromarray(grey.astype(np.uint8))) == expected, (height, width)


def test_noisy_pages_are_cleaned_and_clean_ones_are_not() -> None:
    clean = page(ScanStyle(dpi=200, skew_deg=0, noise=0))
    noisy = page(ScanStyle(dpi=200, skew_deg=0, noise=0.003))
    assert lone_dots(clean) / (clean.width * clean.height) <= NOISY_SHARE
    assert despeckle(clean) is clean and despeckle(noisy) is not noisy


def test_the_angle_search_finds_what_trying_every_angle_finds() -> None:
    """GIVEN generated pages askew by up to 5° either way, of varied faces, sizes, noise and
    JPEG artefacts THEN the coarse-then-fine search finds the angle that trying every 0.1°
    finds (the sharpest bands; of equal ones the smallest)."""
    for seed in range(24):
        style = varied_style(seed)
        style = replace(style, skew_deg=style.skew_deg * 5 / 3)
        lines, _ = scan_page(seed)
        sample, _ = reduced(Image.open(io.BytesIO(scan_image(lines, style, seed=seed))))
        ys, xs = (v.astype(np.float64) for v in np.nonzero(np.asarray(sample) < 128))
        every = max(
            sorted((n / 10 for n in range(-50, 51)), key=abs),
            key=lambda angle: float(np.square(_profile(xs, ys, angle, sample.height)).sum()),
        )
        assert _best_angle(xs, ys, sample.height) == pytest.approx(every), seed
