"""Field extraction by document type, each field with the page span and box it came from.

fields = extract_fields(extraction.pages, prediction.label, words)

Two readers: the per-type text readers (label and value in the linear text) and the layout
reader (``ingest.fields.layout.read_layout``: a function from words with boxes to fields).
A field the layout reader finds wins over the text reader's of the same name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ingest.extract.base import PageText
from ingest.fields.base import Field, Value
from ingest.fields.contract import contract_fields
from ingest.fields.invoice import invoice_fields
from ingest.fields.layout import page_segments, read_layout, read_segments
from ingest.fields.locate import with_boxes
from ingest.fields.normalize import halfwidth, parse_date
from ingest.fields.public import public_fields
from ingest.fields.registration import is_valid as is_valid_registration_number
from ingest.words import PageWords

__all__ = [
    "EXTRACTORS",
    "Field",
    "Value",
    "extract_fields",
    "fields_type",
    "halfwidth",
    "is_valid_registration_number",
    "locate",
    "parse_date",
    "read_layout",
]

EXTRACTORS: dict[str, Callable[[Sequence[PageText]], list[Field]]] = {
    "invoice": invoice_fields,
    "contract": contract_fields,
    "public": public_fields,
}


COMMERCIAL_PAPERS = frozenset({"quotation", "delivery_note", "purchase_order"})
"""Subtypes of ``other`` that carry an invoice's fields (issuer, number, date, total, tax)."""


def fields_type(doc_type: str, subtype: str | None) -> str:
    """The type whose fields a document of ``doc_type``/``subtype`` is read for."""
    return "invoice" if doc_type == "other" and subtype in COMMERCIAL_PAPERS else doc_type


def extract_fields(
    pages: Sequence[PageText], doc_type: str, words: Sequence[PageWords] = ()
) -> list[Field]:
    """The fields of a document of ``doc_type``; none for ``other`` or an unknown type.

    ``words`` are the pages' words with their boxes (none for a text file): they add what
    the layout shows and give every field its box.
    """
    extractor = EXTRACTORS.get(doc_type)
    if extractor is None:
        return []
    segs = page_segments(words)
    from_layout = read_segments(segs, doc_type)
    names = {f.name for f in from_layout}
    fields = [*from_layout, *(f for f in extractor(pages) if f.name not in names)]
    return with_boxes(fields, pages, segs)


def locate(
    fields: Sequence[Field], pages: Sequence[PageText], words: Sequence[PageWords]
) -> list[Field]:
    """``fields`` read elsewhere (a vendor's template) with their boxes from ``words``."""
    return with_boxes(fields, pages, page_segments(words))
