"""Vendor templates in the database: learned from officers' corrections, used when reading.

The template itself (what a label is, how a value is found after it) is
``ingest.fields.templates``; this module keys templates by the issuer's registration
number and keeps them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import BlobStore, Document, DocumentField, VendorTemplate
from ingest.extract.base import PageText
from ingest.fields import Field, is_valid_registration_number, locate
from ingest.fields.templates import Place, Template, apply, learn, merge
from ingest.indexing import version_pages
from ingest.words import Box, PageWords

REGISTRATION = "registration_number"
LEARNED_CLASS = "invoice"


def registration_of(fields: Iterable[Field | DocumentField]) -> str | None:
    """The valid registration number among ``fields`` (an officer's correction first)."""
    numbers = sorted(
        (f for f in fields if f.name == REGISTRATION and f.valid),
        key=lambda f: getattr(f, "corrected_by", None) is None,
    )
    for found in numbers:
        value = str(found.value).strip().upper()
        if is_valid_registration_number(value):
            return value
    return None


def templates_for(session: Session, registration_number: str) -> list[Template]:
    rows = session.scalars(
        select(VendorTemplate)
        .where(VendorTemplate.registration_number == registration_number)
        .order_by(VendorTemplate.field)
    )
    return [
        Template(r.field, r.value_type, r.label, r.next_line, r.corrections, _place(r))
        for r in rows
    ]


def _place(row: VendorTemplate | DocumentField) -> Place | None:
    page = row.box_page if isinstance(row, VendorTemplate) else row.page
    corners = (row.box_x0, row.box_y0, row.box_x1, row.box_y1)
    if page is None or any(c is None for c in corners):
        return None
    return Place(page, Box(*corners))  # type: ignore[arg-type]


def with_templates(
    session: Session,
    fields: Sequence[Field],
    pages: Sequence[PageText],
    words: Sequence[PageWords] = (),
) -> tuple[list[Field], str | None]:
    """``fields`` with what the vendor's templates read in place of the generic guesses, and
    the registration number whose templates were used (None when there were none);
    ``words`` (with their boxes) serve the templates whose label is not printed."""
    number = registration_of(fields)
    templates = templates_for(session, number) if number else []
    if not templates:
        return list(fields), None
    return merge(fields, locate(apply(pages, templates, words), pages, words)), number


def learn_from_corrections(
    session: Session, store: BlobStore, document: Document, names: Iterable[str], *, actor: str
) -> dict[str, str]:
    """Keep a template for each corrected field of an invoice whose issuer is known;
    return ``{field: label}`` of what was learned (nothing for a value not in the text that
    the officer did not show on the page; an empty label for a value shown but not labelled)."""
    wanted = set(names)
    if not wanted or document.doc_type != LEARNED_CLASS:
        return {}
    version = document.current_version
    rows = list(
        session.scalars(select(DocumentField).where(DocumentField.version_id == version.id))
    )
    number = registration_of(rows)
    if number is None:
        return {}
    pages = [
        PageText(number=i, text=text)
        for i, text in enumerate(version_pages(store, session, version), start=1)
    ]
    corrected = {r.name: r for r in rows if r.corrected_by is not None}
    learned: dict[str, str] = {}
    for name in sorted(wanted & corrected.keys()):
        row = corrected[name]
        template = learn(pages, name, row.value, _place(row))
        if template is not None:
            _keep(session, number, template, document.id, actor)
            learned[name] = template.label
    return learned


def _keep(session: Session, number: str, template: Template, document_id: str, actor: str) -> None:
    row = session.scalar(
        select(VendorTemplate).where(
            VendorTemplate.registration_number == number, VendorTemplate.field == template.field
        )
    )
    if row is None:
        row = VendorTemplate(registration_number=number, field=template.field, corrections=0)
        session.add(row)
    same = (row.label, row.next_line) == (template.label, template.next_line) and (
        bool(template.label) or _overlaps(_place(row), template.place)
    )
    row.corrections = (row.corrections or 0) + 1 if same else 1
    row.value_type, row.label, row.next_line = (
        template.value_type,
        template.label,
        template.next_line,
    )
    place = template.place or _place(row)  # a correction without a box keeps the place known
    box = place.box if place else None
    row.box_page = place.page if place else None
    row.box_x0, row.box_y0, row.box_x1, row.box_y1 = (
        (box.x0, box.y0, box.x1, box.y1) if box else (None,) * 4
    )
    row.learned_from, row.updated_by = document_id, actor
    session.flush()


def _overlaps(old: Place | None, new: Place | None) -> bool:
    """Whether two places are on one page and their boxes share a point (the same place)."""
    if old is None or new is None or old.page != new.page:
        return False
    a, b = old.box, new.box
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1
