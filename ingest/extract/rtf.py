"""RTF text with striprtf: control words dropped, ``\\'hh`` bytes decoded by the file's code page.

A Japanese Word RTF declares ``\\ansicpg932`` or Shift_JIS fonts (``\\fcharset128``), which
striprtf honours; bytes no code page decodes become U+FFFD instead of failing the file.
"""

from __future__ import annotations

from pathlib import Path

from striprtf.striprtf import rtf_to_text

from ingest.errors import ContentTooLarge, CorruptContent
from ingest.extract.base import Budget, Extraction, Limits, PageText
from ingest.sniff import Kind


def extract_rtf(path: Path, limits: Limits) -> Extraction:
    if path.stat().st_size > 8 * limits.max_chars:
        raise ContentTooLarge(f"RTF file exceeds {limits.max_chars:,} characters")
    # RTF is 7-bit by its specification; bytes outside ASCII are kept as Latin-1 code points.
    source = path.read_bytes().decode("latin-1")
    try:
        text = rtf_to_text(source, errors="replace")
    except (ValueError, IndexError, LookupError) as exc:
        raise CorruptContent(f"unreadable RTF ({type(exc).__name__}: {exc})") from None
    lines = (line.rstrip() for line in text.splitlines())
    text = "\n".join(line for line in lines if line)
    Budget(limits).spend(text, "the RTF document")
    return Extraction(kind=Kind.RTF, pages=(PageText(number=1, text=text),))
