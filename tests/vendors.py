"""Invoices of made-up vendors whose labels the generic field reader does not know, with truth.

Each vendor prints the same fields under its own labels and layout (label and value on one
line, in two columns, or the value on the line below; or, with an empty label, the value
alone at a fixed place near the top), with a larger previous balance and an earlier
delivery date that a guess by "largest amount" or "first date" takes instead:

    vendor = VENDORS[0]                    # or generated_vendor(seed) for many more
    pdf, truth = vendor.invoice(seed=3)   # truth: {field: value as the API gives it}
    vendor = unlabelled(vendor, ("total_amount",))   # the total printed with no label
    vendor.box("total_amount")            # where it is: {"page": 1, "x0": ..., "y1": ...}
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from ingest.fields.registration import check_digit
from tests.generated import TRUETYPE_FONT, scan_png

FIELDS = ("invoice_number", "date", "date_due", "total_amount", "tax_amount")
"""The fields every vendor prints and the truth gives."""
_FONT = "IPAPGothic"
_COLUMNS = (60, 300)
"""Where the PDF's cells start (points from the left)."""
_TOP, _ROW = 70, 20
"""The first row's baseline (points from the top) and the distance between rows."""


def registration_number(seed: int) -> str:
    """A valid registration number (its check digit right): T + 13 digits."""
    twelve = f"{random.Random(seed).randrange(10**11, 10**12):012d}"
    return f"T{check_digit(twelve)}{twelve}"


@dataclass(frozen=True)
class Vendor:
    """One vendor's layout: a header, and per field a label and how the value is written."""

    name: str
    title: str
    regno: str
    labels: dict[str, str]
    below: frozenset[str]
    """Fields whose value is printed on the line under its label."""
    date_form: str
    """``ja`` (2024年11月5日), ``iso`` (2024-11-05), ``dot`` (05.11.2024) or ``en``."""
    money: str
    """``{:,}`` pattern of an amount, e.g. ``¥{:,}`` or ``JPY {:,}``."""

    def invoice(self, seed: int) -> tuple[bytes, dict[str, str]]:
        """A born-digital PDF of the invoice and its truth."""
        rows, truth = self.rows(seed)
        return _pdf(rows), truth

    def scan(self, seed: int) -> tuple[bytes, dict[str, str]]:
        """The invoice scanned (PNG, slightly skewed, blurred and speckled) and its truth."""
        rows, truth = self.rows(seed)
        lines = ["  ".join(r) for r in rows]
        return scan_png(lines, seed=seed, size_pt=12, skew_deg=0.5, blur=0.3, noise=0.003), truth

    def rows(self, seed: int) -> tuple[list[tuple[str, ...]], dict[str, str]]:
        """The invoice's lines, as cells, and its truth."""
        rng = random.Random(f"{self.name}-{seed}")
        issued = date(2024, 4, 1) + timedelta(days=rng.randrange(300))
        due = issued + timedelta(days=rng.choice((20, 30, 45)))
        total = rng.randrange(20, 900) * 1100
        tax = total // 11
        number = f"{self.name[:2].upper()}-{rng.randrange(1000, 9999)}"
        truth = {
            "invoice_number": number,
            "date": issued.isoformat(),
            "date_due": due.isoformat(),
            "total_amount": str(total),
            "tax_amount": str(tax),
        }
        printed = self._printed(truth)
        rows: list[tuple[str, ...]] = [
            (self.title,),
            (self.name,),
            (f"Reg. {self.regno}",),
            ("Delivered", self._date(issued - timedelta(days=7))),
            ("Previous balance", self.money.format(total * 3 + 1100)),
        ]
        rows += [(printed[name],) for name in FIELDS if not self.labels[name]]
        for name in (n for n in FIELDS if self.labels[n]):
            if name in self.below:
                rows += [(self.labels[name],), (printed[name],)]
            else:
                rows.append((self.labels[name], printed[name]))
        return rows, truth

    def box(self, name: str) -> dict[str, float]:
        """Where the PDF prints the value of ``name`` (as an officer would drag a box round
        it: from its column to the next), in fractions of the page, origin top left."""
        rows, truth = self.rows(seed=1)
        value = self._printed(truth)[name]
        index, column = next(
            (i, c) for i, cells in enumerate(rows) for c, cell in enumerate(cells) if cell == value
        )
        left, right = _COLUMNS[column], (_COLUMNS[column + 1 :] or (A4[0] - 10,))[0] - 10
        baseline = _TOP + index * _ROW
        width, height = A4
        return {
            "page": 1,
            "x0": round((left - 4) / width, 4),
            "y0": round((baseline - 14) / height, 4),
            "x1": round(right / width, 4),
            "y1": round((baseline + 5) / height, 4),
        }

    def _printed(self, truth: dict[str, str]) -> dict[str, str]:
        """The values of ``truth`` as this vendor prints them."""
        day = {n: self._date(date.fromisoformat(truth[n])) for n in ("date", "date_due")}
        money = {n: self.money.format(int(truth[n])) for n in ("total_amount", "tax_amount")}
        return {"invoice_number": truth["invoice_number"], **day, **money}

    def _date(self, day: date) -> str:
        if self.date_form == "ja":
            return f"{day.year}年{day.month}月{day.day}日"
        if self.date_form == "dot":
            return f"{day:%d.%m.%Y}"
        if self.date_form == "en":
            return f"{day:%B} {day.day}, {day.year}"
        return day.isoformat()


def _pdf(rows: list[tuple[str, ...]]) -> bytes:
    """One A4 page, each row's cells in columns (label at the left, value at the middle)."""
    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(_FONT, str(TRUETYPE_FONT)))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setFont(_FONT, 11)
    for i, cells in enumerate(rows):
        for x, cell in zip(_COLUMNS, cells, strict=False):
            page.drawString(x, A4[1] - _TOP - i * _ROW, cell)
    page.showPage()
    page.save()
    return out.getvalue()


VENDORS = (
    Vendor(
        "ハヤテ物産株式会社",
        "御請求書",
        registration_number(1),
        {
            "invoice_number": "伝票整理番号",
            "date": "発行年月日",
            "date_due": "お振込期日",
            "total_amount": "ご入金額",
            "tax_amount": "うち消費税相当",
        },
        frozenset({"date_due"}),
        "ja",
        "¥{:,}",
    ),
    Vendor(
        "Nordlicht Handels GmbH",
        "INVOICE / RECHNUNG",
        registration_number(2),
        {
            "invoice_number": "Beleg-Kennung",
            "date": "Ausgestellt am",
            "date_due": "Frist",
            "total_amount": "Zu zahlen",
            "tax_amount": "Steueranteil",
        },
        frozenset(),
        "dot",
        "JPY {:,}",
    ),
    Vendor(
        "Kobayashi Printing Co.",
        "INVOICE",
        registration_number(3),
        {
            "invoice_number": "Ref. code",
            "date": "Issued",
            "date_due": "Settle by",
            "total_amount": "Please remit",
            "tax_amount": "of which consumption levy",
        },
        frozenset({"date_due", "total_amount"}),
        "en",
        "JPY {:,}",
    ),
    Vendor(
        "みなと設備合同会社",
        "請求書",
        registration_number(4),
        {
            "invoice_number": "管理番号",
            "date": "作成日",
            "date_due": "期日",
            "total_amount": "今回ご請求分",
            "tax_amount": "内税",
        },
        frozenset({"invoice_number", "total_amount", "tax_amount"}),
        "ja",
        "{:,}円",
    ),
    Vendor(
        "Sakura Consulting K.K.",
        "Invoice",
        registration_number(5),
        {
            "invoice_number": "Voucher",
            "date": "Billing day",
            "date_due": "Pay before",
            "total_amount": "Net payable",
            "tax_amount": "Levy (10%)",
        },
        frozenset(),
        "iso",
        "¥{:,}",
    ),
)


_LABELS = {
    "invoice_number": ("整理番号", "Beleg-Nr", "Doc ref", "取引番号", "Référence", "Slip"),
    "date": ("発行年月日", "Datum", "Raised on", "作成日付", "Émis le", "Dated"),
    "date_due": ("お振込期日", "Fällig", "Remit by", "入金期限日", "À régler avant", "Pay until"),
    "total_amount": (
        "ご入金額",
        "Endbetrag",
        "Amount owing",
        "今回お支払額",
        "À payer",
        "To settle",
    ),
    "tax_amount": ("うち消費税相当", "Steuer", "Levy", "内消費税分", "Dont taxe", "Duty part"),
}
_NAMES = (
    "北浜商会",
    "Alpenglanz AG",
    "Harbour Supply Ltd.",
    "つばさ工業",
    "Lumière SARL",
    "Kite Co.",
)


def generated_vendor(seed: int) -> Vendor:
    """A vendor with labels drawn from pools the generic reader does not know, its own date
    and money forms, and a random set of values printed under their labels."""
    rng = random.Random(seed)
    return Vendor(
        f"{rng.choice(_NAMES)} {seed}",
        rng.choice(("請求書", "INVOICE", "Rechnung", "Facture")),
        registration_number(100 + seed),
        {name: rng.choice(pool) for name, pool in _LABELS.items()},
        frozenset(name for name in FIELDS if rng.random() < 0.4),
        rng.choice(("ja", "iso", "dot", "en")),
        rng.choice(("¥{:,}", "JPY {:,}", "{:,}円")),
    )


def unlabelled(vendor: Vendor, names: Iterable[str]) -> Vendor:
    """``vendor`` printing the values of ``names`` with no label, each alone on its line."""
    return replace(vendor, labels={**vendor.labels, **dict.fromkeys(names, "")})
