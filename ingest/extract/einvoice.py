"""XML e-invoices (UBL, CII) uploaded on their own: one page of readable text from the XML."""

from __future__ import annotations

from pathlib import Path

from ingest.einvoice import MAX_XML_BYTES, invoice_text, parse_invoice_xml
from ingest.errors import ContentTooLarge
from ingest.extract.base import Extraction, Limits, PageText
from ingest.sniff import Kind


def extract_einvoice(path: Path, limits: Limits) -> Extraction:
    max_bytes = min(limits.max_bytes, MAX_XML_BYTES)
    if path.stat().st_size > max_bytes:
        raise ContentTooLarge(f"the XML invoice exceeds {max_bytes:,} bytes")
    invoice, root = parse_invoice_xml(path.read_bytes(), "the XML invoice", max_bytes)
    return Extraction(Kind.EINVOICE, (PageText(1, invoice_text(invoice, root)),))
