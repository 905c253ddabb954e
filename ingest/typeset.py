"""Text typeset on A4 pages in a Japanese font (IPAGothic) with reportlab, deterministically.

Used for renditions of documents that have words but no pages of their own: an XML
e-invoice's readable PDF, and the working PDF that disclosure redacts for DOCX and text.
"""

from __future__ import annotations

import math
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT_PATHS = (
    Path("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf"),
    Path("/usr/share/fonts/truetype/fonts-japanese-gothic.ttf"),
)
FONT = "BunkoDisclosureGothic"
FONT_SIZE = 10.5
MARGIN = 56.0


def font_name() -> str:
    """Register IPAGothic once (Debian ``fonts-ipafont-gothic``); it must be installed."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        path = next((p for p in FONT_PATHS if p.exists()), None)
        if path is None:
            raise RuntimeError(
                "a Japanese TrueType font is needed: apt-get install fonts-ipafont-gothic"
            )
        pdfmetrics.registerFont(TTFont(FONT, str(path)))
    return FONT


def typeset(pages: list[str], out: Path) -> None:
    """Text on A4 pages, wrapped by width; each source page starts a new page."""
    font = font_name()
    width, height = A4
    pdf = canvas.Canvas(str(out), pagesize=A4, invariant=True, pageCompression=1)
    line_height = FONT_SIZE * 1.6
    for text in pages or [""]:
        y = height - MARGIN
        pdf.setFont(font, FONT_SIZE)
        for line in wrapped(text, font, width - 2 * MARGIN):
            if y < MARGIN:
                pdf.showPage()
                pdf.setFont(font, FONT_SIZE)
                y = height - MARGIN
            pdf.drawString(MARGIN, y - FONT_SIZE, line)
            y -= line_height
        pdf.showPage()
    pdf.save()


def paginate(text: str) -> list[str]:
    """``text`` cut into the pieces that ``typeset`` prints on one page each, so that a
    document's pages of text are the pages of its rendition."""
    width, height = A4
    per_page = math.floor((height - 2 * MARGIN) / (FONT_SIZE * 1.6)) + 1  # as typeset fills
    lines = wrapped(text, font_name(), width - 2 * MARGIN)
    return ["\n".join(lines[at : at + per_page]) for at in range(0, len(lines), per_page)]


def wrapped(text: str, font: str, width: float, size: float = FONT_SIZE) -> list[str]:
    """``text`` broken into lines no wider than ``width`` points (by character, as Japanese wraps)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for char in paragraph:
            if pdfmetrics.stringWidth(current + char, font, size) > width:
                lines.append(current)
                current = ""
            current += char
        lines.append(current)
    return lines
