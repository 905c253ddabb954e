"""PDF text, page by page; pages without a usable text layer are marked for OCR: scanned
pages, and pages whose text layer extracts as garbage (``ingest.text_quality``).

pypdf opens the file and checks it (encryption, the page tree, how far each page's content
inflates), then PDFium reads each page's text layer: it reads the same words about ten
times faster than pypdf's own extraction (``bench.pipeline_text``). A file PDFium cannot
open is read by pypdf.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from pypdf import PageObject, PasswordType, PdfReader
from pypdf.errors import EmptyFileError, FileNotDecryptedError, LimitReachedError

from ingest.errors import (
    ContentTooLarge,
    CorruptContent,
    EmptyContent,
    EncryptedContent,
    IngestError,
)
from ingest.extract.base import Budget, Extraction, Limits, PageText, collect_warnings
from ingest.extract.pdf_text import pdfium_text
from ingest.sniff import Kind
from ingest.text_quality import unusable_reason

# Fewer letters and digits than this on a page that shows an image means a scan (or a text
# layer of a few stray labels over one): OCR reads it instead.
MIN_USABLE_CHARS = 16
_FORM_DEPTH = 3


def extract_pdf(path: Path, limits: Limits) -> Extraction:
    budget = Budget(limits)
    notes: list[str] = []
    with collect_warnings(notes), pdf_errors():
        reader = open_pdf(path)
        budget.check_pages(len(reader.pages))
        with _text_layer(path, notes) as document:
            pages = tuple(
                _read_page(reader.pages[index], document, index + 1, budget, notes)
                for index in range(len(reader.pages))
            )
    return Extraction(
        kind=Kind.PDF, pages=pages, warnings=tuple(notes), attachments=_attachments(reader)
    )


def open_pdf(path: Path) -> PdfReader:
    """A reader for ``path``, decrypted with the empty user password when it is encrypted.

    Raises ``EncryptedContent`` when a real password is needed; callers wrap it in
    ``pdf_errors`` (or their own mapping) for damaged files.
    """
    reader = PdfReader(path, strict=False)
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except (NotImplementedError, ImportError) as exc:
            raise EncryptedContent(f"PDF uses an unsupported encryption: {exc}") from None
        if opened == PasswordType.NOT_DECRYPTED:
            raise EncryptedContent("PDF is password-protected: it needs a password to open")
    return reader


def _attachments(reader: PdfReader) -> tuple[str, ...] | None:
    """The names of the files the PDF carries, read from the reader already open (the
    e-invoice step need not parse the file again to learn that there are none)."""
    try:
        return tuple(attached.name for attached in reader.attachment_list)
    except Exception:  # a damaged name tree: the e-invoice step reads the file itself
        return None


def needs_ocr(page: PageObject, text: str) -> bool:
    """True if ``text`` is not a usable text layer and the page shows an image to read."""
    usable = sum(1 for char in text if char.isalnum())
    return usable < MIN_USABLE_CHARS and _has_image(page.get("/Resources"), _FORM_DEPTH)


@contextmanager
def _text_layer(path: Path, notes: list[str]) -> Iterator[pdfium.PdfDocument | None]:
    """The PDF opened with PDFium (an empty user password is tried by itself), or None."""
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        notes.append(f"PDFium cannot open the file ({exc}): read with pypdf")
        yield None
        return
    try:
        yield document
    finally:
        document.close()


def _read_page(
    page: PageObject,
    document: pdfium.PdfDocument | None,
    number: int,
    budget: Budget,
    notes: list[str],
) -> PageText:
    check_inflated_size(page, number, budget.limits)
    try:
        text = _page_text(page, document, number)
    except IngestError:
        raise
    except Exception as exc:
        notes.append(f"page {number}: text layer unreadable ({type(exc).__name__}: {exc})")
        budget.spend("", f"page {number}")
        return PageText(number=number, text="", needs_ocr=True)
    budget.spend(text, f"page {number}")
    garbage = unusable_reason(text)
    if garbage is not None:
        return PageText(
            number=number, text="", needs_ocr=True, reason=f"text layer unusable: {garbage}"
        )
    if needs_ocr(page, text):
        return PageText(number=number, text=text, needs_ocr=True, reason="no text layer")
    return PageText(number=number, text=text)


def _page_text(page: PageObject, document: pdfium.PdfDocument | None, number: int) -> str:
    """The page's text from PDFium, else (a file PDFium cannot open) from pypdf."""
    if document is None:
        return page.extract_text()
    shown = document[number - 1]
    try:
        textpage = shown.get_textpage()
        try:
            return pdfium_text(textpage)
        finally:
            textpage.close()
    finally:
        shown.close()


def check_inflated_size(page: PageObject, number: int, limits: Limits) -> None:
    """Refuse a page whose drawing instructions (its content and its forms') inflate past
    ``limits.max_page_content`` bytes: PDFium would hold all of them in memory, several
    times over, to read or render the page (a decompression bomb)."""
    try:
        content = page.get_contents()
        size = len(content.get_data()) if content is not None else 0
        for xobject in _xobjects(page.get("/Resources"), _FORM_DEPTH):
            if xobject.get("/Subtype") == "/Form" and size <= limits.max_page_content:
                size += len(xobject.get_data())
    except LimitReachedError:
        size = limits.max_page_content + 1
    if size > limits.max_page_content:
        raise ContentTooLarge(
            f"page {number}: its content inflates past {limits.max_page_content:,} bytes"
        )


def _has_image(resources: Any, depth: int) -> bool:
    return any(x.get("/Subtype") == "/Image" for x in _xobjects(resources, depth))


def _xobjects(resources: Any, depth: int) -> Iterator[Any]:
    """The images and forms a page (or form) with ``resources`` draws, and theirs, ``depth`` deep."""
    if resources is None or depth == 0:
        return
    xobjects = resources.get_object().get("/XObject")
    for ref in xobjects.get_object().values() if xobjects is not None else ():
        xobject = ref.get_object()
        yield xobject
        if xobject.get("/Subtype") == "/Form":
            yield from _xobjects(xobject.get("/Resources"), depth - 1)


@contextmanager
def pdf_errors() -> Iterator[None]:
    # pypdf raises many exception types on damaged input (its own, but also KeyError,
    # ValueError, RecursionError...): all of them mean the file cannot be read.
    try:
        yield
    except IngestError:
        raise
    except EmptyFileError:
        raise EmptyContent("the file is empty (0 bytes)") from None
    except FileNotDecryptedError:
        raise EncryptedContent("PDF is password-protected: it needs a password to open") from None
    except Exception as exc:
        raise CorruptContent(f"unreadable PDF ({type(exc).__name__}: {exc})") from None
