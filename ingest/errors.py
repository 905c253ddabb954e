"""Errors raised while reading a document.

    IngestError                 base: carries a readable ``reason`` and ``permanent``
    ├── EmptyContent            the file has no bytes                      (permanent)
    ├── UnsupportedContent      a kind of content Bunko cannot read        (permanent)
    ├── CorruptContent          damaged or malformed content               (permanent)
    ├── EncryptedContent        needs a password to open                   (permanent)
    ├── ContentTooLarge         over a page, pixel, cell or time limit     (permanent)
    └── OcrFailed               the OCR engine failed or is missing        (transient)

A permanent error means the same bytes will fail again: mark the document failed with
``reason``. A transient one may succeed on retry (e.g. after Tesseract is installed).
Foreign exceptions (pypdf, Pillow, openpyxl, pytesseract) are converted at the call site of
each library and never reach the caller.
"""

from __future__ import annotations


class IngestError(Exception):
    """Reading a document failed; ``reason`` is fit to show a records officer."""

    permanent: bool = True

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __repr__(self) -> str:
        return f"{type(self).__name__}(reason={self.reason!r}, permanent={self.permanent})"


class EmptyContent(IngestError):
    pass


class UnsupportedContent(IngestError):
    pass


class CorruptContent(IngestError):
    pass


class EncryptedContent(IngestError):
    pass


class ContentTooLarge(IngestError):
    pass


class OcrFailed(IngestError):
    permanent = False
