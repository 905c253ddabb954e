"""Documents made on the fly with exact truth: Japanese scans and PDFs whose text layer is garbage.

Shared by the tests and ``bench/understanding.py``. Scans are rendered with a CJK font
(Noto CJK, as Debian's ``fonts-noto-cjk`` installs it) and degraded like a paper scan:
skew, blur and noise, seeded so every run makes the same pixels.
"""

from __future__ import annotations

import io
import random
from datetime import date
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


# -- a development set with exact truth ---------------------------------------------------

_PARTIES = ("株式会社サンプル商事", "大阪市役所総務局", "有限会社みなと設備", "東西建設株式会社")
_SUBJECTS = ("庁舎清掃業務", "道路維持補修工事", "学校給食配送業務", "図書館システム保守")
_SENTENCES = (
    "{subject}委託契約書",
    "{party}(以下「甲」という。)と{other}(以下「乙」という。)は",
    "次のとおり{subject}の委託契約を締結する。",
    "第{n}条 契約期間は令和{y}年4月1日から令和{y2}年3月31日までとする。",
    "第{n2}条 委託料は金{amount}円(消費税を含む。)とする。",
    "乙は業務の遂行に当たり個人情報を適正に取り扱わなければならない。",
    "甲は検査の結果を書面により乙に通知するものとする。",
    "本契約に定めのない事項は甲乙協議の上定めるものとする。",
)


def scan_page(seed: int) -> tuple[list[str], list[str]]:
    """The lines of one Japanese contract page, and the phrases on it (3–10 characters each)."""
    rng = random.Random(seed)
    party, other = rng.sample(_PARTIES, 2)
    values = {
        "party": party,
        "other": other,
        "subject": rng.choice(_SUBJECTS),
        "n": rng.randint(2, 5),
        "n2": rng.randint(6, 9),
        "y": (y := rng.randint(2, 7)),
        "y2": y + 1,
        "amount": f"{rng.randrange(100, 9000) * 1100:,}",
    }
    lines = [s.format(**values) for s in _SENTENCES]
    phrases = [
        party,
        other,
        str(values["subject"]),
        f"令和{y}年4月1日",
        f"金{values['amount']}円",
        "個人情報",
        "委託契約を締結する",
        "書面により",
        "甲乙協議",
        f"第{values['n']}条",
    ]
    return lines, phrases


def date_forms(day: date) -> dict[str, str]:
    """``day`` written in each form documents use (day-first only where it cannot be month-first)."""
    era, era_year = (
        ("令和", day.year - 2018) if day >= date(2019, 5, 1) else ("平成", day.year - 1988)
    )
    letter = "R" if era == "令和" else "H"
    month_name = day.strftime("%B")
    forms = {
        "iso": day.isoformat(),
        "slash": f"{day.year}/{day.month}/{day.day}",
        "dot": f"{day.year}.{day.month}.{day.day}",
        "kanji": f"{day.year}年{day.month}月{day.day}日",
        "fullwidth": f"{day.year}年{day.month}月{day.day}日".translate(_FULLWIDTH_DIGITS),
        "era": f"{era}{'元' if era_year == 1 else era_year}年{day.month}月{day.day}日",
        "era_short": f"{letter}{era_year}.{day.month}.{day.day}",
        "english": f"{month_name} {day.day}, {day.year}",
        "english_day_first": f"{day.day} {month_name} {day.year}",
    }
    if day.day > 12:
        forms["day_first"] = f"{day.day:02d}/{day.month:02d}/{day.year}"
    return forms


AMOUNT_FORMS = ("{:,}", "{}", "¥{:,}", "{:,}円", "金{:,}円", "￥{:,}")


def amount_forms(amount: int) -> dict[str, str]:
    return {form: form.format(amount) for form in AMOUNT_FORMS}


_FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
