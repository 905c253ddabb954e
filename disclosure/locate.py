"""Where text sits on a page: pdfium's character boxes for text pages, Tesseract's word boxes for scans.

Boxes are ``(x0, y0, x1, y1)`` in PDF points from the page's top-left corner (y grows down),
the same frame the officer draws boxes in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytesseract
from PIL import Image

from disclosure._pdf import open_pdf, render_page

Box = tuple[float, float, float, float]
OCR_LOCATE_DPI = 300
INK_LEVEL = 160
"""A grey level below this is ink, on a page rendered for OCR."""


@dataclass(frozen=True)
class Found:
    """One occurrence of a pattern: its page (1-based), the text matched and the boxes covering it."""

    page: int
    text: str
    boxes: tuple[Box, ...]
    method: str
    """``text`` (the PDF's text layer) or ``ocr`` (an image-only page)."""


@dataclass(frozen=True)
class _Glyph:
    char: str
    box: Box | None


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    document = open_pdf(pdf)
    try:
        return [document.get_page_size(i) for i in range(len(document))]
    finally:
        document.close()


def find(
    pdf: Path,
    pattern: re.Pattern[str],
    *,
    pages: set[int] | None = None,
    languages: str = "jpn+eng",
) -> list[Found]:
    """Every match of ``pattern`` on the chosen pages, located on the page."""
    found: list[Found] = []
    document = open_pdf(pdf)
    try:
        for index in range(len(document)):
            if pages is not None and index + 1 not in pages:
                continue
            page = document[index]
            try:
                glyphs = _text_glyphs(page)
                if "".join(g.char for g in glyphs).strip():
                    found += _matches(index + 1, glyphs, pattern, "text")
                    continue
                image = render_page(page, OCR_LOCATE_DPI)
                found += [
                    replace(hit, boxes=tuple(cover_ink(image, box) for box in hit.boxes))
                    for hit in _matches(index + 1, _ocr_glyphs(image, languages), pattern, "ocr")
                ]
            finally:
                page.close()
    finally:
        document.close()
    return found


def _text_glyphs(page: pdfium.PdfPage) -> list[_Glyph]:
    height = page.get_height()
    textpage = page.get_textpage()
    try:
        glyphs = []
        for i in range(textpage.count_chars()):
            char = textpage.get_text_range(i, 1)
            left, bottom, right, top = textpage.get_charbox(i, loose=True)
            box = (left, height - top, right, height - bottom) if right > left else None
            glyphs.append(_Glyph(char if char not in "\r\n" else "\n", box))
        return glyphs
    finally:
        textpage.close()


def _ocr_glyphs(image: Image.Image, languages: str) -> list[_Glyph]:
    """Tesseract's words as glyphs: each character of a word carries the word's box."""
    scale = OCR_LOCATE_DPI / 72
    data = pytesseract.image_to_data(
        image, lang=languages, config="--psm 6", output_type=pytesseract.Output.DICT
    )
    glyphs: list[_Glyph] = []
    line: tuple[int, int, int] | None = None
    for i, word in enumerate(data["text"]):
        word = word.strip()
        if not word:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        if line is not None and key != line:
            glyphs.append(_Glyph("\n", None))
        line = key
        left, top = data["left"][i] / scale, data["top"][i] / scale
        box = (left, top, left + data["width"][i] / scale, top + data["height"][i] / scale)
        glyphs += [_Glyph(char, box) for char in word]
    return glyphs


def _matches(
    page: int, glyphs: list[_Glyph], pattern: re.Pattern[str], method: str
) -> Iterator[Found]:
    # Spaces are dropped before matching: Tesseract spaces out Japanese, and a term split over
    # two words or lines should still be found. Each kept character remembers its glyph.
    kept = [g for g in glyphs if g.char.strip()]
    text = "".join(g.char for g in kept)
    for match in pattern.finditer(text):
        if match.end() == match.start():
            continue
        covered = [g.box for g in kept[match.start() : match.end()] if g.box is not None]
        yield Found(page, match.group(0), tuple(_merge_lines(covered)), method)


def _merge_lines(boxes: list[Box]) -> list[Box]:
    """Neighbouring boxes on one line become one box, so a match is one bar per line."""
    merged: list[list[float]] = []
    for x0, y0, x1, y1 in boxes:
        if merged:
            last = merged[-1]
            same_line = (
                abs((y0 + y1) / 2 - (last[1] + last[3]) / 2) < max(y1 - y0, last[3] - last[1]) / 2
            )
            if same_line and x0 <= last[2] + (y1 - y0):
                last[0], last[1], last[2], last[3] = (
                    min(last[0], x0),
                    min(last[1], y0),
                    max(last[2], x1),
                    max(last[3], y1),
                )
                continue
        merged.append([x0, y0, x1, y1])
    return [(a, b, c, d) for a, b, c, d in merged]


def cover_ink(image: Image.Image, box: Box) -> Box:
    """``box`` (from OCR) padded and grown over the whole of every glyph whose ink it touches.

    Tesseract's word boxes can miss a stroke: on a scan, its box over 山田太郎 starts right of
    the left stroke of 山, which stays readable. The glyphs are the ink connected to the ink
    inside the box, searched up to one line height around it (so a rule or a table border
    through the line widens the box by at most that much). ``image`` is the page at
    ``OCR_LOCATE_DPI``.
    """
    scale = OCR_LOCATE_DPI / 72
    x0, y0, x1, y1 = (v * scale for v in box)
    height = max(y1 - y0, 1.0)
    pad = max(2.0, 0.1 * height)
    left, top = max(0, int(x0 - height)), max(0, int(y0 - height / 2))
    right = min(image.width, int(x1 + height) + 1)
    bottom = min(image.height, int(y1 + height / 2) + 1)
    ink = np.asarray(image.crop((left, top, right, bottom))) < INK_LEVEL
    reached = np.zeros_like(ink)
    inside = (
        slice(max(0, int(y0) - top), int(y1) + 1 - top),
        slice(max(0, int(x0) - left), int(x1) + 1 - left),
    )
    reached[inside] = ink[inside]
    while True:  # grow over touching ink (8 neighbours) until nothing changes
        grown = reached.copy()
        grown[1:] |= reached[:-1]
        grown[:-1] |= reached[1:]
        wider = grown.copy()
        wider[:, 1:] |= grown[:, :-1]
        wider[:, :-1] |= grown[:, 1:]
        wider &= ink
        if np.array_equal(wider, reached):
            break
        reached = wider
    rows, columns = np.nonzero(reached)
    if columns.size:
        x0, x1 = min(x0, float(left + columns.min())), max(x1, float(left + columns.max() + 1))
        y0, y1 = min(y0, float(top + rows.min())), max(y1, float(top + rows.max() + 1))
    return (
        max(0.0, (x0 - pad) / scale),
        max(0.0, (y0 - pad) / scale),
        min(image.width / scale, (x1 + pad) / scale),
        min(image.height / scale, (y1 + pad) / scale),
    )


def literal(term: str) -> re.Pattern[str]:
    """A pattern for ``term`` that ignores the spaces inside it (they are dropped before matching)."""
    return re.compile("".join(re.escape(c) for c in term if c.strip()))


def texts_under(pdf: Path, spots: list[tuple[int, Box]]) -> list[tuple[str, str]]:
    """For each (page, box): the text layer's text inside the box and on its whole line ("" on scans)."""
    document = open_pdf(pdf)
    try:
        out = []
        for number, (x0, y0, x1, y1) in spots:
            if not 1 <= number <= len(document):
                out.append(("", ""))
                continue
            page = document[number - 1]
            textpage = page.get_textpage()
            try:
                width, height = page.get_size()
                out.append(
                    (
                        textpage.get_text_bounded(x0, height - y1, x1, height - y0).strip(),
                        textpage.get_text_bounded(0, height - y1, width, height - y0).strip(),
                    )
                )
            finally:
                textpage.close()
                page.close()
        return out
    finally:
        document.close()
