"""Typed values out of XML text: dates, amounts, names."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from lxml import etree

Namespaces = dict[str, str]


def text(root: etree._Element, path: str, ns: Namespaces) -> str | None:
    """The stripped text of the first element at ``path``; None if absent or empty."""
    found = root.find(path, ns)
    if found is None or found.text is None:
        return None
    value = " ".join(found.text.split())
    return value or None


def texts(root: etree._Element, path: str, ns: Namespaces) -> tuple[str, ...]:
    values = (" ".join((e.text or "").split()) for e in root.iterfind(path, ns))
    return tuple(dict.fromkeys(v for v in values if v))


def amount(value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def iso_date(value: str | None) -> date | None:
    """A date as UBL writes it (``2024-04-01``)."""
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def cii_date(value: str | None) -> date | None:
    """A date as CII writes it (``udt:DateTimeString format="102"``: ``20240401``)."""
    try:
        return datetime.strptime(value, "%Y%m%d").date() if value else None
    except ValueError:
        return None


def amount_in(
    root: etree._Element, path: str, ns: Namespaces, currency: str | None
) -> Decimal | None:
    """The amount at ``path`` in ``currency`` (the tax total may repeat in the accounting
    currency, BT-111), else the first."""
    found = root.findall(path, ns)
    chosen = next(
        (e for e in found if e.get("currencyID") == currency), found[0] if found else None
    )
    return amount(chosen.text.strip()) if chosen is not None and chosen.text else None


def quantity(item: etree._Element, path: str, ns: Namespaces) -> tuple[Decimal | None, str | None]:
    """A line's quantity and its UN/ECE rec 20 unit code."""
    found = item.find(path, ns)
    if found is None:
        return None, None
    return amount((found.text or "").strip() or None), found.get("unitCode")
