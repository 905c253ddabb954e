"""DOCX text with python-docx: headers, body paragraphs and tables in document order, footers."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml.etree import LxmlError

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
    lines = [*headers, *_blocks(document.iter_inner_content()), *footers]
    text = "\n".join(line for line in lines if line.strip())
    budget.spend(text, "the document body")
    # Word files carry no reliable pagination: the whole document is one page.
    return Extraction(kind=Kind.DOCX, pages=(PageText(number=1, text=text),))


def _blocks(blocks: Iterable[Paragraph | Table]) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block.text
        else:
            yield from _table(block)


def _table(table: Table) -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            # A merged cell is returned once per grid column it spans.
            if cell._tc is previous:
                continue
            previous = cell._tc
            cells.append(" ".join(line for line in _blocks(cell.iter_inner_content()) if line))
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
            text = "\n".join(line for line in _blocks(part.iter_inner_content()) if line.strip())
            if text and text not in out:
                out.append(text)
    return headers, footers
