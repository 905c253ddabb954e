"""Plain text and CSV, decoded from UTF-8/16, Shift_JIS (CP932), EUC-JP, ISO-2022-JP or CP1252."""

from __future__ import annotations

from pathlib import Path

from charset_normalizer import from_bytes

from ingest.errors import ContentTooLarge, CorruptContent
from ingest.extract.base import Budget, Extraction, Limits, PageText
from ingest.sniff import Kind

# Japanese government systems write these; restricting the candidates keeps short EUC-JP text
# from being taken for Korean (CP949), which decodes the same bytes without error.
ENCODINGS = ("utf_8", "utf_16", "cp932", "euc_jp", "iso2022_jp", "cp1252")
# charset-normalizer's "mess" ratio above which the bytes are not text in any candidate.
_MAX_CHAOS = 0.2
# NUL and other C0 controls (tab, newlines, form feed and ESC aside) do not occur in text.
_CONTROLS = frozenset(chr(c) for c in range(32)) - set("\t\n\r\f\v\x1b")
_MAX_CONTROL_RATIO = 0.01


def extract_text(path: Path, limits: Limits) -> Extraction:
    # Text is at most ~4 bytes a character in any candidate encoding.
    if path.stat().st_size > 4 * limits.max_chars:
        raise ContentTooLarge(f"text file exceeds {limits.max_chars:,} characters")
    text = decode(path.read_bytes())
    Budget(limits).spend(text, "the text file")
    return Extraction(kind=Kind.TEXT, pages=(PageText(number=1, text=text),))


def decode(data: bytes) -> str:
    """``data`` as text in the most plausible of ``ENCODINGS``; ``CorruptContent`` if none fits."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = from_bytes(data, cp_isolation=list(ENCODINGS)).best()
        text = "" if best is None or best.chaos > _MAX_CHAOS else str(best)
    controls = sum(1 for char in text if char in _CONTROLS)
    if not text or controls > len(text) * _MAX_CONTROL_RATIO:
        raise CorruptContent(
            "binary content, not text in a known encoding (UTF-8, Shift_JIS, EUC-JP)"
        )
    return text
