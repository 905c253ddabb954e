"""Qualified-invoice registration numbers (適格請求書発行事業者登録番号): ``T`` + 13 digits.

The 13 digits follow the corporate number (法人番号) scheme: the first is a check digit
over the other twelve (法人番号の指定等に関する省令 第2条):
``9 - (sum(P_n * Q_n for n in 1..12) mod 9)``, where ``P_n`` is the n-th of the twelve
digits counted from the right and ``Q_n`` is 1 for odd ``n`` and 2 for even ``n``.
"""

from __future__ import annotations

import re

PATTERN = re.compile(r"(?<![A-Za-z0-9])T\s*[-:]?\s*(\d(?:[\s-]?\d){12})(?!\d)")


def check_digit(twelve: str) -> int:
    """The check digit for the twelve digits that follow it."""
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(twelve), start=1))
    return 9 - total % 9


def is_valid(number: str) -> bool:
    """True for ``T`` + 13 digits (hyphens and spaces ignored) whose check digit is right."""
    digits = re.sub(r"[\s-]", "", number.removeprefix("T").lstrip(" -:"))
    return bool(re.fullmatch(r"\d{13}", digits)) and int(digits[0]) == check_digit(digits[1:])


def normalize(raw: str) -> str:
    """``T-1234 5678 90123`` -> ``T1234567890123``."""
    return "T" + re.sub(r"\D", "", raw)
