"""The text of a page as PDFium reads it, written as pypdf writes it (``ingest.extract.pdf``)."""

from __future__ import annotations

import re

import pypdfium2 as pdfium
import pypdfium2.raw as raw


def pdfium_text(textpage: pdfium.PdfTextPage) -> str:
    """A PDFium text page's text, written as pypdf writes it: line breaks as LF (PDFium writes
    CR LF), a word hyphenated at a line end as ``-`` and a line break (PDFium joins the lines
    and marks the hyphen U+FFFE), and no space PDFium put between the characters of spaced-out
    Japanese (``令和元 年 1 1 月`` is ``令和元年11月``; a space in the content stays)."""
    text = str(textpage.get_text_range())
    if len(text) == raw.FPDFText_CountChars(textpage):  # one character per index: join
        text = _SPACED.sub(lambda m: _joined(textpage, text, m.start()), text)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-\n")


_CJK = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_SPACED = re.compile(f"(?<=[{_CJK}0-9]) (?=[{_CJK}0-9])")
_IS_CJK = re.compile(f"[{_CJK}]")


def _joined(textpage: pdfium.PdfTextPage, text: str, index: int) -> str:
    """Nothing for a space PDFium made up in a narrow gap (under ``_SPACED_OUT`` of the
    font's height) between CJK characters, or between digits that stand between CJK
    characters (``年 1 1 月``); else the space. Cells of a table (``小計 1,000``) and
    digits in a table's columns (``12 15``) keep theirs."""
    if raw.FPDFText_IsGenerated(textpage, index) != 1 or _gap(textpage, index) > _SPACED_OUT:
        return " "
    if _IS_CJK.match(text[index - 1]) or _IS_CJK.match(text[index + 1]):
        return ""
    before = text[:index].rstrip("0123456789 ")[-1:]
    after = text[index + 1 :].lstrip("0123456789 ")[:1]
    return "" if _IS_CJK.match(before) and _IS_CJK.match(after) else " "


_SPACED_OUT = 0.75
"""Spaced-out Japanese leaves gaps up to 0.67 of the font's height between characters
(a notice's header, measured); a label and its value, or a table's cells, 3 and more."""


def _gap(textpage: pdfium.PdfTextPage, index: int) -> float:
    """The gap around character ``index`` (a space) in heights of the font beside it."""
    box = raw.FS_RECTF()
    raw.FPDFText_GetLooseCharBox(textpage, index - 1, box)
    left, height = box.right, box.top - box.bottom
    raw.FPDFText_GetLooseCharBox(textpage, index + 1, box)
    return float((box.left - left) / max(height, box.top - box.bottom, 1e-6))
