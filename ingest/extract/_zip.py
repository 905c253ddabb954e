"""Guards shared by the ZIP-based formats (DOCX, XLSX)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ingest.errors import ContentTooLarge, CorruptContent
from ingest.extract.base import Limits

# Office XML compresses ~10x; beyond 100x it is a ZIP bomb, not a document.
_MAX_RATIO = 100


def check_zip(path: Path, limits: Limits) -> None:
    """Refuse a ZIP container that would inflate past ``limits.max_bytes`` or looks like a bomb."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise CorruptContent(f"damaged ZIP container (truncated or corrupt): {exc}") from None
    inflated = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if inflated > limits.max_bytes or (inflated / packed > _MAX_RATIO and inflated > 1 << 26):
        raise ContentTooLarge(
            f"ZIP container inflates to {inflated:,} bytes from {packed:,} (limit "
            f"{limits.max_bytes:,} bytes, ratio {_MAX_RATIO}x)"
        )
