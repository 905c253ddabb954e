"""OCR with Tesseract (``jpn+eng``) of the pages that have no usable text layer.

Each page is rendered, written to a scratch PNG and read by one ``tesseract`` run that
writes both its text and a one-page PDF (the searchable layer), so no page is read twice.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from pytesseract import TesseractError, TesseractNotFoundError
from pytesseract.pytesseract import run_tesseract

from ingest.despeckle import despeckle
from ingest.errors import ContentTooLarge, OcrFailed
from ingest.extract.base import Budget, Extraction, Limits
from ingest.language import detect_language
from ingest.render import OCR_DPI, PageImage, page_images
from ingest.searchable import write_searchable_pdf
from ingest.sniff import Kind
from search import join_cjk


@dataclass(frozen=True, slots=True)
class OcrOptions:
    languages: str = "jpn+eng"
    dpi: int = OCR_DPI
    page_timeout: int = 180


@dataclass(frozen=True, slots=True)
class OcrResult:
    text: str
    pdf: Path


def apply_ocr(
    path: Path,
    extraction: Extraction,
    *,
    options: OcrOptions = OcrOptions(),
    limits: Limits = Limits(),
    searchable_pdf: Path | None = None,
) -> Extraction:
    """OCR the pages of ``extraction`` marked ``needs_ocr`` and return it with their text.

    ``path`` is the file ``extraction`` was read from. With ``searchable_pdf``, also write
    there a PDF with the OCR text as an invisible layer: the original PDF with text added
    under the OCRed pages, or, for images, one page per frame. Raises ``OcrFailed``
    (transient) when Tesseract is missing or crashes, ``ContentTooLarge`` when a page
    exceeds ``options.page_timeout``.
    """
    numbers = extraction.pages_needing_ocr
    if not numbers:
        return extraction
    budget = Budget(limits)
    texts: dict[int, str] = {}
    with tempfile.TemporaryDirectory(prefix="bunko-ocr-") as scratch:
        page_pdfs: dict[int, Path] = {}
        for page in page_images(path, extraction.kind, numbers, limits, options.dpi):
            result = ocr_page(page, Path(scratch), options, text_only=extraction.kind == Kind.PDF)
            budget.spend(result.text, f"page {page.number}")
            texts[page.number] = result.text
            page_pdfs[page.number] = result.pdf
        if searchable_pdf is not None:
            write_searchable_pdf(path, extraction.kind, page_pdfs, searchable_pdf)
    pages = tuple(
        replace(page, text=texts[page.number], method="ocr", needs_ocr=False)
        if page.number in texts
        else page
        for page in extraction.pages
    )
    ocred = extraction.with_pages(pages)
    return replace(ocred, language=detect_language(ocred.text))


def ocr_page(page: PageImage, scratch: Path, options: OcrOptions, *, text_only: bool) -> OcrResult:
    """Read one page image; the PDF holds the image and its text, or only the text."""
    base = scratch / f"page-{page.number:05d}"
    image_path = base.with_suffix(".png")
    despeckle(page.image).save(image_path, dpi=(page.dpi, page.dpi))
    config = f"--dpi {page.dpi} -c preserve_interword_spaces=1"
    if text_only:
        config += " -c textonly_pdf=1"
    try:
        run_tesseract(
            str(image_path),
            str(base),
            "txt pdf",
            options.languages,
            config,
            0,
            options.page_timeout,
        )
    except TesseractNotFoundError:
        raise OcrFailed("Tesseract is not installed (apt-get install tesseract-ocr)") from None
    except TesseractError as exc:
        raise OcrFailed(f"Tesseract failed on page {page.number}: {exc.message}") from None
    except RuntimeError as exc:  # pytesseract's only signal for its timeout
        raise ContentTooLarge(
            f"OCR of page {page.number} took longer than {options.page_timeout} s ({exc})"
        ) from None
    finally:
        image_path.unlink(missing_ok=True)
    text = base.with_suffix(".txt").read_text(encoding="utf-8")
    return OcrResult(text=clean_ocr_text(text), pdf=base.with_suffix(".pdf"))


def clean_ocr_text(text: str) -> str:
    """Tesseract's text without its page separator and the spaces it puts inside Japanese
    (``search.join_cjk``: 業務 委託 → 業務委託, 令和 6 年 → 令和6年)."""
    return join_cjk(text.replace("\f", "")).strip()
