"""OpenDocument text, spreadsheets and presentations (ODT, ODS, ODP) read from ``content.xml``.

lxml reads the package's content part directly (no entities, no network): a text document is
one page; a spreadsheet one page per sheet, rows as lines with cells apart by tabs; a
presentation one page per slide.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree
from lxml.etree import LxmlError, _Element

from ingest.errors import ContentTooLarge, CorruptContent
from ingest.extract._zip import check_zip
from ingest.extract.base import Budget, Extraction, Limits, PageText
from ingest.sniff import Kind

_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
_LINES = (f"{_TEXT}p", f"{_TEXT}h", f"{_TABLE}table-row")


def extract_odf(path: Path, limits: Limits) -> Extraction:
    check_zip(path, limits)
    body = _body(path)
    budget = Budget(limits)
    if (sheets := body.find(f"{_OFFICE}spreadsheet")) is not None:
        parts = sheets.findall(f"{_TABLE}table")
    elif (slides := body.find(f"{_OFFICE}presentation")) is not None:
        parts = slides.findall(f"{_DRAW}page")
    else:
        parts = [body]
    budget.check_pages(len(parts))
    cells = 0
    pages = []
    for number, part in enumerate(parts, start=1):
        cells += sum(1 for _ in part.iter(f"{_TABLE}table-cell"))
        if cells > limits.max_cells:
            raise ContentTooLarge(f"more than {limits.max_cells:,} cells (at page {number})")
        name = part.get(f"{_TABLE}name") or ""
        text = "\n".join(line for line in (name, *_lines(part)) if line.strip())
        budget.spend(text, f"page {number}")
        pages.append(PageText(number=number, text=text))
    return Extraction(kind=Kind.ODF, pages=tuple(pages))


def _body(path: Path) -> _Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        with zipfile.ZipFile(path) as package, package.open("content.xml") as content:
            root = etree.parse(content, parser).getroot()
    except (KeyError, zipfile.BadZipFile, OSError, LxmlError) as exc:
        raise CorruptContent(
            f"unreadable OpenDocument file ({type(exc).__name__}: {exc})"
        ) from None
    body = root.find(f"{_OFFICE}body")
    if body is None:
        raise CorruptContent("unreadable OpenDocument file: content.xml has no body")
    return body


def _lines(part: _Element) -> Iterator[str]:
    """Paragraphs and headings as lines; a table row as one line of tab-separated cells."""
    for node in part.iter(*_LINES):
        if node.tag == f"{_TABLE}table-row":
            cells = (_cell(cell) for cell in node.iter(f"{_TABLE}table-cell"))
            yield "\t".join(cell for cell in cells if cell)
        elif not any(True for _ in node.iterancestors(f"{_TABLE}table-cell", f"{_TEXT}p")):
            yield _text(node)


def _cell(cell: _Element) -> str:
    return " ".join(_text(p) for p in cell.iter(f"{_TEXT}p", f"{_TEXT}h"))


def _text(element: _Element) -> str:
    """A paragraph's characters, with its encoded spaces, tabs and line breaks."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == f"{_TEXT}s":
            parts.append(" " * int(child.get(f"{_TEXT}c", "1") or 1))
        elif child.tag == f"{_TEXT}tab":
            parts.append("\t")
        elif child.tag == f"{_TEXT}line-break":
            parts.append("\n")
        else:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
