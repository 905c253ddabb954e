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


def correct_fields(
    session: Session, document: Document, values: Mapping[str, str], *, actor: str
) -> dict[str, tuple[object, object]]:
    """Set fields of the current version by hand; return ``{"fields.name": (old, new)}``.

    A corrected name holds the one value given (a value read at several places becomes one),
    marked as corrected by ``actor``, so that reading the version again keeps it. A name the
    pipeline did not find is added as text.
    """
    version = document.current_version
    diff: dict[str, tuple[object, object]] = {}
    for name, raw in values.items():
        rows = list(
            session.scalars(
                select(DocumentField)
                .where(DocumentField.version_id == version.id, DocumentField.name == name)
                .order_by(DocumentField.page, DocumentField.start)
            )
        )
        value = _checked(name, rows[0].value_type if rows else "text", raw)
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
                value_type="text",
                page=0,
                start=0,
                end=0,
                source_text="",
            )
            session.add(row)
        row.value, row.valid, row.corrected_by = value, True, actor
        if old != value:
            diff[f"fields.{name}"] = (old, value)
    session.flush()
    return diff
