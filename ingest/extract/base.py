"""The extractor contract and its typed results."""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, Protocol

from ingest.errors import ContentTooLarge
from ingest.sniff import Kind
from ingest.words import PageWords

Method = Literal["text", "ocr"]


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on the work one document may cause; exceeding one raises ``ContentTooLarge``."""

    max_bytes: int = 1 << 30
    max_pages: int = 5_000
    max_seconds: float = 600.0
    # Pillow's own bomb guard is ~89 Mpx; a 300 dpi A3 scan is ~17 Mpx.
    max_image_pixels: int = 64_000_000
    max_cells: int = 2_000_000
    max_chars: int = 50_000_000
    # The drawing instructions of one PDF page, inflated (pypdf's own bound for one stream).
    max_page_content: int = 75_000_000


@dataclass(frozen=True, slots=True)
class PageText:
    """The text of one page (a PDF page, an image frame, a sheet, or the whole of a text file).

    ``needs_ocr`` marks a page without a usable text layer; ``ingest.ocr.apply_ocr`` replaces
    its text and sets ``method="ocr"``. ``reason`` says why a page was not read from its
    text layer (none, or one that extracts as garbage). ``words`` are the words OCR read
    with their boxes (a text layer's words are read when fields need them: ``ingest.words``).
    """

    number: int
    text: str
    method: Method = "text"
    needs_ocr: bool = False
    reason: str | None = None
    words: PageWords | None = None


@dataclass(frozen=True, slots=True)
class Extraction:
    kind: Kind
    pages: tuple[PageText, ...]
    language: str | None = None
    warnings: tuple[str, ...] = field(default=())
    attachments: tuple[str, ...] | None = None
    """The names of the files a PDF carries (a Factur-X invoice's XML among them); None when
    not known (other kinds, or a PDF whose list of files cannot be read)."""

    @property
    def text(self) -> str:
        """All pages, separated by form feeds (as ``pdftotext`` does)."""
        return "\f".join(page.text for page in self.pages)

    @property
    def pages_needing_ocr(self) -> tuple[int, ...]:
        return tuple(page.number for page in self.pages if page.needs_ocr)

    def with_pages(self, pages: tuple[PageText, ...]) -> Extraction:
        return replace(self, pages=pages)


class Extractor(Protocol):
    def __call__(self, path: Path, limits: Limits) -> Extraction:
        """Read the text of the file at ``path``, page by page.

        MUST raise an ``IngestError`` subclass, never a library's own exception, for content
        it cannot read, and ``ContentTooLarge`` when the document exceeds ``limits``. SHOULD
        return what it could read (with a note in ``warnings``) when only part is damaged.
        MUST NOT run OCR: it marks pages without a usable text layer ``needs_ocr``.
        """
        ...


class Budget:
    """Counts pages, characters and seconds against ``Limits`` while a document is read."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._deadline = time.monotonic() + limits.max_seconds
        self._chars = 0

    def check_pages(self, count: int) -> None:
        if count > self.limits.max_pages:
            raise ContentTooLarge(f"{count} pages exceed the limit of {self.limits.max_pages}")

    def spend(self, text: str, where: str) -> None:
        """Account for ``text`` just read at ``where`` (e.g. "page 12")."""
        self._chars += len(text)
        if self._chars > self.limits.max_chars:
            raise ContentTooLarge(f"text exceeds {self.limits.max_chars:,} characters at {where}")
        if time.monotonic() > self._deadline:
            raise ContentTooLarge(
                f"reading took longer than {self.limits.max_seconds:g} s (stopped at {where})"
            )


@contextmanager
def collect_warnings(notes: list[str]) -> Iterator[None]:
    """Record library warnings (pypdf, openpyxl, Pillow) into ``notes`` instead of emitting them."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            notes.extend(f"{w.category.__name__}: {w.message}" for w in caught)
