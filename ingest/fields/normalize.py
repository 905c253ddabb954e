"""Length-preserving text normalisation, dates (Western and Japanese era) and amounts.

Every function keeps character offsets: a match in the normalised text is a span of the
original, so fields can point at the words they came from.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Generic, NamedTuple, TypeVar

from search import date_spans

# Full-width ASCII (！..～) and the ideographic space map one-to-one to ASCII; NFKC would
# also expand ligatures such as ㈱ and move every offset after them.
_HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_HALFWIDTH |= {ord("－"): ord("-"), ord("‐"): ord("-"), ord("，"): ord(","), ord("￥"): ord("¥")}

_CURRENCIES = {"¥": "JPY", "円": "JPY", "$": "USD", "€": "EUR", "£": "GBP", "₹": "INR"}
# Digit groups may be split by a space after the separator, as OCR reads 1,233, 760.
_NUMBER = r"\d{1,3}(?:(?:[,.][ \t]?|[ \t])\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
# A number is whole: a unit price's 0,8403 € holds no amount 8403 (nor 840).
_WHOLE = r"(?![.,]?\d)"
AMOUNT = re.compile(
    rf"(?P<pre>¥|\$|€|£|₹|\b(?:JPY|USD|EUR|GBP|INR|Rs\.?))\s*(?P<a>{_NUMBER}){_WHOLE}-?"
    rf"|(?:金\s*)?(?<![\d.,])(?P<b>{_NUMBER}){_WHOLE}\s*(?P<post>円|€|\b(?:EUR|USD|JPY)\b)"
)


# The hyphen or dash between two numeric dates written without spaces: a range's joint.
_JOINED_RANGE = re.compile(
    r"(\b(?:\d{1,2}([-/.])\d{1,2}\2\d{4}|\d{4}([-/.])\d{1,2}\3\d{1,2}))[-–—]"
    r"(?=(?:\d{1,2}([-/.])\d{1,2}\4\d{4}|\d{4}([-/.])\d{1,2}\5\d{1,2})(?!\d))"
)

T = TypeVar("T")


class Amount(NamedTuple):
    value: Decimal
    currency: str


class Found(NamedTuple, Generic[T]):
    value: T
    start: int
    end: int


def halfwidth(text: str) -> str:
    """``text`` with full-width ASCII, digits and spaces as half-width (same length)."""
    return text.translate(_HALFWIDTH)


def find_dates(text: str, *, day_first: bool = False) -> list[Found[date]]:
    """Every valid date in ``text`` (already ``halfwidth``), in order of appearance, in any
    form ``search.date_spans`` reads (its numeric a/b/yyyy rules, ``day_first`` among them).
    Two numeric dates joined by a bare hyphen (``01-03-2024-31-03-2024``) are a range: both."""
    apart = _JOINED_RANGE.sub(lambda m: f"{m.group(1)} ", text)
    return [Found(*span) for span in date_spans(apart, day_first=day_first)]


# 3/23/06, 04-01-06: a numeric date with a two-digit year.
_SHORT_YEAR = re.compile(r"(?<![\d/.-])(\d{1,2})([/-])(\d{1,2})\2(\d{2})(?![\d/.-])")


def find_labelled_dates(text: str, *, day_first: bool = False) -> list[Found[date]]:
    """``find_dates`` and also dates with a two-digit year (``3/23/06``, 19xx from 69 as POSIX
    ``%y``), for text a label says is a date (a signature's "Date", a schedule's "Contract
    start:"); elsewhere 3/23/06 may be anything."""
    found = find_dates(text, day_first=day_first)
    for match in _SHORT_YEAR.finditer(text):
        year = int(match.group(4))
        year += 1900 if year >= 69 else 2000
        full = f"{match.group(1)}{match.group(2)}{match.group(3)}{match.group(2)}{year}"
        value = find_dates(full, day_first=day_first)
        if value:
            found.append(Found(value[0].value, match.start(), match.end()))
    return sorted(found, key=lambda f: f.start)


def parse_date(text: str) -> date | None:
    """The first date in ``text``, e.g. ``令和元年5月1日``, ``R6.4.1``, ``March 5, 2024``, ``5. März 2024``."""
    found = find_dates(halfwidth(text))
    return found[0].value if found else None


def find_amounts(text: str) -> list[Found[Amount]]:
    """Every amount with its currency in ``text`` (already ``halfwidth``)."""
    found: list[Found[Amount]] = []
    for match in AMOUNT.finditer(text):
        groups = match.groupdict()
        symbol = (groups["pre"] or groups["post"]).rstrip(".")
        number = parse_number(groups["a"] or groups["b"])
        if number is not None:
            currency = _CURRENCIES.get(symbol) or ("INR" if symbol == "Rs" else symbol.upper())
            found.append(Found(Amount(number, currency), match.start(), match.end()))
    return found


def parse_number(raw: str) -> Decimal | None:
    """``1,234,567`` / ``1.234,56`` / ``1 234.56`` as a Decimal (the last separator followed
    by 1-2 digits is the decimal mark)."""
    digits = re.sub(r"\s", "", raw)
    decimal_mark = re.search(r"[.,](\d{1,2})$", digits)
    whole = re.sub(r"[,.]", "", digits[: decimal_mark.start()] if decimal_mark else digits)
    try:
        return Decimal(f"{whole}.{decimal_mark.group(1)}" if decimal_mark else whole)
    except InvalidOperation:
        return None
