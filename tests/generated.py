"""Documents made on the fly with exact truth: Japanese scans and PDFs whose text layer is garbage.

Shared by the tests and ``bench/understanding.py``. Scans are rendered with a CJK font
(Noto CJK, as Debian's ``fonts-noto-cjk`` installs it) and degraded like a paper scan:
skew, blur and noise, seeded so every run makes the same pixels.
"""

from __future__ import annotations

import io
import random
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

_FONTS = Path("/usr/share/fonts/opentype")
JP_FACES = tuple(
    (path, index)
    for path, index in (
        (_FONTS / "noto/NotoSansCJK-Regular.ttc", 0),
        (_FONTS / "noto/NotoSerifCJK-Regular.ttc", 0),
        (_FONTS / "noto/NotoSansCJK-Bold.ttc", 0),
        (_FONTS / "noto/NotoSerifCJK-Bold.ttc", 0),
        (_FONTS / "noto/NotoSansCJK-Regular.ttc", 5),  # Noto Sans Mono CJK JP
        (_FONTS / "ipafont-gothic/ipag.ttf", 0),
        (_FONTS / "ipafont-gothic/ipagp.ttf", 0),
    )
    if path.exists()
)
"""Japanese faces installed here (Debian's fonts-noto-cjk, fonts-noto-cjk-extra and
fonts-ipafont-gothic), as (file, face index); Noto Sans CJK JP first, then its serif."""
# reportlab embeds TrueType outlines only (Noto CJK is CFF).
TRUETYPE_FONT = _FONTS / "ipafont-gothic/ipagp.ttf"
_A4_WIDTH_IN = 8.27
_MARGIN_IN = 0.8


@dataclass(frozen=True, slots=True)
class ScanStyle:
    """How a generated page is printed and scanned."""

    face: int = 0
    """Index into ``JP_FACES``."""
    size_pt: float = 12
    dpi: int = 300
    skew_deg: float = 1.0
    blur: float = 0.6
    """Gaussian blur radius in pixels at 300 dpi (scaled with the resolution)."""
    noise: float = 0.02
    """Share of pixels turned to random black or white dots (salt and pepper)."""
    paper: int = 255
    ink: int = 40
    """The darkest grey of the text varies from 0 to this."""
    jpeg_quality: int | None = None
    """Saved as JPEG at this quality (with its artefacts), else as PNG."""
    width_in: float = _A4_WIDTH_IN
    margin_in: float = _MARGIN_IN

    @property
    def suffix(self) -> str:
        return ".png" if self.jpeg_quality is None else ".jpg"


def varied_style(seed: int) -> ScanStyle:
    """A random but reproducible print and scan: face, 9-14 pt, 200 or 300 dpi, skew up to
    3°, blur, speckle on half the pages, grey paper, JPEG artefacts on half the pages."""
    rng = random.Random(seed)
    return ScanStyle(
        face=rng.randrange(len(JP_FACES)),
        size_pt=rng.choice((9, 10, 10.5, 12, 14)),
        dpi=rng.choice((200, 300)),
        skew_deg=rng.uniform(-3, 3),
        blur=rng.uniform(0, 1.2),
        noise=rng.choice((0, rng.uniform(0.002, 0.02))),
        paper=rng.randint(215, 255),
        ink=rng.randint(0, 90),
        jpeg_quality=rng.choice((None, rng.randint(40, 90))),
    )


def cjk_font(size_pt: float, dpi: int = 300, face: int = 0) -> ImageFont.FreeTypeFont:
    path, index = JP_FACES[face]
    return ImageFont.truetype(str(path), round(size_pt * dpi / 72), index=index)


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
    """A 300 dpi A4-wide page showing ``lines``, skewed, blurred and speckled, as PNG bytes."""
    style = ScanStyle(int(serif), size_pt, 300, skew_deg, blur, noise, width_in=5.83, margin_in=0.4)
    return scan_image(lines, style, seed=seed)


def scan_image(lines: list[str], style: ScanStyle, *, seed: int = 0) -> bytes:
    """A page (A4-wide unless ``style`` says otherwise) showing ``lines`` (wrapped at the margin) printed and scanned in
    ``style``, as PNG or JPEG bytes that declare the scan's resolution."""
    rng = random.Random(seed)
    font = cjk_font(style.size_pt, style.dpi, style.face)
    width = round(style.width_in * style.dpi)
    margin = round(style.margin_in * style.dpi)
    rows = [row for line in lines for row in _wrapped(line, font, width - 2 * margin)]
    line_px = round(style.size_pt * style.dpi / 72 * 1.8)
    page = Image.new("L", (width, 2 * margin + line_px * len(rows)), style.paper)
    draw = ImageDraw.Draw(page)
    for i, row in enumerate(rows):
        draw.text((margin, margin + i * line_px), row, font=font, fill=rng.randint(0, style.ink))
    return scanned(page, style, rng)


def scanned(page: Image.Image, style: ScanStyle, rng: random.Random) -> bytes:
    """A clean page image printed and scanned in ``style``: skewed, blurred and speckled, as
    PNG or JPEG bytes that declare the scan's resolution."""
    page = page.rotate(
        style.skew_deg, resample=Image.Resampling.BICUBIC, fillcolor=style.paper, expand=True
    )
    if style.blur:
        page = page.filter(ImageFilter.GaussianBlur(style.blur * style.dpi / 300))
    pixels = page.load()
    assert pixels is not None
    for _ in range(int(page.width * page.height * style.noise)):
        x, y = rng.randrange(page.width), rng.randrange(page.height)
        pixels[x, y] = rng.choice((0, 255))
    out = io.BytesIO()
    if style.jpeg_quality is None:
        page.save(out, format="PNG", dpi=(style.dpi, style.dpi))
    else:
        page.save(out, format="JPEG", quality=style.jpeg_quality, dpi=(style.dpi, style.dpi))
    return out.getvalue()


def _wrapped(line: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """``line`` cut into rows no wider than ``width`` (Japanese breaks between any characters)."""
    rows = [""]
    for char in line:
        if rows[-1] and font.getlength(rows[-1] + char) > width:
            rows.append("")
        rows[-1] += char
    return rows


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

_PARTIES = (
    "株式会社サンプル商事",
    "大阪市役所総務局",
    "有限会社みなと設備",
    "東西建設株式会社",
    "合同会社北斗情報技術",
    "一般財団法人まちづくり協会",
    "横浜市都市整備局",
    "株式会社ひかり印刷",
)
_SUBJECTS = (
    "庁舎清掃業務",
    "道路維持補修工事",
    "学校給食配送業務",
    "図書館システム保守",
    "公園樹木剪定業務",
    "窓口案内業務",
)
# Each kind of page as lines; [brackets] mark the phrases searched for (not printed).
_PAGES = (
    (
        "[{subject}]委託契約書",
        "[{party}](以下「甲」という。)と[{other}](以下「乙」という。)は",
        "次のとおり{subject}の[委託契約を締結する]。",
        "[第{n}条] 契約期間は[令和{y}年4月1日]から令和{y2}年3月31日までとする。",
        "第{n2}条 委託料は[金{amount}円](消費税を含む。)とする。",
        "乙は業務の遂行に当たり[個人情報]を適正に取り扱わなければならない。",
        "甲は検査の結果を[書面により]乙に通知するものとする。",
        "本契約に定めのない事項は[甲乙協議]の上定めるものとする。",
    ),
    (
        "{city}総第{no}号",
        "[令和{y}年{m}月{d}日]",
        "[{party}] 代表者 様",
        "{city}長 {person}",
        "[行政文書開示決定通知書]",
        "令和{y}年{m}月{d2}日付けで請求のあった[行政文書の開示]について、",
        "[情報公開条例]第{n}条の規定により、次のとおり開示することに決定したので通知します。",
        "開示する行政文書の名称 [{subject}に係る契約書]",
        "この決定に不服がある場合は、[審査請求]をすることができます。",
    ),
    (
        "[請求書]",
        "[{other}] 御中",
        "[{party}]",
        "登録番号 [T{reg}]",
        "請求日 [令和{y}年{m}月{d}日]",
        "件名 [{subject}]委託料({m}月分)",
        "小計 {net}円 消費税(10%) {tax}円",
        "ご請求金額 [金{amount}円]",
        "お支払期限までに[下記口座]へお振込みください。",
    ),
    (
        "[{subject}]に関する[打合せ議事録]",
        "日時 [令和{y}年{m}月{d}日] 午後{h}時から",
        "場所 {city}役所 [第{n}会議室]",
        "出席者 [{party}] {person}、{other} 担当者",
        "1 [作業工程]の確認について説明があり、了承された。",
        "2 次回までに[見積書]を提出することとした。",
        "以上",
    ),
)
_CITIES = ("大阪市", "横浜市", "札幌市", "福岡市", "仙台市")
_PEOPLE = ("山田太郎", "佐藤花子", "鈴木一郎", "高橋美咲")
_MARKED = re.compile(r"\[([^\]]+)\]")


def scan_page(seed: int) -> tuple[list[str], list[str]]:
    """The lines of one Japanese page (a contract, a notice, an invoice or minutes) and the
    phrases printed on it (3-20 characters each)."""
    rng = random.Random(seed)
    party, other = rng.sample(_PARTIES, 2)
    net = rng.randrange(100, 9000) * 1000
    values = {
        "party": party,
        "other": other,
        "subject": rng.choice(_SUBJECTS),
        "city": rng.choice(_CITIES),
        "person": rng.choice(_PEOPLE),
        "n": rng.randint(2, 9),
        "n2": rng.randint(10, 19),
        "no": rng.randint(100, 999),
        "y": (y := rng.randint(2, 7)),
        "y2": y + 1,
        "m": rng.randint(1, 12),
        "d": rng.randint(10, 28),
        "d2": rng.randint(1, 9),
        "h": rng.randint(1, 5),
        "reg": rng.randrange(10**12, 10**13),
        "net": f"{net:,}",
        "tax": f"{net // 10:,}",
        "amount": f"{net * 11 // 10:,}",
    }
    marked = [line.format(**values) for line in _PAGES[seed % len(_PAGES)]]
    phrases = [phrase for line in marked for phrase in _MARKED.findall(line)]
    return [_MARKED.sub(r"\1", line) for line in marked], phrases


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
