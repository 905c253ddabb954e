"""PowerPoint (PPTX) text with python-pptx: one page per slide, then its speaker notes."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from lxml.etree import LxmlError, _Element

from ingest.errors import CorruptContent
from ingest.extract._zip import check_zip
from ingest.extract.base import Budget, Extraction, Limits, PageText
from ingest.sniff import Kind

if TYPE_CHECKING:
    from pptx.presentation import Presentation as PptxPresentation

_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def extract_pptx(path: Path, limits: Limits) -> Extraction:
    # Imported here, not on import: python-pptx takes a tenth of a second to import, and
    # every process that imports ``ingest`` (the web server too) would pay it.
    import pptx
    from pptx.exc import PackageNotFoundError

    check_zip(path, limits)
    with path.open("rb") as stream:
        try:
            pages = _slides(pptx.Presentation(stream), Budget(limits))
        except (PackageNotFoundError, *_BROKEN) as exc:
            raise CorruptContent(
                f"unreadable PowerPoint presentation ({type(exc).__name__}: {exc})"
            ) from None
    return Extraction(kind=Kind.PPTX, pages=pages)


# python-pptx parses parts lazily and reports a malformed package with whatever it hit
# (besides its PackageNotFoundError).
_BROKEN = (
    KeyError,
    ValueError,
    AttributeError,
    TypeError,
    zipfile.BadZipFile,
    LxmlError,
)


def _slides(presentation: PptxPresentation, budget: Budget) -> tuple[PageText, ...]:
    slides = list(presentation.slides)
    budget.check_pages(len(slides))
    pages = []
    for number, slide in enumerate(slides, start=1):
        lines = _paragraphs(slide.shapes._spTree)
        if slide.has_notes_slide:
            lines += _paragraphs(slide.notes_slide.shapes._spTree)
        text = "\n".join(lines)
        budget.spend(text, f"slide {number}")
        pages.append(PageText(number=number, text=text))
    return tuple(pages)


def _paragraphs(tree: _Element) -> list[str]:
    """The text of a shape tree (text boxes, groups, tables) in document order.

    A paragraph is a line; a table row is one line with its cells apart by tabs, as the
    other extractors write rows.
    """
    lines = []
    for node in tree.iter(f"{_A}p", f"{_A}tr"):
        if node.tag == f"{_A}tr":
            cells = (" ".join(map(_text, cell.iter(f"{_A}p"))) for cell in node.iter(f"{_A}tc"))
            text = "\t".join(cells)
        elif any(True for _ in node.iterancestors(f"{_A}tc")):
            continue
        else:
            text = _text(node)
        if text.strip():
            lines.append(text)
    return lines


def _text(paragraph: _Element) -> str:
    return "".join(
        node.text or "" if node.tag == f"{_A}t" else "\n"
        for node in paragraph.iter(f"{_A}t", f"{_A}br")
    )
