"""Words with their boxes on the page: from a PDF's text layer (PDFium) or from Tesseract.

Boxes are fractions of the page as it is shown (rotation applied), origin top left, so a
box outlines the same place on a preview of any size. Field readers that look at the
layout (``ingest.fields.layout``) take ``PageWords``; nothing here knows about fields.
"""

from __future__ import annotations

import csv
import ctypes
import io
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as raw
from numpy.typing import NDArray

MAX_WORDS_PER_PAGE = 20_000
"""A page with more words (a huge table, a map's labels) is read from the first ones only."""

Boxes = NDArray[np.float64]
"""Rows x0, y0, x1, y1: one column a box."""
Sides = tuple[Boxes, Boxes, Boxes, Boxes]


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in fractions of the page's width and height, origin top left."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def middle(self) -> float:
        return (self.y0 + self.y1) / 2

    def union(self, other: Box) -> Box:
        return Box(
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
        )

    def rounded(self) -> Box:
        return Box(*(round(min(max(v, 0.0), 1.0), 4) for v in (self.x0, self.y0, self.x1, self.y1)))


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    box: Box


@dataclass(frozen=True, slots=True)
class PageWords:
    """The words of one page in reading order of their source (content stream or OCR)."""

    number: int
    words: tuple[Word, ...]
    aspect: float = 1 / 1.414
    """Width over height of the page (to compare horizontal and vertical distances)."""


def pdf_words(path: Path, numbers: Sequence[int]) -> list[PageWords]:
    """The words of pages ``numbers`` (1-based) of a PDF's text layer; a page PDFium cannot
    read gives no words (the fields are then read from the text alone)."""
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError:
        return [PageWords(n, ()) for n in numbers]
    try:
        return [_pdf_page_words(document, n) for n in numbers]
    finally:
        document.close()


def _pdf_page_words(document: pdfium.PdfDocument, number: int) -> PageWords:
    if not 1 <= number <= len(document):
        return PageWords(number, ())
    page = document[number - 1]
    try:
        width, height = page.get_size()
        if width <= 0 or height <= 0:
            return PageWords(number, ())
        rotation = page.get_rotation() % 360
        # PDFium gives the size as shown; characters are placed on the unrotated page.
        unrotated = (height, width) if rotation in (90, 270) else (width, height)
        textpage = page.get_textpage()
        try:
            words = tuple(_words_of(textpage, *unrotated, rotation))
        finally:
            textpage.close()
    except pdfium.PdfiumError:
        return PageWords(number, ())
    finally:
        page.close()
    return PageWords(number, words, width / height)


def _words_of(
    textpage: pdfium.PdfTextPage, width: float, height: float, rotation: int
) -> Iterator[Word]:
    """Characters joined into words: a word ends at a space, a line break, or a gap.

    The page's text is read in one call, the boxes of its characters into one array (one
    PDFium call each, no Python object per character), and the words are cut and outlined
    with numpy: Python steps per character took more time than PDFium's reading of the page.
    """
    chars, breaks = _chars(textpage, raw.FPDFText_CountChars(textpage))
    kept = np.flatnonzero(~breaks)
    if not kept.size:
        return
    boxes = _boxes(textpage, kept, height)
    follows = np.zeros(kept.size, dtype=bool)  # the character goes on the word before it
    follows[1:] = (np.diff(kept) == 1) & _continues(boxes[:, :-1], boxes[:, 1:])
    starts = np.flatnonzero(~follows)
    ends = np.append(starts[1:], kept.size)
    x0, y0 = (np.minimum.reduceat(side, starts) for side in boxes[:2])
    x1, y1 = (np.maximum.reduceat(side, starts) for side in boxes[2:])
    shown = _shown((x0 / width, y0 / height, x1 / width, y1 / height), rotation)
    firsts, lasts = kept[starts].tolist(), (kept[ends - 1] + 1).tolist()
    sides = (side[:MAX_WORDS_PER_PAGE].tolist() for side in shown)
    for first, last, *box in zip(firsts, lasts, *sides, strict=False):
        yield Word("".join(chars[first:last]), Box(*box))


def _chars(textpage: pdfium.PdfTextPage, count: int) -> tuple[Sequence[str], NDArray[np.bool_]]:
    """Each character's text and whether it parts words (a space, a line break, or "" for
    half of a surrogate pair as the helper decodes it)."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = raw.FPDFText_GetText(textpage, 0, count, buffer) if count > 0 else 0
    units = np.frombuffer(memoryview(buffer), dtype=np.uint16)[: max(written - 1, 0)]
    if units.size == max(count, 0):
        return "".join(map(chr, units.tolist())), _PARTS_WORDS[units]
    # PDFium left characters out or put some in: ask one by one.
    chars = [textpage.get_text_range(index, 1) for index in range(count)]
    return chars, np.array([not char or char.isspace() for char in chars], dtype=bool)


_PARTS_WORDS = np.zeros(0x10000, dtype=bool)
_PARTS_WORDS[[unit for unit in range(0x10000) if chr(unit).isspace()]] = True
_PARTS_WORDS[0xD800:0xE000] = True


_LOOSE_CHAR_BOX = ctypes.cast(raw.FPDFText_GetLooseCharBox, ctypes.CFUNCTYPE(ctypes.c_int))
"""PDFium's ``FPDFText_GetLooseCharBox(text_page, index, rect)`` called with ctypes' own
conversions (a handle, an int, an address): half the time of pypdfium2's typed binding,
which checks each argument against its declared type."""


def _boxes(textpage: pdfium.PdfTextPage, indices: NDArray[np.intp], height: float) -> Boxes:
    """The loose boxes of the characters at ``indices`` as rows x0, y0, x1, y1 in points from
    the top left of the unrotated page."""
    rects = (raw.FS_RECTF * indices.size)()
    first, size = ctypes.addressof(rects), ctypes.sizeof(raw.FS_RECTF)
    places = map(ctypes.c_void_p, range(first, first + size * indices.size, size))
    handle = ctypes.cast(textpage.raw, ctypes.c_void_p)
    deque(map(_LOOSE_CHAR_BOX, repeat(handle), indices.tolist(), places), 0)
    left, top, right, bottom = np.frombuffer(rects, np.float32).astype(np.float64).reshape(-1, 4).T
    return np.stack([left, height - top, right, height - bottom])


def _continues(previous: Boxes, box: Boxes) -> NDArray[np.bool_]:
    """Whether each of ``box`` follows the one of ``previous`` on the same line without a
    gap (in points)."""
    size = np.maximum(np.maximum(previous[3] - previous[1], box[3] - box[1]), 1e-6)
    same_line = np.abs((previous[1] + previous[3]) / 2 - (box[1] + box[3]) / 2) < size * 0.5
    gap = box[0] - previous[2]
    continues: NDArray[np.bool_] = same_line & (-size < gap) & (gap < size * 0.25)
    return continues


def _shown(box: Sides, rotation: int) -> Sides:
    """``box`` on the unrotated page, as the page is shown turned ``rotation`` degrees clockwise."""
    x0, y0, x1, y1 = box
    if rotation == 90:
        return 1 - y1, x0, 1 - y0, x1
    if rotation == 180:
        return 1 - x1, 1 - y1, 1 - x0, 1 - y0
    if rotation == 270:
        return y0, 1 - x1, y1, 1 - x0
    return box


def tesseract_words(number: int, tsv: str) -> PageWords:
    """The words of Tesseract's TSV output (``tesseract … tsv``) for one page image."""
    width = height = 0.0
    words: list[Word] = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        try:
            level, left, top = int(row["level"]), int(row["left"]), int(row["top"])
            w, h = int(row["width"]), int(row["height"])
        except (KeyError, TypeError, ValueError):
            continue
        if level == 1:
            width, height = float(w), float(h)
        text = (row.get("text") or "").strip()
        if level == 5 and text and width > 0 and height > 0 and len(words) < MAX_WORDS_PER_PAGE:
            words.append(
                Word(text, Box(left / width, top / height, (left + w) / width, (top + h) / height))
            )
    return PageWords(number, tuple(words), width / height if width and height else 1 / 1.414)
