"""XLSX cell values with openpyxl in read-only mode: one page per sheet, rows as lines.

The workbook is handed to openpyxl as an open file: given a path, openpyxl judges the
format by the file name's extension, and the pipeline's copy of an original has none.
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time
from pathlib import Path

from lxml.etree import LxmlError

from ingest.errors import ContentTooLarge, CorruptContent
from ingest.extract._zip import check_zip
from ingest.extract.base import Budget, Extraction, Limits, PageText, collect_warnings
from ingest.sniff import Kind


def extract_xlsx(path: Path, limits: Limits) -> Extraction:
    # Imported here, not on import: openpyxl takes a third of a second to import, and every
    # process that imports ``ingest`` (the web server too) would pay it.
    import openpyxl

    check_zip(path, limits)
    notes: list[str] = []
    with collect_warnings(notes), path.open("rb") as stream:
        try:
            workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        except (KeyError, ValueError, OSError, zipfile.BadZipFile, LxmlError) as exc:
            raise CorruptContent(
                f"unreadable Excel workbook ({type(exc).__name__}: {exc})"
            ) from None
        try:
            budget = Budget(limits)
            budget.check_pages(len(workbook.worksheets))
            cells = 0
            pages: list[PageText] = []
            for number, sheet in enumerate(workbook.worksheets, start=1):
                lines = [sheet.title]
                for row in sheet.iter_rows(values_only=True):
                    cells += len(row)
                    if cells > limits.max_cells:
                        raise ContentTooLarge(
                            f"more than {limits.max_cells:,} cells (at sheet {sheet.title!r})"
                        )
                    values = [_format(value) for value in row if value is not None]
                    if values:
                        lines.append("\t".join(values))
                text = "\n".join(lines)
                budget.spend(text, f"sheet {sheet.title!r}")
                pages.append(PageText(number=number, text=text))
        finally:
            workbook.close()
    return Extraction(kind=Kind.XLSX, pages=tuple(pages), warnings=tuple(notes))


def _format(value: object) -> str:
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
