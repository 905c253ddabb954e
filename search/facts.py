"""Dates and amounts in a document's text, indexed in one normalised form beside the text.

A document prints 令和6年4月1日, a query says 2024/04/01: the words differ, the date does
not. Both engines index every date and amount of the text as a value (OpenSearch keyword
fields ``dates`` and ``amounts``; FTS5 tokens such as ``d20240401`` and ``a3300000`` in the
``facts`` column), and a query word or phrase that is a date or an amount in any form
also matches those values. The literal text is still searched as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from search.dates import find_dates, parse_dates

MAX_VALUES = 500
"""At most this many dates and amounts per document (a table of figures adds nothing more)."""

_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# Text: every number of three digits or more; a digit or separator next to it means it is
# part of something longer.
_TEXT_AMOUNT = re.compile(rf"(?<![\d.,])(?P<n>{_NUMBER})(?![\d,]*\d)")
# Query: a number that reads as an amount: grouped, with a currency mark, or of 4+ digits.
_QUERY_AMOUNT = re.compile(
    rf"(?:金|¥|\$|€|£|JPY|USD|EUR)?\s?(?P<n>{_NUMBER})\s?(?:円|-|JPY|USD|EUR)?", re.IGNORECASE
)
_MIN_DIGITS = 3


@dataclass(frozen=True)
class Facts:
    dates: frozenset[date] = frozenset()
    amounts: frozenset[str] = frozenset()
    """Canonical decimal strings: ``3300000``, ``1234.5``."""

    def __bool__(self) -> bool:
        return bool(self.dates or self.amounts)

    @property
    def tokens(self) -> list[str]:
        """The values as single word tokens (FTS5): ``d20240401``, ``a3300000``, ``a1234p5``."""
        return [f"d{d:%Y%m%d}" for d in sorted(self.dates)] + [
            "a" + a.replace(".", "p") for a in sorted(self.amounts)
        ]

    @property
    def iso_dates(self) -> list[str]:
        return [d.isoformat() for d in sorted(self.dates)]


def text_facts(text: str) -> Facts:
    """The dates and amounts written in ``text`` (in ``search.normalize.index_form``)."""
    dates = sorted(find_dates(text))[:MAX_VALUES]
    amounts: set[str] = set()
    for match in _TEXT_AMOUNT.finditer(text):
        value = _canonical(match["n"])
        if value is not None and len(value.split(".")[0]) >= _MIN_DIGITS:
            amounts.add(value)
            if len(amounts) >= MAX_VALUES:
                break
    return Facts(frozenset(dates), frozenset(amounts))


def query_facts(term: str) -> Facts:
    """What a query word or phrase means as a date or an amount (empty if neither).

    ``2024/4/1``, ``R6.4.1`` and ``"April 1, 2024"`` are dates; ``3,300,000``, ``¥3300000``
    and ``3300000円`` amounts (a bare number needs four digits or more to be one).
    """
    dates = parse_dates(term)
    if dates:
        return Facts(dates=frozenset(dates))
    match = _QUERY_AMOUNT.fullmatch(term.strip())
    if match is None:
        return Facts()
    number = match["n"]
    marked = match.group(0).strip() != number or "," in number
    value = _canonical(number)
    if value is None or not (marked or len(number) >= 4):
        return Facts()
    return Facts(amounts=frozenset({value}))


def _canonical(number: str) -> str | None:
    try:
        value = Decimal(number.replace(",", ""))
    except InvalidOperation:
        return None
    return format(value.normalize(), "f")
