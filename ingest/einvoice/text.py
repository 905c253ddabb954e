"""The readable text of an XML-only e-invoice: what its PDF rendition prints and the index holds.

Labelled business terms first (bilingual: the rendition is a record, not a UI page), then
the lines, then every other value the XML carries so that a search finds it too.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from lxml import etree

from ingest.einvoice.model import EInvoice, Line

MAX_VALUES = 2_000
"""Values listed after the summary; an invoice with more lines is still summarised whole."""
_LONG_VALUE = 1_000
"""Longer texts are embedded binaries (base64 attachments): not words anyone searches."""


def invoice_text(invoice: EInvoice, root: etree._Element) -> str:
    title = "貸方票 Credit note" if invoice.is_credit_note else "請求書 Invoice"
    terms: list[tuple[str, object]] = [
        ("電子インボイス E-invoice", f"{invoice.format_name} ({invoice.syntax})"),
        ("仕様 Specification", invoice.specification),
        ("種別コード Type code", invoice.type_code),
        ("請求書番号 Invoice number", invoice.number),
        ("発行日 Issue date", invoice.issue_date),
        ("支払期日 Due date", invoice.due_date),
        ("発行者 Seller", invoice.seller),
        ("登録番号・税番号 Seller tax ID", ", ".join(invoice.seller_tax_ids) or None),
        ("宛先 Buyer", invoice.buyer),
        ("通貨 Currency", invoice.currency),
    ]
    totals: list[tuple[str, object]] = [
        ("税抜合計 Net total", invoice.net),
        ("消費税等 Tax", invoice.tax),
        ("税込合計 Total", invoice.total),
        ("お支払金額 Amount due", invoice.due),
    ]
    lines = [title, ""]
    lines += [f"{label}: {_shown(value)}" for label, value in terms if value is not None]
    if invoice.lines:
        lines += ["", "明細 Lines"]
        lines += [f"{n}. {line_text(line)}" for n, line in enumerate(invoice.lines, start=1)]
    lines += [""] + [f"{label}: {_shown(value)}" for label, value in totals if value is not None]
    lines += ["", "XMLの全項目 All values in the XML", *_values(root)]
    return "\n".join(lines)


def line_text(line: Line) -> str:
    """``name — 2 C62 — 100.00``: what a line item field holds and the rendition prints."""
    quantity = " ".join(_shown(v) for v in (line.quantity, line.unit) if v is not None)
    return " — ".join(part for part in (line.name, quantity, _shown(line.amount)) if part)


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _values(root: etree._Element) -> list[str]:
    values: list[str] = []
    for element in root.iter():
        if not isinstance(element.tag, str) or len(values) >= MAX_VALUES:
            continue
        value = " ".join((element.text or "").split())
        if value and len(value) <= _LONG_VALUE:
            values.append(f"{etree.QName(element).localname}: {value}")
    return values
