"""The working PDF of a responsive record: the page images and coordinates redaction works on.

* PDF: the original itself.
* Images (scans): one page per frame, at the image's size.
* DOCX and plain text: the text (ingest's extractor: paragraphs, tables, headers and footers)
  typeset on A4 in IPAGothic with reportlab. The layout of the Word file is not kept, its
  words are: the released copy is a faithful text rendition, and redaction then works as on
  any text PDF. The conversion is deterministic, so boxes marked on it stay valid at release.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PIL import Image, ImageSequence
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from archive.errors import InvalidInput
from ingest.extract import extract
from ingest.sniff import IMAGE_KINDS, Kind, sniff

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


def working_pdf(original: Path, out: Path) -> Path:
    """Write the PDF that redaction marks and renders for ``original``; return ``out``."""
    kind = sniff(original)
    if kind == Kind.PDF:
        shutil.copyfile(original, out)
    elif kind in (Kind.DOCX, Kind.TEXT, Kind.CSV):
        typeset([page.text for page in extract(original, kind).pages], out)
    elif kind in IMAGE_KINDS:
        _images_to_pdf(original, out)
    else:
        raise InvalidInput(
            f"{kind.value} documents cannot be redacted yet: attach a PDF, DOCX, text or image"
        )
    return out


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


def _images_to_pdf(original: Path, out: Path) -> None:
    with Image.open(original) as image:
        frames = [frame.convert("RGB") for frame in ImageSequence.Iterator(image)]
    dpi = 300
    frames[0].save(out, format="PDF", save_all=True, append_images=frames[1:], resolution=dpi)
