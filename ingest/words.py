"""Words with their boxes on the page: from a PDF's text layer (PDFium) or from Tesseract.

Boxes are fractions of the page as it is shown (rotation applied), origin top left, so a
box outlines the same place on a preview of any size. Field readers that look at the
layout (``ingest.fields.layout``) take ``PageWords``; nothing here knows about fields.
"""

from __future__ import annotations

import csv
import ctypes
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

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
    """Characters joined into words: a word ends at a space, a line break, or a gap.

    The page's text is read in one call and each box with PDFium's own function: the
    helpers' one call per character (text index lookups, a buffer each) took more time
    than pypdf's reading of the whole page.
    """
    count = raw.FPDFText_CountChars(textpage)
    units = _units(textpage, count)
    rect = raw.FS_RECTF()
    chars: list[str] = []
    word = line = (0.0, 0.0, 0.0, 0.0)  # the word's box, the last character's (points)
    made = 0
    for index, char in enumerate(_chars(textpage, units, count)):
        if not char or char.isspace():
            if chars:
                yield _word(chars, word, width, height, rotation)
                made, chars = made + 1, []
            if made >= MAX_WORDS_PER_PAGE:
                return
            continue
        raw.FPDFText_GetLooseCharBox(textpage, index, rect)
        box = (rect.left, height - rect.top, rect.right, height - rect.bottom)
        if chars and not _continues(line, box):
            yield _word(chars, word, width, height, rotation)
            made, chars = made + 1, []
            if made >= MAX_WORDS_PER_PAGE:
                return
        word = box if not chars else _union(word, box)
        line = box
        chars.append(char)
    if chars:
        yield _word(chars, word, width, height, rotation)


def _units(textpage: pdfium.PdfTextPage, count: int) -> list[int]:
    """The page's text as UTF-16 code units, one per character when PDFium keeps them in step."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = raw.FPDFText_GetText(textpage, 0, count, buffer) if count else 0
    return list(buffer[: max(written - 1, 0)])


def _chars(textpage: pdfium.PdfTextPage, units: list[int], count: int) -> Iterator[str]:
    """Each character's text ("" for half of a surrogate pair, as the helper decodes it)."""
    if len(units) != count:  # PDFium left characters out or put some in: ask one by one
        for index in range(count):
            yield textpage.get_text_range(index, 1)
        return
    for unit in units:
        yield "" if 0xD800 <= unit <= 0xDFFF else chr(unit)


def _union(
    a: tuple[float, float, float, float], b: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def _continues(
    previous: tuple[float, float, float, float], box: tuple[float, float, float, float]
) -> bool:
    """Whether ``box`` follows ``previous`` on the same line without a gap (in points)."""
    size = max(previous[3] - previous[1], box[3] - box[1], 1e-6)
    same_line = abs((previous[1] + previous[3]) / 2 - (box[1] + box[3]) / 2) < size * 0.5
    return same_line and -size < box[0] - previous[2] < size * 0.25


def _word(
    chars: list[str],
    box: tuple[float, float, float, float],
    width: float,
    height: float,
    rotation: int,
) -> Word:
    fraction = Box(box[0] / width, box[1] / height, box[2] / width, box[3] / height)
    return Word("".join(chars), _shown(fraction, rotation))


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
