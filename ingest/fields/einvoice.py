"""Fields of a structured e-invoice, taken from its XML: exact, never guessed from the text."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal

from ingest.einvoice import EInvoice, line_text
from ingest.extract.base import PageText
from ingest.fields import registration
from ingest.fields.base import Field, Value

MAX_LINE_ITEMS = 50


def einvoice_fields(invoice: EInvoice, page_texts: Sequence[PageText]) -> list[Field]:
    """Every term the XML gives, each located where the page text prints it (if it does)."""
    return [
        _located(name, value, page_texts, valid)
        for name, value, valid in _terms(invoice)
        if value is not None and value != ""
    ]


def _terms(invoice: EInvoice) -> Iterator[tuple[str, Value | None, bool]]:
    yield "einvoice_format", invoice.format_name, True
    yield "document_type_code", invoice.type_code, True
    yield "invoice_number", invoice.number, True
    yield "date", invoice.issue_date, True
    yield "date_due", invoice.due_date, True
    yield "issuer", invoice.seller, True
    for tax_id in invoice.seller_tax_ids:
        if registration.PATTERN.fullmatch(tax_id):
            number = registration.normalize(tax_id)
            yield "registration_number", number, registration.is_valid(number)
        else:
            yield "issuer_tax_id", tax_id, True
    yield "recipient", invoice.buyer, True
    yield "currency", invoice.currency, True
    yield "amount_untaxed", invoice.net, True
    yield "tax_amount", invoice.tax, True
    yield "total_amount", invoice.total, True
    yield "amount_due", invoice.due, True
    for line in invoice.lines[:MAX_LINE_ITEMS]:
        yield "line_item", line_text(line), True


def _located(name: str, value: Value, page_texts: Sequence[PageText], valid: bool) -> Field:
    for page in page_texts:
        for form in _printed_forms(value):
            start = page.text.find(form)
            if start >= 0:
                return _exact(name, value, page.number, start, start + len(form), valid)
    return _exact(name, value, 1, 0, 0, valid)


def _exact(name: str, value: Value, page: int, start: int, end: int, valid: bool) -> Field:
    return Field(name, value, page, start, end, valid=valid, source="xml", confidence=1.0)


def _printed_forms(value: Value) -> tuple[str, ...]:
    """How a printed invoice may show ``value`` (most specific first)."""
    if isinstance(value, date):
        d, m, y = value.day, value.month, value.year
        return (
            value.isoformat(),
            f"{d:02d}.{m:02d}.{y}",
            f"{d:02d}/{m:02d}/{y}",
            f"{y}/{m:02d}/{d:02d}",
            f"{y}年{m}月{d}日",
        )
    if isinstance(value, Decimal):
        grouped = f"{value:,.2f}"  # 1,234.50
        european = grouped.translate(str.maketrans(",.", ".,"))  # 1.234,50
        forms = [grouped, european, grouped.replace(",", ""), european.replace(".", "")]
        if value == value.to_integral_value():  # yen have no decimals
            forms += [f"{value:,.0f}", f"{value:.0f}"]
        return tuple(forms)
    return (value,)
