"""OCR with Tesseract (``jpn+eng``) of the pages that have no usable text layer.

Each page is rendered at its scan's own resolution, prepared (``ingest.prepare``:
despeckled, straightened, small text enlarged), written to a scratch file and read by
one ``tesseract`` run that writes both its text and a one-page PDF (the searchable layer),
so no page is read twice. The pages of one document are read ``OcrOptions.jobs`` at a time.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from ingest.extract.base import Budget, Extraction, Limits
from ingest.language import detect_language
from ingest.prepare import prepare
from ingest.render import PageImage, page_images
from ingest.searchable import write_searchable_pdf
from ingest.sniff import Kind
from ingest.tesseract import in_parallel, run_tesseract
from ingest.words import PageWords, tesseract_words
from search import join_cjk


@dataclass(frozen=True, slots=True)
class OcrOptions:
    languages: str = "jpn+eng"
    dpi: int | None = None
    """Render PDF pages at this resolution; None: at the resolution of their scanned image."""
    page_timeout: int = 180
    jobs: int = 1
    """Pages of one document read at once (the worker concurrency setting)."""


@dataclass(frozen=True, slots=True)
class PageFile:
    """A page image written for Tesseract."""

    number: int
    path: Path
    dpi: int
    angle: float = 0.0
    """Degrees the page was straightened by before it was written."""


@dataclass(frozen=True, slots=True)
class OcrResult:
    text: str
    pdf: Path
    words: PageWords | None = None
    angle: float = 0.0
    """Degrees the page was straightened by: its PDF lies that much askew of the scan."""


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
    texts: dict[int, OcrResult] = {}
    text_only = extraction.kind == Kind.PDF
    with tempfile.TemporaryDirectory(prefix="bunko-ocr-") as scratch:
        page_pdfs: dict[int, tuple[Path, float]] = {}
        files = (
            write_page_image(page, Path(scratch), limits.max_image_pixels)
            for page in page_images(path, extraction.kind, numbers, limits, options.dpi)
        )

        def read(page: PageFile) -> tuple[int, OcrResult]:
            return page.number, read_page(page, options, text_only=text_only)

        for number, result in in_parallel(read, files, options.jobs):
            budget.spend(result.text, f"page {number}")
            texts[number] = result
            page_pdfs[number] = (result.pdf, result.angle)
        if searchable_pdf is not None:
            write_searchable_pdf(path, extraction.kind, page_pdfs, searchable_pdf)
    pages = tuple(
        replace(
            page,
            text=texts[page.number].text,
            words=texts[page.number].words,
            method="ocr",
            needs_ocr=False,
        )
        if page.number in texts
        else page
        for page in extraction.pages
    )
    ocred = extraction.with_pages(pages)
    return replace(ocred, language=detect_language(ocred.text))


def ocr_page(page: PageImage, scratch: Path, options: OcrOptions, *, text_only: bool) -> OcrResult:
    """Read one page image; the PDF holds the image and its text, or only the text."""
    return read_page(write_page_image(page, scratch), options, text_only=text_only)


def write_page_image(
    page: PageImage, scratch: Path, max_pixels: int = Limits().max_image_pixels
) -> PageFile:
    """Write the page prepared for Tesseract as uncompressed PNM (encoding a PNG cost up to a
    tenth of the OCR time)."""
    path = scratch / f"page-{page.number:05d}.pnm"
    prepared = prepare(page.image, page.dpi, max_pixels)
    prepared.image.save(path, "PPM")
    return PageFile(page.number, path, prepared.dpi, prepared.angle)


def read_page(page: PageFile, options: OcrOptions, *, text_only: bool) -> OcrResult:
    """OCR a written page image (and delete it); safe to run on several threads."""
    base = page.path.with_suffix("")
    try:
        run_tesseract(
            page.path,
            base,
            number=page.number,
            languages=options.languages,
            dpi=page.dpi,
            text_only=text_only,
            timeout=options.page_timeout,
            single_threaded=options.jobs > 1,
        )
    finally:
        page.path.unlink(missing_ok=True)
    text = base.with_suffix(".txt").read_text(encoding="utf-8")
    tsv = base.with_suffix(".tsv")
    words = tesseract_words(page.number, tsv.read_text(encoding="utf-8") if tsv.exists() else "")
    tsv.unlink(missing_ok=True)
    return OcrResult(
        text=clean_ocr_text(text), pdf=base.with_suffix(".pdf"), words=words, angle=page.angle
    )


def clean_ocr_text(text: str) -> str:
    """Tesseract's text without its page separator and the spaces it puts inside Japanese
    (``search.join_cjk``: 業務 委託 → 業務委託, 令和 6 年 → 令和6年)."""
    return join_cjk(text.replace("\f", "")).strip()
