"""Client-supplied filenames: kept as display text only, never used as a path."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

MAX_LENGTH = 255
SAFE_PUNCTUATION = " ._-()[]+,"


def clean_filename(raw: str | None) -> str:
    """The last path segment of ``raw`` without control characters, at most 255 characters.

    The result is for display and downloads; blobs are stored under their hash, so no
    filename ever reaches the filesystem or an object key.
    """
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = unicodedata.normalize("NFC", name).strip().lstrip(".")
    return name[:MAX_LENGTH] or "document"


def content_disposition(filename: str) -> str:
    """An ``attachment`` header value with an ASCII fallback and the RFC 6266 UTF-8 form."""
    fallback = "".join(
        ch if ch.isascii() and (ch.isalnum() or ch in SAFE_PUNCTUATION) else "_" for ch in filename
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
