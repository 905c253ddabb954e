"""Dates in every form Japanese and foreign documents write them, found in text and read in queries.

Forms: 2024-04-01, 2024/4/1, 2024.4.1, 2024年4月1日, 令和6年4月1日 (元年 too), R6.4.1 and
H31/4/30, April 1, 2024 / Apr. 1st 2024, 1 April 2024 / 1-Apr-2024 (French, German,
Spanish, Italian and Dutch month names too: 1er avril 2024, 1. April 2024, 1 de abril de
2024, 1 aprile 2024, 1 april 2024), a form's spaced fields (2024 4 1, the 年月日 printed
apart), and the numeric a/b/yyyy: day-first when a > 12 (31/12/2017), month-first when
b > 12 (12/31/2017), either when both could be (04/01/2024 is indexed as both days).
In text, a day and month name without a year (minutes' "tenue le 20 juin") take the
year of the nearest full date. Text is expected in ``search.normalize.index_form``
(NFKC: full-width digits are ASCII, no spaces around CJK).

``date_spans`` reads the same grammar for the field readers (ingest), who want one date per
place and where it is written: a/b/yyyy (slashes or dashes) month first, or day first where
the page says so, and a few spaces inside a date tolerated (令和 6 年, a text layer's gaps).
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

ERAS = {"明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019}
_ERA_LETTERS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}
# English, French, German, Spanish, Italian and Dutch (the languages invoices arrive in).
_MONTH_NAMES = (
    ("jan", "january", "janvier", "januar", "jänner", "enero", "gennaio", "januari"),
    ("feb", "february", "février", "fevrier", "februar", "febrero", "febbraio", "februari"),
    ("mar", "march", "mars", "märz", "marzo", "maart", "mrt"),
    ("apr", "april", "avril", "abril", "aprile"),
    ("may", "mai", "mayo", "maggio", "mei"),
    ("jun", "june", "juin", "juni", "junio", "giugno"),
    ("jul", "july", "juillet", "juli", "julio", "luglio"),
    ("aug", "august", "août", "aout", "agosto", "augustus"),
    ("sep", "sept", "september", "septembre", "septiembre", "setiembre", "settembre"),
    ("oct", "october", "octobre", "oktober", "octubre", "ottobre", "okt"),
    ("nov", "november", "novembre", "noviembre"),
    ("dec", "december", "décembre", "decembre", "dezember", "diciembre", "dicembre", "dez"),
)
_MONTHS = {name: n for n, names in enumerate(_MONTH_NAMES, start=1) for name in names}
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"
_ORD = r"(?:st|nd|rd|th)?"
# Whitespace inside a date (a text layer's or OCR's: "令和 6 年", "March  5,\n2024"), bounded.
_SP = r"\s{0,3}"
_SP1 = r"\s{1,3}"
# Between day, month and year: "1 de abril de 2024" (Spanish), "1° de abril".
_DE = rf"{_SP1}(?:de|del){_SP1}"
_ERA = r"(?P<era>(?:明治|大正|昭和|平成|令和)\s{0,3}|[MTSHR]\.?)(?P<ey>元|\d{1,2})"

# Dates as running text writes them.
_WRITTEN = (
    rf"(?<![A-Za-z0-9]){_ERA}(?:{_SP}年{_SP}(?P<em>\d{{1,2}}){_SP}月{_SP}(?P<ed>\d{{1,2}}){_SP}日"
    r"|(?P<esep>[./-])(?P<em2>\d{1,2})(?P=esep)(?P<ed2>\d{1,2})(?!\d))",
    rf"(?<!\d)(?P<ky>\d{{4}}){_SP}年{_SP}(?P<km>\d{{1,2}}){_SP}月{_SP}(?P<kd>\d{{1,2}}){_SP}日",
    r"(?<![\d./-])(?P<iy>\d{4})(?P<isep>[-/.])(?P<im>\d{1,2})(?P=isep)(?P<id>\d{1,2})(?![\d])",
    rf"(?<![a-z])(?P<mn>{_MONTH})\.?{_SP}(?P<md>\d{{1,2}}){_ORD}{_SP},?{_SP}(?P<my>\d{{4}})(?!\d)",
    rf"(?<!\d)(?P<dd>\d{{1,2}})(?:{_ORD}|er|°|o|\.)(?:{_SP1}|-|{_SP}day{_SP1}of{_SP1}|{_DE})"
    rf"(?P<dn>{_MONTH})\.?(?:,?{_SP1}|-|{_DE})(?P<dy>\d{{4}})(?!\d)",
    r"(?<![\d./-])(?P<na>\d{1,2})(?P<nsep>[/.-])(?P<nb>\d{1,2})(?P=nsep)(?P<ny>\d{4})(?![\d])",
)
# A form's date fields with their 年/月/日 labels printed apart: "2020 12 31" (in the index only:
# in running text it is as likely a row of numbers).
_SPACED = (
    r"(?<![\d.,/-])(?<!\d )(?P<sy>(?:19|20)\d\d) (?P<sm>0?[1-9]|1[0-2]) (?P<sd>0?[1-9]|[12]\d|3[01])"
    r"(?![\d.,/-]| \d)"
)
WRITTEN = re.compile("|".join(_WRITTEN), re.IGNORECASE)
DATE = re.compile("|".join((*_WRITTEN, _SPACED)), re.IGNORECASE)

# Partial dates a range bound may be: a year, or a year and month, in any of the forms above.
_PARTIAL = re.compile(
    rf"(?:{_ERA}|(?P<y>\d{{4}}))(?:年|年度)?(?:(?:[-/.]|(?<=年))(?P<m>\d{{1,2}})月?)?",
    re.IGNORECASE,
)
_YEARS = range(1868, 2200)
# A day and a month name with no year after it: "20 juin", "June 20".
_YEARLESS = re.compile(
    rf"(?<![\d./-])(?P<d>\d{{1,2}})(?:{_ORD}|er|°|o|\.)?(?:\s|{_DE})(?P<m>{_MONTH})(?![a-z])"
    r"(?!\.?,?\s?(?:de\s|del\s)?\d)"
    rf"|(?<![a-z])(?P<m2>{_MONTH})\.?\s(?P<d2>\d{{1,2}}){_ORD}(?![\d.,/:]|,?\s?\d)",
    re.IGNORECASE,
)


def find_dates(text: str) -> set[date]:
    """Every valid date written anywhere in ``text``; a day and month without a year take
    the year of the nearest full date (none without one)."""
    found: set[date] = set()
    dated: list[tuple[int, int]] = []  # (position, year) of each full date
    for match in DATE.finditer(text):
        days = _dates(match)
        found.update(days)
        dated.extend((match.start(), day.year) for day in days)
    if dated:
        for match in _YEARLESS.finditer(text):
            _, year = min(dated, key=lambda item: abs(item[0] - match.start()))
            month = _MONTHS[(match["m"] or match["m2"]).lower()]
            found.update(_valid(year, month, match["d"] or match["d2"]))
    return found


def parse_dates(value: str) -> set[date]:
    """The date(s) ``value`` is, if the whole of it is one date; empty otherwise.

    A numeric a/b/yyyy date that reads both ways gives both.
    """
    match = DATE.fullmatch(value.strip())
    return _dates(match) if match else set()


class DateSpan(NamedTuple):
    """A date written in a text and where: ``text[start:end]``."""

    value: date
    start: int
    end: int


def date_spans(text: str, *, day_first: bool = False) -> list[DateSpan]:
    """Every valid date written in ``text``, in order, with its span (for readers that point at
    the words, as the field readers do; the spaced form fields and year-less dates are left out).

    A numeric a/b/yyyy (slashes or dashes) is read month first unless ``day_first``, or unless
    a date of the text can only be read day first (``31/12/2017``); the other reading when the
    first is no date. A dotted a.b.yyyy is day first.
    """
    matches = list(WRITTEN.finditer(text))
    day_first = day_first or any(m["na"] and int(m["na"]) > 12 >= int(m["nb"]) for m in matches)
    spans = []
    for match in matches:
        if found := _readings(match, day_first=day_first):
            spans.append(DateSpan(found[0], match.start(), match.end()))
    return spans


def era_year(era: str, year: str) -> int:
    """The Western year of an era year: ``era_year("令和", "元")`` is 2019, ``("R", "6")`` 2024."""
    name = _ERA_LETTERS.get(era.rstrip(".").upper(), era.strip())
    return ERAS[name] - 1 + (1 if year == "元" else int(year))


def parse_year(value: str) -> int | None:
    """A Western or era year: 2024, 2024年度, 令和6, 令和6年度, R6, 令和元; None if it is none."""
    match = _PARTIAL.fullmatch(value.strip())
    if match is None or match["m"]:
        return None
    year = era_year(match["era"], match["ey"]) if match["era"] else int(match["y"])
    return year if year in _YEARS else None


def parse_period(value: str) -> tuple[date, date] | None:
    """The first and last day of a year, a month or a day written in any form, or None.

    ``2024`` and ``令和6年`` are a year, ``令和6年度`` a fiscal year, ``2024-04``, ``2024/4`` and ``2024年4月`` a month,
    ``R6.4.1`` a day. A numeric a/b/yyyy date that reads both ways is None (ambiguous).
    """
    days = parse_dates(value)
    if len(days) == 1:
        (day,) = days
        return day, day
    if days:
        return None
    match = _PARTIAL.fullmatch(value.strip())
    if match is None:
        return None
    year = era_year(match["era"], match["ey"]) if match["era"] else int(match["y"])
    if year not in _YEARS:
        return None
    if not match["m"]:
        if "年度" in value:  # a fiscal year, April to March
            return date(year, 4, 1), date(year + 1, 3, 31)
        return date(year, 1, 1), date(year, 12, 31)
    month = int(match["m"])
    if not 1 <= month <= 12:
        return None
    following = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, 1), date.fromordinal(following.toordinal() - 1)


def _dates(match: re.Match[str]) -> set[date]:
    return set(_readings(match, day_first=None))


def _readings(match: re.Match[str], *, day_first: bool | None) -> list[date]:
    """The valid dates ``match`` reads as, the likelier first: a numeric a/b/yyyy month first
    unless ``day_first`` (both readings when it is None), a dotted a.b.yyyy day first only."""
    g = match.groupdict()
    if g["era"]:
        year = era_year(g["era"], g["ey"])
        candidates = [(year, g["em"] or g["em2"], g["ed"] or g["ed2"])]
    elif g["ky"]:
        candidates = [(int(g["ky"]), g["km"], g["kd"])]
    elif g["iy"]:
        candidates = [(int(g["iy"]), g["im"], g["id"])]
    elif g["mn"]:
        candidates = [(int(g["my"]), str(_MONTHS[g["mn"].lower()]), g["md"])]
    elif g["dn"]:
        candidates = [(int(g["dy"]), str(_MONTHS[g["dn"].lower()]), g["dd"])]
    elif g.get("sy"):
        candidates = [(int(g["sy"]), g["sm"], g["sd"])]
    else:
        a, b, year = g["na"], g["nb"], int(g["ny"])
        candidates = [(year, a, b), (year, b, a)]
        if g["nsep"] == ".":  # a dotted a.b.yyyy is European, day first
            candidates = candidates[1:]
        elif day_first:
            candidates.reverse()
    found: list[date] = []
    for year, month, day in candidates:
        found.extend(d for d in _valid(year, int(month), day) if d not in found)
    return found


def _valid(year: int, month: int, day: str) -> set[date]:
    """The date, if it is one (empty otherwise)."""
    if year not in _YEARS:
        return set()
    try:
        return {date(year, month, int(day))}
    except ValueError:
        return set()
