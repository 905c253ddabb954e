"""Length-preserving text normalisation, dates (Western and Japanese era) and amounts.

Every function keeps character offsets: a match in the normalised text is a span of the
original, so fields can point at the words they came from.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Generic, NamedTuple, TypeVar

# Full-width ASCII (！..～) and the ideographic space map one-to-one to ASCII; NFKC would
# also expand ligatures such as ㈱ and move every offset after them.
_HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_HALFWIDTH |= {ord("－"): ord("-"), ord("‐"): ord("-"), ord("，"): ord(","), ord("￥"): ord("¥")}

ERAS = {"明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019}
_ERA_LETTERS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<mname>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_S = r"\s*"
DATE = re.compile(
    "|".join(
        (
            rf"(?P<era>明治|大正|昭和|平成|令和){_S}(?P<ey>元|\d{{1,2}}){_S}年{_S}(?P<em>\d{{1,2}}){_S}月{_S}(?P<ed>\d{{1,2}}){_S}日",
            r"(?<![A-Za-z])(?P<el>[MTSHR])\.?(?P<sy>\d{1,2})[./](?P<sm>\d{1,2})[./](?P<sd>\d{1,2})(?!\d)",
            rf"(?<!\d)(?P<wy>\d{{4}}){_S}年{_S}(?P<wm>\d{{1,2}}){_S}月{_S}(?P<wd>\d{{1,2}}){_S}日",
            r"(?<![\d/.])(?P<iy>\d{4})[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2})(?![\d/])",
            rf"(?<![a-z]){_MONTH}\s+(?P<md>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<my>\d{{4}})",
            rf"(?<!\d)(?P<dd>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+day\s+of)?\s+{_MONTH.replace('mname', 'dname')},?\s+(?P<dy>\d{{4}})",
            r"(?<![\d/.])(?P<ua>\d{1,2})(?P<sep>[/.])(?P<ub>\d{1,2})(?P=sep)(?P<uy>\d{4})(?![\d/])",
        )
    ),
    re.IGNORECASE,
)

_CURRENCIES = {"¥": "JPY", "円": "JPY", "$": "USD", "€": "EUR", "£": "GBP", "₹": "INR"}
# Digit groups may be split by a space after the separator, as OCR reads 1,233, 760.
_NUMBER = r"\d{1,3}(?:(?:[,.][ \t]?|[ \t])\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
AMOUNT = re.compile(
    rf"(?P<pre>¥|\$|€|£|₹|\b(?:JPY|USD|EUR|GBP|INR|Rs\.?))\s*(?P<a>{_NUMBER})-?"
    rf"|(?:金\s*)?(?P<b>{_NUMBER})\s*(?P<post>円|€|\b(?:EUR|USD|JPY)\b)"
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
    """Every valid date in ``text`` (already ``halfwidth``), in order of appearance.

    Numeric ``a/b/yyyy`` dates are month-first (US) unless ``day_first``, or unless a date
    of the text can only be day-first (``31/12/2017``); ``dd.mm.yyyy`` is always day-first.
    """
    found: list[Found[date]] = []
    day_first = day_first or any(
        int(m.group("ua")) > 12 >= int(m.group("ub")) for m in DATE.finditer(text) if m.group("ua")
    )
    for match in DATE.finditer(text):
        parsed = _date(match.groupdict(), day_first)
        if parsed is not None:
            found.append(Found(parsed, match.start(), match.end()))
    return found


def parse_date(text: str) -> date | None:
    """The first date in ``text``, e.g. ``令和元年5月1日``, ``R6.4.1``, ``March 5, 2024``."""
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


def _date(groups: dict[str, str | None], day_first: bool) -> date | None:
    parts: tuple[int | str | None, int | str | None, int | str | None]
    if groups["era"]:
        year = ERAS[groups["era"]] - 1 + (1 if groups["ey"] == "元" else int(groups["ey"] or 0))
        parts = (year, groups["em"], groups["ed"])
    elif groups["el"]:
        parts = (
            ERAS[_ERA_LETTERS[groups["el"].upper()]] - 1 + int(groups["sy"] or 0),
            groups["sm"],
            groups["sd"],
        )
    elif groups["wy"]:
        parts = (groups["wy"], groups["wm"], groups["wd"])
    elif groups["iy"]:
        parts = (groups["iy"], groups["im"], groups["id"])
    elif groups["mname"]:
        parts = (groups["my"], _MONTHS[groups["mname"].lower()], groups["md"])
    elif groups["dname"]:
        parts = (groups["dy"], _MONTHS[groups["dname"].lower()], groups["dd"])
    else:
        first, second = groups["ua"], groups["ub"]
        if day_first or groups["sep"] == ".":
            first, second = second, first
        parts = (groups["uy"], first, second)
    try:
        return date(int(parts[0] or 0), int(parts[1] or 0), int(parts[2] or 0))
    except ValueError:
        return None
