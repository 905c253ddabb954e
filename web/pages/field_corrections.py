"""The document page's field correction form: an officer sets a field's value (and, with
the page's script, where it is on the page), or adds a field that was not read.

The form posts plain values, so it works without script; the script fills the box's
hidden inputs from a box drawn on the preview (``web/static/document.js``). The route
(``web.pages.documents.correct_field``) sends the change through the API's own PATCH, so
it is checked, audited and learned as there.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, ValidationError

from archive import InvalidInput
from web.i18n import N_
from web.schemas import DocumentPatch

ADDABLE = (
    "invoice_number",
    "date",
    "date_due",
    "total_amount",
    "tax_amount",
    "issuer",
    "recipient",
    "registration_number",
    "agreement_date",
    "party",
    "value",
    "term_start",
    "term_end",
)
"""Fields an officer may add where the reader found none (besides those it found)."""
CORNERS = ("x0", "y0", "x1", "y1")
FIELD_ERRORS = {
    "value": N_(
        "Give a value of at most 1000 characters (dates as YYYY-MM-DD, amounts as numbers)."
    ),
    "name": N_("Choose one of the listed fields."),
    "box": N_("The box on the page is not valid; draw it again."),
}


class FieldForm(BaseModel):
    """The field form: a name and a value; the box's inputs stay empty without script."""

    csrf_token: str = Field(default="", max_length=200)
    name: str = Field(default="", max_length=40)
    value: str = Field(default="", max_length=5000)
    page: str = Field(default="", max_length=20)
    x0: str = Field(default="", max_length=40)
    y0: str = Field(default="", max_length=40)
    x1: str = Field(default="", max_length=40)
    y1: str = Field(default="", max_length=40)

    def corners(self) -> dict[str, str]:
        return {c: getattr(self, c) for c in CORNERS}


def field_choices(names: list[str]) -> list[str]:
    """The fields the form offers: those read, then those that may be added."""
    read = list(dict.fromkeys(names))
    return read + [n for n in ADDABLE if n not in read]


def field_patch(name: str, value: str, page: str, corners: dict[str, str]) -> DocumentPatch:
    """The PATCH of one field from the form (with its box when the page's script gave one);
    raises ``ValidationError`` or ``InvalidInput``."""
    body: dict[str, object] = {"fields": {name: value}}
    if page.strip():
        try:
            box = {"page": int(page), **{c: float(v) for c, v in corners.items()}}
        except ValueError:
            raise InvalidInput("the box is not a number", field="boxes") from None
        body["boxes"] = {name: box}
    return DocumentPatch.model_validate(body)


def field_error(exc: ValidationError | InvalidInput) -> str:
    """What the form says of a refused correction (a msgid)."""
    return FIELD_ERRORS[_error_key(exc)]


def _error_key(exc: Exception) -> str:
    where = (
        ".".join(str(p) for p in exc.errors()[0]["loc"])
        if isinstance(exc, ValidationError)
        else str(getattr(exc, "field", "") or "")
    )
    if where.startswith("boxes") or where.startswith("number"):
        return "box"
    return "name" if where.endswith("[key]") else "value"
