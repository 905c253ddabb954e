"""PDF text, page by page, with pypdf; pages without a usable text layer are marked for OCR:
scanned pages, and pages whose text layer extracts as garbage (``ingest.text_quality``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pypdf import PageObject, PasswordType, PdfReader
from pypdf.errors import EmptyFileError, FileNotDecryptedError

from ingest.errors import CorruptContent, EmptyContent, EncryptedContent, IngestError
from ingest.extract.base import Budget, Extraction, Limits, PageText, collect_warnings
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
        pages = tuple(
            _read_page(reader, index, budget, notes) for index in range(len(reader.pages))
        )
    return Extraction(kind=Kind.PDF, pages=pages, warnings=tuple(notes))


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


def needs_ocr(page: PageObject, text: str) -> bool:
    """True if ``text`` is not a usable text layer and the page shows an image to read."""
    usable = sum(1 for char in text if char.isalnum())
    return usable < MIN_USABLE_CHARS and _has_image(page.get("/Resources"), _FORM_DEPTH)


def _read_page(reader: PdfReader, index: int, budget: Budget, notes: list[str]) -> PageText:
    number = index + 1
    page = reader.pages[index]
    try:
        text = page.extract_text()
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


def _has_image(resources: Any, depth: int) -> bool:
    if resources is None or depth == 0:
        return False
    xobjects = resources.get_object().get("/XObject")
    if xobjects is None:
        return False
    for ref in xobjects.get_object().values():
        xobject = ref.get_object()
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            return True
        if subtype == "/Form" and _has_image(xobject.get("/Resources"), depth - 1):
            return True
    return False


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
