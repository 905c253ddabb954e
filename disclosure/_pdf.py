"""Opening the PDFs redaction works on, with a clear error for those it cannot open, and
rendering their pages in grey."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from disclosure.errors import BadRedaction
from ingest import EncryptedContent, IngestError, grey_page
from ingest import open_pdf as open_for_rendering


def open_pdf(path: Path) -> pdfium.PdfDocument:
    """The document, or ``BadRedaction`` saying why it cannot be redacted.

    A PDF encrypted with an empty user password opens as usual; one that needs a password
    cannot be located in or re-rendered, so the officer must ask for an unprotected copy.
    """
    try:
        return open_for_rendering(path)
    except EncryptedContent:
        raise BadRedaction(
            "the document is encrypted with a password and cannot be redacted; ask for an unprotected copy"
        ) from None
    except IngestError as exc:
        raise BadRedaction(f"the document cannot be read for redaction: {exc.reason}") from None


def render_page(page: pdfium.PdfPage, dpi: int) -> Image.Image:
    """``page`` in grey at ``dpi``, an image of its own (PDFium's bitmap is freed)."""
    with grey_page(page, dpi / 72) as image:
        return image.copy()
