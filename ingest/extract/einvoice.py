"""XML e-invoices (UBL, CII) uploaded on their own: their terms and values as readable text,
cut into the pages that their PDF rendition (``ingest.typeset``) prints."""

from __future__ import annotations

from pathlib import Path

from ingest.einvoice import MAX_XML_BYTES, invoice_text, parse_invoice_xml
from ingest.errors import ContentTooLarge
from ingest.extract.base import Extraction, Limits, PageText
from ingest.sniff import Kind
from ingest.typeset import paginate


def extract_einvoice(path: Path, limits: Limits) -> Extraction:
    max_bytes = min(limits.max_bytes, MAX_XML_BYTES)
    if path.stat().st_size > max_bytes:
        raise ContentTooLarge(f"the XML invoice exceeds {max_bytes:,} bytes")
    invoice, root = parse_invoice_xml(path.read_bytes(), "the XML invoice", max_bytes)
    pages = paginate(invoice_text(invoice, root))  # the pages of its rendition
    return Extraction(
        Kind.EINVOICE, tuple(PageText(n, text) for n, text in enumerate(pages, start=1))
    )
