"""OCR with Tesseract (``jpn+eng``) of the pages that have no usable text layer.

Each page is rendered at its scan's own resolution, prepared (``ingest.prepare``:
despeckled, straightened, small text enlarged), written to a scratch file and read by a
``tesseract`` process that writes its text, words and a PDF page (the searchable layer),
so no page is read twice. One process reads the pages of a document one after another
while the next is prepared; a long scan is spread over ``OcrOptions.jobs`` processes.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from ingest.extract.base import Budget, Extraction, Limits
from ingest.language import detect_language
from ingest.prepare import prepare
from ingest.render import PageImage, page_images
from ingest.searchable import write_searchable_pdf
from ingest.sniff import Kind
from ingest.tesseract import PageFile, PageRead, Reading, read_pages
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
class OcrResult:
    text: str
    pdf: Path
    index: int
    """The page's place in ``pdf``."""
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
    text_only = extraction.kind == Kind.PDF
    with tempfile.TemporaryDirectory(prefix="bunko-ocr-") as scratch:
        images = page_images(path, extraction.kind, numbers, limits, options.dpi)
        files = _page_files(images, Path(scratch), limits, budget)
        reading = _reading(options, text_only)
        texts = {
            read.page.number: ocr_result(read)
            for read in read_pages(files, Path(scratch), reading, options.jobs)
        }
        for number, result in texts.items():
            budget.spend(result.text, f"page {number}")
        if searchable_pdf is not None:
            layers = {n: (r.pdf, r.index, r.angle) for n, r in texts.items()}
            write_searchable_pdf(path, extraction.kind, layers, searchable_pdf)
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
    file = write_page_image(page, scratch)
    (read,) = read_pages([file], scratch, _reading(options, text_only), jobs=1)
    return ocr_result(read)


def write_page_image(
    page: PageImage, scratch: Path, max_pixels: int = Limits().max_image_pixels
) -> PageFile:
    """Write the page prepared for Tesseract as an uncompressed TIFF, which carries its
    resolution (encoding a PNG cost up to a tenth of the OCR time)."""
    path = scratch / f"page-{page.number:05d}.tif"
    prepared = prepare(page.image, page.dpi, max_pixels)
    prepared.image.save(path, "TIFF", dpi=(prepared.dpi, prepared.dpi))
    return PageFile(page.number, path, prepared.dpi, prepared.angle)


def ocr_result(read: PageRead) -> OcrResult:
    return OcrResult(
        text=clean_ocr_text(read.text),
        pdf=read.pdf,
        index=read.index,
        words=tesseract_words(read.page.number, read.tsv),
        angle=read.page.angle,
    )


def _page_files(
    images: Iterable[PageImage], scratch: Path, limits: Limits, budget: Budget
) -> Iterator[PageFile]:
    for page in images:
        budget.spend("", f"page {page.number}")  # the time limit, checked before each page
        yield write_page_image(page, scratch, limits.max_image_pixels)


def _reading(options: OcrOptions, text_only: bool) -> Reading:
    return Reading(options.languages, text_only, options.page_timeout)


def clean_ocr_text(text: str) -> str:
    """Tesseract's text without its page separator and the spaces it puts inside Japanese
    (``search.join_cjk``: 業務 委託 → 業務委託, 令和 6 年 → 令和6年)."""
    return join_cjk(text.replace("\f", "")).strip()
