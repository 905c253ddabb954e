"""Field extraction by document type, each field with the page span it came from.

fields = extract_fields(extraction.pages, prediction.label)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ingest.extract.base import PageText
from ingest.fields.base import Field, Value
from ingest.fields.contract import contract_fields
from ingest.fields.invoice import invoice_fields
from ingest.fields.normalize import halfwidth, parse_date
from ingest.fields.public import public_fields
from ingest.fields.registration import is_valid as is_valid_registration_number

__all__ = [
    "EXTRACTORS",
    "Field",
    "Value",
    "extract_fields",
    "halfwidth",
    "is_valid_registration_number",
    "parse_date",
]

EXTRACTORS: dict[str, Callable[[Sequence[PageText]], list[Field]]] = {
    "invoice": invoice_fields,
    "contract": contract_fields,
    "public": public_fields,
}


def extract_fields(pages: Sequence[PageText], doc_type: str) -> list[Field]:
    """The fields of a document of ``doc_type``; none for ``other`` or an unknown type."""
    extractor = EXTRACTORS.get(doc_type)
    return extractor(pages) if extractor else []
