"""Values read from a document, corrected by hand: kept in the history and over re-reading."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.errors import InvalidInput
from archive.models import Document, DocumentField


def _checked(name: str, value_type: str, value: str) -> str:
    """``value`` as its type stores it: a date as YYYY-MM-DD, an amount as a decimal string."""
    field = f"fields.{name}"
    if "\x00" in value:
        raise InvalidInput("must not contain NUL characters", field=field)
    try:
        if value_type == "date":
            return date.fromisoformat(value).isoformat()
        if value_type == "amount":
            amount = Decimal(value.replace(",", ""))
            if amount.is_finite():
                return str(amount)
            raise InvalidOperation
    except (ValueError, InvalidOperation):
        raise InvalidInput(f"{name}: {value!r} is not a {value_type}", field=field) from None
    return value


BOX_CORNERS = ("x0", "y0", "x1", "y1")


def _placed(document: Document, name: str, box: Mapping[str, float]) -> dict[str, float | int]:
    """``box`` (``page`` and the corners, fractions of the page) checked against the document."""
    page = int(box["page"])
    if not 1 <= page <= (document.page_count or 1):
        raise InvalidInput(
            f"{name}: page {page} is not a page of this document (it has"
            f" {document.page_count or 1})",
            field=f"boxes.{name}.page",
        )
    return {"page": page, **{f"box_{c}": float(box[c]) for c in BOX_CORNERS}}


def correct_fields(
    session: Session,
    document: Document,
    values: Mapping[str, str],
    *,
    actor: str,
    boxes: Mapping[str, Mapping[str, float]] | None = None,
    types: Mapping[str, str] | None = None,
) -> dict[str, tuple[object, object]]:
    """Set fields of the current version by hand; return ``{"fields.name": (old, new)}``.

    A corrected name holds the one value given (a value read at several places becomes one),
    marked as corrected by ``actor``, so that reading the version again keeps it. A name the
    pipeline did not find is added, of its type in ``types`` (text if none). ``boxes`` says where an officer showed a value
    is (``page`` and ``x0``..``y1`` in fractions of the page); it replaces the box read.
    """
    version = document.current_version
    placed = {n: _placed(document, n, b) for n, b in (boxes or {}).items()}
    diff: dict[str, tuple[object, object]] = {}
    for name, raw in values.items():
        rows = list(
            session.scalars(
                select(DocumentField)
                .where(DocumentField.version_id == version.id, DocumentField.name == name)
                .order_by(DocumentField.page, DocumentField.start)
            )
        )
        value_type = rows[0].value_type if rows else (types or {}).get(name, "text")
        value = _checked(name, value_type, raw)
        old = next((r.value for r in rows if r.valid), rows[0].value if rows else None)
        if rows:
            row, extra = rows[0], rows[1:]
            for duplicate in extra:
                session.delete(duplicate)
        else:
            row = DocumentField(
                document_id=document.id,
                version_id=version.id,
                name=name,
                value_type=value_type,
                page=0,
                start=0,
                end=0,
                source_text="",
            )
            session.add(row)
        if value != row.value:  # what was read, and where, was another value
            row.start = row.end = 0
            row.source_text = ""
            row.box_x0 = row.box_y0 = row.box_x1 = row.box_y1 = None
        row.value, row.valid, row.corrected_by = value, True, actor
        for column, where in placed.get(name, {}).items():
            setattr(row, column, where)
        if old != value:
            diff[f"fields.{name}"] = (old, value)
    session.flush()
    return diff
