"""Documents made on the fly with exact truth: Japanese scans and PDFs whose text layer is garbage.

Shared by the tests and ``bench/understanding.py``. Scans are rendered with a CJK font
(Noto CJK, as Debian's ``fonts-noto-cjk`` installs it) and degraded like a paper scan:
skew, blur and noise, seeded so every run makes the same pixels.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT_FILES = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
)
# reportlab embeds TrueType outlines only (Noto CJK is CFF).
TRUETYPE_FONT = Path("/usr/share/fonts/opentype/ipafont-gothic/ipagp.ttf")
# Index of the Japanese face inside Noto's collections (JP comes first).
_JP_FACE = 0
_PX_PER_PT = 300 / 72


def cjk_font(size_pt: float, serif: bool = False) -> ImageFont.FreeTypeFont:
    path = FONT_FILES[1] if serif and FONT_FILES[1].exists() else FONT_FILES[0]
    return ImageFont.truetype(str(path), round(size_pt * _PX_PER_PT), index=_JP_FACE)


def scan_png(
    lines: list[str],
    *,
    seed: int = 0,
    size_pt: float = 12,
    skew_deg: float = 1.0,
    blur: float = 0.6,
    noise: float = 0.02,
    serif: bool = False,
) -> bytes:
    """A 300 dpi A5-wide page showing ``lines``, skewed, blurred and speckled, as PNG bytes."""
    rng = random.Random(seed)
    font = cjk_font(size_pt, serif)
    line_px = round(size_pt * _PX_PER_PT * 1.8)
    width = 1750
    height = 200 + line_px * len(lines)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    for i, line in enumerate(lines):
        draw.text((120, 100 + i * line_px), line, font=font, fill=rng.randint(0, 40))
    page = page.rotate(skew_deg, resample=Image.Resampling.BICUBIC, fillcolor=255, expand=True)
    if blur:
        page = page.filter(ImageFilter.GaussianBlur(blur))
    pixels = page.load()
    assert pixels is not None
    for _ in range(int(page.width * page.height * noise)):
        x, y = rng.randrange(page.width), rng.randrange(page.height)
        pixels[x, y] = rng.choice((0, 255))
    out = io.BytesIO()
    page.save(out, format="PNG", dpi=(300, 300))
    return out.getvalue()


def text_pdf(lines: list[str]) -> bytes:
    """A born-digital A4 PDF showing ``lines`` in an embedded CJK font (a usable text layer)."""
    name = "IPAPGothic"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(TRUETYPE_FONT)))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setFont(name, 12)
    for i, line in enumerate(lines):
        page.drawString(60, A4[1] - 80 - i * 22, line)
    page.showPage()
    page.save()
    return out.getvalue()


def broken_unicode_pdf(lines: list[str]) -> bytes:
    """``text_pdf`` with every font's ToUnicode map removed: the page shows the text, but its
    text layer extracts as glyph-id garbage, as in PDFs made with fonts lacking a usable map.
    """
    reader = PdfReader(io.BytesIO(text_pdf(lines)))
    writer = PdfWriter(clone_from=reader)
    for page in writer.pages:
        fonts = page["/Resources"].get_object()["/Font"].get_object()  # type: ignore[index]
        for ref in fonts.values():
            font = ref.get_object()
            if NameObject("/ToUnicode") in font:
                del font[NameObject("/ToUnicode")]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
