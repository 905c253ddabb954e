"""Content kind by magic bytes and container structure, never by file name."""

from __future__ import annotations

import zipfile
from enum import StrEnum
from pathlib import Path

import magic

from ingest.einvoice import is_invoice_xml
from ingest.errors import CorruptContent, EmptyContent


class Kind(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    XLSX = "xlsx"
    PNG = "png"
    JPEG = "jpeg"
    TIFF = "tiff"
    TEXT = "text"
    CSV = "csv"
    EINVOICE = "einvoice"
    """An XML e-invoice (UBL or CII) on its own."""
    ZIP = "zip"
    UNKNOWN = "unknown"


IMAGE_KINDS = frozenset({Kind.PNG, Kind.JPEG, Kind.TIFF})

_HEAD_BYTES = 8192
# The PDF header may follow up to 1 KiB of junk (ISO 32000-1, annex H.3 note 2).
_PDF_HEADER_WINDOW = 1024
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", Kind.PNG),
    (b"\xff\xd8\xff", Kind.JPEG),
    (b"II*\x00", Kind.TIFF),
    (b"MM\x00*", Kind.TIFF),
)
_ZIP_MARKERS = (("word/document.xml", Kind.DOCX), ("xl/workbook.xml", Kind.XLSX))


def sniff(path: Path) -> Kind:
    """The kind of content in ``path``.

    A ZIP is DOCX or XLSX only if it holds the main part of one; any other ZIP is ``ZIP``.
    XML whose root is a UBL or CII invoice is ``EINVOICE``; other XML is ``TEXT``. Text that
    libmagic recognises as CSV is ``CSV``; a saved e-mail is text. Raises ``EmptyContent`` for a 0-byte
    file and ``CorruptContent`` for a ZIP container whose directory cannot be read.
    """
    with path.open("rb") as file:
        head = file.read(_HEAD_BYTES)
    if not head:
        raise EmptyContent("the file is empty (0 bytes)")
    if b"%PDF-" in head[:_PDF_HEADER_WINDOW]:
        return Kind.PDF
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path)
    if is_invoice_xml(head):
        return Kind.EINVOICE
    mime = magic.from_buffer(head, mime=True)
    if mime in ("text/csv", "application/csv"):
        return Kind.CSV
    # A text whose first line reads like a mail header ("Date: …", "From: …") is an e-mail to
    # libmagic; it is still text.
    if mime.startswith(("text/", "message/")):
        return Kind.TEXT
    return Kind.UNKNOWN


def describe(path: Path) -> str:
    """libmagic's description of the content, for error messages about unknown kinds."""
    return str(magic.from_file(str(path)))


def _sniff_zip(path: Path) -> Kind:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise CorruptContent(f"damaged ZIP container (truncated or corrupt): {exc}") from None
    for marker, kind in _ZIP_MARKERS:
        if marker in names:
            return kind
    return Kind.ZIP
