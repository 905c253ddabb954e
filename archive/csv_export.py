"""The one CSV writer for every export: cells that a spreadsheet would run as formulas are neutralised.

A text cell starting with ``= + - @`` (or their full-width forms, which Japanese spreadsheet
programs also accept), or with a tab or carriage return, gets a leading apostrophe, so the
spreadsheet shows it as text (OWASP "CSV injection"). Numbers are written as numbers, so a
negative count stays a number. Every export builds its file here: the audit log, the file and
disposition registers, the file plan, disposition certificates, the redaction log and the
disclosure statistics.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime

_FORMULA_START = ("=", "+", "-", "@", "＝", "＋", "－", "＠")
_CONTROL_START = ("\t", "\r", "\n")
_BLANK = " \u3000"


def safe_cell(value: object) -> str | int | float:
    """``value`` as a cell that no spreadsheet evaluates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return value
    text = value.isoformat() if isinstance(value, date | datetime) else str(value)
    if text.startswith(_CONTROL_START) or text.lstrip(_BLANK).startswith(_FORMULA_START):
        return "'" + text
    return text


def unquote_cell(text: str) -> str:
    """Undo :func:`safe_cell` on a cell read back from one of our own exports."""
    body = text[1:]
    if text.startswith("'") and (
        body.startswith(_CONTROL_START) or body.lstrip(_BLANK).startswith(_FORMULA_START)
    ):
        return body
    return text


def csv_chunks(
    header: Sequence[str], rows: Iterable[Sequence[object]], *, every: int = 500
) -> Iterator[str]:
    """The header and ``rows`` as CSV text, in chunks of ``every`` rows (for streaming)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for n, row in enumerate(rows, 1):
        writer.writerow([safe_cell(value) for value in row])
        if n % every == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    return "".join(csv_chunks(header, rows))


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with a BOM, so spreadsheet programs read Japanese text correctly."""
    return ("\ufeff" + csv_text(header, rows)).encode("utf-8")
