"""Structured e-invoices: the XML is the invoice, so its terms are read, not guessed.

    invoice = read_invoice_xml(data, "invoice.xml")     # UBL or CII bytes -> EInvoice
    found = read_embedded(pdf_path)                     # Factur-X/ZUGFeRD PDF -> Embedded | None

Syntaxes: UN/CEFACT CII D16B (Factur-X, ZUGFeRD 2, XRechnung CII) and OASIS UBL 2.1
Invoice/CreditNote (Peppol BIS Billing 3, JP PINT, XRechnung UBL). Errors are
``IngestError`` subclasses with a reason fit for a records officer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ingest.einvoice import cii, ubl
from ingest.einvoice.attachment import embedded_invoice_xml
from ingest.einvoice.model import EInvoice, Line
from ingest.einvoice.safe_xml import MAX_XML_BYTES, parse, root_name
from ingest.einvoice.text import invoice_text, line_text
from ingest.errors import UnsupportedContent

__all__ = [
    "MAX_XML_BYTES",
    "EInvoice",
    "Embedded",
    "Line",
    "invoice_text",
    "is_invoice_xml",
    "line_text",
    "parse_invoice_xml",
    "read_embedded",
    "read_invoice_xml",
]

_READERS = {cii.ROOT: cii.read_cii, ubl.ROOTS[0]: ubl.read_ubl, ubl.ROOTS[1]: ubl.read_ubl}


@dataclass(frozen=True, slots=True)
class Embedded:
    """The invoice XML found in a PDF: its attachment name and what it says."""

    name: str
    invoice: EInvoice


def is_invoice_xml(head: bytes) -> bool:
    """True if ``head`` (a file's first bytes) starts a UBL or CII invoice document."""
    return root_name(head) in _READERS


def parse_invoice_xml(
    data: bytes, what: str, max_bytes: int = MAX_XML_BYTES
) -> tuple[EInvoice, etree._Element]:
    """The invoice ``data`` holds and its parsed root; ``what`` names it in error reasons.

    Raises ``UnsupportedContent`` for XML whose root is not a UBL or CII invoice, besides the
    errors of ``safe_xml.parse``.
    """
    root = parse(data, what, max_bytes)
    reader = _READERS.get(str(root.tag))
    if reader is None:
        raise UnsupportedContent(
            f"{what} is XML but not an e-invoice (root element {etree.QName(root).localname})"
        )
    return reader(root), root


def read_invoice_xml(data: bytes, what: str, max_bytes: int = MAX_XML_BYTES) -> EInvoice:
    return parse_invoice_xml(data, what, max_bytes)[0]


def read_embedded(path: Path, max_bytes: int = MAX_XML_BYTES) -> Embedded | None:
    """The invoice embedded in the PDF at ``path``; None if it carries no invoice XML.

    Raises an ``IngestError`` when the attachment is there but cannot be read as an invoice.
    """
    found = embedded_invoice_xml(path, max_bytes)
    if found is None:
        return None
    name, data = found
    return Embedded(name, read_invoice_xml(data, f"the embedded {name}", max_bytes))
