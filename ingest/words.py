"""Words with their boxes on the page: from a PDF's text layer (PDFium) or from Tesseract.

Boxes are fractions of the page as it is shown (rotation applied), origin top left, so a
box outlines the same place on a preview of any size. Field readers that look at the
layout (``ingest.fields.layout``) take ``PageWords``; nothing here knows about fields.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

MAX_WORDS_PER_PAGE = 20_000
"""A page with more words (a huge table, a map's labels) is read from the first ones only."""


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
    """Characters joined into words: a word ends at a space, a line break, or a gap."""
    chars: list[tuple[str, Box]] = []  # boxes in points, origin top left
    count = 0
    for index in range(textpage.count_chars()):
        char = textpage.get_text_range(index, 1)
        if chars and (not char or char.isspace()):
            yield _word(chars, width, height, rotation)
            count += 1
            chars = []
        if count >= MAX_WORDS_PER_PAGE:
            return
        if not char or char.isspace():
            continue
        left, bottom, right, top = textpage.get_charbox(index, loose=True)
        box = Box(left, height - top, right, height - bottom)
        if chars and not _continues(chars[-1][1], box):
            yield _word(chars, width, height, rotation)
            count += 1
            chars = []
        chars.append((char, box))
    if chars and count < MAX_WORDS_PER_PAGE:
        yield _word(chars, width, height, rotation)


def _continues(previous: Box, box: Box) -> bool:
    """Whether ``box`` follows ``previous`` on the same line without a gap (in points)."""
    size = max(previous.height, box.height, 1e-6)
    same_line = abs(previous.middle - box.middle) < size * 0.5
    return same_line and -size < box.x0 - previous.x1 < size * 0.25


def _word(chars: list[tuple[str, Box]], width: float, height: float, rotation: int) -> Word:
    box = chars[0][1]
    for _, other in chars[1:]:
        box = box.union(other)
    fraction = Box(box.x0 / width, box.y0 / height, box.x1 / width, box.y1 / height)
    return Word("".join(c for c, _ in chars), _shown(fraction, rotation))


def _shown(box: Box, rotation: int) -> Box:
    """``box`` on the unrotated page, as the page is shown turned ``rotation`` degrees clockwise."""
    if rotation == 90:
        return Box(1 - box.y1, box.x0, 1 - box.y0, box.x1)
    if rotation == 180:
        return Box(1 - box.x1, 1 - box.y1, 1 - box.x0, 1 - box.y0)
    if rotation == 270:
        return Box(box.y0, 1 - box.x1, box.y1, 1 - box.x0)
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
