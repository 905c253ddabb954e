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
    BMP = "bmp"
    GIF = "gif"
    WEBP = "webp"
    TEXT = "text"
    CSV = "csv"
    EMAIL = "email"
    """A saved e-mail (RFC 5322 / MIME, ``.eml``)."""
    HTML = "html"
    RTF = "rtf"
    PPTX = "pptx"
    ODF = "odf"
    """An OpenDocument text, spreadsheet or presentation (``.odt``, ``.ods``, ``.odp``)."""
    EINVOICE = "einvoice"
    """An XML e-invoice (UBL or CII) on its own."""
    ZIP = "zip"
    UNKNOWN = "unknown"


IMAGE_KINDS = frozenset({Kind.PNG, Kind.JPEG, Kind.TIFF, Kind.BMP, Kind.GIF, Kind.WEBP})
TYPESET_KINDS = frozenset(
    {
        Kind.DOCX,
        Kind.TEXT,
        Kind.CSV,
        Kind.EINVOICE,
        Kind.EMAIL,
        Kind.HTML,
        Kind.RTF,
        Kind.PPTX,
        Kind.ODF,
    }
)
"""Kinds without pages of their own: a rendition typesets their extracted text."""

_HEAD_BYTES = 8192
# The PDF header may follow up to 1 KiB of junk (ISO 32000-1, annex H.3 note 2).
_PDF_HEADER_WINDOW = 1024
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", Kind.PNG),
    (b"\xff\xd8\xff", Kind.JPEG),
    (b"II*\x00", Kind.TIFF),
    (b"MM\x00*", Kind.TIFF),
    (b"BM", Kind.BMP),
    (b"GIF87a", Kind.GIF),
    (b"GIF89a", Kind.GIF),
    (b"{\\rtf", Kind.RTF),
)
_ZIP_MARKERS = (
    ("word/document.xml", Kind.DOCX),
    ("xl/workbook.xml", Kind.XLSX),
    ("ppt/presentation.xml", Kind.PPTX),
)
_ODF_MIMETYPE = b"application/vnd.oasis.opendocument."
# Headers only a real message carries; "Date:" or "From:" alone begins many a plain notice.
_MAIL_HEADERS = (b"mime-version:", b"message-id:", b"received:", b"content-type:")


def sniff(path: Path) -> Kind:
    """The kind of content in ``path``.

    A ZIP is DOCX or XLSX only if it holds the main part of one; any other ZIP is ``ZIP``.
    A ZIP holding ``ppt/presentation.xml`` is PPTX; one whose ``mimetype`` names an OpenDocument
    type is ODF. XML whose root is a UBL or CII invoice is ``EINVOICE``; other XML is ``TEXT``.
    Text that libmagic recognises as CSV is ``CSV``, as HTML ``HTML``; a block of mail headers
    with a MIME header (``MIME-Version``, ``Content-Type``, ``Message-ID``, ``Received``) is
    ``EMAIL``; a text that merely starts with "Date:" or "From:" stays text. Raises ``EmptyContent`` for a 0-byte
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
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Kind.WEBP
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path)
    if is_invoice_xml(head):
        return Kind.EINVOICE
    mime = magic.from_buffer(head, mime=True)
    if mime in ("text/csv", "application/csv"):
        return Kind.CSV
    if mime == "text/html" and head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return Kind.HTML  # a page starts with markup; a text that quotes a tag stays text
    if _is_mail(head):
        return Kind.EMAIL
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
            for marker, kind in _ZIP_MARKERS:
                if marker in names:
                    return kind
            if "content.xml" in names and _mimetype(archive).startswith(_ODF_MIMETYPE):
                return Kind.ODF
    except (zipfile.BadZipFile, OSError) as exc:
        raise CorruptContent(f"damaged ZIP container (truncated or corrupt): {exc}") from None
    return Kind.ZIP


def _mimetype(archive: zipfile.ZipFile) -> bytes:
    """The ``mimetype`` member an OpenDocument package stores first, uncompressed."""
    try:
        with archive.open("mimetype") as member:
            return member.read(100)
    except (KeyError, zipfile.BadZipFile, OSError):
        return b""


def _is_mail(head: bytes) -> bool:
    """A block of header lines up to the first empty line, with a header only MIME mail has."""
    block = head.replace(b"\r\n", b"\n").split(b"\n\n", 1)
    if len(block) < 2:
        return False
    lines = block[0].split(b"\n")
    fields = [line for line in lines if line and line[:1] not in (b" ", b"\t")]
    if not fields or not all(
        b":" in line and b" " not in line.split(b":", 1)[0] for line in fields
    ):
        return False
    names = {line.split(b":", 1)[0].lower() + b":" for line in fields}
    return any(name in names for name in _MAIL_HEADERS)
