"""DOCX text with python-docx: headers, body paragraphs and tables in document order, footers."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml.etree import LxmlError, _Element

from ingest.errors import CorruptContent
from ingest.extract._zip import check_zip
from ingest.extract.base import Budget, Extraction, Limits, PageText
from ingest.sniff import Kind


def extract_docx(path: Path, limits: Limits) -> Extraction:
    check_zip(path, limits)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, LxmlError) as exc:
        raise CorruptContent(f"unreadable Word document ({type(exc).__name__}: {exc})") from None
    budget = Budget(limits)
    headers, footers = _headers_and_footers(document)
    lines = [*headers, *_blocks(document.element.body), *footers]
    text = "\n".join(line for line in lines if line.strip())
    budget.spend(text, "the document body")
    # Word files carry no reliable pagination: the whole document is one page.
    return Extraction(kind=Kind.DOCX, pages=(PageText(number=1, text=text),))


# The XML is walked directly: python-docx's object model costs several times more per
# paragraph, and a <w:tc> appears once however many grid columns it spans.
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT, _TAB, _BREAKS = f"{_W}t", f"{_W}tab", (f"{_W}br", f"{_W}cr")


def _paragraph(element: _Element) -> str:
    parts: list[str] = []
    for node in element.iter(_TEXT, _TAB, *_BREAKS):
        if node.tag == _TEXT:
            parts.append(node.text or "")
        else:
            parts.append("\t" if node.tag == _TAB else "\n")
    return "".join(parts)


def _blocks(container: _Element) -> Iterator[str]:
    """Paragraphs and table rows of a body, header, footer or cell, in document order."""
    for child in container.iterchildren(f"{_W}p", f"{_W}tbl", f"{_W}sdt"):
        if child.tag == f"{_W}p":
            yield _paragraph(child)
        elif child.tag == f"{_W}tbl":
            yield from _table(child)
        else:  # a content control wraps blocks of its own
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _blocks(content)


def _table(table: _Element) -> Iterator[str]:
    for row in table.iterchildren(f"{_W}tr"):
        cells = [
            " ".join(line for line in _blocks(cell) if line) for cell in row.iterchildren(f"{_W}tc")
        ]
        yield "\t".join(cells)


def _headers_and_footers(document: docx.document.Document) -> tuple[list[str], list[str]]:
    headers: list[str] = []
    footers: list[str] = []
    for section in document.sections:
        for part, out in (
            (section.first_page_header, headers),
            (section.header, headers),
            (section.even_page_header, headers),
            (section.first_page_footer, footers),
            (section.footer, footers),
            (section.even_page_footer, footers),
        ):
            if part.is_linked_to_previous:
                continue
            text = "\n".join(line for line in _blocks(part._element) if line.strip())
            if text and text not in out:
                out.append(text)
    return headers, footers
