"""Media types by content (magic bytes), not by the name a client gave."""

from __future__ import annotations

import magic

UNKNOWN = "application/octet-stream"
SNIFF_BYTES = 8192

# libmagic names some container formats generically; the declared type may refine them.
_GENERIC = {UNKNOWN, "application/zip", "application/x-empty"}


def sniff_media_type(head: bytes, declared: str | None = None) -> tuple[str, bool]:
    """Return ``(media_type, known)`` for content starting with ``head``."""
    sniffed = magic.from_buffer(head, mime=True) if head else UNKNOWN
    if (
        sniffed == "application/zip"
        and declared
        and declared.startswith("application/vnd.openxmlformats")
    ):
        return declared, True
    return sniffed, sniffed not in _GENERIC
