"""The CII XML embedded in a Factur-X / ZUGFeRD PDF (an associated file, PDF/A-3).

Read with pypdf's attachment list rather than ``facturx.get_xml_from_pdf``: that function
parses the attachment with lxml's default parser and skips a broken one silently, while
Bunko must parse untrusted XML with its own guards and record why an invoice was not read.
"""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml", "order-x.xml")
"""The attachment names the standards fix (Factur-X 1.0, ZUGFeRD 2.x, XRechnung in ZUGFeRD)."""


def embedded_invoice_xml(path: Path, max_bytes: int) -> tuple[str, bytes] | None:
    """``(attachment name, bytes)`` of the invoice XML in the PDF at ``path``, or None.

    An attachment over ``max_bytes`` comes back cut one byte past it, for the parser to refuse.
    """
    try:
        reader = PdfReader(path)
        for attached in reader.attachment_list:
            if attached.name.lower() in NAMES:
                return attached.name, attached.content[: max_bytes + 1]
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # the text extractor reports a damaged PDF with its own reason
    return None
