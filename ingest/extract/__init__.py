"""Text extraction: pick the extractor for the sniffed kind of content and read it page by page.

extraction = extract(path)                  # sniff, read, detect language
if extraction.pages_needing_ocr:
    extraction = ingest.ocr.apply_ocr(path, extraction)
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path

from ingest.errors import ContentTooLarge, UnsupportedContent
from ingest.extract.base import Extraction, Extractor, Limits, PageText
from ingest.extract.docx import extract_docx
from ingest.extract.einvoice import extract_einvoice
from ingest.extract.email import extract_email
from ingest.extract.html import extract_html
from ingest.extract.image import extract_image
from ingest.extract.odf import extract_odf
from ingest.extract.pdf import extract_pdf
from ingest.extract.pptx import extract_pptx
from ingest.extract.rtf import extract_rtf
from ingest.extract.text import extract_text
from ingest.extract.xlsx import extract_xlsx
from ingest.language import detect_language
from ingest.sniff import IMAGE_KINDS, Kind, describe, sniff

__all__ = ["EXTRACTORS", "Extraction", "Extractor", "Limits", "PageText", "extract"]

EXTRACTORS: dict[Kind, Extractor] = {
    Kind.PDF: extract_pdf,
    Kind.DOCX: extract_docx,
    Kind.XLSX: extract_xlsx,
    Kind.PNG: extract_image,
    Kind.JPEG: extract_image,
    Kind.TIFF: extract_image,
    Kind.BMP: extract_image,
    Kind.GIF: extract_image,
    Kind.WEBP: extract_image,
    Kind.TEXT: extract_text,
    Kind.CSV: extract_text,
    Kind.HTML: extract_html,
    Kind.RTF: extract_rtf,
    Kind.PPTX: extract_pptx,
    Kind.ODF: extract_odf,
    Kind.EINVOICE: extract_einvoice,
}


def _read_attachment(path: Path, limits: Limits) -> Extraction | None:
    """An e-mail attachment's text layer, for the kinds read here but e-mails and images."""
    kind = sniff(path)
    extractor = EXTRACTORS.get(kind)
    if extractor is None or kind in IMAGE_KINDS:
        return None
    return extractor(path, limits)


EXTRACTORS[Kind.EMAIL] = partial(extract_email, read=_read_attachment)


def extract(path: Path, kind: Kind | None = None, limits: Limits = Limits()) -> Extraction:
    """Read the text of ``path`` (a local file), page by page, without OCR.

    ``kind`` is sniffed from the bytes unless given. Raises ``IngestError`` (see
    ``ingest.errors``) with a readable reason when the content cannot be read.
    """
    if path.stat().st_size > limits.max_bytes:
        raise ContentTooLarge(f"file exceeds {limits.max_bytes:,} bytes")
    kind = kind or sniff(path)
    extractor = EXTRACTORS.get(kind)
    if extractor is None:
        raise UnsupportedContent(f"unsupported content: {_what(path, kind)}")
    extraction = extractor(path, limits)
    pages = tuple(replace(page, text=valid_text(page.text)) for page in extraction.pages)
    extraction = replace(extraction, kind=kind, pages=pages)
    return replace(extraction, language=detect_language(extraction.text))


def valid_text(text: str) -> str:
    """Text that every store accepts: surrogate pairs joined, lone surrogates replaced, no NULs.

    PDF text layers carry both (broken ToUnicode maps); PostgreSQL and UTF-8 refuse them.
    """
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace").replace("\x00", "")


def _what(path: Path, kind: Kind) -> str:
    if kind == Kind.ZIP:
        return "a ZIP archive that is not a Word, Excel, PowerPoint or OpenDocument file"
    description = describe(path)
    # libmagic says just "data" for bytes it recognises as nothing at all.
    return "binary data of no known format" if description == "data" else description
