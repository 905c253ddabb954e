"""A document's own date: the one it was given, else the one read from it, and which it was."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from archive.models import Document, DocumentField

DATE_FIELDS: Mapping[str, tuple[str, ...]] = {
    "invoice": ("date",),
    "contract": ("agreement_date",),
    "public": ("date",),
}
"""Extracted fields that stand for a document's date when it has none of its own."""
METADATA = "metadata"


def field_dates(fields: Iterable[DocumentField]) -> dict[str, date]:
    """``{name: date}`` of the valid date fields (the first of each name)."""
    found: dict[str, date] = {}
    for row in fields:
        if row.value_type == "date" and row.valid:
            try:
                found.setdefault(row.name, date.fromisoformat(row.value))
            except ValueError:
                continue
    return found


def own_date(
    document: Document, dates: Mapping[str, date], doc_type: str | None = None
) -> tuple[date, str] | None:
    """``(date, source)``: the metadata date (``metadata``), else the extracted date field of the
    document's type (``field:<name>``); None when it has neither."""
    if document.document_date is not None:
        return document.document_date, METADATA
    for name in DATE_FIELDS.get(doc_type or document.doc_type or "", ()):
        if name in dates:
            return dates[name], f"field:{name}"
    return None
