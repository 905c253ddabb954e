"""One generated page of the field development set: text placed on A4, rendered as a
born-digital PDF or as a paper scan, and the values the generators draw (``tests.layouts``)."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from ingest.fields import registration
from tests.generated import TRUETYPE_FONT, ScanStyle, cjk_font, date_forms, scanned

WIDTH, HEIGHT = A4
_FONT = "IPAPGothic"
JA_CITIES = ("大阪市", "堺市", "横浜市", "京都市", "神戸市", "札幌市")


@dataclass(frozen=True, slots=True)
class Text:
    """A string placed on the page: ``x``, ``y`` in points from the top left; ``align``
    ``right`` puts its end at ``x``, ``center`` its middle."""

    x: float
    y: float
    text: str
    size: float = 10.0
    align: str = "left"


@dataclass
class FieldDoc:
    name: str
    lang: str
    subtype: str
    truth: dict[str, list[str]]
    texts: list[Text] = field(default_factory=list)
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)
    scanned: bool = False

    def put(self, x: float, y: float, text: str, size: float = 10.0, align: str = "left") -> None:
        self.texts.append(Text(x, y, text, size, align))

    def cells(
        self, xs: tuple[float, ...], y: float, values: tuple[str, ...], size: float = 9.5
    ) -> None:
        """A table row: each value at its column; numbers (last columns) right-aligned."""
        for i, (x, value) in enumerate(zip(xs, values, strict=False)):
            if i > 0 and value[:1] in "0123456789¥$€£-" and i + 1 < len(xs):
                self.put(xs[i + 1] - 6, y, value, size, "right")
            else:
                self.put(x + 4, y, value, size)
        self.rules.append((xs[0], y + 4, xs[-1], y + 4))

    def pdf(self) -> bytes:
        if _FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(_FONT, str(TRUETYPE_FONT)))
        out = io.BytesIO()
        page = canvas.Canvas(out, pagesize=A4)
        for text in self.texts:
            page.setFont(_FONT, text.size)
            y = HEIGHT - text.y
            if text.align == "right":
                page.drawRightString(text.x, y, text.text)
            elif text.align == "center":
                page.drawCentredString(text.x, y, text.text)
            else:
                page.drawString(text.x, y, text.text)
        page.setLineWidth(0.5)
        for x0, y0, x1, y1 in self.rules:
            page.line(x0, HEIGHT - y0, x1, HEIGHT - y1)
        page.showPage()
        page.save()
        return out.getvalue()

    def scan_png(self, seed: int = 0) -> bytes:
        """The page printed and scanned at 300 dpi: slightly skewed, blurred and speckled."""
        rng = random.Random(seed)
        scale = 300 / 72
        image = Image.new("L", (round(WIDTH * scale), round(HEIGHT * scale)), 255)
        draw = ImageDraw.Draw(image)
        for text in self.texts:
            font = cjk_font(text.size)
            length = draw.textlength(text.text, font=font)
            x = text.x * scale - (
                length if text.align == "right" else length / 2 if text.align == "center" else 0
            )
            top = (text.y - text.size * 0.88) * scale
            draw.text((x, top), text.text, font=font, fill=rng.randint(0, 50))
        for x0, y0, x1, y1 in self.rules:
            draw.line((x0 * scale, y0 * scale, x1 * scale, y1 * scale), fill=90, width=2)
        style = ScanStyle(
            skew_deg=rng.uniform(-1.2, 1.2),
            blur=rng.uniform(0.3, 0.8),
            noise=rng.uniform(0.0005, 0.004),
        )
        return scanned(image, style, rng)


# -- values ------------------------------------------------------------------------------


def random_day(rng: random.Random) -> date:
    return date(2016, 1, 1) + timedelta(days=rng.randrange(365 * 10))


def ja_date(rng: random.Random, day: date) -> str:
    forms = date_forms(day)
    return forms[rng.choice(("kanji", "era", "era", "slash", "fullwidth", "era_short"))]


def en_date(rng: random.Random, day: date) -> str:
    forms = date_forms(day)
    return forms[
        rng.choice(
            (
                "english",
                "english_day_first",
                "iso",
                *(("day_first",) if "day_first" in forms else ()),
            )
        )
    ]


def registration_number(rng: random.Random) -> str:
    twelve = "".join(str(rng.randrange(10)) for _ in range(12))
    return f"T{registration.check_digit(twelve)}{twelve}"


def priced_items(
    rng: random.Random, pool: tuple[str, ...], count: int
) -> list[tuple[str, int, int]]:
    return [
        (rng.choice(pool), rng.randint(1, 30), rng.randrange(1, 600) * 100) for _ in range(count)
    ]


def yen(amount: int) -> str:
    return f"{amount:,}"
